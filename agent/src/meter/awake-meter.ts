import type { Clocks, TickTimer } from './clocks.ts';
import { splitAcrossUtcDays } from './utc-days.ts';

export const DEFAULT_TICK_MS = 5_000;
/** A tick may run this much late (at least) before the gap is taken for a sleep. */
const MIN_SLEEP_SLACK_MS = 2_000;

export interface AwakeDay {
  /** Days since 1970-01-01, UTC. */
  utcDay: number;
  bootId: string;
  /** Whole seconds; the fraction stays in the meter until the next drain. */
  awakeSeconds: number;
}

export interface AwakeMeterOptions {
  clocks: Clocks;
  bootId: string;
  /** Planned interval between ticks. */
  tickMs?: number;
}

/**
 * Counts the time the agent runs on an awake machine, in per-UTC-day buckets.
 *
 * Each tick credits the monotonic time since the previous tick, unless the
 * tick came far later than planned: then the machine slept (or hibernated) in
 * between, and only the planned interval is credited. See README.md for the
 * method and its error bound.
 */
export class AwakeMeter {
  readonly bootId: string;
  readonly tickMs: number;
  private readonly clocks: Clocks;
  private readonly sleepThresholdMs: number;
  private lastMonotonicMs: number;
  private lastWallMs: number;
  /** Credited but not yet drained milliseconds, per UTC day. */
  private readonly pendingMsByDay = new Map<number, number>();
  /** Day of the most recent credit: the bucket that carries sub-second remainders. */
  private currentDay: number;
  private cancelTimer: (() => void) | undefined;

  constructor(opts: AwakeMeterOptions) {
    const tickMs = opts.tickMs ?? DEFAULT_TICK_MS;
    if (!Number.isFinite(tickMs) || tickMs <= 0) throw new RangeError(`tickMs must be positive, got ${tickMs}`);
    if (!opts.bootId) throw new RangeError('bootId must not be empty');
    this.clocks = opts.clocks;
    this.bootId = opts.bootId;
    this.tickMs = tickMs;
    this.sleepThresholdMs = tickMs + Math.max(MIN_SLEEP_SLACK_MS, tickMs);
    this.lastMonotonicMs = this.readMonotonic();
    this.lastWallMs = this.readWall();
    this.currentDay = Math.floor(this.lastWallMs / 86_400_000);
  }

  /** Starts ticking on `timer`. Metering itself began when the meter was constructed. */
  start(timer: TickTimer): void {
    if (this.cancelTimer) return;
    this.cancelTimer = timer.every(this.tickMs, () => this.tick());
  }

  /** Stops the timer and credits the time since the last tick, so a clean shutdown loses nothing but the sub-second remainder. */
  stop(): void {
    if (!this.cancelTimer) return;
    this.cancelTimer();
    this.cancelTimer = undefined;
    this.tick();
  }

  tick(): void {
    const monotonicMs = this.readMonotonic();
    const wallMs = this.readWall();
    const elapsedMs = monotonicMs - this.lastMonotonicMs;
    const previousWallMs = this.lastWallMs;
    this.lastMonotonicMs = monotonicMs;
    this.lastWallMs = wallMs;
    // A monotonic clock never goes back; if one does, crediting nothing is the
    // only answer that cannot invent time.
    if (elapsedMs <= 0) return;

    const slept = elapsedMs > this.sleepThresholdMs;
    const creditMs = slept ? this.tickMs : elapsedMs;
    // The awake part of a slept interval lies mostly before the sleep, so it is
    // placed right after the previous tick; otherwise the interval ends now.
    const startWallMs = slept ? previousWallMs : wallMs - creditMs;
    for (const share of splitAcrossUtcDays(startWallMs, creditMs)) {
      this.pendingMsByDay.set(share.utcDay, (this.pendingMsByDay.get(share.utcDay) ?? 0) + share.ms);
      this.currentDay = share.utcDay;
    }
  }

  /**
   * Takes the whole seconds credited so far, one entry per UTC day. Sub-second
   * remainders of other days are carried into the current day's bucket rather
   * than dropped, so over any number of drains the total is exact to within the
   * one remainder (< 1 s) the meter still holds.
   */
  drain(): AwakeDay[] {
    const drained: AwakeDay[] = [];
    let carriedMs = 0;
    for (const [utcDay, ms] of [...this.pendingMsByDay].sort((a, b) => a[0] - b[0])) {
      if (utcDay === this.currentDay) continue;
      const seconds = Math.floor(ms / 1000);
      if (seconds > 0) drained.push({ utcDay, bootId: this.bootId, awakeSeconds: seconds });
      carriedMs += ms - seconds * 1000;
      this.pendingMsByDay.delete(utcDay);
    }
    const currentMs = (this.pendingMsByDay.get(this.currentDay) ?? 0) + carriedMs;
    const seconds = Math.floor(currentMs / 1000);
    if (seconds > 0) drained.push({ utcDay: this.currentDay, bootId: this.bootId, awakeSeconds: seconds });
    this.pendingMsByDay.clear();
    const remainderMs = currentMs - seconds * 1000;
    if (remainderMs > 0) this.pendingMsByDay.set(this.currentDay, remainderMs);
    return drained.sort((a, b) => a.utcDay - b.utcDay);
  }

  /** Credited milliseconds not yet drained (for diagnostics and tests). */
  pendingMs(): number {
    let total = 0;
    for (const ms of this.pendingMsByDay.values()) total += ms;
    return total;
  }

  // Whole milliseconds keep every sum exact; rounding each reading (not each
  // delta) means the rounding never accumulates.
  private readMonotonic(): number {
    return Math.round(this.clocks.monotonicMs());
  }

  private readWall(): number {
    return Math.round(this.clocks.wallMs());
  }
}
