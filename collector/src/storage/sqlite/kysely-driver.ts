// Kysely over the collector's one better-sqlite3 handle, modelled on Kysely's
// own SqliteDriver (dialect/sqlite/sqlite-driver.js), with four changes:
// - the connection mutex is the database's gate (gate.ts), shared with the
//   synchronous ingest store, so no ingest transaction can start inside an
//   open Kysely transaction (it would silently become a SAVEPOINT of it);
// - a writing transaction starts with BEGIN IMMEDIATE: it takes the write
//   lock first, so two processes never both read and then both try to write
//   (the loser of that race would fail at once, without waiting);
//   a read-only one (setAccessMode('read only')) starts with a plain BEGIN;
// - prepared statements are kept per SQL text (Kysely prepares every query
//   anew), and a query marked by sql/dialect.ts arrayRows reads its rows as
//   arrays (better-sqlite3 raw mode), the cheapest form for a month's rows;
// - better-sqlite3 binds no booleans: true and false are bound as 1 and 0,
//   which is what SQLite itself stores for TRUE and FALSE.
import type Database from 'better-sqlite3';
import type {
  CompiledQuery, DatabaseConnection, DatabaseIntrospector, Dialect, Driver, Kysely, QueryResult, TransactionSettings,
} from 'kysely';
import { SqliteAdapter, SqliteIntrospector, SqliteQueryCompiler } from '../sql/kysely.ts';
import { ARRAY_ROWS_MARK } from '../sql/dialect.ts';
import type { Gate } from './gate.ts';

/** Distinct statement texts kept prepared: the admin stores have far fewer. */
const STATEMENT_CACHE_SIZE = 256;

class GatedSqliteConnection implements DatabaseConnection {
  readonly #statements = new Map<string, Database.Statement>();

  constructor(private readonly db: Database.Database) {}

  #statement(text: string): Database.Statement {
    let st = this.#statements.get(text);
    if (!st) {
      st = this.db.prepare(text);
      if (st.reader && text.startsWith(ARRAY_ROWS_MARK)) st.raw(true);
      if (this.#statements.size >= STATEMENT_CACHE_SIZE) this.#statements.delete(this.#statements.keys().next().value!);
      this.#statements.set(text, st);
    }
    return st;
  }

  exec(text: string): void {
    this.#statement(text).run();
  }

  // Synchronous inside, like Kysely's own: a failure is thrown to the awaiting caller.
  executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    const st = this.#statement(compiled.sql);
    const params = compiled.parameters.map((p) => (typeof p === 'boolean' ? (p ? 1 : 0) : p));
    if (st.reader) return Promise.resolve({ rows: st.all(params) as R[] });
    const { changes, lastInsertRowid } = st.run(params);
    return Promise.resolve({ numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid), rows: [] });
  }

  // eslint-disable-next-line require-yield
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('streaming is not used on SQLite: page with keyset queries instead');
  }
}

class GatedSqliteDriver implements Driver {
  readonly #connection: GatedSqliteConnection;

  constructor(private readonly db: Database.Database, private readonly gate: Gate) {
    this.#connection = new GatedSqliteConnection(db);
  }

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    if (!this.gate.tryEnter()) await this.gate.enter();
    return this.#connection;
  }

  async beginTransaction(_connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    this.#connection.exec(settings.accessMode === 'read only' ? 'BEGIN' : 'BEGIN IMMEDIATE');
  }

  async commitTransaction(): Promise<void> {
    this.#connection.exec('COMMIT');
  }

  async rollbackTransaction(): Promise<void> {
    // SQLite may already have rolled back by itself (SQLITE_FULL, SQLITE_IOERR...).
    if (this.db.inTransaction) this.#connection.exec('ROLLBACK');
  }

  async releaseConnection(): Promise<void> {
    this.gate.leave();
  }

  /** The storage closes the handle itself (sqlite/index.ts), after the ingest store is done with it. */
  async destroy(): Promise<void> {}
}

/** A Kysely dialect over `db`, every query and transaction through `gate`. */
export function gatedSqliteDialect(db: Database.Database, gate: Gate): Dialect {
  return {
    createAdapter: () => new SqliteAdapter(),
    createDriver: () => new GatedSqliteDriver(db, gate),
    createQueryCompiler: () => new SqliteQueryCompiler(),
    createIntrospector: (k: Kysely<unknown>): DatabaseIntrospector => new SqliteIntrospector(k),
  };
}
