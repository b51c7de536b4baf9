// Which instants a device's records may speak of. An agent cannot have
// metered before it was installed, and a device enrolled today did not exist
// in 2020: usage for such days is refused (never billed, never an adjustment
// of a finalized month), and so is an uninstall outside the device's life.
// Pure: the device's lifecycle and the clock in.
import { MAX_DAYS_BEFORE_ENROLMENT } from '../../../proto/index.ts';
import type { DeviceLifecycle } from '../storage/types.ts';

export { MAX_DAYS_BEFORE_ENROLMENT };

const DAY_MS = 86_400_000;

/** Clocks disagree a little: an instant this far past the collector's now is still now. */
export const CLOCK_SKEW_MS = 5 * 60_000;

/** The earliest instant the hello may name as the agent's first run: before it, a clock is wrong. */
export const EARLIEST_FIRST_RUN_MS = Date.UTC(2020, 0, 1);

/** The first-run instant a hello reports, or null when absent (older agents) or not believable. */
export function firstRunFromHello(firstRunMs: number | null | undefined, nowMs: number): number | null {
  if (typeof firstRunMs !== 'number' || !Number.isSafeInteger(firstRunMs) || firstRunMs <= 0) return null;
  if (firstRunMs < EARLIEST_FIRST_RUN_MS || firstRunMs > nowMs + CLOCK_SKEW_MS) return null;
  return firstRunMs;
}

export interface RecordBounds {
  /** Usage for UTC days before this one is refused. */
  readonly earliestDay: number;
  readonly why: 'first_run' | 'enrolment';
  /** An uninstall before this instant (the latest enrolment) is refused. */
  readonly uninstallFromMs: number;
}

export function recordBounds(life: DeviceLifecycle): RecordBounds {
  const enrolledAtMs = life.lastEnrolledAtMs ?? life.enrolledAtMs;
  const byEnrolment = Math.floor(enrolledAtMs / DAY_MS) - MAX_DAYS_BEFORE_ENROLMENT;
  const byFirstRun = life.firstRunAtMs === null ? -Infinity : Math.floor(life.firstRunAtMs / DAY_MS);
  return {
    earliestDay: Math.max(byEnrolment, byFirstRun),
    why: byFirstRun >= byEnrolment ? 'first_run' : 'enrolment',
    uninstallFromMs: enrolledAtMs - CLOCK_SKEW_MS,
  };
}

const isoDay = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10);

/** Null when the day may carry usage; else why not. */
export function usageDayRefusal(bounds: RecordBounds, utcDay: number): string | null {
  if (utcDay >= bounds.earliestDay) return null;
  return bounds.why === 'first_run'
    ? `usage for ${isoDay(utcDay)} is before this agent's first run (${isoDay(bounds.earliestDay)}): refused, not billed`
    : `usage for ${isoDay(utcDay)} is more than ${MAX_DAYS_BEFORE_ENROLMENT} days before this device enrolled: refused, not billed`;
}

/** An instant for a message; a hostile one (beyond the Date range) is printed as its number. */
const isoInstant = (ms: number) => (Math.abs(ms) <= 8.64e15 ? new Date(ms).toISOString() : `${ms} ms`);

/** Null when an uninstall at `occurredAtMs` is within the device's life; else why not. */
export function uninstallRefusal(bounds: RecordBounds, occurredAtMs: number, nowMs: number): string | null {
  if (occurredAtMs < bounds.uninstallFromMs) return `an uninstall at ${isoInstant(occurredAtMs)} is before this device enrolled: refused`;
  if (occurredAtMs > nowMs + CLOCK_SKEW_MS) return `an uninstall at ${isoInstant(occurredAtMs)} is in the future: refused`;
  return null;
}

/** Whether usage for `utcDay` contradicts an uninstall at `uninstalledAtMs` (the agent is back: a reinstall, or the uninstall was rolled back). */
export const usageAfterUninstall = (uninstalledAtMs: number, utcDay: number) => utcDay * DAY_MS > uninstalledAtMs;
