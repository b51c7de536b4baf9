// Windows: registry values under HKLM. The MSI writes SOFTWARE\Tally\Agent;
// Group Policy writes SOFTWARE\Policies\Tally\Agent, which wins value by value.
import { execFileSync } from 'node:child_process';
import { MANAGED_KEYS, pickKnown, type ManagedSettings } from './keys.ts';

export const WINDOWS_SETTINGS_KEYS = ['HKLM\\SOFTWARE\\Tally\\Agent', 'HKLM\\SOFTWARE\\Policies\\Tally\\Agent'] as const;

/** The values of one key as `reg query KEY` prints them: "    Name    REG_SZ    value". */
export function parseRegQuery(output: string): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const line of output.split(/\r?\n/)) {
    const m = /^ {4}(.+?) {4}(REG_SZ|REG_EXPAND_SZ|REG_DWORD|REG_QWORD)(?: {4}(.*))?$/.exec(line);
    if (!m) continue;
    const value = m[3] ?? '';
    out[m[1]] = m[2] === 'REG_DWORD' || m[2] === 'REG_QWORD' ? Number(BigInt(value.trim())) : value;
  }
  return out;
}

function queryKey(key: string): Record<string, string | number> {
  try {
    // /reg:64: the 64-bit view, where the x64 MSI and GPO write, whatever this process is.
    return parseRegQuery(execFileSync('reg', ['query', key, '/reg:64'], { encoding: 'utf8', timeout: 10_000, windowsHide: true, stdio: ['ignore', 'pipe', 'ignore'] }));
  } catch {
    return {}; // key absent
  }
}

export function readWindowsManagedSettings(query: (key: string) => Record<string, string | number> = queryKey): ManagedSettings {
  // Later keys win: installer values, then policy.
  return Object.assign({}, ...WINDOWS_SETTINGS_KEYS.map((key) => pickKnown(query(key), MANAGED_KEYS)));
}
