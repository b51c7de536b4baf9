import type { Clocks, TickTimer } from '../../../agent/src/meter/clocks.ts';

/**
 * A machine with a monotonic clock, a wall clock and one interval timer, all
 * moved by hand. It knows how much it was really awake, so tests compare the
 * meter against the truth rather than against a copy of the meter's arithmetic.
 */
export class FakeMachine implements Clocks, TickTimer {
  private monotonic = 1_000_000;
  private wall: number;
  private timer: { intervalMs: number; fn: () => void; sinceFireMs: number } | undefined;
  /** Milliseconds the machine was really awake while the timer was armed. */
  trulyAwakeMs = 0;
  sleeps = 0;

  constructor(startWallIso: string) {
    this.wall = Date.parse(startWallIso);
  }

  monotonicMs(): number {
    return this.monotonic;
  }

  wallMs(): number {
    return this.wall;
  }

  every(intervalMs: number, fn: () => void): () => void {
    this.timer = { intervalMs, fn, sinceFireMs: 0 };
    return () => {
      this.timer = undefined;
    };
  }

  get armed(): boolean {
    return this.timer !== undefined;
  }

  /** Runs awake for `ms`, firing the timer whenever it is due (each firing `lateMs` late). */
  runAwake(ms: number, lateMs = 0): void {
    let left = ms;
    while (left > 0) {
      const timer = this.timer;
      const untilDue = timer ? timer.intervalMs + lateMs - timer.sinceFireMs : left;
      const step = Math.min(left, untilDue);
      this.advanceAwake(step);
      left -= step;
      if (timer && timer.sinceFireMs >= timer.intervalMs + lateMs) {
        timer.sinceFireMs = 0;
        timer.fn();
      }
    }
  }

  /**
   * Sleeps (or hibernates) for `ms`. If the monotonic clock pauses (Linux), the
   * timer also pauses and fires only after the rest of its interval once
   * awake; if it keeps running (macOS, Windows), the overdue timer fires at
   * once on wake.
   */
  sleep(ms: number, monotonic: 'pauses' | 'continues'): void {
    this.sleeps++;
    this.wall += ms;
    if (monotonic === 'continues') {
      this.monotonic += ms;
      if (this.timer) {
        this.timer.sinceFireMs = 0;
        this.timer.fn();
      }
    }
  }

  /** The wall clock is set (NTP step, an admin, a dead CMOS battery); nothing else changes. */
  stepWall(deltaMs: number): void {
    this.wall += deltaMs;
  }

  private advanceAwake(ms: number): void {
    this.monotonic += ms;
    this.wall += ms;
    if (this.timer) {
      this.timer.sinceFireMs += ms;
      this.trulyAwakeMs += ms;
    }
  }
}

export const dayOf = (iso: string): number => Math.floor(Date.parse(iso) / 86_400_000);
