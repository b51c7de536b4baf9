// Picks the backend from the --db setting: a postgres:// or postgresql:// URL
// means PostgreSQL, anything else is a SQLite file path.
import { CliError } from '../../../common/cli.ts';
import { openPostgresStorage } from './postgres/index.ts';
import { openSqliteStorage } from './sqlite/index.ts';
import { StorageError, type Storage } from './types.ts';

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

export async function openStorage(db: string, nowMs: number): Promise<Storage> {
  if (isPostgresUrl(db)) {
    try {
      return await openPostgresStorage({ url: db, nowMs });
    } catch (err) {
      if (err instanceof StorageError && err.code === 'unknown_migration') throw new CliError(`${redactDbUrl(db)}: ${err.message}`);
      throw new CliError(`cannot open database ${redactDbUrl(db)}: ${(err as Error).message}`);
    }
  }
  try {
    return openSqliteStorage({ path: db, nowMs });
  } catch (err) {
    if (err instanceof StorageError) throw new CliError(`${db}: ${err.message}`);
    throw new CliError(`cannot open database ${db}: ${(err as Error).message}`);
  }
}
