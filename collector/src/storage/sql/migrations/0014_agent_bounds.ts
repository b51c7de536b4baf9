// Bounds on what one device may make the collector store (issue 22): the
// stream names each device started and when (a device may start only so many
// in a window: --max-streams-per-device), and an index for the periodic
// purge of device events older than their retention (--event-retention-months).
// NOTE: numbered 0009 on its branch; issue 22's plan gives it 0013 at merge.
import type { SharedMigration } from '../migrate.ts';

export const AGENT_BOUNDS: SharedMigration = {
  version: 14,
  name: 'agent_bounds',
  up: (db, { types: t }) => [
    db.schema.createTable('device_streams')
      .addColumn('device_id', t.key, (c) => c.notNull().references('devices.id'))
      .addColumn('stream', t.key, (c) => c.notNull())
      .addColumn('first_seen_at', t.integer, (c) => c.notNull())
      .addPrimaryKeyConstraint('device_streams_pk', ['device_id', 'stream']),
    db.schema.createIndex('device_events_received').on('device_events').columns(['received_at']),
  ],
};
