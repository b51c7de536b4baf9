// Auto-update end to end on Linux, with the real .deb and the real packaged
// executable: two agent versions built as single executables and packaged
// (scripts/package), a third package whose binary crashes at start (a bad
// release), a real collector process with the releases signed by a test
// release key, and the agent installed with dpkg into a scratch root
// (dpkg --root, maintainer scripts outside a chroot: $DPKG_ROOT). The test
// plays systemd's part (Restart=always): it starts the installed binary again
// whenever it exits.
//
//   1. 0.1.0 installed and enrolled; 0.1.1 published and rolled out: the agent
//      downloads, verifies, installs 0.1.1 with dpkg, 0.1.1 reports, confirmed.
//   2. 0.1.2 (never reports) published: installed, does not report within the
//      deadline, and 0.1.1 is reinstalled from the package kept aside; 0.1.2 is
//      never installed again.
//
// Needs root (dpkg into a scratch root), dpkg and the packaging tools; skipped
// with a warning elsewhere, fails under CI like the other installer suites.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateReleaseKeyPair } from '../../common/release-manifest.ts';
import { bundleAgent } from '../../scripts/package/bundle.ts';
import { buildDeb } from '../../scripts/package/linux-packages.ts';
import { nodeBinary } from '../../scripts/package/node-binaries.ts';
import { buildExecutable, makeSeaBlob } from '../../scripts/package/sea.ts';
import { targetById } from '../../scripts/package/targets.ts';
import { COLLECTOR_BIN, pollUntil, runCommand, startCollectorProcess, type Proc } from '../helpers/processes.ts';
import { commandsAvailable, shouldRun, type Requirement } from '../helpers/requirements.ts';

const root = resolve(import.meta.dirname, '../..');
const target = targetById('linux-x64');
const isRoot = process.getuid?.() === 0;
const requirement: Requirement = isRoot ? commandsAvailable({ dpkg: 'dpkg', 'dpkg-deb': 'dpkg', strip: 'binutils', tar: 'tar' }) : { met: false, reason: 'needs root (dpkg installs into a scratch root)' };
const run = shouldRun('auto-update end to end (test/installers/auto-update.test.ts)', requirement);

let out: string;
const debs: Record<string, string> = {};

function sh(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8', env, maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status ?? r.error?.message}): ${r.stderr}${r.stdout}`);
  return r.stdout;
}

beforeAll(async () => {
  if (!run) return;
  out = mkdtempSync(join(tmpdir(), 'tally-update-e2e-'));
  const work = join(out, 'work');
  mkdirSync(work);
  const node = nodeBinary(target, join(root, 'dist/.cache'));
  for (const version of ['0.1.0', '0.1.1']) {
    const bundle = join(work, `agent-${version}.cjs`);
    const blob = join(work, `agent-${version}.blob`);
    const exe = join(work, `tally-agent-${version}`);
    await bundleAgent(root, bundle, version);
    makeSeaBlob(node, bundle, blob);
    await buildExecutable(target, node, blob, exe);
    debs[version] = buildDeb({ root, target, executable: exe, version, outDir: out, workDir: work });
    rmSync(exe);
  }
  // A bad release: its binary dies at start, so it never reports.
  const broken = join(work, 'tally-agent-broken');
  writeFileSync(broken, '#!/bin/sh\necho "tally-agent 0.1.2: cannot start" >&2\nexit 1\n');
  chmodSync(broken, 0o755);
  debs['0.1.2'] = buildDeb({ root, target, executable: broken, version: '0.1.2', outDir: out, workDir: work });
}, 600_000);

afterAll(() => {
  if (out) rmSync(out, { recursive: true, force: true });
});

/** An empty dpkg root whose database says the package's dependencies (present on this machine) are installed. */
function scratchRoot(dir: string): void {
  for (const d of ['var/lib/dpkg/info', 'var/lib/dpkg/updates', 'var/lib/dpkg/triggers', 'usr/bin', 'etc', 'tmp']) mkdirSync(join(dir, d), { recursive: true });
  const stub = (pkg: string, version: string) => `Package: ${pkg}\nStatus: install ok installed\nPriority: optional\nSection: libs\nArchitecture: amd64\nVersion: ${version}\nDescription: present on the host (test stub)\n`;
  writeFileSync(join(dir, 'var/lib/dpkg/status'), `${stub('libc6', '2.36-9')}\n${stub('libstdc++6', '12.2.0-14')}\n`);
  writeFileSync(join(dir, 'var/lib/dpkg/available'), '');
}

const installedVersion = (dpkgRoot: string) => sh('dpkg-query', ['--admindir', join(dpkgRoot, 'var/lib/dpkg'), '-W', '-f=${Version}', 'tally-agent']).trim();

describe.skipIf(!run)('auto-update of the packaged agent on Linux (.deb)', () => {
  let collector: (Proc & { url: string; port: number }) | undefined;
  let agent: ChildProcess | null = null;
  let supervising = true;
  let agentLog = '';

  let stateDir: string | undefined;
  afterAll(async () => {
    supervising = false;
    agent?.kill('SIGKILL');
    // An installer process still running (a failed run): stopped by its pid, from its lock file.
    try {
      const pid = Number(readFileSync(join(stateDir!, 'update/apply.lock'), 'utf8'));
      if (pid > 1) process.kill(pid, 'SIGKILL');
    } catch {
      // none left: the normal case
    }
    await collector?.stop('SIGKILL');
  });

  it('updates to a release that reports, and rolls back one that does not', async () => {
    const dir = join(out, 'e2e');
    const dpkgRoot = join(dir, 'root');
    const state = join(dir, 'state');
    stateDir = state;
    const releases = join(dir, 'releases');
    scratchRoot(dpkgRoot);
    mkdirSync(releases);

    // The release key, kept "offline" in this directory; the public key is pinned in the collector and the agent.
    const keyDir = join(dir, 'keys');
    mkdirSync(keyDir);
    const publicKey = runCommand(COLLECTOR_BIN, ['release', 'keygen', '--out', keyDir]).trim();
    expect(publicKey).toMatch(/^ed25519:/);
    expect(readFileSync(join(keyDir, 'release-key.pem'), 'utf8')).toContain('PRIVATE KEY');
    const sign = (version: string, sequence: number) => {
      const signed = join(dir, `release-${version}.json`);
      runCommand(COLLECTOR_BIN, ['release', 'sign', '--key', join(keyDir, 'release-key.pem'), '--version', version, '--sequence', String(sequence),
        '--artifact', `linux-x64-deb=${debs[version]}`, '--out', signed]);
      return signed;
    };

    const db = join(dir, 'tally.db');
    const apiKey = runCommand(COLLECTOR_BIN, ['apikey', 'create', '--init', '--db', db]);
    const token = runCommand(COLLECTOR_BIN, ['token', 'create', '--company', 'Updated Dental', '--init', '--db', db]);
    const collectorArgs = ['--releases-dir', releases, '--release-keys', publicKey];
    const publish = (version: string, sequence: number) => JSON.parse(runCommand(COLLECTOR_BIN, ['release', 'publish', '--signed', sign(version, sequence), '--artifacts', out, '--db', db, ...collectorArgs]));
    // 0.1.0, the version installed: published so agents can keep its package aside for a rollback; rolled out to nobody.
    expect(publish('0.1.0', 1)).toMatchObject({ sequence: 1, version: '0.1.0' });
    collector = await startCollectorProcess(db, collectorArgs);

    // Install 0.1.0 as an RMM would, with the key pinned at install time.
    sh('dpkg', ['--root', dpkgRoot, '--force-script-chrootless', '-i', debs['0.1.0']], { ...process.env, TALLY_UPDATE_PUBLIC_KEY: publicKey, TALLY_COLLECTOR_URL: collector.url, TALLY_ENROLL_TOKEN: token });
    expect(installedVersion(dpkgRoot)).toBe('0.1.0');
    const envFile = readFileSync(join(dpkgRoot, 'etc/tally-agent/agent.env'), 'utf8');
    expect(envFile).toContain(`TALLY_UPDATE_PUBLIC_KEY=${publicKey}\n`);

    // The service: the installed binary, started again whenever it exits (systemd's Restart=always).
    const env = {
      ...process.env, TALLY_AGENT_CONFIG: join(dir, 'none.json'), TALLY_UPDATE_PUBLIC_KEY: publicKey, TALLY_UPDATE_INTERVAL: '2', TALLY_UPDATE_DEADLINE: '15',
      TALLY_UPDATE_DPKG_ROOT: dpkgRoot,
    };
    writeFileSync(join(dir, 'none.json'), '{}');
    const supervise = () => {
      if (!supervising) return;
      const child = spawn(join(dpkgRoot, 'usr/bin/tally-agent'), ['run', '--collector', `ws://127.0.0.1:${collector!.port}`, '--token', token, '--state-dir', state, '--interval', '1'],
        { env, stdio: ['ignore', 'ignore', 'pipe'] });
      child.stderr!.on('data', (d) => (agentLog = (agentLog + d).slice(-200_000)));
      child.on('exit', () => {
        if (agent === child) agent = null;
        setTimeout(supervise, 500);
      });
      agent = child;
    };
    supervise();

    const device = async () => {
      const res = await fetch(`${collector!.url}/api/v1/devices`, { headers: { authorization: `Bearer ${apiKey}` } });
      return ((await res.json()) as { devices: { id: string; agentVersion: string }[] }).devices[0] ?? null;
    };
    const first = await pollUntil(device, 30_000, 'the 0.1.0 agent to enrol');
    expect(first.agentVersion).toBe('0.1.0');
    // The file itself: while the broken 0.1.2 is installed, its binary cannot print it.
    const updateState = () => JSON.parse(readFileSync(join(state, 'update/state.json'), 'utf8'));

    // 1. 0.1.1, rolled out to everyone: installed with dpkg, reports, confirmed.
    publish('0.1.1', 2);
    runCommand(COLLECTOR_BIN, ['release', 'rollout', '2', '--percent', '100', '--db', db]);
    await pollUntil(async () => (await device())?.agentVersion === '0.1.1', 90_000, `the agent to report as 0.1.1; log:\n${agentLog.slice(-3000)}`);
    await pollUntil(async () => updateState().last?.outcome === 'updated', 30_000, 'the update to be confirmed');
    expect(installedVersion(dpkgRoot)).toBe('0.1.1');
    expect(updateState()).toMatchObject({ highestSequence: 2, pending: null, current: { version: '0.1.1', sequence: 2 }, failed: [] });
    expect(sh(join(dpkgRoot, 'usr/bin/tally-agent'), ['version']).trim()).toBe('0.1.1');
    expect(JSON.parse(sh(join(dpkgRoot, 'usr/bin/tally-agent'), ['update', 'status', '--json', '--state-dir', state]))).toEqual(updateState());
    expect(sh(join(dpkgRoot, 'usr/bin/tally-agent'), ['update', 'status', '--state-dir', state])).toMatch(/last outcome: +updated 0\.1\.1/);

    // 2. 0.1.2 never reports: installed, then 0.1.1 reinstalled at the deadline.
    publish('0.1.2', 3);
    runCommand(COLLECTOR_BIN, ['release', 'rollout', '3', '--percent', '100', '--db', db]);
    await pollUntil(async () => installedVersion(dpkgRoot) === '0.1.2', 60_000, `0.1.2 to be installed; log:\n${agentLog.slice(-3000)}`);
    const rolledBack = await pollUntil(async () => {
      const s = updateState();
      return s.last?.outcome === 'rolled_back' ? s : null;
    }, 60_000, `the rollback; apply log:\n${(() => { try { return readFileSync(join(state, 'update/apply.log'), 'utf8').slice(-3000); } catch { return ''; } })()}`);
    expect(rolledBack).toMatchObject({ pending: null, failed: [3], current: { version: '0.1.1' }, last: { version: '0.1.2', sequence: 3 } });
    expect(rolledBack.last.reason).toMatch(/did not report to the collector within 15 s/);
    expect(installedVersion(dpkgRoot)).toBe('0.1.1');
    // What an admin on the machine sees: `status` names the update's outcome and its reason.
    const status = JSON.parse(sh(join(dpkgRoot, 'usr/bin/tally-agent'), ['status', '--json', '--state-dir', state]));
    expect(status.update.last).toMatchObject({ outcome: expect.stringMatching(/^(rolled_back|refused)$/), version: '0.1.2', reason: expect.stringMatching(/did not report|rolled back here before/) });
    // 0.1.1 runs and reports again; 0.1.2, still offered, is refused from now on.
    const reportedAfter = Date.now();
    await pollUntil(async () => {
      const d = await device();
      return d?.agentVersion === '0.1.1' && (JSON.parse(readFileSync(join(state, 'status.json'), 'utf8')).lastConnectedAtMs ?? 0) > reportedAfter - 20_000 && agent !== null;
    }, 60_000, 'the rolled-back 0.1.1 to report');
    await pollUntil(async () => /rolled back here before/.test(updateState().last?.reason ?? ''), 30_000, 'the failed release to be refused');
    expect(installedVersion(dpkgRoot)).toBe('0.1.1');
    const applyLog = readFileSync(join(state, 'update/apply.log'), 'utf8');
    expect(applyLog).toContain('"msg":"rolling back"');
    expect(agentLog).toContain('"msg":"update staged"');
  }, 300_000);
});
