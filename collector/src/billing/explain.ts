// Explain one device's month: the days, the awake seconds, the modules, the
// user, the licence of each day, and each column it counted in (or did not),
// with the rule's name: in the usage columns (activity) and in the billable
// columns (its days with a billable licence).

import { EndpointUsageAccumulator, type EndpointUsageInput } from './endpoint-usage.ts';
import { classifyDevice } from './endpoint-columns.ts';
import { exclusionOn, summarizeDeviceMonths, type BillingExclusion, type DayVerdict } from './device-month.ts';
import type { LicenceState, UnlicensedReason } from './licence.ts';
import { formatDay } from './period.ts';
import { companyMonthTerms } from './subscription.ts';
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
  /** The company's licence that day: billable when billable at some moment of the day, else the state at its start. */
  readonly licence: LicenceState;
  /** Whether the day is billed: it counts (active), its licence is billable and no admin excluded the device. */
  readonly billable: boolean;
  /** The reason of an admin's exclusion from billing covering the day, if any. */
  readonly excluded: string | null;
  readonly note: string;
}

export interface DeviceExplanation {
  readonly deviceId: string;
  readonly month: string;
  readonly productType: EndpointUsageInput['productType'];
  /** False when the device has no row in the month. */
  readonly found: boolean;
  readonly days: readonly ExplainedDay[];
  /** The company billed: of its last active day with a billable licence; null when none. */
  readonly billedCompanyId: string | null;
  /** The company whose usage columns count it: of its last active day; null when it was never active. */
  readonly countedCompanyId: string | null;
  /** Set when the device is unlicensed activity (active, no billable day): the licence state of its last active day. */
  readonly unlicensed: UnlicensedReason | null;
  /** Every company the device is listed at this month, and whether it is billed there. */
  readonly listedAt: readonly { readonly companyId: string; readonly billed: boolean; readonly note: string }[];
  /** Column by column, at the company whose usage columns count it: counted (value > 0) or not, and why. */
  readonly columns: readonly ColumnReason[];
  /** Column by column, at the billed company, over the billable days only. */
  readonly billableColumns: readonly ColumnReason[];
}

const DAY_NOTES: Readonly<Record<DayVerdict, string>> = {
  counted: 'protected (awake) this day: counts toward the month',
  not_awake: 'no awake seconds: sleep and power-off are not uptime',
  after_uninstall: 'agent already uninstalled: visible, not billed',
  after_retire: 'device already retired by an admin: visible, not billed',
};

const LICENCE_NOTES: Readonly<Record<LicenceState, string>> = {
  billable: 'licence billable',
  trial: 'on trial: shown, not billed',
  not_started: 'subscription not started: shown, not billed',
  ended: 'subscription ended: shown, not billed',
  inactive: 'company (or a partner above it) inactive: shown, not billed',
  none: 'no subscription: shown, not billed',
};

/** Explains one device. Takes the same input as the report; only that device's rows matter. */
export function explainDevice(input: EndpointUsageInput, deviceId: string, exclusions: readonly BillingExclusion[] = []): DeviceExplanation {
  const usage = new EndpointUsageAccumulator(input);
  const [summary] = summarizeDeviceMonths(input.deviceDays.filter((d) => d.deviceId === deviceId), usage.month, usage.companies, new Map([[deviceId, exclusions]]));
  const empty = { deviceId, month: usage.month.id, productType: input.productType };
  if (!summary) {
    return { ...empty, found: false, days: [], billedCompanyId: null, countedCompanyId: null, unlicensed: null, listedAt: [], columns: [], billableColumns: [] };
  }
  const lines = usage.add(summary);
  const licensed = usage.licensedView(summary);
  const billedCompanyId = licensed?.billedCompanyId ?? null;
  const countedLine = lines.find((l) => l.companyId === summary.billedCompanyId);
  const xdrDeployed = (companyId: string) => new Set(input.xdrSensorDeployments.filter((x) => x.companyId === companyId && x.month === usage.month.id).map((x) => x.category));
  const billedTerms = billedCompanyId ? companyMonthTerms(billedCompanyId, input.subscriptions, usage.month) : null;
  // As the report: a device billed in the other product type's report has no billable columns in this one.
  const billableColumns = licensed && billedCompanyId && billedTerms?.productType === input.productType
    ? classifyDevice(licensed, { month: usage.month, terms: billedTerms, xdrDeployed: xdrDeployed(billedCompanyId) }).reasons
    : [];
  return {
    ...empty,
    found: true,
    days: summary.days.map(({ fact, verdict }) => {
      const licence = usage.licences.dayState(fact.companyId, fact.utcDay);
      const excluded = exclusionOn(summary, fact.utcDay);
      const billable = verdict === 'counted' && licence === 'billable' && excluded === null;
      return {
        utcDay: fact.utcDay,
        date: formatDay(fact.utcDay),
        companyId: fact.companyId,
        awakeSeconds: fact.awakeSeconds,
        modules: fact.modules,
        integrityMonitoringTier: fact.integrityMonitoringTier,
        userId: fact.userId,
        verdict,
        licence,
        billable,
        excluded: excluded?.reason ?? null,
        note: verdict !== 'counted' ? DAY_NOTES[verdict]
          : excluded ? `${DAY_NOTES[verdict]}; excluded from billing by an admin: ${excluded.reason}` : `${DAY_NOTES[verdict]}; ${LICENCE_NOTES[licence]}`,
      };
    }),
    billedCompanyId,
    countedCompanyId: summary.billedCompanyId,
    unlicensed: billedCompanyId === null && summary.billedCompanyId !== null && !exclusionOn(summary, summary.latest.utcDay)
      ? usage.licences.dayState(summary.billedCompanyId, summary.latest.utcDay) as UnlicensedReason : null,
    listedAt: lines.map((l) => ({ companyId: l.companyId, billed: l.billed, note: l.billingNote })),
    columns: countedLine?.reasons ?? [],
    billableColumns,
  };
}
