<#
.SYNOPSIS
  Installs or upgrades the Tally agent on Windows, for RMM tools and Intune
  (Win32 app install command). Safe to run again: it does nothing when this
  version is installed, configured and running.

.EXAMPLE
  powershell -ExecutionPolicy Bypass -File install-tally-agent.ps1 -MsiPath .\tally-agent-0.1.0-x64.msi -ServerUrl wss://collector.example -EnrollToken tet_...

.NOTES
  Exit codes are msiexec's, which Intune and RMM tools understand:
    0     success (or already installed)
    3010  success, reboot required      1641  success, reboot started
    1603  installation failed           1618  another installation in progress (retry later)
    87    invalid parameter (missing MSI, not elevated, bad URL or token)
  The enrolment token never appears in the MSI log (MsiHiddenProperties).
#>
[CmdletBinding()]
param(
  [Parameter(Mandatory = $true)] [string] $MsiPath,
  [string] $ServerUrl = $env:TALLY_COLLECTOR_URL,
  [string] $EnrollToken = $env:TALLY_ENROLL_TOKEN,
  # HTTP(S) proxy for the collector connection: http://[user:password@]host:port, or "direct".
  [string] $ProxyUrl = $env:TALLY_PROXY
)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

$UpgradeCode = '{6F0C2B9E-3C1D-4E7A-9B52-7A0D54C1E2F3}'
$ServiceName = 'TallyAgent'
$SettingsKey = 'HKLM:\SOFTWARE\Tally\Agent'
$EXIT_SUCCESS = 0
$EXIT_INVALID_PARAMETER = 87
$EXIT_INSTALL_FAILURE = 1603

function Fail([int] $code, [string] $message) {
  Write-Error $message -ErrorAction Continue
  exit $code
}

function Get-MsiProductVersion([string] $path) {
  $installer = New-Object -ComObject WindowsInstaller.Installer
  $database = $installer.OpenDatabase($path, 0)
  $view = $database.OpenView("SELECT ``Value`` FROM ``Property`` WHERE ``Property`` = 'ProductVersion'")
  $view.Execute()
  $version = $view.Fetch().StringData(1)
  $view.Close()
  return $version
}

function Get-InstalledVersion {
  $installer = New-Object -ComObject WindowsInstaller.Installer
  foreach ($productCode in $installer.RelatedProducts($UpgradeCode)) {
    return $installer.ProductInfo($productCode, 'VersionString')
  }
  return $null
}

function Get-Setting([string] $name) {
  $item = Get-ItemProperty -Path $SettingsKey -Name $name -ErrorAction SilentlyContinue
  if ($item) { return $item.$name }
  return $null
}

$principal = New-Object Security.Principal.WindowsPrincipal([Security.Principal.WindowsIdentity]::GetCurrent())
if (-not $principal.IsInRole([Security.Principal.WindowsBuiltInRole]::Administrator)) {
  Fail $EXIT_INVALID_PARAMETER 'Run elevated (as SYSTEM or an administrator).'
}
if (-not (Test-Path -LiteralPath $MsiPath -PathType Leaf)) { Fail $EXIT_INVALID_PARAMETER "MSI not found: $MsiPath" }
$MsiPath = (Resolve-Path -LiteralPath $MsiPath).Path
if ($ServerUrl -and $ServerUrl -notmatch '^(wss|https|ws|http)://\S+$') { Fail $EXIT_INVALID_PARAMETER "ServerUrl is not a URL: $ServerUrl" }
if ($EnrollToken -and $EnrollToken -notmatch '^tet_[A-Za-z0-9_-]{43}$') { Fail $EXIT_INVALID_PARAMETER 'EnrollToken does not look like an enrolment token (tet_...).' }

$wanted = Get-MsiProductVersion $MsiPath
$installed = Get-InstalledVersion
$service = Get-Service -Name $ServiceName -ErrorAction SilentlyContinue
$settingsCurrent = (-not $ServerUrl -or $ServerUrl -eq (Get-Setting 'CollectorUrl')) -and (-not $EnrollToken -or $EnrollToken -eq (Get-Setting 'EnrollToken')) -and (-not $ProxyUrl -or $ProxyUrl -eq (Get-Setting 'ProxyUrl'))
if ($installed -eq $wanted -and $service -and $service.Status -eq 'Running' -and $settingsCurrent) {
  Write-Output "Tally agent $installed is already installed, configured and running."
  exit $EXIT_SUCCESS
}

$log = Join-Path $env:windir 'Temp\tally-agent-install.log'
$arguments = @('/i', "`"$MsiPath`"", '/qn', '/norestart', '/l*v', "`"$log`"")
if ($ServerUrl) { $arguments += "SERVER_URL=`"$ServerUrl`"" }
if ($EnrollToken) { $arguments += "ENROLL_TOKEN=`"$EnrollToken`"" }
if ($ProxyUrl) { $arguments += "PROXY_URL=`"$ProxyUrl`"" }
Write-Output "Installing Tally agent $wanted (installed: $(if ($installed) { $installed } else { 'none' })); log: $log"
try {
  $process = Start-Process -FilePath "$env:windir\System32\msiexec.exe" -ArgumentList $arguments -Wait -PassThru
} catch {
  Fail $EXIT_INSTALL_FAILURE "msiexec could not start: $_"
}
$code = $process.ExitCode
switch ($code) {
  0 { Write-Output 'Installed.' }
  3010 { Write-Output 'Installed; a reboot is required to finish.' }
  1641 { Write-Output 'Installed; the installer started a reboot.' }
  default { Write-Error "msiexec failed with exit code $code; see $log" -ErrorAction Continue }
}
exit $code
