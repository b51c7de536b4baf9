// Finalized months as rows (issue 22). A finalization (and each adjustment)
// is a "month run": its company rows, endpoint lines and user lines are
// written as rows, a page at a time, under the run's id; the run becomes the
// month's figures only when one short transaction points finalized_months
// (or month_adjustments) at it. A month of any size then finalizes and reads
// in bounded memory. Snapshots stored before this migration keep their
// gzipped document (run_id NULL): they read and verify as they always did.
//
// NUMBERING: written as 0011 for issue 22; `version` is 10 while migration
// 0010 (another branch of issue 22) is not merged (the sequence must be
// contiguous): set it to 11 at merge.
import { sql } from '../kysely.ts';
import type { SharedMigration } from '../migrate.ts';

export const MONTH_ROWS: SharedMigration = {
  version: 16,
  name: 'month_rows',
  up: (db, { name, types: t }) => {
    // Lines are read back in primary-key order (company, then device): clustered on SQLite.
    const clustered = <T extends { modifyEnd(e: ReturnType<typeof sql>): T }>(b: T): T => (name === 'sqlite' ? b.modifyEnd(sql`without rowid`) : b);
    return [
      db.schema.createTable('month_runs')
        .addColumn('id', t.key, (c) => c.primaryKey())
        .addColumn('month', t.key, (c) => c.notNull())
        .addColumn('started_at', t.integer, (c) => c.notNull())
        // Last page written: a run untouched for long (its collector crashed) is removed by the next pass.
        .addColumn('touched_at', t.integer, (c) => c.notNull())
        // Set when every row is written and hashed (JSON of the three document hashes, and the month hash).
        .addColumn('hashes', t.text)
        .addColumn('hash', t.text),
      db.schema.createIndex('month_runs_month').on('month_runs').columns(['month', 'started_at']),
      // kind: endpoint_security | edr (CompanyUsageRow without devices) | users (CompanyUserUsage without lines).
      clustered(db.schema.createTable('month_company_rows')
        .addColumn('run_id', t.key, (c) => c.notNull())
        .addColumn('kind', t.key, (c) => c.notNull())
        .addColumn('company_id', t.key, (c) => c.notNull())
        .addColumn('body', t.text, (c) => c.notNull())
        .addPrimaryKeyConstraint('month_company_rows_pk', ['run_id', 'kind', 'company_id'])),
      clustered(db.schema.createTable('month_endpoint_lines')
        .addColumn('run_id', t.key, (c) => c.notNull())
        .addColumn('product_type', t.key, (c) => c.notNull())
        .addColumn('company_id', t.key, (c) => c.notNull())
        .addColumn('device_id', t.key, (c) => c.notNull())
        .addColumn('body', t.text, (c) => c.notNull())
        .addPrimaryKeyConstraint('month_endpoint_lines_pk', ['run_id', 'product_type', 'company_id', 'device_id'])),
      clustered(db.schema.createTable('month_user_lines')
        .addColumn('run_id', t.key, (c) => c.notNull())
        .addColumn('company_id', t.key, (c) => c.notNull())
        .addColumn('kind', t.key, (c) => c.notNull())
        .addColumn('ref_id', t.key, (c) => c.notNull())
        .addColumn('body', t.text, (c) => c.notNull())
        .addPrimaryKeyConstraint('month_user_lines_pk', ['run_id', 'company_id', 'kind', 'ref_id'])),
      db.schema.alterTable('finalized_months').addColumn('run_id', t.key),
      db.schema.alterTable('month_adjustments').addColumn('run_id', t.key),
    ];
  },
};
