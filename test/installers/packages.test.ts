// Builds the executables and packages once (linux-x64, win-x64, darwin-arm64:
// one of each OS), then inspects them with independent tools: dpkg-deb, rpm,
// msiinfo/msiextract, bsdtar, cpio, cksum. The Linux executable taken out of
// the .deb runs against a live collector. Under CI a missing tool fails the
// suite (.ci/run installs them all); on a developer's machine without the
// Debian tools the suite is skipped with a warning naming the packages.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePlistXml } from '../../agent/src/managed/darwin.ts';
import { build, packageVersion, type BuildResult } from '../../scripts/package/build.ts';
import { buildCustomerFiles } from '../../scripts/package/customer.ts';
import { targetById } from '../../scripts/package/targets.ts';
import { TOOL_PACKAGES, requireTool } from '../../scripts/package/tools.ts';
import { commandsAvailable, shouldRun } from '../helpers/requirements.ts';
import { COLLECTOR_BIN, pollUntil, runCommand, startCollectorProcess, type Proc } from '../helpers/processes.ts';
import { readBomPaths } from './bom-reader.ts';

const root = resolve(import.meta.dirname, '../..');
const SEA_FUSE_SET = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2:1';
/** Tools these tests inspect with, on top of those the build needs. */
const INSPECTION_TOOLS = ['dpkg-deb', 'rpm', 'rpm2cpio', 'cpio', 'msiinfo', 'msiextract', 'bsdtar', 'cksum', 'file', 'x86_64-w64-mingw32-objdump'];

let out: string;
let built: BuildResult;
const version = packageVersion(root);

function sh(cmd: string, args: string[], opts: { cwd?: string } = {}): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, ...opts });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status ?? r.error?.message}): ${r.stderr}`);
  return r.stdout;
}

/** msiinfo export as rows of columns (the first three lines are the column names, types and table key). */
function msiTable(msi: string, table: string): string[][] {
  return sh('msiinfo', ['export', msi, table]).split(/\r?\n/).slice(3).filter(Boolean).map((l) => l.split('\t'));
}

function msiProperty(msi: string, name: string): string | undefined {
  return msiTable(msi, 'Property').find((r) => r[0] === name)?.[1];
}

/** Everything the build and these inspections run. */
const NEEDED = Object.fromEntries(Object.entries(TOOL_PACKAGES).filter(([cmd]) => cmd !== 'npm'));
const run = shouldRun('installer packages (test/installers/packages.test.ts)', commandsAvailable(NEEDED));

beforeAll(async () => {
  if (!run) return;
  for (const tool of INSPECTION_TOOLS) requireTool(tool);
  out = mkdtempSync(join(tmpdir(), 'tally-packages-'));
  built = await build({
    root, outDir: out, cacheDir: join(root, 'dist/.cache'),
    targets: ['linux-x64', 'win-x64', 'darwin-arm64'].map(targetById), formats: ['exe', 'deb', 'rpm', 'msi', 'pkg'], log: () => {},
  });
}, 300_000);

afterAll(() => {
  if (out) rmSync(out, { recursive: true, force: true });
});

describe.skipIf(!run)('single executable applications', () => {
  it('embed the agent version and run on Linux', () => {
    expect(sh(built.executables['linux-x64']!, ['version']).trim()).toBe(version);
    expect(sh(built.executables['linux-x64']!, ['--help'])).toContain('usage: tally-agent');
  });

  it('carry the injected blob for Windows and macOS too', () => {
    for (const id of ['win-x64', 'darwin-arm64']) {
      const exe = readFileSync(built.executables[id]!);
      expect(exe.includes(SEA_FUSE_SET), `${id}: sentinel fuse flipped`).toBe(true);
      expect(exe.includes(Buffer.from('tally-agent <command>')), `${id}: bundle inside`).toBe(true);
    }
    expect(readFileSync(built.executables['darwin-arm64']!).includes(Buffer.from('NODE_SEA\0'))).toBe(true); // the Mach-O segment
  });

  it('are stripped Linux binaries (stripped before the blob went in)', () => {
    expect(sh('file', ['-b', built.executables['linux-x64']!])).toMatch(/ELF 64-bit.*x86-64.*stripped/);
  });
});

describe.skipIf(!run)('.deb', () => {
  const deb = () => built.deb['linux-x64']!;

  it('has the package fields and files', () => {
    expect(sh('dpkg-deb', ['-f', deb(), 'Package', 'Version', 'Architecture'])).toBe(`Package: tally-agent\nVersion: ${version}\nArchitecture: amd64\n`);
    const listing = sh('dpkg-deb', ['-c', deb()]);
    expect(listing).toMatch(/-rwxr-xr-x root\/root .* \.\/usr\/bin\/tally-agent\n/);
    expect(listing).toMatch(/-rw-r--r-- root\/root .* \.\/usr\/lib\/systemd\/system\/tally-agent\.service\n/);
    expect(listing).toMatch(/-rwxr-xr-x root\/root .* \.\/usr\/lib\/tally-agent\/package-hooks\.sh\n/);
  });

  it('has maintainer scripts that start, upgrade and stop the service', () => {
    const control = mkdtempSync(join(out, 'deb-control-'));
    sh('dpkg-deb', ['-e', deb(), control]);
    expect(readFileSync(join(control, 'postinst'), 'utf8')).toMatch(/configure\) "\$\{DPKG_ROOT:-\}"\/usr\/lib\/tally-agent\/package-hooks\.sh configure/);
    expect(readFileSync(join(control, 'prerm'), 'utf8')).toMatch(/remove\|deconfigure\) "\$\{DPKG_ROOT:-\}"\/usr\/lib\/tally-agent\/package-hooks\.sh remove/);
    expect(readFileSync(join(control, 'postrm'), 'utf8')).toMatch(/purge\)[\s\S]*rm -rf "\$\{DPKG_ROOT:-\}"\/etc\/tally-agent "\$\{DPKG_ROOT:-\}"\/var\/lib\/tally-agent/);
    const hooks = readFileSync(join(root, 'installers/linux/package-hooks.sh'), 'utf8');
    expect(hooks).toContain('systemctl restart "$UNIT"');
    expect(hooks).toContain('chmod 0600 "$ENV_FILE"');
    expect(hooks).toMatch(/timeout 30 "\$ROOT"\/usr\/bin\/tally-agent uninstall .*\|\| true/);
    expect(sh('sh', ['-n', join(root, 'installers/linux/package-hooks.sh')])).toBe('');
  });

  it('installs a hardened systemd unit', () => {
    const tree = mkdtempSync(join(out, 'deb-tree-'));
    sh('dpkg-deb', ['-x', deb(), tree]);
    const unit = readFileSync(join(tree, 'usr/lib/systemd/system/tally-agent.service'), 'utf8');
    for (const line of ['Restart=always', 'NoNewPrivileges=yes', 'ProtectSystem=strict', 'StateDirectory=tally-agent', 'ReadWritePaths=/var/lib/tally-agent',
      'EnvironmentFile=-/etc/tally-agent/agent.env', 'ExecStart=/usr/bin/tally-agent run', 'WantedBy=multi-user.target']) {
      expect(unit).toContain(`\n${line}\n`);
    }
    expect(unit).not.toMatch(/^MemoryDenyWriteExecute=yes/m); // V8's JIT needs it off
  });
});

describe.skipIf(!run)('the Linux executable from the .deb, against a live collector', () => {
  let collector: (Proc & { url: string; port: number }) | undefined;
  afterAll(async () => {
    await collector?.stop('SIGKILL');
  });

  it('enrols and appears in GET /api/v1/devices', async () => {
    const dir = mkdtempSync(join(out, 'live-'));
    const tree = join(dir, 'deb');
    mkdirSync(tree);
    sh('dpkg-deb', ['-x', built.deb['linux-x64']!, tree]);
    const db = join(dir, 'tally.db');
    const apiKey = runCommand(COLLECTOR_BIN, ['apikey', 'create', '--init', '--db', db]);
    const token = runCommand(COLLECTOR_BIN, ['token', 'create', '--company', 'Packaged Dental', '--init', '--db', db]);
    collector = await startCollectorProcess(db);
    const agent = spawn(join(tree, 'usr/bin/tally-agent'), ['run', '--collector', `ws://127.0.0.1:${collector.port}`, '--token', token, '--state-dir', join(dir, 'state'), '--interval', '1'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    agent.stderr.on('data', (d) => (stderr += d));
    try {
      const devices = await pollUntil(async () => {
        if (agent.exitCode !== null) throw new Error(`agent exited with ${agent.exitCode}: ${stderr}`);
        const res = await fetch(`${collector!.url}/api/v1/devices`, { headers: { authorization: `Bearer ${apiKey}` } });
        const body = (await res.json()) as { devices: { companyName: string }[] };
        return body.devices.length ? body.devices : null;
      }, 30_000, 'the packaged agent to enrol');
      expect(devices).toHaveLength(1);
      expect(devices[0].companyName).toBe('Packaged Dental');
      expect(stderr).toContain('"version":"' + version + '"');
    } finally {
      agent.kill('SIGTERM');
    }
  }, 60_000);
});

describe.skipIf(!run)('.rpm', () => {
  const rpm = () => built.rpm['linux-x64']!;

  it('has the package fields, files and scriptlets', () => {
    expect(sh('rpm', ['-qp', '--qf', '%{NAME} %{VERSION} %{ARCH}', rpm()])).toBe(`tally-agent ${version} x86_64`);
    expect(sh('rpm', ['-qp', '--qf', '[%{FILEMODES:perms} %{FILEUSERNAME} %{FILENAMES}\n]', rpm()])).toBe(
      '-rwxr-xr-x root /usr/bin/tally-agent\n-rw-r--r-- root /usr/lib/systemd/system/tally-agent.service\n-rwxr-xr-x root /usr/lib/tally-agent/package-hooks.sh\n');
    const scripts = sh('rpm', ['-qp', '--scripts', rpm()]);
    expect(scripts).toMatch(/postinstall scriptlet[\s\S]*package-hooks\.sh configure/);
    expect(scripts).toMatch(/preuninstall scriptlet[\s\S]*if \[ "\$1" -eq 0 \][\s\S]*package-hooks\.sh remove/);
  });

  it('was not stripped after the blob went in: its binary still runs', () => {
    const tree = mkdtempSync(join(out, 'rpm-tree-'));
    sh('sh', ['-c', 'rpm2cpio "$1" | cpio -idm --quiet', 'sh', rpm()], { cwd: tree });
    expect(statSync(join(tree, 'usr/bin/tally-agent')).size).toBe(statSync(built.executables['linux-x64']!).size);
    expect(sh(join(tree, 'usr/bin/tally-agent'), ['version']).trim()).toBe(version);
  });
});

describe.skipIf(!run)('.msi', () => {
  const msi = () => built.msi!;

  it('takes SERVER_URL and ENROLL_TOKEN as secure public properties, hidden from logs', () => {
    expect(msiProperty(msi(), 'SecureCustomProperties')!.split(';')).toEqual(expect.arrayContaining(['SERVER_URL', 'ENROLL_TOKEN']));
    expect(msiProperty(msi(), 'MsiHiddenProperties')!.split(';')).toEqual(expect.arrayContaining(['ENROLL_TOKEN', 'SAVED_ENROLL_TOKEN', 'PROXY_URL', 'SAVED_PROXY_URL']));
    expect(msiProperty(msi(), 'SecureCustomProperties')!.split(';')).toContain('PROXY_URL');
    expect(msiProperty(msi(), 'ProductVersion')).toBe(version);
    expect(msiProperty(msi(), 'ALLUSERS')).toBe('1');
    expect(msiProperty(msi(), 'SERVER_URL')).toBeUndefined(); // nothing built in the generic MSI
    expect(sh('msiinfo', ['suminfo', msi()])).toMatch(/Template: x64;1033/);
  });

  it('writes the settings under HKLM\\SOFTWARE\\Tally\\Agent and keeps them across upgrades', () => {
    const registry = msiTable(msi(), 'Registry').map((r) => r.slice(1, 5));
    expect(registry).toEqual(expect.arrayContaining([['2', 'SOFTWARE\\Tally\\Agent', 'CollectorUrl', '[SERVER_URL]'], ['2', 'SOFTWARE\\Tally\\Agent', 'EnrollToken', '[ENROLL_TOKEN]'],
      ['2', 'SOFTWARE\\Tally\\Agent', 'ProxyUrl', '[PROXY_URL]'],
      // Auto-update: the release public key pinned at install time, and the channel.
      ['2', 'SOFTWARE\\Tally\\Agent', 'UpdatePublicKey', '[UPDATE_PUBLIC_KEY]'], ['2', 'SOFTWARE\\Tally\\Agent', 'UpdateChannel', '[UPDATE_CHANNEL]']]));
    expect(msiTable(msi(), 'InstallExecuteSequence')).toEqual(expect.arrayContaining([['SendUninstallEvent', 'REMOVE~="ALL" AND NOT UPGRADINGPRODUCTCODE AND NOT TALLY_ROLLBACK', expect.any(String)],
      ['RestoreUpdatePublicKey', 'SAVED_UPDATE_PUBLIC_KEY AND NOT UPDATE_PUBLIC_KEY', expect.any(String)]]));
    // 2 = HKLM; 18 = raw value from the 64-bit view.
    expect(msiTable(msi(), 'RegLocator')).toEqual(expect.arrayContaining([['SavedServerUrl', '2', 'SOFTWARE\\Tally\\Agent', 'CollectorUrl', '18']]));
    const sequence = msiTable(msi(), 'InstallExecuteSequence');
    expect(sequence).toEqual(expect.arrayContaining([['RestoreServerUrl', 'SAVED_SERVER_URL AND NOT SERVER_URL', expect.any(String)]]));
  });

  it('installs an auto-start service running as LocalSystem, started and stopped by the MSI', () => {
    const [service] = msiTable(msi(), 'ServiceInstall');
    // Name, ServiceType 16 (own process), StartType 2 (auto), StartName.
    expect([service[1], service[3], service[4], service[8]]).toEqual(['TallyAgent', '16', '2', 'LocalSystem']);
    // ErrorControl: normal (1) and Vital (0x8000), which wixl drops from Vital="yes".
    expect(Number(service[5])).toBe(0x8000 | 1);
    const [control] = msiTable(msi(), 'ServiceControl');
    // 1 start on install, 2 stop on install, 32 stop on uninstall, 128 delete on uninstall.
    expect(control[1]).toBe('TallyAgent');
    expect(Number(control[2])).toBe(1 | 2 | 32 | 128);
    const files = msiTable(msi(), 'File').map((r) => r[2]);
    expect(files.sort()).toEqual(['tally-agent.exe', 'tally-service.exe']);
  });

  it('upgrades in place with a fixed UpgradeCode and refuses downgrades', () => {
    expect(msiProperty(msi(), 'UpgradeCode')).toBe('{6F0C2B9E-3C1D-4E7A-9B52-7A0D54C1E2F3}');
    const upgrade = msiTable(msi(), 'Upgrade');
    const [major, minor, patch] = version.split('.').map(Number);
    expect(upgrade).toEqual(expect.arrayContaining([
      ['{6F0C2B9E-3C1D-4E7A-9B52-7A0D54C1E2F3}', '0.0.0', `${major}.${minor}.${patch + 1}`, '', '256', '', 'INSTALLED_VERSION_FOUND'],
      ['{6F0C2B9E-3C1D-4E7A-9B52-7A0D54C1E2F3}', version, '', '', '2', '', 'NEWER_VERSION_FOUND'],
    ]));
    expect(msiTable(msi(), 'LaunchCondition').map((r) => r[0])).toContain('NOT NEWER_VERSION_FOUND');
    // Inside the install transaction: a failed upgrade rolls back to the old version instead of leaving none.
    const sequence = msiTable(msi(), 'InstallExecuteSequence');
    const at = (name: string) => Number(sequence.find((r) => r[0] === name)![2]);
    expect(at('RemoveExistingProducts')).toBeGreaterThan(at('InstallInitialize'));
    expect(at('RemoveExistingProducts')).toBeLessThan(at('InstallFinalize'));
  });

  it('refuses Windows older than 8.1 / Server 2012 R2, where Node 22 cannot start', () => {
    expect(msiTable(msi(), 'LaunchCondition')).toContainEqual(['Installed OR VersionNT64 >= 603', expect.stringMatching(/Windows 8\.1/)]);
  });

  it('sends the uninstall event from a deferred, elevated custom action whose failure is ignored', () => {
    const action = msiTable(msi(), 'CustomAction').find((r) => r[0] === 'SendUninstallEvent')!;
    const type = Number(action[1]);
    expect(type & 0x3f).toBe(18); // run an installed file
    expect(type & 0x40).toBe(0x40); // ignore its exit code
    expect(type & 0x400).toBe(0x400); // deferred
    expect(type & 0x800).toBe(0x800); // not impersonated: LocalSystem
    expect(action.slice(2, 4)).toEqual(['ServiceHostExe', 'send-uninstall']);
    const sequence = msiTable(msi(), 'InstallExecuteSequence');
    const at = (name: string) => Number(sequence.find((r) => r[0] === name)![2]);
    expect(sequence.find((r) => r[0] === 'SendUninstallEvent')![1]).toBe('REMOVE~="ALL" AND NOT UPGRADINGPRODUCTCODE AND NOT TALLY_ROLLBACK');
    expect(at('SendUninstallEvent')).toBeGreaterThan(at('StopServices'));
    expect(at('SendUninstallEvent')).toBeLessThan(at('RemoveFiles'));
  });

  it('carries the agent executable and a native service host', () => {
    const tree = mkdtempSync(join(out, 'msi-files-'));
    sh('msiextract', ['-C', tree, msi()]);
    const extracted = sh('find', [tree, '-type', 'f']).trim().split('\n');
    const agent = extracted.find((f) => f.endsWith('tally-agent.exe'))!;
    const host = extracted.find((f) => f.endsWith('tally-service.exe'))!;
    expect(readFileSync(agent).includes(SEA_FUSE_SET)).toBe(true);
    const headers = sh('x86_64-w64-mingw32-objdump', ['-p', host]);
    expect(headers).toMatch(/DLL Name: ADVAPI32\.dll/i);
    expect(headers).toMatch(/ChangeServiceConfig2W/);
    expect(headers).toMatch(/StartServiceCtrlDispatcherW/);
  });

  it('builds per-customer MSIs and profiles with the settings built in (for GPO and Mac MDM)', () => {
    const token = 'tet_' + 'c'.repeat(43);
    const files = buildCustomerFiles({ customer: 'Acme Dental', serverUrl: 'ws://127.0.0.1:9', enrollToken: token, distDir: out });
    expect(files.msi).toMatch(/customers\/acme-dental\/tally-agent-.*-acme-dental-x64\.msi$/);
    expect(msiProperty(files.msi, 'SERVER_URL')).toBe('ws://127.0.0.1:9');
    expect(msiProperty(files.msi, 'ENROLL_TOKEN')).toBe(token);
    expect(statSync(files.msi).mode & 0o077).toBe(0); // it carries the token, like the profile
    expect(msiProperty(files.msi, 'UpgradeCode')).toBe(msiProperty(built.msi!, 'UpgradeCode'));
    const profile = parsePlistXml(readFileSync(files.mobileconfig, 'utf8'));
    expect((profile.PayloadContent as Record<string, unknown>[])[0]).toMatchObject({ PayloadType: 'com.tally.agent', CollectorUrl: 'ws://127.0.0.1:9', EnrollToken: token });
    expect(statSync(files.mobileconfig).mode & 0o077).toBe(0);
  });
});

describe.skipIf(!run)('.pkg', () => {
  const pkg = () => built.pkg['darwin-arm64']!;
  let tree: string;
  beforeAll(() => {
    tree = mkdtempSync(join(out, 'pkg-'));
    sh('bsdtar', ['-xf', pkg(), '-C', tree]);
  });

  it('is a xar product archive with one component package', () => {
    expect(sh('bsdtar', ['-tf', pkg()]).trim().split('\n').sort()).toEqual(
      ['Distribution', 'tally-agent.pkg', 'tally-agent.pkg/Bom', 'tally-agent.pkg/PackageInfo', 'tally-agent.pkg/Payload', 'tally-agent.pkg/Scripts']);
    const distribution = readFileSync(join(tree, 'Distribution'), 'utf8');
    expect(distribution).toContain('hostArchitectures="arm64"');
    expect(distribution).toContain('#tally-agent.pkg</pkg-ref>');
    const info = readFileSync(join(tree, 'tally-agent.pkg/PackageInfo'), 'utf8');
    expect(info).toContain(`identifier="com.tally.agent" version="${version}" install-location="/"`);
    expect(info).toContain('<postinstall file="./postinstall"/>');
  });

  it('has a gzip cpio Payload with the executable and the LaunchDaemon, owned by root:wheel', () => {
    const listing = sh('bsdtar', ['-tvf', join(tree, 'tally-agent.pkg/Payload'), '--numeric-owner']);
    expect(listing).toMatch(/-rwxr-xr-x +1 0 +0 +\d+ .* \.\/Library\/Tally\/Agent\/tally-agent\n/);
    expect(listing).toMatch(/-rw-r--r-- +1 0 +0 +\d+ .* \.\/Library\/LaunchDaemons\/com\.tally\.agent\.plist\n/);
    expect(listing).toMatch(/-rwxr-xr-x +1 0 +0 +\d+ .* \.\/Library\/Tally\/Agent\/uninstall\.sh\n/);
    const payload = join(tree, 'payload');
    mkdirSync(payload);
    sh('bsdtar', ['-xf', join(tree, 'tally-agent.pkg/Payload'), '-C', payload]);
    expect(readFileSync(join(payload, 'Library/Tally/Agent/tally-agent')).equals(readFileSync(built.executables['darwin-arm64']!))).toBe(true);
    const daemon = parsePlistXml(readFileSync(join(payload, 'Library/LaunchDaemons/com.tally.agent.plist'), 'utf8'));
    expect(daemon).toMatchObject({ Label: 'com.tally.agent', ProgramArguments: ['/Library/Tally/Agent/tally-agent', 'run'], RunAtLoad: true, KeepAlive: true });
  });

  it('has a Bom that lists exactly the Payload, with POSIX cksum checksums', () => {
    const cpioList = sh('sh', ['-c', 'gzip -dc "$1" | cpio -it --quiet', 'sh', join(tree, 'tally-agent.pkg/Payload')]).trim().split('\n');
    const bom = readBomPaths(readFileSync(join(tree, 'tally-agent.pkg/Bom')));
    expect(bom.map((p) => p.path)).toEqual(cpioList);
    const exe = bom.find((p) => p.path === './Library/Tally/Agent/tally-agent')!;
    const [cksum, size] = sh('cksum', [built.executables['darwin-arm64']!]).split(' ');
    expect(exe).toMatchObject({ mode: 0o100755, uid: 0, gid: 0, size: Number(size), checksum: Number(cksum) });
    expect(bom.find((p) => p.path === './Library')).toMatchObject({ mode: 0o040755, uid: 0, gid: 0 });
  });

  it('has scripts that bootstrap the LaunchDaemon', () => {
    const scripts = join(tree, 'scripts');
    mkdirSync(scripts);
    sh('bsdtar', ['-xf', join(tree, 'tally-agent.pkg/Scripts'), '-C', scripts]);
    expect(statSync(join(scripts, 'postinstall')).mode & 0o111).toBe(0o111);
    expect(readFileSync(join(scripts, 'postinstall'), 'utf8')).toContain('launchctl bootstrap system "$PLIST"');
    expect(readFileSync(join(scripts, 'preinstall'), 'utf8')).toContain('launchctl bootout system/com.tally.agent');
    for (const f of ['postinstall', 'preinstall']) expect(sh('sh', ['-n', join(scripts, f)])).toBe('');
  });
});

describe.skipIf(!run)('RMM scripts', () => {
  it('ship with the packages', () => {
    expect(readdirSync(join(out, 'rmm')).sort()).toEqual(['install-tally-agent.ps1', 'install-tally-agent.sh', 'uninstall-tally-agent.ps1']);
  });

  it('use the exit codes Intune and msiexec use', () => {
    const install = readFileSync(join(root, 'installers/rmm/install-tally-agent.ps1'), 'utf8');
    for (const code of ['3010', '1641', '1603', '1618']) expect(install).toContain(code);
    expect(install).toContain('exit $code'); // msiexec's own exit code is passed through
    expect(install).toMatch(/already installed, configured and running[\s\S]*exit \$EXIT_SUCCESS/);
    expect(sh('bash', ['-n', join(root, 'installers/rmm/install-tally-agent.sh')])).toBe('');
  });
});
