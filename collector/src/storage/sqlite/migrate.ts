// Applies the migration sequence (sql/migrate.ts) at start, each migration in
// its own transaction, synchronously. A database that records a migration
// this build does not know was written by a newer collector: refuse it
// rather than guess.
import type Database from 'better-sqlite3';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { assertKnownMigrations, loadMigrationSequence, type Migration, type MigrationProgress, type SharedMigration } from '../sql/migrate.ts';

export type { Migration };

/** The .sql history in sqlite/migrations, then the migrations written once (sql/migrations). */
export function loadMigrations(dir = join(dirname(fileURLToPath(import.meta.url)), 'migrations'), shared?: readonly SharedMigration[]): Migration[] {
  return loadMigrationSequence('sqlite', dir, shared);
}

export function applyMigrations(db: Database.Database, migrations: Migration[], nowMs: number, progress?: MigrationProgress): { applied: number[] } {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)`);
  const recorded = db.prepare('SELECT version, name FROM schema_migrations ORDER BY version').all() as { version: number; name: string }[];
  assertKnownMigrations(recorded, migrations);
  const done = new Set(recorded.map((r) => r.version));
  const applied: number[] = [];
  const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
  const pending = migrations.filter((m) => !done.has(m.version));
  for (const [index, m] of pending.entries()) {
    const started = performance.now();
    progress?.({ phase: 'start', version: m.version, name: m.name, index, count: pending.length });
    db.transaction(() => {
      // A .sql script (several statements, no parameters) runs whole; a compiled statement binds its parameters.
      for (const s of m.statements) {
        if (s.parameters.length === 0) db.exec(s.sql);
        else db.prepare(s.sql).run(s.parameters.map((p) => (typeof p === 'boolean' ? (p ? 1 : 0) : p)));
      }
      record.run(m.version, m.name, nowMs);
    })();
    applied.push(m.version);
    progress?.({ phase: 'done', version: m.version, name: m.name, index, count: pending.length, ms: performance.now() - started });
  }
  return { applied };
}
