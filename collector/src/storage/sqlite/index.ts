// SQLite backend (better-sqlite3, WAL). better-sqlite3 is synchronous: each
// async store method runs one synchronous transaction, so a unit of work is
// never interleaved with another on this connection.
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Storage } from '../types.ts';
import { sqliteAdminStores } from './admin.ts';
import { sqliteAgentStores } from './agents.ts';
import { sqliteAuditStore } from './audit.ts';
import { sqliteBillingStore } from './billing.ts';
import { sqliteReportStore } from './reports.ts';
import { guard } from './guard.ts';
import { startCheckpointer, type Checkpointer } from './checkpointer.ts';
import { applyMigrations, loadMigrations } from './migrate.ts';
import { sqliteTenancyStore } from './tenancy.ts';

export interface SqliteOptions {
  /** File path, or ':memory:' for tests. */
  path: string;
  nowMs: number;
  /** How long a writer waits for a lock held by another process (default 250 ms; see below). */
  busyTimeoutMs?: number;
  /**
   * Run WAL checkpoints in a worker thread once group commits start (default
   * true; see checkpointer.ts). False: SQLite's automatic checkpoint, inside
   * the commit.
   */
  checkpointWorker?: boolean;
  /** The size of the first group commit (records) that starts the worker (default 2,000). */
  checkpointWorkerFromRecords?: number;
}

const CHECKPOINT_WORKER_FROM_RECORDS = 2_000;

export function openSqliteStorage(opts: SqliteOptions): Storage {
  if (opts.path !== ':memory:') mkdirSync(dirname(opts.path), { recursive: true });
  const db = new Database(opts.path);
  try {
    db.pragma('journal_mode = WAL');
    // NORMAL in WAL mode can lose the last transactions on power loss; usage
    // is acknowledged to agents only after commit, so pay for FULL.
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    // better-sqlite3 is synchronous: a write waiting for a lock held by another
    // process stalls the whole event loop (pings, the API, every agent) for as
    // long as it waits. Wait briefly and fail instead: the frame is not
    // acknowledged, the agent resends, nothing is lost.
    db.pragma(`busy_timeout = ${opts.busyTimeoutMs ?? 250}`);
    applyMigrations(db, loadMigrations(), opts.nowMs);
  } catch (err) {
    db.close();
    throw err;
  }
  const ping = db.prepare('SELECT 1');
  const agents = sqliteAgentStores(db);
  // Started by the first large group commit: small loads keep SQLite's own
  // checkpoints (cheap at that size), and stores that never see one (tests,
  // the CLI's admin commands) need no thread. Once the worker runs, the WAL
  // is rewritten in place instead of growing to 1,000 pages first, so a full
  // disk shows only when the database file or the WAL must grow.
  let checkpointer: Checkpointer | null = null;
  const ingestUsageBatch: typeof agents.ingest.ingestUsageBatch = (units, nowMs, late) => {
    if (checkpointer === null && opts.path !== ':memory:' && opts.checkpointWorker !== false && db.open
      && units.reduce((n, u) => n + u.records.length, 0) >= (opts.checkpointWorkerFromRecords ?? CHECKPOINT_WORKER_FROM_RECORDS)) {
      try {
        checkpointer = startCheckpointer(db, opts.path);
      } catch {
        checkpointer = { stop: async () => {} }; // no worker: SQLite's own checkpoints stay on
      }
    }
    return agents.ingest.ingestUsageBatch(units, nowMs, late);
  };
  // INTERIM (replaced by the Kysely storage's transactional unit of work).
  const self: Storage = {
    unitOfWork: (fn) => fn(self),
    kind: 'sqlite',
    enrolment: agents.enrolment,
    ingest: { ...agents.ingest, ingestUsageBatch },
    ...sqliteAdminStores(db),
    tenancy: sqliteTenancyStore(db),
    billing: sqliteBillingStore(db),
    audit: sqliteAuditStore(db),
    reports: sqliteReportStore(db),
    ping: guard((): void => {
      ping.get();
    }),
    close: async () => {
      await checkpointer?.stop();
      db.close();
    },
  };
  return self;
}
