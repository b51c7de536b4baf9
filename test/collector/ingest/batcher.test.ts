// Group commit on real SQLite: frames submitted together share one
// transaction, each is resolved only after the commit, and a failed commit
// rejects every frame of the batch (nothing acknowledged, nothing stored).
// Several commits at once (what PostgreSQL runs) are driven here through a
// gate in front of the real store, so the test decides when each commit
// starts; test/collector/ingest/batcher-postgres.test.ts runs them on the server.
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { IngestBatcher } from '../../../collector/src/ingest/batcher.ts';
import { createMetrics } from '../../../collector/src/metrics.ts';
import { openSqliteStorage } from '../../../collector/src/storage/sqlite/index.ts';
import type { Storage, UsageUnit } from '../../../collector/src/storage/types.ts';
import { seedCustomer } from '../../helpers/seed.ts';

const NOW = Date.UTC(2026, 10, 15);
const DAY = Math.floor(NOW / 86_400_000);
const OPEN = () => ({ adjustableFromDay: 0 });

let dir: string;
let storage: Storage;
let companyId: string;
let batches: number[];

/** The real store, counting how many transactions the batcher asked for. */
function counting(s: Storage): Storage {
  return { ...s, ingest: { ...s.ingest, ingestUsageBatch: (units, now, late) => {
    batches.push(units.length);
    return s.ingest.ingestUsageBatch(units, now, late);
  } } };
}

const unit = (deviceId: string, seq: number, seconds = 10): UsageUnit =>
  ({ deviceId, companyId, records: [{ stream: 's', seq, utcDay: DAY, awakeSeconds: seconds, bootId: 'b' }], floors: [] });

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tally-batch-'));
  storage = openSqliteStorage({ path: join(dir, 't.db'), nowMs: NOW, busyTimeoutMs: 50 });
  companyId = (await seedCustomer(storage, 'Acme', NOW)).id;
  for (let i = 0; i < 50; i++) {
    await storage.enrolment.enrolDevice({ deviceId: `d${i}`, companyId, keyHash: `k${i}`, instanceId: `i${i}`, hostname: `h${i}`, facts: null, agentVersion: 't', nowMs: NOW });
  }
  batches = [];
});
afterEach(async () => {
  await storage.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('IngestBatcher', () => {
  it('commits frames that arrive together in one transaction and resolves each with its own outcome', async () => {
    const b = new IngestBatcher({ storage: counting(storage), now: () => NOW, latePolicy: OPEN, maxDelayMs: 20 });
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => b.submit(unit(`d${i}`, 1))));
    expect(batches).toEqual([50]);
    expect(results.every((r) => r.outcomes[0] === 'stored')).toBe(true);
    const again = await b.submit(unit('d0', 1));
    expect(again.outcomes).toEqual(['duplicate']);
    const page = await storage.adminRead.usageForDays(DAY, DAY + 1, { after: null, limit: 100 });
    expect(page.items.reduce((s, d) => s + d.awakeSeconds, 0)).toBe(500);
  });

  it('flushes at once when a batch reaches maxRecords, and gathers what arrives during a flush into the next one', async () => {
    const b = new IngestBatcher({ storage: counting(storage), now: () => NOW, latePolicy: OPEN, maxDelayMs: 10_000, maxRecords: 10 });
    await Promise.all(Array.from({ length: 30 }, (_, i) => b.submit(unit(`d${i}`, 1))));
    expect(batches.reduce((a, x) => a + x, 0)).toBe(30);
    expect(Math.max(...batches)).toBeGreaterThanOrEqual(10);
  });

  it('reports each group commit\'s records and time in the collector\'s metrics; a failed commit is not counted', async () => {
    const metrics = createMetrics();
    const b = new IngestBatcher({ storage: counting(storage), now: () => NOW, latePolicy: OPEN, maxDelayMs: 20, metrics });
    await Promise.all(Array.from({ length: 5 }, (_, i) => b.submit({ ...unit(`d${i}`, 1), records: [1, 2, 3].map((seq) => ({ stream: 's', seq, utcDay: DAY, awakeSeconds: 1, bootId: 'b' })) })));
    await b.submit(unit('d9', 1));
    const blocker = new Database(join(dir, 't.db'));
    blocker.exec('BEGIN IMMEDIATE');
    await expect(b.submit(unit('d8', 1))).rejects.toMatchObject({ code: 'storage_unavailable' });
    blocker.exec('ROLLBACK');
    blocker.close();
    expect(batches).toEqual([5, 1, 1]);
    const text = await metrics.registry.metrics();
    expect(text).toMatch(/^tally_ingest_group_commit_records_count 2$/m);
    expect(text).toMatch(/^tally_ingest_group_commit_records_sum 16$/m);
    expect(text).toMatch(/^tally_ingest_group_commit_records_bucket\{le="10"\} 1$/m);
    expect(text).toMatch(/^tally_ingest_group_commit_records_bucket\{le="100"\} 2$/m);
    expect(text).toMatch(/^tally_ingest_group_commit_seconds_count 2$/m);
    // SQLite: one commit at a time, none running now.
    expect(text).toMatch(/^tally_ingest_group_commits_limit 1$/m);
    expect(text).toMatch(/^tally_ingest_group_commits_in_flight 0$/m);
  });

  it('rejects every frame of a batch whose commit fails, stores none of them, and recovers', async () => {
    const b = new IngestBatcher({ storage: counting(storage), now: () => NOW, latePolicy: OPEN, maxDelayMs: 5 });
    const blocker = new Database(join(dir, 't.db'));
    blocker.exec('BEGIN IMMEDIATE');
    const outcomes = await Promise.allSettled([b.submit(unit('d1', 1)), b.submit(unit('d2', 1))]);
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected']);
    expect((outcomes[0] as PromiseRejectedResult).reason).toMatchObject({ code: 'storage_unavailable' });
    blocker.exec('ROLLBACK');
    blocker.close();
    const page = await storage.adminRead.usageForDays(DAY, DAY + 1, { after: null, limit: 100 });
    expect(page.items).toEqual([]);
    const retried = await Promise.all([b.submit(unit('d1', 1)), b.submit(unit('d2', 1))]);
    expect(retried.map((r) => r.outcomes[0])).toEqual(['stored', 'stored']);
  });

  it('drain commits whatever is still waiting', async () => {
    const b = new IngestBatcher({ storage, now: () => NOW, latePolicy: OPEN, maxDelayMs: 60_000 });
    const p = b.submit(unit('d3', 7, 99));
    await b.drain();
    expect((await p).outcomes).toEqual(['stored']);
  });
});

/** The real store behind a gate: each group commit waits until the test opens it. */
function gated(s: Storage, concurrentBatches?: number) {
  const calls: { deviceIds: string[]; records: number; open: () => void }[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const storage: Storage = { ...s, ingest: { ...s.ingest, concurrentBatches, ingestUsageBatch: async (units, now, late) => {
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    try {
      await new Promise<void>((open) => calls.push({ deviceIds: units.map((u) => u.deviceId), records: units.reduce((n, u) => n + u.records.length, 0), open }));
      return await s.ingest.ingestUsageBatch(units, now, late);
    } finally {
      inFlight--;
    }
  } } };
  return { storage, calls, maxInFlight: () => maxInFlight };
}

/** Polls until cond holds (bounded: 5 s). */
async function until(cond: () => boolean): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error('condition not met within 5 s');
    await new Promise((r) => setTimeout(r, 2));
  }
}

const settled = <T>(p: Promise<T>) => {
  const s = { done: false };
  p.then(() => { s.done = true; }, () => { s.done = true; });
  return s;
};

const frame = (deviceId: string, records: number, seq = 1): UsageUnit =>
  ({ deviceId, companyId, records: Array.from({ length: records }, (_, k) => ({ stream: 's', seq: seq + k, utcDay: DAY, awakeSeconds: 1, bootId: 'b' })), floors: [] });

describe('IngestBatcher with several commits at once', () => {
  it('commits the frames that arrive during a commit beside it, never more than maxConcurrent at once', async () => {
    const g = gated(storage);
    const b = new IngestBatcher({ storage: g.storage, now: () => NOW, latePolicy: OPEN, maxDelayMs: 1, maxConcurrent: 2 });
    const first = b.submit(unit('d0', 1));
    await until(() => g.calls.length === 1);
    const second = [b.submit(unit('d1', 1)), b.submit(unit('d2', 1))];
    await until(() => g.calls.length === 2);
    expect(g.calls[1].deviceIds).toEqual(['d1', 'd2']);
    // Both slots taken: the next frame waits for one of them.
    const third = b.submit(unit('d3', 1));
    await new Promise((r) => setTimeout(r, 30));
    expect(g.calls).toHaveLength(2);
    // The second commit ends first; its frames are answered while the first still runs.
    const firstState = settled(first);
    g.calls[1].open();
    expect((await Promise.all(second)).map((r) => r.outcomes)).toEqual([['stored'], ['stored']]);
    expect(firstState.done).toBe(false);
    await until(() => g.calls.length === 3);
    expect(g.calls[2].deviceIds).toEqual(['d3']);
    g.calls[2].open();
    g.calls[0].open();
    expect((await first).outcomes).toEqual(['stored']);
    expect((await third).outcomes).toEqual(['stored']);
    expect(g.maxInFlight()).toBe(2);
    const page = await storage.adminRead.usageForDays(DAY, DAY + 1, { after: null, limit: 100 });
    expect(page.items.map((d) => d.deviceId).sort()).toEqual(['d0', 'd1', 'd2', 'd3']);
  });

  it('shares a backlog first come first served, at most maxRecords per commit (a larger frame goes whole)', async () => {
    const g = gated(storage);
    const b = new IngestBatcher({ storage: g.storage, now: () => NOW, latePolicy: OPEN, maxDelayMs: 1, maxRecords: 10, maxConcurrent: 2 });
    const held = b.submit(frame('d0', 1));
    await until(() => g.calls.length === 1);
    // 10 frames of 3 records (30 records) and one of 12, in this order, while the first commit holds a slot.
    const ids = Array.from({ length: 10 }, (_, i) => `d${i + 1}`);
    const rest = [...ids.map((id) => b.submit(frame(id, 3))), b.submit(frame('d11', 12))];
    await until(() => g.calls.length === 2);
    g.calls[0].open();
    await held;
    // Each commit that ends lets the next one start, until every frame was taken.
    const all = Promise.all(rest);
    const allDone = settled(all);
    for (let i = 1; i <= 20; i++) {
      await until(() => g.calls.length > i || allDone.done);
      if (g.calls.length <= i) break;
      g.calls[i].open();
    }
    const results = await all;
    expect(results.every((r) => r.outcomes.every((o) => o === 'stored'))).toBe(true);
    const later = g.calls.slice(1);
    // In submission order, each commit a run of consecutive frames.
    expect(later.flatMap((c) => c.deviceIds)).toEqual([...ids, 'd11']);
    expect(later.map((c) => c.records)).toEqual([9, 9, 9, 3, 12]);
  });

  it('rejects only the frames of the commit that failed; the one beside it is stored', async () => {
    const g = gated(storage);
    const b = new IngestBatcher({ storage: g.storage, now: () => NOW, latePolicy: OPEN, maxDelayMs: 1, maxConcurrent: 2 });
    const doomed = [b.submit(unit('d1', 1)), b.submit(unit('ghost', 1))];
    await until(() => g.calls.length === 1);
    const fine = b.submit(unit('d2', 1));
    await until(() => g.calls.length === 2);
    g.calls[0].open();
    g.calls[1].open();
    const outcomes = await Promise.allSettled(doomed);
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected']);
    expect((outcomes[0] as PromiseRejectedResult).reason).toMatchObject({ code: 'not_found' });
    expect((await fine).outcomes).toEqual(['stored']);
    const page = await storage.adminRead.usageForDays(DAY, DAY + 1, { after: null, limit: 100 });
    expect(page.items.map((d) => d.deviceId)).toEqual(['d2']);
  });

  it("takes the store's concurrentBatches when not told, and one commit at a time when the store says nothing", async () => {
    for (const [concurrentBatches, expected] of [[2, 2], [undefined, 1]] as const) {
      const g = gated(storage, concurrentBatches);
      const b = new IngestBatcher({ storage: g.storage, now: () => NOW, latePolicy: OPEN, maxDelayMs: 1 });
      const seq = expected === 2 ? 1 : 2;
      const all = [b.submit(unit('d5', seq))];
      await until(() => g.calls.length === 1);
      all.push(b.submit(unit('d6', seq)));
      await new Promise((r) => setTimeout(r, 30));
      expect(g.calls).toHaveLength(expected);
      g.calls[0].open();
      await until(() => g.calls.length === 2);
      g.calls[1].open();
      await Promise.all(all);
      expect(g.maxInFlight()).toBe(expected);
    }
  });

  it('drain waits for every commit in flight', async () => {
    const g = gated(storage);
    const b = new IngestBatcher({ storage: g.storage, now: () => NOW, latePolicy: OPEN, maxDelayMs: 1, maxConcurrent: 2 });
    const frames = [b.submit(unit('d7', 1))];
    await until(() => g.calls.length === 1);
    frames.push(b.submit(unit('d8', 1)));
    await until(() => g.calls.length === 2);
    const drained = settled(b.drain());
    g.calls[1].open();
    await frames[1];
    await new Promise((r) => setTimeout(r, 10));
    expect(drained.done).toBe(false);
    g.calls[0].open();
    await until(() => drained.done);
    expect((await frames[0]).outcomes).toEqual(['stored']);
  });
});
