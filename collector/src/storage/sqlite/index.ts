// SQLite backend (better-sqlite3, WAL), on one connection. The ingest and
// enrolment stores are synchronous better-sqlite3 transactions (agents.ts);
// the admin stores are the shared Kysely ones (../sql) over the same handle.
// Every unit of work of either kind passes the database's gate (gate.ts), so
// none is ever interleaved with another on this connection.
import Database from 'better-sqlite3';
import { Kysely } from '../sql/kysely.ts';
import { closeSync, existsSync, openSync } from 'node:fs';
import { makeDirectories } from '../../../../common/directories.ts';
import { dirname } from 'node:path';
import { sqlStores, sqlUnitOfWork } from '../sql/index.ts';
import { sqliteDialect } from '../sql/dialect.ts';
import type { Database as Schema } from '../sql/schema.ts';
import type { Storage } from '../types.ts';
import { sqliteAgentStores } from './agents.ts';
import { gateOf } from './gate.ts';
import { gatedGuard, wrapStorageFailure } from './guard.ts';
import { gatedSqliteDialect } from './kysely-driver.ts';
import { startCheckpointer, type Checkpointer } from './checkpointer.ts';
import type { MigrationProgress } from '../sql/migrate.ts';
import { applyMigrations, loadMigrations } from './migrate.ts';

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
  /** The size of the first hello group commit (hellos) that starts the worker (default 50). */
  checkpointWorkerFromHellos?: number;
  /** Told when the checkpoint worker starts (serve logs it). */
  onCheckpointWorker?: () => void;
  /** How long a unit of work waits for the database's gate before failing as storage_unavailable (default 10 s; gate.ts). */
  gateWaitMs?: number;
  /** Told before and after each migration applied at open (a start that migrates a large database can take minutes). */
  onMigration?: MigrationProgress;
  /** Called with every statement this connection runs, its parameters filled in (diagnostics; tests count and EXPLAIN them). */
  trace?: (sql: string) => void;
}

const CHECKPOINT_WORKER_FROM_RECORDS = 2_000;
/**
 * Hellos come in bulk only when many agents connect at once (a collector
 * restart, an upgrade): each rewrites its device's row, a page of its own, so
 * a storm fills the WAL as fast as usage does, and SQLite's own checkpoint
 * would copy and fsync it inside a hello commit, on the event loop, stalling
 * every connection for as long as the disk takes.
 */
const CHECKPOINT_WORKER_FROM_HELLOS = 50;

export function openSqliteStorage(opts: SqliteOptions): Storage {
  if (opts.path !== ':memory:' && !existsSync(opts.path)) {
    // Owner-only folders (made one level at a time: a path under /proc is refused, not spun on) and
    // an owner-only file: SQLite gives its -wal and -shm files the database file's mode.
    makeDirectories(dirname(opts.path));
    closeSync(openSync(opts.path, 'a', 0o600));
  }
  const db = new Database(opts.path, opts.trace ? { verbose: (sql) => opts.trace!(String(sql)) } : {});
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
    applyMigrations(db, loadMigrations(), opts.nowMs, opts.onMigration);
  } catch (err) {
    db.close();
    throw err;
  }
  const { gate, release: releaseGate } = gateOf(opts.path, opts.gateWaitMs);
  const guard = gatedGuard(gate);
  const kysely = new Kysely<Schema>({ dialect: gatedSqliteDialect(db, gate) });
  // Reads the schema page: the file is open and readable. It takes no write lock and
  // changes nothing, so it needs no gate and never queues behind units of work: a
  // backlog of writes failing on another process's lock (250 ms each) must not make
  // /healthz time out while the collector is answering.
  const ping = db.prepare('SELECT count(*) AS n FROM (SELECT 1 FROM sqlite_schema LIMIT 1)');
  const agents = sqliteAgentStores(db, guard);
  // Started by the first large group commit: small loads keep SQLite's own
  // checkpoints (cheap at that size), and stores that never see one (tests,
  // the CLI's admin commands) need no thread. Once the worker runs, the WAL
  // is rewritten in place instead of growing to 1,000 pages first, so a full
  // disk shows only when the database file or the WAL must grow.
  let checkpointer: Checkpointer | null = null;
  const checkpointFromWorker = () => {
    if (checkpointer !== null || opts.path === ':memory:' || opts.checkpointWorker === false || !db.open) return;
    try {
      checkpointer = startCheckpointer(db, opts.path);
      opts.onCheckpointWorker?.();
    } catch {
      checkpointer = { stop: async () => {} }; // no worker: SQLite's own checkpoints stay on
    }
  };
  const ingestUsageBatch: typeof agents.ingest.ingestUsageBatch = (units, nowMs, late) => {
    if (checkpointer === null && units.reduce((n, u) => n + u.records.length, 0) >= (opts.checkpointWorkerFromRecords ?? CHECKPOINT_WORKER_FROM_RECORDS)) {
      checkpointFromWorker();
    }
    return agents.ingest.ingestUsageBatch(units, nowMs, late);
  };
  const recordHellos: typeof agents.ingest.recordHellos = (units) => {
    if (checkpointer === null && units.length >= (opts.checkpointWorkerFromHellos ?? CHECKPOINT_WORKER_FROM_HELLOS)) checkpointFromWorker();
    return agents.ingest.recordHellos(units);
  };
  return {
    kind: 'sqlite',
    enrolment: agents.enrolment,
    ingest: { ...agents.ingest, ingestUsageBatch, recordHellos },
    ...sqlStores({ db: kysely, dialect: sqliteDialect, inUnitOfWork: false }),
    unitOfWork: sqlUnitOfWork(kysely, sqliteDialect),
    ping: async (): Promise<void> => {
      try {
        ping.get();
      } catch (err) {
        wrapStorageFailure(err);
      }
    },
    close: async () => {
      await checkpointer?.stop();
      // After the unit of work in progress, if any (bounded: a stuck one is not waited for forever).
      const entered = await gate.enter().then(() => true, () => false);
      try {
        db.close();
      } finally {
        if (entered) gate.leave();
        releaseGate();
      }
    },
  };
}
