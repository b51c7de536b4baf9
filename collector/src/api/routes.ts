// Admin API v1: authentication, then one router per resource. Handlers
// validate, call a store or the usage service, shape JSON: no business rules.
import { Hono } from 'hono';
import { hashSecret, looksLikeSecret } from '../auth/secrets.ts';
import type { ApiKeyRecord, Storage } from '../storage/types.ts';
import type { UsageService } from '../usage/service.ts';
import { companyRoutes } from './companies.ts';
import { deviceRoutes } from './devices.ts';
import { apiError } from './errors.ts';
import { keyRoutes } from './keys.ts';
import { auditRoutes } from './audit.ts';
import { reportRoutes } from './reports.ts';
import type { ReportJobs } from '../reporting/jobs.ts';
import { openApiDocument } from './openapi.ts';
import { Scope } from './scope.ts';
import { subscriptionRoutes } from './subscriptions.ts';
import { usageRoutes } from './usage.ts';

export type ApiEnv = { Variables: { apiKey: ApiKeyRecord; scope: Scope } };

/**
 * `Bearer <key>`, or HTTP Basic with the key as user name and an empty
 * password (what GravityZone-style integrations send, e.g. to the download
 * links the partner API hands out).
 */
export function apiKeyFrom(authorization: string | undefined): string | null {
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  if (bearer) return looksLikeSecret('api_key', bearer[1]) ? bearer[1] : null;
  const basic = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(authorization ?? '');
  if (!basic) return null;
  const user = Buffer.from(basic[1], 'base64').toString('utf8').split(':')[0];
  return looksLikeSecret('api_key', user) ? user : null;
}

export function apiRoutes(storage: Storage, usage: UsageService, reports: ReportJobs, now: () => number): Hono<ApiEnv> {
  const api = new Hono<ApiEnv>();

  // The description of this API is public, like any API reference.
  api.get('/openapi.json', (c) => c.json(openApiDocument()));

  api.use('*', async (c, next) => {
    const secret = apiKeyFrom(c.req.header('authorization'));
    const key = secret ? await storage.adminWrite.findApiKey(hashSecret(secret)) : null;
    if (!key) {
      c.header('WWW-Authenticate', 'Bearer realm="tally"');
      return apiError(c, 401, 'unauthorized', 'send Authorization: Bearer <API key> (or Basic with the key as user name); create one with `tally-collector apikey create`');
    }
    const scope = await Scope.load(storage, key);
    if (scope.loginRefused) return apiError(c, 403, 'forbidden', 'the company this API key belongs to is inactive');
    if (key.readOnly && c.req.method !== 'GET' && c.req.method !== 'HEAD') {
      return apiError(c, 403, 'forbidden', 'this API key is read-only');
    }
    c.set('apiKey', key);
    c.set('scope', scope);
    await next();
  });

  api.route('/', companyRoutes(storage, now));
  api.route('/', deviceRoutes(storage, now));
  api.route('/', subscriptionRoutes(storage, now));
  api.route('/', usageRoutes(storage, usage, now));
  api.route('/', auditRoutes(storage));
  api.route('/', reportRoutes(storage, reports, now));
  api.route('/', keyRoutes(storage, now));
  return api;
}
