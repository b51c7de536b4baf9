import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqliteStorage } from '../../collector/src/storage/sqlite/index.ts';
import { StorageError, type Storage } from '../../collector/src/storage/types.ts';

const OPEN = { adjustableFromDay: 0 }; // no month finalized in these tests

const NOW = Date.UTC(2026, 10, 15, 12); // 2026-11-15T12:00Z
const DAY = Math.floor(NOW / 86_400_000);

let dir: string;
let storage: Storage;
let companyId: string;

async function enrol(id: string) {
  await storage.enrolment.enrolDevice({ deviceId: id, companyId, keyHash: `hash-${id}`, instanceId: `inst-${id}`, hostname: `host-${id}`, facts: null, agentVersion: '0.1.0', nowMs: NOW });
}

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tally-sqlite-'));
  storage = openSqliteStorage({ path: join(dir, 't.db'), nowMs: NOW });
  companyId = (await storage.adminWrite.ensureCustomerCompany('Acme', NOW)).id;
});
afterEach(async () => {
  await storage.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('migrations', () => {
  it('runs in WAL mode and records each migration once', async () => {
    await storage.close();
    storage = openSqliteStorage({ path: join(dir, 't.db'), nowMs: NOW }); // second open applies nothing new
    const db = new Database(join(dir, 't.db'), { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    const rows = db.prepare('SELECT version FROM schema_migrations').all() as { version: number }[];
    expect(rows.map((r) => r.version)).toEqual([1, 2]);
    db.close();
  });

  it('refuses a database holding a migration it does not know', async () => {
    await storage.close();
    const db = new Database(join(dir, 't.db'));
    db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, ?, 0)').run('from_the_future');
    db.close();
    let caught: unknown;
    try {
      openSqliteStorage({ path: join(dir, 't.db'), nowMs: NOW });
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(StorageError);
    expect((caught as StorageError).code).toBe('unknown_migration');
    expect((caught as Error).message).toMatch(/migration 999 \(from_the_future\)/);
    storage = openSqliteStorage({ path: join(dir, 'other.db'), nowMs: NOW }); // for afterEach
  });
});

describe('usage ingest', () => {
  it('folds new records into device-day rows and ignores repeats of the same (stream, seq)', async () => {
    await enrol('d1');
    const recs = [
      { stream: 's', seq: 1, utcDay: DAY, awakeSeconds: 300, bootId: 'b' },
      { stream: 's', seq: 2, utcDay: DAY, awakeSeconds: 300, bootId: 'b' },
      { stream: 's', seq: 3, utcDay: DAY - 1, awakeSeconds: 100, bootId: 'b' },
    ];
    expect((await storage.ingest.ingestUsage('d1', companyId, recs, [], NOW, OPEN)).outcomes).toEqual(['stored', 'stored', 'stored']);
    // The same batch again (a lost ack): nothing changes.
    expect((await storage.ingest.ingestUsage('d1', companyId, recs, [], NOW, OPEN)).outcomes).toEqual(['duplicate', 'duplicate', 'duplicate']);
    const page = await storage.adminRead.usageForDays(DAY - 1, DAY + 1, { after: null, limit: 10 });
    expect(page.items).toEqual([{ deviceId: 'd1', hostname: 'host-d1', companyId, awakeSeconds: 700, activeDays: 2 }]);
  });

  it('forgets receipts below the floor but still treats those sequences as settled', async () => {
    await enrol('d1');
    await storage.ingest.ingestUsage('d1', companyId, [{ stream: 's', seq: 1, utcDay: DAY, awakeSeconds: 60, bootId: 'b' }], [], NOW, OPEN);
    await storage.ingest.ingestUsage('d1', companyId, [{ stream: 's', seq: 2, utcDay: DAY, awakeSeconds: 60, bootId: 'b' }], [{ stream: 's', oldestUnackedSeq: 2 }], NOW, OPEN);
    const r = await storage.ingest.ingestUsage('d1', companyId, [{ stream: 's', seq: 1, utcDay: DAY, awakeSeconds: 60, bootId: 'b' }], [], NOW, OPEN);
    expect(r.outcomes).toEqual(['duplicate']);
    const db = new Database(join(dir, 't.db'), { readonly: true });
    expect((db.prepare('SELECT seq FROM receipts ORDER BY seq').all() as { seq: number }[]).map((x) => x.seq)).toEqual([2]);
    db.close();
    const page = await storage.adminRead.usageForDays(DAY, DAY + 1, { after: null, limit: 10 });
    expect(page.items[0].awakeSeconds).toBe(120);
  });

  it('keeps streams and devices apart: the same seq on another stream or device is new', async () => {
    await enrol('d1');
    await enrol('d2');
    const rec = { stream: 's', seq: 1, utcDay: DAY, awakeSeconds: 10, bootId: 'b' };
    await storage.ingest.ingestUsage('d1', companyId, [rec], [], NOW, OPEN);
    expect((await storage.ingest.ingestUsage('d1', companyId, [{ ...rec, stream: 't' }], [], NOW, OPEN)).outcomes).toEqual(['stored']);
    expect((await storage.ingest.ingestUsage('d2', companyId, [rec], [], NOW, OPEN)).outcomes).toEqual(['stored']);
  });

  it('never lets a device-day exceed 86,400 s', async () => {
    await enrol('d1');
    const r = await storage.ingest.ingestUsage('d1', companyId, [
      { stream: 's', seq: 1, utcDay: DAY, awakeSeconds: 86_000, bootId: 'a' },
      { stream: 's', seq: 2, utcDay: DAY, awakeSeconds: 1_000, bootId: 'b' },
    ], [], NOW, OPEN);
    expect(r.clampedSeconds).toBe(600);
    const page = await storage.adminRead.usageForDays(DAY, DAY + 1, { after: null, limit: 10 });
    expect(page.items[0].awakeSeconds).toBe(86_400);
  });

  it('counts a month as [first day, first day of next month) in UTC', async () => {
    await enrol('d1');
    const nov1 = Date.UTC(2026, 10, 1) / 86_400_000;
    const dec1 = Date.UTC(2026, 11, 1) / 86_400_000;
    await storage.ingest.ingestUsage('d1', companyId, [
      { stream: 's', seq: 1, utcDay: nov1 - 1, awakeSeconds: 5, bootId: 'b' }, // Oct 31
      { stream: 's', seq: 2, utcDay: nov1, awakeSeconds: 7, bootId: 'b' },
      { stream: 's', seq: 3, utcDay: dec1 - 1, awakeSeconds: 11, bootId: 'b' }, // Nov 30
      { stream: 's', seq: 4, utcDay: dec1, awakeSeconds: 13, bootId: 'b' },
    ], [], NOW, OPEN);
    const page = await storage.adminRead.usageForDays(nov1, dec1, { after: null, limit: 10 });
    expect(page.items[0]).toMatchObject({ awakeSeconds: 18, activeDays: 2 });
  });

  it('stores events once and marks an uninstalled device', async () => {
    await enrol('d1');
    const ev = { stream: 'events/x', seq: 1, occurredAtMs: NOW - 1000, kind: 'uninstalled' as const, payload: { reason: 'msiexec /x' } };
    expect(await storage.ingest.recordEvents('d1', [ev], NOW)).toEqual(['stored']);
    expect(await storage.ingest.recordEvents('d1', [ev], NOW)).toEqual(['duplicate']);
    const { items } = await storage.adminRead.listDevices({ after: null, limit: 10 });
    expect(items[0].uninstalledAtMs).toBe(NOW - 1000);
  });

  it('pages devices with a stable cursor', async () => {
    for (const id of ['a', 'b', 'c']) await enrol(id);
    const p1 = await storage.adminRead.listDevices({ after: null, limit: 2 });
    expect(p1.items.map((d) => d.id)).toEqual(['a', 'b']);
    expect(p1.next).toBe('b');
    const p2 = await storage.adminRead.listDevices({ after: p1.next, limit: 2 });
    expect(p2.items.map((d) => d.id)).toEqual(['c']);
    expect(p2.next).toBeNull();
  });

  it('reports a locked database as storage_unavailable and stores nothing', async () => {
    await enrol('d1');
    const other = new Database(join(dir, 't.db'));
    other.exec('BEGIN IMMEDIATE');
    await storage.close();
    storage = openSqliteStorage({ path: join(dir, 't.db'), nowMs: NOW, busyTimeoutMs: 50 });
    const attempt = storage.ingest.ingestUsage('d1', companyId, [{ stream: 's', seq: 1, utcDay: DAY, awakeSeconds: 5, bootId: 'b' }], [], NOW, OPEN);
    await expect(attempt).rejects.toMatchObject({ code: 'storage_unavailable' });
    other.exec('ROLLBACK');
    other.close();
    // Once the lock is gone the same record goes in: the failure consumed nothing.
    expect((await storage.ingest.ingestUsage('d1', companyId, [{ stream: 's', seq: 1, utcDay: DAY, awakeSeconds: 5, bootId: 'b' }], [], NOW, OPEN)).outcomes).toEqual(['stored']);
  });
});
