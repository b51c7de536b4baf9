// Company moves (issue 21): an admin puts a company, with its subtree, under
// another partner. The companies table holds the tree as it is now; this
// table keeps each move, so a month that ended before a move is still billed
// with the tree it ended with (BillingStore.billingContext undoes later moves).
import type { SharedMigration } from '../migrate.ts';

export const COMPANY_MOVES: SharedMigration = {
  version: 8,
  name: 'company_moves',
  up: (db, { types: t }) => [
    db.schema.createTable('company_moves')
      .addColumn('id', t.key, (c) => c.primaryKey())
      .addColumn('company_id', t.key, (c) => c.notNull().references('companies.id'))
      .addColumn('from_parent_id', t.key)
      .addColumn('to_parent_id', t.key)
      .addColumn('moved_at', t.integer, (c) => c.notNull()),
    db.schema.createIndex('company_moves_at').on('company_moves').columns(['moved_at']),
  ],
};
