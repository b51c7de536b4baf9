// The readers of a month's raw device rows (the forecast, the PDF chart, the
// console's usage chart and device list) read device by device through
// MonthReader.monthDevices, against the same figures computed in memory from
// every device-day row of the month (the billing oracle, test/helpers/billing-oracle.ts). Real SQLite, fixed clock,
// pages of 2 devices so every reader crosses page boundaries.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../common/log.ts';
import type { IDeviceFacts } from '../../../proto/index.ts';
import { forecastEndpointUsage, parseMonth, type SubscriptionVersion } from '../../../collector/src/billing/index.ts';
import { NO_DEVICE_FILTERS, dailyChart, dailyChartOf, deviceRows, type MonthRowsOf } from '../../../collector/src/console/data.ts';
import { dailyAddOnUsage, loadReportInput, validateReportOptions } from '../../../collector/src/reports/index.ts';
import { rowsByDevice } from '../../../collector/src/billing/index.ts';
import { openSqliteStorage } from '../../../collector/src/storage/sqlite/index.ts';
import type { MonthDeviceRows, Storage } from '../../../collector/src/storage/types.ts';
import { MonthReader } from '../../../collector/src/usage/index.ts';
import { sqliteBillingInputs } from '../../helpers/billing-oracle.ts';
import { Seeder } from '../../helpers/seed.ts';

const DAY = 86_400_000;
const NOV_1 = Date.UTC(2026, 10, 1);
const dayOf = (ms: number) => Math.floor(ms / DAY);
const MONTH = '2026-11';

let dir: string;
let storage: Storage;
let now: number;
let seed: Seeder;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tally-readers-'));
  now = Date.UTC(2026, 10, 20, 15);
  storage = openSqliteStorage({ path: join(dir, 't.db'), nowMs: now });
  seed = new Seeder(storage, () => now);
});
afterEach(async () => {
  await storage.close();
  rmSync(dir, { recursive: true, force: true });
});

const serviceOver = (pageDevices = 2) =>
  new MonthReader({ billing: storage.billing, now: () => now, graceHours: 72, monthPageDevices: pageDevices });

/** The add-ons on in every company's subscription here, so the lines compared carry their columns. */
const ADD_ONS = { encryption: true, patchManagement: true, containerProtection: true, ats: true, edr: true, sve: true, integrityMonitoring: null, xdr: [] };

const company = (id: string, type: 'partner' | 'customer', parentId: string | null, sub?: Partial<SubscriptionVersion>) =>
  seed.company(`Company ${id}`, { id, type, parentId, atMs: NOV_1 - 90 * DAY, subscription: sub && { ...sub, addOns: ADD_ONS } });

const facts = (hostname: string, modules: string[], extra: Partial<IDeviceFacts> = {}): IDeviceFacts => ({
  hostname, os: { platform: 'windows' }, virtualization: { virtual: false }, role: { role: 'workstation' },
  modules: modules.map((name) => ({ name, installed: true })), ...extra,
});

const device = (id: string, companyId: string, f: IDeviceFacts) => seed.device(companyId, { id, facts: f, hostname: id, atMs: NOV_1 - 40 * DAY });

const awake = (deviceId: string, companyId: string, dayMs: number, seconds: number) => seed.awake(deviceId, companyId, dayMs, seconds);

/**
 * A partner over four customers (D on EDR, E inactivated mid-month), and what
 * a device-by-device reader can get wrong: devices with add-ons on several
 * days, one that moved from A to B, one asleep all month, one uninstalled
 * before the month and one during it, rows of the month before, devices at
 * several companies on one page.
 */
async function seedMonth() {
  await company('p1', 'partner', null, { licenseType: 'monthly_license' });
  await company('a', 'customer', 'p1', { minimumUsage: 5 });
  await company('b', 'customer', 'p1', {});
  await company('c', 'customer', 'p1', {});
  await company('d', 'customer', 'p1', { productType: 'edr' });
  await company('e', 'customer', 'p1', {});
  const enc = ['antimalware', 'full_disk_encryption'];
  const lots = ['antimalware', 'full_disk_encryption', 'patch_management', 'hyperdetect', 'edr_sensor', 'container_protection'];
  for (const [id, co, modules, days] of [
    ['a-1', 'a', enc, [0, 1, 2, 3, 10, 19]],
    ['a-2', 'a', lots, [2, 3, 4]],
    ['a-3', 'a', ['antimalware'], [5, 6]],
    ['b-1', 'b', lots, [0, 15, 16, 17, 18, 19]],
    ['c-1', 'c', enc, [1, 2, 3, 4, 5, 6, 7, 8, 9]],
    ['d-1', 'd', ['antimalware', 'edr_sensor'], [0, 1, 7]],
    ['d-2', 'd', ['antimalware', 'edr_sensor', 'sandbox_analyzer'], [3]],
    ['e-1', 'e', enc, [0, 5, 12]],
  ] as const) {
    await device(id, co, facts(id, [...modules]));
    for (const d of days) await awake(id, co, NOV_1 + d * DAY, 3600 + d);
  }
  // A row of October: outside the month.
  await awake('a-1', 'a', NOV_1 - DAY, 5000);
  await awake('c-1', 'c', NOV_1 - 2 * DAY, 100);
  // Moved from A to B on the 10th: rows at both, billed once at B.
  await device('m-1', 'a', facts('m-1', lots));
  await awake('m-1', 'a', NOV_1 + DAY, 600);
  await awake('m-1', 'a', NOV_1 + 4 * DAY, 600);
  await awake('m-1', 'b', NOV_1 + 10 * DAY, 600);
  await awake('m-1', 'b', NOV_1 + 11 * DAY, 600);
  // Asleep all month.
  await awake(await device('s-1', 'c', facts('s-1', enc)), 'c', NOV_1 + 4 * DAY, 0);
  // Uninstalled before the month, and on the 8th.
  await device('u-1', 'c', facts('u-1', lots));
  await storage.ingest.recordEvents('u-1', [{ stream: 'ev', seq: 1, occurredAtMs: NOV_1 - DAY, kind: 'uninstalled', payload: {} }], now);
  await awake('u-1', 'c', NOV_1 + 5 * DAY, 900);
  await device('u-2', 'b', facts('u-2', lots));
  for (const d of [3, 6, 9, 12]) await awake('u-2', 'b', NOV_1 + d * DAY, 1200);
  await storage.ingest.recordEvents('u-2', [{ stream: 'ev', seq: 1, occurredAtMs: NOV_1 + 8 * DAY + 3_600_000, kind: 'uninstalled', payload: {} }], now);
  // Enrolled, never awake this month: no rows.
  await device('z-1', 'a', facts('z-1', enc));
  await storage.tenancy.setCompanyActive('e', false, NOV_1 + 9 * DAY);
}

async function allPages(pages: AsyncIterable<MonthDeviceRows[]>): Promise<MonthDeviceRows[][]> {
  const out: MonthDeviceRows[][] = [];
  for await (const page of pages) out.push(page);
  return out;
}

describe('MonthReader.monthDevices', () => {
  it('gives every device-day row of the month once, device by device in id order, pages of 2', async () => {
    await seedMonth();
    const m = parseMonth(MONTH);
    const pages = await allPages(serviceOver().monthDevices(MONTH));
    expect(pages.length).toBeGreaterThan(4);
    expect(pages.every((p) => p.length <= 2)).toBe(true);
    const devices = pages.flat();
    const ids = devices.map((d) => d.deviceId);
    expect(ids).toEqual([...ids].sort());
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).not.toContain('z-1');
    const key = (r: { deviceId: string; utcDay: number }) => `${r.deviceId}/${r.utcDay}`;
    const { deviceDays } = await sqliteBillingInputs(join(dir, 't.db'), m.id, m.firstDay, m.endDay);
    const streamed = devices.flatMap((d) => d.days);
    expect(streamed.every((r, i, all) => i === 0 || all[i - 1].deviceId !== r.deviceId || all[i - 1].utcDay < r.utcDay)).toBe(true);
    expect([...streamed].sort((a, b) => key(a).localeCompare(key(b)))).toEqual([...deviceDays].sort((a, b) => key(a).localeCompare(key(b))));
    expect(devices.find((d) => d.deviceId === 'm-1')!.currentCompanyId).toBe('a');
    // Narrowed to some devices, as the device list reads them.
    const some = (await allPages(serviceOver().monthDevices(MONTH, { deviceIds: ['u-2', 'a-1', 'z-1', 'nope'] }))).flat();
    expect(some.map((d) => d.deviceId)).toEqual(['a-1', 'u-2']);
  });

  it('refuses a malformed month', async () => {
    await expect(allPages(serviceOver().monthDevices('2026-13'))).rejects.toMatchObject({ code: 'invalid_request', field: 'month' });
  });
});

describe('the forecast read device by device', () => {
  it('equals the forecast computed in memory from every row of the month, at several instants and page sizes', async () => {
    await seedMonth();
    const m = parseMonth(MONTH);
    const inputs = await sqliteBillingInputs(join(dir, 't.db'), m.id, m.firstDay, m.endDay);
    for (const at of [Date.UTC(2026, 10, 20, 15), Date.UTC(2026, 10, 1, 6), Date.UTC(2026, 10, 2, 0), Date.UTC(2026, 10, 11, 23, 59), Date.UTC(2026, 10, 30, 23)]) {
      now = at;
      for (const productType of ['endpoint_security', 'edr'] as const) {
        const expected = forecastEndpointUsage({ ...inputs, month: MONTH, productType, nowMs: at });
        for (const pageDevices of [1, 2, 1000]) {
          expect(await serviceOver(pageDevices).forecast(productType), `${new Date(at).toISOString()} ${productType} pages of ${pageDevices}`).toEqual(expected);
        }
      }
    }
    now = Date.UTC(2026, 10, 20, 15);
    const f = await serviceOver().forecast('endpoint_security');
    const a = f.rows.find((r) => r.companyId === 'a')!;
    expect(a.soFar.licensedEndpoints).toBe(3); // a-1, a-2, a-3 (m-1 is billed at B)
    expect(a.soFar.endpointUsage).toBe(2); // a-2 has Container Protection
    expect(a.forecastOwn.billableEndpointUsage).toBe(5); // the minimum
    expect(f.rows.find((r) => r.companyId === 'b')!.soFar.licensedEndpoints).toBe(3); // b-1, m-1, u-2 (active before its uninstall)
  });
});

describe('the charts read device by device', () => {
  it('the PDF add-on chart equals dailyAddOnUsage over every row of the month, for the partner and for customers', async () => {
    await seedMonth();
    const m = parseMonth(MONTH);
    const { deviceDays } = await sqliteBillingInputs(join(dir, 't.db'), m.id, m.firstDay, m.endDay);
    const service = serviceOver();
    for (const productType of ['endpoint_security', 'edr'] as const) {
      const { report } = await service.monthlyReport(MONTH, productType);
      const inReport = new Set(report.rows.filter((r) => r.inReport).map((r) => r.companyId));
      for (const [target, subtree] of [['p1', ['p1', 'a', 'b', 'c', 'd', 'e']], ['a', ['a']], ['b', ['b']], ['d', ['d']]] as const) {
        const checked = validateReportOptions({ companyId: target, month: MONTH, productType });
        if (!checked.ok) throw new Error(JSON.stringify(checked.error));
        const input = await loadReportInput({ adminRead: storage.adminRead, reader: service, now: () => now }, checked.value, 'pdf');
        const expected = dailyAddOnUsage(MONTH, deviceDays, new Set(subtree.filter((id) => inReport.has(id))));
        expect(input.dailyAddOnUsage, `${productType} ${target}`).toEqual(expected);
      }
    }
    const { report } = await service.monthlyReport(MONTH, 'endpoint_security');
    const checked = validateReportOptions({ companyId: 'p1', month: MONTH, productType: 'endpoint_security' });
    if (!checked.ok) throw new Error('options');
    const chart = (await loadReportInput({ adminRead: storage.adminRead, reader: service, now: () => now }, checked.value, 'pdf')).dailyAddOnUsage!;
    expect(report.rows.length).toBeGreaterThan(0);
    // The 4th (index 3): a-2 and u-2 (before its uninstall) have Patch Management; they, a-1 and c-1 have Encryption.
    expect(chart.series.patchManagement[3]).toBe(2);
    expect(chart.series.encryption[3]).toBe(4);
    expect(chart.series.patchManagement[9]).toBe(0); // u-2 on the 10th: after its uninstall
    expect(chart.series.edr[0]).toBe(1); // b-1 (d-1 is billed in the EDR report)
  });

  it('the console usage chart equals dailyChart over every row of the month', async () => {
    await seedMonth();
    const m = parseMonth(MONTH);
    const { deviceDays } = await sqliteBillingInputs(join(dir, 't.db'), m.id, m.firstDay, m.endDay);
    for (const shown of [new Set(['p1', 'a', 'b', 'c', 'e']), new Set(['a']), new Set(['b', 'd']), new Set<string>()]) {
      for (const pageDevices of [1, 2, 1000]) {
        const streamed = await dailyChartOf(MONTH, serviceOver(pageDevices).monthDevices(MONTH), now, shown);
        expect(streamed, `${[...shown]} pages of ${pageDevices}`).toEqual(dailyChart(MONTH, deviceDays, now, shown));
      }
    }
    const all = await dailyChartOf(MONTH, serviceOver().monthDevices(MONTH), now, new Set(['a', 'b', 'c']));
    expect(all.series[0].values[1]).toBe(3); // the 2nd: a-1, c-1 and m-1 (at A)
    expect(all.series[0].values[5]).toBe(2); // the 6th: a-3 and c-1; u-1 was uninstalled before the month
    expect(all.series[0].values[4]).toBe(3); // the 5th: a-2, c-1, m-1; s-1 is asleep
  });
});

describe('the console device list', () => {
  it('reads only the rows of the page\'s devices and shows the same rows as with every row of the month', async () => {
    await seedMonth();
    const m = parseMonth(MONTH);
    const { deviceDays } = await sqliteBillingInputs(join(dir, 't.db'), m.id, m.firstDay, m.endDay);
    // The list as it was: every row of the month, narrowed to the page's devices.
    const inMemory: MonthRowsOf = async function* (ids) {
      const wanted = new Set(ids);
      yield [...rowsByDevice(deviceDays.filter((d) => wanted.has(d.deviceId)))].map(([deviceId, days]) => ({ deviceId, days }));
    };
    const asked: string[][] = [];
    const billing = storage.billing;
    const counting = { ...billing, monthDevicePage: (q: Parameters<typeof billing.monthDevicePage>[0]) => { asked.push([...(q.deviceIds ?? ['(all)'])]); return billing.monthDevicePage(q); } };
    const service = new MonthReader({ billing: counting, now: () => now, graceHours: 72, monthPageDevices: 2 });
    for (const companyIds of [['p1', 'a', 'b', 'c', 'd', 'e'], ['a'], ['b', 'c'], ['nobody']]) {
      asked.length = 0;
      const q = { companyIds, month: MONTH, filters: NO_DEVICE_FILTERS, after: null, nowMs: now };
      const streamed = await deviceRows(storage, q, (deviceIds) => service.monthDevices(MONTH, { deviceIds }));
      expect(streamed, companyIds.join()).toEqual(await deviceRows(storage, q, inMemory));
      expect(asked.every((ids) => !ids.includes('(all)'))).toBe(true);
      // A's devices now (m-1 moved away but still belongs to A; z-1 has no row), pages of 2: three reads of the same five ids.
      if (companyIds[0] === 'a') expect(asked.map((ids) => [...ids].sort())).toEqual(Array(3).fill(['a-1', 'a-2', 'a-3', 'm-1', 'z-1']));
      if (companyIds[0] === 'nobody') expect(asked).toEqual([]);
    }
    const rows = (await deviceRows(storage, { companyIds: ['a', 'b', 'c'], month: MONTH, filters: NO_DEVICE_FILTERS, after: null, nowMs: now },
      (deviceIds) => service.monthDevices(MONTH, { deviceIds }))).rows;
    const byId = new Map(rows.map((r) => [r.device.id, r]));
    expect(byId.get('a-1')!.activeDays).toBe(6); // October's row is not this month
    expect(byId.get('a-1')!.awakeSeconds).toBe(6 * 3600 + 0 + 1 + 2 + 3 + 10 + 19);
    expect(byId.get('m-1')!.activeDays).toBe(4);
    expect(byId.get('s-1')!.statuses).toEqual(['inactive']);
    expect(byId.get('z-1')!.activeDays).toBe(0);
    expect(byId.get('u-2')!.statuses).toContain('uninstalled');
  });
});
