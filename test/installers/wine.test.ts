// The Windows build, run under Wine (Debian's wine 8, 64-bit prefix set to
// Windows 10): the agent executable (version, facts without PowerShell, run
// against a real collector, a stale lock whose pid belongs to another live
// process) and the MSI (install with SERVER_URL/ENROLL_TOKEN, the service
// enrolling, uninstall that reports and purges; upgrades and re-installs need
// real Windows, see below).
// One prefix for the whole suite, and a total time budget. Under CI a missing
// wine fails the suite (.ci/run installs it); elsewhere it is skipped with a
// warning. What only real Windows can prove is listed in installers/README.md.
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { get as httpGet } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build, packageVersion, type BuildResult } from '../../scripts/package/build.ts';
import { targetById } from '../../scripts/package/targets.ts';
import { TOOL_PACKAGES } from '../../scripts/package/tools.ts';
import { commandsAvailable, shouldRun } from '../helpers/requirements.ts';
import { COLLECTOR_BIN, pollUntil, runCommand, startCollectorProcess, type Proc } from '../helpers/processes.ts';

const root = resolve(import.meta.dirname, '../..');
const version = packageVersion(root);
/** The whole suite, build and prefix included, must finish within this. */
const BUDGET_MS = 6 * 60_000;
const started = Date.now();
const left = () => BUDGET_MS - (Date.now() - started);

const NEEDED = { wine: 'wine wine64', wineboot: 'wine', wineserver: 'wine', ...Object.fromEntries(['wixl', 'msibuild', 'msiinfo', 'x86_64-w64-mingw32-gcc', 'tar'].map((t) => [t, TOOL_PACKAGES[t]!])) };
const run = shouldRun('Windows build under Wine (test/installers/wine.test.ts)', commandsAvailable(NEEDED));

let out: string;
let prefix: string;
let built: BuildResult;
let collector: Proc & { url: string; port: number };
let apiKey: string;
const db = () => join(out, 'tally.db');
const wineEnv = () => ({ ...process.env, WINEPREFIX: prefix, WINEARCH: 'win64', WINEDEBUG: '-all', WINEDLLOVERRIDES: 'mscoree,mshtml=', HTTPS_PROXY: '', HTTP_PROXY: '', TALLY_AGENT_CONFIG: '' });
/** A Linux path as Windows programs under Wine see it (drive Z: is /). */
const winPath = (p: string) => `Z:${p.replace(/\//g, '\\')}`;
/** A path inside the prefix's C: drive. */
const cDrive = (...parts: string[]) => join(prefix, 'drive_c', ...parts);

let captures = 0;
/** Files for a Windows process's stdout and stderr: Node under Wine cannot write to a Unix pipe (EBADF), but to a file it can. */
function captureFiles(): { out: string; err: string; fds: [number, number] } {
  const base = join(out, `capture-${++captures}`);
  const files = { out: `${base}.out`, err: `${base}.err` };
  return { ...files, fds: [openSync(files.out, 'w'), openSync(files.err, 'w')] };
}

function wine(args: string[], timeoutMs = 60_000) {
  const capture = captureFiles();
  const r = spawnSync('wine', args, { env: wineEnv(), timeout: Math.min(timeoutMs, left()), stdio: ['ignore', capture.fds[0], capture.fds[1]] });
  for (const fd of capture.fds) closeSync(fd);
  return { code: r.status, out: readFileSync(capture.out, 'utf8'), err: readFileSync(capture.err, 'utf8') };
}

/** A long-running Windows process (the agent), with its JSON log lines. */
function wineProcess(args: string[]): { logs: Record<string, unknown>[]; stop: () => void; waitFor: (pred: (l: Record<string, unknown>) => boolean, ms?: number) => Promise<Record<string, unknown>> } {
  const capture = captureFiles();
  const child = spawn('wine', args, { env: wineEnv(), stdio: ['ignore', capture.fds[0], capture.fds[1]] });
  for (const fd of capture.fds) closeSync(fd);
  const logs: Record<string, unknown>[] = [];
  const read = () => {
    const raw = readFileSync(capture.err, 'utf8');
    logs.splice(0, logs.length, ...raw.split(/\r?\n/).flatMap((line) => {
      try {
        return [JSON.parse(line) as Record<string, unknown>];
      } catch {
        return [];
      }
    }));
    return raw;
  };
  return {
    logs,
    stop: () => child.kill('SIGKILL'),
    waitFor: (pred, ms = 60_000) => pollUntil(async () => {
      const raw = read();
      const found = logs.find(pred);
      if (found) return found;
      if (child.exitCode !== null) throw new Error(`exited ${child.exitCode}: ${raw.slice(-2000)}`);
      return undefined;
    }, Math.min(ms, left()), 'a log line'),
  };
}

async function devices(): Promise<{ id: string; companyName: string; uninstalledAt: string | null }[]> {
  // A fresh connection each time: the wine calls block this process for seconds (spawnSync), long enough for the
  // collector to close a kept-alive socket that fetch would then reuse ("other side closed").
  const body = await new Promise<string>((resolve, reject) => {
    const req = httpGet(`${collector.url}/api/v1/devices`, { headers: { authorization: `Bearer ${apiKey}` }, agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (c: string) => (text += c)).on('end', () => resolve(text)).on('error', reject);
    });
    req.on('error', reject);
  });
  return (JSON.parse(body) as { devices: { id: string; companyName: string; uninstalledAt: string | null }[] }).devices;
}
const token = (company: string) => runCommand(COLLECTOR_BIN, ['token', 'create', '--company', company, '--init', '--db', db()]);

beforeAll(async () => {
  if (!run) return;
  out = mkdtempSync(join(tmpdir(), 'tally-wine-'));
  prefix = join(out, 'prefix');
  // The build (cached Node binaries) and the prefix are made side by side.
  const building = build({ root, outDir: join(out, 'dist'), cacheDir: join(root, 'dist/.cache'), targets: [targetById('win-x64')], formats: ['exe', 'msi'], log: () => {} });
  const boot = spawnSync('wineboot', ['-i'], { env: wineEnv(), timeout: 120_000, encoding: 'utf8' });
  if (boot.status !== 0) throw new Error(`wineboot failed: ${boot.stderr}`);
  const win10 = wine(['winecfg', '/v', 'win10']);
  if (win10.code !== 0) throw new Error(`winecfg /v win10 failed: ${win10.err}`);
  built = await building;
  apiKey = runCommand(COLLECTOR_BIN, ['apikey', 'create', '--init', '--db', db()]);
  collector = await startCollectorProcess(db());
}, 300_000);

afterAll(async () => {
  if (!run) return;
  spawnSync('wineserver', ['-k'], { env: wineEnv(), timeout: 30_000 });
  await collector?.stop('SIGKILL');
  // TALLY_KEEP_WINE=1 keeps the prefix, captures and collector database for a look after a failure.
  if (process.env.TALLY_KEEP_WINE) console.log(`[wine] kept ${out}`);
  else rmSync(out, { recursive: true, force: true });
  console.log(`[wine] suite took ${((Date.now() - started) / 1000).toFixed(0)} s`);
}, 60_000);

describe.skipIf(!run).sequential('tally-agent-win-x64.exe under Wine', () => {
  const exe = () => built.executables['win-x64']!;

  it('prints its version and help', () => {
    expect(wine([exe(), 'version']).out.trim()).toBe(version);
    const help = wine([exe(), '--help']);
    expect(help.code).toBe(0);
    expect(help.out).toMatch(/usage: tally-agent/);
    expect(help.out).toMatch(/doctor/);
  });

  it('collects facts without PowerShell (Wine\'s stub exits at once): JSON out, a note per CIM query, unknown instead of guessed', () => {
    const r = wine([exe(), 'facts', '--json', '--state-dir', 'C:\\tally-facts']);
    expect(r.code).toBe(0);
    const facts = JSON.parse(r.out);
    expect(facts).toMatchObject({ platform: 'windows', os: { platform: 'windows', name: 'Microsoft Windows 10' }, role: 'workstation', virtual: null });
    for (const q of ['computerSystem', 'operatingSystem', 'hardware', 'userProfiles']) expect(facts.notes).toContain(`powershell ${q}: empty output`);
    expect(facts.hardware.memoryBytes).toBeGreaterThan(0);
  });

  it('runs against a real collector; a lock left with the pid of another live process does not stop a second agent', async () => {
    const first = wineProcess([exe(), 'run', '--collector', `ws://127.0.0.1:${collector.port}`, '--token', token('Wine Run Co'), '--state-dir', 'C:\\tally-run-1', '--interval', '2']);
    try {
      const startedLine = await first.waitFor((l) => l.msg === 'agent started');
      await first.waitFor((l) => l.msg === 'enrolled');
      await first.waitFor((l) => l.msg === 'reports acknowledged');
      // The service-stop case from the field: the lock names a pid that is alive but is not an agent of this state directory.
      const stateDir = cDrive('tally-run-2');
      mkdirSync(join(stateDir, 'outbox'), { recursive: true });
      writeFileSync(join(stateDir, 'outbox', 'outbox.lock'), JSON.stringify({ pid: startedLine.pid, createdAtMs: Date.now() }));
      const second = wineProcess([exe(), 'run', '--collector', `ws://127.0.0.1:${collector.port}`, '--token', token('Wine Run Co'), '--state-dir', 'C:\\tally-run-2', '--interval', '2']);
      try {
        await second.waitFor((l) => l.msg === 'enrolled');
      } finally {
        second.stop();
      }
      // The same state directory twice is still refused while its agent runs.
      const twice = wine([exe(), 'run', '--collector', `ws://127.0.0.1:${collector.port}`, '--state-dir', 'C:\\tally-run-1'], 60_000);
      expect(twice.code).toBe(2);
      expect(twice.err).toMatch(/another tally-agent is running/);
    } finally {
      first.stop();
    }
    expect((await devices()).filter((d) => d.companyName === 'Wine Run Co')).toHaveLength(2);
  }, 180_000);
});

describe.skipIf(!run).sequential('the MSI under Wine', () => {
  // %ProgramData% is C:\\users\\Public for Wine's services, C:\\ProgramData on Windows: take the one the service used.
  const candidates = () => [cDrive('ProgramData'), cDrive('users', 'Public')].map((d) => join(d, 'Tally', 'agent'));
  let stateDirUsed: string;
  const msiexec = (args: string[]) => wine(['msiexec', ...args], 180_000);
  let deviceId: string;

  it('installs with SERVER_URL and ENROLL_TOKEN; the service starts the agent, which enrols', async () => {
    const r = msiexec(['/i', winPath(built.msi!), '/qn', `SERVER_URL=ws://127.0.0.1:${collector.port}`, `ENROLL_TOKEN=${token('Wine MSI Co')}`]);
    expect(r.code, r.err).toBe(0);
    expect(existsSync(cDrive('Program Files', 'Tally', 'Agent', 'tally-agent.exe'))).toBe(true);
    const device = await pollUntil(async () => (await devices()).find((d) => d.companyName === 'Wine MSI Co'), Math.min(90_000, left()), 'the service to enrol');
    deviceId = device.id;
    // The collector knows the device as soon as it has welcomed it; the agent writes its key just after.
    stateDirUsed = await pollUntil(async () => candidates().find((d) => existsSync(join(d, 'credentials.json'))), Math.min(30_000, left()), 'the device key on disk');
    expect(JSON.parse(readFileSync(join(stateDirUsed, 'credentials.json'), 'utf8')).deviceId).toBe(deviceId);
  }, 240_000);

  // Upgrades and same-version re-installs are not run here: Wine's msiexec stops (exit 67/91) in RemoveExistingProducts placed after
  // InstallInitialize, the placement that keeps a failed upgrade from leaving no agent on Windows.
  // The MSI tables are checked in packages.test.ts; the upgrade itself needs real Windows (installers/README.md).

  it('uninstalls: the collector is told, and the device key, instance id and journal are gone', async () => {
    const r = msiexec(['/x', winPath(built.msi!), '/qn']);
    expect(r.code, r.err).toBe(0);
    const device = await pollUntil(async () => (await devices()).find((d) => d.id === deviceId && d.uninstalledAt), Math.min(60_000, left()), 'the uninstall event');
    expect(device.uninstalledAt).not.toBeNull();
    expect(existsSync(join(stateDirUsed, 'credentials.json'))).toBe(false);
    expect(existsSync(join(stateDirUsed, 'instance-id'))).toBe(false);
    expect(existsSync(join(stateDirUsed, 'outbox', 'journal.log'))).toBe(false);
    expect(existsSync(cDrive('Program Files', 'Tally', 'Agent', 'tally-agent.exe'))).toBe(false);
  }, 240_000);
});
