// Tenants kept apart: every admin route is walked with a key of the wrong
// scope, and with a read-only key. The route table is checked against the
// app's own routes, so a new route without a scope check fails this test.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { utcDayOf } from '../../proto/index.ts';
import { latePolicyAt } from '../../collector/src/ingest/late-policy.ts';
import { declaredApiRoutes } from '../helpers/app-routes.ts';
import { connectRaw } from '../helpers/raw-agent.ts';
import { startTestCollector, type TestCollector } from '../helpers/collector.ts';

let c: TestCollector;
let installationKey: string;
const ids: Record<string, string> = {};
const keys: Record<string, string> = {};
const month = new Date().toISOString().slice(0, 7);

async function call(key: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(`${c.url}/api/v1${path}`, {
    method, headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

async function must(key: string, method: string, path: string, body?: unknown) {
  const r = await call(key, method, path, body);
  if (r.status >= 300) throw new Error(`${method} ${path}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

beforeAll(async () => {
  c = await startTestCollector();
  installationKey = await c.apiKey();
  // Two partner trees: P1 > C1 (the victim's), P2 > C2 (the intruder's).
  ids.p1 = (await must(installationKey, 'POST', '/companies', { name: 'Partner One', type: 'partner' })).id;
  ids.c1 = (await must(installationKey, 'POST', '/companies', { name: 'Customer One', type: 'customer', parentId: ids.p1 })).id;
  ids.p2 = (await must(installationKey, 'POST', '/companies', { name: 'Partner Two', type: 'partner' })).id;
  ids.c2 = (await must(installationKey, 'POST', '/companies', { name: 'Customer Two', type: 'customer', parentId: ids.p2 })).id;
  ids.group = (await must(installationKey, 'POST', `/companies/${ids.c1}/user-groups`, { name: 'Staff' })).id;
  ids.user = (await must(installationKey, 'POST', `/companies/${ids.c1}/users`, { externalId: 'S-1-5-21-7-1001' })).id;
  ids.subscription = (await must(installationKey, 'POST', `/companies/${ids.c1}/subscriptions`, {
    productType: 'endpoint_security', licenseType: 'trial', trialEndsAt: new Date(Date.now() + 30 * 86_400_000).toISOString(), effectiveFrom: `${month}-01T00:00:00Z`,
  })).subscriptionId;
  ids.token = (await must(installationKey, 'POST', `/companies/${ids.c1}/enrolment-tokens`, {})).id;
  const now = Date.now();
  await c.storage.enrolment.enrolDevice({ deviceId: 'victim-device', companyId: ids.c1, keyHash: 'v', instanceId: 'v', hostname: 'victim-pc', facts: null, agentVersion: 't', nowMs: now });
  await c.storage.enrolment.enrolDevice({ deviceId: 'victim-device-2', companyId: ids.c1, keyHash: 'v2', instanceId: 'v2', hostname: 'victim-pc-2', facts: null, agentVersion: 't', nowMs: now });
  await c.storage.devices.flagDuplicates('victim-device', ['victim-device-2'], 'active', ['uuid:x'], now);
  await c.storage.ingest.ingestUsage('victim-device', ids.c1, [{ stream: 's', seq: 1, utcDay: utcDayOf(now), awakeSeconds: 600, bootId: 'b' }], [], now, latePolicyAt(now));
  ids.report = (await must(installationKey, 'POST', '/reports', { format: 'csv', companyId: ids.c1, month })).id;
  ids.schedule = (await must(installationKey, 'POST', '/report-schedules', { format: 'csv', companyId: ids.c1 })).id;
  const p1Key = await must(installationKey, 'POST', '/api-keys', { label: 'p1', companyId: ids.p1 });
  ids.p1KeyId = p1Key.id;
  keys.p1 = p1Key.key;
  keys.p2 = (await must(installationKey, 'POST', '/api-keys', { label: 'p2', companyId: ids.p2 })).key;
  keys.c1 = (await must(installationKey, 'POST', '/api-keys', { label: 'c1', companyId: ids.c1 })).key;
  keys.c2 = (await must(installationKey, 'POST', '/api-keys', { label: 'c2', companyId: ids.c2 })).key;
  keys.p1ReadOnly = (await must(installationKey, 'POST', '/api-keys', { label: 'p1 ro', companyId: ids.p1, readOnly: true })).key;
});
afterAll(async () => {
  await c.dispose();
});

interface RouteCase {
  method: string;
  /** The route as the app declares it. */
  route: string;
  /** A concrete request aimed at the victim's (P1's) data. */
  path: () => string;
  body?: () => unknown;
  /** For listings that answer 200: what must not leak. */
  leaks?: (body: any) => boolean;
  /** Routes only an installation key may use. */
  installationOnly?: boolean;
}

const ROUTES: RouteCase[] = [
  // Public reference: same answer for every key; it names no company.
  { method: 'GET', route: '/api/v1/openapi.json', path: () => '/openapi.json', leaks: (b) => JSON.stringify(b).includes(ids.c1) },
  { method: 'GET', route: '/api/v1/companies', path: () => '/companies', leaks: (b) => b.companies.some((x: any) => x.id === ids.c1 || x.id === ids.p1) },
  { method: 'POST', route: '/api/v1/companies', path: () => '/companies', body: () => ({ name: 'Intruder', type: 'customer', parentId: ids.p1 }) },
  { method: 'GET', route: '/api/v1/companies/:id', path: () => `/companies/${ids.c1}` },
  { method: 'PATCH', route: '/api/v1/companies/:id', path: () => `/companies/${ids.c1}`, body: () => ({ active: false }) },
  { method: 'GET', route: '/api/v1/companies/:id/user-groups', path: () => `/companies/${ids.c1}/user-groups` },
  { method: 'POST', route: '/api/v1/companies/:id/user-groups', path: () => `/companies/${ids.c1}/user-groups`, body: () => ({ name: 'Evil' }) },
  { method: 'GET', route: '/api/v1/companies/:id/users', path: () => `/companies/${ids.c1}/users` },
  { method: 'POST', route: '/api/v1/companies/:id/users', path: () => `/companies/${ids.c1}/users`, body: () => ({ externalId: 'evil@x' }) },
  { method: 'POST', route: '/api/v1/companies/:id/user-groups/:groupId/members', path: () => `/companies/${ids.c1}/user-groups/${ids.group}/members`, body: () => ({ userId: ids.user }) },
  { method: 'POST', route: '/api/v1/companies/:id/xdr-deployments', path: () => `/companies/${ids.c1}/xdr-deployments`, body: () => ({ category: 'network' }) },
  { method: 'GET', route: '/api/v1/devices', path: () => '/devices', leaks: (b) => b.devices.some((d: any) => d.id === 'victim-device') },
  { method: 'PUT', route: '/api/v1/devices/:id/user', path: () => '/devices/victim-device/user', body: () => ({ userId: null }) },
  { method: 'GET', route: '/api/v1/devices/duplicates', path: () => '/devices/duplicates', leaks: (b) => JSON.stringify(b).includes('victim-device') },
  { method: 'GET', route: '/api/v1/devices/:id/history', path: () => '/devices/victim-device/history' },
  { method: 'POST', route: '/api/v1/devices/:id/move', path: () => '/devices/victim-device/move', body: () => ({ companyId: ids.c2 }) },
  { method: 'POST', route: '/api/v1/devices/:id/merge', path: () => '/devices/victim-device/merge', body: () => ({ duplicateId: 'victim-device-2' }) },
  { method: 'POST', route: '/api/v1/devices/:id/retire', path: () => '/devices/victim-device/retire', body: () => ({}) },
  { method: 'POST', route: '/api/v1/devices/:id/exclusion', path: () => '/devices/victim-device/exclusion', body: () => ({ reason: 'intruder says so' }) },
  { method: 'DELETE', route: '/api/v1/devices/:id/exclusion', path: () => '/devices/victim-device/exclusion' },
  { method: 'POST', route: '/api/v1/devices/:id/dismiss-duplicate', path: () => '/devices/victim-device/dismiss-duplicate', body: () => ({ otherId: 'victim-device-2' }) },
  { method: 'GET', route: '/api/v1/companies/:id/subscriptions', path: () => `/companies/${ids.c1}/subscriptions` },
  { method: 'GET', route: '/api/v1/companies/:id/licence', path: () => `/companies/${ids.c1}/licence` },
  { method: 'POST', route: '/api/v1/companies/:id/subscriptions', path: () => `/companies/${ids.c1}/subscriptions`, body: () => ({ productType: 'edr' }) },
  { method: 'POST', route: '/api/v1/subscriptions/:id/activate', path: () => `/subscriptions/${ids.subscription}/activate` },
  { method: 'GET', route: '/api/v1/usage', path: () => `/usage?month=${month}`, leaks: (b) => b.devices.some((d: any) => d.deviceId === 'victim-device') },
  { method: 'GET', route: '/api/v1/usage/monthly', path: () => `/usage/monthly?month=${month}&companyId=${ids.c1}` },
  { method: 'GET', route: '/api/v1/usage/users', path: () => `/usage/users?month=${month}&companyId=${ids.c1}` },
  { method: 'GET', route: '/api/v1/usage/explain', path: () => `/usage/explain?month=${month}&deviceId=victim-device` },
  { method: 'GET', route: '/api/v1/usage/forecast', path: () => `/usage/forecast?companyId=${ids.c1}` },
  { method: 'GET', route: '/api/v1/months/:month', path: () => `/months/${month}`, leaks: (b) => JSON.stringify(b).includes(ids.c1) },
  { method: 'POST', route: '/api/v1/months/:month/close', path: () => `/months/${month}/close`, body: () => ({}), installationOnly: true },
  { method: 'GET', route: '/api/v1/api-keys', path: () => '/api-keys', leaks: (b) => b.apiKeys.some((k: any) => k.id === ids.p1KeyId) },
  { method: 'POST', route: '/api/v1/api-keys', path: () => '/api-keys', body: () => ({ label: 'evil', companyId: ids.c1 }) },
  { method: 'DELETE', route: '/api/v1/api-keys/:id', path: () => `/api-keys/${ids.p1KeyId}` },
  { method: 'GET', route: '/api/v1/companies/:id/enrolment-tokens', path: () => `/companies/${ids.c1}/enrolment-tokens` },
  { method: 'POST', route: '/api/v1/companies/:id/enrolment-tokens', path: () => `/companies/${ids.c1}/enrolment-tokens`, body: () => ({}) },
  { method: 'DELETE', route: '/api/v1/enrolment-tokens/:id', path: () => `/enrolment-tokens/${ids.token}` },
  { method: 'GET', route: '/api/v1/reports/monthly-license-usage', path: () => `/reports/monthly-license-usage?companyId=${ids.c1}&month=${month}&format=csv` },
  { method: 'POST', route: '/api/v1/reports', path: () => '/reports', body: () => ({ format: 'csv', companyId: ids.c1, month }) },
  { method: 'GET', route: '/api/v1/reports', path: () => '/reports', leaks: (b) => b.reports.some((r: any) => r.companyId === ids.c1) },
  { method: 'GET', route: '/api/v1/reports/:id', path: () => `/reports/${ids.report}` },
  { method: 'GET', route: '/api/v1/reports/:id/download', path: () => `/reports/${ids.report}/download` },
  { method: 'GET', route: '/api/v1/report-schedules', path: () => '/report-schedules', leaks: (b) => b.schedules.some((r: any) => r.companyId === ids.c1) },
  { method: 'POST', route: '/api/v1/report-schedules', path: () => '/report-schedules', body: () => ({ format: 'csv', companyId: ids.c1 }) },
  { method: 'DELETE', route: '/api/v1/report-schedules/:id', path: () => `/report-schedules/${ids.schedule}` },
  { method: 'GET', route: '/api/v1/audit', path: () => '/audit', leaks: (b) => JSON.stringify(b).includes(ids.c1) || JSON.stringify(b).includes(ids.p1) },
];

describe('API key scopes', () => {
  it('the route table covers every admin route the app declares', () => {
    const declared = new Set(declaredApiRoutes(c.storage).map((r) => `${r.method} ${r.path}`));
    const covered = new Set(ROUTES.map((r) => `${r.method} ${r.route}`));
    expect(declared.size).toBeGreaterThanOrEqual(ROUTES.length);
    expect([...declared].filter((r) => !covered.has(r))).toEqual([]);
  });

  for (const key of ['p2', 'c2'] as const) {
    it.each(ROUTES.map((r) => [`${r.method} ${r.route}`, r] as const))(`a ${key} key cannot reach partner one's data: %s`, async (_name, r) => {
      const res = await call(keys[key], r.method, r.path(), r.body?.());
      if (r.leaks) {
        expect(res.status).toBe(200);
        expect(r.leaks(res.body)).toBe(false);
      } else {
        expect([403, 404]).toContain(res.status);
        expect(res.body.error.code).toMatch(/^(forbidden|not_found)$/);
      }
    });
  }

  it("the partner's own key sees its subtree, the customer's key only its company", async () => {
    const asP1 = await call(keys.p1, 'GET', '/companies');
    expect(asP1.body.companies.map((x: any) => x.id).sort()).toEqual([ids.p1, ids.c1].sort());
    const asC1 = await call(keys.c1, 'GET', '/companies');
    expect(asC1.body.companies.map((x: any) => x.id)).toEqual([ids.c1]);
    expect((await call(keys.c1, 'GET', `/companies/${ids.p1}`)).status).toBe(404);
    expect((await call(keys.p1, 'GET', '/devices')).body.devices.map((d: any) => d.id)).toEqual(['victim-device', 'victim-device-2']);
    const monthly = await call(keys.c1, 'GET', `/usage/monthly?month=${month}`);
    expect(monthly.body.rows.map((r: any) => r.companyId)).toEqual([ids.c1]);
    // Licensing comes from above: a customer cannot set its own subscriptions.
    expect((await call(keys.c1, 'POST', `/companies/${ids.c1}/subscriptions`, { productType: 'edr' })).status).toBe(403);
    expect((await call(keys.p1, 'POST', `/companies/${ids.c1}/subscriptions`, { productType: 'edr' })).status).toBe(201);
  });

  it('a read-only key reads but every write is 403', async () => {
    expect((await call(keys.p1ReadOnly, 'GET', `/companies/${ids.c1}`)).status).toBe(200);
    for (const r of ROUTES.filter((x) => x.method !== 'GET')) {
      const res = await call(keys.p1ReadOnly, r.method, r.path(), r.body?.());
      expect(res.status, `${r.method} ${r.route}`).toBe(403);
      expect(res.body.error.message).toMatch(/read-only/);
    }
  });

  it("an inactive customer's keys are refused", async () => {
    const extra = (await must(installationKey, 'POST', '/companies', { name: 'Soon Inactive', type: 'customer', parentId: ids.p2 })).id;
    const key = (await must(installationKey, 'POST', '/api-keys', { label: 'x', companyId: extra })).key;
    expect((await call(key, 'GET', '/companies')).status).toBe(200);
    await must(keys.p2, 'PATCH', `/companies/${extra}`, { active: false });
    const refused = await call(key, 'GET', '/companies');
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toMatch(/inactive/);
  });

  it('revoked enrolment tokens and API keys stop working', async () => {
    const t = await must(keys.p1, 'POST', `/companies/${ids.c1}/enrolment-tokens`, { expiresInDays: 7 });
    expect(t.token).toMatch(/^tet_/);
    expect((await call(keys.p1, 'DELETE', `/enrolment-tokens/${t.id}`)).status).toBe(204);
    const listed = (await must(keys.p1, 'GET', `/companies/${ids.c1}/enrolment-tokens`)).enrolmentTokens.find((x: any) => x.id === t.id);
    expect(listed.revokedAt).not.toBeNull();
    const upgrade = await connectRaw(c.wsUrl, t.token);
    expect(upgrade.ok).toBe(false);
    if (!upgrade.ok) expect(JSON.parse(upgrade.body).error.message).toMatch(/revoked/);
    const k = await must(keys.p1, 'POST', '/api-keys', { label: 'temp', companyId: ids.c1 });
    expect((await call(k.key, 'GET', '/companies')).status).toBe(200);
    expect((await call(keys.p1, 'DELETE', `/api-keys/${k.id}`)).status).toBe(204);
    expect((await call(k.key, 'GET', '/companies')).status).toBe(401);
  });

  it('keeps an audit log of who changed what, readable within scope', async () => {
    const all = await must(installationKey, 'GET', '/audit?limit=1000');
    const actions = all.entries.map((e: any) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['company.create', 'user_group.create', 'user.create', 'subscription.create', 'enrolment_token.create', 'api_key.create']));
    const sub = all.entries.find((e: any) => e.action === 'subscription.create' && e.targetId === ids.subscription);
    expect(sub).toMatchObject({ targetType: 'subscription', companyId: ids.c1, actor: expect.stringMatching(/^api-key:/) });
    expect(new Date(sub.at).getTime()).toBeGreaterThan(Date.now() - 600_000);
    // P1's key sees P1's tree only; a read never shows another tree.
    const asP1 = await must(keys.p1, 'GET', '/audit?limit=1000');
    expect(asP1.entries.length).toBeGreaterThan(0);
    expect(asP1.entries.every((e: any) => e.companyId === ids.p1 || e.companyId === ids.c1)).toBe(true);
    // Paging: newest first, `before` continues.
    const page1 = await must(installationKey, 'GET', '/audit?limit=2');
    const page2 = await must(installationKey, 'GET', `/audit?limit=2&before=${page1.next}`);
    expect(page2.entries[0].id).toBeLessThan(page1.entries[1].id);
  });
});
