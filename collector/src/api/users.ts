// Who has access, over REST: admin users (people), their sessions, single
// sign-on providers and the sign-in settings. Writes are the commands of
// admin/users.ts; reads are scoped like everything else. Client secrets,
// password hashes and TOTP secrets are never in an answer.
import { Hono } from 'hono';
import { COMMANDS, visibleUser, type CommandServices } from '../admin/index.ts';
import { TWO_FACTOR_REQUIRED_SETTING } from '../auth/sign-in.ts';
import type { AdminUser, SessionStore, SsoProvider, UserStore } from '../storage/types.ts';
import { iso } from './serialize.ts';
import { commandRoute, read, type ApiEnv } from './http.ts';

export const userJson = (u: AdminUser) => ({
  id: u.id, email: u.email, name: u.name, role: u.role, companyId: u.companyId, signIn: u.ssoProviderId ? 'sso' : 'password', ssoProviderId: u.ssoProviderId,
  twoFactor: u.totpEnabled, mustChangePassword: u.mustChangePassword, locked: u.lockedUntilMs !== null, lockedUntil: iso(u.lockedUntilMs),
  disabledAt: iso(u.disabledAtMs), createdAt: iso(u.createdAtMs), createdBy: u.createdBy, lastLoginAt: iso(u.lastLoginAtMs),
});

const providerJson = (p: SsoProvider) => ({
  id: p.id, companyId: p.companyId, name: p.name, issuer: p.issuer, clientId: p.clientId, claim: p.claim, mappings: p.mappings,
  createdAt: iso(p.createdAtMs), updatedAt: iso(p.updatedAtMs), disabledAt: iso(p.disabledAtMs),
});

export function userRoutes(users: UserStore, sessions: Pick<SessionStore, 'listSessions'>, commands: CommandServices) {
  const api = new Hono<ApiEnv>();
  api.get('/admin-users', read('users.read', async (c) =>
    c.json({ users: (await users.listUsers(c.get('principal').scope.companyIds())).map(userJson) })));
  api.post('/admin-users', commandRoute(COMMANDS.createAdminUser, commands, { status: 201 }));
  api.get('/admin-users/:id', read('users.read', async (c) => c.json(userJson(await visibleUser({ users }, c.get('principal'), c.req.param('id')!)))));
  api.patch('/admin-users/:id', commandRoute(COMMANDS.updateAdminUser, commands, { target: (c) => ({ userId: c.req.param('id') }), status: 200 }));
  api.post('/admin-users/:id/reset-password', commandRoute(COMMANDS.resetPassword, commands, { target: (c) => ({ userId: c.req.param('id') }), status: 200 }));
  api.get('/admin-users/:id/sessions', read('users.read', async (c) => {
    const user = await visibleUser({ users }, c.get('principal'), c.req.param('id')!);
    return c.json({ sessions: (await sessions.listSessions(user.id)).map((s) => ({ id: s.id, stage: s.stage, createdAt: iso(s.createdAtMs), lastUsedAt: iso(s.lastUsedAtMs), userAgent: s.userAgent, address: s.address })) });
  }));
  api.delete('/admin-users/:id/sessions', commandRoute(COMMANDS.endUserSessions, commands, { target: (c) => ({ userId: c.req.param('id') }), status: 200 }));

  api.get('/sso-providers', read('users.read', async (c) => {
    const scope = c.get('principal').scope;
    return c.json({ providers: (await users.listSsoProviders(scope.companyIds())).map(providerJson) });
  }));
  api.post('/sso-providers', commandRoute(COMMANDS.createSsoProvider, commands, { status: 201 }));
  api.patch('/sso-providers/:id', commandRoute(COMMANDS.updateSsoProvider, commands, { target: (c) => ({ providerId: c.req.param('id') }), status: 200 }));

  api.get('/sign-in-settings', read('users.read', async (c) => c.json({ twoFactorRequired: (await users.getSetting(TWO_FACTOR_REQUIRED_SETTING)) === 'true' })));
  api.put('/sign-in-settings', commandRoute(COMMANDS.setSignInSettings, commands, { status: 200 }));
  return api;
}
