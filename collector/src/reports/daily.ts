// Daily add-on counts for the report's chart. Seed 003: "The chart, which
// depicts the usage of some GravityZone add-ons and services during the
// month." Monthly figures are distinct endpoints over the month; the chart
// shows, per UTC day, how many endpoints had each add-on on a protected day.
// Pure: computed from the month's DeviceDay rows, all at once or device by
// device (DailyAddOnAccumulator).
import { DAY_MS, formatDay, parseMonth, rowsByDevice, type DeviceDay, type Month, type ModuleName, type OptionalFeature, type UsageColumn } from '../billing/index.ts';

export const CHART_ADD_ONS = ['encryption', 'patchManagement', 'integrityMonitoring', 'containerProtection', 'ats', 'edr', 'sve'] as const;
export type ChartAddOn = (typeof CHART_ADD_ONS)[number];

export const CHART_ADD_ON_LABELS: Readonly<Record<ChartAddOn, string>> = {
  encryption: 'Encryption',
  patchManagement: 'Patch Management',
  integrityMonitoring: 'Integrity Monitoring',
  containerProtection: 'Container Protection',
  ats: 'ATS',
  edr: 'EDR',
  sve: 'SVE (Central Scan)',
};

/** The add-on each series draws, as the billing core names it: a company that has not enabled it is not counted (as in the table). */
export const CHART_ADD_ON_FEATURES: Readonly<Record<ChartAddOn, OptionalFeature>> = {
  encryption: 'encryption', patchManagement: 'patchManagement', integrityMonitoring: 'integrityMonitoring', containerProtection: 'containerProtection',
  ats: 'ats', edr: 'edr', sve: 'sve',
};

/** The usage column each series goes with: the chart shows a series when the table shows its column. */
export const CHART_ADD_ON_COLUMNS: Readonly<Record<ChartAddOn, UsageColumn>> = {
  encryption: 'encryptionUsage', patchManagement: 'patchManagementUsage', integrityMonitoring: 'integrityMonitoringUsage',
  containerProtection: 'containerProtectionUsage', ats: 'atsUsage', edr: 'edrUsage', sve: 'sveVsUsage',
};

/** Whether an add-on is enabled for a company this month (CompanyUsageRow.enabled); absent: every add-on counts. */
export type AddOnEnabled = (feature: OptionalFeature, companyId: string) => boolean;

/** Which modules make an add-on active on a device-day. */
const ADD_ON_MODULES: Readonly<Record<ChartAddOn, readonly ModuleName[]>> = {
  encryption: ['full_disk_encryption'],
  patchManagement: ['patch_management'],
  integrityMonitoring: ['integrity_monitoring'],
  containerProtection: ['container_protection'],
  // "at least one of HyperDetect or Sandbox Analyzer"
  ats: ['hyperdetect', 'sandbox_analyzer'],
  edr: ['edr_sensor'],
  sve: ['central_scan'],
};

export interface DailyAddOnUsage {
  /** 'YYYY-MM' */
  readonly month: string;
  /** 'YYYY-MM-DD' of each day of the month, in order. */
  readonly days: readonly string[];
  /** Per add-on, one count per day (same order as days). */
  readonly series: Readonly<Record<ChartAddOn, readonly number[]>>;
}

/**
 * Counts, per UTC day of the month, the distinct devices with each add-on
 * present on a protected day: awake seconds > 0 ("The sleep and hibernation
 * modes are not counted for uptime") and before an uninstall. Rows outside
 * the month or of companies outside `companyIds` (when given) are ignored; a
 * row repeated for the same device and day counts once (modules united), as
 * in the billing core. In memory: a thin wrapper over DailyAddOnAccumulator.
 */
export function dailyAddOnUsage(month: string, deviceDays: Iterable<DeviceDay>, companyIds: ReadonlySet<string> | null = null): DailyAddOnUsage {
  const usage = new DailyAddOnAccumulator(month, companyIds);
  for (const [deviceId, rows] of rowsByDevice(deviceDays)) usage.add(deviceId, rows);
  return usage.result();
}


/** Whether a device-day row counts for the daily charts: in the month, protected, not after an uninstall, of a company shown. */
export function chartsRow(row: DeviceDay, firstDay: number, endDay: number, companyIds: ReadonlySet<string> | null): boolean {
  if (row.utcDay < firstDay || row.utcDay >= endDay) return false;
  if (row.awakeSeconds <= 0) return false;
  if (row.uninstalledAtMs !== null && row.uninstalledAtMs < row.utcDay * DAY_MS) return false;
  return !companyIds || companyIds.has(row.companyId);
}

/**
 * dailyAddOnUsage one device at a time: add() each device's rows of the
 * month (all of them, once: a device counts once per day), result() gives
 * the series. Memory grows with the days, not the endpoints.
 */
export class DailyAddOnAccumulator {
  private readonly month: Month;
  private readonly series: Record<ChartAddOn, number[]>;

  constructor(month: string, private readonly companyIds: ReadonlySet<string> | null = null, private readonly enabled: AddOnEnabled | null = null) {
    this.month = parseMonth(month);
    this.series = Object.fromEntries(CHART_ADD_ONS.map((a) => [a, new Array<number>(this.month.days).fill(0)])) as Record<ChartAddOn, number[]>;
  }

  add(deviceId: string, rows: readonly DeviceDay[]): void {
    const m = this.month;
    // Per day of this device: bit mask of active add-ons.
    const perDay = new Map<number, number>();
    for (const row of rows) {
      if (row.deviceId !== deviceId) throw new Error(`row of device ${row.deviceId} passed as a row of device ${deviceId}`);
      if (!chartsRow(row, m.firstDay, m.endDay, this.companyIds)) continue;
      let mask = 0;
      CHART_ADD_ONS.forEach((addOn, bit) => {
        // Installed and enabled, as the monthly figure counts it: an add-on a company has not enabled is "Not enabled" in the table, so 0 here.
        if (this.enabled && !this.enabled(CHART_ADD_ON_FEATURES[addOn], row.companyId)) return;
        if (ADD_ON_MODULES[addOn].some((mod) => row.modules.includes(mod))) mask |= 1 << bit;
      });
      if (mask === 0) continue;
      const i = row.utcDay - m.firstDay;
      perDay.set(i, (perDay.get(i) ?? 0) | mask);
    }
    for (const [i, mask] of perDay) {
      CHART_ADD_ONS.forEach((addOn, bit) => {
        if (mask & (1 << bit)) this.series[addOn][i]++;
      });
    }
  }

  result(): DailyAddOnUsage {
    const m = this.month;
    const series = Object.fromEntries(CHART_ADD_ONS.map((a) => [a, [...this.series[a]]])) as Record<ChartAddOn, number[]>;
    const days = Array.from({ length: m.days }, (_, i) => formatDay(m.firstDay + i));
    return { month: m.id, days, series };
  }
}
