// Subscriptions: effective-dated versions (admin/subscriptions.ts has the rules).
import { Hono } from 'hono';
import { COMMANDS, companyLicence, type CommandServices } from '../admin/index.ts';
import type { TenancyStore } from '../storage/types.ts';
import { iso, subscriptionJson } from './serialize.ts';
import { commandRoute, read, type ApiEnv } from './http.ts';

export function subscriptionRoutes(tenancy: Pick<TenancyStore, 'listSubscriptionVersions'>, commands: CommandServices, now: () => number) {
  const api = new Hono<ApiEnv>();
  // The licence now, from the billing core's rule (the same answer as JSON-RPC getLicenseInfo and the console).
  api.get('/companies/:id/licence', read('read', async (c) => {
    const l = await companyLicence({ tenancy }, c.get('principal').scope, c.req.param('id')!, now());
    return c.json({
      companyId: l.companyId, at: iso(l.atMs), state: l.state, billable: l.state === 'billable', licenseType: l.licenseType,
      inactiveCompanyId: l.inactiveCompanyId, subscription: l.version ? subscriptionJson(l.version) : null,
    });
  }));
  api.get('/companies/:id/subscriptions', read('read', async (c) => {
    const co = c.get('principal').scope.company(c.req.param('id')!);
    return c.json({ versions: (await tenancy.listSubscriptionVersions(co.id)).map(subscriptionJson) });
  }));
  api.post('/companies/:id/subscriptions', commandRoute(COMMANDS.setSubscription, commands, { target: (c) => ({ companyId: c.req.param('id') }), status: 201, render: subscriptionJson }));
  api.post('/subscriptions/:id/activate', commandRoute(COMMANDS.activateTrial, commands, { target: (c) => ({ subscriptionId: c.req.param('id') }), status: 201, render: subscriptionJson }));
  return api;
}
