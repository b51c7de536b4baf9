// Webhook endpoints (with their delivery log) and alert rules (with the
// alerts raised now). Writes are the webhook.* and alert_rule.* commands; a
// secret appears only in webhook.create's answer.
import { Hono } from 'hono';
import { z } from 'zod';
import { COMMANDS, type CommandServices } from '../admin/index.ts';
import type { Scope } from '../auth/scope.ts';
import { TallyError } from '../errors.ts';
import type { AlertRule, DeliveryAttempt, HookStore, WebhookDelivery, WebhookEndpoint } from '../storage/types.ts';
import { commandRoute, queryParams, read, type ApiEnv } from './http.ts';
import { iso } from './serialize.ts';

export const endpointJson = (e: WebhookEndpoint) => ({
  id: e.id, companyId: e.companyId, scope: e.companyId === null ? 'installation' : 'company', url: e.url, description: e.description,
  eventTypes: e.eventTypes, enabled: e.disabledAtMs === null, createdAt: iso(e.createdAtMs), updatedAt: iso(e.updatedAtMs), createdBy: e.createdBy,
});

export const ruleJson = (r: AlertRule) => ({
  id: r.id, companyId: r.companyId, name: r.name, kind: r.kind, params: r.params, emailTo: r.emailTo, enabled: r.disabledAtMs === null,
  createdAt: iso(r.createdAtMs), createdBy: r.createdBy,
});

const deliveryJson = (d: WebhookDelivery) => ({
  id: d.id, eventId: d.eventId, eventType: d.eventType, status: d.status, attempts: d.attempts,
  nextAttemptAt: d.status === 'pending' ? iso(d.nextAttemptAtMs) : null, createdAt: iso(d.createdAtMs), finishedAt: iso(d.finishedAtMs),
});

const attemptJson = (a: DeliveryAttempt) => ({
  deliveryId: a.deliveryId, eventId: a.eventId, attempt: a.attempt, at: iso(a.atMs), outcome: a.outcome, statusCode: a.statusCode, durationMs: a.durationMs, error: a.error,
});

/** An endpoint the principal may see, or not_found exactly as for one that does not exist. */
export async function visibleEndpoint(hooks: Pick<HookStore, 'getEndpoint'>, scope: Scope, id: string): Promise<WebhookEndpoint> {
  const e = await hooks.getEndpoint(id);
  if (!e || !(e.companyId === null ? scope.isInstallation : scope.canSee(e.companyId))) throw new TallyError('not_found', `webhook endpoint ${id} does not exist`);
  return e;
}

const LogQuery = z.object({ limit: z.coerce.number().int().min(1).max(1000).default(100) }).strict();

export function webhookRoutes(hooks: HookStore, commands: CommandServices) {
  const api = new Hono<ApiEnv>();

  api.get('/webhooks', read('read', async (c) => c.json({ webhooks: (await hooks.listEndpoints(c.get('principal').scope.companyIds())).map(endpointJson) })));
  api.post('/webhooks', commandRoute(COMMANDS.createWebhook, commands, {
    status: 201, render: (e) => ({ ...endpointJson(e), secret: e.secret }),
  }));
  api.get('/webhooks/:id', read('read', async (c) => c.json(endpointJson(await visibleEndpoint(hooks, c.get('principal').scope, c.req.param('id')!)))));
  api.patch('/webhooks/:id', commandRoute(COMMANDS.updateWebhook, commands, { target: (c) => ({ endpointId: c.req.param('id') }), status: 200, render: endpointJson }));
  api.delete('/webhooks/:id', commandRoute(COMMANDS.deleteWebhook, commands, { target: (c) => ({ endpointId: c.req.param('id') }), status: 204 }));
  api.post('/webhooks/:id/test', commandRoute(COMMANDS.testSendWebhook, commands, { target: (c) => ({ endpointId: c.req.param('id') }), status: 200 }));
  // The delivery log: each delivery (one per event) and each attempt of it, newest first.
  api.get('/webhooks/:id/deliveries', read('read', async (c) => {
    const e = await visibleEndpoint(hooks, c.get('principal').scope, c.req.param('id')!);
    const { limit } = queryParams(c, LogQuery);
    const [deliveries, attempts] = await Promise.all([hooks.listDeliveries(e.id, limit), hooks.listAttempts(e.id, limit)]);
    return c.json({ deliveries: deliveries.map(deliveryJson), attempts: attempts.map(attemptJson) });
  }));

  api.get('/alert-rules', read('read', async (c) => c.json({ alertRules: (await hooks.listRules(c.get('principal').scope.companyIds())).map(ruleJson) })));
  api.post('/companies/:id/alert-rules', commandRoute(COMMANDS.createAlertRule, commands, { target: (c) => ({ companyId: c.req.param('id') }), status: 201, render: ruleJson }));
  api.patch('/alert-rules/:id', commandRoute(COMMANDS.updateAlertRule, commands, { target: (c) => ({ ruleId: c.req.param('id') }), status: 200, render: ruleJson }));
  api.delete('/alert-rules/:id', commandRoute(COMMANDS.deleteAlertRule, commands, { target: (c) => ({ ruleId: c.req.param('id') }), status: 204 }));
  // The alerts raised now (one per rule and subject until the condition clears), and the latest raised, cleared or not.
  api.get('/alerts', read('read', async (c) => {
    const companyIds = c.get('principal').scope.companyIds();
    const rules = await hooks.listRules(companyIds);
    const active = (await Promise.all(rules.map(async (r) => (await hooks.alertStates(r.id)).map((s) => ({
      ruleId: r.id, ruleName: r.name, kind: r.kind, companyId: r.companyId, subject: s.subject, raisedAt: iso(s.raisedAtMs), details: s.details,
    }))))).flat();
    const recent = await hooks.listEvents({ companyIds, types: ['alert.raised', 'alert.cleared'], limit: 100 });
    return c.json({ active, recent: recent.map((e) => ({ id: e.id, type: e.type, companyId: e.companyId, at: iso(e.atMs), data: e.data })) });
  }));
  return api;
}
