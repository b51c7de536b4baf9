// What the console pages compute from the stores and the usage service,
// beside what the report model gives: per-day activity for the chart, the
// device list with this month's facts, and device status.
import { DAY_MS, INACTIVE_DEVICE_VISIBLE_DAYS, formatDay, parseMonth, rowsByDevice, type DeviceDay, type ModuleName, type Month } from '../billing/index.ts';
import { invalid } from '../errors.ts';
import { CHART_ADD_ONS, CHART_ADD_ON_LABELS } from '../reports/index.ts';
import { DailyAddOnAccumulator, chartsRow, type AddOnEnabled } from '../reports/daily.ts';
import type { Scope } from '../auth/scope.ts';
import type { DeviceCursor, DeviceListing, Storage } from '../storage/types.ts';

export interface ChartSeries {
  readonly key: string;
  readonly label: string;
  readonly values: readonly number[];
}

export interface DailyChart {
  readonly month: string;
  /** 'YYYY-MM-DD' per day of the month. */
  readonly days: readonly string[];
  /** Active endpoints first, then the add-ons used at least once in the month. */
  readonly series: readonly ChartSeries[];
  /** Days with figures so far: the whole month once it ended, up to today while it runs. */
  readonly daysSoFar: number;
}

/**
 * Per UTC day: distinct endpoints protected that day (awake seconds > 0, not
 * after an uninstall) among `companyIds`, and the report's add-on counts
 * (reports/daily.ts, the same figures as the PDF chart). In memory: a thin
 * wrapper over DailyChartAccumulator.
 */
export function dailyChart(month: string, deviceDays: readonly DeviceDay[], nowMs: number, companyIds: ReadonlySet<string>): DailyChart {
  const chart = new DailyChartAccumulator(month, nowMs, companyIds);
  for (const [deviceId, rows] of rowsByDevice(deviceDays)) chart.add(deviceId, rows);
  return chart.chart();
}

/** dailyChart over a month read device by device (MonthReader.monthDevices): memory holds one page. */
export async function dailyChartOf(month: string, pages: AsyncIterable<readonly MonthDevice[]>, nowMs: number, companyIds: ReadonlySet<string>, enabled: AddOnEnabled | null = null): Promise<DailyChart> {
  const chart = new DailyChartAccumulator(month, nowMs, companyIds, enabled);
  for await (const page of pages) for (const d of page) chart.add(d.deviceId, d.days);
  return chart.chart();
}

/** One device's rows of the month (MonthDeviceRows' shape). */
export interface MonthDevice {
  readonly deviceId: string;
  readonly days: readonly DeviceDay[];
}

/**
 * dailyChart one device at a time: add() each device's rows of the month
 * (all of them, once: a device counts once per day), chart() gives the
 * chart. Memory grows with the days, not the endpoints.
 */
export class DailyChartAccumulator {
  private readonly month: Month;
  private readonly active: number[];
  private readonly addOns: DailyAddOnAccumulator;

  constructor(month: string, private readonly nowMs: number, private readonly companyIds: ReadonlySet<string>, enabled: AddOnEnabled | null = null) {
    this.month = parseMonth(month);
    this.active = new Array<number>(this.month.days).fill(0);
    this.addOns = new DailyAddOnAccumulator(this.month.id, companyIds, enabled);
  }

  add(deviceId: string, rows: readonly DeviceDay[]): void {
    const m = this.month;
    const days = new Set<number>();
    for (const row of rows) {
      if (row.deviceId !== deviceId) throw new Error(`row of device ${row.deviceId} passed as a row of device ${deviceId}`);
      if (chartsRow(row, m.firstDay, m.endDay, this.companyIds)) days.add(row.utcDay - m.firstDay);
    }
    for (const i of days) this.active[i]++;
    this.addOns.add(deviceId, rows);
  }

  chart(): DailyChart {
    const m = this.month;
    const daysSoFar = Math.max(0, Math.min(m.days, Math.floor(this.nowMs / DAY_MS) - m.firstDay + 1));
    const addOns = this.addOns.result();
    const series: ChartSeries[] = [{ key: 'active', label: 'Active endpoints', values: [...this.active] }];
    for (const a of CHART_ADD_ONS) {
      const values = addOns.series[a];
      if (values.some((v) => v > 0)) series.push({ key: a, label: CHART_ADD_ON_LABELS[a], values });
    }
    return { month: m.id, days: Array.from({ length: m.days }, (_, i) => formatDay(m.firstDay + i)), series, daysSoFar };
  }
}

/** The company and every company below it that the principal may see. */
export const subtreeIds = (scope: Scope, companyId: string): Set<string> => scope.subtreeIds(companyId);

export type DeviceStatus = 'active' | 'inactive' | 'uninstalled' | 'clone_suspected';

export const STATUS_LABELS: Readonly<Record<DeviceStatus, string>> = {
  active: 'Active',
  inactive: 'Inactive this month',
  uninstalled: 'Uninstalled',
  clone_suspected: 'Clone suspected',
};

/**
 * Every status that applies, most important first (an uninstalled clone shows both).
 * Inactive: no activity in the month shown, so not billed for it (seed 000: "Devices
 * ... that show no activity ... during a calendar month ... are not billed").
 */
export function deviceStatuses(d: Pick<DeviceListing, 'uninstalledAtMs' | 'cloneSuspectedAtMs'>, activeDaysThisMonth: number): DeviceStatus[] {
  const out: DeviceStatus[] = [];
  if (d.uninstalledAtMs !== null) out.push('uninstalled');
  if (d.cloneSuspectedAtMs !== null) out.push('clone_suspected');
  if (d.uninstalledAtMs === null && activeDaysThisMonth === 0) out.push('inactive');
  if (out.length === 0) out.push('active');
  return out;
}

export interface DeviceRow {
  readonly device: DeviceListing;
  readonly hardwareId: string;
  readonly os: string;
  readonly virtual: boolean | null;
  readonly role: 'server' | 'workstation' | null;
  readonly awakeSeconds: number;
  readonly activeDays: number;
  readonly modules: readonly string[];
  readonly user: string | null;
  readonly statuses: readonly DeviceStatus[];
  /** Billed this month (for the product shown), and when not, why. */
  readonly billed: boolean;
  readonly notBilledBecause: string | null;
}

/** Reads the month's device-day rows of these devices, device by device. */
export type MonthRowsOf = (deviceIds: readonly string[]) => AsyncIterable<readonly MonthDevice[]>;

/** Most devices the list shows on one page. */
export const DEVICE_PAGE = 100;
/**
 * With the Billed filter (which only the billing engine can answer, not an
 * index), most stretches of DEVICE_PAGE devices read to fill one page: the
 * page then ends early with a link that goes on from where it stopped. Keeps
 * each page to a bounded number of statements however large the fleet.
 */
export const DEVICE_SCAN_CHUNKS = 10;

export const OS_FILTERS = { windows: 'Windows', linux: 'Linux', darwin: 'macOS' } as const;
export type OsFilter = keyof typeof OS_FILTERS;

/** The devices page's filters (null: any). */
export interface DeviceFilters {
  readonly companyId: string | null;
  readonly billed: 'yes' | 'no' | null;
  readonly status: DeviceStatus | null;
  readonly os: OsFilter | null;
  readonly kind: 'physical' | 'virtual' | null;
}

export const NO_DEVICE_FILTERS: DeviceFilters = { companyId: null, billed: null, status: null, os: null, kind: null };

/** The filters from the page's query string; a value the form never sends is refused (invalid_request), not ignored. */
export function deviceFiltersOf(query: (name: string) => string | undefined): DeviceFilters {
  const pick = <T extends string>(name: string, allowed: readonly T[]): T | null => {
    const v = query(name);
    if (v === undefined || v === '') return null;
    if (!(allowed as readonly string[]).includes(v)) throw invalid(name, `expected one of ${allowed.join(', ')}`);
    return v as T;
  };
  return {
    companyId: query('company') || null,
    billed: pick('billed', ['yes', 'no']),
    status: pick('status', Object.keys(STATUS_LABELS) as DeviceStatus[]),
    os: pick('os', Object.keys(OS_FILTERS) as OsFilter[]),
    kind: pick('kind', ['physical', 'virtual']),
  };
}

/** The page cursor as the query string carries it (`after`): opaque to the reader. */
export const encodeCursor = (c: DeviceCursor): string => Buffer.from(JSON.stringify([c.hostname, c.id])).toString('base64url');

export function decodeCursor(text: string | undefined): DeviceCursor | null {
  if (!text) return null;
  try {
    const v: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    if (Array.isArray(v) && v.length === 2 && typeof v[0] === 'string' && typeof v[1] === 'string' && v[1].length > 0 && v[1].length <= 64) return { hostname: v[0], id: v[1] };
  } catch {
    // refused below
  }
  throw invalid('after', 'not a page of this list (use the page links)');
}

export interface DeviceRowsQuery {
  /** The companies whose devices are listed (the filter's company and below it, in scope). */
  readonly companyIds: readonly string[];
  readonly month: string;
  readonly filters: DeviceFilters;
  readonly after: DeviceCursor | null;
  readonly nowMs: number;
}

/**
 * One page of the devices of `companyIds` in name order, with this month's
 * facts from the device-day rows (role, virtual, modules, awake time) and,
 * for a device idle this month, its last reported facts. Company, status,
 * OS, physical/virtual and the 90-day listing retention are conditions of
 * the one indexed statement per stretch (AdminReadStore.deviceListPage);
 * Billed is the billing engine's answer for the stretch's devices. Only the
 * page's devices are read, never the whole month or the whole fleet.
 */
export async function deviceRows(storage: Pick<Storage, 'adminRead'>, q: DeviceRowsQuery, monthRows: MonthRowsOf,
  billedOf: (deviceIds: readonly string[]) => Promise<ReadonlySet<string>> = async () => new Set()):
  Promise<{ rows: DeviceRow[]; next: DeviceCursor | null; scanned: number }> {
  const month = parseMonth(q.month);
  const f = q.filters;
  const base = {
    companyIds: q.companyIds, limit: DEVICE_PAGE,
    ...(f.os ? { platform: f.os } : {}),
    ...(f.kind ? { virtual: f.kind === 'virtual' } : {}),
    ...(f.status ? { status: { is: f.status, fromDay: month.firstDay, toDay: month.endDay } } : {}),
    // "Inactive Devices: Remain visible in the dashboard for 90 days before automatic removal." (seed 000)
    activeAfterMs: q.nowMs - INACTIVE_DEVICE_VISIBLE_DAYS * DAY_MS,
  };
  const rows: DeviceRow[] = [];
  let cursor = q.after;
  let scanned = 0;
  for (let chunk = 0; chunk < (f.billed ? DEVICE_SCAN_CHUNKS : 1); chunk++) {
    const page = await storage.adminRead.deviceListPage({ ...base, after: cursor });
    scanned += page.items.length;
    const billed = await billedOf(page.items.map((d) => d.id));
    const wanted = f.billed ? page.items.filter((d) => billed.has(d.id) === (f.billed === 'yes')) : page.items;
    const room = DEVICE_PAGE - rows.length;
    rows.push(...await buildRows(storage, wanted.slice(0, room), monthRows, billed));
    if (wanted.length > room) {
      // The page is full inside this stretch: the next page starts after its last row.
      const last = rows[rows.length - 1].device;
      return { rows, next: { hostname: last.hostname, id: last.id }, scanned };
    }
    cursor = page.next;
    if (cursor === null || rows.length === DEVICE_PAGE) break;
  }
  return { rows, next: cursor, scanned };
}

async function buildRows(storage: Pick<Storage, 'adminRead'>, devices: readonly DeviceListing[], monthRows: MonthRowsOf, billed: ReadonlySet<string>): Promise<DeviceRow[]> {
  if (devices.length === 0) return [];
  const ids = new Set(devices.map((d) => d.id));
  const byDevice = new Map<string, DeviceDay[]>();
  for await (const page of monthRows([...ids])) {
    for (const d of page) if (ids.has(d.deviceId)) byDevice.set(d.deviceId, [...(byDevice.get(d.deviceId) ?? []), ...d.days]);
  }
  const facts = new Map((await storage.adminRead.deviceFacts([...ids])).map((f) => [f.deviceId, f.facts]));
  return devices.map((device): DeviceRow => {
    const days = (byDevice.get(device.id) ?? []).slice().sort((a, b) => a.utcDay - b.utcDay);
    const f = facts.get(device.id) ?? null;
    const latest = days.at(-1);
    const modules = new Set<ModuleName | string>();
    for (const d of days) for (const mod of d.modules) modules.add(mod);
    if (days.length === 0) for (const mod of f?.modules ?? []) if (mod.installed && mod.name) modules.add(mod.name);
    const perDay = new Map<number, number>();
    for (const d of days) perDay.set(d.utcDay, Math.max(perDay.get(d.utcDay) ?? 0, d.awakeSeconds));
    const awakeSeconds = [...perDay.values()].reduce((a, b) => a + b, 0);
    const activeDays = [...perDay.values()].filter((s) => s > 0).length;
    const factRole = f?.role?.role === 'server' || f?.role?.role === 'workstation' ? f.role.role : null;
    const os = f?.os ? [f.os.name, f.os.version].filter((s) => typeof s === 'string' && s.trim()).join(' ') || (f.os.platform ?? '') : '';
    return {
      device,
      hardwareId: f?.identity?.hardwareUuid?.trim() || f?.identity?.systemSerial?.trim() || '',
      os,
      virtual: latest ? latest.virtual : typeof f?.virtualization?.virtual === 'boolean' ? f.virtualization.virtual : null,
      role: latest ? latest.role : factRole,
      awakeSeconds,
      activeDays,
      modules: [...modules].sort(),
      // The person the device belongs to now: an admin's binding, else the one its agent reported (as GET /api/v1/devices says).
      user: device.user ? device.user.displayName || device.user.externalId : null,
      statuses: deviceStatuses(device, activeDays),
      billed: billed.has(device.id),
      notBilledBecause: billed.has(device.id) ? null : notBilledReason(device, activeDays),
    };
  });
}

/** Why a device is not billed this month, in words (the explain page has the day-by-day answer). */
export function notBilledReason(d: Pick<DeviceListing, 'uninstalledAtMs' | 'retiredAtMs' | 'mergedInto'>, activeDays: number): string {
  if (d.mergedInto) return 'merged into another device';
  if (activeDays === 0) return 'no activity this month';
  if (d.retiredAtMs !== null) return 'retired';
  if (d.uninstalledAtMs !== null) return 'agent uninstalled';
  return 'no billable licence, excluded, or billed at another company (see explain)';
}

/** Hours with one decimal, e.g. 12.5. */
export const hours = (seconds: number): string => (Math.round(seconds / 360) / 10).toLocaleString('en-US', { maximumFractionDigits: 1 });
