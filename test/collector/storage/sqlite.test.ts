// The storage contract on SQLite, plus what only SQLite has: WAL mode, the
// migration table in a file, and a database locked by another process.
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqliteStorage } from '../../../collector/src/storage/sqlite/index.ts';
import { loadMigrations } from '../../../collector/src/storage/sqlite/migrate.ts';
import { StorageError, type Storage } from '../../../collector/src/storage/types.ts';
import { DAY, NOW, storageContract } from './contract.ts';
import { sqliteDedupeMarks } from './dedupe-marks.ts';
import { sqliteBillingInputs } from '../../helpers/billing-oracle.ts';

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
    companyId = (await storage.adminWrite.ensureCustomerCompany('Acme', NOW)).id;
  });
  afterEach(async () => {
    await storage.close();
    rmSync(dir, { recursive: true, force: true });
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
