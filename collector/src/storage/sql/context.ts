// What an admin store runs its statements on, and how a method becomes one
// unit of work: on the storage itself each method is its own (one autocommit
// statement, or one transaction); bound to a Storage.unitOfWork every method
// runs inside that transaction instead (no nested BEGIN).
import type { Kysely } from 'kysely';
import type { SqlDialect } from './dialect.ts';
import type { Database } from './schema.ts';

export interface SqlContext {
  readonly dialect: SqlDialect;
  /** The database, or the unit of work's transaction. */
  readonly db: Kysely<Database>;
  /** True when db is a unit of work's transaction. */
  readonly inUnitOfWork: boolean;
}

/** A method of one statement (or only reads that need no common snapshot). Driver failures become storage_unavailable. */
export async function statement<T>(ctx: SqlContext, fn: (db: Kysely<Database>) => Promise<T>): Promise<T> {
  try {
    return await fn(ctx.db);
  } catch (err) {
    return ctx.dialect.failure(err);
  }
}

/**
 * A method of several statements that must commit together, or that read
 * and then write what they read: one writing transaction (BEGIN IMMEDIATE on
 * SQLite, READ COMMITTED with the row and named locks the method takes on
 * PostgreSQL), or the unit of work's.
 */
export async function writing<T>(ctx: SqlContext, fn: (db: Kysely<Database>) => Promise<T>): Promise<T> {
  try {
    return ctx.inUnitOfWork ? await fn(ctx.db) : await ctx.db.transaction().execute(fn);
  } catch (err) {
    return ctx.dialect.failure(err);
  }
}

/** Several reads from one snapshot (REPEATABLE READ READ ONLY on PostgreSQL, a read transaction on SQLite), or the unit of work's. */
export async function snapshot<T>(ctx: SqlContext, fn: (db: Kysely<Database>) => Promise<T>): Promise<T> {
  try {
    return ctx.inUnitOfWork ? await fn(ctx.db) : await ctx.db.transaction().setIsolationLevel('repeatable read').setAccessMode('read only').execute(fn);
  } catch (err) {
    return ctx.dialect.failure(err);
  }
}
