// Companies, user groups, users, XDR sensor deployments.
import { Hono } from 'hono';
import { listingRetention } from '../billing/index.ts';
import { COMMANDS, type CommandServices } from '../admin/index.ts';
import type { TenancyStore } from '../storage/types.ts';
import { commandRoute, read, type ApiEnv } from './http.ts';
import { companyJson, groupJson, userJson } from './serialize.ts';

export function companyRoutes(tenancy: Pick<TenancyStore, 'listUserGroups' | 'listUsers'>, commands: CommandServices, now: () => number) {
  const api = new Hono<ApiEnv>();
  const companyId = (c: { req: { param(n: string): string } }) => ({ companyId: c.req.param('id') });

  api.get('/companies', read('read', (c) => c.json({ companies: c.get('principal').scope.visibleCompanies().map(companyJson) })));
  api.post('/companies', commandRoute(COMMANDS.createCompany, commands, { status: 201, render: companyJson }));
  api.get('/companies/:id', read('read', (c) => c.json(companyJson(c.get('principal').scope.company(c.req.param('id')!)))));
  api.patch('/companies/:id', commandRoute(COMMANDS.updateCompany, commands, { target: companyId, status: 200, render: companyJson }));
  // Puts the company, with its subtree, under another partner ({"parentId": null}: the top level).
  api.post('/companies/:id/move', commandRoute(COMMANDS.moveCompany, commands, { target: companyId, status: 200, render: companyJson }));

  api.get('/companies/:id/user-groups', read('read', async (c) => {
    const co = c.get('principal').scope.company(c.req.param('id')!);
    return c.json({ userGroups: (await tenancy.listUserGroups(co.id)).map(groupJson) });
  }));
  api.post('/companies/:id/user-groups', commandRoute(COMMANDS.createUserGroup, commands, { target: companyId, status: 201, render: groupJson }));

  api.get('/companies/:id/users', read('read', async (c) => {
    const co = c.get('principal').scope.company(c.req.param('id')!);
    const includeRetired = c.req.query('includeRetired') === 'true';
    const at = now();
    // "Inactive Users: Remain visible in the dashboard for 150 days before automatic removal." (seed 000)
    const users = (await tenancy.listUsers(co.id))
      .filter((u) => includeRetired || u.lastActiveAtMs === null || listingRetention({ kind: 'user', lastActivityMs: u.lastActiveAtMs }, at).visible);
    return c.json({ users: users.map(userJson) });
  }));
  api.post('/companies/:id/users', commandRoute(COMMANDS.createUser, commands, { target: companyId, status: 201, render: userJson }));
  api.post('/companies/:id/user-groups/:groupId/members', commandRoute(COMMANDS.addGroupMember, commands, {
    target: (c) => ({ companyId: c.req.param('id'), groupId: c.req.param('groupId') }), status: 204,
  }));
  api.post('/companies/:id/xdr-deployments', commandRoute(COMMANDS.recordXdrDeployment, commands, { target: companyId, status: 201 }));
  return api;
}
