import { describe, expect, it } from 'vitest';
import { parseDarwinLast } from '../../../agent/src/facts/darwin.ts';
import { parseLastIso } from '../../../agent/src/facts/linux.ts';
import { bindUsers, updateActivityTally } from '../../../agent/src/facts/users.ts';
import { parsePowerShellDate } from '../../../agent/src/facts/windows.ts';

const DAY = 86_400_000;
const NOW = Date.parse('2024-06-30T12:00:00Z');

describe('primary user over a rolling 30-day window', () => {
  it('the user active on the most days is primary, not the one who signed in last', () => {
    let tally = { users: {} };
    for (let d = 20; d >= 1; d--) tally = updateActivityTally(tally, [{ userId: 'S-1-5-21-1-1001', signInMs: NOW - d * DAY, signOutMs: NOW - d * DAY + 3_600_000 }], NOW - d * DAY + 3_600_000);
    tally = updateActivityTally(tally, [{ userId: 'S-1-5-21-1-500', signInMs: NOW - 60_000 }], NOW);
    expect(bindUsers(tally)).toEqual([
      { userId: 'S-1-5-21-1-1001', primary: true, lastSignInMs: NOW - DAY },
      { userId: 'S-1-5-21-1-500', primary: false, lastSignInMs: NOW - 60_000 },
    ]);
  });

  it('an open session counts every day up to now; days beyond the window are forgotten', () => {
    const tally = updateActivityTally({ users: {} }, [{ userId: 'u', signInMs: NOW - 45 * DAY }], NOW);
    expect(tally.users.u!.activeDays).toHaveLength(30);
    const later = updateActivityTally(tally, [], NOW + 40 * DAY);
    expect(later.users).toEqual({});
  });

  it('ties go to the most recent sign-in, then to the id, so the choice is deterministic', () => {
    const tally = updateActivityTally({ users: {} }, [{ userId: 'b', signInMs: NOW - 2000, signOutMs: NOW - 1000 }, { userId: 'a', signInMs: NOW - 2000, signOutMs: NOW - 1000 }], NOW);
    expect(bindUsers(tally).find((u) => u.primary)?.userId).toBe('a');
  });
});

describe('sign-in record parsers', () => {
  it('util-linux last --time-format iso: open, closed and crashed sessions', () => {
    const text = [
      'anna     tty2         tty2             2024-05-03T08:00:01+02:00   still logged in',
      'anna     tty2         tty2             2024-05-02T08:10:44+02:00 - 2024-05-02T18:31:02+02:00  (10:20)',
      'bob      pts/1        10.0.0.5         2024-04-30T08:05:10+02:00 - crash                      (1+01:02)',
      'reboot   system boot  6.5.0-28-generic 2024-05-03T07:59:30+02:00   still running',
      '',
      'wtmp begins 2024-04-01T09:00:01+02:00',
    ].join('\n');
    const ids = (n: string) => (n === 'reboot' ? undefined : `${n}@h`);
    expect(parseLastIso(text, ids)).toEqual([
      { userId: 'anna@h', signInMs: Date.parse('2024-05-03T06:00:01Z') },
      { userId: 'anna@h', signInMs: Date.parse('2024-05-02T06:10:44Z'), signOutMs: Date.parse('2024-05-02T16:31:02Z') },
      { userId: 'bob@h', signInMs: Date.parse('2024-04-30T06:05:10Z'), signOutMs: Date.parse('2024-04-30T06:05:10Z') },
    ]);
  });

  it('BSD last on macOS: the year is inferred from the weekday, the end from the duration', () => {
    const now = new Date(2025, 0, 10, 12, 0).getTime();
    // Mon Dec 30 is 2024 (2019 is a Monday too, but further away).
    const sessions = parseDarwinLast('anna      console                   Mon Dec 30 08:55 - 18:02  (1+09:07)\n', (n) => n, now);
    expect(sessions).toEqual([{ userId: 'anna', signInMs: new Date(2024, 11, 30, 8, 55).getTime(), signOutMs: new Date(2024, 11, 30, 8, 55).getTime() + (33 * 60 + 7) * 60_000 }]);
  });

  it('PowerShell dates: 5.1 /Date(ms)/, 7.x ISO, raw CIM DMTF', () => {
    expect(parsePowerShellDate('/Date(1714636800000)/')).toBe(1714636800000);
    expect(parsePowerShellDate('2024-05-02T09:15:00+00:00')).toBe(Date.parse('2024-05-02T09:15:00Z'));
    expect(parsePowerShellDate('20240502111500.000000+120')).toBe(Date.parse('2024-05-02T09:15:00Z'));
    expect(parsePowerShellDate(null)).toBeUndefined();
  });
});
