// A device's month in one row: what storage keeps per (device, month) as the
// device-day rows arrive (storage/sql/summaries.ts), so that an open month is
// read one row per device, not one per device-day.
//
// The summary is plain aggregates of the stored rows (counts, sums, the
// union of modules, the last active row): no rule of billing. The rules stay
// here: deviceMonthOfSummary turns a summary into the DeviceMonth the
// accumulators take, and only where that gives exactly what
// summarizeDevice would give from the rows themselves. Everywhere else
// (a device at several companies this month, an uninstall or a retirement
// before the month's end, an admin's exclusion, a company whose licence is
// not billable every day of the month, a month without an active day) it
// answers null and the caller reads that device's rows: rare devices, the
// same rules.
import { compareIds } from './hash.ts';
import { DAY_MS, dayStartMs, type Month } from './period.ts';
import type { Company, DeviceDay, ModuleName } from './types.ts';
import type { DeviceMonth } from './device-month.ts';

export interface DeviceMonthSummary {
  readonly deviceId: string;
  /** The company of every row of the month; null when the rows name more than one. */
  readonly companyId: string | null;
  /** Rows of the month with awake time. */
  readonly activeDays: number;
  /** Awake seconds summed over the month's rows. */
  readonly awakeSeconds: number;
  /** Modules of the rows with awake time, sorted and unique. */
  readonly modules: readonly ModuleName[];
  /** Some row with awake time was virtual, with Central Scan, on a Central-Scan-compatible OS. */
  readonly usedCentralScanAsVirtual: boolean;
  /**
   * The last row with awake time, as the core reads rows (storage/rows.ts
   * toDeviceDay: the device's uninstall and retirement instants on it);
   * null when no row has awake time.
   */
  readonly latest: DeviceDay | null;
}

/**
 * The summary of one device's rows of a month (one row per day, as storage
 * keeps them): the reference for what storage maintains (tests compare the
 * two).
 */
export function summarizeMonthRows(deviceId: string, rows: readonly DeviceDay[]): DeviceMonthSummary | null {
  if (rows.length === 0) return null;
  const companies = new Set(rows.map((r) => r.companyId));
  const active = rows.filter((r) => r.awakeSeconds > 0);
  const latest = active.reduce<DeviceDay | null>((best, r) => (best === null || r.utcDay > best.utcDay ? r : best), null);
  return {
    deviceId,
    companyId: companies.size === 1 ? rows[0].companyId : null,
    activeDays: active.length,
    awakeSeconds: rows.reduce((sum, r) => sum + r.awakeSeconds, 0),
    modules: [...new Set(active.flatMap((r) => r.modules))].sort(),
    usedCentralScanAsVirtual: active.some((r) => r.virtual && r.osCompatibleWithCentralScan && r.modules.includes('central_scan')),
    latest,
  };
}

export interface SummaryContext {
  readonly month: Month;
  readonly companies: ReadonlyMap<string, Company>;
  /** Whether the company's licence is billable on every day of the month (MonthLicences.billableEveryDay). */
  billableEveryDay(companyIds: readonly string[]): boolean;
  /** The one-company list `[companyId]`, shared by the caller's devices at that company (optional: a new list each). */
  companyIdsOf?(companyId: string): readonly string[];
}

/**
 * The device's month from its summary, or null when the summary cannot
 * stand for its rows (see the top of this file): then summarizeDevice over
 * the rows. `exclusions` is how many exclusions from billing the device has
 * in force during the month.
 */
export function deviceMonthOfSummary(summary: DeviceMonthSummary, exclusions: number, context: SummaryContext): DeviceMonth | null {
  const { companyId, latest } = summary;
  if (companyId === null || latest === null || exclusions > 0 || summary.activeDays === 0) return null;
  if (!context.companies.has(companyId) || !context.billableEveryDay([companyId])) return null;
  // A day counts unless the agent was uninstalled or the device retired by its start (device-month.ts dayVerdict):
  // an instant after the last day's start changes no day of the month.
  const lastDayStart = dayStartMs(context.month.endDay - 1);
  if ((latest.uninstalledAtMs !== null && latest.uninstalledAtMs <= lastDayStart) || (latest.retiredAtMs != null && latest.retiredAtMs <= lastDayStart)) return null;
  if (latest.companyId !== companyId) return null;
  return new SummaryDeviceMonth(summary, companyId, latest, context.companyIdsOf?.(companyId) ?? [companyId]);
}

const NO_EXCLUSIONS: readonly never[] = Object.freeze([]);

/**
 * A device's month made from its summary: every day counted, at one
 * company; what the lines need of the days is in the fields
 * (endpoint-usage.ts deviceLine). A class, not a literal: millions are made
 * for one month, and the getter that refuses `days` is shared.
 */
class SummaryDeviceMonth implements DeviceMonth {
  readonly deviceId: string;
  readonly billedCompanyId: string;
  readonly companyIds: readonly string[];
  readonly latest: DeviceDay;
  readonly modules: readonly ModuleName[];
  readonly awakeSeconds: number;
  readonly billableDays: number;
  readonly lastOnlineMs: number;
  readonly usedCentralScanAsVirtual: boolean;
  readonly exclusions: readonly never[] = NO_EXCLUSIONS;
  readonly fromSummary = true as const;

  constructor(summary: DeviceMonthSummary, companyId: string, latest: DeviceDay, companyIds: readonly string[]) {
    this.deviceId = summary.deviceId;
    this.billedCompanyId = companyId;
    this.companyIds = companyIds;
    this.latest = latest;
    this.modules = summary.modules;
    this.awakeSeconds = summary.awakeSeconds;
    this.billableDays = summary.activeDays;
    this.lastOnlineMs = dayStartMs(latest.utcDay) + DAY_MS;
    this.usedCentralScanAsVirtual = summary.usedCentralScanAsVirtual;
  }

  get days(): never {
    throw new Error(`device ${this.deviceId}: a month read from its summary has no day rows`);
  }
}

/** Whether two summaries say the same (test helper and storage self-checks). */
export function sameSummary(a: DeviceMonthSummary | null, b: DeviceMonthSummary | null): boolean {
  if (a === null || b === null) return a === b;
  const latestKey = (l: DeviceDay | null) => (l === null ? null
    : [l.companyId, l.utcDay, l.awakeSeconds, l.virtual, l.role, l.platform, [...l.modules].sort().join(','), l.integrityMonitoringTier, l.userId, l.ownership].join('|'));
  return a.deviceId === b.deviceId && a.companyId === b.companyId && a.activeDays === b.activeDays && a.awakeSeconds === b.awakeSeconds
    && [...a.modules].sort(compareIds).join(',') === [...b.modules].sort(compareIds).join(',')
    && a.usedCentralScanAsVirtual === b.usedCentralScanAsVirtual && latestKey(a.latest) === latestKey(b.latest);
}
