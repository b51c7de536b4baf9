// Month run lines stored in the order they are written (issue 22, finalize
// at 1,000,000 endpoints). On SQLite 0016 clustered the line tables by their
// key (WITHOUT ROWID): a run writes its lines in device order, so each
// batch of lines landed in every company's region of the B-tree at once
// (5,000 companies x 2 reports at 1,000,000 endpoints), rewriting one leaf
// page per region per batch through the WAL (80 GB for one month, never
// finished: BENCHMARKS.md, Finalize). Now the lines go to a rowid table,
// appended in write order (each page written once), and the key is a
// unique index of the key columns alone (~130 bytes an entry, not ~800):
// what a batch scatters is a small index, and readers still read in key
// order through it (same rows, same order, same hash).
//
// PostgreSQL already stores rows that way (a heap in insert order, the
// primary key a separate B-tree): nothing changes there.

import type { Compilable } from 'kysely';
import { sql } from '../kysely.ts';
import type { SharedMigration } from '../migrate.ts';

export const MONTH_LINES_IN_WRITE_ORDER: SharedMigration = {
  version: 18,
  name: 'month_lines_in_write_order',
  up: (db, { name }) => {
    if (name !== 'sqlite') return [];
    const raw = (q: ReturnType<typeof sql>): Compilable => ({ compile: () => q.compile(db) });
    const rebuild = (table: string, key: readonly string[], columns: readonly string[]): Compilable[] => {
      const cols = sql.join(columns.map((c) => sql.ref(c)));
      return [
        raw(sql`CREATE TABLE ${sql.table(`${table}_new`)} (${sql.join(columns.map((c) => sql`${sql.ref(c)} TEXT NOT NULL`))})`),
        // Read in key order (the old table is clustered by it): the copy is in key order too.
        raw(sql`INSERT INTO ${sql.table(`${table}_new`)} (${cols}) SELECT ${cols} FROM ${sql.table(table)}`),
        raw(sql`DROP TABLE ${sql.table(table)}`),
        raw(sql`ALTER TABLE ${sql.table(`${table}_new`)} RENAME TO ${sql.table(table)}`),
        raw(sql`CREATE UNIQUE INDEX ${sql.ref(`${table}_key`)} ON ${sql.table(table)} (${sql.join(key.map((c) => sql.ref(c)))})`),
      ];
    };
    return [
      ...rebuild('month_endpoint_lines', ['run_id', 'product_type', 'company_id', 'device_id'], ['run_id', 'product_type', 'company_id', 'device_id', 'body']),
      ...rebuild('month_user_lines', ['run_id', 'company_id', 'kind', 'ref_id'], ['run_id', 'company_id', 'kind', 'ref_id', 'body']),
    ];
  },
};
