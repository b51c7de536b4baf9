// Finalized months and late data.
//
// DESIGN.md: "finalized: immutable, with a content hash. Data for a finalized
// month becomes an adjustment on that month". The issue: late data is
// accepted as an adjustment up to two months back; older data is recorded,
// not billed, and reported as 'unbilled late data' so the caller can count it.

import { BillingInputError } from './errors.ts';
import { compareIds, hashMonthlyUsage } from './hash.ts';
import { zeroColumns } from './hierarchy.ts';
import { DEFAULT_GRACE_HOURS, monthContaining, monthsBetween, monthState, parseMonth } from './period.ts';
import { USAGE_COLUMNS, type MonthlyUsageReport, type UsageColumn } from './types.ts';

/** How many months back (counted from the month containing `now`) late data still adjusts a bill. */
export const LATE_DATA_ADJUSTMENT_MONTHS = 2;

export type LateDataDisposition =
  /** The month is not finalized yet: the data simply belongs to it. */
  | 'in_month'
  /** Finalized, at most two months back: bill the difference as an adjustment. */
  | 'adjustment'
  /** Finalized and older: record it, do not bill it. */
  | 'unbilled';

export function lateDataDisposition(monthId: string, nowMs: number, graceHours: number = DEFAULT_GRACE_HOURS): LateDataDisposition {
  const month = parseMonth(monthId);
  if (monthState(month, nowMs, graceHours) !== 'finalizable') return 'in_month';
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

/** One company's own-use column changed by late data. Totals follow by the same roll-up as the report. */
export interface AdjustmentLine {
  readonly month: string;
  readonly companyId: string;
  readonly column: UsageColumn;
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
 * and column are an adjustment when the month is at most two months back,
 * or 'unbilled_late_data' (count it, do not bill it) when older.
 */
export function adjustFinalizedMonth(
  finalized: FinalizedMonth,
  recomputed: MonthlyUsageReport,
  nowMs: number,
  graceHours: number = DEFAULT_GRACE_HOURS,
): AdjustmentOutcome {
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
  const disposition = lateDataDisposition(report.month, nowMs, graceHours);
  if (disposition === 'in_month') {
    throw new BillingInputError('INVALID_INPUT', `${report.month} is not past its grace window: recompute it instead of adjusting`);
  }
  const recomputedHash = hashMonthlyUsage(recomputed);
  if (recomputedHash === finalized.hash) return { kind: 'no_change', month: report.month, hash: finalized.hash };

  const before = new Map(report.rows.map((r) => [r.companyId, r.own]));
  const after = new Map(recomputed.rows.map((r) => [r.companyId, r.own]));
  const companyIds = [...new Set([...before.keys(), ...after.keys()])].sort(compareIds);
  const lines: AdjustmentLine[] = [];
  for (const companyId of companyIds) {
    const old = before.get(companyId) ?? zeroColumns();
    const now = after.get(companyId) ?? zeroColumns();
    for (const column of USAGE_COLUMNS) {
      if (old[column] !== now[column]) {
        lines.push({ month: report.month, companyId, column, finalized: old[column], recomputed: now[column], delta: now[column] - old[column] });
      }
    }
  }
  return {
    kind: disposition === 'adjustment' ? 'adjustment' : 'unbilled_late_data',
    month: report.month,
    finalizedHash: finalized.hash,
    recomputedHash,
    lines,
  };
}
