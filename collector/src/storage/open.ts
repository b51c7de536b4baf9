// Picks the backend from the --db setting: a file path means embedded SQLite.
import { CliError } from '../../../common/cli.ts';
import { openSqliteStorage } from './sqlite/index.ts';
import { StorageError, type Storage } from './types.ts';

export function openStorage(db: string, nowMs: number): Storage {
  if (/^postgres(ql)?:\/\//i.test(db)) {
    throw new CliError('the PostgreSQL backend is not part of this build yet; use a SQLite file path for --db');
  }
  try {
    return openSqliteStorage({ path: db, nowMs });
  } catch (err) {
    if (err instanceof StorageError) throw new CliError(`${db}: ${err.message}`);
    throw new CliError(`cannot open database ${db}: ${(err as Error).message}`);
  }
}
