// The admin API for tenancy, subscriptions and monthly usage, over HTTP on
// loopback against real SQLite.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ErrorCode, utcDayOf } from '../../../proto/index.ts';
import { latePolicyAt } from '../../../collector/src/ingest/late-policy.ts';
import { connectRaw } from '../../helpers/raw-agent.ts';
import { startTestCollector, type TestCollector } from '../../helpers/collector.ts';
import { reportedFacts } from '../../../collector/src/devices/attributes.ts';

let c: TestCollector;
let key: string;

beforeEach(async () => {
  c = await startTestCollector();
  key = await c.apiKey();
});
afterEach(async () => {
  await c.dispose();
});

async function call(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(`${c.url}/api/v1${path}`, {
    method, headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

describe('companies', () => {
  it('builds a partner/customer tree with paths, and refuses children under a customer', async () => {
    const partner = await call('POST', '/companies', { name: 'Partner 1', type: 'partner' });
    expect(partner.status).toBe(201);
    const customer = await call('POST', '/companies', { name: 'Customer A', type: 'customer', parentId: partner.body.id, externalId: 'PSA-17' });
    expect(customer.status).toBe(201);
    expect(customer.body.path).toEqual([partner.body.id, customer.body.id]);
    expect(customer.body.externalId).toBe('PSA-17');
    const nested = await call('POST', '/companies', { name: 'Nope', type: 'customer', parentId: customer.body.id });
    expect(nested.status).toBe(409);
    expect(nested.body.error.message).toMatch(/only partners have companies below them/);
    expect((await call('POST', '/companies', { name: 'X', type: 'customer', parentId: 'missing' })).status).toBe(404);
  });

  it.each([
    [{ type: 'customer' }, /name/],
    [{ name: 'A', type: 'reseller' }, /type/],
    [{ name: 'A', type: 'customer', colour: 'red' }, /colour|Unrecognized/],
  ])('refuses %j with 400 naming the field', async (body, field) => {
    const r = await call('POST', '/companies', body);
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('invalid_request');
    expect(r.body.error.message).toMatch(field);
  });

  it('refuses a body that is not JSON', async () => {
    const res = await fetch(`${c.url}/api/v1/companies`, { method: 'POST', headers: { authorization: `Bearer ${key}` }, body: '{"name":' });
    expect(res.status).toBe(400);
    expect(((await res.json()) as any).error.message).toMatch(/not valid JSON/);
  });

  it('inactivating a customer refuses its agents; reactivating lets them back', async () => {
    const { token, companyId } = await c.enrolmentToken('Soon Gone');
    const off = await call('PATCH', `/companies/${companyId}`, { active: false });
    expect(off.body.active).toBe(false);
    expect(off.body.inactiveSince).not.toBeNull();
    const refused = await connectRaw(c.wsUrl, token);
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.code).toBe('company_inactive');
    await call('PATCH', `/companies/${companyId}`, { active: true });
    const back = await connectRaw(c.wsUrl, token);
    expect(back.ok).toBe(true);
    if (back.ok) back.agent.close();
  });

  it('inactivating a partner refuses its whole subtree\'s agents: enrolment, device-key upgrades and hellos; a company in another tree is not affected; reactivating lets them back', async () => {
    const partner = (await call('POST', '/companies', { name: 'Partner Gone', type: 'partner' })).body;
    const customer = (await call('POST', '/companies', { name: 'Under Gone', type: 'customer', parentId: partner.id })).body;
    const elsewhere = (await call('POST', '/companies', { name: 'Elsewhere', type: 'customer' })).body;
    const token = (await call('POST', `/companies/${customer.id}/enrolment-tokens`, {})).body.token;
    const otherToken = (await call('POST', `/companies/${elsewhere.id}/enrolment-tokens`, {})).body.token;
    // An agent enrols while everything is active.
    const enrolling = await connectRaw(c.wsUrl, token);
    if (!enrolling.ok) throw new Error('enrolment refused');
    enrolling.agent.send({ hello: { agentVersion: '0.1.0', instanceId: 'sub-1', facts: { hostname: 'under-1' } } });
    const deviceKey = (await enrolling.agent.next()).welcome!.deviceKey!;
    enrolling.agent.close();
    // A connection upgraded before the inactivation, whose hello comes after it.
    const open = await connectRaw(c.wsUrl, deviceKey);
    if (!open.ok) throw new Error('device key refused');

    expect((await call('PATCH', `/companies/${partner.id}`, { active: false })).status).toBe(200);
    open.agent.send({ hello: { agentVersion: '0.1.0', instanceId: 'sub-1', facts: { hostname: 'under-1' } } });
    expect((await open.agent.next()).error).toMatchObject({ code: ErrorCode.COMPANY_INACTIVE });
    expect(await open.agent.closed).toMatchObject({ code: 4403, reason: 'company_inactive' });
    for (const secret of [deviceKey, token]) {
      const refused = await connectRaw(c.wsUrl, secret);
      expect(refused.ok).toBe(false);
      if (!refused.ok) expect({ status: refused.status, code: refused.code, message: JSON.parse(refused.body).error.message })
        .toEqual({ status: 403, code: 'company_inactive', message: expect.stringMatching(/partner above/) });
    }
    // A company outside the inactivated partner's tree keeps enrolling.
    const other = await connectRaw(c.wsUrl, otherToken);
    expect(other.ok).toBe(true);
    if (other.ok) other.agent.close();
    // The licence says so too, for billing (one rule).
    expect((await call('GET', `/companies/${customer.id}/licence`)).body).toMatchObject({ state: 'inactive', inactiveCompanyId: partner.id });

    await call('PATCH', `/companies/${partner.id}`, { active: true });
    const back = await connectRaw(c.wsUrl, deviceKey);
    expect(back.ok).toBe(true);
    if (back.ok) {
      back.agent.send({ hello: { agentVersion: '0.1.0', instanceId: 'sub-1', facts: { hostname: 'under-1' } } });
      expect((await back.agent.next()).welcome).toBeTruthy();
      back.agent.close();
    }
  });
});

describe('users, groups and subscriptions', () => {
  it('creates groups, users in them, and a subscription attached to a group', async () => {
    const co = (await call('POST', '/companies', { name: 'Dental', type: 'customer' })).body;
    const group = (await call('POST', `/companies/${co.id}/user-groups`, { name: 'Clinicians' })).body;
    expect((await call('POST', `/companies/${co.id}/user-groups`, { name: 'Clinicians' })).status).toBe(409);
    const badUser = await call('POST', `/companies/${co.id}/users`, { externalId: 'alice@dental.example', groupIds: ['nope'] });
    expect(badUser.status).toBe(400);
    expect((await call('GET', `/companies/${co.id}/users`)).body.users).toEqual([]); // nothing half-made
    const user = await call('POST', `/companies/${co.id}/users`, { externalId: 'alice@dental.example', groupIds: [group.id] });
    expect(user.status).toBe(201);
    expect(user.body.groupIds).toEqual([group.id]);

    const sub = await call('POST', `/companies/${co.id}/subscriptions`, {
      productType: 'endpoint_security', protectionModel: 'secure', addOns: { encryption: true }, reservedSeats: 10,
      attachment: { customer: false, userGroupIds: [group.id] },
    });
    expect(sub.status).toBe(201);
    expect(sub.body).toMatchObject({ protectionModel: 'secure', reservedSeats: 10, minimumUsage: null, endDate: null, attachment: { customer: false, userGroupIds: [group.id] } });
    expect(sub.body.licenseKey).toMatch(/^[0-9A-F]{4}(-[0-9A-F]{4}){3}$/);
    const versions = (await call('GET', `/companies/${co.id}/subscriptions`)).body.versions;
    expect(versions).toHaveLength(1);
  });

  it('validates subscriptions: a trial needs its end, and versions cannot go back in time', async () => {
    const co = (await call('POST', '/companies', { name: 'Trial Co', type: 'customer' })).body;
    const noEnd = await call('POST', `/companies/${co.id}/subscriptions`, { productType: 'edr', licenseType: 'trial' });
    expect(noEnd.status).toBe(400);
    expect(noEnd.body.error.message).toMatch(/trialEndsAt/);
    const trial = await call('POST', `/companies/${co.id}/subscriptions`, { productType: 'edr', licenseType: 'trial', trialEndsAt: new Date(Date.now() + 14 * 86_400_000).toISOString() });
    expect(trial.status).toBe(201);
    const older = await call('POST', `/companies/${co.id}/subscriptions`, { subscriptionId: trial.body.subscriptionId, productType: 'edr', effectiveFrom: '2020-01-01T00:00:00Z' });
    expect(older.status).toBe(409);
    // "You can always manually change the subscription type from in_trial to active anytime during the trial period." (seed 000)
    const activated = await call('POST', `/subscriptions/${trial.body.subscriptionId}/activate`);
    expect(activated.status).toBe(201);
    expect(activated.body.trialConvertedAt).not.toBeNull();
    expect((await call('POST', `/subscriptions/${trial.body.subscriptionId}/activate`)).status).toBe(409);
  });
});

describe('usage endpoints', () => {
  it('answers the monthly report, explain and forecast; refuses to close the open month', async () => {
    const co = (await call('POST', '/companies', { name: 'Billed Co', type: 'customer' })).body;
    await call('POST', `/companies/${co.id}/subscriptions`, { productType: 'endpoint_security', effectiveFrom: new Date(Date.UTC(2020, 0, 1)).toISOString() });
    const now = Date.now();
    await c.storage.enrolment.enrolDevice({ deviceId: 'dev-1', companyId: co.id, keyHash: 'k', instanceId: 'i', hostname: 'pc', facts: null, agentVersion: 't', nowMs: now });
    await c.storage.ingest.ingestUsage('dev-1', co.id, [{ stream: 's', seq: 1, utcDay: utcDayOf(now), awakeSeconds: 3600, bootId: 'b' }], [], now, latePolicyAt(now));
    const month = new Date(now).toISOString().slice(0, 7);

    const monthly = await call('GET', `/usage/monthly?month=${month}`);
    expect(monthly.status).toBe(200);
    expect(monthly.body.status).toBe('open');
    const row = monthly.body.rows.find((r: any) => r.companyId === co.id);
    expect(row.own.endpointUsage).toBe(1);
    expect(row.devices).toBeUndefined();
    expect(row.deviceCount).toBe(1);
    const withDevices = await call('GET', `/usage/monthly?month=${month}&includeDevices=true&companyId=${co.id}`);
    expect(withDevices.body.rows).toHaveLength(1);
    expect(withDevices.body.rows[0].devices[0].deviceId).toBe('dev-1');

    const explain = await call('GET', `/usage/explain?month=${month}&deviceId=dev-1`);
    expect(explain.status).toBe(200);
    expect(explain.body.days[0].awakeSeconds).toBe(3600);
    expect((await call('GET', `/usage/explain?month=${month}&deviceId=nobody`)).status).toBe(404);

    const forecast = await call('GET', `/usage/forecast?companyId=${co.id}`);
    expect(forecast.status).toBe(200);
    expect(forecast.body.rows[0].soFar.endpointUsage).toBe(1);

    const close = await call('POST', `/months/${month}/close`, {});
    expect(close.status).toBe(409);
    expect(close.body.error.code).toBe('month_not_closable');
    expect((await call('GET', `/months/${month}`)).body.status).toBe('open');
  });

  it.each(['/usage/monthly', '/usage/monthly?month=2026-13', '/usage?month=0000-01', '/usage/monthly?month=1969-12', '/usage/monthly?month=2026-11&productType=antivirus', '/usage/explain?month=2026-11', '/months/11-2026'])(
    '%s is 400 invalid_request', async (path) => {
      const r = await call('GET', path);
      expect(r.status).toBe(400);
      expect(r.body.error.code).toBe('invalid_request');
    });
});

describe('listing retention (seed 000)', () => {
  it('hides devices inactive for 90 days and users inactive for 150 days, unless asked; billing rows stay', async () => {
    const DAY = 86_400_000;
    const { companyId } = await c.enrolmentToken('Old Devices');
    const now = Date.now();
    const enrol = (id: string, seenMs: number) => c.storage.enrolment.enrolDevice({ deviceId: id, companyId, keyHash: id, instanceId: id, hostname: id, facts: null, agentVersion: 't', nowMs: seenMs });
    await enrol('seen-89-days-ago', now - 89 * DAY);
    await enrol('seen-91-days-ago', now - 91 * DAY);
    const listed = (await call('GET', '/devices')).body.devices.map((d: any) => d.id);
    expect(listed).toEqual(['seen-89-days-ago']);
    expect((await call('GET', '/devices?includeRetired=true')).body.devices).toHaveLength(2);

    await c.storage.enrolment.enrolDevice({ deviceId: 'u-dev', companyId, keyHash: 'u', instanceId: 'u', hostname: 'u', agentVersion: 't', nowMs: now - 151 * DAY,
      facts: reportedFacts({ hostname: 'u', users: [{ userId: 'S-1-5-21-9-1', primary: true }] }) });
    await c.storage.enrolment.enrolDevice({ deviceId: 'v-dev', companyId, keyHash: 'v', instanceId: 'v', hostname: 'v', agentVersion: 't', nowMs: now - 149 * DAY,
      facts: reportedFacts({ hostname: 'v', users: [{ userId: 'S-1-5-21-9-2', primary: true }] }) });
    const users = (await call('GET', `/companies/${companyId}/users`)).body.users.map((u: any) => u.externalId);
    expect(users).toEqual(['S-1-5-21-9-2']);
    expect((await call('GET', `/companies/${companyId}/users?includeRetired=true`)).body.users).toHaveLength(2);
  });
});
