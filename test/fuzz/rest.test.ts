// Admin API bodies and report options, fuzzed with fast-check (fixed seed):
// random JSON values, mutated valid bodies, broken JSON and oversize bodies to
// the write routes. Every answer is a 2xx, or a 4xx JSON error with a stable
// code, never a 5xx; and a 4xx leaves the database exactly as it was.
import Database from 'better-sqlite3';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCollector, type TestCollector } from '../helpers/collector.ts';
import { validateReportOptions, REPORT_PRODUCT_TYPES } from '../../collector/src/reports/index.ts';
import { FUZZ } from './lib/rng.ts';

const RUNS = Math.max(300, Math.ceil(FUZZ.runs / 250));
const STABLE_4XX = new Set(['unauthorized', 'forbidden', 'not_found', 'invalid_request', 'payload_too_large', 'conflict']);

let c: TestCollector;
let read: Database.Database;
let key: string;
let partnerId: string;
let customerId: string;
let requests = 0;
const statuses: Record<string, number> = {};

beforeAll(async () => {
  c = await startTestCollector();
  key = await c.apiKey();
  read = new Database(join(c.dir, 'tally.db'), { readonly: true });
  const post = async (body: unknown) => (await call('POST', '/api/v1/companies', JSON.stringify(body))).body;
  partnerId = (await post({ name: 'Fuzz Partner', type: 'partner' })).id;
  customerId = (await post({ name: 'Fuzz Customer', type: 'customer', parentId: partnerId })).id;
  expect(partnerId && customerId).toBeTruthy();
});
afterAll(async () => {
  read?.close();
  await c?.dispose();
  console.log(`[fuzz] REST: ${requests} fuzzed requests (seed ${FUZZ.seed}); write-route answers by status ${JSON.stringify(statuses)}`);
});

async function call(method: string, path: string, body: string, contentType = 'application/json'): Promise<{ status: number; body: any; text: string }> {
  requests++;
  const res = await fetch(`${c.url}${path}`, { method, headers: { authorization: `Bearer ${key}`, 'content-type': contentType }, body });
  const text = await res.text();
  statuses[res.status] = (statuses[res.status] ?? 0) + 1;
  let parsed: unknown = null;
  try {
    parsed = JSON.parse(text);
  } catch { /* checked by the caller */ }
  return { status: res.status, body: parsed, text };
}

const TABLES = ['companies', 'subscription_versions', 'api_keys', 'enrolment_tokens', 'users', 'user_groups', 'xdr_deployments'];
function snapshot(): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const t of TABLES) out[t] = (read.prepare(`SELECT count(*) AS n FROM ${t}`).get() as { n: number }).n;
  out.companyRows = read.prepare('SELECT id, name, external_id, inactive_since, parent_id FROM companies ORDER BY id').all();
  return out;
}

/** A body: random JSON, a mutated valid body, broken JSON, or an oversize one. */
function bodies(valid: () => Record<string, unknown>, keys: string[]): fc.Arbitrary<string> {
  const mutation = fc.oneof(
    fc.record({ op: fc.constant('delete' as const), key: fc.constantFrom(...keys) }),
    fc.record({ op: fc.constant('set' as const), key: fc.constantFrom(...keys), value: fc.jsonValue({ maxDepth: 3 }) }),
    fc.record({ op: fc.constant('set' as const), key: fc.string({ maxLength: 12 }), value: fc.jsonValue({ maxDepth: 2 }) }),
    fc.record({ op: fc.constant('set' as const), key: fc.constantFrom(...keys), value: fc.oneof(fc.string({ maxLength: 300 }), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.constant('x'.repeat(5000))) }),
    fc.record({ op: fc.constant('nested' as const), key: fc.constantFrom(...keys), inner: fc.string({ maxLength: 16 }), value: fc.jsonValue({ maxDepth: 2 }) }),
  );
  const mutated = fc.array(mutation, { minLength: 0, maxLength: 4 }).map((ms) => {
    const b: Record<string, unknown> = valid();
    for (const m of ms) {
      if (m.op === 'delete') delete b[m.key];
      else if (m.op === 'set') b[m.key] = m.value;
      else b[m.key] = { ...(typeof b[m.key] === 'object' && b[m.key] !== null ? (b[m.key] as object) : {}), [m.inner]: m.value };
    }
    return JSON.stringify(b);
  });
  return fc.oneof(
    { weight: 5, arbitrary: mutated },
    { weight: 2, arbitrary: fc.jsonValue().map((v) => JSON.stringify(v)) },
    { weight: 1, arbitrary: fc.string({ maxLength: 64 }) },
    { weight: 1, arbitrary: fc.tuple(mutated, fc.nat()).map(([s, n]) => s.slice(0, n % (s.length + 1))) },
    { weight: 1, arbitrary: fc.constantFrom('', ' ', 'null', '[]', '{}', '{"__proto__":{"x":1}}', '{"constructor":{"prototype":{}}}', '"' + 'a'.repeat(300_000) + '"', '['.repeat(5000) + ']'.repeat(5000)) },
  );
}

interface Route {
  name: string;
  method: string;
  path: () => string;
  valid: () => Record<string, unknown>;
  keys: string[];
  /** Table that grows by one on success (none for PATCH). */
  grows?: string;
}

const routes: Route[] = [
  {
    name: 'POST /api/v1/companies', method: 'POST', path: () => '/api/v1/companies', grows: 'companies',
    valid: () => ({ name: 'Fuzzed Co', type: 'customer', parentId: partnerId, externalId: 'ext-1' }),
    keys: ['name', 'type', 'parentId', 'externalId'],
  },
  {
    name: 'POST /api/v1/companies/:id/subscriptions', method: 'POST', path: () => `/api/v1/companies/${customerId}/subscriptions`, grows: 'subscription_versions',
    valid: () => ({
      productType: 'endpoint_security', protectionModel: 'secure', licenseType: 'monthly_subscription', reservedSeats: 10, minimumUsage: 5,
      addOns: { encryption: true, integrityMonitoring: '90d', xdr: ['network'] }, services: { mdrFoundations: false },
      attachment: { customer: true, userGroupIds: [] }, endDate: '2027-01-31', autoRenewal: true,
    }),
    keys: ['subscriptionId', 'effectiveFrom', 'productType', 'protectionModel', 'addOns', 'services', 'licenseType', 'trialEndsAt', 'licenseKey', 'reservedSeats', 'minimumUsage', 'endDate', 'autoRenewal', 'attachment'],
  },
  {
    name: 'POST /api/v1/api-keys', method: 'POST', path: () => '/api/v1/api-keys', grows: 'api_keys',
    valid: () => ({ label: 'fuzz', companyId: customerId, readOnly: true }),
    keys: ['label', 'companyId', 'readOnly'],
  },
  {
    name: 'PATCH /api/v1/companies/:id', method: 'PATCH', path: () => `/api/v1/companies/${customerId}`,
    valid: () => ({ name: 'Renamed Co', externalId: 'ext-2' }),
    keys: ['name', 'externalId', 'active'],
  },
];

describe('admin API write routes under fuzzed bodies', () => {
  it.each(routes)('$name: 2xx, or a 4xx JSON error with a stable code and nothing written', async (route) => {
    const problems: string[] = [];
    await fc.assert(fc.asyncProperty(bodies(route.valid, route.keys), fc.boolean(), async (body, textPlain) => {
      const before = snapshot();
      const res = await call(route.method, route.path(), body, textPlain ? 'text/plain' : 'application/json');
      if (res.status >= 200 && res.status < 300) {
        if (route.grows) expect((snapshot()[route.grows] as number) - (before[route.grows] as number)).toBe(1);
        return;
      }
      const ok = res.status >= 400 && res.status < 500 && STABLE_4XX.has(res.body?.error?.code) && typeof res.body?.error?.message === 'string';
      if (!ok) problems.push(`${res.status} ${res.text.slice(0, 200)} for body ${body.slice(0, 200)}`);
      expect(ok, `${route.name}: ${res.status} ${res.text.slice(0, 300)} for ${body.slice(0, 300)}`).toBe(true);
      expect(snapshot(), `${route.name}: a ${res.status} changed the database; body ${body.slice(0, 300)}`).toEqual(before);
    }), { seed: FUZZ.seed, numRuns: RUNS, endOnFailure: true });
    expect(problems).toEqual([]);
  }, 120_000);
});

describe('report options', () => {
  const anyValue = fc.oneof(fc.constant(undefined), fc.constant(null), fc.string({ maxLength: 20 }), fc.boolean(), fc.integer(), fc.double(), fc.jsonValue({ maxDepth: 1 }),
    fc.constantFrom('true', 'false', '1', '0', '2026-02-30', '2026-12-31', '2027-01-01', '0000-01-01', '9999-12-31', '2026-13', '2026-00', '2026-1', ' 2026-11', '2026-11'));
  const rawOptions = fc.record({
    companyId: fc.oneof(anyValue, fc.constant('c-1'), fc.constant(' '), fc.constant('x'.repeat(201))),
    month: fc.oneof(anyValue, fc.constantFrom('2026-11', '1970-01', '0000-01', '9999-12', '2026-11-01')),
    productType: fc.oneof(anyValue, fc.constantFrom(...REPORT_PRODUCT_TYPES), fc.constant('EDR')),
    onlyEndpointDetails: anyValue,
    onlyDirectCompanies: anyValue,
    registeredFrom: anyValue,
    registeredTo: anyValue,
  }, { requiredKeys: [] });
  const CODES = new Set(['invalid_company', 'invalid_month', 'invalid_product_type', 'invalid_flag', 'invalid_registration_date', 'registration_dates_incomplete', 'registration_range_reversed']);

  it('validateReportOptions never throws; it returns a stable code and field, or options that hold their invariants', () => {
    fc.assert(fc.property(rawOptions, (raw) => {
      const r = validateReportOptions(raw);
      if (!r.ok) {
        expect(CODES.has(r.error.code), r.error.code).toBe(true);
        expect(typeof r.error.field).toBe('string');
        expect(r.error.message.length).toBeGreaterThan(0);
        return;
      }
      expect(r.value.month).toMatch(/^\d{4}-(0[1-9]|1[0-2])$/);
      expect(REPORT_PRODUCT_TYPES).toContain(r.value.productType);
      expect(r.value.companyId.length).toBeGreaterThan(0);
      if (r.value.registeredBetween) expect(r.value.registeredBetween.from <= r.value.registeredBetween.to).toBe(true);
    }), { seed: FUZZ.seed, numRuns: RUNS * 20 });
  });

  it('GET /api/v1/reports/monthly-license-usage answers a fuzzed query with 200 or a 4xx JSON error, never a 5xx', async () => {
    const param = fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('true', 'false', '2026-11', '2026-11-01', '2026-10-31', 'csv', 'psa', 'edr', 'endpoint_security'));
    const query = fc.record({
      companyId: fc.oneof(param, fc.constant('CUSTOMER')),
      month: fc.oneof(param, fc.constant('2026-10')),
      format: fc.oneof(param, fc.constantFrom('csv', 'psa')),
      productType: param, onlyEndpointDetails: param, onlyDirectCompanies: param, registeredFrom: param, registeredTo: param,
    }, { requiredKeys: [] });
    await fc.assert(fc.asyncProperty(query, async (q) => {
      const params = new URLSearchParams(Object.entries(q).map(([k, v]): [string, string] => [k, v === 'CUSTOMER' ? customerId : v]));
      requests++;
      const res = await fetch(`${c.url}/api/v1/reports/monthly-license-usage?${params}`, { headers: { authorization: `Bearer ${key}` } });
      const text = await res.text();
      if (res.status === 200) return;
      const body = (() => { try { return JSON.parse(text); } catch { return null; } })();
      expect(res.status < 500 && STABLE_4XX.has(body?.error?.code), `${res.status} ${text.slice(0, 300)} for ${params}`).toBe(true);
    }), { seed: FUZZ.seed, numRuns: RUNS });
  }, 120_000);

});

describe('partner JSON-RPC API', () => {
  const JSONRPC_CODES = new Set([-32700, -32600, -32601, -32602, -32000, -32001]);
  const METHODS = ['createCompany', 'getCompanyDetails', 'getLicenseInfo', 'setMonthlySubscription', 'getMonthlyUsage', 'createReport', 'getDownloadLinks', 'nope', '__proto__', 'constructor'];

  it('answers fuzzed calls with a result or a JSON-RPC error code, never a 5xx or an internal error, and writes nothing on an error', async () => {
    const value = fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.constantFrom('CUSTOMER', 'PARTNER', '10/2026', '2026-10', 13, 4, 'edr', 'csv'));
    const params = fc.oneof(
      fc.dictionary(fc.constantFrom('companyId', 'parentId', 'name', 'type', 'targetMonth', 'productType', 'reportId', 'targetIds', 'options', 'addons',
        'subscriptionType', 'protectionModel', 'reservedSlots', 'minimumUsage', 'endDate', 'trialEndsAt', 'autoRenewal'), value, { maxKeys: 6 }),
      fc.jsonValue({ maxDepth: 1 }),
    );
    const call = fc.record({ jsonrpc: fc.oneof(fc.constant('2.0'), fc.jsonValue({ maxDepth: 0 })), method: fc.oneof(fc.constantFrom(...METHODS), fc.string({ maxLength: 10 })),
      params, id: fc.oneof(fc.integer(), fc.string({ maxLength: 5 }), fc.constant(null), fc.constant(undefined)) }, { requiredKeys: [] });
    const body = fc.oneof(
      call.map((x) => JSON.stringify(x)),
      fc.array(call, { minLength: 0, maxLength: 3 }).map((x) => JSON.stringify(x)),
      fc.string({ maxLength: 40 }),
    );
    const service = fc.constantFrom('companies', 'licensing', 'reports', 'other');
    await fc.assert(fc.asyncProperty(service, body, async (svc, raw) => {
      const text = raw.replaceAll('"CUSTOMER"', JSON.stringify(customerId)).replaceAll('"PARTNER"', JSON.stringify(partnerId));
      requests++;
      const res = await fetch(`${c.url}/api/v1.0/jsonrpc/${svc}`, {
        method: 'POST', headers: { authorization: `Basic ${Buffer.from(`${key}:`).toString('base64')}`, 'content-type': 'application/json' }, body: text,
      });
      expect(res.status, text).toBeLessThan(500);
      const answer = res.status === 204 ? [] : await res.json();
      for (const a of Array.isArray(answer) ? answer : [answer]) {
        if ('error' in a) expect(JSONRPC_CODES.has(a.error.code), `${JSON.stringify(a.error)} for ${text.slice(0, 300)}`).toBe(true);
        else expect(a).toHaveProperty('result');
      }
    }), { seed: FUZZ.seed, numRuns: RUNS });
  }, 120_000);
});
