// An admin's device lifecycle through the REST API on a real collector (real
// SQLite, fixed clock): a move that reaches into a finalized month becomes an
// adjustment, a merge bills one machine once, an exclusion is listed and not
// billed (and not counted as unlicensed), a retired device is not billed
// after its retirement. Each refused case beside its legitimate one.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { latePolicyAt } from '../../../collector/src/ingest/late-policy.ts';
import { startTestCollector, type TestCollector } from '../../helpers/collector.ts';
import { rest, restOk } from '../../helpers/http.ts';

const DAY = 86_400_000;
let c: TestCollector;
let clock: number;
let key: string;
const ids: Record<string, string> = {};

/** A device at `companyId` with awake seconds on the given UTC days. */
async function device(id: string, companyId: string, days: number[]): Promise<void> {
  await c.storage.enrolment.enrolDevice({ deviceId: id, companyId, keyHash: `key-${id}`, instanceId: id, hostname: id, facts: null, agentVersion: 't', nowMs: clock });
  await c.storage.ingest.ingestUsage(id, companyId, days.map((utcDay, i) => ({ stream: `s-${id}`, seq: i + 1, utcDay, awakeSeconds: 3_600, bootId: 'b' })), [], clock, latePolicyAt(clock));
}

const monthly = async (month: string, productType = 'endpoint_security') => {
  const r = await restOk(c.url, key, 'GET', `/usage/monthly?month=${month}&productType=${productType}&includeDevices=true`);
  return (companyId: string) => r.rows.find((x: { companyId: string }) => x.companyId === companyId);
};

beforeEach(async () => {
  clock = Date.UTC(2026, 11, 10, 12); // 10 December 2026: November is past its grace window
  c = await startTestCollector({ now: () => clock });
  key = await c.apiKey();
  ids.partner = (await restOk(c.url, key, 'POST', '/companies', { name: 'MSP', type: 'partner' })).id;
  for (const name of ['dental', 'legal']) {
    ids[name] = (await restOk(c.url, key, 'POST', '/companies', { name, type: 'customer', parentId: ids.partner })).id;
    await restOk(c.url, key, 'POST', `/companies/${ids[name]}/subscriptions`, { productType: 'endpoint_security', effectiveFrom: '2026-10-01T00:00:00Z' });
  }
});
afterEach(async () => {
  await c.dispose();
});

const NOV = (d: number) => Date.UTC(2026, 10, d) / DAY;
const DEC = (d: number) => Date.UTC(2026, 11, d) / DAY;

describe('moving a device', () => {
  it('re-attributes its days from the move on; into a finalized month it becomes an adjustment of that month', async () => {
    await device('pc-1', ids.dental, [NOV(20), NOV(25), DEC(2)]);
    await restOk(c.url, key, 'POST', '/months/2026-11/close', {});
    const before = await monthly('2026-11');
    expect(before(ids.dental).own.endpointUsage).toBe(1);
    const moved = await restOk(c.url, key, 'POST', '/devices/pc-1/move', { companyId: ids.legal, from: '2026-11-22T00:00:00Z' });
    expect(moved).toMatchObject({ fromCompanyId: ids.dental, daysMoved: 2, finalizedMonthsAdjusted: ['2026-11'] });
    await c.closer.processLateData();
    const month = await restOk(c.url, key, 'GET', '/months/2026-11');
    const lines = month.adjustments.flatMap((a: { lines: { companyId: string; column: string; delta: number }[] }) => a.lines).filter((l: { column: string }) => l.column === 'endpointUsage');
    expect(lines).toEqual(expect.arrayContaining([
      expect.objectContaining({ companyId: ids.dental, delta: -1 }), expect.objectContaining({ companyId: ids.legal, delta: 1 }),
    ]));
    const december = await monthly('2026-12');
    expect([december(ids.dental).own.endpointUsage, december(ids.legal).own.endpointUsage]).toEqual([0, 1]);
  });

  it('refuses a move to a partner, to the same company, into the future or beyond the adjustment window', async () => {
    await device('pc-1', ids.dental, [DEC(2)]);
    expect((await rest(c.url, key, 'POST', '/devices/pc-1/move', { companyId: ids.partner })).body.error).toMatchObject({ code: 'invalid_request', field: 'companyId' });
    expect((await rest(c.url, key, 'POST', '/devices/pc-1/move', { companyId: ids.dental })).body.error.code).toBe('conflict');
    expect((await rest(c.url, key, 'POST', '/devices/pc-1/move', { companyId: ids.legal, from: '2026-12-11T00:00:00Z' })).body.error.field).toBe('from');
    expect((await rest(c.url, key, 'POST', '/devices/pc-1/move', { companyId: ids.legal, from: '2026-09-01T00:00:00Z' })).body.error.field).toBe('from');
    expect((await restOk(c.url, key, 'GET', '/devices')).devices[0].companyId).toBe(ids.dental);
  });
});

describe('merging two records of one machine', () => {
  it('bills the machine once: a shared day is folded (seconds added up to a day), the duplicate leaves the listing', async () => {
    await device('old', ids.dental, [DEC(1), DEC(3)]);
    await device('new', ids.dental, [DEC(3), DEC(5)]);
    expect((await monthly('2026-12'))(ids.dental).own.endpointUsage).toBe(2);
    const merged = await restOk(c.url, key, 'POST', '/devices/old/merge', { duplicateId: 'new' });
    expect(merged).toMatchObject({ daysFolded: 1, keys: 'both' });
    const row = (await monthly('2026-12'))(ids.dental);
    expect(row.own.endpointUsage).toBe(1);
    expect(row.devices).toEqual([expect.objectContaining({ deviceId: 'old', activeDays: 3, awakeSeconds: 4 * 3_600 })]);
    expect((await restOk(c.url, key, 'GET', '/devices')).devices.map((d: { id: string }) => d.id)).toEqual(['old']);
    // The duplicate's key still works, as the survivor.
    expect(await c.storage.enrolment.findDeviceByKeyHash('key-new')).toMatchObject({ deviceId: 'old' });
  });

  it('refuses merging a device into itself, twice, or with a device out of scope', async () => {
    await device('a', ids.dental, [DEC(1)]);
    await device('b', ids.dental, [DEC(1)]);
    expect((await rest(c.url, key, 'POST', '/devices/a/merge', { duplicateId: 'a' })).body.error.code).toBe('invalid_request');
    await restOk(c.url, key, 'POST', '/devices/a/merge', { duplicateId: 'b', keys: 'survivor' });
    expect((await rest(c.url, key, 'POST', '/devices/a/merge', { duplicateId: 'b' })).body.error.code).toBe('conflict');
    expect(await c.storage.enrolment.findDeviceByKeyHash('key-b')).toBeNull(); // its key was revoked
  });
});

describe('excluding a device from billing', () => {
  it('keeps it in the usage columns and listed as excluded with the reason, bills it no more, and does not call it unlicensed', async () => {
    await device('lab', ids.dental, [DEC(1), DEC(2)]);
    await device('desk', ids.dental, [DEC(2)]);
    await restOk(c.url, key, 'POST', '/devices/lab/exclusion', { reason: 'the MSP lab machine' });
    const row = (await monthly('2026-12'))(ids.dental);
    expect(row.own.endpointUsage).toBe(2);
    expect(row.billable.own.endpointUsage).toBe(1);
    expect(row.unlicensed.own.endpoints).toBe(0);
    expect(row.devices.find((d: { deviceId: string }) => d.deviceId === 'lab').billingNote).toBe('excluded from billing by an admin: the MSP lab machine');
    expect((await restOk(c.url, key, 'GET', '/devices')).devices.find((d: { id: string }) => d.id === 'lab')).toMatchObject({ status: 'excluded', excludedReason: 'the MSP lab machine' });
    const explain = await restOk(c.url, key, 'GET', '/usage/explain?month=2026-12&deviceId=lab');
    expect(explain.days.every((d: { billable: boolean; excluded: string }) => !d.billable && d.excluded === 'the MSP lab machine')).toBe(true);
  });

  it('refuses an exclusion without a reason, in a finalized month, or twice; ending it bills the device again from the next day', async () => {
    await device('lab', ids.dental, [DEC(1)]);
    await restOk(c.url, key, 'POST', '/months/2026-11/close', {});
    expect((await rest(c.url, key, 'POST', '/devices/lab/exclusion', {})).body.error.field).toBe('reason');
    expect((await rest(c.url, key, 'POST', '/devices/lab/exclusion', { reason: 'old', fromMonth: '2026-11' })).body.error.code).toBe('conflict');
    await restOk(c.url, key, 'POST', '/devices/lab/exclusion', { reason: 'lab' });
    expect((await rest(c.url, key, 'POST', '/devices/lab/exclusion', { reason: 'again' })).body.error.code).toBe('conflict');
    await restOk(c.url, key, 'DELETE', '/devices/lab/exclusion');
    clock += DAY;
    await c.storage.ingest.ingestUsage('lab', ids.dental, [{ stream: 's-lab', seq: 2, utcDay: DEC(11), awakeSeconds: 600, bootId: 'b' }], [], clock, latePolicyAt(clock));
    expect((await monthly('2026-12'))(ids.dental).billable.own.endpointUsage).toBe(1);
    expect((await rest(c.url, key, 'DELETE', '/devices/lab/exclusion')).body.error.code).toBe('conflict');
  });
});

describe('retiring a device', () => {
  it('bills the days up to its retirement, none after', async () => {
    await device('gone', ids.dental, [DEC(1)]);
    await restOk(c.url, key, 'POST', '/devices/gone/retire', {});
    expect((await monthly('2026-12'))(ids.dental).billable.own.endpointUsage).toBe(1);
    // Rows after the retirement (late data the machine sent before it went) are shown, not billed.
    await c.storage.ingest.ingestUsage('gone', ids.dental, [{ stream: 's-gone', seq: 2, utcDay: DEC(11), awakeSeconds: 600, bootId: 'b' }], [], clock + DAY, latePolicyAt(clock));
    const explain = await restOk(c.url, key, 'GET', '/usage/explain?month=2026-12&deviceId=gone');
    expect(explain.days.map((d: { verdict: string }) => d.verdict)).toEqual(['counted', 'after_retire']);
  });
});
