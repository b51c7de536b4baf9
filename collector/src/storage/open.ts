// Picks the backend from the --db setting: a postgres:// or postgresql:// URL
// means PostgreSQL, anything else is a SQLite file path. Each backend is
// loaded when chosen: a SQLite collector never loads pg, and the reverse.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { CliError } from '../../../common/cli.ts';
import { StateDirError, describeFsError } from '../../../common/directories.ts';
import { StorageError, type Storage } from './types.ts';
import type { MigrationProgress } from './sql/migrate.ts';

export const isPostgresUrl = (db: string) => /^postgres(ql)?:\/\//i.test(db);

/** The URL without its password, for messages and logs. */
export function redactDbUrl(db: string): string {
  if (!isPostgresUrl(db)) return db;
  try {
    const u = new URL(db);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgres://(unparseable URL)';
  }
}

/** How the database is named to a person: the PostgreSQL URL without its password, or the SQLite file's absolute path. */
export function describeDatabase(db: string): string {
  return isPostgresUrl(db) ? redactDbUrl(db) : resolve(db);
}

export interface OpenStorageOptions {
  /**
   * Whether a SQLite file that does not exist may be created (default true:
   * `serve`). The admin commands pass false unless told `--init`: run from
   * another folder, they would otherwise create an empty database there and
   * print a key the running collector does not know.
   */
  create?: boolean;
  /** Told before and after each migration applied at open (serve logs them: a large backfill takes minutes). */
  onMigration?: MigrationProgress;
  /** SQLite: told when WAL checkpoints move to a worker thread (the first large group commit; serve logs it). */
  onCheckpointWorker?: () => void;
}

export async function openStorage(db: string, nowMs: number, opts: OpenStorageOptions = {}): Promise<Storage> {
  if (isPostgresUrl(db)) {
    try {
      const { openPostgresStorage } = await import('./postgres/index.ts');
      return await openPostgresStorage({ url: db, nowMs, onMigration: opts.onMigration });
    } catch (err) {
      if (err instanceof StorageError && err.code === 'unknown_migration') throw new CliError(`${redactDbUrl(db)}: ${err.message}`);
      throw new CliError(`cannot open database ${redactDbUrl(db)}: ${(err as Error).message}`);
    }
  }
  const path = resolve(db);
  if (opts.create === false && !existsSync(path)) {
    throw new CliError(`no database at ${path}: give the collector's database with --db PATH (env TALLY_DB, config "db"), or --init to create a new one there`);
  }
  const { openSqliteStorage } = await import('./sqlite/index.ts');
  try {
    return openSqliteStorage({ path, nowMs, onMigration: opts.onMigration, onCheckpointWorker: opts.onCheckpointWorker });
  } catch (err) {
    if (err instanceof StorageError) throw new CliError(`${path}: ${err.message}`);
    if (err instanceof StateDirError) throw new CliError(`database ${path} is not usable: ${err.message}`);
    throw new CliError(`cannot open database ${path}: ${(err as NodeJS.ErrnoException).code ? describeFsError(err) : (err as Error).message}`);
  }
}

