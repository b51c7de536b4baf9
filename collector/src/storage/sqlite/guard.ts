// Turns driver failures into StorageError('storage_unavailable') so callers
// never acknowledge or answer as if a write had happened, and passes every
// synchronous unit of work through the database's gate (gate.ts).
import { StorageError } from '../types.ts';
import type { Gate } from './gate.ts';

export function wrapStorageFailure(err: unknown): never {
  if (err instanceof StorageError) throw err;
  const code = (err as { code?: string }).code ?? '';
  // SQLITE_FULL, SQLITE_BUSY, SQLITE_IOERR, SQLITE_READONLY...: nothing was committed.
  throw new StorageError('storage_unavailable', `sqlite: ${(err as Error).message}${code ? ` (${code})` : ''}`, { cause: err });
}

/**
 * Makes guards that wrap a synchronous better-sqlite3 unit of work as an
 * async store method holding `gate` while it runs. When the gate is free (no
 * admin unit of work open: nearly always) the work runs at once, in the
 * caller's tick, as it did before there was a gate.
 */
export const gatedGuard = (gate: Gate) => <A extends unknown[], R>(fn: (...args: A) => R) => async (...args: A): Promise<R> => {
  try {
    if (!gate.tryEnter()) await gate.enter();
    try {
      return fn(...args);
    } finally {
      gate.leave();
    }
  } catch (err) {
    return wrapStorageFailure(err);
  }
};
