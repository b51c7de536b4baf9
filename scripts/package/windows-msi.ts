// The Windows MSI (wixl, from Debian's msitools) and the small service host
// it installs (C, cross-compiled with Debian's mingw-w64).
import { chmodSync, copyFileSync, linkSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { run } from './tools.ts';

/** Properties an admin passes to msiexec; secure so they reach the elevated install. */
const SECURE_PROPERTIES = ['SERVER_URL', 'ENROLL_TOKEN', 'PROXY_URL', 'SAVED_SERVER_URL', 'SAVED_ENROLL_TOKEN', 'SAVED_PROXY_URL'];

/** ServiceInstall.ErrorControl: normal (1) plus msidbServiceInstallErrorControlVital (0x8000): a service that cannot be installed fails the install. */
const SERVICE_ERROR_CONTROL = 0x8000 | 1;

export function buildServiceHost(root: string, outFile: string): string {
  // -static: no MinGW runtime DLLs to ship; -municode: wide-character wmain.
  run('x86_64-w64-mingw32-gcc', ['-municode', '-O2', '-s', '-static', '-Wall', '-Wextra', '-Werror',
    '-o', outFile, join(root, 'installers/windows/service-host/tally-service.c'), '-ladvapi32', '-lshell32']);
  return outFile;
}

/** MSI ProductVersion: three integers, each field at most 255.255.65535. */
export function msiVersion(version: string): string {
  const m = /^(\d+)\.(\d+)\.(\d+)/.exec(version);
  if (!m) throw new Error(`version ${version} is not major.minor.patch`);
  return `${m[1]}.${m[2]}.${m[3]}`;
}

export interface MsiInput {
  root: string;
  version: string;
  agentExe: string;
  serviceHostExe: string;
  outFile: string;
  /** Built-in values for per-customer MSIs (GPO cannot pass properties); msiexec properties still win. */
  defaults?: { serverUrl: string; enrollToken: string; proxyUrl?: string };
}

export function buildMsi(input: MsiInput): string {
  const version = msiVersion(input.version);
  const [major, minor, patch] = version.split('.').map(Number);
  const defaults = { proxyUrl: '', ...(input.defaults ?? { serverUrl: '', enrollToken: '' }) };
  for (const value of [defaults.serverUrl, defaults.enrollToken, defaults.proxyUrl]) {
    // wixl substitutes variables as text inside XML attributes.
    if (/["'<>&\s]/.test(value)) throw new Error(`value ${JSON.stringify(value)} cannot be built into an MSI (quotes, <, >, & or spaces)`);
  }
  const outFile = resolve(input.outFile);
  mkdirSync(dirname(outFile), { recursive: true });
  // wixl only finds sources by paths relative to its working folder.
  const staging = mkdtempSync(join(dirname(outFile), '.msi-'));
  try {
    stage(input.agentExe, join(staging, 'tally-agent.exe'));
    stage(input.serviceHostExe, join(staging, 'tally-service.exe'));
    run('wixl', ['--arch', 'x64',
      '-D', `Version=${version}`, '-D', `UpgradeCeiling=${major}.${minor}.${patch + 1}`,
      '-D', 'AgentExe=tally-agent.exe', '-D', 'ServiceHostExe=tally-service.exe',
      '-D', `DefaultServerUrl=${defaults.serverUrl}`, '-D', `DefaultEnrollToken=${defaults.enrollToken}`, '-D', `DefaultProxyUrl=${defaults.proxyUrl}`,
      '-o', outFile, join(input.root, 'installers/windows/tally-agent.wxs')], { cwd: staging });
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  addSecureProperties(outFile);
  // wixl writes ErrorControl 1 and drops Vital="yes".
  run('msibuild', [outFile, '-q', `UPDATE ServiceInstall SET ErrorControl = ${SERVICE_ERROR_CONTROL} WHERE Name = 'TallyAgent'`]);
  // A per-customer MSI carries an enrolment token: owner-only, like its .mobileconfig.
  if (input.defaults?.enrollToken) chmodSync(outFile, 0o600);
  return outFile;
}

/** A hard link where possible: the agent executable is ~100 MB. */
function stage(from: string, to: string): void {
  try {
    linkSync(from, to);
  } catch {
    copyFileSync(from, to);
  }
}

/** wixl fills SecureCustomProperties from the Upgrade table only; add ours to it. */
function addSecureProperties(msi: string): void {
  const table = run('msiinfo', ['export', msi, 'Property']);
  const current = /^SecureCustomProperties\t(.*)$/m.exec(table)?.[1]?.split(';').filter(Boolean) ?? [];
  const all = [...new Set([...current, ...SECURE_PROPERTIES])].join(';');
  const query = current.length
    ? `UPDATE Property SET Value = '${all}' WHERE Property = 'SecureCustomProperties'`
    : `INSERT INTO Property (Property, Value) VALUES ('SecureCustomProperties', '${all}')`;
  run('msibuild', [msi, '-q', query]);
}
