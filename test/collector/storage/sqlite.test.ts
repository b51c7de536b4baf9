// The storage contract on SQLite, plus what only SQLite has: WAL mode, the
// migration table in a file, and a database locked by another process.
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { summaryPageStatement } from '../../../collector/src/storage/sql/billing.ts';
import { openSqliteStorage } from '../../../collector/src/storage/sqlite/index.ts';
import { applyMigrations, loadMigrations } from '../../../collector/src/storage/sqlite/migrate.ts';
import { StorageError, type Storage } from '../../../collector/src/storage/types.ts';
import { DAY, NOW, storageContract } from './contract.ts';
import { sqliteDedupeMarks } from './dedupe-marks.ts';
import { sqliteBillingInputs } from '../../helpers/billing-oracle.ts';
import { BIG_INSTANT, NOTES_MIGRATION } from './shared-migrations.ts';
import { seedCustomer } from '../../helpers/seed.ts';

storageContract('SQLite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tally-sqlite-'));
  const path = join(dir, 't.db');
  const handles: Storage[] = [openSqliteStorage({ path, nowMs: NOW })];
  return {
    storage: handles[0],
    peer: async () => {
      const s = openSqliteStorage({ path, nowMs: NOW });
      handles.push(s);
      return s;
    },
    // SQLite keeps a stream's in-order stored seqs as a run [floor, stored_below)
    // and only the others as receipt rows (migration 0005): the marks are both.
    billingInputs: (month, fromDay, toDay) => sqliteBillingInputs(path, month, fromDay, toDay),
    receipts: async (deviceId) => {
      const db = new Database(path, { readonly: true });
      try {
        return sqliteDedupeMarks(db, deviceId);
      } finally {
        db.close();
      }
    },
    dispose: async () => {
      for (const h of handles) await h.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});

describe('SQLite specifics', () => {
  let dir: string;
  let storage: Storage;
  let companyId: string;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tally-sqlite-'));
    storage = openSqliteStorage({ path: join(dir, 't.db'), nowMs: NOW });
    companyId = (await seedCustomer(storage, 'Acme', NOW)).id;
  });
  afterEach(async () => {
    await storage.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("reads a month's summaries with their devices' company, uninstall and retirement from the covering index, never the devices' rows", () => {
    const db = new Database(join(dir, 't.db'), { readonly: true });
    try {
      const plan = (db.prepare(`EXPLAIN QUERY PLAN ${summaryPageStatement('sqlite').text}`).all(20_758, '', '', 10) as { detail: string }[]).map((r) => r.detail);
      expect(plan).toEqual([expect.stringContaining('device_month_summaries'), 'SEARCH d USING COVERING INDEX devices_billing (id=?)']);
    } finally {
      db.close();
    }
  });

  it('runs in WAL mode and records each migration once', async () => {
    await storage.close();
    storage = openSqliteStorage({ path: join(dir, 't.db'), nowMs: NOW }); // second open applies nothing new
    const db = new Database(join(dir, 't.db'), { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    const rows = db.prepare('SELECT version FROM schema_migrations').all() as { version: number }[];
    expect(rows.map((r) => r.version)).toEqual(loadMigrations().map((m) => m.version));
    db.close();
  });

  it('runs a migration written once in TypeScript after the .sql history, records it once, and a collector without it refuses the database', async () => {
    const path = join(dir, 'migrated.db');
    const db = new Database(path);
    try {
      const sequence = loadMigrations(undefined, [NOTES_MIGRATION]);
      expect(sequence.map((m) => m.version)).toEqual([1, 2, 3, 4, 5, 6]);
      // Progress is told for each migration applied (serve logs it: a backfill can take minutes), and nothing when none is.
      const told: string[] = [];
      const progress = (m: { phase: string; version: number; name: string; index: number; count: number }) => told.push(`${m.phase} ${m.version} ${m.name} ${m.index + 1}/${m.count}`);
      expect(applyMigrations(db, sequence.slice(0, 4), NOW).applied).toEqual([1, 2, 3, 4]);
      expect(applyMigrations(db, sequence, NOW, progress).applied).toEqual([5, 6]);
      expect(told).toEqual([`start 5 ${sequence[4].name} 1/2`, `done 5 ${sequence[4].name} 1/2`, 'start 6 test_notes 2/2', 'done 6 test_notes 2/2']);
      expect(applyMigrations(db, sequence, NOW, progress).applied).toEqual([]);
      expect(told).toHaveLength(4);
      expect(db.prepare('SELECT version, name FROM schema_migrations WHERE version = 6').all()).toEqual([{ version: 6, name: 'test_notes' }]);
      expect(db.prepare('SELECT id, at, pinned, body FROM test_notes').all()).toEqual([{ id: 'n1', at: BIG_INSTANT, pinned: 1, body: Buffer.from('note') }]);
    } finally {
      db.close();
    }
    expect(() => openSqliteStorage({ path, nowMs: NOW })).toThrow(/migration 6 \(test_notes\)/);
    // Numbers are one sequence across both kinds: no repeat of a .sql number, no gap.
    expect(() => loadMigrations(undefined, [{ ...NOTES_MIGRATION, version: 5 }])).toThrow(/without gaps or repeats/);
    expect(() => loadMigrations(undefined, [{ ...NOTES_MIGRATION, version: 7 }])).toThrow(/without gaps or repeats/);
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

  describe('the gate: one unit of work at a time on the connection', () => {
    const record = { stream: 's', seq: 1, utcDay: DAY, awakeSeconds: 10, bootId: 'b' };
    const OPEN = { adjustableFromDay: 0 };

    /** Runs a unit of work that writes, then waits between two statements until released, then fails. */
    function heldUnitOfWork(s: Storage) {
      let opened!: () => void;
      let release!: () => void;
      const between = new Promise<void>((resolve) => (opened = resolve));
      const held = new Promise<void>((resolve) => (release = resolve));
      const done = s.unitOfWork(async (tx) => {
        await tx.tenancy.createCompany({ id: 'p1', name: 'Partner', type: 'partner', parentId: null, externalId: null, nowMs: NOW });
        opened();
        await held;
        await tx.audit.append({ atMs: NOW, actor: 'cli', action: 'company.create', targetType: 'company', targetId: 'p1', companyId: 'p1', details: {} });
        throw new Error('rolled back on purpose');
      });
      return { between, release, done };
    }

    it('keeps an ingest batch out of an open admin unit of work: the unit rolls back, the batch stays', async () => {
      await storage.enrolment.enrolDevice({ deviceId: 'd1', companyId, keyHash: 'hash-d1', instanceId: 'i', hostname: 'h', facts: null, agentVersion: '0.1.0', nowMs: NOW });
      const unit = heldUnitOfWork(storage);
      await unit.between;
      // Issued while the unit of work is between two statements: without the gate,
      // better-sqlite3 would run it as a SAVEPOINT inside that transaction.
      const batch = storage.ingest.ingestUsageBatch([{ deviceId: 'd1', companyId, records: [record], floors: [] }], NOW, OPEN);
      // And a single admin statement on the storage itself (not the unit's stores): it must not join it either.
      const audit = storage.audit.append({ atMs: NOW, actor: 'cli', action: 'outside', targetType: 't', targetId: 'x', companyId: null, details: {} });
      await new Promise((resolve) => setTimeout(resolve, 30));
      unit.release();
      await expect(unit.done).rejects.toThrow('rolled back on purpose');
      expect((await batch)[0].outcomes).toEqual(['stored']);
      await audit;
      expect(await storage.tenancy.getCompany('p1')).toBeNull();
      expect((await storage.adminRead.usageForDays(DAY, DAY + 1, { after: null, limit: 10 })).items.map((u) => u.awakeSeconds)).toEqual([10]);
      expect((await storage.audit.list({ companyIds: null, beforeId: null, limit: 10 })).map((e) => e.action)).toEqual(['outside']);
      // The batch is really stored: sent again, it is a duplicate.
      expect((await storage.ingest.ingestUsage('d1', companyId, [record], [], NOW, OPEN)).outcomes).toEqual(['duplicate']);
    });

    it('shares the gate between connections to the same file in one process', async () => {
      const other = openSqliteStorage({ path: join(dir, 't.db'), nowMs: NOW });
      try {
        await storage.enrolment.enrolDevice({ deviceId: 'd1', companyId, keyHash: 'hash-d1', instanceId: 'i', hostname: 'h', facts: null, agentVersion: '0.1.0', nowMs: NOW });
        const unit = heldUnitOfWork(storage);
        await unit.between;
        // Another collector's connection in this thread: SQLite's busy wait would block the very
        // thread the open unit of work needs, and fail; the shared gate makes it wait its turn.
        const batch = other.ingest.ingestUsageBatch([{ deviceId: 'd1', companyId, records: [record], floors: [] }], NOW, OPEN);
        const company = other.tenancy.createCompany({ id: 'p2', name: 'Other', type: 'partner', parentId: null, externalId: null, nowMs: NOW });
        await new Promise((resolve) => setTimeout(resolve, 30));
        unit.release();
        await expect(unit.done).rejects.toThrow('rolled back on purpose');
        expect((await batch)[0].outcomes).toEqual(['stored']);
        expect((await company).id).toBe('p2');
      } finally {
        await other.close();
      }
    });

    it('fails a unit of work that calls the storage itself instead of its stores, rather than waiting for itself forever', async () => {
      await storage.close();
      storage = openSqliteStorage({ path: join(dir, 'gate.db'), nowMs: NOW, gateWaitMs: 100 });
      await expect(storage.unitOfWork(async (tx) => {
        await tx.audit.append({ atMs: NOW, actor: 'cli', action: 'a', targetType: 't', targetId: 'x', companyId: null, details: {} });
        await storage.audit.append({ atMs: NOW, actor: 'cli', action: 'b', targetType: 't', targetId: 'x', companyId: null, details: {} });
      })).rejects.toMatchObject({ code: 'storage_unavailable', message: expect.stringMatching(/use the stores it passes/) });
      expect(await storage.audit.list({ companyIds: null, beforeId: null, limit: 10 })).toEqual([]);
    });
  });

  it('reports a locked database as storage_unavailable and stores nothing', async () => {
    await storage.enrolment.enrolDevice({ deviceId: 'd1', companyId, keyHash: 'hash-d1', instanceId: 'i', hostname: 'h', facts: null, agentVersion: '0.1.0', nowMs: NOW });
    const other = new Database(join(dir, 't.db'));
    other.exec('BEGIN IMMEDIATE');
    await storage.close();
    storage = openSqliteStorage({ path: join(dir, 't.db'), nowMs: NOW, busyTimeoutMs: 50 });
    const record = { stream: 's', seq: 1, utcDay: DAY, awakeSeconds: 5, bootId: 'b' };
    const attempt = storage.ingest.ingestUsage('d1', companyId, [record], [], NOW, { adjustableFromDay: 0 });
    await expect(attempt).rejects.toMatchObject({ code: 'storage_unavailable' });
    other.exec('ROLLBACK');
    other.close();
    // Once the lock is gone the same record goes in: the failure consumed nothing.
    expect((await storage.ingest.ingestUsage('d1', companyId, [record], [], NOW, { adjustableFromDay: 0 })).outcomes).toEqual(['stored']);
  });
});
