// Device-day facts -> one summary per device and month.
//
// DESIGN.md: "monthly figures are COUNT(DISTINCT device) over a month's rows,
// never sums of daily counts." This module decides, for each device, which of
// its days are billable and which company is billed for it.

import { BillingInputError } from './errors.ts';
import { compareIds } from './hash.ts';
import { TIER_ORDER } from './integrity-monitoring.ts';
import { DAY_MS, dayStartMs, type Month } from './period.ts';
import type { Company, DeviceDay, ModuleName } from './types.ts';

/**
 * Whether a day is activity: protected (awake) and not after an uninstall.
 * The company's licence on that day (billable, trial, inactive...) is a
 * separate question (licence.ts): activity is counted in the usage columns
 * whatever the licence; only billable days are billed.
 */
export type DayVerdict = 'counted' | 'not_awake' | 'after_uninstall' | 'after_retire';

/** An admin excluded the device from billing from `fromMs` (until `untilMs`), with a reason. */
export interface BillingExclusion {
  readonly fromMs: number;
  readonly untilMs: number | null;
  readonly reason: string;
}

export interface DayFact {
  readonly fact: DeviceDay;
  readonly verdict: DayVerdict;
}

export interface DeviceMonth {
  readonly deviceId: string;
  /** Every merged row of the month, sorted by day then company. */
  readonly days: readonly DayFact[];
  /**
   * The company whose columns count the device this month: the company of
   * its last counted (active) day; null when no day counts. In a licensed
   * view (licensedView) that is the company billed for it.
   */
  readonly billedCompanyId: string | null;
  /** Every company the device appeared at this month (it is listed at each). */
  readonly companyIds: readonly string[];
  /** The billed company's last counted row, else the last row: attributes (virtual, role...) come from it. */
  readonly latest: DeviceDay;
  /** Modules present on counted days. */
  readonly modules: readonly ModuleName[];
  /** Awake seconds summed over counted days. */
  readonly awakeSeconds: number;
  /** Counted days (distinct UTC days). */
  readonly billableDays: number;
  /** Exclusive end of the last counted day (the last instant it was online), or null. */
  readonly lastOnlineMs: number | null;
  /** Some counted day the device was virtual, in Central Scan, on a Central-Scan-compatible OS. */
  readonly usedCentralScanAsVirtual: boolean;
  /** Exclusions from billing an admin made for the device (its activity still counts as usage). */
  readonly exclusions: readonly BillingExclusion[];
  /** Made from the device's month summary (deviceMonthOfSummary): no day rows, one company, every day counted and billable. */
  readonly fromSummary?: true;
}

/**
 * The exclusion covering a UTC day, if any. Day granularity like the other
 * day rules: a day is excluded when the exclusion was in force at its start.
 */
export function exclusionOn(device: Pick<DeviceMonth, 'exclusions'>, utcDay: number): BillingExclusion | null {
  const start = dayStartMs(utcDay);
  return device.exclusions.find((e) => e.fromMs <= start && (e.untilMs === null || e.untilMs > start)) ?? null;
}

/**
 * What is billed of a device: its active days whose licence is billable and
 * that an admin did not exclude (the licensed view; licence.ts). null when
 * no day is billable.
 */
export function billableView(device: DeviceMonth, licences: { billableEveryDay(companyIds: readonly string[]): boolean; billableOn(companyId: string, utcDay: number): boolean }): DeviceMonth | null {
  if (device.exclusions.length === 0) {
    // Fast path (most devices of most months): every day is billable at every company the device was at.
    if (licences.billableEveryDay(device.companyIds)) return device;
    return licensedView(device, (companyId, utcDay) => licences.billableOn(companyId, utcDay));
  }
  return licensedView(device, (companyId, utcDay) => licences.billableOn(companyId, utcDay) && exclusionOn(device, utcDay) === null);
}

/**
 * Merges rows that repeat a (deviceId, utcDay, companyId) key. The caller's
 * contract is one row per key, so a repeat is a re-delivery: merging with
 * max / union makes it harmless, and the choice never depends on row order.
 */
export function mergeDeviceDays(rows: readonly DeviceDay[]): DeviceDay[] {
  const merged = new Map<string, DeviceDay>();
  for (const row of rows) {
    const key = `${row.deviceId}\u0000${row.utcDay}\u0000${row.companyId}`;
    const seen = merged.get(key);
    // A row whose modules are already sorted and unique (as storage gives them) is kept as it
    // is: copying millions of rows would double the memory of a month for nothing.
    merged.set(key, seen ? mergeTwo(seen, normalizeRow(row)) : normalizeRow(row));
  }
  return [...merged.values()];
}

function isSortedUnique(values: readonly string[]): boolean {
  for (let i = 1; i < values.length; i++) if (!(values[i - 1] < values[i])) return false;
  return true;
}

function mergeTwo(a: DeviceDay, b: DeviceDay): DeviceDay {
  const userIds = [a.userId, b.userId].filter((u): u is string => u !== null).sort(compareIds);
  const uninstalls = [a.uninstalledAtMs, b.uninstalledAtMs].filter((t): t is number => t !== null);
  const tiers = [a.integrityMonitoringTier, b.integrityMonitoringTier].filter((t) => t !== null);
  return {
    deviceId: a.deviceId,
    companyId: a.companyId,
    utcDay: a.utcDay,
    awakeSeconds: Math.max(a.awakeSeconds, b.awakeSeconds),
    virtual: a.virtual || b.virtual,
    role: a.role === 'server' || b.role === 'server' ? 'server' : 'workstation',
    platform: compareIds(a.platform, b.platform) >= 0 ? a.platform : b.platform,
    osCompatibleWithCentralScan: a.osCompatibleWithCentralScan || b.osCompatibleWithCentralScan,
    modules: [...new Set([...a.modules, ...b.modules])].sort(),
    integrityMonitoringTier: tiers.sort((x, y) => TIER_ORDER.indexOf(y) - TIER_ORDER.indexOf(x))[0] ?? null,
    userId: userIds[userIds.length - 1] ?? null,
    ownership: a.ownership === 'corporate' || b.ownership === 'corporate' ? 'corporate' : (a.ownership ?? b.ownership),
    uninstalledAtMs: uninstalls.length ? Math.min(...uninstalls) : null,
  };
}

function validateRow(row: DeviceDay): void {
  if (!row.deviceId || !row.companyId) {
    throw new BillingInputError('INVALID_INPUT', 'device-day row without deviceId or companyId');
  }
  if (!Number.isInteger(row.utcDay)) {
    throw new BillingInputError('INVALID_INPUT', `device ${row.deviceId}: utcDay must be an integer, got ${row.utcDay}`);
  }
  if (!Number.isFinite(row.awakeSeconds) || row.awakeSeconds < 0 || row.awakeSeconds > 86_400) {
    throw new BillingInputError(
      'INVALID_INPUT',
      `device ${row.deviceId} day ${row.utcDay}: awakeSeconds must be within 0..86400, got ${row.awakeSeconds}`,
    );
  }
}

/**
 * A day counts when the device was protected that day ("An endpoint counts
 * when it was protected at any time in the month; sleep is not uptime") and
 * the agent was not uninstalled before the day began (seed 000: uninstalled
 * agents "do not generate any billing charges"). An inactive company's days
 * count as activity too: inactivity is a licence state (licence.ts), so they
 * are unlicensed activity, shown, not billed.
 */
export function dayVerdict(fact: DeviceDay): DayVerdict {
  const start = dayStartMs(fact.utcDay);
  if (fact.uninstalledAtMs !== null && fact.uninstalledAtMs <= start) return 'after_uninstall';
  // Retired by an admin (the machine is gone): like an uninstall, the day of it still counts.
  if (fact.retiredAtMs != null && fact.retiredAtMs <= start) return 'after_retire';
  if (fact.awakeSeconds <= 0) return 'not_awake';
  return 'counted';
}

/**
 * Groups a month's rows per device. Rows outside the month are ignored, so
 * the caller may pass a wider range. Every row's company must be supplied.
 *
 * A device that moved between companies during the month "is billed once, to
 * the company where it was last active": the company of its last billable day
 * (on a tie, the one with more awake seconds that day, then the smaller id).
 */
export function summarizeDeviceMonths(
  rows: readonly DeviceDay[],
  month: Month,
  companies: ReadonlyMap<string, Company>,
  exclusions: ReadonlyMap<string, readonly BillingExclusion[]> = new Map(),
): DeviceMonth[] {
  const byDevice = new Map<string, DeviceDay[]>();
  for (const row of mergeDeviceDays(rows)) {
    if (row.utcDay < month.firstDay || row.utcDay >= month.endDay) continue;
    let list = byDevice.get(row.deviceId);
    if (!list) byDevice.set(row.deviceId, (list = []));
    list.push(row);
  }
  const summaries: DeviceMonth[] = [];
  for (const [deviceId, deviceRows] of byDevice) {
    summaries.push(summarizeOne(deviceId, deviceRows, companies, exclusions.get(deviceId) ?? []));
  }
  return summaries.sort((a, b) => compareIds(a.deviceId, b.deviceId));
}

/**
 * One device's month from that device's rows alone: the streaming form of
 * summarizeDeviceMonths (same merge, same rules), so a month can be computed
 * device by device without holding every row. null when none of the rows is
 * in the month. Every row must be the device's.
 */
export function summarizeDevice(
  deviceId: string,
  rows: readonly DeviceDay[],
  month: Month,
  companies: ReadonlyMap<string, Company>,
  exclusions: readonly BillingExclusion[] = [],
): DeviceMonth | null {
  for (const row of rows) {
    if (row.deviceId !== deviceId) {
      throw new BillingInputError('INVALID_INPUT', `row of device ${row.deviceId} passed as a row of device ${deviceId}`);
    }
  }
  // Storage gives one row per day in day order: then no key repeats and there is nothing to merge.
  const merged = strictlyByDay(rows) ? rows.map(normalizeRow) : mergeDeviceDays(rows);
  const inMonth = merged.filter((row) => row.utcDay >= month.firstDay && row.utcDay < month.endDay);
  return inMonth.length ? summarizeOne(deviceId, inMonth, companies, exclusions) : null;
}

function strictlyByDay(rows: readonly DeviceDay[]): boolean {
  for (let i = 1; i < rows.length; i++) if (!(rows[i - 1].utcDay < rows[i].utcDay)) return false;
  return true;
}

/** What mergeDeviceDays does to a row that repeats nothing: validated, modules sorted and unique. */
function normalizeRow(row: DeviceDay): DeviceDay {
  validateRow(row);
  return isSortedUnique(row.modules) ? row : { ...row, modules: [...new Set(row.modules)].sort() };
}

function summarizeOne(deviceId: string, rows: DeviceDay[], companies: ReadonlyMap<string, Company>, exclusions: readonly BillingExclusion[] = []): DeviceMonth {
  const days: DayFact[] = rows
    .sort((a, b) => a.utcDay - b.utcDay || compareIds(a.companyId, b.companyId))
    .map((fact) => {
      if (!companies.has(fact.companyId)) {
        throw new BillingInputError('INVALID_INPUT', `device ${deviceId} reports company ${fact.companyId}, which was not supplied`);
      }
      return { fact, verdict: dayVerdict(fact) };
    });
  return summarizeDays(deviceId, days, exclusions);
}

/**
 * The device's licensed view: its month restricted to the days whose licence
 * at that day's company is billable (licence.ts). Every rule of the columns
 * runs on it unchanged, so billable quantities follow the same rules as the
 * usage columns: one billable unit when active on at least one billable day,
 * billed to the company of its last active billable day. null when no row of
 * the month is on a billable day.
 */
export function licensedView(device: DeviceMonth, billableOn: (companyId: string, utcDay: number) => boolean): DeviceMonth | null {
  const days = device.days.filter((d) => billableOn(d.fact.companyId, d.fact.utcDay));
  if (days.length === device.days.length) return device;
  return days.length ? summarizeDays(device.deviceId, days, device.exclusions) : null;
}

/** A device's month from its sorted, judged days. */
function summarizeDays(deviceId: string, days: readonly DayFact[], exclusions: readonly BillingExclusion[]): DeviceMonth {
  const billable = days.filter((d) => d.verdict === 'counted').map((d) => d.fact);
  const lastBillable = [...billable].sort(
    (a, b) => b.utcDay - a.utcDay || b.awakeSeconds - a.awakeSeconds || compareIds(a.companyId, b.companyId),
  )[0];
  const modules = new Set<ModuleName>();
  let awakeSeconds = 0;
  let usedCentralScanAsVirtual = false;
  for (const fact of billable) {
    fact.modules.forEach((m) => modules.add(m));
    awakeSeconds += fact.awakeSeconds;
    usedCentralScanAsVirtual ||= fact.virtual && fact.osCompatibleWithCentralScan && fact.modules.includes('central_scan');
  }
  return {
    deviceId,
    days,
    billedCompanyId: lastBillable?.companyId ?? null,
    companyIds: [...new Set(days.map((d) => d.fact.companyId))].sort(compareIds),
    latest: lastBillable ?? days[days.length - 1].fact,
    modules: [...modules].sort(),
    awakeSeconds,
    billableDays: new Set(billable.map((f) => f.utcDay)).size,
    lastOnlineMs: lastBillable ? dayStartMs(lastBillable.utcDay) + DAY_MS : null,
    usedCentralScanAsVirtual,
    exclusions,
  };
}

/** Rows grouped per device, in the order devices first appear. */
export function rowsByDevice(deviceDays: Iterable<DeviceDay>): Map<string, DeviceDay[]> {
  const byDevice = new Map<string, DeviceDay[]>();
  for (const row of deviceDays) {
    const list = byDevice.get(row.deviceId);
    if (list) list.push(row);
    else byDevice.set(row.deviceId, [row]);
  }
  return byDevice;
}
