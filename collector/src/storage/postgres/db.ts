// The connection pool, the transaction helper and the error mapping every
// PostgreSQL store uses. One unit of work = one pooled client between BEGIN
// and COMMIT; anything the driver throws becomes storage_unavailable, so
// callers never acknowledge or answer as if a write had happened.
import pg from 'pg';
import { StorageError } from '../types.ts';

/** What a store method runs its statements on: a client inside a transaction, or the pool for a single statement. */
export type Queryable = Pick<pg.ClientBase, 'query'>;

const INT8_OID = 20;

/**
 * Millisecond timestamps, day numbers, seconds and sequences are BIGINT; pg
 * returns int8 as strings by default (it cannot know they fit a double). All
 * of ours are below 2^53 (validation caps sequences there), so parse them as
 * numbers, but per pool: never by changing pg's global parsers.
 */
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    if (oid === INT8_OID && format !== 'binary') return (v: string) => Number(v);
    return pg.types.getTypeParser(oid, format as 'text');
  }) as pg.CustomTypesConfig['getTypeParser'],
};

export function createPool(opts: { url: string; max?: number; connectTimeoutMs?: number }): pg.Pool {
  const pool = new pg.Pool({
    connectionString: opts.url,
    max: opts.max ?? 10,
    // Without a bound, an unreachable server would hang an ingest (and the agent waiting for its ack) forever.
    connectionTimeoutMillis: opts.connectTimeoutMs ?? 5_000,
    idleTimeoutMillis: 30_000,
    types,
    application_name: 'tally-collector',
  });
  // An idle client losing its connection (server restart, failover) emits
  // 'error' on the pool; unhandled, that would crash the process. The pool
  // drops the client, and the next unit of work reconnects or fails as
  // storage_unavailable.
  pool.on('error', () => {});
  return pool;
}

/** SQLSTATE of a unique or primary-key violation. */
export const UNIQUE_VIOLATION = '23505';

export const pgCode = (err: unknown): string | undefined => {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
};

export function wrapStorageFailure(err: unknown): never {
  if (err instanceof StorageError) throw err;
  const code = pgCode(err);
  throw new StorageError('storage_unavailable', `postgres: ${(err as Error).message}${code ? ` (${code})` : ''}`, { cause: err });
}

/** Runs fn in one transaction on one pooled client; rolls back on any failure. */
export async function inTransaction<T>(pool: pg.Pool, fn: (q: Queryable) => Promise<T>): Promise<T> {
  let client: pg.PoolClient;
  try {
    client = await pool.connect();
  } catch (err) {
    return wrapStorageFailure(err);
  }
  let broken: Error | undefined;
  // A checked-out client has no listener of the pool's: a connection the
  // server ends mid-transaction (failover, restart, pg_terminate_backend)
  // emits 'error' on it besides failing the query, and unheard that would
  // crash the collector. The query's own rejection is what fails the unit of
  // work; the event only marks the client broken, so the pool discards it.
  const onClientError = (err: Error) => {
    broken ??= err;
  };
  client.on('error', onClientError);
  try {
    await client.query('BEGIN');
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    try {
      await client.query('ROLLBACK');
    } catch (rollbackErr) {
      // The connection itself is gone: make the pool discard it rather than hand it out again.
      broken = rollbackErr as Error;
    }
    return wrapStorageFailure(err);
  } finally {
    client.off('error', onClientError);
    client.release(broken);
  }
}

/** Wraps a single-statement (autocommit) store method so driver failures become storage_unavailable. */
export const guard = <A extends unknown[], R>(fn: (...args: A) => Promise<R>) => async (...args: A): Promise<R> => {
  try {
    return await fn(...args);
  } catch (err) {
    return wrapStorageFailure(err);
  }
};

/**
 * PostgreSQL text cannot hold U+0000, SQLite's can. Agent-supplied strings
 * (stream names, hostnames, user ids) are replaced at the boundary rather
 * than failing the whole frame forever (the agent would resend it on every
 * reconnect). JSON documents need nothing: JSON.stringify escapes NUL.
 */
export const pgText = <T extends string | null | undefined>(s: T): T => (typeof s === 'string' && s.includes('\u0000') ? s.replace(/\u0000/g, '\uFFFD') as T : s);
