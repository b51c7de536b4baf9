// Finalized months and late data.
//
// DESIGN.md: "finalized: immutable, with a content hash. Data for a finalized
// month becomes an adjustment on that month". The issue: late data is
// accepted as an adjustment up to two months back; older data is recorded,
// not billed, and reported as 'unbilled late data' so the caller can count it.
// A month finalized early (during its grace window, on an admin's request) is
// finalized all the same: data reaching it afterwards is late data like any
// other (issue 18).

import { BillingInputError } from './errors.ts';
import { compareIds, hashMonthlyUsage } from './hash.ts';
import { zeroColumns } from './hierarchy.ts';
import { DEFAULT_GRACE_HOURS, monthContaining, monthsBetween, monthState, parseMonth } from './period.ts';
import { upgradeStoredReport } from './stored.ts';
import { USAGE_COLUMNS, type CompanyUsageRow, type MonthlyUsageReport, type UsageColumn } from './types.ts';

/** How many months back (counted from the month containing `now`) late data still adjusts a bill. */
export const LATE_DATA_ADJUSTMENT_MONTHS = 2;

export type LateDataDisposition =
  /** The month is not finalized yet: the data simply belongs to it. */
  | 'in_month'
  /** Finalized, at most two months back: bill the difference as an adjustment. */
  | 'adjustment'
  /** Finalized and older: record it, do not bill it. */
  | 'unbilled';

/**
 * What becomes of data for `monthId` arriving at `nowMs`. `finalized` says
 * whether the month is finalized; when it is not given, a month is taken as
 * finalized once its grace window is over (what the scheduler does). A month
 * finalized early, inside its grace window, is finalized: its late data is
 * an adjustment, never 'in_month'.
 */
export function lateDataDisposition(
  monthId: string,
  nowMs: number,
  opts: { readonly graceHours?: number; readonly finalized?: boolean } = {},
): LateDataDisposition {
  const month = parseMonth(monthId);
  const finalized = opts.finalized ?? monthState(month, nowMs, opts.graceHours ?? DEFAULT_GRACE_HOURS) === 'finalizable';
  if (!finalized) return 'in_month';
  return monthsBetween(month, monthContaining(nowMs)) <= LATE_DATA_ADJUSTMENT_MONTHS ? 'adjustment' : 'unbilled';
}

export interface FinalizedMonth {
  readonly report: MonthlyUsageReport;
  /** hashMonthlyUsage(report), stored when the month was finalized. */
  readonly hash: string;
}

/** Finalizes a month: the caller stores the report with this hash and never edits it. */
export function finalizeMonth(report: MonthlyUsageReport): FinalizedMonth {
  return { report, hash: hashMonthlyUsage(report) };
}

/**
 * Which figure of a row an adjustment line is about: the usage columns
 * (activity), the billable columns (what is billed), or the unlicensed
 * endpoints (activity not billed).
 */
export type AdjustmentFigure = 'usage' | 'billable' | 'unlicensed';

/** The column of an unlicensed adjustment line: the row's unlicensed endpoints. */
export const UNLICENSED_ENDPOINTS = 'unlicensedEndpoints';

/** One company's own figure changed by late data. Totals follow by the same roll-up as the report. */
export interface AdjustmentLine {
  readonly month: string;
  readonly companyId: string;
  /** Absent in lines stored before licence states: those were the usage columns, which were then billed. */
  readonly figure?: AdjustmentFigure;
  readonly column: UsageColumn | typeof UNLICENSED_ENDPOINTS;
  readonly finalized: number;
  readonly recomputed: number;
  readonly delta: number;
}

export type AdjustmentOutcome =
  | { readonly kind: 'no_change'; readonly month: string; readonly hash: string }
  | {
      readonly kind: 'adjustment' | 'unbilled_late_data';
      readonly month: string;
      readonly finalizedHash: string;
      readonly recomputedHash: string;
      readonly lines: readonly AdjustmentLine[];
    };

/**
 * Compares a finalized month with its recomputation from the facts as they
 * are now. Same hash: nothing to do. Otherwise the differences per company
 * are adjustment lines: the usage columns (billableEndpointUsage aside, it
 * is a billed figure), the billable columns, and the unlicensed endpoints.
 * They are an adjustment when the month is at most two months back, or
 * 'unbilled_late_data' (count it, do not bill it) when older. The month was
 * finalized (that is what the caller holds), early or not.
 */
export function adjustFinalizedMonth(finalized: FinalizedMonth, recomputed: MonthlyUsageReport, nowMs: number): AdjustmentOutcome {
  const { report } = finalized;
  if (report.month !== recomputed.month || report.productType !== recomputed.productType) {
    throw new BillingInputError(
      'MONTH_MISMATCH',
      `cannot compare ${report.month}/${report.productType} with ${recomputed.month}/${recomputed.productType}`,
    );
  }
  if (hashMonthlyUsage(report) !== finalized.hash) {
    throw new BillingInputError('INVALID_INPUT', `finalized report for ${report.month} does not match its stored hash`);
  }
  const state = monthState(parseMonth(report.month), nowMs);
  if (state === 'open' || state === 'future') {
    throw new BillingInputError('INVALID_INPUT', `${report.month} has not ended: it cannot have been finalized`);
  }
  const disposition = lateDataDisposition(report.month, nowMs, { finalized: true });
  const recomputedHash = hashMonthlyUsage(recomputed);
  if (recomputedHash === finalized.hash) return { kind: 'no_change', month: report.month, hash: finalized.hash };

  const lines = adjustmentLines(report.month, upgradeStoredReport(report).rows, upgradeStoredReport(recomputed).rows);
  return {
    kind: disposition === 'adjustment' ? 'adjustment' : 'unbilled_late_data',
    month: report.month,
    finalizedHash: finalized.hash,
    recomputedHash,
    lines,
  };
}

/**
 * The adjustment lines between a month's finalized company rows and their
 * recomputation (the rows alone: lines are not compared, their effect is in
 * the rows): per company its usage columns (billableEndpointUsage aside, a
 * billed figure), its billable columns and its unlicensed endpoints.
 */
export function adjustmentLines(month: string, finalizedRows: readonly CompanyUsageRow[], recomputedRows: readonly CompanyUsageRow[]): AdjustmentLine[] {
  const before = new Map(finalizedRows.map((r) => [r.companyId, r]));
  const after = new Map(recomputedRows.map((r) => [r.companyId, r]));
  const companyIds = [...new Set([...before.keys(), ...after.keys()])].sort(compareIds);
  const lines: AdjustmentLine[] = [];
  const push = (companyId: string, figure: AdjustmentFigure, column: AdjustmentLine['column'], old: number, now: number) => {
    if (old !== now) lines.push({ month, companyId, figure, column, finalized: old, recomputed: now, delta: now - old });
  };
  for (const companyId of companyIds) {
    const old = before.get(companyId);
    const now = after.get(companyId);
    const zero = zeroColumns();
    for (const column of USAGE_COLUMNS) {
      if (column !== 'billableEndpointUsage') push(companyId, 'usage', column, (old?.own ?? zero)[column], (now?.own ?? zero)[column]);
    }
    for (const column of USAGE_COLUMNS) push(companyId, 'billable', column, billableOwn(old)[column], billableOwn(now)[column]);
    push(companyId, 'unlicensed', UNLICENSED_ENDPOINTS, unlicensedOwn(old), unlicensedOwn(now));
  }
  return lines;
}

const billableOwn = (row: CompanyUsageRow | undefined) => row?.billable.own ?? zeroColumns();
const unlicensedOwn = (row: CompanyUsageRow | undefined) => row?.unlicensed.own.endpoints ?? 0;
