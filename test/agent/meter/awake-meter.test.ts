import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AwakeMeter, type AwakeDay } from '../../../agent/src/meter/awake-meter.ts';
import { dayOf, FakeMachine } from './fake-machine.ts';

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

function startMeter(startIso: string, tickMs = 5 * SECOND) {
  const machine = new FakeMachine(startIso);
  const meter = new AwakeMeter({ clocks: machine, tickMs, bootId: 'boot-a' });
  meter.start(machine);
  return { machine, meter };
}

function secondsByDay(days: AwakeDay[]): Map<number, number> {
  const totals = new Map<number, number>();
  for (const d of days) totals.set(d.utcDay, (totals.get(d.utcDay) ?? 0) + d.awakeSeconds);
  return totals;
}

const totalSeconds = (days: AwakeDay[]) => days.reduce((sum, d) => sum + d.awakeSeconds, 0);

describe('AwakeMeter: awake time', () => {
  it('counts an hour of on-time ticks as 3600 s, tagged with the boot', () => {
    const { machine, meter } = startMeter('2026-05-04T10:00:00Z');
    machine.runAwake(HOUR);
    expect(meter.drain()).toEqual([{ utcDay: dayOf('2026-05-04'), bootId: 'boot-a', awakeSeconds: 3600 }]);
  });

  it('credits late ticks in full while they stay under the sleep threshold (event-loop lag is awake time)', () => {
    const { machine, meter } = startMeter('2026-05-04T10:00:00Z');
    machine.runAwake(HOUR, 3 * SECOND); // every tick 3 s late: 8 s intervals, threshold is 10 s
    expect(totalSeconds(meter.drain())).toBe(3600);
  });

  it('places the threshold at planned + max(2 s, planned)', () => {
    for (const [tickMs, thresholdMs] of [
      [5 * SECOND, 10 * SECOND],
      [1 * SECOND, 3 * SECOND],
    ]) {
      const machine = new FakeMachine('2026-05-04T10:00:00Z');
      const meter = new AwakeMeter({ clocks: machine, tickMs, bootId: 'b' });
      machine.sleep(thresholdMs, 'continues'); // no timer armed: only the clocks move
      meter.tick();
      expect(meter.pendingMs()).toBe(thresholdMs);
      machine.sleep(thresholdMs + 1, 'continues');
      meter.tick();
      expect(meter.pendingMs()).toBe(thresholdMs + tickMs);
    }
  });

  it('excludes a sleep exactly when the monotonic clock pauses during it (Linux)', () => {
    const { machine, meter } = startMeter('2026-05-04T10:00:00Z');
    machine.runAwake(HOUR + 2_500); // sleep starts mid-interval
    machine.sleep(2 * HOUR, 'pauses');
    machine.runAwake(HOUR - 2_500);
    expect(totalSeconds(meter.drain())).toBe(2 * 3600);
    expect(machine.trulyAwakeMs).toBe(2 * HOUR);
  });

  it('excludes a sleep when the monotonic clock keeps running (macOS, Windows), over-counting at most one tick', () => {
    const { machine, meter } = startMeter('2026-05-04T10:00:00Z');
    machine.runAwake(HOUR + 2_500);
    machine.sleep(2 * HOUR, 'continues');
    machine.runAwake(HOUR);
    const credited = totalSeconds(meter.drain());
    expect(machine.trulyAwakeMs).toBe(2 * HOUR + 2_500);
    // The tick after the sleep is credited its planned 5 s for 2.5 s of real awake time.
    expect(credited).toBe(2 * 3600 + 5);
    expect(credited * SECOND - machine.trulyAwakeMs).toBeLessThanOrEqual(meter.tickMs);
  });

  it('excludes a three-day hibernation and credits nothing to the days slept through', () => {
    const { machine, meter } = startMeter('2026-05-04T23:00:00Z');
    machine.runAwake(30 * MINUTE);
    machine.sleep(3 * DAY, 'continues'); // wakes 2026-05-07T23:30Z
    machine.runAwake(60 * MINUTE);
    const byDay = secondsByDay(meter.drain());
    expect([...byDay.keys()]).toEqual([dayOf('2026-05-04'), dayOf('2026-05-07'), dayOf('2026-05-08')]);
    // The first post-wake tick's planned 5 s go right after the last pre-sleep tick (2026-05-04).
    expect(byDay.get(dayOf('2026-05-04'))).toBe(30 * 60 + 5);
    expect(byDay.get(dayOf('2026-05-07'))).toBe(30 * 60);
    expect(byDay.get(dayOf('2026-05-08'))).toBe(30 * 60);
  });

  it('credits the time since the last tick on stop() and then stops the timer', () => {
    const { machine, meter } = startMeter('2026-05-04T10:00:00Z');
    machine.runAwake(12_345);
    meter.stop();
    expect(machine.armed).toBe(false);
    expect(meter.pendingMs()).toBe(12_345);
    machine.runAwake(HOUR);
    expect(meter.pendingMs()).toBe(12_345);
  });

  it('credits nothing when the monotonic clock goes backwards', () => {
    const clocks = { mono: 5_000, monotonicMs: () => clocks.mono, wallMs: () => Date.parse('2026-05-04T10:00:00Z') };
    const meter = new AwakeMeter({ clocks, bootId: 'b' });
    clocks.mono = 1_000;
    meter.tick();
    clocks.mono = 3_000;
    meter.tick();
    expect(meter.pendingMs()).toBe(2_000);
  });

  it('refuses a non-positive tick interval and an empty boot id', () => {
    const machine = new FakeMachine('2026-05-04T10:00:00Z');
    expect(() => new AwakeMeter({ clocks: machine, tickMs: 0, bootId: 'b' })).toThrow(RangeError);
    expect(() => new AwakeMeter({ clocks: machine, bootId: '' })).toThrow(RangeError);
  });
});

describe('AwakeMeter: wall-clock changes move seconds between days but never create or destroy them', () => {
  it('an NTP step back of 1 h neither repeats nor loses the hour', () => {
    const { machine, meter } = startMeter('2026-05-04T10:00:00Z');
    machine.runAwake(HOUR);
    machine.stepWall(-HOUR);
    machine.runAwake(HOUR);
    expect(meter.drain()).toEqual([{ utcDay: dayOf('2026-05-04'), bootId: 'boot-a', awakeSeconds: 7200 }]);
  });

  it('a manual step forward of two days moves later seconds to the new day, and the skipped day gets none', () => {
    const { machine, meter } = startMeter('2026-05-04T10:00:00Z');
    machine.runAwake(HOUR);
    machine.stepWall(2 * DAY);
    machine.runAwake(HOUR);
    const byDay = secondsByDay(meter.drain());
    expect(byDay).toEqual(new Map([[dayOf('2026-05-04'), 3600], [dayOf('2026-05-06'), 3600]]));
  });

  it('a step back across midnight credits the earlier day, still without extra seconds', () => {
    const { machine, meter } = startMeter('2026-05-05T00:10:00Z');
    machine.runAwake(10 * MINUTE);
    machine.stepWall(-30 * MINUTE); // now 2026-05-04T23:50Z
    machine.runAwake(20 * MINUTE); // 10 min before midnight, 10 after
    const byDay = secondsByDay(meter.drain());
    expect(byDay).toEqual(new Map([[dayOf('2026-05-04'), 600], [dayOf('2026-05-05'), 1200]]));
  });

  it('a tiny NTP slew-like step of a few ms per tick changes nothing', () => {
    const { machine, meter } = startMeter('2026-05-04T10:00:00Z');
    for (let i = 0; i < 720; i++) {
      machine.runAwake(5 * SECOND);
      machine.stepWall(i % 2 === 0 ? 7 : -7);
    }
    expect(totalSeconds(meter.drain())).toBe(3600);
  });
});

describe('AwakeMeter: UTC day boundaries', () => {
  it('splits a tick that straddles the new year: 2026-12-31T23:59:58Z + 5 s', () => {
    const { machine, meter } = startMeter('2026-12-31T23:59:58Z');
    machine.runAwake(5 * SECOND);
    expect(meter.drain()).toEqual([
      { utcDay: dayOf('2026-12-31'), bootId: 'boot-a', awakeSeconds: 2 },
      { utcDay: dayOf('2027-01-01'), bootId: 'boot-a', awakeSeconds: 3 },
    ]);
  });

  it('splits at the end of a month (February of a non-leap year)', () => {
    const { machine, meter } = startMeter('2027-02-28T23:58:00Z');
    machine.runAwake(4 * MINUTE);
    expect(secondsByDay(meter.drain())).toEqual(new Map([[dayOf('2027-02-28'), 120], [dayOf('2027-03-01'), 120]]));
  });

  it('carries a sub-second part across midnight instead of dropping it', () => {
    const { machine, meter } = startMeter('2026-05-04T23:59:59.600Z');
    machine.runAwake(5 * SECOND); // 400 ms on the 4th, 4600 ms on the 5th
    expect(meter.drain()).toEqual([{ utcDay: dayOf('2026-05-05'), bootId: 'boot-a', awakeSeconds: 5 }]);
    expect(meter.pendingMs()).toBe(0);
  });

  // Buckets are UTC days, so local days of 23 and 25 hours (DST) must not show.
  // The same scenario runs under several process time zones; every assertion is
  // about UTC day numbers, and the results must be identical.
  it.each([
    ['Europe/Berlin', '2026-03-29', 23],
    ['Europe/Berlin', '2026-10-25', 25],
    ['America/New_York', '2026-03-08', 23],
    ['America/New_York', '2026-11-01', 25],
  ])('gives full 86400 s UTC days across a %s DST change on %s (a local day of %i h)', (zone, localDate, localHours) => {
    const originalTz = process.env.TZ;
    try {
      const runIn = (tz: string) => {
        process.env.TZ = tz;
        const { machine, meter } = startMeter(`${localDate}T00:00:00Z`);
        machine.runAwake(DAY - HOUR);
        const first = meter.drain();
        machine.runAwake(DAY + HOUR);
        return [...first, ...meter.drain()];
      };
      const inZone = runIn(zone);
      // The scenario really contains the short or long local day in that zone.
      const [y, m, d] = localDate.split('-').map(Number);
      expect((new Date(y, m - 1, d + 1).getTime() - new Date(y, m - 1, d).getTime()) / HOUR).toBe(localHours);
      expect(secondsByDay(inZone)).toEqual(new Map([[dayOf(localDate), 86_400], [dayOf(localDate) + 1, 86_400]]));
      expect(runIn('UTC')).toEqual(inZone);
      expect(runIn('Asia/Kolkata')).toEqual(inZone);
    } finally {
      if (originalTz === undefined) delete process.env.TZ;
      else process.env.TZ = originalTz;
    }
  });
});

describe('AwakeMeter: drains', () => {
  it('keeps the fraction for the next drain, so many drains lose and invent nothing', () => {
    const { machine, meter } = startMeter('2026-05-04T23:00:00Z');
    let drained = 0;
    for (let i = 0; i < 1000; i++) {
      machine.runAwake(1_337, 337); // 5337 ms tick intervals: almost every credit has a fraction
      drained += totalSeconds(meter.drain());
      expect(meter.pendingMs()).toBeLessThan(SECOND);
    }
    meter.stop();
    drained += totalSeconds(meter.drain());
    expect(drained).toBe(1337);
    expect(meter.pendingMs()).toBe(0);
  });

  it('stays within the documented bound through random awake runs, sleeps, hibernations, clock steps and drains', () => {
    const step = fc.oneof(
      fc.record({ kind: fc.constant('awake' as const), ms: fc.integer({ min: 1, max: 3 * HOUR }), lateMs: fc.integer({ min: 0, max: 4_000 }) }),
      fc.record({ kind: fc.constant('sleep' as const), ms: fc.integer({ min: 11 * SECOND, max: 4 * DAY }), monotonic: fc.constantFrom('pauses' as const, 'continues' as const) }),
      fc.record({ kind: fc.constant('stepWall' as const), ms: fc.integer({ min: -2 * DAY, max: 2 * DAY }) }),
      fc.record({ kind: fc.constant('drain' as const) }),
    );
    fc.assert(
      fc.property(fc.array(step, { maxLength: 40 }), (steps) => {
        const { machine, meter } = startMeter('2026-12-30T20:00:00Z');
        const drained: AwakeDay[] = [];
        let continuingSleeps = 0;
        let maxLateMs = 0;
        for (const s of steps) {
          if (s.kind === 'awake') {
            machine.runAwake(s.ms, s.lateMs);
            maxLateMs = Math.max(maxLateMs, s.lateMs);
          }
          else if (s.kind === 'sleep') {
            machine.sleep(s.ms, s.monotonic);
            if (s.monotonic === 'continues') continuingSleeps++;
          } else if (s.kind === 'stepWall') machine.stepWall(s.ms);
          else drained.push(...meter.drain());
        }
        meter.stop();
        drained.push(...meter.drain());
        const creditedMs = totalSeconds(drained) * SECOND + meter.pendingMs();
        expect(meter.pendingMs()).toBeLessThan(SECOND);
        // A sleep can also hide the lateness of the tick it interrupted (event-loop lag).
        expect(creditedMs).toBeGreaterThanOrEqual(machine.trulyAwakeMs - continuingSleeps * maxLateMs);
        expect(creditedMs).toBeLessThanOrEqual(machine.trulyAwakeMs + continuingSleeps * meter.tickMs);
        for (const d of drained) {
          expect(Number.isInteger(d.awakeSeconds) && d.awakeSeconds > 0).toBe(true);
          expect(d.bootId).toBe('boot-a');
        }
      }),
      { seed: 20260504, numRuns: 300 },
    );
  });
});
