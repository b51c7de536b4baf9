// Tenants kept apart: every admin route is walked with a key of the wrong
// scope, and with a read-only key. The route table is checked against the
// app's own routes, so a new route without a scope check fails this test.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { utcDayOf } from '../../../proto/index.ts';
import { latePolicyAt } from '../../../collector/src/ingest/late-policy.ts';
import { declaredApiRoutes, declaredConsoleRoutes } from '../../helpers/app-routes.ts';
import type { Role } from '../../../collector/src/auth/roles.ts';
import { SERVICES } from '../../../collector/src/api/jsonrpc.ts';
import { CONSOLE_ACTIONS } from '../../../collector/src/console/actions.ts';
import { openPostgresStorage } from '../../../collector/src/storage/postgres/index.ts';
import type { Storage } from '../../../collector/src/storage/types.ts';
import { rpc, userConsoleSession, type ConsoleClient } from '../../helpers/http.ts';
import { createTestDatabase, pgServerConfigured, pgTestSetting } from '../../helpers/postgres.ts';
import { shouldRun } from '../../helpers/requirements.ts';
import { connectRaw } from '../../helpers/raw-agent.ts';
import { randomUUID } from 'node:crypto';
import type { Permission } from '../../../collector/src/auth/roles.ts';

/** Console routes anyone may reach: assets and signing in. */
const CONSOLE_PUBLIC = new Set(['GET /console/assets/:name', 'GET /console/login', 'POST /console/login', 'GET /console/login/password', 'POST /console/login/password',
  'GET /console/login/mfa-setup', 'POST /console/login/mfa-setup', 'GET /console/login/mfa', 'POST /console/login/mfa', 'GET /console/login/sso/:id', 'GET /console/sso/callback',
  'POST /console/logout', 'GET /console']);
import { startTestCollector, type TestCollector } from '../../helpers/collector.ts';

let c: TestCollector;
let installationKey: string;
const ids: Record<string, string> = {};
const keys: Record<string, string> = {};
const month = new Date().toISOString().slice(0, 7);

async function call(key: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
  return callAt(c.url, key, method, path, body);
}

async function callAt(url: string, key: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(`${url}/api/v1${path}`, {
    method, headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  // Report downloads answer CSV, not JSON.
  return { status: res.status, body: text && (res.headers.get('content-type') ?? '').includes('json') ? JSON.parse(text) : null };
}

async function must(key: string, method: string, path: string, body?: unknown) {
  return mustAt(c.url, key, method, path, body);
}

async function mustAt(url: string, key: string, method: string, path: string, body?: unknown) {
  const r = await callAt(url, key, method, path, body);
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
  ids.adminUser = (await must(installationKey, 'POST', '/admin-users', { email: 'victim-admin@example.com', name: 'Victim', role: 'viewer', companyId: ids.c1 })).id;
  ids.sso = (await must(installationKey, 'POST', '/sso-providers', { ...SSO_BODY, companyId: ids.p1 })).id;
  ids.webhook = (await must(installationKey, 'POST', '/webhooks', { url: WEBHOOK_URL, companyId: ids.p1 })).id;
  ids.alertRule = (await must(installationKey, 'POST', `/companies/${ids.c1}/alert-rules`, { name: 'Unlicensed', kind: 'unlicensed' })).id;
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
  /** What the route needs (collector/src/auth/roles.ts); null: public. */
  permission: Permission | null;
}

/** Nothing listens on port 9 (discard) here: a test-send fails at once, which the walk does not mind. */
const WEBHOOK_URL = 'http://127.0.0.1:9/hook';

const SSO_BODY = { name: 'Corp IdP', issuer: 'https://idp.example.com', clientId: 'tally', clientSecret: 'not-a-real-secret', claim: 'groups', mappings: [{ value: 'tally-viewers', role: 'viewer' }] };

const routeCases = (ids: Record<string, string>): RouteCase[] => [
  // Public reference: same answer for every key; it names no company.
  { method: 'GET', route: '/api/v1/openapi.json', path: () => '/openapi.json', leaks: (b) => JSON.stringify(b).includes(ids.c1), permission: null },
  { method: 'GET', route: '/api/v1/companies', path: () => '/companies', leaks: (b) => b.companies.some((x: any) => x.id === ids.c1 || x.id === ids.p1), permission: 'read' },
  { method: 'POST', route: '/api/v1/companies', path: () => '/companies', body: () => ({ name: 'Intruder', type: 'customer', parentId: ids.p1 }), permission: 'tenancy.write' },
  { method: 'GET', route: '/api/v1/companies/:id', path: () => `/companies/${ids.c1}`, permission: 'read' },
  { method: 'PATCH', route: '/api/v1/companies/:id', path: () => `/companies/${ids.c1}`, body: () => ({ active: false }), permission: 'tenancy.write' },
  { method: 'POST', route: '/api/v1/companies/:id/move', path: () => `/companies/${ids.c1}/move`, body: () => ({ parentId: ids.p1 }), permission: 'tenancy.write' },
  { method: 'GET', route: '/api/v1/companies/:id/user-groups', path: () => `/companies/${ids.c1}/user-groups`, permission: 'read' },
  { method: 'POST', route: '/api/v1/companies/:id/user-groups', path: () => `/companies/${ids.c1}/user-groups`, body: () => ({ name: 'Evil' }), permission: 'tenancy.write' },
  { method: 'GET', route: '/api/v1/companies/:id/users', path: () => `/companies/${ids.c1}/users`, permission: 'read' },
  { method: 'POST', route: '/api/v1/companies/:id/users', path: () => `/companies/${ids.c1}/users`, body: () => ({ externalId: 'evil@x' }), permission: 'tenancy.write' },
  { method: 'POST', route: '/api/v1/companies/:id/user-groups/:groupId/members', path: () => `/companies/${ids.c1}/user-groups/${ids.group}/members`, body: () => ({ userId: ids.user }), permission: 'tenancy.write' },
  { method: 'POST', route: '/api/v1/companies/:id/xdr-deployments', path: () => `/companies/${ids.c1}/xdr-deployments`, body: () => ({ category: 'network' }), permission: 'tenancy.write' },
  { method: 'GET', route: '/api/v1/devices', path: () => '/devices', leaks: (b) => b.devices.some((d: any) => d.id === 'victim-device'), permission: 'read' },
  { method: 'GET', route: '/api/v1/devices/duplicates', path: () => '/devices/duplicates', leaks: (b) => JSON.stringify(b).includes('victim-device'), permission: 'read' },
  { method: 'GET', route: '/api/v1/devices/:id/history', path: () => '/devices/victim-device/history', permission: 'read' },
  { method: 'POST', route: '/api/v1/devices/:id/move', path: () => '/devices/victim-device/move', body: () => ({ companyId: ids.c1 }), permission: 'devices.write' },
  { method: 'POST', route: '/api/v1/devices/:id/merge', path: () => '/devices/victim-device/merge', body: () => ({ duplicateId: 'no-such-device' }), permission: 'devices.write' },
  { method: 'POST', route: '/api/v1/devices/:id/retire', path: () => '/devices/victim-device/retire', body: () => ({ retired: false }), permission: 'devices.write' },
  { method: 'POST', route: '/api/v1/devices/:id/exclusion', path: () => '/devices/victim-device/exclusion', body: () => ({ reason: 'lab machine' }), permission: 'devices.write' },
  { method: 'DELETE', route: '/api/v1/devices/:id/exclusion', path: () => '/devices/victim-device/exclusion', permission: 'devices.write' },
  { method: 'POST', route: '/api/v1/devices/:id/dismiss-duplicate', path: () => '/devices/victim-device/dismiss-duplicate', body: () => ({ otherId: 'no-such-device' }), permission: 'devices.write' },
  { method: 'PUT', route: '/api/v1/devices/:id/user', path: () => '/devices/victim-device/user', body: () => ({ userId: null }), permission: 'tenancy.write' },
  { method: 'GET', route: '/api/v1/companies/:id/subscriptions', path: () => `/companies/${ids.c1}/subscriptions`, permission: 'read' },
  { method: 'GET', route: '/api/v1/companies/:id/licence', path: () => `/companies/${ids.c1}/licence`, permission: 'read' },
  { method: 'POST', route: '/api/v1/companies/:id/subscriptions', path: () => `/companies/${ids.c1}/subscriptions`, body: () => ({ productType: 'edr' }), permission: 'subscriptions.write' },
  { method: 'POST', route: '/api/v1/subscriptions/:id/activate', path: () => `/subscriptions/${ids.subscription}/activate`, permission: 'subscriptions.write' },
  { method: 'GET', route: '/api/v1/usage', path: () => `/usage?month=${month}`, leaks: (b) => b.devices.some((d: any) => d.deviceId === 'victim-device'), permission: 'read' },
  { method: 'GET', route: '/api/v1/usage/monthly', path: () => `/usage/monthly?month=${month}&companyId=${ids.c1}`, permission: 'read' },
  { method: 'GET', route: '/api/v1/usage/users', path: () => `/usage/users?month=${month}&companyId=${ids.c1}`, permission: 'read' },
  { method: 'GET', route: '/api/v1/usage/explain', path: () => `/usage/explain?month=${month}&deviceId=victim-device`, permission: 'read' },
  { method: 'GET', route: '/api/v1/usage/forecast', path: () => `/usage/forecast?companyId=${ids.c1}`, permission: 'read' },
  { method: 'GET', route: '/api/v1/months/:month', path: () => `/months/${month}`, leaks: (b) => JSON.stringify(b).includes(ids.c1), permission: 'read' },
  { method: 'POST', route: '/api/v1/months/:month/close', path: () => `/months/${month}/close`, body: () => ({}), installationOnly: true, permission: 'months.write' },
  { method: 'GET', route: '/api/v1/api-keys', path: () => '/api-keys', leaks: (b) => b.apiKeys.some((k: any) => k.id === ids.p1KeyId), permission: 'read' },
  { method: 'POST', route: '/api/v1/api-keys', path: () => '/api-keys', body: () => ({ label: 'evil', companyId: ids.c1 }), permission: 'keys.write' },
  { method: 'DELETE', route: '/api/v1/api-keys/:id', path: () => `/api-keys/${ids.p1KeyId}`, permission: 'keys.write' },
  { method: 'GET', route: '/api/v1/companies/:id/enrolment-tokens', path: () => `/companies/${ids.c1}/enrolment-tokens`, permission: 'read' },
  { method: 'POST', route: '/api/v1/companies/:id/enrolment-tokens', path: () => `/companies/${ids.c1}/enrolment-tokens`, body: () => ({}), permission: 'keys.write' },
  { method: 'DELETE', route: '/api/v1/enrolment-tokens/:id', path: () => `/enrolment-tokens/${ids.token}`, permission: 'keys.write' },
  { method: 'GET', route: '/api/v1/reports/monthly-license-usage', path: () => `/reports/monthly-license-usage?companyId=${ids.c1}&month=${month}&format=csv`, permission: 'read' },
  { method: 'POST', route: '/api/v1/reports', path: () => '/reports', body: () => ({ format: 'csv', companyId: ids.c1, month }), permission: 'reports.write' },
  { method: 'GET', route: '/api/v1/reports', path: () => '/reports', leaks: (b) => b.reports.some((r: any) => r.companyId === ids.c1), permission: 'read' },
  { method: 'GET', route: '/api/v1/reports/:id', path: () => `/reports/${ids.report}`, permission: 'read' },
  { method: 'GET', route: '/api/v1/reports/:id/download', path: () => `/reports/${ids.report}/download`, permission: 'read' },
  { method: 'GET', route: '/api/v1/report-schedules', path: () => '/report-schedules', leaks: (b) => b.schedules.some((r: any) => r.companyId === ids.c1), permission: 'read' },
  { method: 'POST', route: '/api/v1/report-schedules', path: () => '/report-schedules', body: () => ({ format: 'csv', companyId: ids.c1 }), permission: 'reports.write' },
  { method: 'DELETE', route: '/api/v1/report-schedules/:id', path: () => `/report-schedules/${ids.schedule}`, permission: 'reports.write' },
  { method: 'GET', route: '/api/v1/admin-users', path: () => '/admin-users', leaks: (b) => b.users.some((u: any) => u.id === ids.adminUser), permission: 'users.read' },
  { method: 'POST', route: '/api/v1/admin-users', path: () => '/admin-users', body: () => ({ email: `intruder-${randomUUID()}@example.com`, name: 'Intruder', role: 'viewer', companyId: ids.c1 }), permission: 'users.write' },
  { method: 'GET', route: '/api/v1/admin-users/:id', path: () => `/admin-users/${ids.adminUser}`, permission: 'users.read' },
  { method: 'PATCH', route: '/api/v1/admin-users/:id', path: () => `/admin-users/${ids.adminUser}`, body: () => ({ name: 'Renamed' }), permission: 'users.write' },
  { method: 'POST', route: '/api/v1/admin-users/:id/reset-password', path: () => `/admin-users/${ids.adminUser}/reset-password`, body: () => ({}), permission: 'users.write' },
  { method: 'GET', route: '/api/v1/admin-users/:id/sessions', path: () => `/admin-users/${ids.adminUser}/sessions`, permission: 'users.read' },
  { method: 'DELETE', route: '/api/v1/admin-users/:id/sessions', path: () => `/admin-users/${ids.adminUser}/sessions`, permission: 'users.write' },
  { method: 'GET', route: '/api/v1/sso-providers', path: () => '/sso-providers', leaks: (b) => b.providers.some((p: any) => p.id === ids.sso), permission: 'users.read' },
  { method: 'POST', route: '/api/v1/sso-providers', path: () => '/sso-providers', body: () => ({ ...SSO_BODY, companyId: ids.p1 }), permission: 'users.write' },
  { method: 'PATCH', route: '/api/v1/sso-providers/:id', path: () => `/sso-providers/${ids.sso}`, body: () => ({ name: 'Renamed IdP' }), permission: 'users.write' },
  { method: 'GET', route: '/api/v1/sign-in-settings', path: () => '/sign-in-settings', leaks: () => false, permission: 'users.read' },
  { method: 'PUT', route: '/api/v1/sign-in-settings', path: () => '/sign-in-settings', body: () => ({ twoFactorRequired: false }), installationOnly: true, permission: 'users.write' },
  { method: 'GET', route: '/api/v1/webhooks', path: () => '/webhooks', leaks: (b) => b.webhooks.some((w: any) => w.id === ids.webhook), permission: 'read' },
  { method: 'POST', route: '/api/v1/webhooks', path: () => '/webhooks', body: () => ({ url: WEBHOOK_URL, companyId: ids.c1 }), permission: 'keys.write' },
  { method: 'GET', route: '/api/v1/webhooks/:id', path: () => `/webhooks/${ids.webhook}`, permission: 'read' },
  { method: 'PATCH', route: '/api/v1/webhooks/:id', path: () => `/webhooks/${ids.webhook}`, body: () => ({ description: 'renamed' }), permission: 'keys.write' },
  { method: 'POST', route: '/api/v1/webhooks/:id/test', path: () => `/webhooks/${ids.webhook}/test`, body: () => ({}), permission: 'keys.write' },
  { method: 'GET', route: '/api/v1/webhooks/:id/deliveries', path: () => `/webhooks/${ids.webhook}/deliveries`, permission: 'read' },
  { method: 'DELETE', route: '/api/v1/webhooks/:id', path: () => `/webhooks/${ids.webhook}`, permission: 'keys.write' },
  { method: 'GET', route: '/api/v1/alert-rules', path: () => '/alert-rules', leaks: (b) => b.alertRules.some((r: any) => r.id === ids.alertRule), permission: 'read' },
  { method: 'POST', route: '/api/v1/companies/:id/alert-rules', path: () => `/companies/${ids.c1}/alert-rules`, body: () => ({ name: 'Evil', kind: 'unlicensed' }), permission: 'reports.write' },
  { method: 'PATCH', route: '/api/v1/alert-rules/:id', path: () => `/alert-rules/${ids.alertRule}`, body: () => ({ name: 'Renamed' }), permission: 'reports.write' },
  { method: 'DELETE', route: '/api/v1/alert-rules/:id', path: () => `/alert-rules/${ids.alertRule}`, permission: 'reports.write' },
  { method: 'GET', route: '/api/v1/alerts', path: () => '/alerts', leaks: (b) => JSON.stringify(b).includes(ids.alertRule), permission: 'read' },
  { method: 'GET', route: '/api/v1/releases', path: () => '/releases', leaks: (b) => JSON.stringify(b).includes(ids.c1) || JSON.stringify(b).includes(ids.p1), permission: 'read' },
  { method: 'GET', route: '/api/v1/releases/:sequence', path: () => '/releases/999', permission: 'read' },
  { method: 'PUT', route: '/api/v1/release-artifacts/:sha256', path: () => `/release-artifacts/${'0'.repeat(64)}`, body: () => 'not the artifact', installationOnly: true, permission: 'releases.write' },
  { method: 'POST', route: '/api/v1/releases', path: () => '/releases', body: () => ({ signed: {} }), installationOnly: true, permission: 'releases.write' },
  { method: 'POST', route: '/api/v1/releases/:sequence/rollout', path: () => '/releases/999/rollout', body: () => ({ companyIds: [ids.c1], percent: 100 }), installationOnly: true, permission: 'releases.write' },
  { method: 'POST', route: '/api/v1/releases/:sequence/pause', path: () => '/releases/999/pause', installationOnly: true, permission: 'releases.write' },
  { method: 'POST', route: '/api/v1/releases/:sequence/resume', path: () => '/releases/999/resume', installationOnly: true, permission: 'releases.write' },
  // PSA sync: installation-wide keys only (no connection exists here: an allowed role gets not_found or invalid_request).
  { method: 'GET', route: '/api/v1/psa', path: () => '/psa', installationOnly: true, permission: 'read' },
  { method: 'GET', route: '/api/v1/psa/:kind', path: () => '/psa/connectwise', installationOnly: true, permission: 'read' },
  { method: 'GET', route: '/api/v1/psa/:kind/suggestions', path: () => '/psa/connectwise/suggestions', installationOnly: true, permission: 'read' },
  { method: 'GET', route: '/api/v1/psa/:kind/catalog', path: () => '/psa/connectwise/catalog', installationOnly: true, permission: 'read' },
  { method: 'GET', route: '/api/v1/psa/:kind/reconciliation', path: () => `/psa/connectwise/reconciliation?month=${month}`, installationOnly: true, permission: 'read' },
  { method: 'PUT', route: '/api/v1/psa/:kind/connection', path: () => '/psa/connectwise/connection', body: () => ({ baseUrl: 'http://127.0.0.1:9/', credentials: {} }), installationOnly: true, permission: 'psa.write' },
  { method: 'PUT', route: '/api/v1/psa/:kind/mappings', path: () => '/psa/connectwise/mappings', body: () => ({ companyId: ids.c1, psaCompanyId: '1', agreementId: '2' }), installationOnly: true, permission: 'psa.write' },
  { method: 'DELETE', route: '/api/v1/psa/:kind/mappings', path: () => '/psa/connectwise/mappings', body: () => ({ companyId: ids.c1 }), installationOnly: true, permission: 'psa.write' },
  { method: 'POST', route: '/api/v1/psa/:kind/sync', path: () => '/psa/connectwise/sync', body: () => ({ month, dryRun: true }), installationOnly: true, permission: 'psa.write' },
  { method: 'GET', route: '/api/v1/audit', path: () => '/audit', leaks: (b) => JSON.stringify(b).includes(ids.c1) || JSON.stringify(b).includes(ids.p1), permission: 'audit.read' },
];

const ROUTES = routeCases(ids);

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

// ------------------------------------------------------------------ roles
// Every route, JSON-RPC method and console page or action, with a key and a
// signed-in user of every role, on SQLite and PostgreSQL: a role the table
// (collector/src/auth/roles.ts) denies a permission gets forbidden; one it
// grants is never refused for its role. 0 route x role pairs where a role
// can do more than its table says.

// The role table, written here independently of roles.ts: a permission
// widened in the source is caught as a role doing more than this table says.
const ROLE_TABLE: Record<Role, readonly Permission[]> = {
  owner: ['read', 'audit.read', 'tenancy.write', 'subscriptions.write', 'months.write', 'reports.write', 'keys.write', 'devices.write', 'users.read', 'users.write', 'releases.write', 'psa.write', 'account.write'],
  billing_admin: ['read', 'subscriptions.write', 'months.write', 'reports.write', 'psa.write', 'account.write'],
  viewer: ['read', 'account.write'],
  auditor: ['read', 'audit.read', 'users.read', 'account.write'] };
const WALK_ORDER: readonly Role[] = ['viewer', 'auditor', 'billing_admin', 'owner'];
const ROLE_PASSWORD = 'correct horse battery staple';
const pgSetting = pgTestSetting();
const roleBackends = [
  { name: 'SQLite', skip: false, open: async () => ({ storage: undefined as Storage | undefined, drop: async () => {} }) },
  {
    name: 'PostgreSQL', skip: !shouldRun('role walk on PostgreSQL (test/collector/api/scopes.test.ts)', pgServerConfigured(pgSetting)),
    open: async () => {
      const db = await createTestDatabase((pgSetting as { url: string }).url);
      return { storage: await openPostgresStorage({ url: db.url, nowMs: Date.now() }) as Storage | undefined, drop: () => db.drop() };
    },
  },
];

interface ConsoleCase { method: 'GET' | 'POST'; route: string; path: (ids: Record<string, string>) => string; fields?: (ids: Record<string, string>) => Record<string, string>; permission: Permission }

const CONSOLE_CASES: ConsoleCase[] = [
  { method: 'GET', route: '/console/overview', path: () => '/console/overview', permission: 'read' },
  { method: 'GET', route: '/console/companies', path: () => '/console/companies', permission: 'read' },
  { method: 'GET', route: '/console/companies/:id', path: (i) => `/console/companies/${i.c1}`, permission: 'read' },
  { method: 'GET', route: '/console/companies/:id/endpoints', path: (i) => `/console/companies/${i.c1}/endpoints?column=endpointMonthlyUsage`, permission: 'read' },
  { method: 'GET', route: '/console/companies/:id/devices', path: (i) => `/console/companies/${i.c1}/devices`, permission: 'read' },
  { method: 'GET', route: '/console/devices/:id/explain', path: () => '/console/devices/victim-device/explain', permission: 'read' },
  { method: 'GET', route: '/console/companies/:id/export/:format', path: (i) => `/console/companies/${i.c1}/export/csv`, permission: 'read' },
  { method: 'GET', route: '/console/duplicates', path: () => '/console/duplicates', permission: 'read' },
  { method: 'GET', route: '/console/account', path: () => '/console/account', permission: 'account.write' },
  { method: 'GET', route: '/console/account/two-factor', path: () => '/console/account/two-factor', permission: 'account.write' },
  { method: 'POST', route: '/console/account/two-factor', path: () => '/console/account/two-factor', fields: () => ({ code: '000000' }), permission: 'account.write' },
  { method: 'GET', route: '/console/users', path: () => '/console/users', permission: 'users.read' },
  { method: 'GET', route: '/console/keys', path: () => '/console/keys', permission: 'read' },
  { method: 'GET', route: '/console/webhooks', path: () => '/console/webhooks', permission: 'read' },
  { method: 'GET', route: '/console/sign-in', path: () => '/console/sign-in', permission: 'users.read' },
  { method: 'GET', route: '/console/psa', path: () => '/console/psa', permission: 'read' },
];

/** Console actions (POST /console/actions/:action) and what each needs. sign-out-everywhere ends the walker's own session: tested on its own below. */
const ACTION_CASES: Record<string, { fields: (ids: Record<string, string>) => Record<string, string>; permission: Permission }> = {
  'enrolment-token': { fields: (i) => ({ companyId: i.c1, expiresInDays: '30' }), permission: 'keys.write' },
  'company-active': { fields: (i) => ({ companyId: i.c1, active: 'true' }), permission: 'tenancy.write' },
  'company-move': { fields: (i) => ({ companyId: i.c1, parentId: i.p1 }), permission: 'tenancy.write' },
  'month-close': { fields: () => ({ month: new Date().toISOString().slice(0, 7), early: 'false' }), permission: 'months.write' },
  'change-password': { fields: () => ({ currentPassword: 'not the password', newPassword: 'another long password' }), permission: 'account.write' },
  'user-create': { fields: () => ({ name: 'New', email: `new-${randomUUID()}@example.com`, role: 'viewer', companyId: '' }), permission: 'users.write' },
  'user-role': { fields: (i) => ({ userId: i.adminUser, role: 'viewer' }), permission: 'users.write' },
  'user-disable': { fields: (i) => ({ userId: i.adminUser, disabled: 'false' }), permission: 'users.write' },
  'user-reset-password': { fields: (i) => ({ userId: i.adminUser }), permission: 'users.write' },
  'user-sign-out': { fields: (i) => ({ userId: i.adminUser }), permission: 'users.write' },
  'key-create': { fields: () => ({ label: 'walk', role: 'viewer', companyId: '' }), permission: 'keys.write' },
  'key-revoke': { fields: (i) => ({ keyId: i.p1KeyId }), permission: 'keys.write' },
  'sso-create': { fields: (i) => ({ ...SSO_BODY, mappings: 'tally-viewers = viewer', companyId: i.p1 }) as Record<string, string>, permission: 'users.write' },
  'sso-enable': { fields: (i) => ({ providerId: i.sso, disabled: 'false' }), permission: 'users.write' },
  'device-move': { fields: (i) => ({ deviceId: 'victim-device', companyId: i.c1 }), permission: 'devices.write' },
  'device-merge': { fields: () => ({ deviceId: 'victim-device', duplicateId: 'no-such-device' }), permission: 'devices.write' },
  'device-dismiss': { fields: () => ({ deviceId: 'victim-device', otherId: 'no-such-device' }), permission: 'devices.write' },
  'device-retire': { fields: () => ({ deviceId: 'victim-device', retired: 'false' }), permission: 'devices.write' },
  'device-exclude': { fields: () => ({ deviceId: 'victim-device', reason: 'lab machine' }), permission: 'devices.write' },
  'device-include': { fields: () => ({ deviceId: 'victim-device' }), permission: 'devices.write' },
  'sign-in-settings': { fields: () => ({ twoFactorRequired: 'false' }), permission: 'users.write' },
  'psa-sync': { fields: () => ({ kind: 'connectwise', month, dryRun: 'true' }), permission: 'psa.write' },
};

const RPC_CASES: { service: string; method: string; params: (ids: Record<string, string>) => unknown; permission: Permission }[] = [
  { service: 'companies', method: 'createCompany', params: (i) => ({ name: `Rpc ${randomUUID()}`, type: 1, parentId: i.p1 }), permission: 'tenancy.write' },
  { service: 'companies', method: 'getCompanyDetails', params: (i) => ({ companyId: i.c1 }), permission: 'read' },
  { service: 'licensing', method: 'getLicenseInfo', params: (i) => ({ companyId: i.c1 }), permission: 'read' },
  { service: 'licensing', method: 'setMonthlySubscription', params: (i) => ({ companyId: i.c1, productType: 'endpoint_security' }), permission: 'subscriptions.write' },
  { service: 'licensing', method: 'getMonthlyUsage', params: (i) => ({ companyId: i.c1, targetMonth: `${month.slice(5)}/${month.slice(0, 4)}` }), permission: 'read' },
  { service: 'reports', method: 'createReport', params: (i) => ({ type: 13, targetIds: [i.c1], name: 'walk' }), permission: 'reports.write' },
  { service: 'reports', method: 'getDownloadLinks', params: (i) => ({ reportId: i.report }), permission: 'read' },
  { service: 'webhooks', method: 'createWebhook', params: (i) => ({ url: WEBHOOK_URL, companyId: i.c1 }), permission: 'keys.write' },
  { service: 'webhooks', method: 'updateWebhook', params: (i) => ({ endpointId: i.webhook, description: 'rpc' }), permission: 'keys.write' },
  { service: 'webhooks', method: 'sendTestWebhook', params: (i) => ({ endpointId: i.webhook }), permission: 'keys.write' },
  { service: 'webhooks', method: 'deleteWebhook', params: () => ({ endpointId: 'no-such-endpoint' }), permission: 'keys.write' },
  { service: 'webhooks', method: 'getWebhooks', params: () => ({}), permission: 'read' },
  { service: 'webhooks', method: 'createAlertRule', params: (i) => ({ companyId: i.c1, name: 'Rpc', kind: 'unlicensed' }), permission: 'reports.write' },
  { service: 'webhooks', method: 'updateAlertRule', params: (i) => ({ ruleId: i.alertRule, name: 'Rpc' }), permission: 'reports.write' },
  { service: 'webhooks', method: 'deleteAlertRule', params: () => ({ ruleId: 'no-such-rule' }), permission: 'reports.write' },
  { service: 'webhooks', method: 'getAlertRules', params: () => ({}), permission: 'read' },
  { service: 'psa', method: 'setConnection', params: () => ({ kind: 'connectwise', baseUrl: 'http://127.0.0.1:9/', credentials: {} }), permission: 'psa.write' },
  { service: 'psa', method: 'setMapping', params: (i) => ({ kind: 'connectwise', companyId: i.c1, psaCompanyId: '1', agreementId: '2' }), permission: 'psa.write' },
  { service: 'psa', method: 'deleteMapping', params: (i) => ({ kind: 'connectwise', companyId: i.c1 }), permission: 'psa.write' },
  { service: 'psa', method: 'runSync', params: () => ({ kind: 'connectwise', month, dryRun: true }), permission: 'psa.write' },
  { service: 'psa', method: 'getReconciliation', params: () => ({ kind: 'connectwise', month }), permission: 'read' },
];

describe.each(roleBackends)('every route with every role on $name', (backend) => {
  if (backend.skip) return;
  let col: TestCollector;
  let drop: () => Promise<void>;
  const rids: Record<string, string> = {};
  const roleKeys: Partial<Record<Role, string>> = {};
  const roleConsole: Partial<Record<Role, ConsoleClient>> = {};
  const mismatches: string[] = [];
  let checks = 0;
  const expectRole = (what: string, role: Role, permission: Permission | null, status: number, code: string | undefined) => {
    if (permission === null) return;
    checks++;
    if (ROLE_TABLE[role].includes(permission)) {
      if (status === 401 || status === 403) mismatches.push(`${role} refused ${what} (${status} ${code}) though it holds ${permission}`);
    } else if (status !== 403 || code !== 'forbidden') {
      mismatches.push(`${role} got ${status} ${code} for ${what}, which needs ${permission}`);
    }
  };

  beforeAll(async () => {
    const opened = await backend.open();
    drop = opened.drop;
    col = await startTestCollector({ storage: opened.storage });
    const installation = await col.apiKey();
    const at = (method: string, path: string, body?: unknown) => mustAt(col.url, installation, method, path, body);
    rids.p1 = (await at('POST', '/companies', { name: 'Partner One', type: 'partner' })).id;
    rids.c1 = (await at('POST', '/companies', { name: 'Customer One', type: 'customer', parentId: rids.p1 })).id;
    rids.group = (await at('POST', `/companies/${rids.c1}/user-groups`, { name: 'Staff' })).id;
    rids.user = (await at('POST', `/companies/${rids.c1}/users`, { externalId: 'S-1-5-21-7-1001' })).id;
    rids.subscription = (await at('POST', `/companies/${rids.c1}/subscriptions`, {
      productType: 'endpoint_security', licenseType: 'trial', trialEndsAt: new Date(Date.now() + 30 * 86_400_000).toISOString(), effectiveFrom: `${month}-01T00:00:00Z`,
    })).subscriptionId;
    rids.token = (await at('POST', `/companies/${rids.c1}/enrolment-tokens`, {})).id;
    const now = Date.now();
    await col.storage.enrolment.enrolDevice({ deviceId: 'victim-device', companyId: rids.c1, keyHash: 'v', instanceId: 'v', hostname: 'victim-pc', facts: null, agentVersion: 't', nowMs: now });
    rids.report = (await at('POST', '/reports', { format: 'csv', companyId: rids.c1, month })).id;
    rids.schedule = (await at('POST', '/report-schedules', { format: 'csv', companyId: rids.c1 })).id;
    rids.p1KeyId = (await at('POST', '/api-keys', { label: 'p1', companyId: rids.p1 })).id;
    rids.adminUser = (await at('POST', '/admin-users', { email: 'target@example.com', name: 'Target', role: 'viewer', companyId: rids.c1 })).id;
    rids.sso = (await at('POST', '/sso-providers', { ...SSO_BODY, companyId: rids.p1 })).id;
    rids.webhook = (await at('POST', '/webhooks', { url: WEBHOOK_URL, companyId: rids.p1 })).id;
    rids.alertRule = (await at('POST', `/companies/${rids.c1}/alert-rules`, { name: 'Unlicensed', kind: 'unlicensed' })).id;
    for (const role of WALK_ORDER) {
      roleKeys[role] = (await at('POST', '/api-keys', { label: `${role} key`, role })).key;
      await at('POST', '/admin-users', { email: `${role}@example.com`, name: `The ${role}`, role, password: ROLE_PASSWORD });
      roleConsole[role] = await userConsoleSession(col.url, `${role}@example.com`, ROLE_PASSWORD);
    }
  }, 60_000);
  afterAll(async () => {
    console.log(`[roles] ${backend.name}: ${checks} route x role checks, ${mismatches.length} where a role can do more (or less) than its table says`);
    await col?.dispose();
    await drop?.();
  });

  it('REST: every route answers each role as the role table says', async () => {
    const routes = routeCases(rids);
    expect(new Set(routes.map((r) => `${r.method} ${r.route}`))).toEqual(new Set(declaredApiRoutes(col.storage).map((r) => `${r.method} ${r.path}`)));
    for (const r of routes) {
      for (const role of WALK_ORDER) {
        // Harmless bodies where the scope walk's would change what later calls see.
        const body = r.route === '/api/v1/companies/:id' && r.method === 'PATCH' ? { name: 'Customer One' } : r.body?.();
        const res = await callAt(col.url, roleKeys[role]!, r.method, r.path(), body);
        expectRole(`${r.method} ${r.route}`, role, r.permission, res.status, res.body?.error?.code);
      }
    }
    expect(mismatches).toEqual([]);
  });

  it('JSON-RPC: every method answers each role as the role table says', async () => {
    expect(RPC_CASES.map((x) => `${x.service}.${x.method}`).sort()).toEqual(Object.entries(SERVICES).flatMap(([s, m]) => Object.keys(m).map((k) => `${s}.${k}`)).sort());
    for (const x of RPC_CASES) {
      for (const role of WALK_ORDER) {
        const res = await rpc(col.url, roleKeys[role]!, x.service, x.method, x.params(rids));
        const err = res.body?.error;
        expectRole(`${x.service}.${x.method}`, role, x.permission, err?.data?.code === 'forbidden' ? 403 : err ? 400 : 200, err ? err.data?.code : undefined);
      }
    }
    expect(mismatches).toEqual([]);
  });

  it('console: every page and action answers each signed-in role as the role table says', async () => {
    const declared = declaredConsoleRoutes(col.storage).filter((r) => !CONSOLE_PUBLIC.has(`${r.method} ${r.path}`));
    expect(new Set(declared.map((r) => `${r.method} ${r.path}`))).toEqual(new Set([...CONSOLE_CASES.map((x) => `${x.method} ${x.route}`), 'POST /console/actions/:action']));
    expect(new Set([...Object.keys(ACTION_CASES), 'sign-out-everywhere'])).toEqual(new Set(Object.keys(CONSOLE_ACTIONS)));
    for (const role of WALK_ORDER) {
      const s = roleConsole[role]!;
      for (const x of CONSOLE_CASES) {
        const answer = x.method === 'GET' ? await s.get(x.path(rids)) : await s.post(x.path(rids), x.fields!(rids));
        expectRole(`console ${x.method} ${x.route}`, role, x.permission, answer.status, s.codeOf(answer));
      }
      for (const [action, x] of Object.entries(ACTION_CASES)) {
        const answer = await s.post(`/console/actions/${action}`, x.fields(rids));
        expectRole(`console action ${action}`, role, x.permission, answer.status, s.codeOf(answer));
      }
      // Forms are shown only where the role may use them.
      const users = await s.get('/console/users');
      if (ROLE_TABLE[role].includes('users.read')) expect(users.text.includes('action="/console/actions/user-create"')).toBe(ROLE_TABLE[role].includes('users.write'));
      const keysPage = await s.get('/console/keys');
      expect(keysPage.text.includes('action="/console/actions/key-create"')).toBe(ROLE_TABLE[role].includes('keys.write'));
    }
    expect(mismatches).toEqual([]);
  });

  it('sign out everywhere ends every session of the user, and only theirs', async () => {
    const second = await userConsoleSession(col.url, 'viewer@example.com', ROLE_PASSWORD);
    const s = roleConsole.viewer!;
    expect(s.codeOf(await s.post('/console/actions/sign-out-everywhere', {}))).toBe('ok');
    expect((await second.get('/console/companies')).status).toBe(303);
    expect((await s.get('/console/companies')).status).toBe(303);
    expect((await roleConsole.auditor!.get('/console/companies')).status).toBe(200);
  });
});
