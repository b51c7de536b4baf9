// API keys and enrolment tokens. Secrets are shown once, at creation, and
// stored hashed; listings never carry them.
import { Hono } from 'hono';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { hashSecret, newSecret } from '../auth/secrets.ts';
import type { Storage } from '../storage/types.ts';
import { ApiError } from './errors.ts';
import type { ApiEnv } from './routes.ts';
import { audited } from './audit.ts';
import { iso } from './serialize.ts';
import { idParam, jsonBody } from './validate.ts';

export const CreateKey = z.object({
  label: z.string().trim().min(1).max(100),
  /** null: installation-wide (only an installation key may create one). */
  companyId: idParam.nullable().default(null),
  readOnly: z.boolean().default(false),
}).strict();

export const CreateToken = z.object({ expiresInDays: z.number().int().min(1).max(3650).nullable().default(null) }).strict();

export function keyRoutes(storage: Storage, now: () => number) {
  const api = new Hono<ApiEnv>();

  api.get('/api-keys', async (c) => {
    const keys = await storage.adminWrite.listApiKeys(c.get('scope').companyIds());
    return c.json({ apiKeys: keys.map((k) => ({ id: k.id, label: k.label, companyId: k.companyId, readOnly: k.readOnly, createdAt: iso(k.createdAtMs), revokedAt: iso(k.revokedAtMs) })) });
  });

  api.post('/api-keys', async (c) => {
    const scope = c.get('scope');
    const body = await jsonBody(c, CreateKey);
    if (body.companyId === null) scope.requireInstallation('an installation-wide API key');
    else scope.writable(body.companyId);
    // A key never hands out more than it has: a read-only key cannot get here, and scoped keys only create keys inside their tree.
    const key = newSecret('api_key');
    const id = randomUUID();
    await storage.adminWrite.createApiKey({ id, keyHash: hashSecret(key), label: body.label, companyId: body.companyId, readOnly: body.readOnly, nowMs: now() });
    await audited(c, storage, now, { action: 'api_key.create', targetType: 'api_key', targetId: id, companyId: body.companyId, details: body });
    return c.json({ id, key, label: body.label, companyId: body.companyId, readOnly: body.readOnly }, 201);
  });

  api.delete('/api-keys/:id', async (c) => {
    const id = c.req.param('id');
    const mine = (await storage.adminWrite.listApiKeys(c.get('scope').companyIds())).find((k) => k.id === id);
    if (!mine) throw new ApiError(404, 'not_found', `API key ${id} does not exist`);
    await storage.adminWrite.revokeApiKey(id, now());
    await audited(c, storage, now, { action: 'api_key.revoke', targetType: 'api_key', targetId: id, companyId: mine.companyId });
    return c.body(null, 204);
  });

  api.get('/companies/:id/enrolment-tokens', async (c) => {
    const co = c.get('scope').company(c.req.param('id'));
    const tokens = await storage.adminWrite.listEnrolmentTokens([co.id]);
    return c.json({ enrolmentTokens: tokens.map((t) => ({ id: t.id, companyId: t.companyId, createdAt: iso(t.createdAtMs), expiresAt: iso(t.expiresAtMs), revokedAt: iso(t.revokedAtMs) })) });
  });

  api.post('/companies/:id/enrolment-tokens', async (c) => {
    const co = c.get('scope').writable(c.req.param('id'));
    if (co.type !== 'customer') throw new ApiError(400, 'invalid_request', 'agents enrol into customer companies');
    const body = await jsonBody(c, CreateToken);
    const token = newSecret('enrolment_token');
    const id = randomUUID();
    const at = now();
    const expiresAtMs = body.expiresInDays === null ? null : at + body.expiresInDays * 86_400_000;
    await storage.adminWrite.createEnrolmentToken({ id, companyId: co.id, tokenHash: hashSecret(token), expiresAtMs, nowMs: at });
    await audited(c, storage, now, { action: 'enrolment_token.create', targetType: 'enrolment_token', targetId: id, companyId: co.id, details: { expiresAt: iso(expiresAtMs) } });
    return c.json({ id, token, companyId: co.id, expiresAt: iso(expiresAtMs) }, 201);
  });

  api.delete('/enrolment-tokens/:id', async (c) => {
    const id = c.req.param('id');
    const mine = (await storage.adminWrite.listEnrolmentTokens(c.get('scope').companyIds())).find((t) => t.id === id);
    if (!mine) throw new ApiError(404, 'not_found', `enrolment token ${id} does not exist`);
    await storage.adminWrite.revokeEnrolmentToken(id, now());
    await audited(c, storage, now, { action: 'enrolment_token.revoke', targetType: 'enrolment_token', targetId: id, companyId: mine.companyId });
    return c.body(null, 204);
  });

  return api;
}
