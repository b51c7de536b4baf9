// Outbound webhooks and alerts (issue 19).
//
// Numbered 11: main had 0009 (device list) and 0010 (agent releases) when
// this branch merged it. The PSA connectors' migration may take a number
// around it at merge: renumber so the sequence stays contiguous.
//
// webhook_events is the durable outbox: a change writes its event here, in
// its own transaction where it has one; the delivery worker fans each event
// out to the endpoints whose filter and scope match (webhook_deliveries) and
// sends them, logging every attempt (webhook_attempts).
import type { SharedMigration } from '../migrate.ts';

export const WEBHOOKS_ALERTS: SharedMigration = {
  version: 12,
  name: 'webhooks_alerts',
  up: (db, { types: t }) => [
    db.schema.createTable('webhook_endpoints')
      .addColumn('id', t.key, (c) => c.primaryKey())
      // NULL: the installation (every event); else a partner (its subtree) or a customer company.
      .addColumn('company_id', t.key)
      .addColumn('url', t.text, (c) => c.notNull())
      .addColumn('description', t.text, (c) => c.notNull())
      // The signing secret (whsec_...): needed in clear to sign; never returned after creation.
      .addColumn('secret', t.text, (c) => c.notNull())
      // JSON array of event types; [] means every type.
      .addColumn('event_types', t.text, (c) => c.notNull())
      .addColumn('disabled_at', t.integer)
      .addColumn('created_at', t.integer, (c) => c.notNull())
      .addColumn('updated_at', t.integer, (c) => c.notNull())
      .addColumn('created_by', t.text, (c) => c.notNull()),
    db.schema.createIndex('webhook_endpoints_company').on('webhook_endpoints').column('company_id'),

    db.schema.createTable('webhook_events')
      .addColumn('id', t.key, (c) => c.primaryKey())
      .addColumn('type', t.text, (c) => c.notNull())
      // The company the event concerns (scope); NULL: installation-wide (a month).
      .addColumn('company_id', t.key)
      // One event per key (a month's closing, an alert raised): a repeated publish is a no-op.
      .addColumn('dedupe_key', t.key, (c) => c.unique())
      // The enrolment token behind an enrolment event: what the enrolment-burst rule counts.
      .addColumn('token_id', t.key)
      .addColumn('payload', t.text, (c) => c.notNull())
      .addColumn('created_at', t.integer, (c) => c.notNull())
      .addColumn('dispatched_at', t.integer),
    db.schema.createIndex('webhook_events_pending').on('webhook_events').columns(['dispatched_at', 'created_at']),
    db.schema.createIndex('webhook_events_token').on('webhook_events').columns(['token_id', 'created_at']),

    db.schema.createTable('webhook_deliveries')
      .addColumn('id', t.key, (c) => c.primaryKey())
      .addColumn('endpoint_id', t.key, (c) => c.notNull())
      .addColumn('event_id', t.key, (c) => c.notNull())
      // 'pending' (to send at next_attempt_at), 'delivered', 'failed' (attempts used up).
      .addColumn('status', t.text, (c) => c.notNull())
      .addColumn('attempts', t.integer, (c) => c.notNull().defaultTo(0))
      .addColumn('next_attempt_at', t.integer, (c) => c.notNull())
      .addColumn('created_at', t.integer, (c) => c.notNull())
      .addColumn('finished_at', t.integer),
    db.schema.createIndex('webhook_deliveries_due').on('webhook_deliveries').columns(['status', 'next_attempt_at']),
    db.schema.createIndex('webhook_deliveries_endpoint').on('webhook_deliveries').columns(['endpoint_id', 'created_at']),
    db.schema.createIndex('webhook_deliveries_unique').on('webhook_deliveries').columns(['endpoint_id', 'event_id']).unique(),

    db.schema.createTable('webhook_attempts')
      .addColumn('id', t.key, (c) => c.primaryKey())
      .addColumn('delivery_id', t.key, (c) => c.notNull())
      .addColumn('endpoint_id', t.key, (c) => c.notNull())
      .addColumn('event_id', t.key, (c) => c.notNull())
      .addColumn('attempt', t.integer, (c) => c.notNull())
      .addColumn('at', t.integer, (c) => c.notNull())
      // 'delivered', 'http_error', 'timeout', 'network_error', 'redirect'.
      .addColumn('outcome', t.text, (c) => c.notNull())
      .addColumn('status_code', t.integer)
      .addColumn('duration_ms', t.integer, (c) => c.notNull())
      .addColumn('error', t.text),
    db.schema.createIndex('webhook_attempts_endpoint').on('webhook_attempts').columns(['endpoint_id', 'at']),

    db.schema.createTable('alert_rules')
      .addColumn('id', t.key, (c) => c.primaryKey())
      .addColumn('company_id', t.key, (c) => c.notNull())
      .addColumn('name', t.text, (c) => c.notNull())
      // 'endpoints_above', 'endpoints_below', 'week_change', 'unlicensed', 'enrolment_burst', 'forecast_over_reserved'.
      .addColumn('kind', t.text, (c) => c.notNull())
      // JSON: the kind's thresholds.
      .addColumn('params', t.text, (c) => c.notNull())
      // JSON array of e-mail addresses.
      .addColumn('email_to', t.text, (c) => c.notNull())
      .addColumn('disabled_at', t.integer)
      .addColumn('created_at', t.integer, (c) => c.notNull())
      .addColumn('created_by', t.text, (c) => c.notNull()),
    db.schema.createIndex('alert_rules_company').on('alert_rules').column('company_id'),

    // One row per condition that is raised now (rule, subject): raised once, until it clears.
    db.schema.createTable('alert_states')
      .addColumn('rule_id', t.key, (c) => c.notNull())
      // What the condition is about: the company, or an enrolment token.
      .addColumn('subject', t.key, (c) => c.notNull())
      .addColumn('raised_at', t.integer, (c) => c.notNull())
      .addColumn('details', t.text, (c) => c.notNull())
      .addPrimaryKeyConstraint('alert_states_pk', ['rule_id', 'subject']),
  ],
};
