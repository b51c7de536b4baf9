// The durable report queue (issue 22). Report jobs were a row plus a promise
// in one process's memory: a crash left the row `pending` forever. Now the
// row is the job: a collector claims it with a lease (lease_owner,
// lease_until), renews the lease while it works, and finishes it only while
// it still holds the lease; a lease that runs out (the collector died) makes
// the job claimable again, up to a bounded number of attempts. tenant_id is
// the partner the job counts against (per-tenant queue and concurrency
// limits, fair claim order); email_to carries a scheduled report's mail, sent
// by whichever collector makes the file.
//
// NOTE: numbered 9 on this branch; the lead renumbers it (0014) at merge.
import { sql } from '../kysely.ts';
import type { SharedMigration } from '../migrate.ts';

export const REPORT_QUEUE: SharedMigration = {
  version: 11,
  name: 'report_queue',
  // SQLite adds one column per ALTER TABLE.
  up: (db, { types: t }) => [
    db.schema.alterTable('report_jobs').addColumn('tenant_id', t.key),
    db.schema.alterTable('report_jobs').addColumn('attempts', t.integer, (c) => c.notNull().defaultTo(0)),
    db.schema.alterTable('report_jobs').addColumn('run_after', t.integer, (c) => c.notNull().defaultTo(0)),
    db.schema.alterTable('report_jobs').addColumn('lease_owner', t.text),
    db.schema.alterTable('report_jobs').addColumn('lease_until', t.integer),
    db.schema.alterTable('report_jobs').addColumn('started_at', t.integer),
    db.schema.alterTable('report_jobs').addColumn('schedule_id', t.key),
    db.schema.alterTable('report_jobs').addColumn('email_to', t.text),
    // Jobs left pending by a collector before this version resume on the queue, each as its own company's.
    db.updateTable('report_jobs').set({ tenant_id: sql.ref('company_id') }),
    db.schema.createIndex('report_jobs_queue').on('report_jobs').columns(['status', 'tenant_id', 'created_at']),
    db.schema.createIndex('report_jobs_finished').on('report_jobs').columns(['finished_at']),
  ],
};
