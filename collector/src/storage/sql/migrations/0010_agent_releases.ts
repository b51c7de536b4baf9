// Agent releases (issue 23, auto-update): signed release manifests an admin
// published, and their staged rollouts. The artifacts themselves are files in
// the collector's releases directory, named by their SHA-256; the database
// holds the signed manifest that names them.
import type { SharedMigration } from '../migrate.ts';

export const AGENT_RELEASES: SharedMigration = {
  version: 10,
  name: 'agent_releases',
  up: (db, { types: t }) => [
    db.schema.createTable('agent_releases')
      // The manifest's sequence: signed, unique, only ever growing.
      .addColumn('sequence', t.integer, (c) => c.primaryKey())
      .addColumn('version', t.text, (c) => c.notNull())
      .addColumn('channel', t.text, (c) => c.notNull())
      // JSON of the SignedManifest, exactly as published: agents verify its signature themselves.
      .addColumn('signed', t.text, (c) => c.notNull())
      .addColumn('published_at', t.integer, (c) => c.notNull())
      .addColumn('published_by', t.text, (c) => c.notNull())
      // Set while an admin holds the rollout: no agent is offered the release.
      .addColumn('paused_at', t.integer),
    db.schema.createIndex('agent_releases_version').on('agent_releases').columns(['version']),
    db.schema.createTable('release_rollouts')
      .addColumn('release_sequence', t.integer, (c) => c.notNull().references('agent_releases.sequence'))
      // '*' for every device, else a company id: the rule for that partner's or customer's devices.
      .addColumn('target', t.key, (c) => c.notNull())
      // 0-100: the share of the target's devices offered the release (100: all of them, an explicit list).
      .addColumn('percent', t.integer, (c) => c.notNull())
      .addColumn('updated_at', t.integer, (c) => c.notNull())
      .addPrimaryKeyConstraint('release_rollouts_pk', ['release_sequence', 'target']),
  ],
};
