// What monthly usage of an open month reads of each device beside its month
// summary (sql/billing.ts monthSummaryPage): its company now, its uninstall
// and its retirement, in one index in device-id order, so the page joins
// each summary to its device without reading the device's row (a wide row:
// facts, hostnames, keys; on SQLite, in the order devices enrolled, so one
// seek per device anywhere in the table). On SQLite the query names this
// index (INDEXED BY: the planner would take the primary key's, which does not
// cover). On PostgreSQL the key columns are INCLUDEd for index-only scans.
import { CompiledQuery } from '../kysely.ts';
import type { SharedMigration } from '../migrate.ts';

export const DEVICE_BILLING_INDEX_NAME = 'devices_billing';

export const DEVICE_BILLING_INDEX: SharedMigration = {
  version: 17,
  name: 'device_billing_index',
  up: (db, dialect) => [
    dialect.name === 'postgres'
      ? { compile: () => CompiledQuery.raw(`CREATE INDEX ${DEVICE_BILLING_INDEX_NAME} ON devices (id) INCLUDE (company_id, uninstalled_at, retired_at)`, []) }
      : db.schema.createIndex(DEVICE_BILLING_INDEX_NAME).on('devices').columns(['id', 'company_id', 'uninstalled_at', 'retired_at']),
  ],
};
