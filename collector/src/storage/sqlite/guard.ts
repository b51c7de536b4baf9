// Turns driver failures into StorageError('storage_unavailable') so callers
// never acknowledge or answer as if a write had happened.
import { StorageError } from '../types.ts';

export function wrapStorageFailure(err: unknown): never {
  if (err instanceof StorageError) throw err;
  const code = (err as { code?: string }).code ?? '';
  // SQLITE_FULL, SQLITE_BUSY, SQLITE_IOERR, SQLITE_READONLY...: nothing was committed.
  throw new StorageError('storage_unavailable', `sqlite: ${(err as Error).message}${code ? ` (${code})` : ''}`, { cause: err });
}

/** Wraps a synchronous better-sqlite3 unit of work as an async store method. */
export const guard = <A extends unknown[], R>(fn: (...args: A) => R) => async (...args: A): Promise<R> => {
  try {
    return fn(...args);
  } catch (err) {
    return wrapStorageFailure(err);
  }
};
