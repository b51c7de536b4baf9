// Webhook endpoints, the event outbox, deliveries and their log, alert rules
// and the alerts raised now: for both backends.
import type { Selectable } from 'kysely';
import type {
  AlertRule, AlertState, DeliveryAttempt, DeliveryOutcome, DueDelivery, HookEvent, HookStore, WebhookDelivery, WebhookEndpoint,
} from '../types.ts';
import { inScope } from './admin.ts';
import { statement, writing, type SqlContext } from './context.ts';
import type { AlertRulesTable, WebhookEndpointsTable, WebhookEventsTable } from './schema.ts';

const ENROLMENT_EVENTS = ['device.enrolled', 'device.re_enrolled'];

const toEndpoint = (r: Selectable<WebhookEndpointsTable>): WebhookEndpoint => ({
  id: r.id, companyId: r.company_id, url: r.url, description: r.description, eventTypes: JSON.parse(r.event_types) as string[],
  disabledAtMs: r.disabled_at === null ? null : Number(r.disabled_at), createdAtMs: Number(r.created_at), updatedAtMs: Number(r.updated_at), createdBy: r.created_by,
});

const toEvent = (r: Selectable<WebhookEventsTable>): HookEvent => ({
  id: r.id, type: r.type, companyId: r.company_id, dedupeKey: r.dedupe_key, tokenId: r.token_id, data: JSON.parse(r.payload) as Record<string, unknown>,
  atMs: Number(r.created_at), dispatchedAtMs: r.dispatched_at === null ? null : Number(r.dispatched_at),
});

const toRule = (r: Selectable<AlertRulesTable>): AlertRule => ({
  id: r.id, companyId: r.company_id, name: r.name, kind: r.kind, params: JSON.parse(r.params) as Record<string, number>, emailTo: JSON.parse(r.email_to) as string[],
  disabledAtMs: r.disabled_at === null ? null : Number(r.disabled_at), createdAtMs: Number(r.created_at), createdBy: r.created_by,
});

export function sqlHookStore(ctx: SqlContext): HookStore {
  return {
    createEndpoint: (e) => statement(ctx, async (db) => {
      await db.insertInto('webhook_endpoints').values({
        id: e.id, company_id: e.companyId, url: e.url, description: e.description, secret: e.secret, event_types: JSON.stringify(e.eventTypes),
        disabled_at: e.disabledAtMs, created_at: e.createdAtMs, updated_at: e.updatedAtMs, created_by: e.createdBy,
      }).execute();
    }),
    updateEndpoint: (id, p) => statement(ctx, async (db) => {
      await db.updateTable('webhook_endpoints').set({
        updated_at: p.updatedAtMs,
        ...(p.url !== undefined ? { url: p.url } : {}),
        ...(p.description !== undefined ? { description: p.description } : {}),
        ...(p.eventTypes !== undefined ? { event_types: JSON.stringify(p.eventTypes) } : {}),
        ...(p.disabledAtMs !== undefined ? { disabled_at: p.disabledAtMs } : {}),
      }).where('id', '=', id).execute();
    }),
    deleteEndpoint: (id) => writing(ctx, async (db) => {
      await db.deleteFrom('webhook_deliveries').where('endpoint_id', '=', id).where('status', '=', 'pending').execute();
      return (await db.deleteFrom('webhook_endpoints').where('id', '=', id).executeTakeFirst()).numDeletedRows === 1n;
    }),
    getEndpoint: (id) => statement(ctx, async (db) => {
      const r = await db.selectFrom('webhook_endpoints').selectAll().where('id', '=', id).executeTakeFirst();
      return r ? toEndpoint(r) : null;
    }),
    listEndpoints: (companyIds) => statement(ctx, async (db) =>
      (await db.selectFrom('webhook_endpoints').selectAll().$call(inScope(ctx, 'company_id', companyIds)).orderBy('created_at').orderBy('id').execute()).map(toEndpoint)),

    publish: (e) => statement(ctx, async (db) => {
      const r = await db.insertInto('webhook_events').values({
        id: e.id, type: e.type, company_id: e.companyId, dedupe_key: e.dedupeKey ?? null, token_id: e.tokenId ?? null, payload: JSON.stringify(e.data),
        created_at: e.atMs, dispatched_at: null,
      }).onConflict((oc) => oc.column('dedupe_key').doNothing()).executeTakeFirst();
      return Number(r.numInsertedOrUpdatedRows ?? 0n) === 1;
    }),
    undispatchedEvents: (limit) => statement(ctx, async (db) =>
      (await db.selectFrom('webhook_events').selectAll().where('dispatched_at', 'is', null).orderBy('created_at').orderBy('id').limit(limit).execute()).map(toEvent)),
    dispatch: (eventId, deliveries, nowMs) => writing(ctx, async (db) => {
      const taken = await db.updateTable('webhook_events').set({ dispatched_at: nowMs }).where('id', '=', eventId).where('dispatched_at', 'is', null).executeTakeFirst();
      if (taken.numUpdatedRows !== 1n) return false;
      if (deliveries.length) {
        await db.insertInto('webhook_deliveries').values(deliveries.map(({ id, endpointId, nextAttemptAtMs }) => ({
          id, endpoint_id: endpointId, event_id: eventId, status: 'pending', attempts: 0, next_attempt_at: nextAttemptAtMs ?? nowMs, created_at: nowMs, finished_at: null,
        }))).execute();
      }
      return true;
    }),
    dueDeliveries: (nowMs, limit) => statement(ctx, async (db) => {
      const rows = await db.selectFrom('webhook_deliveries as d').innerJoin('webhook_endpoints as e', 'e.id', 'd.endpoint_id')
        .innerJoin('webhook_events as ev', 'ev.id', 'd.event_id')
        .select(['d.id', 'd.endpoint_id', 'd.attempts', 'd.next_attempt_at', 'e.url', 'e.secret'])
        .select(['ev.id as ev_id', 'ev.type', 'ev.company_id', 'ev.dedupe_key', 'ev.token_id', 'ev.payload', 'ev.created_at', 'ev.dispatched_at'])
        .where('d.status', '=', 'pending').where('d.next_attempt_at', '<=', nowMs).where('e.disabled_at', 'is', null)
        .orderBy('d.next_attempt_at').orderBy('d.id').limit(limit).execute();
      return rows.map((r): DueDelivery => ({
        id: r.id, endpointId: r.endpoint_id, url: r.url, secret: r.secret, attempts: Number(r.attempts), nextAttemptAtMs: Number(r.next_attempt_at),
        event: toEvent({ id: r.ev_id, type: r.type, company_id: r.company_id, dedupe_key: r.dedupe_key, token_id: r.token_id, payload: r.payload, created_at: r.created_at, dispatched_at: r.dispatched_at }),
      }));
    }),
    claimDue: (ids, nowMs, leaseUntil) => statement(ctx, async (db) => ids.length === 0 ? [] :
      (await db.updateTable('webhook_deliveries').set({ next_attempt_at: leaseUntil }).where(ctx.dialect.inList('id', ids)).where('status', '=', 'pending')
        .where('next_attempt_at', '<=', nowMs).returning('id').execute()).map((r) => r.id)),
    claimDelivery: (id, expected, leaseUntil) => statement(ctx, async (db) =>
      (await db.updateTable('webhook_deliveries').set({ next_attempt_at: leaseUntil }).where('id', '=', id).where('status', '=', 'pending')
        .where('next_attempt_at', '=', expected).executeTakeFirst()).numUpdatedRows === 1n),
    recordAttempt: (a, next) => writing(ctx, async (db) => {
      await db.insertInto('webhook_attempts').values({
        id: a.id, delivery_id: a.deliveryId, endpoint_id: a.endpointId, event_id: a.eventId, attempt: a.attempt, at: a.atMs, outcome: a.outcome,
        status_code: a.statusCode, duration_ms: a.durationMs, error: a.error,
      }).execute();
      await db.updateTable('webhook_deliveries').set({
        status: next.status, attempts: a.attempt,
        ...(next.status === 'pending' ? { next_attempt_at: next.nextAttemptAtMs } : { finished_at: a.atMs + a.durationMs }),
      }).where('id', '=', a.deliveryId).execute();
    }),
    getDelivery: (id) => statement(ctx, async (db) => {
      const r = await db.selectFrom('webhook_deliveries as d').innerJoin('webhook_endpoints as e', 'e.id', 'd.endpoint_id')
        .innerJoin('webhook_events as ev', 'ev.id', 'd.event_id')
        .select(['d.id', 'd.endpoint_id', 'd.attempts', 'd.next_attempt_at', 'e.url', 'e.secret'])
        .select(['ev.id as ev_id', 'ev.type', 'ev.company_id', 'ev.dedupe_key', 'ev.token_id', 'ev.payload', 'ev.created_at', 'ev.dispatched_at'])
        .where('d.id', '=', id).executeTakeFirst();
      return r ? {
        id: r.id, endpointId: r.endpoint_id, url: r.url, secret: r.secret, attempts: Number(r.attempts), nextAttemptAtMs: Number(r.next_attempt_at),
        event: toEvent({ id: r.ev_id, type: r.type, company_id: r.company_id, dedupe_key: r.dedupe_key, token_id: r.token_id, payload: r.payload, created_at: r.created_at, dispatched_at: r.dispatched_at }),
      } : null;
    }),
    listDeliveries: (endpointId, limit) => statement(ctx, async (db) =>
      (await db.selectFrom('webhook_deliveries as d').innerJoin('webhook_events as ev', 'ev.id', 'd.event_id')
        .select(['d.id', 'd.endpoint_id', 'd.event_id', 'ev.type', 'd.status', 'd.attempts', 'd.next_attempt_at', 'd.created_at', 'd.finished_at'])
        .where('d.endpoint_id', '=', endpointId).orderBy('d.created_at', 'desc').orderBy('d.id', 'desc').limit(limit).execute())
        .map((r): WebhookDelivery => ({
          id: r.id, endpointId: r.endpoint_id, eventId: r.event_id, eventType: r.type, status: r.status as WebhookDelivery['status'], attempts: Number(r.attempts),
          nextAttemptAtMs: Number(r.next_attempt_at), createdAtMs: Number(r.created_at), finishedAtMs: r.finished_at === null ? null : Number(r.finished_at),
        }))),
    listAttempts: (endpointId, limit) => statement(ctx, async (db) =>
      (await db.selectFrom('webhook_attempts').selectAll().where('endpoint_id', '=', endpointId).orderBy('at', 'desc').orderBy('attempt', 'desc').limit(limit).execute())
        .map((r): DeliveryAttempt => ({
          id: r.id, deliveryId: r.delivery_id, endpointId: r.endpoint_id, eventId: r.event_id, attempt: Number(r.attempt), atMs: Number(r.at),
          outcome: r.outcome as DeliveryOutcome, statusCode: r.status_code === null ? null : Number(r.status_code), durationMs: Number(r.duration_ms), error: r.error,
        }))),
    prune: (beforeMs) => writing(ctx, async (db) => {
      const attempts = await db.deleteFrom('webhook_attempts').where('at', '<', beforeMs).executeTakeFirst();
      const deliveries = await db.deleteFrom('webhook_deliveries').where('status', '<>', 'pending').where('finished_at', '<', beforeMs).executeTakeFirst();
      const events = await db.deleteFrom('webhook_events').where('dispatched_at', '<', beforeMs)
        .where(({ not, exists, selectFrom }) => not(exists(selectFrom('webhook_deliveries as d').select('d.id').whereRef('d.event_id', '=', 'webhook_events.id').where('d.status', '=', 'pending'))))
        .executeTakeFirst();
      return { events: Number(events.numDeletedRows), deliveries: Number(deliveries.numDeletedRows), attempts: Number(attempts.numDeletedRows) };
    }),
    listEvents: ({ companyIds, types, limit }) => statement(ctx, async (db) =>
      (await db.selectFrom('webhook_events').selectAll().$call(inScope(ctx, 'company_id', companyIds))
        .$if(types !== undefined, (q) => q.where(ctx.dialect.inList('type', types!)))
        .orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute()).map(toEvent)),

    createRule: (r) => statement(ctx, async (db) => {
      await db.insertInto('alert_rules').values({
        id: r.id, company_id: r.companyId, name: r.name, kind: r.kind, params: JSON.stringify(r.params), email_to: JSON.stringify(r.emailTo),
        disabled_at: r.disabledAtMs, created_at: r.createdAtMs, created_by: r.createdBy,
      }).execute();
    }),
    updateRule: (id, p) => writing(ctx, async (db) => {
      await db.updateTable('alert_rules').set({
        ...(p.name !== undefined ? { name: p.name } : {}),
        ...(p.params !== undefined ? { params: JSON.stringify(p.params) } : {}),
        ...(p.emailTo !== undefined ? { email_to: JSON.stringify(p.emailTo) } : {}),
        ...(p.disabledAtMs !== undefined ? { disabled_at: p.disabledAtMs } : {}),
      }).where('id', '=', id).execute();
      // New thresholds: what was raised under the old ones is judged again.
      if (p.params !== undefined || p.disabledAtMs !== undefined) await db.deleteFrom('alert_states').where('rule_id', '=', id).execute();
    }),
    deleteRule: (id) => writing(ctx, async (db) => {
      await db.deleteFrom('alert_states').where('rule_id', '=', id).execute();
      return (await db.deleteFrom('alert_rules').where('id', '=', id).executeTakeFirst()).numDeletedRows === 1n;
    }),
    getRule: (id) => statement(ctx, async (db) => {
      const r = await db.selectFrom('alert_rules').selectAll().where('id', '=', id).executeTakeFirst();
      return r ? toRule(r) : null;
    }),
    listRules: (companyIds) => statement(ctx, async (db) =>
      (await db.selectFrom('alert_rules').selectAll().$call(inScope(ctx, 'company_id', companyIds)).orderBy('created_at').orderBy('id').execute()).map(toRule)),
    alertStates: (ruleId) => statement(ctx, async (db) =>
      (await db.selectFrom('alert_states').selectAll().where('rule_id', '=', ruleId).orderBy('subject').execute())
        .map((r): AlertState => ({ ruleId: r.rule_id, subject: r.subject, raisedAtMs: Number(r.raised_at), details: JSON.parse(r.details) as Record<string, unknown> }))),
    raiseAlert: (s) => statement(ctx, async (db) => {
      const r = await db.insertInto('alert_states').values({ rule_id: s.ruleId, subject: s.subject, raised_at: s.raisedAtMs, details: JSON.stringify(s.details) })
        .onConflict((oc) => oc.columns(['rule_id', 'subject']).doNothing()).executeTakeFirst();
      return Number(r.numInsertedOrUpdatedRows ?? 0n) === 1;
    }),
    clearAlert: (ruleId, subject) => statement(ctx, async (db) =>
      (await db.deleteFrom('alert_states').where('rule_id', '=', ruleId).where('subject', '=', subject).executeTakeFirst()).numDeletedRows === 1n),

    activeEndpoints: (companyIds, utcDay) => statement(ctx, async (db) => {
      const r = await db.selectFrom('device_days').select((eb) => eb.fn.count<number>('device_id').distinct().as('n'))
        .where('utc_day', '=', utcDay).where('awake_seconds', '>', 0).where(ctx.dialect.inList('company_id', companyIds)).executeTakeFirst();
      return Number(r?.n ?? 0);
    }),
    enrolmentsByToken: (companyIds, sinceMs) => statement(ctx, async (db) =>
      (await db.selectFrom('webhook_events').select((eb) => ['token_id', eb.fn.countAll<number>().as('n')])
        .where(ctx.dialect.inList('type', ENROLMENT_EVENTS)).where('created_at', '>=', sinceMs).where('token_id', 'is not', null)
        .where(ctx.dialect.inList('company_id', companyIds)).groupBy('token_id').execute())
        .map((r) => ({ tokenId: r.token_id!, count: Number(r.n) }))),
  };
}
