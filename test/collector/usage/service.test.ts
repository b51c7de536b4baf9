// Monthly usage from stored facts: the storage, the usage service and the
// billing core together, on real SQLite with a fixed clock. Numbers are the
// seeds' own where the seeds give them.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../common/log.ts';
import type { IDeviceFacts } from '../../../proto/index.ts';
import type { SubscriptionVersion } from '../../../collector/src/billing/index.ts';
import { openSqliteStorage } from '../../../collector/src/storage/sqlite/index.ts';
import type { Storage } from '../../../collector/src/storage/types.ts';
import { monthServices, type MonthCloser, type MonthReader } from '../../../collector/src/usage/index.ts';
import { Seeder } from '../../helpers/seed.ts';

const DAY = 86_400_000;
const NOV_1 = Date.UTC(2026, 10, 1);
const DEC_1 = Date.UTC(2026, 11, 1);
const dayOf = (ms: number) => Math.floor(ms / DAY);

let dir: string;
let storage: Storage;
let now: number;
let service: MonthReader;
let closer: MonthCloser;
let seed: Seeder;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tally-usage-'));
  now = Date.UTC(2026, 10, 20);
  storage = openSqliteStorage({ path: join(dir, 't.db'), nowMs: now });
  seed = new Seeder(storage, () => now);
  ({ reader: service, closer } = monthServices({ billing: storage.billing, now: () => now, logger: silentLogger, graceHours: 72 }));
});
afterEach(async () => {
  await storage.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Every add-on on, so the figures compared carry their columns. */
const ALL_ON = { encryption: true, patchManagement: true, integrityMonitoring: null, containerProtection: true, ats: true, edr: true, sve: true, xdr: [] };

const company = (name: string, type: 'partner' | 'customer', parentId: string | null, sub?: Partial<SubscriptionVersion>) =>
  seed.company(name, { type, parentId, atMs: NOV_1 - 60 * DAY, subscription: sub && { effectiveFromMs: NOV_1 - 30 * DAY, addOns: ALL_ON, licenseKey: 'KEY', ...sub } });

const physicalWorkstation: IDeviceFacts = {
  hostname: 'ws', os: { platform: 'windows' }, virtualization: { virtual: false }, role: { role: 'workstation' },
  modules: [{ name: 'antimalware', installed: true }],
};

const device = (companyId: string, facts: IDeviceFacts = physicalWorkstation) => seed.device(companyId, { facts, atMs: NOV_1 });
const awake = (deviceId: string, companyId: string, dayMs: number, seconds: number) => seed.awake(deviceId, companyId, dayMs, seconds);

/** Seed 003's EDR example: Partner 1 with Customers A, B, C on Endpoint Security and D on EDR with 3 endpoints. */
async function seedEdrExample() {
  const p1 = await company('Partner 1', 'partner', null, { productType: 'endpoint_security', licenseType: 'monthly_license' });
  const a = await company('Customer A', 'customer', p1.id, {});
  const b = await company('Customer B', 'customer', p1.id, {});
  const cc = await company('Customer C', 'customer', p1.id, {});
  const d = await company('Customer D', 'customer', p1.id, { productType: 'edr' });
  for (const co of [a, a, b, cc, d, d, d]) await awake(await device(co.id), co.id, NOV_1 + 3 * DAY, 3600);
  return { p1, a, b, cc, d };
}

const rowOf = (report: { rows: readonly { companyId: string; own: Record<string, number>; total: Record<string, number> }[] }, id: string) =>
  report.rows.find((r) => r.companyId === id)!;

describe('monthly usage from stored facts', () => {
  it('reproduces the seed EDR example: D uses 3, Partner 1 shows the same 3, A-C show 0', async () => {
    const { p1, a, b, cc, d } = await seedEdrExample();
    const { report: edr } = await service.monthlyReport('2026-11', 'edr');
    expect(rowOf(edr, d.id).own.endpointUsage).toBe(3);
    expect(rowOf(edr, p1.id).total.endpointUsage).toBe(3);
    for (const co of [a, b, cc]) expect(rowOf(edr, co.id).total.endpointUsage).toBe(0);
    const { report: es } = await service.monthlyReport('2026-11', 'endpoint_security');
    expect(rowOf(es, a.id).own.endpointUsage).toBe(2);
    expect(rowOf(es, p1.id).total.endpointUsage).toBe(4); // A 2 + B 1 + C 1; D is EDR
    expect(rowOf(es, d.id).total.endpointUsage).toBe(0);
  });

  it('bills SVE: VDI hours per endpoint rounded up (3,650 s is 2 h) and a virtual server under SVE: VS', async () => {
    const c = await company('VDI Co', 'customer', null, {});
    const vdi: IDeviceFacts = { hostname: 'vdi', os: { platform: 'windows' }, virtualization: { virtual: true, kind: 'vmware' }, role: { role: 'workstation' },
      modules: [{ name: 'antimalware', installed: true }, { name: 'central_scan', installed: true }] };
    const vs: IDeviceFacts = { ...vdi, hostname: 'vs', role: { role: 'server' } };
    await awake(await device(c.id, vdi), c.id, NOV_1 + DAY, 3650);
    await awake(await device(c.id, vs), c.id, NOV_1 + DAY, 100);
    await awake(await device(c.id), c.id, NOV_1 + DAY, 100);
    const { report } = await service.monthlyReport('2026-11', 'endpoint_security');
    const row = rowOf(report, c.id).own;
    expect(row.sveVdiHours).toBe(2);
    expect(row.sveVsUsage).toBe(1);
    expect(row.licensedEndpoints).toBe(3);
    expect(row.endpointUsage).toBe(1); // SVE endpoints go to their own columns
  });

  it('does not bill an inactive customer from the moment it was inactivated; its activity stays visible as unlicensed', async () => {
    const c = await company('Gone Co', 'customer', null, {});
    const dev = await device(c.id);
    now = Date.UTC(2026, 10, 20);
    await storage.tenancy.setCompanyActive(c.id, false, Date.UTC(2026, 9, 15)); // inactive since mid-October
    await awake(dev, c.id, NOV_1 + 2 * DAY, 3600);
    const { report } = await service.monthlyReport('2026-11', 'endpoint_security');
    const row = report.rows.find((r) => r.companyId === c.id)!;
    // Usage columns are activity (issue 18: was 0, inactive days were dropped); nothing of it is billed.
    expect(row.own.endpointUsage).toBe(1);
    expect(row.billable.own.endpointUsage).toBe(0);
    expect(row.own.billableEndpointUsage).toBe(0);
    expect(row.unlicensed.own.byReason.inactive).toBe(1);
    const page = await storage.adminRead.usageForDays(dayOf(NOV_1), dayOf(DEC_1), { after: null, limit: 10 });
    expect(page.items[0].awakeSeconds).toBe(3600);
  });

  it('bills a device that moved within the month once, to the company where it was last active', async () => {
    const first = await company('First', 'customer', null, {});
    const second = await company('Second', 'customer', null, {});
    const dev = await device(first.id);
    await awake(dev, first.id, NOV_1 + DAY, 600);
    await awake(dev, second.id, NOV_1 + 10 * DAY, 600);
    const { report } = await service.monthlyReport('2026-11', 'endpoint_security');
    expect(rowOf(report, second.id).own.endpointUsage).toBe(1);
    expect(rowOf(report, first.id).own.endpointUsage).toBe(0);
  });

  it('counts user-based usage: one active user covers one corporate and two personal devices', async () => {
    const c = await company('Users Co', 'customer', null, {});
    const personal = (n: number): IDeviceFacts => ({ ...physicalWorkstation, hostname: `p${n}`, ownership: 'personal', users: [{ userId: 'S-1-5-21-1-1001', primary: true }] });
    const corporate: IDeviceFacts = { ...physicalWorkstation, hostname: 'corp', ownership: 'corporate', users: [{ userId: 'S-1-5-21-1-1001', primary: true }] };
    for (const f of [corporate, personal(1), personal(2), personal(3)]) await awake(await device(c.id, f), c.id, NOV_1 + DAY, 60);
    await awake(await device(c.id, { ...physicalWorkstation, hostname: 'kiosk' }), c.id, NOV_1 + DAY, 60);
    const { report } = await service.userUsage('2026-11');
    const row = report.companies.find((x) => x.companyId === c.id)!;
    expect(row.activeUsers).toBe(1);
    // The third personal device is beyond the allowance; the kiosk has no user: both are their own line items.
    expect(row.standaloneDevices).toBe(2);
    expect(row.billableUnits).toBe(3);
  });
});

describe('month closing and late data', () => {
  it('refuses to close an open month and a month in its 72 h grace window unless early', async () => {
    now = Date.UTC(2026, 10, 20);
    await expect(closer.closeMonth('2026-11')).rejects.toMatchObject({ code: 'month_not_closable' });
    now = DEC_1 + 71 * 3_600_000;
    await expect(closer.closeMonth('2026-11')).rejects.toMatchObject({ code: 'month_not_closable' });
    expect((await service.view('2026-11')).status).toBe('closing');
    await expect(closer.closeMonth('2026-11', { early: true })).resolves.toMatchObject({ month: '2026-11' });
  });

  it('finalizes with a hash that a recomputation from the same facts reproduces, and refuses a second finalization', async () => {
    await seedEdrExample();
    now = DEC_1 + 73 * 3_600_000;
    // The last two months whose grace window has passed (October has no data; it finalizes empty).
    expect(await closer.finalizeDueMonths()).toEqual(['2026-10', '2026-11']);
    const view = await service.view('2026-11');
    expect(view.status).toBe('finalized');
    expect((await service.computeSnapshot('2026-11')).hash).toBe(view.finalizedHash);
    await expect(closer.closeMonth('2026-11')).rejects.toMatchObject({ code: 'already_finalized' });
    expect(await closer.finalizeDueMonths()).toEqual([]);
  });

  it('turns late data for a finalized month into an adjustment line, and keeps the finalized snapshot', async () => {
    const { a } = await seedEdrExample();
    now = DEC_1 + 4 * DAY;
    await closer.closeMonth('2026-11');
    const finalizedHash = (await service.view('2026-11')).finalizedHash;
    // A device of Customer A that was offline reports November days late.
    const late = await device(a.id);
    const r = await awake(late, a.id, NOV_1 + 20 * DAY, 1800);
    expect(r.adjustedRecords).toBe(1);
    const [adjustment] = await closer.processLateData();
    expect(adjustment.lines).toContainEqual({ month: '2026-11', companyId: a.id, figure: 'usage', column: 'endpointUsage', finalized: 2, recomputed: 3, delta: 1 });
    expect(adjustment.lines).toContainEqual({ month: '2026-11', companyId: a.id, figure: 'billable', column: 'billableEndpointUsage', finalized: 2, recomputed: 3, delta: 1 });
    const view = await service.view('2026-11');
    expect(view.finalizedHash).toBe(finalizedHash);
    expect(view.currentHash).not.toBe(finalizedHash);
    const { report, finalized } = await service.monthlyReport('2026-11', 'endpoint_security');
    expect(finalized).toBe(true);
    expect(rowOf(report, a.id).own.endpointUsage).toBe(3);
    expect(await closer.processLateData()).toEqual([]); // the mark is cleared
  });

  it('turns late data for a month finalized early, inside its grace window, into an adjustment (issue 18)', async () => {
    const { a } = await seedEdrExample();
    now = DEC_1 + 10 * 3_600_000; // 10 h into the 72 h grace window
    await closer.closeMonth('2026-11', { early: true });
    const r = await awake(await device(a.id), a.id, NOV_1 + 29 * DAY, 1800);
    expect(r.adjustedRecords).toBe(1);
    const made = await closer.processLateData();
    expect(made).toHaveLength(1);
    expect(made[0].lines).toContainEqual({ month: '2026-11', companyId: a.id, figure: 'billable', column: 'endpointUsage', finalized: 2, recomputed: 3, delta: 1 });
    const { report } = await service.monthlyReport('2026-11', 'endpoint_security');
    expect(rowOf(report, a.id).own.billableEndpointUsage).toBe(3);
  });

  it('reads a month finalized before licence states (rows without billable or unlicensed figures): what it billed is its usage columns', async () => {
    const { a, p1 } = await seedEdrExample();
    now = DEC_1 + 4 * DAY;
    // What an earlier version stored: the same report without the fields issue 18 added.
    const current = await service.computeSnapshot('2026-11');
    const strip = (report: (typeof current.reports)['endpoint_security']) => ({
      ...report,
      rows: report.rows.map(({ billable: _b, unlicensed: _u, licence: _l, minimumApplies: _m, devices, ...row }) =>
        ({ ...row, devices: devices.map(({ billableColumns: _c, unlicensed: _x, ...line }) => line) })),
    }) as unknown as (typeof current.reports)['endpoint_security'];
    const reports = { endpoint_security: strip(current.reports.endpoint_security), edr: strip(current.reports.edr) };
    const userUsage = { ...current.userUsage, companies: current.userUsage.companies.map(({ unlicensed: _u, ...c }) => c) } as unknown as typeof current.userUsage;
    await storage.billing.saveFinalizedMonth({ month: '2026-11', reports, userUsage, hash: 'stored-by-an-earlier-version' }, now);
    const { report, finalized } = await service.monthlyReport('2026-11', 'endpoint_security');
    expect(finalized).toBe(true);
    expect(rowOf(report, a.id).own.endpointUsage).toBe(2);
    expect(report.rows.find((r) => r.companyId === p1.id)!.billable.total).toEqual(rowOf(report, p1.id).total);
    expect(report.rows.find((r) => r.companyId === a.id)!.unlicensed.own.endpoints).toBe(0);
    expect((await service.view('2026-11')).finalizedHash).toBe('stored-by-an-earlier-version');
    // Late data still becomes an adjustment against it.
    await awake(await device(a.id), a.id, NOV_1 + 20 * DAY, 1800);
    const [adjustment] = await closer.processLateData();
    expect(adjustment.hashBefore).toBe('stored-by-an-earlier-version');
    expect(adjustment.lines).toContainEqual({ month: '2026-11', companyId: a.id, figure: 'billable', column: 'endpointUsage', finalized: 2, recomputed: 3, delta: 1 });
  });

  it('records but never bills data for a finalized month more than two months back', async () => {
    const c = await company('Late Co', 'customer', null, {});
    const dev = await device(c.id);
    const AUG_10 = Date.UTC(2026, 7, 10);
    now = Date.UTC(2026, 8, 10);
    await awake(dev, c.id, AUG_10, 100);
    await closer.closeMonth('2026-08');
    const hash = (await service.view('2026-08')).currentHash;
    now = Date.UTC(2026, 11, 2); // December: August is four months back
    const r = await awake(dev, c.id, AUG_10 + DAY, 5000);
    expect(r.unbilledRecords).toBe(1);
    expect(await storage.billing.countUnbilledLateRecords()).toBe(1);
    expect(await closer.processLateData()).toEqual([]);
    expect((await service.view('2026-08')).currentHash).toBe(hash);
    const page = await storage.adminRead.usageForDays(dayOf(AUG_10), dayOf(AUG_10) + 5, { after: null, limit: 10 });
    expect(page.items[0].awakeSeconds).toBe(100); // not folded into the billed rows
  });
});

describe('explain and forecast', () => {
  it('explains which days, seconds, modules and columns a billed device counted in', async () => {
    const c = await company('Explain Co', 'customer', null, {});
    const dev = await device(c.id, { ...physicalWorkstation, modules: [{ name: 'antimalware', installed: true }, { name: 'full_disk_encryption', installed: true }] });
    await awake(dev, c.id, NOV_1 + DAY, 1000);
    await awake(dev, c.id, NOV_1 + 2 * DAY, 2000);
    const e = await service.explain('2026-11', dev, 'endpoint_security');
    expect(e.found).toBe(true);
    expect(e.days.map((d) => d.awakeSeconds)).toEqual([1000, 2000]);
    expect(e.billedCompanyId).toBe(c.id);
    const columns = Object.fromEntries(e.columns.map((col) => [col.column, col.value]));
    expect(columns.endpointUsage).toBe(1);
    expect(columns.encryptionUsage).toBe(1);
  });

  it('forecasts the open month from the days so far and refuses other months', async () => {
    const c = await company('Forecast Co', 'customer', null, {});
    await awake(await device(c.id), c.id, NOV_1 + DAY, 100);
    now = Date.UTC(2026, 10, 16);
    const f = await service.forecast('endpoint_security');
    expect(f.month).toBe('2026-11');
    const row = f.rows.find((r) => r.companyId === c.id)!;
    expect(row.soFar.endpointUsage).toBe(1);
    expect(row.forecastOwn.endpointUsage).toBeGreaterThanOrEqual(1);
  });
});
