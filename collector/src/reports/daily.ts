// Daily add-on counts for the report's chart. Seed 003: "The chart, which
// depicts the usage of some GravityZone add-ons and services during the
// month." Monthly figures are distinct endpoints over the month; the chart
// shows, per UTC day, how many endpoints had each add-on on a protected day.
// Pure: computed from the month's DeviceDay rows.
import { DAY_MS, formatDay, parseMonth, type DeviceDay, type ModuleName } from '../billing/index.ts';

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
 * in the billing core.
 */
export function dailyAddOnUsage(month: string, deviceDays: Iterable<DeviceDay>, companyIds: ReadonlySet<string> | null = null): DailyAddOnUsage {
  const m = parseMonth(month);
  // Per day: device -> bit mask of active add-ons.
  const perDay: Map<string, number>[] = Array.from({ length: m.days }, () => new Map());
  for (const row of deviceDays) {
    if (row.utcDay < m.firstDay || row.utcDay >= m.endDay) continue;
    if (row.awakeSeconds <= 0) continue;
    if (row.uninstalledAtMs !== null && row.uninstalledAtMs < row.utcDay * DAY_MS) continue;
    if (companyIds && !companyIds.has(row.companyId)) continue;
    let mask = 0;
    CHART_ADD_ONS.forEach((addOn, bit) => {
      if (ADD_ON_MODULES[addOn].some((mod) => row.modules.includes(mod))) mask |= 1 << bit;
    });
    if (mask === 0) continue;
    const day = perDay[row.utcDay - m.firstDay];
    day.set(row.deviceId, (day.get(row.deviceId) ?? 0) | mask);
  }
  const series = Object.fromEntries(CHART_ADD_ONS.map((a) => [a, new Array<number>(m.days).fill(0)])) as Record<ChartAddOn, number[]>;
  perDay.forEach((devices, i) => {
    for (const mask of devices.values()) {
      CHART_ADD_ONS.forEach((addOn, bit) => {
        if (mask & (1 << bit)) series[addOn][i]++;
      });
    }
  });
  const days = Array.from({ length: m.days }, (_, i) => formatDay(m.firstDay + i));
  return { month: m.id, days, series };
}
