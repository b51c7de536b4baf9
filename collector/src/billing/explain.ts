// Explain one device's month: the days, the awake seconds, the modules, the
// user, and each column it counted in (or did not), with the rule's name.

import { computeEndpointUsage, type EndpointUsageInput } from './endpoint-usage.ts';
import { summarizeDeviceMonths, type DayVerdict } from './device-month.ts';
import { indexCompanies } from './hierarchy.ts';
import { formatDay, parseMonth } from './period.ts';
import type { ColumnReason, ModuleName, RetentionTier } from './types.ts';

export interface ExplainedDay {
  readonly utcDay: number;
  /** 'YYYY-MM-DD' */
  readonly date: string;
  readonly companyId: string;
  readonly awakeSeconds: number;
  readonly modules: readonly ModuleName[];
  readonly integrityMonitoringTier: RetentionTier | null;
  readonly userId: string | null;
  readonly verdict: DayVerdict;
  readonly note: string;
}

export interface DeviceExplanation {
  readonly deviceId: string;
  readonly month: string;
  readonly productType: EndpointUsageInput['productType'];
  /** False when the device has no row in the month. */
  readonly found: boolean;
  readonly days: readonly ExplainedDay[];
  readonly billedCompanyId: string | null;
  /** Every company the device is listed at this month, and whether it is billed there. */
  readonly listedAt: readonly { readonly companyId: string; readonly billed: boolean; readonly note: string }[];
  /** Column by column, at the billed company: counted (value > 0) or not, and why. */
  readonly columns: readonly ColumnReason[];
}

const DAY_NOTES: Readonly<Record<DayVerdict, string>> = {
  counted: 'protected (awake) this day: counts toward the month',
  not_awake: 'no awake seconds: sleep and power-off are not uptime',
  after_uninstall: 'agent already uninstalled: visible, not billed',
  company_inactive: 'company already inactive: not billed',
};

/** Explains one device. Takes the same input as the report; only that device's rows matter. */
export function explainDevice(input: EndpointUsageInput, deviceId: string): DeviceExplanation {
  const month = parseMonth(input.month);
  const deviceDays = input.deviceDays.filter((d) => d.deviceId === deviceId);
  const [summary] = summarizeDeviceMonths(deviceDays, month, indexCompanies(input.companies));
  if (!summary) {
    return { deviceId, month: month.id, productType: input.productType, found: false, days: [], billedCompanyId: null, listedAt: [], columns: [] };
  }
  const report = computeEndpointUsage({ ...input, deviceDays });
  const lines = report.rows.flatMap((row) => row.devices.filter((d) => d.deviceId === deviceId));
  const billedLine = lines.find((l) => l.companyId === summary.billedCompanyId);
  return {
    deviceId,
    month: month.id,
    productType: input.productType,
    found: true,
    days: summary.days.map(({ fact, verdict }) => ({
      utcDay: fact.utcDay,
      date: formatDay(fact.utcDay),
      companyId: fact.companyId,
      awakeSeconds: fact.awakeSeconds,
      modules: fact.modules,
      integrityMonitoringTier: fact.integrityMonitoringTier,
      userId: fact.userId,
      verdict,
      note: DAY_NOTES[verdict],
    })),
    billedCompanyId: summary.billedCompanyId,
    listedAt: lines.map((l) => ({ companyId: l.companyId, billed: l.billed && l.companyId === summary.billedCompanyId, note: l.billingNote })),
    columns: billedLine?.reasons ?? [],
  };
}
