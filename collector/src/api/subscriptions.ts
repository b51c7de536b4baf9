// Subscriptions: effective-dated versions (admin/subscriptions.ts has the rules).
import { Hono } from 'hono';
import { COMMANDS, type CommandServices } from '../admin/index.ts';
import type { TenancyStore } from '../storage/types.ts';
import { subscriptionJson } from './serialize.ts';
import { commandRoute, read, type ApiEnv } from './http.ts';

export function subscriptionRoutes(tenancy: Pick<TenancyStore, 'listSubscriptionVersions'>, commands: CommandServices) {
  const api = new Hono<ApiEnv>();
  api.get('/companies/:id/subscriptions', read('read', async (c) => {
    const co = c.get('principal').scope.company(c.req.param('id')!);
    return c.json({ versions: (await tenancy.listSubscriptionVersions(co.id)).map(subscriptionJson) });
  }));
  api.post('/companies/:id/subscriptions', commandRoute(COMMANDS.setSubscription, commands, { target: (c) => ({ companyId: c.req.param('id') }), status: 201, render: subscriptionJson }));
  api.post('/subscriptions/:id/activate', commandRoute(COMMANDS.activateTrial, commands, { target: (c) => ({ subscriptionId: c.req.param('id') }), status: 201, render: subscriptionJson }));
  return api;
}
