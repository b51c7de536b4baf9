// Several group commits at once on a real PostgreSQL server (the collector's
// default there: storage.ingest.concurrentBatches = 2). A commit held up in
// the server (here by a row lock another session holds) does not hold up the
// frames that arrive after it; two commits that share a device (an agent
// whose new connection sends while its old one still drains) are ordered by
// the store's row locks: each record stored once, the day clamped at 86,400 s.
// Needs TALLY_TEST_PG_URL (skipped with a warning when unset, a failure when CI=true).
import type pg from 'pg';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { IngestBatcher } from '../../../collector/src/ingest/batcher.ts';
import { openPostgresStorage } from '../../../collector/src/storage/postgres/index.ts';
import type { Storage, UsageUnit } from '../../../collector/src/storage/types.ts';
import { createTestDatabase, pgServerConfigured, pgTestSetting, testPool, type TestDatabase } from '../../helpers/postgres.ts';
import { shouldRun } from '../../helpers/requirements.ts';
import { seedCustomer } from '../../helpers/seed.ts';

const NOW = Date.UTC(2026, 10, 15, 12);
const DAY = Math.floor(NOW / 86_400_000);
const OPEN = () => ({ adjustableFromDay: 0 });
const setting = pgTestSetting();
const run = shouldRun('PostgreSQL group commits', pgServerConfigured(setting));

describe.skipIf(!run)('IngestBatcher on PostgreSQL, several commits at once', () => {
  let db: TestDatabase;
  let storage: Storage;
  let raw: pg.Pool;
  let companyId: string;
  let inFlight = 0;
  let maxInFlight = 0;

  /** The real store, counting the group commits in flight. */
  const counted = (s: Storage): Storage => ({ ...s, ingest: { ...s.ingest, ingestUsageBatch: async (units, now, late) => {
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    try {
      return await s.ingest.ingestUsageBatch(units, now, late);
    } finally {
      inFlight--;
    }
  } } });

  const frame = (deviceId: string, seqs: number[], seconds: number): UsageUnit =>
    ({ deviceId, companyId, records: seqs.map((seq) => ({ stream: 'usage', seq, utcDay: DAY, awakeSeconds: seconds, bootId: 'b' })), floors: [] });

  const stored = async () => Object.fromEntries((await raw.query<{ device_id: string; awake_seconds: number }>(
    'SELECT device_id, awake_seconds FROM device_days WHERE utc_day = $1 ORDER BY device_id', [DAY])).rows.map((r) => [r.device_id, r.awake_seconds]));

  /** Locks still held when a test ends (it failed before releasing them): released in afterEach. */
  const heldLocks = new Set<() => Promise<void>>();

  /** Another session holds the device's row lock until release() (what a slow commit of another collector does). */
  async function holdDevice(deviceId: string) {
    const c = await raw.connect();
    await c.query('BEGIN');
    await c.query('SELECT id FROM devices WHERE id = $1 FOR UPDATE', [deviceId]);
    const release = async () => {
      if (!heldLocks.delete(release)) return;
      await c.query('COMMIT');
      c.release();
    };
    heldLocks.add(release);
    return release;
  }

  /** Until a session of the collector's pool waits for a row lock (bounded: 5 s). */
  async function untilWaitingOnLock(count = 1) {
    const deadline = Date.now() + 5_000;
    for (;;) {
      const r = await raw.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_stat_activity
        WHERE datname = current_database() AND application_name = 'tally-collector' AND wait_event_type = 'Lock'`);
      if (r.rows[0].n >= count) return;
      if (Date.now() > deadline) throw new Error(`no ${count} commit(s) waiting on a lock within 5 s`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  beforeAll(async () => {
    db = await createTestDatabase(setting.run ? setting.url : '');
    storage = await openPostgresStorage({ url: db.url, nowMs: NOW });
    raw = testPool(db.url, 3);
    companyId = (await seedCustomer(storage, 'Acme', NOW)).id;
    for (let i = 0; i < 40; i++) {
      await storage.enrolment.enrolDevice({ deviceId: `d${String(i).padStart(2, '0')}`, companyId, keyHash: `k${i}`, instanceId: `i${i}`, hostname: `h${i}`, facts: null, agentVersion: 't', nowMs: NOW });
    }
  });
  afterEach(async () => {
    for (const release of [...heldLocks]) await release();
  });
  beforeEach(async () => {
    await raw.query('DELETE FROM device_days; DELETE FROM receipts; DELETE FROM stream_floors');
    maxInFlight = 0;
  });
  afterAll(async () => {
    await storage?.close();
    await raw?.end();
    await db?.drop();
  });

  it('runs two commits at once by default: one held up in the server does not hold up the frames after it', async () => {
    expect(storage.ingest.concurrentBatches).toBe(2);
    const b = new IngestBatcher({ storage: counted(storage), now: () => NOW, latePolicy: OPEN, maxDelayMs: 1 });
    const release = await holdDevice('d00');
    const held = b.submit(frame('d00', [1], 100));
    let heldDone = false;
    void held.then(() => { heldDone = true; });
    await untilWaitingOnLock();
    const others = ['d01', 'd02', 'd03'].map((id) => b.submit(frame(id, [1, 2], 50)));
    expect((await Promise.all(others)).map((r) => r.outcomes)).toEqual([['stored', 'stored'], ['stored', 'stored'], ['stored', 'stored']]);
    expect(heldDone).toBe(false);
    expect(await stored()).toEqual({ d01: 100, d02: 100, d03: 100 });
    await release();
    expect((await held).outcomes).toEqual(['stored']);
    expect(await stored()).toEqual({ d00: 100, d01: 100, d02: 100, d03: 100 });
    expect(maxInFlight).toBe(2);
  });

  it('orders two commits that share a device: each record once, the day clamped at 86,400 s', async () => {
    const b = new IngestBatcher({ storage: counted(storage), now: () => NOW, latePolicy: OPEN, maxDelayMs: 1 });
    const release = await holdDevice('d10');
    // The old connection's frame, then the new connection's resend of seq 2 with seq 3.
    const first = b.submit(frame('d10', [1, 2], 40_000));
    await untilWaitingOnLock(1);
    const second = b.submit(frame('d10', [2, 3], 40_000));
    await untilWaitingOnLock(2);
    await release();
    const [a, c] = await Promise.all([first, second]);
    const outcomes = [...a.outcomes, ...c.outcomes];
    expect(outcomes.filter((o) => o === 'stored')).toHaveLength(3);
    expect(outcomes.filter((o) => o === 'duplicate')).toHaveLength(1);
    // 3 x 40,000 s stored, 86,400 s kept: the rest is reported as clamped, once.
    expect(a.clampedSeconds + c.clampedSeconds).toBe(3 * 40_000 - 86_400);
    expect(await stored()).toEqual({ d10: 86_400 });
    expect(maxInFlight).toBe(2);
  });

  it('a commit whose connection dies rejects only its own frames; resent, they are stored once', async () => {
    const b = new IngestBatcher({ storage: counted(storage), now: () => NOW, latePolicy: OPEN, maxDelayMs: 1 });
    const release = await holdDevice('d20');
    const doomed = [b.submit(frame('d20', [1, 2], 10)), b.submit(frame('d21', [1], 10))];
    await untilWaitingOnLock();
    const fine = b.submit(frame('d22', [1], 10));
    // The server ends the waiting commit's session (a failover, an admin, a crash of its backend).
    const killed = await raw.query<{ ok: boolean }>(`SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity
      WHERE datname = current_database() AND application_name = 'tally-collector' AND wait_event_type = 'Lock'`);
    expect(killed.rows).toEqual([{ ok: true }]);
    const outcomes = await Promise.allSettled(doomed);
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected']);
    expect((outcomes[0] as PromiseRejectedResult).reason).toMatchObject({ code: 'storage_unavailable' });
    expect((await fine).outcomes).toEqual(['stored']);
    await release();
    expect(await stored()).toEqual({ d22: 10 });
    // The agents resend what was not acknowledged: stored now, and only once.
    const resent = await Promise.all([b.submit(frame('d20', [1, 2], 10)), b.submit(frame('d21', [1], 10)), b.submit(frame('d22', [1], 10))]);
    expect(resent.map((r) => r.outcomes)).toEqual([['stored', 'stored'], ['stored'], ['duplicate']]);
    expect(await stored()).toEqual({ d20: 20, d21: 10, d22: 10 });
  });

  it('stores exactly what 40 stop-and-wait agents send, commits overlapping', async () => {
    const b = new IngestBatcher({ storage: counted(storage), now: () => NOW, latePolicy: OPEN, maxDelayMs: 1, maxRecords: 16 });
    const ids = Array.from({ length: 40 }, (_, i) => `d${String(i).padStart(2, '0')}`);
    // Each agent sends its next frame once the previous one is acknowledged, as the real agent does.
    await Promise.all(ids.map(async (id, i) => {
      for (let f = 0; f < 6; f++) {
        const r = await b.submit(frame(id, [f * 4 + 1, f * 4 + 2, f * 4 + 3, f * 4 + 4], 1 + (i % 7)));
        expect(r.outcomes).toEqual(['stored', 'stored', 'stored', 'stored']);
      }
    }));
    expect(await stored()).toEqual(Object.fromEntries(ids.map((id, i) => [id, 24 * (1 + (i % 7))])));
    expect(maxInFlight).toBe(2);
  });
});
