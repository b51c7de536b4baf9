// Finds the test PostgreSQL server (TALLY_TEST_PG_URL) and gives each test
// run its own throwaway database, so runs never see each other's data.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { Requirement } from './requirements.ts';

export const PG_URL_VAR = 'TALLY_TEST_PG_URL';

/** CI must run the PostgreSQL suites: there a missing server is a failure, not a skip. */
export { isCi } from './requirements.ts';

export type PgTestSetting = { run: true; url: string } | { run: false; reason: string };

export function pgTestSetting(): PgTestSetting {
  const url = process.env[PG_URL_VAR]?.trim();
  if (url) return { run: true, url };
  return { run: false, reason: `${PG_URL_VAR} is not set (e.g. ${PG_URL_VAR}=postgres://postgres@127.0.0.1:5432/postgres)` };
}

/** The setting as a suite requirement for shouldRun (like commandsAvailable for Debian tools). */
export const pgServerConfigured = (setting: PgTestSetting): Requirement => (setting.run ? { met: true } : { met: false, reason: setting.reason });

export interface TestDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

/** Creates tally_test_<random> on the server behind serverUrl; drop() removes it (and ends leftover sessions). */
export async function createTestDatabase(serverUrl: string): Promise<TestDatabase> {
  const name = `tally_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl, connectionTimeoutMillis: 5_000 });
  try {
    await admin.connect();
  } catch (err) {
    throw new Error(`cannot reach the PostgreSQL server at ${PG_URL_VAR}=${serverUrl}: ${(err as Error).message}`, { cause: err });
  }
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: serverUrl, connectionTimeoutMillis: 5_000 });
      await c.connect();
      try {
        // WITH (FORCE) (PostgreSQL 13+) ends sessions a crashed test left behind.
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}

/**
 * A pool for a test's own queries on a test database. Like the collector's
 * pool (storage/postgres/db.ts), it ignores errors of idle clients: one still
 * closing after end() is terminated by drop()'s DROP DATABASE ... WITH (FORCE),
 * and without a listener that 57P01 would be an uncaught exception. Errors of
 * queries still reject their promises.
 */
export function testPool(url: string, max = 2): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, max });
  pool.on('error', () => {});
  return pool;
}
