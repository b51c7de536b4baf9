// A company inactivated on the 5th and reactivated on the 12th: the days in
// between stay unbilled when the month is computed after the reactivation
// (the inactive period is kept, not forgotten with inactive_since). Real
// collector, real SQLite, fixed clock, through the REST API.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { latePolicyAt } from '../../../collector/src/ingest/late-policy.ts';
import { startTestCollector, type TestCollector } from '../../helpers/collector.ts';
import { restOk } from '../../helpers/http.ts';

const DAY = 86_400_000;
const NOV = (d: number, h = 0) => Date.UTC(2026, 10, d, h);
let c: TestCollector;
let clock: number;
let key: string;
let customer: string;

beforeEach(async () => {
  clock = NOV(1, 1);
  c = await startTestCollector({ now: () => clock });
  key = await c.apiKey();
  customer = (await restOk(c.url, key, 'POST', '/companies', { name: 'Acme', type: 'customer' })).id;
  await restOk(c.url, key, 'POST', `/companies/${customer}/subscriptions`, { productType: 'endpoint_security', effectiveFrom: '2026-10-01T00:00:00Z' });
  await c.storage.enrolment.enrolDevice({ deviceId: 'pc', companyId: customer, keyHash: 'k', instanceId: 'i', hostname: 'pc', facts: null, agentVersion: 't', nowMs: clock });
});
afterEach(async () => {
  await c.dispose();
});

const activeOn = async (days: number[]) => c.storage.ingest.ingestUsage('pc', customer,
  days.map((d, i) => ({ stream: `s${d}`, seq: i + 1, utcDay: NOV(d) / DAY, awakeSeconds: 600, bootId: 'b' })), [], clock, latePolicyAt(clock));

describe('reactivation', () => {
  it('keeps the inactive period: a device active only while the company was inactive is unlicensed, and stays so after the reactivation', async () => {
    clock = NOV(5, 12);
    await restOk(c.url, key, 'PATCH', `/companies/${customer}`, { active: false });
    await activeOn([7, 8, 9]); // late data of the inactive days (the agent metered them; it was refused meanwhile)
    clock = NOV(12, 12);
    await restOk(c.url, key, 'PATCH', `/companies/${customer}`, { active: true });
    const row = (await restOk(c.url, key, 'GET', '/usage/monthly?month=2026-11')).rows.find((r: { companyId: string }) => r.companyId === customer);
    expect(row.own.endpointUsage).toBe(1);
    expect(row.billable.own.endpointUsage).toBe(0);
    expect(row.unlicensed.own.byReason.inactive).toBe(1);
    // Active again after the reactivation: billed.
    await activeOn([13]);
    const after = (await restOk(c.url, key, 'GET', '/usage/monthly?month=2026-11')).rows.find((r: { companyId: string }) => r.companyId === customer);
    expect(after.billable.own.endpointUsage).toBe(1);
    const explain = await restOk(c.url, key, 'GET', '/usage/explain?month=2026-11&deviceId=pc');
    expect(explain.days.map((d: { date: string; licence: string }) => `${d.date} ${d.licence}`)).toEqual([
      '2026-11-07 inactive', '2026-11-08 inactive', '2026-11-09 inactive', '2026-11-13 billable',
    ]);
  });
});
