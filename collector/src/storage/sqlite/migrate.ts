// Numbered SQL migrations, applied in order at start, each in its own
// transaction. A database that records a migration this build does not know
// was written by a newer collector: refuse it rather than guess.
import type Database from 'better-sqlite3';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { StorageError } from '../types.ts';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

const MIGRATION_FILE = /^(\d{4})_([a-z0-9_]+)\.sql$/;

export function loadMigrations(dir = join(dirname(fileURLToPath(import.meta.url)), 'migrations')): Migration[] {
  const migrations = readdirSync(dir)
    .map((file) => ({ file, match: MIGRATION_FILE.exec(file) }))
    .filter((m): m is { file: string; match: RegExpExecArray } => m.match !== null)
    .map(({ file, match }) => ({ version: Number(match[1]), name: match[2], sql: readFileSync(join(dir, file), 'utf8') }))
    .sort((a, b) => a.version - b.version);
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`migrations must be numbered 1..n without gaps; found ${m.version} at position ${i + 1}`);
  });
  return migrations;
}

/** Refuses a database that records a migration this build does not have (by number and name). */
export function assertKnownMigrations(recorded: readonly { version: number; name: string }[], migrations: readonly Migration[]): void {
  const known = new Map(migrations.map((m) => [m.version, m]));
  for (const row of recorded) {
    const mine = known.get(row.version);
    if (!mine || mine.name !== row.name) {
      throw new StorageError('unknown_migration',
        `database has migration ${row.version} (${row.name}) that this collector does not know; it was written by a newer or different version. Refusing to start.`);
    }
  }
}

export function applyMigrations(db: Database.Database, migrations: Migration[], nowMs: number): { applied: number[] } {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)`);
  const recorded = db.prepare('SELECT version, name FROM schema_migrations ORDER BY version').all() as { version: number; name: string }[];
  assertKnownMigrations(recorded, migrations);
  const done = new Set(recorded.map((r) => r.version));
  const applied: number[] = [];
  const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
  for (const m of migrations) {
    if (done.has(m.version)) continue;
    db.transaction(() => {
      db.exec(m.sql);
      record.run(m.version, m.name, nowMs);
    })();
    applied.push(m.version);
  }
  return { applied };
}
