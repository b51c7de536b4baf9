// API keys and enrolment tokens. Secrets are shown once, at creation.
import { Hono } from 'hono';
import { COMMANDS, type CommandServices } from '../admin/index.ts';
import type { AdminWriteStore, EnrolmentTokenListing } from '../storage/types.ts';
import { iso } from './serialize.ts';
import { keyRole } from '../auth/authenticate.ts';
import { commandRoute, read, type ApiEnv } from './http.ts';

/** A token as listed: never its secret; how many devices it enrolled, against its limit. */
export const tokenJson = (t: EnrolmentTokenListing) => ({
  id: t.id, companyId: t.companyId, createdAt: iso(t.createdAtMs), expiresAt: iso(t.expiresAtMs), revokedAt: iso(t.revokedAtMs),
  enrolments: t.enrolments, maxEnrolments: t.maxEnrolments, limitReachedAt: iso(t.limitHitAtMs),
});

export function keyRoutes(adminWrite: Pick<AdminWriteStore, 'listApiKeys' | 'listEnrolmentTokens'>, commands: CommandServices) {
  const api = new Hono<ApiEnv>();

  api.get('/api-keys', read('read', async (c) => {
    const keys = await adminWrite.listApiKeys(c.get('principal').scope.companyIds());
    return c.json({ apiKeys: keys.map((k) => ({ id: k.id, label: k.label, companyId: k.companyId, readOnly: k.readOnly, role: keyRole(k), createdByUserId: k.createdByUserId, createdAt: iso(k.createdAtMs), revokedAt: iso(k.revokedAtMs) })) });
  }));
  api.post('/api-keys', commandRoute(COMMANDS.createApiKey, commands, { status: 201 }));
  api.delete('/api-keys/:id', commandRoute(COMMANDS.revokeApiKey, commands, { target: (c) => ({ keyId: c.req.param('id') }), status: 204 }));

  api.get('/companies/:id/enrolment-tokens', read('read', async (c) => {
    const co = c.get('principal').scope.company(c.req.param('id')!);
    const tokens = await adminWrite.listEnrolmentTokens([co.id]);
    return c.json({ enrolmentTokens: tokens.map(tokenJson) });
  }));
  api.post('/companies/:id/enrolment-tokens', commandRoute(COMMANDS.createEnrolmentToken, commands, {
    target: (c) => ({ companyId: c.req.param('id') }), status: 201,
    render: (t) => ({ id: t.id, token: t.token, companyId: t.companyId, expiresAt: iso(t.expiresAtMs), maxEnrolments: t.maxEnrolments }),
  }));
  api.delete('/enrolment-tokens/:id', commandRoute(COMMANDS.revokeEnrolmentToken, commands, { target: (c) => ({ tokenId: c.req.param('id') }), status: 204 }));
  return api;
}
