// The SQLite ingest path's shortcuts, each next to the case that must leave
// it: the one-statement device-day upsert (new day, or same attributes and
// within 86,400 s) against the careful read + merge (the clamp, a modules
// union, changed attributes); per-batch caches of device attributes, floors
// and finalized months; frames run in device id order; floor raise and
// receipt delete only when the floor moves; in-order seqs kept as a stored
// run instead of receipts (migration 0005), with the receipt path for
// everything out of order; WAL checkpoints in a worker; the device-month
// summaries the fast path patches (bump or insert, one delta per device and
// month) against the same summaries recomputed from the rows.
import Database from 'better-sqlite3';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqliteStorage } from '../../../collector/src/storage/sqlite/index.ts';
import { applyMigrations, loadMigrations } from '../../../collector/src/storage/sqlite/migrate.ts';
import type { LateDataPolicy, Storage, UsageRecordInput } from '../../../collector/src/storage/types.ts';
import { DAY, NOW, serverFacts, snapshotOf } from './contract.ts';
import { sqliteDedupeMarks } from './dedupe-marks.ts';
import { reportedFacts } from '../../../collector/src/devices/attributes.ts';
import { sqliteBillingInputs } from '../../helpers/billing-oracle.ts';
import { seedCustomer } from '../../helpers/seed.ts';
import { rebuildAllStatements } from '../../../collector/src/storage/sql/summaries.ts';

const OPEN: LateDataPolicy = { adjustableFromDay: 0 };
const DAY_MS = 86_400_000;
const NOV_1 = Date.UTC(2026, 10, 1) / DAY_MS;
const DEC_1 = Date.UTC(2026, 11, 1) / DAY_MS;
const OCT_1 = Date.UTC(2026, 9, 1) / DAY_MS;
const rec = (seq: number, utcDay: number, awakeSeconds: number, stream = 's'): UsageRecordInput => ({ stream, seq, utcDay, awakeSeconds, bootId: 'b' });

describe('SQLite ingest fast path', () => {
  let dir: string;
  let path: string;
  let storage: Storage;
  let companyId: string;

  const enrol = (id: string, facts = serverFacts(['antimalware'])) => storage.enrolment.enrolDevice({
    deviceId: id, companyId, keyHash: `hash-${id}`, instanceId: `inst-${id}`, hostname: `host-${id}`, facts: reportedFacts(facts), agentVersion: '0.1.0', nowMs: NOW,
  });
  const hello = (id: string, modules: string[], nowMs = NOW) => storage.ingest.recordHello({
    deviceId: id, instanceId: `inst-${id}`, hostname: `host-${id}`, agentVersion: '0.1.0', facts: reportedFacts(serverFacts(modules)), nowMs,
  });
  const batch = (units: { deviceId: string; records: UsageRecordInput[]; floors?: { stream: string; oldestUnackedSeq: number }[] }[], nowMs = NOW, late = OPEN) =>
    storage.ingest.ingestUsageBatch(units.map((u) => ({ deviceId: u.deviceId, companyId, records: u.records, floors: u.floors ?? [] })), nowMs, late);
  const days = async () => (await sqliteBillingInputs(path, '2026-11', NOV_1, DEC_1)).deviceDays
    .map((d) => ({ deviceId: d.deviceId, utcDay: d.utcDay, awakeSeconds: d.awakeSeconds, modules: d.modules, userId: d.userId, role: d.role }))
    .sort((a, b) => (a.deviceId < b.deviceId ? -1 : a.deviceId > b.deviceId ? 1 : a.utcDay - b.utcDay));
  const raw = <T>(sql: string, ...params: unknown[]): T[] => {
    const db = new Database(path, { readonly: true });
    try {
      return db.prepare(sql).all(...params) as T[];
    } finally {
      db.close();
    }
  };

  /** Logical dedupe marks (the stored run plus receipt rows) of a device. */
  const marks = (deviceId: string) => {
    const db = new Database(path, { readonly: true });
    try {
      return sqliteDedupeMarks(db, deviceId).map((m) => (m.stream === 's' ? m.seq : `${m.stream}:${m.seq}`));
    } finally {
      db.close();
    }
  };
  const streamRows = () => raw<{ device_id: string; stream: string; floor: number; stored_below: number; receipts_upto: number }>('SELECT device_id, stream, floor, stored_below, receipts_upto FROM stream_floors ORDER BY device_id, stream');
  const receiptRows = () => raw<{ device_id: string; stream: string; seq: number }>('SELECT device_id, stream, seq FROM receipts ORDER BY device_id, stream, seq');

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tally-sqlite-ingest-'));
    path = join(dir, 't.db');
    storage = openSqliteStorage({ path, nowMs: NOW });
    companyId = (await seedCustomer(storage, 'Acme', NOW)).id;
  });
  afterEach(async () => {
    await storage.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reaches 86,400 s across batches: exactly full still takes the fast path, one second more is clamped and reported', async () => {
    await enrol('d1');
    expect((await batch([{ deviceId: 'd1', records: [rec(1, DAY, 86_000)] }]))[0].clampedSeconds).toBe(0);
    expect((await batch([{ deviceId: 'd1', records: [rec(2, DAY, 400)] }]))[0].clampedSeconds).toBe(0); // 86,400 exactly
    const r = (await batch([{ deviceId: 'd1', records: [rec(3, DAY, 1), rec(4, DAY, 0)] }]))[0];
    expect(r).toMatchObject({ outcomes: ['stored', 'stored'], clampedSeconds: 1 });
    expect((await days()).map((d) => d.awakeSeconds)).toEqual([86_400]);
  });

  it('clamps a new day whose frame alone holds more than 86,400 s, and a day that crosses the limit with room left', async () => {
    await enrol('d1');
    const r = await batch([{ deviceId: 'd1', records: [rec(1, DAY, 50_000), rec(2, DAY, 40_000), rec(3, DAY - 1, 86_000)] }]);
    expect(r[0].clampedSeconds).toBe(3_600);
    const r2 = await batch([{ deviceId: 'd1', records: [rec(4, DAY - 1, 300), rec(5, DAY - 1, 300)] }]);
    expect(r2[0].clampedSeconds).toBe(200);
    expect((await days()).map((d) => [d.utcDay, d.awakeSeconds])).toEqual([[DAY - 1, 86_400], [DAY, 86_400]]);
  });

  it('keeps the union of the modules of a day when they change mid-day, then returns to the fast path once they match', async () => {
    await enrol('d1', serverFacts(['firewall']));
    await batch([{ deviceId: 'd1', records: [rec(1, DAY, 10)] }]);
    await hello('d1', ['antimalware']);
    await batch([{ deviceId: 'd1', records: [rec(2, DAY, 10), rec(3, DAY + 1, 10)] }]);
    expect((await days()).map((d) => [d.utcDay, d.modules, d.awakeSeconds])).toEqual([
      [DAY, ['antimalware', 'firewall'], 20], [DAY + 1, ['antimalware'], 10],
    ]);
    // The day's union is not the device's set: merged again, nothing lost.
    await batch([{ deviceId: 'd1', records: [rec(4, DAY, 10)] }]);
    await hello('d1', ['antimalware', 'firewall']);
    await batch([{ deviceId: 'd1', records: [rec(5, DAY, 10), rec(6, DAY + 1, 10)] }]);
    expect((await days()).map((d) => [d.utcDay, d.modules, d.awakeSeconds])).toEqual([
      [DAY, ['antimalware', 'firewall'], 40], [DAY + 1, ['antimalware', 'firewall'], 20],
    ]);
  });

  it('copies changed device attributes onto a day already stored (the fast path only adds seconds when they are the same)', async () => {
    await enrol('d1', serverFacts([], [{ userId: 'alice@acme', primary: true }]));
    await batch([{ deviceId: 'd1', records: [rec(1, DAY, 10)] }]);
    const alice = (await days())[0].userId;
    expect(alice).not.toBeNull();
    await storage.tenancy.assignDeviceUser('d1', null);
    await batch([{ deviceId: 'd1', records: [rec(2, DAY, 10)] }]);
    expect(await days()).toEqual([{ deviceId: 'd1', utcDay: DAY, awakeSeconds: 20, modules: [], userId: null, role: 'server' }]);
    // A frame credited to another company (the device moved) re-homes the day, as before.
    const other = (await seedCustomer(storage, 'Other', NOW)).id;
    await storage.ingest.ingestUsageBatch([{ deviceId: 'd1', companyId: other, records: [rec(3, DAY, 10)], floors: [] }], NOW, OPEN);
    const [day] = (await sqliteBillingInputs(path, '2026-11', NOV_1, DEC_1)).deviceDays;
    expect([day.companyId, day.awakeSeconds]).toEqual([other, 30]);
    // And a role change from the agent's facts.
    await storage.ingest.recordHello({ deviceId: 'd1', instanceId: 'i', hostname: 'h', agentVersion: '0.1.0', nowMs: NOW,
      facts: reportedFacts({ ...serverFacts([]), role: { role: 'workstation' } }) });
    await storage.ingest.ingestUsageBatch([{ deviceId: 'd1', companyId: other, records: [rec(4, DAY, 10)], floors: [] }], NOW, OPEN);
    expect((await days()).map((d) => [d.role, d.awakeSeconds])).toEqual([['workstation', 40]]);
  });

  it('runs two frames of one device in one batch in order: the second sees the first one\'s seconds, floor and receipts', async () => {
    await enrol('d1');
    const r = await batch([
      { deviceId: 'd1', records: [rec(1, DAY, 86_000), rec(2, DAY - 1, 10)], floors: [{ stream: 's', oldestUnackedSeq: 1 }] },
      { deviceId: 'd1', records: [rec(2, DAY - 1, 10), rec(3, DAY, 1_000), rec(1, DAY, 5)], floors: [{ stream: 's', oldestUnackedSeq: 3 }] },
      { deviceId: 'd1', records: [rec(2, DAY - 1, 10), rec(4, DAY - 1, 20)], floors: [{ stream: 's', oldestUnackedSeq: 3 }] },
    ]);
    expect(r.map((x) => x.outcomes)).toEqual([['stored', 'stored'], ['duplicate', 'stored', 'duplicate'], ['duplicate', 'stored']]);
    expect(r.map((x) => x.clampedSeconds)).toEqual([0, 600, 0]);
    expect((await days()).map((d) => [d.utcDay, d.awakeSeconds])).toEqual([[DAY - 1, 30], [DAY, 86_400]]);
    expect(marks('d1')).toEqual([3, 4]);
    // All in order: one stored run from the floor, no receipt rows.
    expect(streamRows()).toEqual([{ device_id: 'd1', stream: 's', floor: 3, stored_below: 5, receipts_upto: 0 }]);
    expect(receiptRows()).toEqual([]);
  });

  it('returns results in the order of the units although it stores them in device id order', async () => {
    for (const id of ['c', 'a', 'b']) await enrol(id);
    const r = await batch([
      { deviceId: 'c', records: [rec(1, DAY, 86_400), rec(2, DAY, 3)] },
      { deviceId: 'a', records: [rec(1, DAY, 86_400), rec(2, DAY, 1)] },
      { deviceId: 'b', records: [rec(1, DAY, 86_400), rec(1, DAY, 9), rec(2, DAY, 2)] },
      { deviceId: 'a', records: [rec(3, DAY, 10)] },
    ]);
    expect(r.map((x) => x.clampedSeconds)).toEqual([3, 1, 2, 10]);
    expect(r.map((x) => x.outcomes)).toEqual([['stored', 'stored'], ['stored', 'stored'], ['stored', 'duplicate', 'stored'], ['stored']]);
  });

  it('touches last_seen_at of every device of a batch, and rolls back every frame, touch included, when one device is unknown', async () => {
    await enrol('d1');
    await enrol('d2');
    await batch([{ deviceId: 'd2', records: [rec(1, DAY, 10)] }, { deviceId: 'd1', records: [] }], NOW + 60_000);
    const seen = async () => (await storage.adminRead.listDevices({ after: null, limit: 10 })).items.map((d) => [d.id, d.lastSeenAtMs]);
    expect(await seen()).toEqual([['d1', NOW + 60_000], ['d2', NOW + 60_000]]);
    // 'a-ghost' sorts before the others, 'z-ghost' after: either way nothing of the batch stays.
    for (const ghost of ['a-ghost', 'z-ghost']) {
      await expect(batch([{ deviceId: 'd1', records: [rec(5, DAY, 10)] }, { deviceId: ghost, records: [rec(1, DAY, 10)] },
        { deviceId: 'd2', records: [rec(5, DAY, 10)] }], NOW + 120_000)).rejects.toMatchObject({ code: 'not_found' });
    }
    expect(await seen()).toEqual([['d1', NOW + 60_000], ['d2', NOW + 60_000]]);
    expect((await days()).map((d) => [d.deviceId, d.awakeSeconds])).toEqual([['d2', 10]]);
    expect([marks('d1'), marks('d2')]).toEqual([[], [1]]);
  });

  it('leaves floors and receipts alone when a floor does not move, and forgets receipts below it when it does', async () => {
    await enrol('d1');
    await batch([{ deviceId: 'd1', records: [rec(1, DAY, 1), rec(2, DAY, 1), rec(3, DAY, 1)], floors: [{ stream: 's', oldestUnackedSeq: 2 }] }]);
    expect(marks('d1')).toEqual([2, 3]);
    await batch([{ deviceId: 'd1', records: [], floors: [{ stream: 's', oldestUnackedSeq: 2 }, { stream: 's', oldestUnackedSeq: 1 }, { stream: 'x', oldestUnackedSeq: 0 }] }]);
    expect(marks('d1')).toEqual([2, 3]);
    expect(raw('SELECT stream, floor FROM stream_floors ORDER BY stream')).toEqual([{ stream: 's', floor: 2 }]);
    await batch([{ deviceId: 'd1', records: [rec(4, DAY, 1)], floors: [{ stream: 's', oldestUnackedSeq: 4 }] }]);
    expect(marks('d1')).toEqual([4]);
    expect((await batch([{ deviceId: 'd1', records: [rec(3, DAY, 1), rec(4, DAY, 1), rec(5, DAY, 1)] }]))[0].outcomes).toEqual(['duplicate', 'duplicate', 'stored']);
    expect((await days())[0].awakeSeconds).toBe(5);
  });

  describe('the stored run and the receipt path', () => {
    it('writes receipts only for seqs that arrive out of order, dedupes them, and returns to the run once a floor passes them', async () => {
      await enrol('d1');
      // 3 and 4 before 1 and 2 (a resend racing a reconnect): receipts, the run stays empty.
      expect((await batch([{ deviceId: 'd1', records: [rec(3, DAY, 1), rec(4, DAY, 1)] }]))[0].outcomes).toEqual(['stored', 'stored']);
      expect(streamRows()).toEqual([{ device_id: 'd1', stream: 's', floor: 0, stored_below: 1, receipts_upto: 4 }]);
      // 1 is next in order, but receipts exist up to 4: it takes the receipt path (a receipt for 1 could exist).
      expect((await batch([{ deviceId: 'd1', records: [rec(1, DAY, 1), rec(2, DAY, 1), rec(3, DAY, 1)] }]))[0].outcomes).toEqual(['stored', 'stored', 'duplicate']);
      expect(receiptRows().map((r) => r.seq)).toEqual([1, 2, 3, 4]);
      expect((await batch([{ deviceId: 'd1', records: [rec(1, DAY, 1), rec(4, DAY, 1), rec(5, DAY, 1)] }]))[0].outcomes).toEqual(['duplicate', 'duplicate', 'stored']);
      expect(marks('d1')).toEqual([1, 2, 3, 4, 5]);
      // The agent's floor passes them: receipts deleted, the run starts at the floor and takes 6 and 7 without receipts.
      expect((await batch([{ deviceId: 'd1', records: [rec(6, DAY, 1), rec(7, DAY, 1)], floors: [{ stream: 's', oldestUnackedSeq: 6 }] }]))[0].outcomes)
        .toEqual(['stored', 'stored']);
      expect(receiptRows()).toEqual([]);
      expect(streamRows()).toEqual([{ device_id: 'd1', stream: 's', floor: 6, stored_below: 8, receipts_upto: 5 }]);
      expect((await batch([{ deviceId: 'd1', records: [rec(5, DAY, 1), rec(6, DAY, 1), rec(7, DAY, 1), rec(8, DAY, 1)] }]))[0].outcomes)
        .toEqual(['duplicate', 'duplicate', 'duplicate', 'stored']);
      expect((await days())[0].awakeSeconds).toBe(8);
    });

    it('keeps a gap (a record refused, never stored) open until the floor passes it, storing what comes after it once', async () => {
      await enrol('d1');
      // 3 was refused by validation, so the store never sees it.
      await batch([{ deviceId: 'd1', records: [rec(1, DAY, 1), rec(2, DAY, 1), rec(4, DAY, 1), rec(5, DAY, 1)], floors: [{ stream: 's', oldestUnackedSeq: 1 }] }]);
      expect(streamRows()).toEqual([{ device_id: 'd1', stream: 's', floor: 1, stored_below: 3, receipts_upto: 5 }]);
      expect(receiptRows().map((r) => r.seq)).toEqual([4, 5]);
      // 3 can still arrive (a corrected resend): stored once.
      expect((await batch([{ deviceId: 'd1', records: [rec(3, DAY, 1), rec(3, DAY, 1), rec(5, DAY, 1)] }]))[0].outcomes).toEqual(['stored', 'duplicate', 'duplicate']);
      // The agent's floor moves to 4 (3 acknowledged): 4 and 5 keep their receipts, 6 is out of the run's order, so a receipt too.
      expect((await batch([{ deviceId: 'd1', records: [rec(6, DAY, 1)], floors: [{ stream: 's', oldestUnackedSeq: 4 }] }]))[0].outcomes).toEqual(['stored']);
      expect(marks('d1')).toEqual([4, 5, 6]);
      expect(receiptRows().map((r) => r.seq)).toEqual([4, 5, 6]);
      // Once the floor passes every receipt, the run takes over again.
      await batch([{ deviceId: 'd1', records: [rec(7, DAY, 1)], floors: [{ stream: 's', oldestUnackedSeq: 7 }] }]);
      expect(receiptRows()).toEqual([]);
      expect(streamRows()).toEqual([{ device_id: 'd1', stream: 's', floor: 7, stored_below: 8, receipts_upto: 6 }]);
      expect((await days())[0].awakeSeconds).toBe(7);
    });

    it('applies a floor above some of its own frame\'s records after them, as the contract says, and still deletes what it settles', async () => {
      await enrol('d1');
      await batch([{ deviceId: 'd1', records: [rec(1, DAY, 1)] }]);
      // Floor 5 with records 2 and 6: 2 is below it, so the floor waits for the records; 2 is stored, then settled.
      const r = await batch([{ deviceId: 'd1', records: [rec(2, DAY, 1), rec(6, DAY, 1)], floors: [{ stream: 's', oldestUnackedSeq: 5 }] }]);
      expect(r[0].outcomes).toEqual(['stored', 'stored']);
      expect(marks('d1')).toEqual([6]);
      expect(receiptRows().map((x) => x.seq)).toEqual([6]);
      expect((await batch([{ deviceId: 'd1', records: [rec(2, DAY, 1), rec(4, DAY, 1), rec(5, DAY, 1), rec(6, DAY, 1), rec(7, DAY, 1)] }]))[0].outcomes)
        .toEqual(['duplicate', 'duplicate', 'stored', 'duplicate', 'stored']);
      expect((await days())[0].awakeSeconds).toBe(5);
    });

    it('shares the marks with inventory records on the same stream', async () => {
      await enrol('d1');
      expect(await storage.ingest.recordInventory('d1', 'inv', 1, reportedFacts(serverFacts(['firewall'])), NOW)).toBe('stored');
      expect(await storage.ingest.recordInventory('d1', 'inv', 1, reportedFacts(serverFacts(['firewall'])), NOW)).toBe('duplicate');
      expect((await batch([{ deviceId: 'd1', records: [rec(1, DAY, 1, 'inv'), rec(2, DAY, 1, 'inv')] }]))[0].outcomes).toEqual(['duplicate', 'stored']);
      expect(await storage.ingest.recordInventory('d1', 'inv', 2, reportedFacts(serverFacts(['firewall'])), NOW)).toBe('duplicate');
      expect(await storage.ingest.recordInventory('d1', 'inv', 4, reportedFacts(serverFacts(['firewall'])), NOW)).toBe('stored');
      expect(marks('d1')).toEqual(['inv:1', 'inv:2', 'inv:4']);
    });

    it('keeps receipts written before migration 0005 as receipts: resends of them stay duplicates, new seqs are stored', async () => {
      await storage.close();
      rmSync(path, { force: true });
      // A database as the previous version left it: receipts per record, floors without a run.
      const old = new Database(path);
      applyMigrations(old, loadMigrations().filter((m) => m.version < 5), NOW);
      old.prepare(`INSERT INTO companies (id, name, type, parent_id, path, registered_at) VALUES ('c1', 'Acme', 'customer', NULL, 'c1', ?)`).run(NOW);
      old.prepare(`INSERT INTO devices (id, company_id, key_hash, instance_id, hostname, agent_version, enrolled_at) VALUES ('d1', 'c1', 'h', 'i', 'host', '0.1.0', ?)`).run(NOW);
      old.prepare(`INSERT INTO stream_floors (device_id, stream, floor) VALUES ('d1', 's', 5)`).run();
      for (const [stream, seq] of [['s', 5], ['s', 6], ['t', 1], ['t', 2]] as const) old.prepare('INSERT INTO receipts (device_id, stream, seq) VALUES (?, ?, ?)').run('d1', stream, seq);
      old.close();
      storage = openSqliteStorage({ path, nowMs: NOW });
      companyId = 'c1';
      expect(streamRows()).toEqual([
        { device_id: 'd1', stream: 's', floor: 5, stored_below: 5, receipts_upto: 6 },
        { device_id: 'd1', stream: 't', floor: 0, stored_below: 1, receipts_upto: 2 },
      ]);
      const r = await batch([{ deviceId: 'd1', records: [rec(4, DAY, 1), rec(5, DAY, 1), rec(6, DAY, 1), rec(7, DAY, 1), rec(1, DAY, 1, 't'), rec(2, DAY, 1, 't'), rec(3, DAY, 1, 't')] }]);
      expect(r[0].outcomes).toEqual(['duplicate', 'duplicate', 'duplicate', 'stored', 'duplicate', 'duplicate', 'stored']);
      expect(marks('d1')).toEqual([5, 6, 7, 't:1', 't:2', 't:3']);
    });
  });

  it('caches finalized months per batch without mixing them up: adjusted, unbilled and normal records in one batch', async () => {
    await enrol('d1');
    await enrol('d2');
    await storage.billing.saveFinalizedMonth(snapshotOf('2026-10', 'h0'), NOW);
    const r = await batch([
      { deviceId: 'd2', records: [rec(1, OCT_1 + 2, 10), rec(2, DAY, 10)] },
      { deviceId: 'd1', records: [rec(1, OCT_1 + 2, 10), rec(2, OCT_1 + 3, 10), rec(3, DAY, 10)] },
    ], NOW, { adjustableFromDay: OCT_1 + 3 });
    expect(r.map((x) => [x.adjustedRecords, x.unbilledRecords])).toEqual([[0, 1], [1, 1]]);
    expect(await storage.billing.countUnbilledLateRecords()).toBe(2);
    expect(await storage.billing.monthsWithLateData()).toEqual(['2026-10']);
    expect((await days()).map((d) => [d.deviceId, d.awakeSeconds])).toEqual([['d1', 10], ['d2', 10]]);
  });

  /** Reopens the store with a counter of checkpoint worker starts. */
  const reopenCountingWorkers = async () => {
    await storage.close();
    const started = { count: 0 };
    storage = openSqliteStorage({ path, nowMs: NOW, onCheckpointWorker: () => started.count++ });
    return started;
  };

  it('checkpoints the WAL from a worker once group commits get large, and closes it before the database (no WAL left behind)', async () => {
    await enrol('d1');
    const started = await reopenCountingWorkers();
    await batch([{ deviceId: 'd1', records: Array.from({ length: 1_999 }, (_, i) => rec(i + 1, DAY - (i % 20), 1)) }]);
    expect(started.count).toBe(0); // 1,999 records: SQLite's own checkpoints
    await batch([{ deviceId: 'd1', records: [rec(10_000, DAY, 0)] }]);
    await batch([{ deviceId: 'd1', records: Array.from({ length: 2_000 }, (_, i) => rec(i + 1, DAY - (i % 20), 1)) }]);
    expect(started.count).toBe(1);
    for (let i = 1; i <= 5; i++) await batch([{ deviceId: 'd1', records: [rec(2_000 + i, DAY, 10)] }]);
    await new Promise((r) => setTimeout(r, 600)); // a few worker checkpoints
    await storage.close();
    // SQLite removes the WAL when the last connection closes: the worker's was closed first.
    expect(existsSync(`${path}-wal`)).toBe(false);
    storage = openSqliteStorage({ path, nowMs: NOW });
    expect((await days()).find((d) => d.utcDay === DAY)!.awakeSeconds).toBe(100 + 50);
  });

  it('a hello storm (50 hellos in one group commit: a restart reconnecting its agents) also moves checkpoints to the worker; a few hellos do not', async () => {
    const ids = Array.from({ length: 60 }, (_, i) => `d${String(i).padStart(2, '0')}`);
    for (const id of ids) await enrol(id);
    const started = await reopenCountingWorkers();
    const helloOf = (id: string, nowMs: number) => ({ deviceId: id, instanceId: `inst-${id}`, hostname: `host-${id}`, agentVersion: '0.2.0', facts: null, nowMs, hardware: null, evidence: null });
    await storage.ingest.recordHellos(ids.slice(0, 49).map((id) => helloOf(id, NOW + 1_000)));
    expect(started.count).toBe(0);
    await storage.ingest.recordHellos(ids.slice(0, 50).map((id) => helloOf(id, NOW + 2_000)));
    await storage.ingest.recordHellos(ids.map((id) => helloOf(id, NOW + 3_000)));
    expect(started.count).toBe(1); // once
    // Every hello stored, and nothing lost across the worker's checkpoints and the close.
    await new Promise((r) => setTimeout(r, 300));
    await storage.close();
    expect(existsSync(`${path}-wal`)).toBe(false);
    storage = openSqliteStorage({ path, nowMs: NOW });
    const seen = raw<{ id: string; last_seen_at: number; agent_version: string }>('SELECT id, last_seen_at, agent_version FROM devices ORDER BY id');
    expect(seen).toHaveLength(60);
    expect(seen.every((d) => d.last_seen_at === NOW + 3_000 && d.agent_version === '0.2.0')).toBe(true);
  });

  describe('a hello writes only what changed of facts and hostname', () => {
    /** Counts the statements that set each column (triggers on UPDATE OF: they fire only when a row matched). */
    const watchWrites = () => {
      const db = new Database(path);
      db.exec(`CREATE TABLE IF NOT EXISTS write_log (what TEXT NOT NULL);
        CREATE TRIGGER IF NOT EXISTS log_hostname AFTER UPDATE OF hostname ON devices BEGIN INSERT INTO write_log VALUES ('hostname'); END;
        CREATE TRIGGER IF NOT EXISTS log_facts AFTER UPDATE OF facts_json ON devices BEGIN INSERT INTO write_log VALUES ('facts'); END;
        DELETE FROM write_log;`);
      db.close();
      return () => raw<{ what: string }>('SELECT what FROM write_log ORDER BY rowid').map((r) => r.what);
    };
    const device = (id: string) => raw<{ hostname: string; facts_json: string; modules: string; virtual: number | null; last_seen_at: number; reported_user_id: string | null }>(
      'SELECT hostname, facts_json, modules, virtual, last_seen_at, reported_user_id FROM devices WHERE id = ?', id)[0];
    const helloWith = (id: string, facts: ReturnType<typeof serverFacts> | null, nowMs: number, hostname = 'srv-01') => storage.ingest.recordHellos([{
      deviceId: id, instanceId: `inst-${id}`, hostname, agentVersion: '0.2.0', facts: facts && reportedFacts(facts), nowMs, hardware: null, evidence: null,
    }]);

    it('a reconnect with the same facts and hostname writes neither (the hostname is in two indexes), and still moves last seen', async () => {
      await enrol('d1');
      await helloWith('d1', serverFacts(['antimalware']), NOW + 1_000);
      const writes = watchWrites();
      await helloWith('d1', serverFacts(['antimalware']), NOW + 2_000);
      expect(writes()).toEqual([]);
      expect(device('d1')).toMatchObject({ hostname: 'srv-01', last_seen_at: NOW + 2_000, modules: '["antimalware"]' });
    });

    it('a new hostname, new facts, or no facts with another hello hostname are written', async () => {
      await enrol('d1');
      await helloWith('d1', serverFacts(['antimalware']), NOW + 1_000);
      const writes = watchWrites();
      await helloWith('d1', { ...serverFacts(['antimalware']), hostname: 'srv-02' }, NOW + 2_000);
      expect(device('d1').hostname).toBe('srv-02');
      await helloWith('d1', { ...serverFacts(['antimalware', 'integrity_monitoring']), hostname: 'srv-02' }, NOW + 3_000);
      expect(JSON.parse(device('d1').modules)).toEqual(['antimalware', 'integrity_monitoring']);
      // No facts: the hello's own hostname, and the stored facts stay.
      await helloWith('d1', null, NOW + 4_000, 'srv-03');
      expect(device('d1')).toMatchObject({ hostname: 'srv-03', modules: '["antimalware","integrity_monitoring"]', last_seen_at: NOW + 4_000 });
      // A hello with facts but no hostname in them: the hello's ("unknown" when the agent sent none).
      await helloWith('d1', { ...serverFacts(['antimalware']), hostname: '' }, NOW + 5_000, 'unknown');
      expect(device('d1').hostname).toBe('unknown');
      // The facts carry the hostname: a rename rewrites both.
      expect(writes()).toEqual(['facts', 'hostname', 'facts', 'hostname', 'facts', 'hostname']);
    });

    it('the same facts with attributes stored otherwise (a collector upgrade derives them differently) rewrite the attributes', async () => {
      await enrol('d1');
      await helloWith('d1', serverFacts(['antimalware']), NOW + 1_000);
      const db = new Database(path);
      db.prepare("UPDATE devices SET modules = '[]', virtual = NULL WHERE id = 'd1'").run(); // what an older derivation stored
      db.close();
      await helloWith('d1', serverFacts(['antimalware']), NOW + 2_000);
      expect(device('d1')).toMatchObject({ modules: '["antimalware"]', virtual: 1 });
    });

    it('the primary user: set, kept while the same, and taken again when the user was recreated', async () => {
      await enrol('d1');
      const withAlice = serverFacts(['antimalware'], [{ userId: 'alice@acme', primary: true }]);
      await helloWith('d1', withAlice, NOW + 1_000);
      const alice = raw<{ id: string }>("SELECT id FROM users WHERE external_id = 'alice@acme'")[0].id;
      expect(device('d1').reported_user_id).toBe(alice);
      const writes = watchWrites();
      await helloWith('d1', withAlice, NOW + 2_000);
      expect(writes()).toEqual([]);
      // The user removed (as an admin purge would: the device's reference cleared first) comes back with a new id.
      const db = new Database(path);
      db.exec("UPDATE devices SET reported_user_id = NULL; DELETE FROM users WHERE external_id = 'alice@acme'");
      db.close();
      await helloWith('d1', withAlice, NOW + 3_000);
      const again = raw<{ id: string }>("SELECT id FROM users WHERE external_id = 'alice@acme'")[0].id;
      expect(again).not.toBe(alice);
      expect(device('d1').reported_user_id).toBe(again);
      // Without a primary user in the facts it is cleared.
      await helloWith('d1', serverFacts(['antimalware'], [{ userId: 'alice@acme' }]), NOW + 4_000);
      expect(device('d1').reported_user_id).toBeNull();
    });

    it('an unknown device (deleted since its upgrade) writes nothing, and the other hellos of its batch are stored', async () => {
      await enrol('d1');
      await storage.ingest.recordHellos(['gone', 'd1'].map((id) => ({
        deviceId: id, instanceId: 'i', hostname: 'h', agentVersion: '0.3.0', facts: reportedFacts(serverFacts(['antimalware'], [{ userId: 'bob@acme', primary: true }])),
        nowMs: NOW + 1_000, hardware: null, evidence: null,
      })));
      expect(device('d1')).toMatchObject({ last_seen_at: NOW + 1_000, hostname: 'srv-01' });
      expect(raw<{ n: number }>('SELECT count(*) AS n FROM devices')[0].n).toBe(1);
    });
  });

  it('an in-memory store never starts a checkpoint worker, whatever the load', async () => {
    let started = 0;
    const mem = openSqliteStorage({ path: ':memory:', nowMs: NOW, onCheckpointWorker: () => started++ });
    try {
      await mem.ingest.recordHellos(Array.from({ length: 60 }, (_, i) => ({ deviceId: `none-${i}`, instanceId: 'i', hostname: 'h', agentVersion: 'v', facts: null, nowMs: NOW })));
      expect(started).toBe(0);
    } finally {
      await mem.close();
    }
  });

  describe('device-month summaries patched by the fast path', () => {
    /** Every summary as stored, and as recomputed from the rows (the migration's statements, on a copy of the table). */
    const storedAndRecomputed = () => {
      const db = new Database(path);
      try {
        const read = (table: string) => (db.prepare(`SELECT * FROM ${table} ORDER BY month_day, device_id`).all() as Record<string, unknown>[])
          .map((r): Record<string, unknown> => ({ ...r, modules: JSON.parse(r.modules as string), vcs_platforms: JSON.parse(r.vcs_platforms as string), l_modules: r.l_modules === null ? null : JSON.parse(r.l_modules as string) }));
        const stored = read('device_month_summaries');
        db.exec('BEGIN');
        for (const statement of rebuildAllStatements('sqlite')) db.exec(statement);
        const recomputed = read('device_month_summaries');
        db.exec('ROLLBACK');
        return { stored, recomputed };
      } finally {
        db.close();
      }
    };
    const expectSummariesOfRows = (rows: number) => {
      const { stored, recomputed } = storedAndRecomputed();
      expect(stored).toHaveLength(rows);
      expect(stored).toEqual(recomputed);
      return stored;
    };
    const factsOn = (platform: string, modules: string[]) => reportedFacts({ ...serverFacts(modules), os: { platform, name: platform, version: '1' } } as never);

    it('keeps the union of the modules when a later new day has fewer, and bumps only the seconds of days already active', async () => {
      await enrol('d1', serverFacts(['antimalware', 'firewall']));
      await batch([{ deviceId: 'd1', records: [rec(1, NOV_1 + 2, 100), rec(2, NOV_1 + 5, 200)] }]);
      await hello('d1', ['antimalware'], NOW + 120_000);
      await batch([{ deviceId: 'd1', records: [rec(3, NOV_1 + 7, 50)] }], NOW + 120_000);
      let [s] = expectSummariesOfRows(1);
      expect(s).toMatchObject({ modules: ['antimalware', 'firewall'], active_days: 3, awake_seconds: 350, last_active_day: NOV_1 + 7, l_awake: 50, l_modules: ['antimalware'] });
      // Bumps (a device whose modules stay): onto the last active day (its own seconds move) and onto an earlier one (they do not).
      await enrol('d2');
      await batch([{ deviceId: 'd2', records: [rec(1, NOV_1 + 2, 100), rec(2, NOV_1 + 5, 200)] }], NOW + 120_000);
      await batch([{ deviceId: 'd2', records: [rec(3, NOV_1 + 5, 10), rec(4, NOV_1 + 2, 1)] }], NOW + 120_000);
      [, s] = expectSummariesOfRows(2);
      expect(s).toMatchObject({ device_id: 'd2', active_days: 2, awake_seconds: 311, last_active_day: NOV_1 + 5, l_awake: 210 });
      await batch([{ deviceId: 'd2', records: [rec(5, NOV_1 + 2, 7)] }], NOW + 120_000);
      [, s] = expectSummariesOfRows(2);
      expect(s).toMatchObject({ awake_seconds: 318, l_awake: 210 });
    });

    it('joins the platforms of a virtual machine with Central Scan, and keeps the last row when a new day is earlier', async () => {
      await enrol('d1', serverFacts(['central_scan']));
      await batch([{ deviceId: 'd1', records: [rec(1, NOV_1 + 9, 100)] }]);
      await storage.ingest.recordHello({ deviceId: 'd1', instanceId: 'inst-d1', hostname: 'host-d1', agentVersion: '0.1.0', facts: factsOn('windows', ['central_scan']), nowMs: NOW + 120_000 });
      await batch([{ deviceId: 'd1', records: [rec(2, NOV_1 + 3, 30)] }], NOW + 120_000);
      const [s] = expectSummariesOfRows(1);
      expect(s).toMatchObject({ vcs_platforms: ['linux', 'windows'], last_active_day: NOV_1 + 9, l_platform: 'linux', l_awake: 100, active_days: 2 });
    });

    it('drops the company when a new day names another one, and keeps it across two frames of one batch (insert, then bump)', async () => {
      const other = (await seedCustomer(storage, 'Other', NOW)).id;
      await enrol('d1');
      await enrol('d2');
      await batch([{ deviceId: 'd1', records: [rec(1, NOV_1 + 1, 100)] }, { deviceId: 'd2', records: [rec(1, NOV_1 + 1, 100)] }]);
      await storage.ingest.ingestUsageBatch([
        { deviceId: 'd1', companyId: other, records: [rec(2, NOV_1 + 2, 10)], floors: [] },
        { deviceId: 'd2', companyId, records: [rec(2, NOV_1 + 4, 10), rec(3, NOV_1 + 1, 1)], floors: [] },
        { deviceId: 'd2', companyId, records: [rec(4, NOV_1 + 4, 5), rec(5, NOV_1 + 30, 0)], floors: [] },
      ], NOW + 120_000, OPEN);
      const rows = expectSummariesOfRows(3);
      const d1 = rows.find((r) => r.device_id === 'd1')!;
      const d2 = rows.find((r) => r.device_id === 'd2' && r.month_day === NOV_1)!;
      const d2Dec = rows.find((r) => r.device_id === 'd2' && r.month_day === DEC_1)!;
      expect(d1).toMatchObject({ company_id: null, l_company_id: other, active_days: 2 });
      expect(d2).toMatchObject({ company_id: companyId, active_days: 2, awake_seconds: 116, last_active_day: NOV_1 + 4, l_awake: 15 });
      // A new day without awake time: a summary of no active day.
      expect(d2Dec).toMatchObject({ company_id: companyId, active_days: 0, awake_seconds: 0, last_active_day: null, modules: [], l_awake: null });
    });

    it('recomputes a day stored without awake time that gets some, and a clamped day', async () => {
      await enrol('d1');
      await batch([{ deviceId: 'd1', records: [rec(1, NOV_1 + 1, 0), rec(2, NOV_1 + 2, 86_000)] }]);
      await batch([{ deviceId: 'd1', records: [rec(3, NOV_1 + 1, 40), rec(4, NOV_1 + 2, 1_000)] }], NOW + 120_000);
      const [s] = expectSummariesOfRows(1);
      expect(s).toMatchObject({ active_days: 2, awake_seconds: 86_440, last_active_day: NOV_1 + 2, l_awake: 86_400 });
    });
  });
});
