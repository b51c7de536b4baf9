// Billing periods: UTC calendar months, half-open [start, end).
//
// DESIGN.md: "Months are UTC calendar months, half-open [start, end). A month
// is open, then closing (a grace window for late data, default 72 h), then
// finalized: immutable, with a content hash."

import { BillingInputError } from './errors.ts';

export const DAY_MS = 86_400_000;
export const HOUR_MS = 3_600_000;
export const DEFAULT_GRACE_HOURS = 72;

export interface Month {
  /** 'YYYY-MM' */
  readonly id: string;
  readonly year: number;
  /** 1..12 */
  readonly month: number;
  /** First instant of the month (inclusive), ms since epoch. */
  readonly startMs: number;
  /** First instant of the next month (exclusive). */
  readonly endMs: number;
  /** First UTC day number of the month (inclusive). */
  readonly firstDay: number;
  /** First UTC day number of the next month (exclusive). */
  readonly endDay: number;
  readonly days: number;
}

const MONTH_PATTERN = /^(\d{4})-(\d{2})$/;

export function monthFromParts(year: number, month: number): Month {
  if (!Number.isInteger(year) || year < 1970 || year > 9999) {
    throw new BillingInputError('INVALID_MONTH', `year must be an integer in 1970..9999, got ${year}`);
  }
  if (!Number.isInteger(month) || month < 1 || month > 12) {
    throw new BillingInputError('INVALID_MONTH', `month must be an integer in 1..12, got ${month}`);
  }
  const startMs = Date.UTC(year, month - 1, 1);
  const endMs = Date.UTC(year, month, 1);
  return {
    id: formatMonth(year, month),
    year,
    month,
    startMs,
    endMs,
    firstDay: startMs / DAY_MS,
    endDay: endMs / DAY_MS,
    days: (endMs - startMs) / DAY_MS,
  };
}

/** Parses 'YYYY-MM'. Anything else (e.g. '2024-1', '2024-13', '2024/01') is an INVALID_MONTH error. */
export function parseMonth(text: string): Month {
  const match = typeof text === 'string' ? MONTH_PATTERN.exec(text) : null;
  if (!match) {
    throw new BillingInputError('INVALID_MONTH', `month must look like YYYY-MM, got ${JSON.stringify(text)}`);
  }
  return monthFromParts(Number(match[1]), Number(match[2]));
}

export function formatMonth(year: number, month: number): string {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}`;
}

/** The month containing an instant. */
export function monthContaining(ms: number): Month {
  assertInstant(ms, 'instant');
  const date = new Date(ms);
  return monthFromParts(date.getUTCFullYear(), date.getUTCMonth() + 1);
}

/** The month containing a UTC day number. */
export function monthOfDay(utcDay: number): Month {
  return monthContaining(utcDay * DAY_MS);
}

export function addMonths(month: Month, delta: number): Month {
  const index = month.year * 12 + (month.month - 1) + delta;
  return monthFromParts(Math.floor(index / 12), (index % 12) + 1);
}

/** How many months `later` is after `earlier` (negative when before). */
export function monthsBetween(earlier: Month, later: Month): number {
  return later.year * 12 + later.month - (earlier.year * 12 + earlier.month);
}

export function dayStartMs(utcDay: number): number {
  return utcDay * DAY_MS;
}

/** 'YYYY-MM-DD' of a UTC day number. */
export function formatDay(utcDay: number): string {
  return new Date(utcDay * DAY_MS).toISOString().slice(0, 10);
}

export type MonthState = 'future' | 'open' | 'closing' | 'finalizable';

/**
 * Where a month stands at `nowMs`: 'open' while it runs, 'closing' during the
 * grace window after its end (late data still lands in the month itself),
 * 'finalizable' once the grace window is over (the caller finalizes it and
 * stores the hash; later data becomes an adjustment).
 */
export function monthState(month: Month, nowMs: number, graceHours: number = DEFAULT_GRACE_HOURS): MonthState {
  assertInstant(nowMs, 'now');
  if (!Number.isFinite(graceHours) || graceHours < 0) {
    throw new BillingInputError('INVALID_INPUT', `graceHours must be a non-negative number, got ${graceHours}`);
  }
  if (nowMs < month.startMs) return 'future';
  if (nowMs < month.endMs) return 'open';
  if (nowMs < month.endMs + graceHours * HOUR_MS) return 'closing';
  return 'finalizable';
}

function assertInstant(ms: number, what: string): void {
  if (!Number.isFinite(ms)) {
    throw new BillingInputError('INVALID_INPUT', `${what} must be a finite number of milliseconds, got ${ms}`);
  }
}
