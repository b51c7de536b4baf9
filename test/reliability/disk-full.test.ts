// The collector's database on a small tmpfs (8 MiB: the schema and its WAL alone
// took most of 2 MiB once the tables of webhooks, PSA, releases, summaries and
// month rows were added) that fills up while agents send.
//   - Clear errors: the collector logs storage_unavailable; agents get
//     Error STORAGE_UNAVAILABLE and close 1011; the process stays up.
//   - No acknowledgement without storage: every acknowledged second is in the
//     database, while the disk is full and after.
//   - Recovery: once space is freed, the agents' resent records all arrive,
//     exactly once (stored == sent for every device).
// Needs root to mount a tmpfs. CI runs as root: there a failed mount fails
// the test. A developer's machine without root skips it with a warning.
import { execFileSync } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shouldRun } from '../helpers/requirements.ts';
import { COLLECTOR_BIN, pollUntil, runCommand, startCollectorProcess, type Proc } from '../helpers/processes.ts';
import { SimAgent, checkBooks, storedSeconds, sumAnswers } from './lib/sim-agent.ts';
import { agentEndpoint } from '../../proto/index.ts';

const AGENTS = 10;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let base: string;
let mnt: string;
let mounted = false;
let collector: Proc | null = null;

const run = shouldRun('disk full (test/reliability/disk-full.test.ts)',
  process.getuid?.() === 0 ? { met: true } : { met: false, reason: 'mounting a tmpfs needs root' });

beforeAll(() => {
  if (!run) return;
  base = mkdtempSync(join(tmpdir(), 'tally-diskfull-'));
  mnt = join(base, 'mnt');
  mkdirSync(mnt);
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=8m', 'tmpfs', mnt], { stdio: 'pipe' });
    mounted = true;
  } catch (err) {
    throw new Error(`this test needs to mount an 8 MiB tmpfs (run it as root, as CI does): mount -t tmpfs -o size=8m tmpfs ${mnt} failed: ${(err as { stderr?: Buffer }).stderr?.toString().trim() || (err as Error).message}`);
  }
});
afterAll(async () => {
  await collector?.stop('SIGKILL');
  if (mounted) execFileSync('umount', ['-l', mnt]);
  if (base) rmSync(base, { recursive: true, force: true });
});

/** Writes zeros until the filesystem refuses (ENOSPC); returns the bytes written. */
function fill(path: string): number {
  const fd = openSync(path, 'w');
  const chunk = Buffer.alloc(16 * 1024);
  let written = 0;
  try {
    for (let i = 0; i < 100_000; i++) {
      try {
        written += writeSync(fd, chunk);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOSPC') break;
        throw err;
      }
    }
    // Fill the last partial page too.
    for (let i = 0; i < 64; i++) {
      try {
        written += writeSync(fd, chunk.subarray(0, 256));
      } catch {
        break;
      }
    }
  } finally {
    closeSync(fd);
  }
  return written;
}

describe.skipIf(!run)('disk full under the collector database', () => {
  it('refuses with clear errors, acknowledges nothing it did not store, and takes every resent record once space returns', async () => {
    const db = join(mnt, 'tally.db');
    const token = runCommand(COLLECTOR_BIN, ['token', 'create', '--company', 'Disk Full', '--init', '--db', db]);
    collector = await startCollectorProcess(db);
    const url = agentEndpoint((collector as Proc & { url: string }).url).href;
    const agents: SimAgent[] = [];
    for (let i = 0; i < AGENTS; i++) agents.push(await SimAgent.enrol(url, token, `disk-${i}`));

    let stopping = false;
    const loops = agents.map((a) => a.run(() => stopping, 300));
    await sleep(1_500);

    // Fill the disk while they send, and keep it full until the collector has said so.
    const filler = join(mnt, 'filler');
    const filled = fill(filler);
    const refusal = await pollUntil(async () => {
      fill(join(mnt, `filler-${Date.now()}`)); // whatever the collector freed (a checkpoint) is taken again
      return collector!.logs.find((l) => JSON.stringify(l).includes('storage_unavailable'));
    }, 20_000, 'the collector to log storage_unavailable while the disk is full');
    await pollUntil(async () => (sumAnswers(agents).STORAGE_UNAVAILABLE ?? 0) > 0 && (sumAnswers(agents).close_1011 ?? 0) > 0, 15_000,
      'an agent to be answered STORAGE_UNAVAILABLE and close 1011');
    await sleep(1_000);
    expect(collector.child.exitCode).toBeNull();
    // While full: every acknowledgement is backed by stored data.
    const whileFull = checkBooks(agents, await storedSeconds(db), false);
    const unackedWhileFull = agents.reduce((n, a) => n + a.outbox.size, 0);

    // Space returns: the filler goes, the agents' resends must all land, once.
    execFileSync('sh', ['-c', `rm -f ${JSON.stringify(mnt)}/filler*`]);
    await sleep(1_000);
    stopping = true;
    await Promise.all(loops);
    const deadline = Date.now() + 30_000;
    await Promise.all(agents.map((a) => a.drain(deadline)));
    expect(collector.child.exitCode).toBeNull();
    const health = await fetch(`${(collector as Proc & { url: string }).url}/healthz`);
    expect(health.status).toBe(200);
    await collector.stop('SIGTERM');
    collector = null;

    const stored = await storedSeconds(db);
    const problems = [...whileFull.map((p) => `while full: ${p}`), ...checkBooks(agents, stored, true)];
    const sent = agents.reduce((n, a) => n + a.sentSeconds, 0);
    console.log(`[reliability] disk full (8 MiB tmpfs, ${filled} bytes of filler): collector logged ${JSON.stringify(refusal.msg)} ` +
      `(${JSON.stringify((refusal as { err?: unknown }).err)}); ${unackedWhileFull} records unacknowledged while full; agents answered ${JSON.stringify(sumAnswers(agents))}; ` +
      `after recovery ${sent} s sent, ${[...stored.values()].reduce((a, b) => a + b, 0)} s stored, records lost: ${problems.length ? 'SEE FAILURES' : 0}`);
    expect(problems).toEqual([]);
  }, 120_000);
});
