// The collector's pg pool as Kysely's PostgresDialect sees it. Kysely checks
// a client out for a transaction (or a single query) and releases it after;
// this adapter adds what inTransaction (db.ts) does for the ingest store:
// - a checked-out client has no listener of the pool's, so a connection the
//   server ends while Kysely holds it (failover, restart,
//   pg_terminate_backend) would emit an unheard 'error' and crash the
//   collector: the adapter listens while the client is out, and releases a
//   client whose connection died as broken, so the pool discards it;
// - a query that fails without a server error (the connection itself
//   failed) marks the client broken too;
// - a query marked by sql/dialect.ts arrayRows reads its rows as arrays
//   (pg rowMode 'array').
// end() is the storage's to call (postgres/index.ts), once, not Kysely's.
import pg from 'pg';
import type { PostgresPool, PostgresPoolClient } from 'kysely';
import { ARRAY_ROWS_MARK } from '../sql/dialect.ts';

export function kyselyPool(pool: pg.Pool): PostgresPool {
  return {
    connect: async (): Promise<PostgresPoolClient> => {
      const client = await pool.connect();
      let broken: Error | undefined;
      const onError = (err: Error) => {
        broken ??= err;
      };
      client.on('error', onError);
      const query = async (text: string, values: unknown[]) => {
        try {
          return text.startsWith(ARRAY_ROWS_MARK) ? await client.query({ text, values, rowMode: 'array' }) : await client.query(text, values);
        } catch (err) {
          // A DatabaseError is the server's answer on a working connection; anything else is the connection.
          if (!(err instanceof pg.DatabaseError)) broken ??= err as Error;
          throw err;
        }
      };
      return {
        query: query as unknown as PostgresPoolClient['query'],
        release: (discard?: boolean) => {
          client.off('error', onError);
          // Kysely asks to discard a client whose ROLLBACK failed.
          client.release(broken ?? (discard ? true : undefined));
        },
      } as PostgresPoolClient;
    },
    end: async () => {},
  };
}
