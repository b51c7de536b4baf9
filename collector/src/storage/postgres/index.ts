// PostgreSQL backend (pg): the scale-out choice, many stateless collectors on
// one database. Each async store method is one unit of work on one pooled
// client (BEGIN ... COMMIT), or a single autocommit statement where one
// statement is the whole unit. The ingest and enrolment stores are set-based
// SQL of their own (agents.ts); the admin stores are the shared Kysely ones
// (../sql) over the same pool. Same contracts, same contract tests as SQLite.
import { Kysely, PostgresDialect } from '../sql/kysely.ts';
import { postgresDialect } from '../sql/dialect.ts';
import { sqlStores, sqlUnitOfWork } from '../sql/index.ts';
import type { Database as Schema } from '../sql/schema.ts';
import type { Storage } from '../types.ts';
import { postgresAgentStores } from './agents.ts';
import { createPool, guard } from './db.ts';
import { kyselyPool } from './kysely-pool.ts';
import type { MigrationProgress } from '../sql/migrate.ts';
import { applyMigrations, loadMigrations } from './migrate.ts';

export interface PostgresOptions {
  /** postgres://user:password@host:port/database (libpq-style parameters such as ?sslmode= are understood). */
  url: string;
  nowMs: number;
  /** Connections per collector (default 10). */
  poolSize?: number;
  /** How long to wait for a connection before reporting storage_unavailable (default 5 s). */
  connectTimeoutMs?: number;
  /** Told before and after each migration applied at open (a start that migrates a large database can take minutes). */
  onMigration?: MigrationProgress;
}

export async function openPostgresStorage(opts: PostgresOptions): Promise<Storage> {
  const pool = createPool({ url: opts.url, max: opts.poolSize, connectTimeoutMs: opts.connectTimeoutMs });
  try {
    await applyMigrations(pool, loadMigrations(), opts.nowMs, opts.onMigration);
  } catch (err) {
    await pool.end().catch(() => {});
    throw err;
  }
  const kysely = new Kysely<Schema>({ dialect: new PostgresDialect({ pool: kyselyPool(pool) }) });
  let closed: Promise<void> | null = null;
  return {
    kind: 'postgres',
    ...postgresAgentStores(pool),
    ...sqlStores({ db: kysely, dialect: postgresDialect, inUnitOfWork: false }),
    unitOfWork: sqlUnitOfWork(kysely, postgresDialect),
    ping: guard(async (): Promise<void> => {
      await pool.query('SELECT 1');
    }),
    // pool.end() may be called only once; a second close is a no-op.
    close: () => (closed ??= pool.end()),
  };
}
