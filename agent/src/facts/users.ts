// Users bound to the device: who signs in interactively, and who is the
// primary user. The adapters turn their OS's sign-in records into RawSessions
// keyed by a stable id (SID, UPN, uid@host); this file keeps a small per-user
// tally of active UTC days over a rolling window and picks the primary user
// from it. Everything except load/save is pure.
import { utcDayOf } from '../../../proto/index.ts';
import type { Systeminformation } from 'systeminformation';
import { readJsonState, writeJsonState } from './state.ts';
import type { RawSession, UserBinding } from './types.ts';

export const USER_ACTIVITY_FILE = 'user-activity.json';
export const PRIMARY_USER_WINDOW_DAYS = 30;
const DAY_MS = 86_400_000;

export interface ActivityTally {
  users: Record<string, { activeDays: number[]; lastSignInMs: number }>;
}

export const emptyTally = (): ActivityTally => ({ users: {} });

/**
 * Pure: folds observed sessions into the tally. A user is active on every UTC
 * day a session of theirs overlaps (open sessions run until `now`). Days that
 * fall out of the window are dropped, and so are users with no day left.
 */
export function updateActivityTally(tally: ActivityTally, sessions: RawSession[], now: number, windowDays = PRIMARY_USER_WINDOW_DAYS): ActivityTally {
  const today = utcDayOf(now);
  const firstDay = today - windowDays + 1;
  const users = new Map<string, { days: Set<number>; lastSignInMs: number }>();
  for (const [userId, entry] of Object.entries(tally.users)) {
    users.set(userId, { days: new Set(entry.activeDays), lastSignInMs: entry.lastSignInMs });
  }
  for (const session of sessions) {
    if (!session.userId || !Number.isFinite(session.signInMs) || session.signInMs > now) continue;
    const entry = users.get(session.userId) ?? { days: new Set<number>(), lastSignInMs: 0 };
    entry.lastSignInMs = Math.max(entry.lastSignInMs, session.signInMs);
    const from = Math.max(utcDayOf(session.signInMs), firstDay);
    const to = Math.min(utcDayOf(Math.min(session.signOutMs ?? now, now)), today);
    for (let day = from; day <= to; day++) entry.days.add(day);
    users.set(session.userId, entry);
  }
  const result: ActivityTally = { users: {} };
  for (const [userId, entry] of [...users.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    const activeDays = [...entry.days].filter((d) => d >= firstDay && d <= today).sort((a, b) => a - b);
    if (activeDays.length === 0) continue;
    result.users[userId] = { activeDays, lastSignInMs: entry.lastSignInMs };
  }
  return result;
}

/**
 * Pure: the bindings to report. The primary user is the one with the most
 * active days in the window; ties go to the most recent sign-in, then to the
 * id (so the choice is deterministic).
 */
export function bindUsers(tally: ActivityTally): UserBinding[] {
  const ranked = Object.entries(tally.users)
    .map(([userId, e]) => ({ userId, days: e.activeDays.length, lastSignInMs: e.lastSignInMs }))
    .sort((a, b) => b.days - a.days || b.lastSignInMs - a.lastSignInMs || a.userId.localeCompare(b.userId));
  return ranked
    .map((u, index) => ({ userId: u.userId, primary: index === 0, lastSignInMs: u.lastSignInMs }))
    .sort((a, b) => a.userId.localeCompare(b.userId));
}

export async function loadActivityTally(stateDir: string): Promise<ActivityTally> {
  const parsed = await readJsonState<ActivityTally>(stateDir, USER_ACTIVITY_FILE);
  return parsed && typeof parsed.users === 'object' && parsed.users !== null ? parsed : emptyTally();
}

export async function saveActivityTally(stateDir: string, tally: ActivityTally): Promise<void> {
  await writeJsonState(stateDir, USER_ACTIVITY_FILE, tally);
}

/**
 * systeminformation users() lists who is signed in right now (`who` on Linux,
 * `query user`/sessions on Windows). Its date and time are local wall clock,
 * so they are read in the agent's time zone.
 */
export function sessionsFromCurrentUsers(users: Systeminformation.UserData[], resolveUserId: (name: string) => string | undefined, now: number): RawSession[] {
  const sessions: RawSession[] = [];
  for (const u of users) {
    const userId = resolveUserId(u.user);
    if (!userId) continue;
    const parsed = Date.parse(`${u.date}T${u.time.length === 5 ? `${u.time}:00` : u.time}`);
    sessions.push({ userId, signInMs: Number.isFinite(parsed) && parsed <= now ? parsed : now });
  }
  return sessions;
}

/** Sign-in records that are not people: boot records, display managers, system daemons. */
export const NON_PERSON_LOGINS = new Set(['reboot', 'shutdown', 'runlevel', 'wtmp', 'lightdm', 'gdm', 'sddm', '_mbsetupuser', 'root', 'LOGIN']);
