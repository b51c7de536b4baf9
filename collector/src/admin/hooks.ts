// Webhook endpoints and alert rules. A webhook's signing secret is made
// here, shown once in the create result, and never returned again (listings,
// updates and the audit log leave it out). An endpoint or rule outside the
// principal's scope answers exactly like one that does not exist.
import { randomBytes, randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Principal } from '../auth/principal.ts';
import { TallyError, invalid } from '../errors.ts';
import { EVENT_TYPES, TEST_EVENT, publishEvent } from '../hooks/events.ts';
import { ALERT_KINDS, AlertRuleParams } from '../hooks/alerts.ts';
import { webhookUrlProblem } from '../hooks/delivery.ts';
import type { AdminStores, AlertRule, WebhookEndpoint } from '../storage/types.ts';
import { defineCommand } from './command.ts';
import { idParam, nameParam } from './schemas.ts';

const webhookUrl = z.string().trim().max(2000).superRefine((u, ctx) => {
  const problem = webhookUrlProblem(u);
  if (problem) ctx.addIssue({ code: z.ZodIssueCode.custom, message: problem });
});
const eventTypes = z.array(z.enum(EVENT_TYPES)).max(EVENT_TYPES.length).transform((t) => [...new Set(t)].sort());

/** whsec_ and 32 random bytes in base64: the secret format the Standard Webhooks libraries read. */
export const newWebhookSecret = () => `whsec_${randomBytes(32).toString('base64')}`;

async function endpointInScope(principal: Principal, stores: AdminStores, id: string): Promise<WebhookEndpoint> {
  const e = await stores.hooks.getEndpoint(id);
  const visible = e && (e.companyId === null ? principal.scope.isInstallation : (principal.scope.companyIds()?.includes(e.companyId) ?? true));
  if (!e || !visible) throw new TallyError('not_found', `webhook endpoint ${id} does not exist`, { field: 'endpointId' });
  return e;
}

async function ruleInScope(principal: Principal, stores: AdminStores, id: string): Promise<AlertRule> {
  const r = await stores.hooks.getRule(id);
  if (!r || !(principal.scope.companyIds()?.includes(r.companyId) ?? true)) throw new TallyError('not_found', `alert rule ${id} does not exist`, { field: 'ruleId' });
  return r;
}

export const createWebhook = defineCommand({
  name: 'webhook.create',
  summary: 'Create a webhook endpoint (installation, partner or company scope); its signing secret is shown once',
  permission: 'keys.write',
  target: z.object({}).strict(),
  input: z.object({
    url: webhookUrl,
    description: z.string().trim().max(200).default(''),
    /** The event types to send; empty: every type. */
    eventTypes: eventTypes.default([]),
    /** null: installation-wide (every event; installation principals only). Absent: the principal's own company (installation for an installation principal). */
    companyId: idParam.nullable().optional(),
  }).strict(),
  async run({ principal, stores, nowMs }, _t, input) {
    const companyId = input.companyId === undefined ? (principal.scope.isInstallation ? null : principal.scope.homeCompanyId) : input.companyId;
    if (companyId === null) principal.scope.requireInstallation('an installation-wide webhook');
    else principal.scope.company(companyId);
    const id = randomUUID();
    const secret = newWebhookSecret();
    const endpoint: WebhookEndpoint = {
      id, companyId, url: input.url, description: input.description, eventTypes: input.eventTypes, disabledAtMs: null,
      createdAtMs: nowMs, updatedAtMs: nowMs, createdBy: principal.actor,
    };
    await stores.hooks.createEndpoint({ ...endpoint, secret });
    return { result: { ...endpoint, secret }, audit: { targetType: 'webhook_endpoint', targetId: id, companyId, details: { ...input, companyId } } };
  },
});

export const updateWebhook = defineCommand({
  name: 'webhook.update',
  summary: 'Change a webhook endpoint: URL, description, event filter, enabled',
  permission: 'keys.write',
  target: z.object({ endpointId: idParam }).strict(),
  input: z.object({ url: webhookUrl.optional(), description: z.string().trim().max(200).optional(), eventTypes: eventTypes.optional(), enabled: z.boolean().optional() }).strict(),
  async run({ principal, stores, nowMs }, { endpointId }, input) {
    const e = await endpointInScope(principal, stores, endpointId);
    const disabledAtMs = input.enabled === undefined ? undefined : input.enabled ? null : (e.disabledAtMs ?? nowMs);
    await stores.hooks.updateEndpoint(endpointId, { url: input.url, description: input.description, eventTypes: input.eventTypes, disabledAtMs, updatedAtMs: nowMs });
    const updated = (await stores.hooks.getEndpoint(endpointId))!;
    return { result: updated, audit: { targetType: 'webhook_endpoint', targetId: endpointId, companyId: e.companyId, details: input } };
  },
});

export const deleteWebhook = defineCommand({
  name: 'webhook.delete',
  summary: 'Delete a webhook endpoint (its pending deliveries go with it; the delivery log stays)',
  permission: 'keys.write',
  target: z.object({ endpointId: idParam }).strict(),
  input: z.object({}).strict(),
  async run({ principal, stores }, { endpointId }) {
    const e = await endpointInScope(principal, stores, endpointId);
    await stores.hooks.deleteEndpoint(endpointId);
    return { result: { id: endpointId }, audit: { targetType: 'webhook_endpoint', targetId: endpointId, companyId: e.companyId } };
  },
});

export const testSendWebhook = defineCommand({
  name: 'webhook.test_send',
  summary: 'Send a signed webhook.test event to one endpoint now and report what it answered',
  permission: 'keys.write',
  target: z.object({ endpointId: idParam }).strict(),
  input: z.object({}).strict(),
  // The POST waits on the receiver for up to its timeout: never inside a transaction.
  transactional: false,
  async run({ principal, stores, nowMs, services }, { endpointId }) {
    const e = await endpointInScope(principal, stores, endpointId);
    if (!services.webhooks) throw new TallyError('internal', 'webhook delivery is not available here');
    if (e.disabledAtMs !== null) throw invalid('endpointId', 'the endpoint is disabled; enable it first');
    const eventId = (await publishEvent(stores.hooks, { type: TEST_EVENT, companyId: e.companyId, data: { endpointId, message: 'A test event from Tally' } }, nowMs))!;
    const deliveryId = randomUUID();
    // Not due for the background workers (they would race this request for it): sent here, now; retried by them only if it fails.
    await stores.hooks.dispatch(eventId, [{ id: deliveryId, endpointId, nextAttemptAtMs: nowMs + 3_600_000 }], nowMs);
    const r = await services.webhooks.deliverNow(deliveryId);
    const result = { eventId, deliveryId, delivered: r?.outcome === 'delivered', outcome: r?.outcome ?? null, statusCode: r?.statusCode ?? null, durationMs: r?.durationMs ?? null, error: r?.error ?? null };
    return { result, audit: { targetType: 'webhook_endpoint', targetId: endpointId, companyId: e.companyId, details: { outcome: result.outcome, statusCode: result.statusCode } } };
  },
});

const emailTo = z.array(z.string().trim().email()).max(20).default([]);

export const createAlertRule = defineCommand({
  name: 'alert_rule.create',
  summary: 'Create an alert rule for a company or partner (its subtree): delivered as alert.raised webhooks and by e-mail',
  permission: 'reports.write',
  target: z.object({ companyId: idParam }).strict(),
  input: z.object({ name: nameParam, kind: z.enum(ALERT_KINDS), params: z.record(z.string(), z.number()).default({}), emailTo }).strict(),
  async run({ principal, stores, nowMs }, { companyId }, input) {
    const co = principal.scope.company(companyId);
    const params = checkedParams(input.kind, input.params);
    const rule: AlertRule = { id: randomUUID(), companyId: co.id, name: input.name, kind: input.kind, params, emailTo: input.emailTo, disabledAtMs: null, createdAtMs: nowMs, createdBy: principal.actor };
    await stores.hooks.createRule(rule);
    return { result: rule, audit: { targetType: 'alert_rule', targetId: rule.id, companyId: co.id, details: input } };
  },
});

export const updateAlertRule = defineCommand({
  name: 'alert_rule.update',
  summary: 'Change an alert rule: name, thresholds, recipients, enabled (new thresholds judge raised alerts again)',
  permission: 'reports.write',
  target: z.object({ ruleId: idParam }).strict(),
  input: z.object({ name: nameParam.optional(), params: z.record(z.string(), z.number()).optional(), emailTo: emailTo.optional(), enabled: z.boolean().optional() }).strict(),
  async run({ principal, stores, nowMs }, { ruleId }, input) {
    const r = await ruleInScope(principal, stores, ruleId);
    const params = input.params === undefined ? undefined : checkedParams(r.kind, input.params);
    const disabledAtMs = input.enabled === undefined ? undefined : input.enabled ? null : (r.disabledAtMs ?? nowMs);
    await stores.hooks.updateRule(ruleId, { name: input.name, params, emailTo: input.emailTo, disabledAtMs });
    return { result: (await stores.hooks.getRule(ruleId))!, audit: { targetType: 'alert_rule', targetId: ruleId, companyId: r.companyId, details: input } };
  },
});

export const deleteAlertRule = defineCommand({
  name: 'alert_rule.delete',
  summary: 'Delete an alert rule',
  permission: 'reports.write',
  target: z.object({ ruleId: idParam }).strict(),
  input: z.object({}).strict(),
  async run({ principal, stores }, { ruleId }) {
    const r = await ruleInScope(principal, stores, ruleId);
    await stores.hooks.deleteRule(ruleId);
    return { result: { id: ruleId }, audit: { targetType: 'alert_rule', targetId: ruleId, companyId: r.companyId } };
  },
});

function checkedParams(kind: string, params: Record<string, number>): Record<string, number> {
  const schema = AlertRuleParams[kind as keyof typeof AlertRuleParams];
  const parsed = schema.safeParse(params);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw invalid(['params', ...issue.path].join('.'), issue.message);
  }
  return parsed.data as Record<string, number>;
}
