// PostgreSQL backend (pg): the scale-out choice, many stateless collectors on
// one database. Each async store method is one unit of work on one pooled
// client (BEGIN ... COMMIT), or a single autocommit statement where one
// statement is the whole unit. Same contracts, same contract tests as SQLite.
import type { Storage } from '../types.ts';
import { postgresAdminStores } from './admin.ts';
import { postgresAgentStores } from './agents.ts';
import { postgresAuditStore } from './audit.ts';
import { postgresBillingStore } from './billing.ts';
import { postgresReportStore } from './reports.ts';
import { createPool, guard } from './db.ts';
import { applyMigrations, loadMigrations } from './migrate.ts';
import { postgresTenancyStore } from './tenancy.ts';

export interface PostgresOptions {
  /** postgres://user:password@host:port/database (libpq-style parameters such as ?sslmode= are understood). */
  url: string;
  nowMs: number;
  /** Connections per collector (default 10). */
  poolSize?: number;
  /** How long to wait for a connection before reporting storage_unavailable (default 5 s). */
  connectTimeoutMs?: number;
}

export async function openPostgresStorage(opts: PostgresOptions): Promise<Storage> {
  const pool = createPool({ url: opts.url, max: opts.poolSize, connectTimeoutMs: opts.connectTimeoutMs });
  try {
    await applyMigrations(pool, loadMigrations(), opts.nowMs);
  } catch (err) {
    await pool.end().catch(() => {});
    throw err;
  }
  let closed: Promise<void> | null = null;
  // INTERIM (replaced by the Kysely storage's transactional unit of work).
  const self: Storage = {
    unitOfWork: (fn) => fn(self),
    kind: 'postgres',
    ...postgresAgentStores(pool),
    ...postgresAdminStores(pool),
    tenancy: postgresTenancyStore(pool),
    billing: postgresBillingStore(pool),
    audit: postgresAuditStore(pool),
    reports: postgresReportStore(pool),
    ping: guard(async (): Promise<void> => {
      await pool.query('SELECT 1');
    }),
    // pool.end() may be called only once; a second close is a no-op.
    close: () => (closed ??= pool.end()),
  };
  return self;
}
