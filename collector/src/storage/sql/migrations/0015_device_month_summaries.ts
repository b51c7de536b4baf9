// Device-month summaries (issue 22): one row per (device, month) with the
// aggregates of its device-day rows of the month, kept by every writer of
// device_days in its own transaction (sql/summaries.ts), so an open month's
// usage reads one row per device. Backfilled here from every existing row.
//
// NUMBERING: written as 0009 on its branch; it is 0012 once merged after the
// other scale-round migrations (the lead renumbers at merge).
import { CompiledQuery, sql } from '../kysely.ts';
import type { SharedMigration } from '../migrate.ts';
import { rebuildAllStatements } from '../summaries.ts';

export const DEVICE_MONTH_SUMMARIES: SharedMigration = {
  version: 15,
  name: 'device_month_summaries',
  up: (db, dialect) => {
    const t = dialect.types;
    // The same encodings as device_days: a module list is JSON text on SQLite, TEXT[] on PostgreSQL.
    const moduleList = dialect.name === 'postgres' ? sql`text[]` : 'text';
    return [
      db.schema.createTable('device_month_summaries')
        // The month's first UTC day (days since the epoch): a month's summaries are one range of the key, in device order.
        .addColumn('month_day', t.integer, (c) => c.notNull())
        .addColumn('device_id', t.key, (c) => c.notNull())
        // The company of every row of the month; NULL when they name more than one.
        .addColumn('company_id', t.key)
        .addColumn('active_days', t.integer, (c) => c.notNull())
        .addColumn('awake_seconds', t.integer, (c) => c.notNull())
        .addColumn('last_active_day', t.integer)
        .addColumn('modules', moduleList, (c) => c.notNull())
        // Platforms of the active rows that were virtual with Central Scan ('' for unknown).
        .addColumn('vcs_platforms', moduleList, (c) => c.notNull())
        // The last active row's attributes (NULL when none has awake time).
        .addColumn('l_company_id', t.key)
        .addColumn('l_virtual', t.flag)
        .addColumn('l_role', t.text)
        .addColumn('l_platform', t.text)
        .addColumn('l_modules', moduleList)
        .addColumn('l_im_tier', t.text)
        .addColumn('l_user_id', t.key)
        .addColumn('l_ownership', t.text)
        .addColumn('l_awake', t.integer)
        .addPrimaryKeyConstraint('device_month_summaries_pk', ['month_day', 'device_id']),
      ...rebuildAllStatements(dialect.name).slice(1).map((text) => ({ compile: () => CompiledQuery.raw(text, []) })),
    ];
  },
};
