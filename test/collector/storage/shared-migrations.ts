// A test-only migration written once for both backends, the way every
// migration from 0006 on is (collector/src/storage/sql/migrations): the
// backends' migrators must run it after the .sql history, record it, and a
// collector that does not know it must refuse the database.
import type { SharedMigration } from '../../../collector/src/storage/sql/migrate.ts';

/** 2^40 ms: a value that needs more than 32 bits, read back exactly. */
export const BIG_INSTANT = 2 ** 40;

export const NOTES_MIGRATION: SharedMigration = {
  version: 6,
  name: 'test_notes',
  up: (db, dialect) => [
    db.schema.createTable('test_notes')
      .addColumn('id', dialect.types.key, (c) => c.primaryKey())
      .addColumn('at', dialect.types.integer, (c) => c.notNull())
      .addColumn('pinned', dialect.types.flag, (c) => c.notNull())
      .addColumn('body', dialect.types.blob),
    db.insertInto('test_notes').values({ id: 'n1', at: BIG_INSTANT, pinned: true, body: Buffer.from('note') }),
  ],
};
