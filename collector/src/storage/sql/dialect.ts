// Where SQLite and PostgreSQL genuinely differ, in one place. Every statement
// of the admin stores is written once (sql/*.ts, with Kysely); a statement
// asks this helper for the few fragments that cannot be the same text:
//
// | what                          | SQLite                               | PostgreSQL                          |
// | ----------------------------- | ------------------------------------ | ----------------------------------- |
// | a list of ids, one parameter  | IN (SELECT value FROM json_each(?))  | = ANY(?::text[])                    |
// | the larger of two values      | MAX(a, b)                            | GREATEST(a, b)                      |
// | a user's group ids            | json_group_array (JSON text)         | json_agg (parsed by pg)             |
// | flags                         | 0/1 (the driver binds booleans 1/0)  | BOOLEAN                             |
// | a device-day's modules        | JSON text                            | TEXT[]                              |
// | row locks, named locks        | none: the gate and BEGIN IMMEDIATE   | FOR UPDATE, pg_advisory_xact_lock   |
// |                               | already make a writer the only one   |                                     |
// | claiming a queued row         | nothing: one writer (as above)       | FOR UPDATE SKIP LOCKED              |
// | unique violation              | SQLITE_CONSTRAINT_UNIQUE/PRIMARYKEY  | SQLSTATE 23505                      |
// | many text rows, one parameter | json_each(?) of arrays               | unnest($1::text[], ...)             |
// | column types (migrations)     | TEXT, INTEGER, BLOB                  | TEXT COLLATE "C" for keys, BIGINT,  |
// |                               |                                      | BOOLEAN, BYTEA                      |
//
// BLOB and BYTEA need nothing: both drivers bind and return a Buffer.
import type { ColumnDataType, Expression, Kysely, RawBuilder, SqlBool } from 'kysely';
import { sql } from './kysely.ts';
import { parseJsonArray, type DeviceDayDecoding } from '../rows.ts';
import { pgCode, UNIQUE_VIOLATION, wrapStorageFailure as pgFailure } from '../postgres/db.ts';
import { wrapStorageFailure as sqliteFailure } from '../sqlite/guard.ts';
import type { Database } from './schema.ts';

/**
 * Prefix of a statement whose rows the drivers return as arrays (better-sqlite3
 * raw mode, pg rowMode 'array'): see arrayRows. A comment: the server ignores it.
 */
export const ARRAY_ROWS_MARK = '/* rows as arrays */ ';

/** What Kysely's schema builder takes as a column type. */
type DataTypeExpression = ColumnDataType | Expression<unknown>;

/** Column types a migration asks for by meaning (sql/migrations): the same as 0001-0005 use on each backend. */
export interface ColumnTypes {
  /** An id or anything listed in order: byte order on both (PostgreSQL COLLATE "C", SQLite's BINARY). */
  key: DataTypeExpression;
  text: DataTypeExpression;
  /** Milliseconds since the epoch, sequences, counts: INTEGER / BIGINT. */
  integer: DataTypeExpression;
  flag: DataTypeExpression;
  blob: DataTypeExpression;
}

export interface SqlDialect {
  readonly name: 'sqlite' | 'postgres';
  readonly types: ColumnTypes;
  /** `column` is one of `ids`: any number of ids as ONE parameter, so the statement text is the same for every list. */
  inList(column: string, ids: readonly string[]): RawBuilder<SqlBool>;
  /**
   * Rows of text columns as a table expression with columns c0..cN-1, from
   * one or a few parameters whatever the row count: a bulk INSERT ... SELECT
   * compiles to the same short text for a page of any size.
   */
  textRows(columns: number, rows: readonly (readonly string[])[]): RawBuilder<unknown>;
  /** The larger of two values. */
  greatest(a: Expression<number>, b: Expression<number>): RawBuilder<number>;
  /** The group ids of a user (a users.id column) as a JSON array; read with jsonArray. */
  groupIdsOf(userIdColumn: string): RawBuilder<unknown>;
  /** A device-day's module list as the backend stores it, to write (JSON text / TEXT[]). */
  moduleList(modules: readonly string[]): RawBuilder<unknown>;
  /** The smaller of two values. */
  least(a: Expression<number>, b: Expression<number>): RawBuilder<number>;
  /** Decodes the encoded columns of a device-day row (one decoder per page: it caches the handful of module sets). */
  deviceDayDecoding(): DeviceDayDecoding;
  /** Locks the selected rows until the transaction ends (FOR UPDATE) where the backend has concurrent writers. */
  forUpdate<Q extends { forUpdate(): Q }>(query: Q): Q;
  /** Appended to a SELECT of queue rows: lock what it returns, skip rows another transaction holds (PostgreSQL); nothing on SQLite. */
  readonly skipLocked: RawBuilder<unknown>;
  /** Serializes the units of work that take the same key, until the transaction ends. Inside a transaction only. */
  serialize(db: Kysely<Database>, key: string): Promise<void>;
  isUniqueViolation(err: unknown): boolean;
  /** A driver failure as StorageError('storage_unavailable'); a StorageError passes unchanged. */
  failure(err: unknown): never;
}

export const sqliteDialect: SqlDialect = {
  name: 'sqlite',
  types: { key: 'text', text: 'text', integer: 'integer', flag: 'integer', blob: 'blob' },
  inList: (column, ids) => sql<SqlBool>`${sql.ref(column)} IN (SELECT value FROM json_each(${JSON.stringify(ids)}))`,
  greatest: (a, b) => sql<number>`MAX(${a}, ${b})`,
  textRows: (columns, rows) => sql`(SELECT ${sql.join(Array.from({ length: columns }, (_, i) => sql`value ->> ${sql.lit(i)} AS ${sql.ref(`c${i}`)}`))} FROM json_each(${JSON.stringify(rows)}))`,
  least: (a, b) => sql<number>`MIN(${a}, ${b})`,
  moduleList: (modules) => sql`${JSON.stringify(modules)}`,
  groupIdsOf: (userIdColumn) => sql`(SELECT json_group_array(m.group_id) FROM user_group_members m WHERE m.user_id = ${sql.ref(userIdColumn)})`,
  deviceDayDecoding: () => {
    // One parsed array per distinct module set: a month has millions of rows but a handful of sets.
    const modules = new Map<string, string[]>();
    return {
      virtual: (v) => (v === null ? null : v === 1),
      modules: (text) => {
        let list = modules.get(text as string);
        if (!list) modules.set(text as string, (list = parseJsonArray(text as string)));
        return list;
      },
    };
  },
  // Nothing to lock: a writing unit of work holds the connection's gate and SQLite's write lock from its BEGIN IMMEDIATE on.
  forUpdate: (query) => query,
  skipLocked: sql``,
  serialize: async () => {},
  isUniqueViolation: (err) => {
    const code = (err as { code?: unknown } | null)?.code;
    return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
  },
  failure: sqliteFailure,
};

export const postgresDialect: SqlDialect = {
  name: 'postgres',
  types: { key: sql`text collate "C"`, text: 'text', integer: 'bigint', flag: 'boolean', blob: 'bytea' },
  inList: (column, ids) => sql<SqlBool>`${sql.ref(column)} = ANY(${[...ids]}::text[])`,
  greatest: (a, b) => sql<number>`GREATEST(${a}, ${b})`,
  textRows: (columns, rows) => sql`(SELECT * FROM unnest(${sql.join(Array.from({ length: columns }, (_, i) => sql`${rows.map((r) => r[i])}::text[]`))})
    AS t(${sql.join(Array.from({ length: columns }, (_, i) => sql.ref(`c${i}`)))}))`,
  least: (a, b) => sql<number>`LEAST(${a}, ${b})`,
  moduleList: (modules) => sql`${[...modules]}::text[]`,
  groupIdsOf: (userIdColumn) => sql`(SELECT json_agg(m.group_id) FROM user_group_members m WHERE m.user_id = ${sql.ref(userIdColumn)})`,
  deviceDayDecoding: () => ({ virtual: (v) => v as boolean | null, modules: (v) => v as string[] }),
  forUpdate: (query) => query.forUpdate(),
  skipLocked: sql`FOR UPDATE SKIP LOCKED`,
  serialize: async (db, key) => {
    await sql`SELECT pg_advisory_xact_lock(hashtext(${key}))`.execute(db);
  },
  isUniqueViolation: (err) => pgCode(err) === UNIQUE_VIOLATION,
  failure: pgFailure,
};

/** A flag as either backend reads it back (schema.ts Flag). */
export const isTrue = (v: boolean | 0 | 1 | null): boolean => v === true || v === 1;

/** A JSON array as either backend reads it back: text (SQLite), already parsed (pg's json), or NULL (an aggregate over no rows). */
export const jsonArray = (v: unknown): string[] => {
  const list: unknown = typeof v === 'string' ? JSON.parse(v) : v;
  return Array.isArray(list) ? list.filter((x): x is string => typeof x === 'string') : [];
};

/**
 * Runs a query and returns its rows as arrays, in select-list order (the
 * drivers' array row mode, marked by ARRAY_ROWS_MARK): the cheapest form for
 * the millions of rows of a month. Still one statement, compiled by Kysely.
 */
export async function arrayRows(db: Kysely<Database>, query: { compile(): { sql: string } }): Promise<unknown[][]> {
  const compiled = query.compile() as Parameters<Kysely<Database>['executeQuery']>[0] & { sql: string };
  const result = await db.executeQuery({ ...compiled, sql: ARRAY_ROWS_MARK + compiled.sql });
  return result.rows as unknown[][];
}
