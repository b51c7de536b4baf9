// Device identity across re-enrolment, moves, merges and abuse (issue 17):
// the hardware evidence of each device (to recognise a re-imaged machine),
// possible duplicates for an admin, billing exclusions, a device's history,
// retirement and merges, the agent's first run, and enrolment token limits.
// And a company's earlier inactive periods (issue 18): a reactivation must not
// make a recomputed month bill the time the company was inactive.
import { sql } from '../kysely.ts';
import type { SharedMigration } from '../migrate.ts';

export const DEVICE_IDENTITY: SharedMigration = {
  version: 6,
  name: 'device_identity',
  up: (db, { types: t }) => [
    // One column per statement: SQLite adds one at a time.
    db.schema.alterTable('devices').addColumn('first_run_at', t.integer),
    db.schema.alterTable('devices').addColumn('last_enrolled_at', t.integer),
    db.schema.alterTable('devices').addColumn('retired_at', t.integer),
    db.schema.alterTable('devices').addColumn('merged_into', t.key),
    db.schema.alterTable('devices').addColumn('enrolment_token_id', t.key),
    db.schema.alterTable('devices').addColumn('enrolments', t.integer, (c) => c.notNull().defaultTo(1)),
    // Since when an agent connection of the device is open, on whichever collector (null: none).
    db.schema.alterTable('devices').addColumn('connected_since', t.integer),
    db.schema.alterTable('companies').addColumn('inactive_periods', t.text),
    db.schema.alterTable('enrolment_tokens').addColumn('max_enrolments', t.integer),
    db.schema.alterTable('enrolment_tokens').addColumn('enrolments', t.integer, (c) => c.notNull().defaultTo(0)),
    db.schema.alterTable('enrolment_tokens').addColumn('limit_hit_at', t.integer),
    db.schema.createTable('device_hardware_ids')
      .addColumn('tree_root', t.key, (c) => c.notNull())
      .addColumn('id_key', t.key, (c) => c.notNull())
      .addColumn('device_id', t.key, (c) => c.notNull().references('devices.id'))
      .addColumn('strength', t.text, (c) => c.notNull())
      .addPrimaryKeyConstraint('device_hardware_ids_pk', ['tree_root', 'id_key', 'device_id']),
    db.schema.createIndex('device_hardware_ids_device').on('device_hardware_ids').column('device_id'),
    db.schema.createTable('device_duplicates')
      .addColumn('device_a', t.key, (c) => c.notNull().references('devices.id'))
      .addColumn('device_b', t.key, (c) => c.notNull().references('devices.id'))
      .addColumn('why', t.text, (c) => c.notNull())
      .addColumn('evidence', t.text, (c) => c.notNull())
      .addColumn('found_at', t.integer, (c) => c.notNull())
      .addColumn('dismissed_at', t.integer)
      .addColumn('dismissed_by', t.text)
      .addPrimaryKeyConstraint('device_duplicates_pk', ['device_a', 'device_b']),
    db.schema.createIndex('device_duplicates_b').on('device_duplicates').column('device_b'),
    db.schema.createTable('device_exclusions')
      .addColumn('device_id', t.key, (c) => c.notNull().references('devices.id'))
      .addColumn('from_ms', t.integer, (c) => c.notNull())
      .addColumn('until_ms', t.integer)
      .addColumn('reason', t.text, (c) => c.notNull())
      .addColumn('created_at', t.integer, (c) => c.notNull())
      .addColumn('created_by', t.text, (c) => c.notNull())
      .addPrimaryKeyConstraint('device_exclusions_pk', ['device_id', 'from_ms']),
    db.schema.createTable('device_history')
      .addColumn('id', t.key, (c) => c.primaryKey())
      .addColumn('device_id', t.key, (c) => c.notNull())
      .addColumn('at', t.integer, (c) => c.notNull())
      .addColumn('kind', t.text, (c) => c.notNull())
      .addColumn('actor', t.text, (c) => c.notNull())
      .addColumn('details', t.text, (c) => c.notNull()),
    db.schema.createIndex('device_history_device').on('device_history').columns(['device_id', 'at']),
    // The uninstalls agents reported before this migration become the first lines of their devices' history.
    db.insertInto('device_history').columns(['id', 'device_id', 'at', 'kind', 'actor', 'details'])
      .expression((eb) => eb.selectFrom('device_events')
        .select([
          sql<string>`'uninstalled:' || device_id || ':' || stream || ':' || CAST(seq AS TEXT)`.as('id'), 'device_id', 'occurred_at',
          sql<string>`'uninstalled'`.as('kind'), sql<string>`'agent'`.as('actor'), sql<string>`'{}'`.as('details'),
        ])
        .where('kind', '=', 'uninstalled')),
  ],
};
