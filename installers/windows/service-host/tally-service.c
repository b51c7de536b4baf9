/*
 * tally-service.exe: the Windows service host for tally-agent.exe.
 *
 * A Node single executable application cannot answer the service control
 * manager (SCM) itself, so this small host does it:
 *   - sets the service's failure actions (restart after 10 s, 30 s, 60 s) on
 *     every start, so recovery holds even if an admin reset it;
 *   - protects the settings key and the data folder (they hold the enrolment
 *     token and the device key) to SYSTEM and Administrators;
 *   - starts "tally-agent.exe run" beside it, logs its output to
 *     %ProgramData%\Tally\logs\tally-agent.log, and stops it on service stop
 *     (CTRL_BREAK first, which Node raises as SIGBREAK; killed after 15 s);
 *   - reports an unexpected agent exit as a service failure, which makes the
 *     SCM apply the failure actions.
 *
 *   tally-service.exe                 run as the service (started by the SCM)
 *   tally-service.exe send-uninstall  run "tally-agent.exe uninstall --purge" (at
 *                                     most 30 s), remove the logs, always exit 0
 *                                     (MSI custom action, full uninstall only)
 */
#define WIN32_LEAN_AND_MEAN
#include <windows.h>
#include <aclapi.h>
#include <sddl.h>
#include <shlobj.h>
#include <stdio.h>
#include <wchar.h>

#define SERVICE_NAME L"TallyAgent"
#define SETTINGS_KEY L"SOFTWARE\\Tally\\Agent"
#define STOP_GRACE_MS 15000
#define UNINSTALL_LIMIT_MS 30000
#define LOG_ROTATE_BYTES (10 * 1024 * 1024)
/* SYSTEM and Administrators only, not inherited from the parent (P), applied to children (OICI). */
#define PROTECTED_SDDL L"D:P(A;OICI;GA;;;SY)(A;OICI;GA;;;BA)"

static SERVICE_STATUS_HANDLE status_handle;
static SERVICE_STATUS status;
static HANDLE stop_requested;

static void report(DWORD state, DWORD win32_exit, DWORD specific_exit, DWORD wait_hint) {
  static DWORD checkpoint = 1;
  status.dwServiceType = SERVICE_WIN32_OWN_PROCESS;
  status.dwCurrentState = state;
  status.dwControlsAccepted = state == SERVICE_RUNNING ? SERVICE_ACCEPT_STOP | SERVICE_ACCEPT_SHUTDOWN : 0;
  status.dwWin32ExitCode = win32_exit;
  status.dwServiceSpecificExitCode = specific_exit;
  status.dwWaitHint = wait_hint;
  status.dwCheckPoint = (state == SERVICE_RUNNING || state == SERVICE_STOPPED) ? 0 : checkpoint++;
  SetServiceStatus(status_handle, &status);
}

/* Folder holding this executable, with a trailing backslash. */
static void own_folder(wchar_t *buf, DWORD size) {
  DWORD n = GetModuleFileNameW(NULL, buf, size);
  while (n > 0 && buf[n - 1] != L'\\') n--;
  buf[n] = L'\0';
}

/*
 * %ProgramData% from the shell's known folder, not the environment: the
 * service and the MSI's uninstall custom action run in different contexts,
 * and an environment that differs between them (Wine gives services
 * C:\\users\\Public) would make the uninstall look for the device key where the
 * service never put it. The agent is told the same folder (--state-dir).
 */
static void program_data(wchar_t *buf, DWORD size, const wchar_t *suffix) {
  wchar_t known[MAX_PATH];
  if (size >= MAX_PATH && SUCCEEDED(SHGetFolderPathW(NULL, CSIDL_COMMON_APPDATA, NULL, SHGFP_TYPE_CURRENT, known))) {
    wcscpy(buf, known);
  } else {
    DWORD n = GetEnvironmentVariableW(L"ProgramData", buf, size);
    if (n == 0 || n >= size) wcscpy(buf, L"C:\\ProgramData");
  }
  wcsncat(buf, suffix, size - wcslen(buf) - 1);
}

static void configure_recovery(void) {
  SC_HANDLE scm = OpenSCManagerW(NULL, NULL, SC_MANAGER_CONNECT);
  if (!scm) return;
  /* SERVICE_START is required to set a restart action. */
  SC_HANDLE svc = OpenServiceW(scm, SERVICE_NAME, SERVICE_CHANGE_CONFIG | SERVICE_START);
  if (svc) {
    SC_ACTION actions[3] = {{SC_ACTION_RESTART, 10000}, {SC_ACTION_RESTART, 30000}, {SC_ACTION_RESTART, 60000}};
    SERVICE_FAILURE_ACTIONSW failure = {0};
    failure.dwResetPeriod = 24 * 60 * 60;
    failure.cActions = 3;
    failure.lpsaActions = actions;
    ChangeServiceConfig2W(svc, SERVICE_CONFIG_FAILURE_ACTIONS, &failure);
    /* Also count "stopped with an error" (our report when the agent exits) as a failure, not only crashes. */
    SERVICE_FAILURE_ACTIONS_FLAG flag = {TRUE};
    ChangeServiceConfig2W(svc, SERVICE_CONFIG_FAILURE_ACTIONS_FLAG, &flag);
    CloseServiceHandle(svc);
  }
  CloseServiceHandle(scm);
}

static void protect(const wchar_t *object, SE_OBJECT_TYPE type) {
  PSECURITY_DESCRIPTOR sd = NULL;
  PACL dacl = NULL;
  BOOL present = FALSE, defaulted = FALSE;
  if (!ConvertStringSecurityDescriptorToSecurityDescriptorW(PROTECTED_SDDL, SDDL_REVISION_1, &sd, NULL)) return;
  if (GetSecurityDescriptorDacl(sd, &present, &dacl, &defaulted) && present) {
    SetNamedSecurityInfoW((LPWSTR)object, type, DACL_SECURITY_INFORMATION | PROTECTED_DACL_SECURITY_INFORMATION, NULL, NULL, dacl, NULL);
  }
  LocalFree(sd);
}

/* HKLM\SOFTWARE\Tally\Agent is readable by every user by default; it holds the enrolment token. */
static void protect_secrets(void) {
  wchar_t data[MAX_PATH];
  protect(L"MACHINE\\" SETTINGS_KEY, SE_REGISTRY_KEY);
  program_data(data, MAX_PATH, L"\\Tally");
  CreateDirectoryW(data, NULL);
  protect(data, SE_FILE_OBJECT);
}

static HANDLE open_log(void) {
  wchar_t path[MAX_PATH], previous[MAX_PATH + 4];
  WIN32_FILE_ATTRIBUTE_DATA attrs;
  program_data(path, MAX_PATH, L"\\Tally\\logs");
  CreateDirectoryW(path, NULL);
  wcsncat(path, L"\\tally-agent.log", MAX_PATH - wcslen(path) - 1);
  if (GetFileAttributesExW(path, GetFileExInfoStandard, &attrs) && (attrs.nFileSizeHigh > 0 || attrs.nFileSizeLow > LOG_ROTATE_BYTES)) {
    swprintf(previous, MAX_PATH + 4, L"%ls.1", path);
    MoveFileExW(path, previous, MOVEFILE_REPLACE_EXISTING);
  }
  SECURITY_ATTRIBUTES inheritable = {sizeof inheritable, NULL, TRUE};
  return CreateFileW(path, FILE_APPEND_DATA, FILE_SHARE_READ | FILE_SHARE_WRITE, &inheritable, OPEN_ALWAYS, FILE_ATTRIBUTE_NORMAL, NULL);
}

/* Starts "<own folder>tally-agent.exe <args>". */
/* Starts "tally-agent.exe <args> --state-dir <%ProgramData%\\Tally\\agent>". */
static BOOL start_agent(const wchar_t *args, DWORD flags, HANDLE output, PROCESS_INFORMATION *child) {
  wchar_t exe[MAX_PATH], state[MAX_PATH], command[MAX_PATH * 3];
  own_folder(exe, MAX_PATH);
  wcsncat(exe, L"tally-agent.exe", MAX_PATH - wcslen(exe) - 1);
  program_data(state, MAX_PATH, L"\\Tally\\agent");
  swprintf(command, MAX_PATH * 3, L"\"%ls\" %ls --state-dir \"%ls\"", exe, args, state);
  STARTUPINFOW si = {0};
  si.cb = sizeof si;
  if (output != INVALID_HANDLE_VALUE) {
    si.dwFlags = STARTF_USESTDHANDLES;
    si.hStdInput = NULL;
    si.hStdOutput = output;
    si.hStdError = output;
  }
  return CreateProcessW(exe, command, NULL, NULL, output != INVALID_HANDLE_VALUE, flags, NULL, NULL, &si, child);
}

static DWORD WINAPI control_handler(DWORD control, DWORD type, LPVOID data, LPVOID context) {
  (void)type; (void)data; (void)context;
  switch (control) {
    case SERVICE_CONTROL_STOP:
    case SERVICE_CONTROL_SHUTDOWN:
      report(SERVICE_STOP_PENDING, NO_ERROR, 0, STOP_GRACE_MS + 5000);
      SetEvent(stop_requested);
      return NO_ERROR;
    case SERVICE_CONTROL_INTERROGATE:
      return NO_ERROR;
    default:
      return ERROR_CALL_NOT_IMPLEMENTED;
  }
}

static void WINAPI service_main(DWORD argc, LPWSTR *argv) {
  (void)argc; (void)argv;
  PROCESS_INFORMATION child;
  status_handle = RegisterServiceCtrlHandlerExW(SERVICE_NAME, control_handler, NULL);
  if (!status_handle) return;
  report(SERVICE_START_PENDING, NO_ERROR, 0, 10000);
  stop_requested = CreateEventW(NULL, TRUE, FALSE, NULL);
  configure_recovery();
  protect_secrets();

  /* A console shared with the agent is what lets us send it CTRL_BREAK; in session 0 it is never shown. */
  AllocConsole();
  HANDLE log = open_log();
  if (!start_agent(L"run", CREATE_NEW_PROCESS_GROUP, log, &child)) {
    DWORD err = GetLastError();
    if (log != INVALID_HANDLE_VALUE) CloseHandle(log);
    report(SERVICE_STOPPED, err, 0, 0);
    return;
  }
  report(SERVICE_RUNNING, NO_ERROR, 0, 0);

  HANDLE waits[2] = {stop_requested, child.hProcess};
  DWORD which = WaitForMultipleObjects(2, waits, FALSE, INFINITE);
  if (which == WAIT_OBJECT_0) {
    GenerateConsoleCtrlEvent(CTRL_BREAK_EVENT, child.dwProcessId);
    if (WaitForSingleObject(child.hProcess, STOP_GRACE_MS) != WAIT_OBJECT_0) {
      TerminateProcess(child.hProcess, 1);
      WaitForSingleObject(child.hProcess, 5000);
    }
    report(SERVICE_STOPPED, NO_ERROR, 0, 0);
  } else {
    /* The agent exited on its own: a failure, so the SCM restarts us per the failure actions. */
    DWORD code = 1;
    GetExitCodeProcess(child.hProcess, &code);
    report(SERVICE_STOPPED, ERROR_SERVICE_SPECIFIC_ERROR, code ? code : 1, 0);
  }
  CloseHandle(child.hThread);
  CloseHandle(child.hProcess);
  if (log != INVALID_HANDLE_VALUE) CloseHandle(log);
}

/* Removes a file under %ProgramData%\Tally. */
static void remove_data_file(const wchar_t *suffix) {
  wchar_t path[MAX_PATH];
  program_data(path, MAX_PATH, suffix);
  DeleteFileW(path);
}

/*
 * Tells the collector the device is being uninstalled and removes what the
 * agent kept in %ProgramData%\Tally (the agent purges its state directory:
 * device key, instance id, journal; we remove the logs, then the folders if
 * empty). Never fails the uninstall.
 */
/*
 * StopServices asks the service to stop and may go on before it has (Wine's
 * msiexec does; Windows waits only up to the service's wait hint). Until the
 * service reports STOPPED its agent still holds the outbox lock and
 * "uninstall --purge" would be refused as "another tally-agent is running",
 * so the uninstall event would never be sent: wait for STOPPED, bounded.
 */
static void wait_for_service_stopped(DWORD limit_ms) {
  SC_HANDLE scm = OpenSCManagerW(NULL, NULL, SC_MANAGER_CONNECT);
  if (!scm) return;
  SC_HANDLE svc = OpenServiceW(scm, SERVICE_NAME, SERVICE_QUERY_STATUS | SERVICE_STOP);
  if (svc) {
    SERVICE_STATUS st;
    DWORD waited = 0;
    BOOL asked = FALSE;
    while (waited < limit_ms && QueryServiceStatus(svc, &st) && st.dwCurrentState != SERVICE_STOPPED) {
      if (!asked && st.dwCurrentState == SERVICE_RUNNING) {
        ControlService(svc, SERVICE_CONTROL_STOP, &st);
        asked = TRUE;
      }
      Sleep(250);
      waited += 250;
    }
    CloseServiceHandle(svc);
  }
  CloseServiceHandle(scm);
}

static int send_uninstall(void) {
  PROCESS_INFORMATION child;
  wchar_t folder[MAX_PATH];
  wait_for_service_stopped(STOP_GRACE_MS + 10000);
  if (start_agent(L"uninstall --purge", CREATE_NO_WINDOW, INVALID_HANDLE_VALUE, &child)) {
    if (WaitForSingleObject(child.hProcess, UNINSTALL_LIMIT_MS) != WAIT_OBJECT_0) TerminateProcess(child.hProcess, 1);
    CloseHandle(child.hThread);
    CloseHandle(child.hProcess);
  }
  remove_data_file(L"\\Tally\\logs\\tally-agent.log");
  remove_data_file(L"\\Tally\\logs\\tally-agent.log.1");
  program_data(folder, MAX_PATH, L"\\Tally\\logs");
  RemoveDirectoryW(folder);
  program_data(folder, MAX_PATH, L"\\Tally");
  RemoveDirectoryW(folder); /* only if empty: never anything an admin put there */
  return 0;
}

int wmain(int argc, wchar_t **argv) {
  if (argc > 1 && wcscmp(argv[1], L"send-uninstall") == 0) return send_uninstall();
  SERVICE_TABLE_ENTRYW table[] = {{(LPWSTR)SERVICE_NAME, service_main}, {NULL, NULL}};
  if (!StartServiceCtrlDispatcherW(table)) {
    if (GetLastError() == ERROR_FAILED_SERVICE_CONTROLLER_CONNECT) {
      fwprintf(stderr, L"tally-service runs as the %ls Windows service; install it with tally-agent.msi.\n", SERVICE_NAME);
      return 2;
    }
    return 1;
  }
  return 0;
}
