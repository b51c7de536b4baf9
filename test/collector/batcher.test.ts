// Group commit on real SQLite: frames submitted together share one
// transaction, each is resolved only after the commit, and a failed commit
// rejects every frame of the batch (nothing acknowledged, nothing stored).
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { IngestBatcher } from '../../collector/src/ingest/batcher.ts';
import { createMetrics } from '../../collector/src/metrics.ts';
import { openSqliteStorage } from '../../collector/src/storage/sqlite/index.ts';
import type { Storage, UsageUnit } from '../../collector/src/storage/types.ts';

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
  companyId = (await storage.adminWrite.ensureCustomerCompany('Acme', NOW)).id;
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
