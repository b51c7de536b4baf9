// Admin API v1. Handlers validate, call a store, shape JSON: no business
// rules live here.
import { Hono } from 'hono';
import { hashSecret, looksLikeSecret } from '../auth/secrets.ts';
import type { ApiKeyRecord, Storage } from '../storage/types.ts';
import { apiError } from './errors.ts';
import { parseMonth } from './month.ts';

type Env = { Variables: { apiKey: ApiKeyRecord } };

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

function pageParams(q: (k: string) => string | undefined): { after: string | null; limit: number } | string {
  const limitText = q('limit');
  const limit = limitText === undefined ? 1000 : Number(limitText);
  if (!Number.isInteger(limit) || limit < 1 || limit > 10_000) return 'limit must be a whole number from 1 to 10000';
  const after = q('after') ?? null;
  if (after !== null && (after.length === 0 || after.length > 64)) return 'after must be a cursor returned as "next"';
  return { after, limit };
}

export function apiRoutes(storage: Storage): Hono<Env> {
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

  api.get('/companies', async (c) => {
    const companies = await storage.adminRead.listCompanies();
    return c.json({
      companies: companies.map((co) => ({
        id: co.id, name: co.name, type: co.type, parentId: co.parentId, path: co.path,
        registeredAt: iso(co.registeredAtMs), active: co.active,
      })),
    });
  });

  api.get('/devices', async (c) => {
    const page = pageParams((k) => c.req.query(k));
    if (typeof page === 'string') return apiError(c, 400, 'invalid_request', page);
    const { items, next } = await storage.adminRead.listDevices(page);
    return c.json({
      devices: items.map((d) => ({
        id: d.id, hostname: d.hostname, companyId: d.companyId, companyName: d.companyName,
        enrolledAt: iso(d.enrolledAtMs), lastSeenAt: iso(d.lastSeenAtMs), uninstalledAt: iso(d.uninstalledAtMs), agentVersion: d.agentVersion,
      })),
      next,
    });
  });

  api.get('/usage', async (c) => {
    const month = parseMonth(c.req.query('month'));
    if (!month) return apiError(c, 400, 'invalid_request', 'month is required as YYYY-MM (a UTC calendar month)');
    const page = pageParams((k) => c.req.query(k));
    if (typeof page === 'string') return apiError(c, 400, 'invalid_request', page);
    const { items, next } = await storage.adminRead.usageForDays(month.fromDay, month.toDay, page);
    return c.json({ month: month.month, devices: items, next });
  });

  return api;
}
