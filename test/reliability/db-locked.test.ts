// Another process holds the collector's SQLite database locked (BEGIN
// EXCLUSIVE) for far longer than the collector's busy timeout (250 ms) while
// agents send.
//   - Clear errors: the collector logs storage_unavailable; agents get
//     Error STORAGE_UNAVAILABLE and close 1011; the process stays up.
//   - No acknowledgement without storage.
//   - The collector stays responsive: a write gives up after its short busy
//     timeout instead of stalling the event loop for the whole lock.
//   - Recovery: after the lock is released, every resent record arrives once.
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { COLLECTOR_BIN, pollUntil, runCommand, startCollectorProcess, type Proc } from '../helpers/processes.ts';
import { SimAgent, checkBooks, storedSeconds, sumAnswers } from './lib/sim-agent.ts';
import { agentEndpoint } from '../../proto/index.ts';

const AGENTS = 10;
/** Far longer than the collector's busy timeout (250 ms). */
const LOCK_MS = 7_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let dir: string;
let collector: (Proc & { url: string }) | null = null;
let locker: Database.Database | null = null;
afterAll(async () => {
  if (locker?.inTransaction) locker.exec('ROLLBACK');
  locker?.close();
  await collector?.stop('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

describe('database locked by another process', () => {
  it(`refuses with clear errors while locked for ${LOCK_MS} ms, acknowledges nothing it did not store, and recovers after release`, async () => {
    dir = mkdtempSync(join(tmpdir(), 'tally-locked-'));
    const db = join(dir, 'tally.db');
    const token = runCommand(COLLECTOR_BIN, ['token', 'create', '--company', 'Locked', '--init', '--db', db]);
    collector = await startCollectorProcess(db);
    const url = agentEndpoint(collector.url).href;
    const agents: SimAgent[] = [];
    for (let i = 0; i < AGENTS; i++) agents.push(await SimAgent.enrol(url, token, `locked-${i}`));

    let stopping = false;
    const loops = agents.map((a) => a.run(() => stopping, 300));
    await sleep(1_500);

    locker = new Database(db);
    locker.pragma('busy_timeout = 10000');
    locker.exec('BEGIN EXCLUSIVE');
    const lockedAt = Date.now();
    await sleep(2_000);
    // How long the collector takes to answer /healthz while writes keep failing on the lock.
    const h0 = Date.now();
    const healthWhileLocked = await fetch(`${collector.url}/healthz`, { signal: AbortSignal.timeout(LOCK_MS) }).then((r) => r.status, () => 'no answer');
    const healthMs = Date.now() - h0;
    // Before the 250 ms busy timeout (it was 5 s), nothing answered for the whole lock.
    expect(healthWhileLocked).toBe(200);
    expect(healthMs).toBeLessThan(3_000);
    await sleep(Math.max(0, LOCK_MS - (Date.now() - lockedAt)));
    // Still locked: what was acknowledged so far is stored (read through the lock holder's own connection).
    const rows = locker.prepare('SELECT device_id AS d, sum(awake_seconds) AS s FROM device_days GROUP BY device_id').all() as { d: string; s: number }[];
    const whileLocked = checkBooks(agents, new Map(rows.map((r) => [r.d, r.s])), false);
    const answersWhileLocked = sumAnswers(agents);
    locker.exec('ROLLBACK');
    locker.close();
    locker = null;
    const heldMs = Date.now() - lockedAt;

    const refusal = await pollUntil(async () => collector!.logs.find((l) => JSON.stringify(l).includes('storage_unavailable')), 10_000,
      'the collector to log storage_unavailable for the locked database');
    await sleep(1_000);
    stopping = true;
    await Promise.all(loops);
    const deadline = Date.now() + 30_000;
    await Promise.all(agents.map((a) => a.drain(deadline)));
    expect(collector.child.exitCode).toBeNull();
    expect((await fetch(`${collector.url}/healthz`)).status).toBe(200);
    await collector.stop('SIGTERM');
    collector = null;

    const stored = await storedSeconds(db);
    const problems = [...whileLocked.map((p) => `while locked: ${p}`), ...checkBooks(agents, stored, true)];
    const sent = agents.reduce((n, a) => n + a.sentSeconds, 0);
    console.log(`[reliability] database locked ${heldMs} ms by another process: collector logged ${JSON.stringify(refusal.msg)} ` +
      `(${JSON.stringify((refusal as { err?: unknown }).err)}); agents answered while locked ${JSON.stringify(answersWhileLocked)}; /healthz while locked: ${healthWhileLocked} after ${healthMs} ms; ` +
      `after release ${sent} s sent, ${[...stored.values()].reduce((a, b) => a + b, 0)} s stored, records lost: ${problems.length ? 'SEE FAILURES' : 0}`);
    expect(answersWhileLocked.STORAGE_UNAVAILABLE ?? 0).toBeGreaterThan(0);
    expect(answersWhileLocked.close_1011 ?? 0).toBeGreaterThan(0);
    expect(problems).toEqual([]);
  }, 120_000);
});
