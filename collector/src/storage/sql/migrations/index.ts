// Schema migrations from 0006 on, each written ONCE for both backends (see
// storage/README.md "Adding a migration"). 0001-0005 are the .sql files in
// sqlite/migrations and postgres/migrations: history, as databases in the
// field recorded them; they are never edited.
//
// A migration is a module `NNNN_name.ts` in this folder exporting a
// SharedMigration, listed below in order. Both backends' migrators run the
// whole sequence (the .sql history, then these) in number order and record
// each in schema_migrations.
import type { SharedMigration } from '../migrate.ts';
import { DEVICE_IDENTITY } from './0006_device_identity.ts';
import { adminUsers0007 } from './0007_admin_users.ts';
import { COMPANY_MOVES } from './0008_company_moves.ts';
import { DEVICE_LIST } from './0009_device_list.ts';
import { AGENT_RELEASES } from './0010_agent_releases.ts';
import { REPORT_QUEUE } from './0011_report_queue.ts';
import { WEBHOOKS_ALERTS } from './0012_webhooks_alerts.ts';
import { PSA_SYNC } from './0013_psa.ts';
import { AGENT_BOUNDS } from './0014_agent_bounds.ts';
import { DEVICE_MONTH_SUMMARIES } from './0015_device_month_summaries.ts';
import { MONTH_ROWS } from './0016_month_rows.ts';
import { DEVICE_BILLING_INDEX } from './0017_device_billing_index.ts';
import { MONTH_LINES_IN_WRITE_ORDER } from './0018_month_lines_in_write_order.ts';

export const SHARED_MIGRATIONS: readonly SharedMigration[] = [DEVICE_IDENTITY, adminUsers0007, COMPANY_MOVES, DEVICE_LIST, AGENT_RELEASES, REPORT_QUEUE, WEBHOOKS_ALERTS, PSA_SYNC, AGENT_BOUNDS, DEVICE_MONTH_SUMMARIES, MONTH_ROWS, DEVICE_BILLING_INDEX, MONTH_LINES_IN_WRITE_ORDER];
