// The GravityZone-compatible partner API (JSON-RPC 2.0 over HTTP Basic), on
// loopback against real SQLite, with the seed's EDR example.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { latePolicyAt } from '../../../collector/src/ingest/late-policy.ts';
import { startTestCollector, type TestCollector } from '../../helpers/collector.ts';
import { pollUntil } from '../../helpers/processes.ts';

let c: TestCollector;
let installationKey: string;
const ids: Record<string, string> = {};
const keys: Record<string, string> = {};
const now = Date.now();
const month = new Date(now).toISOString().slice(0, 7);
const targetMonth = `${month.slice(5)}/${month.slice(0, 4)}`;
const basic = (key: string) => `Basic ${Buffer.from(`${key}:`).toString('base64')}`;

async function rpc(key: string | null, service: string, method: string, params?: unknown, raw?: string): Promise<{ status: number; body: any }> {
  const res = await fetch(`${c.url}/api/v1.0/jsonrpc/${service}`, {
    method: 'POST', headers: { ...(key ? { authorization: basic(key) } : {}), 'content-type': 'application/json' },
    body: raw ?? JSON.stringify({ jsonrpc: '2.0', method, params, id: 'call-1' }),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

async function ok(key: string, service: string, method: string, params?: unknown) {
  const r = await rpc(key, service, method, params);
  if (r.body.error) throw new Error(`${method}: ${JSON.stringify(r.body.error)}`);
  return r.body.result;
}

beforeAll(async () => {
  c = await startTestCollector();
  installationKey = await c.apiKey();
  // Seed 003's EDR example, built through the partner API itself.
  ids.p1 = await ok(installationKey, 'companies', 'createCompany', { type: 0, name: 'Partner 1' });
  for (const name of ['A', 'B', 'C', 'D']) ids[name] = await ok(installationKey, 'companies', 'createCompany', { type: 1, name: `Customer ${name}`, parentId: ids.p1 });
  for (const name of ['A', 'B', 'C']) await ok(installationKey, 'licensing', 'setMonthlySubscription', { companyId: ids[name], productType: 'endpoint_security' });
  await ok(installationKey, 'licensing', 'setMonthlySubscription', { companyId: ids.D, productType: 'edr', reservedSlots: 5 });
  // Subscriptions take effect now; the devices are active from now on.
  const devices: [string, number][] = [['A', 2], ['B', 1], ['C', 1], ['D', 3]];
  let n = 0;
  for (const [co, count] of devices) {
    for (let i = 0; i < count; i++) {
      const id = `dev-${++n}`;
      await c.storage.enrolment.enrolDevice({ deviceId: id, companyId: ids[co], keyHash: id, instanceId: id, hostname: id, facts: null, agentVersion: 't', nowMs: now });
      await c.storage.ingest.ingestUsage(id, ids[co], [{ stream: 's', seq: 1, utcDay: Math.floor((now + 1000) / 86_400_000), awakeSeconds: 600, bootId: 'b' }], [], now + 1000, latePolicyAt(now));
    }
  }
  ids.p2 = await ok(installationKey, 'companies', 'createCompany', { type: 0, name: 'Partner 2' });
  keys.p2 = (await (await fetch(`${c.url}/api/v1/api-keys`, { method: 'POST', headers: { authorization: `Bearer ${installationKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ label: 'p2', companyId: ids.p2 }) })).json() as any).key;
}, 30_000);
afterAll(async () => {
  await c.dispose();
});

describe('partner JSON-RPC API', () => {
  it('refuses calls without the API key in HTTP Basic', async () => {
    const r = await rpc(null, 'licensing', 'getMonthlyUsage', { companyId: ids.p1, targetMonth });
    expect(r.status).toBe(401);
    expect((await rpc('tak_' + 'z'.repeat(43), 'licensing', 'getMonthlyUsage', {})).status).toBe(401);
  });

  it('getMonthlyUsage reproduces the seed EDR example under GravityZone field names', async () => {
    const d = await ok(installationKey, 'licensing', 'getMonthlyUsage', { companyId: ids.D, targetMonth, productType: 'edr' });
    expect(d.endpointMonthlyUsage).toBe(3);
    expect(d.reservedSlots).toBe(5);
    const p1Edr = await ok(installationKey, 'licensing', 'getMonthlyUsage', { companyId: ids.p1, targetMonth, productType: 'edr' });
    expect(p1Edr.endpointMonthlyUsage).toBe(3);
    const aEdr = await ok(installationKey, 'licensing', 'getMonthlyUsage', { companyId: ids.A, targetMonth, productType: 'edr' });
    expect(aEdr.endpointMonthlyUsage).toBe(0);
    const p1Es = await ok(installationKey, 'licensing', 'getMonthlyUsage', { companyId: ids.p1, targetMonth });
    expect(p1Es).toMatchObject({ endpointMonthlyUsage: 4, aLaCarteMonthlyUsage: 4, mspSecureMonthlyUsage: 0, encryptionMonthlyUsage: 0, sveVdiMonthlyUsage: 0 });
  });

  it('getLicenseInfo tells the subscription in force', async () => {
    const info = await ok(installationKey, 'licensing', 'getLicenseInfo', { companyId: ids.D });
    expect(info).toMatchObject({ subscribed: true, productType: 'edr', subscriptionType: 'monthly_subscription', reservedSlots: 5, licenceState: 'billable', billable: true });
  });

  it('getLicenseInfo answers from the same rule as the report: a trial that ended is converted (seed 000), one still running is a trial and not billed', async () => {
    // Seed 000: "If you don't do that at the end of the trial period it will be automatically converted to an active subscription."
    const converted = await ok(installationKey, 'companies', 'createCompany', { type: 1, name: 'Converted Co', parentId: ids.p1 });
    await ok(installationKey, 'licensing', 'setMonthlySubscription', {
      companyId: converted, productType: 'endpoint_security', subscriptionType: 'trial',
      effectiveFrom: new Date(now - 3_600_000).toISOString(), trialEndsAt: new Date(now - 60_000).toISOString(),
    });
    const info = await ok(installationKey, 'licensing', 'getLicenseInfo', { companyId: converted });
    expect(info).toMatchObject({ subscribed: true, subscriptionType: 'monthly_subscription', licenceState: 'billable', billable: true });
    const { body } = await c.api(`/api/v1/usage/monthly?month=${month}&companyId=${converted}`, installationKey);
    expect(body.rows[0].licenseType).toBe('monthly_subscription');
    expect((await c.api(`/api/v1/companies/${converted}/licence`, installationKey)).body).toMatchObject({ state: 'billable', licenseType: 'monthly_subscription' });

    const onTrial = await ok(installationKey, 'companies', 'createCompany', { type: 1, name: 'Trial Co', parentId: ids.p1 });
    await ok(installationKey, 'licensing', 'setMonthlySubscription', {
      companyId: onTrial, productType: 'endpoint_security', subscriptionType: 'trial', trialEndsAt: new Date(now + 40 * 86_400_000).toISOString(),
    });
    await c.storage.enrolment.enrolDevice({ deviceId: 'trial-dev', companyId: onTrial, keyHash: 'trial-dev', instanceId: 'trial-dev', hostname: 'trial-dev', facts: null, agentVersion: 't', nowMs: now });
    await c.storage.ingest.ingestUsage('trial-dev', onTrial, [{ stream: 's', seq: 1, utcDay: Math.floor((now + 1000) / 86_400_000), awakeSeconds: 600, bootId: 'b' }], [], now + 1000, latePolicyAt(now));
    expect(await ok(installationKey, 'licensing', 'getLicenseInfo', { companyId: onTrial })).toMatchObject({ subscribed: true, subscriptionType: 'trial', licenceState: 'trial', billable: false });
    const usage = await ok(installationKey, 'licensing', 'getMonthlyUsage', { companyId: onTrial, targetMonth });
    expect(usage).toMatchObject({ endpointMonthlyUsage: 1, billableEndpointMonthlyUsage: 0, unlicensedEndpointMonthlyUsage: 1, unlicensedEndpointsByReason: { trial: 1 } });
    expect(usage.billableMonthlyUsage).toMatchObject({ endpointMonthlyUsage: 0, licensedEndpointsMonthlyUsage: 0 });
    // The partner's figures are the sum of its subtree, unlicensed ones alike.
    const p1 = await ok(installationKey, 'licensing', 'getMonthlyUsage', { companyId: ids.p1, targetMonth });
    expect(p1).toMatchObject({ endpointMonthlyUsage: 5, billableEndpointMonthlyUsage: 4, unlicensedEndpointMonthlyUsage: 1 });
  });

  it.each([
    ['licensing', 'getMonthlyUsage', { companyId: 'x', targetMonth: '2026-10' }, -32602, /targetMonth/],
    ['licensing', 'getMonthlyUsage', { targetMonth: '10/2026' }, -32602, /companyId/],
    // The input is validated before anything is looked up (as on every surface): a bad product type is invalid whatever company it names.
    ['licensing', 'setMonthlySubscription', { companyId: 'x', productType: 'antivirus' }, -32602, /productType/],
    ['licensing', 'setMonthlySubscription', { companyId: 'x', productType: 'edr' }, -32000, /does not exist/],
    ['reports', 'createReport', { type: 7, targetIds: ['x'] }, -32602, /type/],
    ['licensing', 'fly', {}, -32601, /Method not found/],
    ['nothing', 'getMonthlyUsage', {}, -32601, /Method not found/],
  ])('%s.%s(%j) -> %i', async (service, method, params, code, message) => {
    const r = await rpc(installationKey, service, method, params);
    expect(r.body.id).toBe('call-1');
    expect(r.body.error.code).toBe(code);
    expect(r.body.error.message).toMatch(message);
  });

  it('answers a parse error, an invalid request and a batch as JSON-RPC 2.0 says', async () => {
    expect((await rpc(installationKey, 'licensing', '', undefined, '{"jsonrpc": "2.0", "method": ')).body.error.code).toBe(-32700);
    expect((await rpc(installationKey, 'licensing', '', undefined, '{"method": "getLicenseInfo", "id": 1}')).body.error.code).toBe(-32600);
    const batch = await rpc(installationKey, 'licensing', '', undefined, JSON.stringify([
      { jsonrpc: '2.0', method: 'getLicenseInfo', params: { companyId: ids.D }, id: 1 },
      { jsonrpc: '2.0', method: 'nope', id: 2 },
      { jsonrpc: '2.0', method: 'getLicenseInfo', params: { companyId: ids.D } }, // a notification: no answer
    ]));
    expect(batch.body.map((a: any) => a.id)).toEqual([1, 2]);
    expect(batch.body[1].error.code).toBe(-32601);
  });

  it("keeps partners apart: another partner's key finds nothing", async () => {
    const r = await rpc(keys.p2, 'licensing', 'getMonthlyUsage', { companyId: ids.D, targetMonth });
    expect(r.body.error.code).toBe(-32000);
    expect((await rpc(keys.p2, 'companies', 'createCompany', { type: 1, name: 'x', parentId: ids.p1 })).body.error.code).toBe(-32000);
  });

  it('createReport (type 13) and getDownloadLinks hand out a Monthly License Usage CSV with the right numbers', async () => {
    const reportId = await ok(installationKey, 'reports', 'createReport', { name: 'November', type: 13, targetIds: [ids.p1], options: { targetMonth, productType: 'edr' } });
    expect(typeof reportId).toBe('string');
    const links = await pollUntil(async () => {
      const l = await ok(installationKey, 'reports', 'getDownloadLinks', { reportId });
      return l.readyForDownload ? l : null;
    }, 20_000, 'report ready');
    const res = await fetch(links.lastInstanceUrl, { headers: { authorization: basic(installationKey) } });
    expect(res.status).toBe(200);
    const text = (await res.text()).replace(/^\uFEFF/, '');
    const rows = parse(text, { relax_column_count: true }) as string[][];
    const header = rows.find((r) => r.includes('Endpoint Usage'))!;
    const usageAt = header.indexOf('Endpoint Usage');
    const companyAt = header.indexOf('Company');
    const byCompany = Object.fromEntries(rows.filter((r) => r.length === header.length && r !== header).map((r) => [r[companyAt], r[usageAt]]));
    expect(byCompany['Customer D']).toBe('3');
    expect(byCompany['Partner 1']).toBe('3');
    expect(byCompany['Customer A']).toBe('0');
  });
});
