// Applies the migration sequence (sql/migrate.ts) at start. Several
// collectors may start at once against one database, so the whole
// check-and-apply runs in one transaction under a transaction-scoped advisory
// lock: the first collector migrates, the others wait for it, then find
// nothing left to do. A database that records a migration this build does
// not know was written by a newer collector: refuse it rather than guess.
import type pg from 'pg';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { assertKnownMigrations, loadMigrationSequence, type Migration, type MigrationProgress, type SharedMigration } from '../sql/migrate.ts';
import { inTransaction } from './db.ts';

export type { Migration };

/** Arbitrary constant shared by every Tally collector: the key of the migration lock. */
export const MIGRATION_LOCK_KEY = 7_461_203_201;

/** The .sql history in postgres/migrations, then the migrations written once (sql/migrations). */
export function loadMigrations(dir = join(dirname(fileURLToPath(import.meta.url)), 'migrations'), shared?: readonly SharedMigration[]): Migration[] {
  return loadMigrationSequence('postgres', dir, shared);
}

export async function applyMigrations(pool: pg.Pool, migrations: Migration[], nowMs: number, progress?: MigrationProgress): Promise<{ applied: number[] }> {
  return inTransaction(pool, async (q) => {
    await q.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
    await q.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)`);
    const recorded = (await q.query<{ version: number; name: string }>('SELECT version, name FROM schema_migrations ORDER BY version')).rows;
    assertKnownMigrations(recorded, migrations);
    const done = new Set(recorded.map((r) => r.version));
    const applied: number[] = [];
    const pending = migrations.filter((m) => !done.has(m.version));
    for (const [index, m] of pending.entries()) {
      const started = performance.now();
      progress?.({ phase: 'start', version: m.version, name: m.name, index, count: pending.length });
      // Without parameters the simple query protocol runs a multi-statement .sql file in one call.
      for (const s of m.statements) await (s.parameters.length === 0 ? q.query(s.sql) : q.query(s.sql, [...s.parameters]));
      await q.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [m.version, m.name, nowMs]);
      applied.push(m.version);
      progress?.({ phase: 'done', version: m.version, name: m.name, index, count: pending.length, ms: performance.now() - started });
    }
    return { applied };
  });
}
