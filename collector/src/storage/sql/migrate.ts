// The numbered migration sequence of a backend: the history written per
// dialect (NNNN_name.sql, 0001-0005) followed by the migrations written once
// in TypeScript (sql/migrations, 0006 on). A TypeScript migration builds its
// statements with Kysely for the backend at hand (schema builder, queries, or
// `sql` with the dialect helper) and they are compiled, not run, here: each
// backend's migrator (sqlite/migrate.ts, synchronous; postgres/migrate.ts,
// under an advisory lock) executes the compiled text in its own way and
// records it in the same schema_migrations table.
import type { Compilable, Kysely as KyselyInstance } from 'kysely';
import {
  DummyDriver, Kysely, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler, SqliteAdapter, SqliteIntrospector, SqliteQueryCompiler,
} from './kysely.ts';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { StorageError } from '../types.ts';
import { postgresDialect, sqliteDialect, type SqlDialect } from './dialect.ts';
import { SHARED_MIGRATIONS } from './migrations/index.ts';

/** One statement of a migration; a .sql file is one script of several, without parameters. */
export interface MigrationStatement {
  sql: string;
  parameters: readonly unknown[];
}

export interface Migration {
  version: number;
  name: string;
  statements: MigrationStatement[];
}

/**
 * Told before and after each migration a migrator applies, so a start that
 * migrates a large database (a backfill can take minutes) says what it is
 * doing instead of looking hung.
 */
export type MigrationProgress = (event: { phase: 'start'; version: number; name: string; index: number; count: number }
  | { phase: 'done'; version: number; name: string; index: number; count: number; ms: number }) => void;

/** A migration written once for both backends. */
export interface SharedMigration {
  version: number;
  /** Lower case, digits and underscores: what schema_migrations records. */
  name: string;
  /**
   * The migration's statements, in order, built with `db` (a Kysely that
   * only compiles, for the backend being migrated) and `dialect` (its column
   * types and fragments). Runs in the migrator's transaction.
   */
  up(db: KyselyInstance<any>, dialect: SqlDialect): Compilable[];
}

/** A Kysely that compiles statements for a backend and runs none. */
function compiler(dialect: SqlDialect): KyselyInstance<any> {
  const postgres = dialect.name === 'postgres';
  return new Kysely<any>({
    dialect: {
      createAdapter: () => (postgres ? new PostgresAdapter() : new SqliteAdapter()),
      createDriver: () => new DummyDriver(),
      createIntrospector: (db) => (postgres ? new PostgresIntrospector(db) : new SqliteIntrospector(db)),
      createQueryCompiler: () => (postgres ? new PostgresQueryCompiler() : new SqliteQueryCompiler()),
    },
  });
}

const MIGRATION_FILE = /^(\d{4})_([a-z0-9_]+)\.sql$/;
const MIGRATION_NAME = /^[a-z0-9_]+$/;

/**
 * The backend's whole sequence: the .sql files in `dir`, then `shared`
 * compiled for the backend, numbered 1..n without gaps or repeats.
 */
export function loadMigrationSequence(backend: 'sqlite' | 'postgres', dir: string, shared: readonly SharedMigration[] = SHARED_MIGRATIONS): Migration[] {
  const files = readdirSync(dir)
    .map((file) => ({ file, match: MIGRATION_FILE.exec(file) }))
    .filter((m): m is { file: string; match: RegExpExecArray } => m.match !== null)
    .map(({ file, match }): Migration => ({
      version: Number(match[1]), name: match[2], statements: [{ sql: readFileSync(join(dir, file), 'utf8'), parameters: [] }],
    }));
  const dialect = backend === 'postgres' ? postgresDialect : sqliteDialect;
  const db = compiler(dialect);
  const written = shared.map((m): Migration => {
    if (!MIGRATION_NAME.test(m.name)) throw new Error(`migration ${m.version}: name ${JSON.stringify(m.name)} must be lower case, digits and underscores`);
    return { version: m.version, name: m.name, statements: m.up(db, dialect).map((q) => { const c = q.compile(); return { sql: c.sql, parameters: c.parameters }; }) };
  });
  const migrations = [...files, ...written].sort((a, b) => a.version - b.version);
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`migrations must be numbered 1..n without gaps or repeats; found ${m.version} (${m.name}) at position ${i + 1}`);
  });
  return migrations;
}

/** Refuses a database that records a migration this build does not have (by number and name): a newer or different collector wrote it. */
export function assertKnownMigrations(recorded: readonly { version: number; name: string }[], migrations: readonly Migration[]): void {
  const known = new Map(migrations.map((m) => [m.version, m]));
  for (const row of recorded) {
    const mine = known.get(row.version);
    if (!mine || mine.name !== row.name) {
      throw new StorageError('unknown_migration',
        `database has migration ${row.version} (${row.name}) that this collector does not know; it was written by a newer or different version. Refusing to start.`);
    }
  }
}
