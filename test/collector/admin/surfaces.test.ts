// One write path: every surface that offers an admin action (REST, the
// partner JSON-RPC API, console forms, the CLI) runs the same command, so the
// same bad input gets the same stable error code everywhere, and nothing is
// written. Then the no-oracle rule: an id of another tenant answers exactly
// like an id that does not exist, on every route and method that takes one.
// Real collector on loopback, real CLI processes, on SQLite and PostgreSQL.
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMonths, monthContaining } from '../../../collector/src/billing/index.ts';
import { openPostgresStorage } from '../../../collector/src/storage/postgres/index.ts';
import type { Storage } from '../../../collector/src/storage/types.ts';
import { latePolicyAt } from '../../../collector/src/ingest/late-policy.ts';
import { utcDayOf } from '../../../proto/index.ts';
import { startTestCollector, type TestCollector } from '../../helpers/collector.ts';
import { consoleSession, rest, restOk, rpc, type ConsoleClient } from '../../helpers/http.ts';
import { COLLECTOR_BIN } from '../../helpers/processes.ts';
import { createTestDatabase, pgServerConfigured, pgTestSetting, type TestDatabase } from '../../helpers/postgres.ts';
import { shouldRun } from '../../helpers/requirements.ts';

type Surface = 'rest' | 'jsonrpc' | 'console' | 'cli';

interface Backend {
  name: string;
  skip?: boolean;
  open(): Promise<{ storage?: Storage; cliDb: (c: TestCollector) => string; drop?: () => Promise<void> }>;
}

const pg = pgTestSetting();
const backends: Backend[] = [
  { name: 'SQLite', open: async () => ({ cliDb: (c) => join(c.dir, 'tally.db') }) },
  {
    name: 'PostgreSQL',
    skip: !shouldRun('admin surfaces on PostgreSQL', pgServerConfigured(pg)),
    open: async () => {
      const db: TestDatabase = await createTestDatabase((pg as { url: string }).url);
      return { storage: await openPostgresStorage({ url: db.url, nowMs: Date.now() }), cliDb: () => db.url, drop: () => db.drop() };
    },
  },
];

describe.each(backends)('admin surfaces on $name', (backend) => {
  if (backend.skip) return;
  let c: TestCollector;
  let cliDb: string;
  let drop: (() => Promise<void>) | undefined;
  const ids: Record<string, string> = {};
  const keys: Record<string, string> = {};
  const sessions: Record<string, ConsoleClient> = {};
  const current = monthContaining(Date.now());
  const finalized = addMonths(current, -2).id;
  const unclosed = addMonths(current, -3).id;

  // Asynchronous: a synchronous spawn would stall this process's collector for seconds, and the
  // client's kept-alive socket would then race the server's keep-alive timeout (ECONNRESET).
  const cli = (args: string[]) => new Promise<string>((resolve) => {
    execFile(process.execPath, [COLLECTOR_BIN, ...args, '--db', cliDb], { encoding: 'utf8', timeout: 30_000 }, (err, _out, stderr) => {
      if (!err) return resolve('ok');
      resolve(/\[([a-z_]+)\]\s*$/.exec(stderr.trim())?.[1] ?? `exit_${err.code}: ${stderr.trim().slice(0, 200)}`);
    });
  });
  const restCode = async (key: string, method: string, path: string, body?: unknown) => {
    const r = await rest(c.url, key, method, path, body);
    return r.status < 300 ? 'ok' : r.body?.error?.code ?? `http_${r.status}`;
  };
  const rpcCode = async (key: string, service: string, method: string, params: unknown) => {
    const r = await rpc(c.url, key, service, method, params);
    return r.body?.error ? r.body.error.data?.code ?? `rpc_${r.body.error.code}` : 'ok';
  };
  const consoleCode = async (who: string, action: string, fields: Record<string, string>) => {
    const s = sessions[who];
    return s.codeOf(await s.post(`/console/actions/${action}`, fields));
  };

  beforeAll(async () => {
    const opened = await backend.open();
    drop = opened.drop;
    c = await startTestCollector({ storage: opened.storage });
    cliDb = opened.cliDb(c);
    keys.installation = await c.apiKey();
    ids.p1 = (await restOk(c.url, keys.installation, 'POST', '/companies', { name: 'Partner One', type: 'partner' })).id;
    ids.c1 = (await restOk(c.url, keys.installation, 'POST', '/companies', { name: 'Customer One', type: 'customer', parentId: ids.p1 })).id;
    ids.p2 = (await restOk(c.url, keys.installation, 'POST', '/companies', { name: 'Partner Two', type: 'partner' })).id;
    ids.c2 = (await restOk(c.url, keys.installation, 'POST', '/companies', { name: 'Customer Two', type: 'customer', parentId: ids.p2 })).id;
    ids.group = (await restOk(c.url, keys.installation, 'POST', `/companies/${ids.c1}/user-groups`, { name: 'Staff' })).id;
    ids.user = (await restOk(c.url, keys.installation, 'POST', `/companies/${ids.c1}/users`, { externalId: 'S-1-5-21-1' })).id;
    ids.user2 = (await restOk(c.url, keys.installation, 'POST', `/companies/${ids.c2}/users`, { externalId: 'S-1-5-21-2' })).id;
    ids.subscription = (await restOk(c.url, keys.installation, 'POST', `/companies/${ids.c1}/subscriptions`, {
      productType: 'endpoint_security', licenseType: 'trial', trialEndsAt: new Date(Date.now() + 30 * 86_400_000).toISOString(),
    })).subscriptionId;
    ids.token = (await restOk(c.url, keys.installation, 'POST', `/companies/${ids.c1}/enrolment-tokens`, {})).id;
    const now = Date.now();
    ids.device = `victim-${randomUUID()}`;
    await c.storage.enrolment.enrolDevice({ deviceId: ids.device, companyId: ids.c1, keyHash: randomUUID(), instanceId: 'v', hostname: 'victim-pc', facts: null, agentVersion: 't', nowMs: now });
    await c.storage.ingest.ingestUsage(ids.device, ids.c1, [{ stream: 's', seq: 1, utcDay: utcDayOf(now), awakeSeconds: 600, bootId: 'b' }], [], now, latePolicyAt(now));
    ids.device2 = `own-${randomUUID()}`;
    await c.storage.enrolment.enrolDevice({ deviceId: ids.device2, companyId: ids.c2, keyHash: randomUUID(), instanceId: 'o', hostname: 'own-pc', facts: null, agentVersion: 't', nowMs: now });
    ids.report = (await restOk(c.url, keys.installation, 'POST', '/reports', { format: 'csv', companyId: ids.c1, month: current.id })).id;
    ids.schedule = (await restOk(c.url, keys.installation, 'POST', '/report-schedules', { format: 'csv', companyId: ids.c1 })).id;
    const p1Key = await restOk(c.url, keys.installation, 'POST', '/api-keys', { label: 'p1', companyId: ids.p1 });
    ids.p1Key = p1Key.id;
    keys.p1 = p1Key.key;
    keys.p2 = (await restOk(c.url, keys.installation, 'POST', '/api-keys', { label: 'p2', companyId: ids.p2 })).key;
    keys.p1ReadOnly = (await restOk(c.url, keys.installation, 'POST', '/api-keys', { label: 'p1 ro', companyId: ids.p1, readOnly: true })).key;
    await c.closer.closeMonth(finalized);
    for (const who of ['installation', 'p1', 'p2']) sessions[who] = await consoleSession(c.url, keys[who]);
  }, 60_000);
  afterAll(async () => {
    await c?.dispose();
    await drop?.();
  });

  const sub = (over: Record<string, unknown> = {}) => ({ productType: 'endpoint_security', ...over });
  const rpcSub = (over: Record<string, unknown> = {}) => ({ productType: 'endpoint_security', ...over });

  /** An invalid input and the code every surface offering the action must answer with. */
  const CASES: { name: string; code: string; on: Partial<Record<Surface, () => Promise<string>>> }[] = [
    {
      name: 'company.create under an unknown parent', code: 'not_found', on: {
        rest: () => restCode(keys.installation, 'POST', '/companies', { name: 'X', type: 'customer', parentId: 'no-such-partner' }),
        jsonrpc: () => rpcCode(keys.installation, 'companies', 'createCompany', { name: 'X', type: 1, parentId: 'no-such-partner' }),
        cli: async () => cli(['token', 'create', '--company', `New ${randomUUID()}`, '--parent', 'no-such-partner']),
      },
    },
    {
      name: 'company.create under a partner of another tenant (wrong scope)', code: 'not_found', on: {
        rest: () => restCode(keys.p2, 'POST', '/companies', { name: 'X', type: 'customer', parentId: ids.p1 }),
        jsonrpc: () => rpcCode(keys.p2, 'companies', 'createCompany', { name: 'X', type: 1, parentId: ids.p1 }),
      },
    },
    {
      name: 'company.create with a company type that does not exist (bad enum)', code: 'invalid_request', on: {
        rest: () => restCode(keys.installation, 'POST', '/companies', { name: 'X', type: 'reseller', parentId: ids.p1 }),
        jsonrpc: () => rpcCode(keys.installation, 'companies', 'createCompany', { name: 'X', type: 7, parentId: ids.p1 }),
      },
    },
    {
      name: 'subscription.set inside a finalized month', code: 'conflict', on: {
        rest: () => restCode(keys.installation, 'POST', `/companies/${ids.c1}/subscriptions`, sub({ effectiveFrom: `${finalized}-15T00:00:00Z` })),
        jsonrpc: () => rpcCode(keys.installation, 'licensing', 'setMonthlySubscription', rpcSub({ companyId: ids.c1, effectiveFrom: `${finalized}-15T00:00:00Z` })),
      },
    },
    {
      name: 'subscription.set for a company of another tenant (wrong scope)', code: 'not_found', on: {
        rest: () => restCode(keys.p2, 'POST', `/companies/${ids.c1}/subscriptions`, sub()),
        jsonrpc: () => rpcCode(keys.p2, 'licensing', 'setMonthlySubscription', rpcSub({ companyId: ids.c1 })),
      },
    },
    {
      name: 'subscription.set with a protection model that does not exist (bad enum)', code: 'invalid_request', on: {
        rest: () => restCode(keys.installation, 'POST', `/companies/${ids.c1}/subscriptions`, sub({ protectionModel: 'platinum' })),
        jsonrpc: () => rpcCode(keys.installation, 'licensing', 'setMonthlySubscription', rpcSub({ companyId: ids.c1, protectionModel: 'platinum' })),
      },
    },
    {
      name: 'subscription.set with a read-only key', code: 'forbidden', on: {
        rest: () => restCode(keys.p1ReadOnly, 'POST', `/companies/${ids.c1}/subscriptions`, sub()),
        jsonrpc: () => rpcCode(keys.p1ReadOnly, 'licensing', 'setMonthlySubscription', rpcSub({ companyId: ids.c1 })),
      },
    },
    {
      name: 'enrolment_token.create for a partner company', code: 'invalid_request', on: {
        rest: () => restCode(keys.installation, 'POST', `/companies/${ids.p1}/enrolment-tokens`, {}),
        console: () => consoleCode('installation', 'enrolment-token', { companyId: ids.p1, expiresInDays: '30' }),
        cli: async () => cli(['token', 'create', '--company', ids.p1]),
      },
    },
    {
      name: 'enrolment_token.create with a lifetime of 0 days', code: 'invalid_request', on: {
        rest: () => restCode(keys.installation, 'POST', `/companies/${ids.c1}/enrolment-tokens`, { expiresInDays: 0 }),
        console: () => consoleCode('installation', 'enrolment-token', { companyId: ids.c1, expiresInDays: '0' }),
        cli: async () => cli(['token', 'create', '--company', ids.c1, '--expires-in-days', '0']),
      },
    },
    {
      name: 'enrolment_token.create for a customer of another tenant (wrong scope)', code: 'not_found', on: {
        rest: () => restCode(keys.p2, 'POST', `/companies/${ids.c1}/enrolment-tokens`, {}),
        console: () => consoleCode('p2', 'enrolment-token', { companyId: ids.c1, expiresInDays: '30' }),
      },
    },
    {
      name: 'company.update: inactivating the principal\'s own company', code: 'forbidden', on: {
        rest: () => restCode(keys.p1, 'PATCH', `/companies/${ids.p1}`, { active: false }),
        console: () => consoleCode('p1', 'company-active', { companyId: ids.p1, active: 'false' }),
      },
    },
    {
      name: 'company.update with an active flag that is not a boolean', code: 'invalid_request', on: {
        rest: () => restCode(keys.installation, 'PATCH', `/companies/${ids.c1}`, { active: 'maybe' }),
        console: () => consoleCode('installation', 'company-active', { companyId: ids.c1, active: 'maybe' }),
      },
    },
    {
      name: 'company.update of a company of another tenant (wrong scope)', code: 'not_found', on: {
        rest: () => restCode(keys.p2, 'PATCH', `/companies/${ids.c1}`, { active: false }),
        console: () => consoleCode('p2', 'company-active', { companyId: ids.c1, active: 'false' }),
      },
    },
    {
      name: 'company.move under a customer', code: 'conflict', on: {
        rest: () => restCode(keys.installation, 'POST', `/companies/${ids.c1}/move`, { parentId: ids.c2 }),
        console: () => consoleCode('installation', 'company-move', { companyId: ids.c1, parentId: ids.c2 }),
        cli: async () => cli(['companies', 'move', ids.c1, '--parent', ids.c2]),
      },
    },
    {
      name: 'company.move of a partner under itself', code: 'conflict', on: {
        rest: () => restCode(keys.installation, 'POST', `/companies/${ids.p1}/move`, { parentId: ids.p1 }),
        console: () => consoleCode('installation', 'company-move', { companyId: ids.p1, parentId: ids.p1 }),
        cli: async () => cli(['companies', 'move', 'Partner One', '--parent', 'Partner One']),
      },
    },
    {
      name: 'company.move of a company of another tenant (wrong scope)', code: 'not_found', on: {
        rest: () => restCode(keys.p2, 'POST', `/companies/${ids.c1}/move`, { parentId: ids.p2 }),
        console: () => consoleCode('p2', 'company-move', { companyId: ids.c1, parentId: ids.p2 }),
      },
    },
    {
      name: 'company.move by a partner of its own company', code: 'forbidden', on: {
        rest: () => restCode(keys.p1, 'POST', `/companies/${ids.p1}/move`, { parentId: null }),
        console: () => consoleCode('p1', 'company-move', { companyId: ids.p1, parentId: 'none' }),
      },
    },
    {
      name: 'month.close of the open month', code: 'month_not_closable', on: {
        rest: () => restCode(keys.installation, 'POST', `/months/${current.id}/close`, {}),
        console: () => consoleCode('installation', 'month-close', { month: current.id }),
        cli: async () => cli(['month', 'close', current.id]),
      },
    },
    {
      name: 'month.close of a finalized month', code: 'already_finalized', on: {
        rest: () => restCode(keys.installation, 'POST', `/months/${finalized}/close`, {}),
        console: () => consoleCode('installation', 'month-close', { month: finalized }),
        cli: async () => cli(['month', 'close', finalized]),
      },
    },
    {
      name: 'month.close by a partner (it covers every company)', code: 'forbidden', on: {
        rest: () => restCode(keys.p1, 'POST', `/months/${unclosed}/close`, {}),
        console: () => consoleCode('p1', 'month-close', { month: unclosed }),
      },
    },
    {
      name: 'month.close of a month that does not exist', code: 'invalid_request', on: {
        rest: () => restCode(keys.installation, 'POST', '/months/2026-13/close', {}),
        console: () => consoleCode('installation', 'month-close', { month: '2026-13' }),
        cli: async () => cli(['month', 'close', '2026-13']),
      },
    },
    {
      name: 'report.create in a format that does not exist', code: 'invalid_request', on: {
        rest: () => restCode(keys.installation, 'POST', '/reports', { format: 'doc', companyId: ids.c1, month: current.id }),
        jsonrpc: () => rpcCode(keys.installation, 'reports', 'createReport', { type: 13, targetIds: [ids.c1], options: { format: 'doc' } }),
      },
    },
    {
      name: 'report.create for a company of another tenant (wrong scope)', code: 'not_found', on: {
        rest: () => restCode(keys.p2, 'POST', '/reports', { format: 'csv', companyId: ids.c1, month: current.id }),
        jsonrpc: () => rpcCode(keys.p2, 'reports', 'createReport', { type: 13, targetIds: [ids.c1] }),
      },
    },
  ];

  it('every surface that offers an action answers the same bad input with the same code, and writes nothing', async () => {
    const auditBefore = (await c.storage.audit.list({ companyIds: null, beforeId: null, limit: 1000 })).length;
    const companiesBefore = (await c.storage.adminRead.listCompanies()).length;
    const answers: Record<string, Record<string, string>> = {};
    for (const k of CASES) {
      answers[k.name] = {};
      for (const [surface, call] of Object.entries(k.on)) answers[k.name][surface] = await call!();
    }
    const expected = Object.fromEntries(CASES.map((k) => [k.name, Object.fromEntries(Object.keys(k.on).map((s) => [s, k.code]))]));
    expect(answers).toEqual(expected);
    // At least two surfaces per action, and each surface is exercised.
    expect(CASES.every((k) => Object.keys(k.on).length >= 2)).toBe(true);
    expect(new Set(CASES.flatMap((k) => Object.keys(k.on)))).toEqual(new Set(['rest', 'jsonrpc', 'console', 'cli']));
    // Refused commands leave no trace: no audit entry, no half-made company.
    expect((await c.storage.audit.list({ companyIds: null, beforeId: null, limit: 1000 })).length).toBe(auditBefore);
    expect((await c.storage.adminRead.listCompanies()).length).toBe(companiesBefore);
  }, 120_000);

  it('the same action succeeds on every surface and is audited with the actor of each', async () => {
    const created = [
      await restOk(c.url, keys.p1, 'POST', `/companies/${ids.c1}/enrolment-tokens`, { expiresInDays: 7 }),
      (await sessions.p1.post('/console/actions/enrolment-token', { companyId: ids.c1, expiresInDays: '7' })),
    ];
    expect(created[0].token).toMatch(/^tet_/);
    expect(created[1].status).toBe(200);
    expect(created[1].text).toMatch(/id="done-secret"[^>]*value="tet_/);
    expect(await cli(['token', 'create', '--company', ids.c1, '--expires-in-days', '7'])).toBe('ok');
    const entries = (await c.storage.audit.list({ companyIds: [ids.c1], beforeId: null, limit: 3 })).filter((e) => e.action === 'enrolment_token.create');
    expect(entries.map((e) => e.actor)).toEqual(['cli', `api-key:${ids.p1Key}`, `api-key:${ids.p1Key}`]);
  }, 60_000);

  describe('no existence oracle', () => {
    const NOBODY = () => `none-${randomUUID()}`;
    /** Each request, made by partner two with an id of partner one's tree and with a made-up id. */
    const REQUESTS: { name: string; call: (id: string) => Promise<{ status: number; code: string; message: string }>; theirs: () => string }[] = [];
    const restReq = (name: string, method: string, path: (id: string) => string, body: (id: string) => unknown, theirs: () => string) =>
      REQUESTS.push({
        name, theirs, call: async (id) => {
          const r = await rest(c.url, keys.p2, method, path(id), body(id));
          return { status: r.status, code: r.body?.error?.code ?? 'ok', message: String(r.body?.error?.message ?? '').replaceAll(id, '<id>') };
        },
      });
    const rpcReq = (name: string, service: string, method: string, params: (id: string) => unknown, theirs: () => string) =>
      REQUESTS.push({
        name, theirs, call: async (id) => {
          const r = await rpc(c.url, keys.p2, service, method, params(id));
          return { status: r.status, code: String(r.body?.error?.code ?? 'ok'), message: String(r.body?.error?.message ?? '').replaceAll(id, '<id>') };
        },
      });
    const none = () => undefined;
    restReq('GET company', 'GET', (id) => `/companies/${id}`, none, () => ids.c1);
    restReq('PATCH company', 'PATCH', (id) => `/companies/${id}`, () => ({ name: 'Taken' }), () => ids.c1);
    restReq('GET user groups', 'GET', (id) => `/companies/${id}/user-groups`, none, () => ids.c1);
    restReq('POST user group', 'POST', (id) => `/companies/${id}/user-groups`, () => ({ name: 'G' }), () => ids.c1);
    restReq('GET users', 'GET', (id) => `/companies/${id}/users`, none, () => ids.c1);
    restReq('POST user', 'POST', (id) => `/companies/${id}/users`, () => ({ externalId: 'u' }), () => ids.c1);
    restReq('POST member: group', 'POST', (id) => `/companies/${ids.c2}/user-groups/${id}/members`, () => ({ userId: ids.user2 }), () => ids.group);
    restReq('POST member: user', 'POST', () => `/companies/${ids.c2}/user-groups/${ids.group2}/members`, (id) => ({ userId: id }), () => ids.user);
    restReq('POST xdr deployment', 'POST', (id) => `/companies/${id}/xdr-deployments`, () => ({ category: 'network' }), () => ids.c1);
    restReq('GET subscriptions', 'GET', (id) => `/companies/${id}/subscriptions`, none, () => ids.c1);
    restReq('GET licence', 'GET', (id) => `/companies/${id}/licence`, none, () => ids.c1);
    restReq('POST subscription: company', 'POST', (id) => `/companies/${id}/subscriptions`, () => sub(), () => ids.c1);
    restReq('POST subscription: subscription id', 'POST', () => `/companies/${ids.c2}/subscriptions`, (id) => sub({ subscriptionId: id }), () => ids.subscription);
    restReq('POST activate trial', 'POST', (id) => `/subscriptions/${id}/activate`, none, () => ids.subscription);
    restReq('PUT device user: device', 'PUT', (id) => `/devices/${id}/user`, () => ({ userId: null }), () => ids.device);
    restReq('PUT device user: user', 'PUT', () => `/devices/${ids.device2}/user`, (id) => ({ userId: id }), () => ids.user);
    restReq('GET enrolment tokens', 'GET', (id) => `/companies/${id}/enrolment-tokens`, none, () => ids.c1);
    restReq('POST enrolment token', 'POST', (id) => `/companies/${id}/enrolment-tokens`, () => ({}), () => ids.c1);
    restReq('DELETE enrolment token', 'DELETE', (id) => `/enrolment-tokens/${id}`, none, () => ids.token);
    restReq('DELETE API key', 'DELETE', (id) => `/api-keys/${id}`, none, () => ids.p1Key);
    restReq('GET report', 'GET', (id) => `/reports/${id}`, none, () => ids.report);
    restReq('GET report download', 'GET', (id) => `/reports/${id}/download`, none, () => ids.report);
    restReq('DELETE report schedule', 'DELETE', (id) => `/report-schedules/${id}`, none, () => ids.schedule);
    restReq('POST report', 'POST', () => '/reports', (id) => ({ format: 'csv', companyId: id, month: current.id }), () => ids.c1);
    restReq('POST report schedule', 'POST', () => '/report-schedules', (id) => ({ format: 'csv', companyId: id }), () => ids.c1);
    restReq('GET monthly usage', 'GET', (id) => `/usage/monthly?month=${current.id}&companyId=${id}`, none, () => ids.c1);
    restReq('GET user usage', 'GET', (id) => `/usage/users?month=${current.id}&companyId=${id}`, none, () => ids.c1);
    restReq('GET explain', 'GET', (id) => `/usage/explain?month=${current.id}&deviceId=${id}`, none, () => ids.device);
    restReq('GET forecast', 'GET', (id) => `/usage/forecast?companyId=${id}`, none, () => ids.c1);
    rpcReq('getCompanyDetails', 'companies', 'getCompanyDetails', (id) => ({ companyId: id }), () => ids.c1);
    rpcReq('createCompany', 'companies', 'createCompany', (id) => ({ name: 'X', type: 1, parentId: id }), () => ids.p1);
    rpcReq('getLicenseInfo', 'licensing', 'getLicenseInfo', (id) => ({ companyId: id }), () => ids.c1);
    rpcReq('setMonthlySubscription', 'licensing', 'setMonthlySubscription', (id) => ({ companyId: id, productType: 'edr' }), () => ids.c1);
    rpcReq('getMonthlyUsage', 'licensing', 'getMonthlyUsage', (id) => ({ companyId: id, targetMonth: `${current.id.slice(5)}/${current.id.slice(0, 4)}` }), () => ids.c1);
    rpcReq('createReport', 'reports', 'createReport', (id) => ({ type: 13, targetIds: [id] }), () => ids.c1);
    rpcReq('getDownloadLinks', 'reports', 'getDownloadLinks', (id) => ({ reportId: id }), () => ids.report);

    it('another tenant\'s id answers exactly like an id that does not exist, everywhere', async () => {
      ids.group2 = (await restOk(c.url, keys.installation, 'POST', `/companies/${ids.c2}/user-groups`, { name: 'Crew' })).id;
      const differences: string[] = [];
      for (const r of REQUESTS) {
        const theirs = await r.call(r.theirs());
        const made = await r.call(NOBODY());
        if (JSON.stringify(theirs) !== JSON.stringify(made) || theirs.code === 'ok') differences.push(`${r.name}: theirs ${JSON.stringify(theirs)} vs made-up ${JSON.stringify(made)}`);
      }
      expect(differences).toEqual([]);
      expect(REQUESTS.length).toBeGreaterThanOrEqual(30);
    }, 60_000);

    it('callers cannot choose record ids: a subscription id nobody has is not_found, never created', async () => {
      const made = `mine-${randomUUID()}`;
      const r = await rest(c.url, keys.installation, 'POST', `/companies/${ids.c1}/subscriptions`, sub({ subscriptionId: made }));
      expect(r.status).toBe(404);
      expect((await c.storage.tenancy.listSubscriptionVersions(ids.c1)).some((v) => v.subscriptionId === made)).toBe(false);
    });
  });
});
