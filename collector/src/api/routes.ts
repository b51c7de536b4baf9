// Admin API v1: authentication, then one router per resource. Handlers
// validate, call a store or the usage service, shape JSON: no business rules.
import { Hono } from 'hono';
import { hashSecret, looksLikeSecret } from '../auth/secrets.ts';
import type { ApiKeyRecord, Storage } from '../storage/types.ts';
import type { UsageService } from '../usage/service.ts';
import { companyRoutes } from './companies.ts';
import { deviceRoutes } from './devices.ts';
import { apiError } from './errors.ts';
import { subscriptionRoutes } from './subscriptions.ts';
import { usageRoutes } from './usage.ts';

type Env = { Variables: { apiKey: ApiKeyRecord } };

export function apiRoutes(storage: Storage, usage: UsageService, now: () => number): Hono<Env> {
  const api = new Hono<Env>();

  api.use('*', async (c, next) => {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(c.req.header('authorization') ?? '');
    const key = m && looksLikeSecret('api_key', m[1]) ? await storage.adminWrite.findApiKey(hashSecret(m[1])) : null;
    if (!key) {
      c.header('WWW-Authenticate', 'Bearer realm="tally"');
      return apiError(c, 401, 'unauthorized', 'send Authorization: Bearer <API key>; create one with `tally-collector apikey create`');
    }
    c.set('apiKey', key);
    await next();
  });

  api.route('/', companyRoutes(storage, now));
  api.route('/', deviceRoutes(storage, now));
  api.route('/', subscriptionRoutes(storage, now));
  api.route('/', usageRoutes(storage, usage));
  return api;
}
