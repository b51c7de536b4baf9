// The month computed device by device (summary form, endpoint lines read
// company by company) against the month computed in memory with every line:
// same figures, same lines, same CSV bytes. Real SQLite, fixed clock, pages
// of 2 devices so every path crosses page boundaries with a handful of devices.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../common/log.ts';
import type { IDeviceFacts } from '../../../proto/index.ts';
import type { DeviceMonthLine, MonthlyUsageReport, ProductType, SubscriptionVersion } from '../../../collector/src/billing/index.ts';
import { loadReportInput, validateReportOptions, writeReport, type ReportInput } from '../../../collector/src/reports/index.ts';
import { openSqliteStorage } from '../../../collector/src/storage/sqlite/index.ts';
import type { BillingStore, Storage } from '../../../collector/src/storage/types.ts';
import { MonthCloser, MonthReader, type MonthReaderOptions } from '../../../collector/src/usage/index.ts';
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
  dir = mkdtempSync(join(tmpdir(), 'tally-stream-'));
  now = Date.UTC(2026, 10, 20);
  storage = openSqliteStorage({ path: join(dir, 't.db'), nowMs: now });
  seed = new Seeder(storage, () => now);
});
afterEach(async () => {
  await storage.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A reader over `billing` (the real store, or a wrapper of it), reading months 2 devices at a time. */
const serviceOver = (billing: BillingStore = storage.billing, over: Partial<MonthReaderOptions> = {}) =>
  new MonthReader({ billing, now: () => now, graceHours: 72, monthPageDevices: 2, ...over });
const closerOf = (reader: MonthReader) => new MonthCloser({ reader, billing: storage.billing, now: () => now, logger: silentLogger, graceHours: 72 });

/** The add-ons on in every company's subscription here, so the lines compared carry their columns. */
const ADD_ONS = { encryption: true, patchManagement: true, containerProtection: true, ats: true, edr: true, sve: true, integrityMonitoring: null, xdr: [] };

const company = (id: string, name: string, type: 'partner' | 'customer', parentId: string | null, sub?: Partial<SubscriptionVersion>) =>
  seed.company(name, { id, type, parentId, atMs: NOV_1 - 60 * DAY, subscription: sub && { ...sub, addOns: ADD_ONS } });

const workstation = (hostname: string, extra: Partial<IDeviceFacts> = {}): IDeviceFacts => ({
  hostname, os: { platform: 'windows' }, virtualization: { virtual: false }, role: { role: 'workstation' },
  modules: [{ name: 'antimalware', installed: true }, { name: 'full_disk_encryption', installed: true }], ...extra,
});

/** Device ids sort as written, so the tests know which page a device is on. */
const device = (id: string, companyId: string, facts: IDeviceFacts = workstation(id)) => seed.device(companyId, { id, facts, hostname: id, atMs: NOV_1 });

const awake = (deviceId: string, companyId: string, dayMs: number, seconds: number) => seed.awake(deviceId, companyId, dayMs, seconds);

/**
 * Seed 003's EDR example (Partner 1; Customers A, B, C on Endpoint Security,
 * D on EDR with 3 endpoints), plus what streaming can get wrong: a device
 * that moved from A to B mid-month (listed at both, billed once at B), one
 * asleep all month (listed, not billed), one uninstalled before the month.
 */
async function seedMonth() {
  await company('p1', 'Partner 1', 'partner', null, { productType: 'endpoint_security', licenseType: 'monthly_license' });
  await company('a', 'Customer A', 'customer', 'p1', {});
  await company('b', 'Customer B', 'customer', 'p1', {});
  await company('c', 'Customer C', 'customer', 'p1', {});
  await company('d', 'Customer D', 'customer', 'p1', { productType: 'edr' });
  for (const [id, co] of [['a-1', 'a'], ['a-2', 'a'], ['b-1', 'b'], ['c-1', 'c'], ['d-1', 'd'], ['d-2', 'd'], ['d-3', 'd']] as const) {
    await awake(await device(id, co), co, NOV_1 + 3 * DAY, 3600);
  }
  // Enrolled at A, reporting from B after the 10th: its company now is still A (devices.company_id), its last active day is at B.
  await device('m-1', 'a');
  await awake('m-1', 'a', NOV_1 + DAY, 600);
  await awake('m-1', 'b', NOV_1 + 10 * DAY, 600);
  await awake(await device('s-1', 'c'), 'c', NOV_1 + 4 * DAY, 0);
  await device('u-1', 'c');
  await storage.ingest.recordEvents('u-1', [{ stream: 'ev', seq: 1, occurredAtMs: NOV_1 - DAY, kind: 'uninstalled', payload: {} }], now);
  await awake('u-1', 'c', NOV_1 + 5 * DAY, 900);
}

const rowOf = (report: MonthlyUsageReport, id: string) => report.rows.find((r) => r.companyId === id)!;
const withoutLines = (report: MonthlyUsageReport) => ({ ...report, rows: report.rows.map((r) => ({ ...r, devices: [] })) });

async function collect(lines: AsyncIterable<DeviceMonthLine>): Promise<DeviceMonthLine[]> {
  const out: DeviceMonthLine[] = [];
  for await (const line of lines) out.push(line);
  return out;
}

async function csvOf(input: ReportInput, companyId: string, productType: ProductType): Promise<string> {
  const checked = validateReportOptions({ companyId, month: MONTH, productType });
  if (!checked.ok) throw new Error(JSON.stringify(checked.error));
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  await writeReport('csv', input, checked.value, out);
  return Buffer.concat(chunks).toString('utf8');
}

describe('a month streamed device by device', () => {
  it('gives the seed EDR example in the summary form: D uses 3, Partner 1 shows the same 3, A-C 0; Endpoint Security: A 2, B 2 (with the moved one), P1 5', async () => {
    await seedMonth();
    const service = serviceOver();
    const { report: edr } = await service.monthlyReport(MONTH, 'edr', { devices: false });
    expect(rowOf(edr, 'd').own.endpointUsage).toBe(3);
    expect(rowOf(edr, 'p1').total.endpointUsage).toBe(3);
    for (const co of ['a', 'b', 'c']) expect(rowOf(edr, co).total.endpointUsage).toBe(0);
    const { report: es } = await service.monthlyReport(MONTH, 'endpoint_security', { devices: false });
    // The moved device is billed once, at B where it was last active; A keeps its own two.
    expect(rowOf(es, 'a').own.endpointUsage).toBe(2);
    expect(rowOf(es, 'b').own.endpointUsage).toBe(2);
    expect(rowOf(es, 'p1').total.endpointUsage).toBe(5); // A 2 + B 2 + C 1; D is EDR
    // Listed: A has a-1, a-2 and the moved m-1; C has c-1, the sleeper and the uninstalled one.
    expect(rowOf(es, 'a').deviceCount).toBe(3);
    expect(rowOf(es, 'c').deviceCount).toBe(3);
    expect(es.rows.every((r) => r.devices.length === 0)).toBe(true);
  });

  it('has the same rows as the month computed with every line, for both product types', async () => {
    await seedMonth();
    const service = serviceOver();
    for (const productType of ['endpoint_security', 'edr'] as const) {
      const { report: full } = await service.monthlyReport(MONTH, productType);
      const { report: summary } = await service.monthlyReport(MONTH, productType, { devices: false });
      expect(summary).toEqual(withoutLines(full));
      for (const row of full.rows) expect(row.deviceCount).toBe(row.devices.length);
    }
  });

  it('reads each company\'s endpoint lines again, including devices that moved away, equal to the full report\'s', async () => {
    await seedMonth();
    const service = serviceOver();
    for (const productType of ['endpoint_security', 'edr'] as const) {
      const { report: full } = await service.monthlyReport(MONTH, productType);
      const { lines } = await service.endpointReport(MONTH, productType);
      for (const row of full.rows) expect(await collect(lines.linesAt(row.companyId)), `${productType} ${row.companyId}`).toEqual(row.devices);
    }
    const { lines } = await service.endpointReport(MONTH, 'endpoint_security');
    const atA = await collect(lines.linesAt('a'));
    expect(atA.map((l) => [l.deviceId, l.billed])).toEqual([['a-1', true], ['a-2', true], ['m-1', false]]);
    expect(atA[2].billingNote).toMatch(/moved: billed once, at b/);
    expect(await collect(lines.linesAt('no-such-company'))).toEqual([]);
  });

  it('writes the same CSV bytes streamed as from the in-memory report, for the partner and for one customer', async () => {
    await seedMonth();
    const service = serviceOver();
    const deps = { adminRead: storage.adminRead, reader: service, now: () => now };
    for (const target of ['p1', 'a', 'c']) {
      const checked = validateReportOptions({ companyId: target, month: MONTH, productType: 'endpoint_security' });
      if (!checked.ok) throw new Error('options');
      const streamed = await loadReportInput(deps, checked.value, 'csv');
      expect(streamed.lines).toBeDefined();
      const { report } = await service.monthlyReport(MONTH, 'endpoint_security');
      const inMemory: ReportInput = { ...streamed, report, lines: undefined };
      const csv = await csvOf(streamed, target, 'endpoint_security');
      expect(csv).toBe(await csvOf(inMemory, target, 'endpoint_security'));
      if (target === 'p1') expect(csv.split('\r\n').filter((l) => l.startsWith('Customer A,') || l.startsWith('Customer B,') || l.startsWith('Customer C,')).length).toBe(8); // m-1 at A and at B
    }
  });

  it('counts user-based usage the same in the summary form: 1 corporate + 2 personal per user, the rest standalone', async () => {
    await company('u', 'Users Co', 'customer', null, {});
    const user = [{ userId: 'S-1-5-21-1-1001', primary: true }];
    const facts: [string, IDeviceFacts][] = [
      ['corp-1', workstation('corp-1', { ownership: 'corporate', users: user })],
      ['corp-2', workstation('corp-2', { ownership: 'corporate', users: user })],
      ['pers-1', workstation('pers-1', { ownership: 'personal', users: user })],
      ['pers-2', workstation('pers-2', { ownership: 'personal', users: user })],
      ['pers-3', workstation('pers-3', { ownership: 'personal', users: user })],
      ['kiosk', workstation('kiosk')],
    ];
    for (const [id, f] of facts) await awake(await device(id, 'u', f), 'u', NOV_1 + DAY, 60);
    const { report: lines } = await serviceOver().userUsage(MONTH);
    const row = lines.companies.find((c) => c.companyId === 'u')!;
    // Seed 000: one active user; corp-2 and pers-3 are beyond the allowance, the kiosk has no user.
    expect([row.activeUsers, row.standaloneDevices, row.billableUnits]).toEqual([1, 3, 4]);
    const { UserUsageAccumulator, summarizeDevice, parseMonth } = await import('../../../collector/src/billing/index.ts');
    const context = { ...(await storage.billing.billingContext(MONTH)), month: MONTH };
    const summary = new UserUsageAccumulator(context, 'summary');
    const companies = new Map(context.companies.map((c) => [c.id, c]));
    const page = await storage.billing.monthDevicePage({ fromDay: parseMonth(MONTH).firstDay, toDay: parseMonth(MONTH).endDay, after: null, limit: 100 });
    for (const d of page.devices) summary.add(summarizeDevice(d.deviceId, d.days, parseMonth(MONTH), companies)!);
    expect(summary.report().companies.map((c) => ({ ...c, lines: [] }))).toEqual(lines.companies.map((c) => ({ ...c, lines: [] })));
  });

  it('leaves out rows at a company created after the month\'s companies were read, instead of failing', async () => {
    await seedMonth();
    let created = false;
    const racing: BillingStore = {
      ...storage.billing,
      async monthDevicePage(query) {
        if (!created) {
          created = true;
          // While the pass runs: a new customer, and a device of A that reports from it.
          await company('late', 'Late Co', 'customer', 'p1', {});
          await awake('a-1', 'late', NOV_1 + 15 * DAY, 100);
        }
        return storage.billing.monthDevicePage(query);
      },
    };
    const { report } = await serviceOver(racing).monthlyReport(MONTH, 'endpoint_security', { devices: false });
    expect(report.rows.find((r) => r.companyId === 'late')).toBeUndefined();
    expect(rowOf(report, 'a').own.endpointUsage).toBe(2);
    // The next computation reads the new company, and the device is billed where it was last active.
    const { report: next } = await serviceOver().monthlyReport(MONTH, 'endpoint_security', { devices: false });
    expect(rowOf(next, 'late').own.endpointUsage).toBe(1);
    expect(rowOf(next, 'a').own.endpointUsage).toBe(1);
  });

  it('lists a device once when it moved back between the pass and the listing', async () => {
    await seedMonth();
    const service = serviceOver({
      ...storage.billing,
      // After the pass saw m-1 as A's (listed at B, moved away from it), the listing of B's own devices finds it there too.
      async monthDevicePage(query) {
        const page = await storage.billing.monthDevicePage(query);
        if (query.currentCompanyId !== 'b') return page;
        const moved = await storage.billing.monthDevicePage({ ...query, currentCompanyId: undefined, deviceIds: ['m-1'], after: null });
        const devices = [...page.devices, ...moved.devices.map((d) => ({ ...d, currentCompanyId: 'b' }))].sort((x, y) => (x.deviceId < y.deviceId ? -1 : 1));
        return { ...page, devices };
      },
    });
    const { lines } = await service.endpointReport(MONTH, 'endpoint_security');
    expect((await collect(lines.linesAt('b'))).map((l) => l.deviceId)).toEqual(['b-1', 'm-1']);
  });

  it('serves a finalized month from its snapshot, lines included', async () => {
    await seedMonth();
    now = Date.UTC(2026, 11, 10);
    const service = serviceOver();
    await closerOf(service).closeMonth(MONTH);
    const { report, finalized, lines } = await service.endpointReport(MONTH, 'endpoint_security');
    expect(finalized).toBe(true);
    expect(rowOf(report, 'a').deviceCount).toBe(3);
    expect((await collect(lines.linesAt('a'))).map((l) => l.deviceId)).toEqual(['a-1', 'a-2', 'm-1']);
  });

  it('bounds only the in-memory every-line form of an open month: past it, the month still finalizes as rows and every reader streams it', async () => {
    await seedMonth(); // 10 devices with rows in November
    now = Date.UTC(2026, 11, 10);
    const whole = await serviceOver().computeSnapshot(MONTH);
    const bounded = serviceOver(storage.billing, { maxLinesDevices: 9 });
    await expect(bounded.computeSnapshot(MONTH)).rejects.toMatchObject({ code: 'month_too_large', message: expect.stringMatching(/more than 9 endpoints/) });
    const { report, lines } = await bounded.endpointReport(MONTH, 'endpoint_security');
    expect(rowOf(report, 'p1').total.endpointUsage).toBe(5);
    expect((await collect(lines.linesAt('c'))).map((l) => l.deviceId)).toEqual(['c-1', 's-1', 'u-1']);
    // Finalization writes rows as it goes: no bound.
    expect(await closerOf(bounded).closeMonth(MONTH)).toEqual({ month: MONTH, hash: whole.hash });
    const { snapshot, finalized } = await bounded.snapshot(MONTH);
    expect(finalized).toBe(true);
    expect(snapshot).toEqual(whole);
    expect((await collect((await bounded.endpointReport(MONTH, 'endpoint_security')).lines.linesAt('c'))).map((l) => l.deviceId)).toEqual(['c-1', 's-1', 'u-1']);
  });
});
