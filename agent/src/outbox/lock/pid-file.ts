// The pid-file lock of Linux and macOS. A pid alone does not name a process:
// pids are reused (after a crash the restarted agent may get the same one; in
// a container the agent is pid 1 every time). So the lock records the owner's
// start token too (when the process started, as the OS tells it), and a lock
// is only live while a process with that pid *and* that start token exists.
import { linkSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { uptime } from 'node:os';
import { resolve } from 'node:path';
import { OutboxLockedError, type AcquireLock, type HeldLock } from './types.ts';

/** The start token of a live process (same pid, other token: another process), or undefined when it cannot be read. */
export type ProcessStartReader = (pid: number) => string | undefined;

interface LockContent {
  pid: number;
  createdAtMs: number;
  /** The owner's start token; absent in locks written by agents before 0.1.1 and where the OS does not tell. */
  start?: string;
}

/** Locks this process holds, by path: the only locks that may carry our own pid and be live. */
const heldHere = new Set<string>();

/**
 * Takes the lock: a file holding the owner's pid and start token, created
 * atomically (written to a temp file, then hard-linked into place, which
 * fails if the lock exists), so no reader ever sees a half-written lock. A
 * lock whose owner is gone is stale and is taken over.
 *
 * Known gap: two processes taking over the same stale lock at the same moment
 * can both succeed. Agents are started by a service manager, so this needs two
 * simultaneous starts after a crash.
 */
export function createPidFileLock(processStart: ProcessStartReader): AcquireLock {
  return (lockPathInput: string): HeldLock => {
    const lockPath = resolve(lockPathInput);
    const mine: LockContent = { pid: process.pid, createdAtMs: Date.now(), start: processStart(process.pid) };
    const tempPath = `${lockPath}.${process.pid}.${randomUUID()}`;
    writeFileSync(tempPath, JSON.stringify(mine), { mode: 0o600 });
    try {
      if (!tryLink(tempPath, lockPath)) {
        const owner = readLock(lockPath);
        if (owner && ownerIsLive(lockPath, owner, processStart)) throw new OutboxLockedError(lockPath, owner.pid);
        // Move the stale lock aside rather than deleting it, then claim the name
        // with the same atomic link: if another process claimed it first, we lose.
        tryRename(lockPath, `${lockPath}.stale.${randomUUID()}`, true);
        if (!tryLink(tempPath, lockPath)) throw new OutboxLockedError(lockPath, readLock(lockPath)?.pid ?? -1);
      }
    } finally {
      tryUnlink(tempPath);
    }
    heldHere.add(lockPath);
    return {
      release() {
        heldHere.delete(lockPath);
        // Only remove the lock if it is still ours (a stale-lock takeover may have replaced it).
        const current = readLock(lockPath);
        if (current?.pid === mine.pid && current.createdAtMs === mine.createdAtMs) tryUnlink(lockPath);
      },
    };
  };
}

/** Whether the process that wrote this lock is still running. */
export function ownerIsLive(lockPath: string, owner: LockContent, processStart: ProcessStartReader): boolean {
  // Our own pid: either this very process holds the lock, or it was written by
  // an earlier process that had our pid (a crash, then a restart that got it back).
  if (owner.pid === process.pid) return heldHere.has(lockPath);
  if (!isAlive(owner.pid)) return false;
  if (owner.start !== undefined) {
    const current = processStart(owner.pid);
    // Unreadable now (e.g. another user's process on macOS): trust the live pid rather than break a real lock.
    if (current !== undefined) return current === owner.start;
  }
  // A lock without a token: only the boot time can tell it is from before the pid was reused.
  const bootMs = Date.now() - uptime() * 1000;
  const writtenMs = safeMtime(lockPath);
  // A minute of slack: boot time from uptime is approximate, and a lock from
  // this boot must never be judged stale by it.
  return !(writtenMs !== undefined && writtenMs < bootMs - 60_000);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readLock(lockPath: string): LockContent | undefined {
  try {
    const parsed = JSON.parse(readFileSync(lockPath, 'utf8')) as Partial<LockContent>;
    if (!Number.isInteger(parsed.pid) || typeof parsed.createdAtMs !== 'number') return undefined;
    return { pid: parsed.pid!, createdAtMs: parsed.createdAtMs, start: typeof parsed.start === 'string' ? parsed.start : undefined };
  } catch {
    return undefined; // unreadable or garbage: treated as stale by the caller
  }
}

function tryLink(from: string, to: string): boolean {
  try {
    linkSync(from, to);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
}

function tryRename(from: string, to: string, thenDelete: boolean): void {
  try {
    renameSync(from, to);
    if (thenDelete) tryUnlink(to);
  } catch {
    // Someone else moved it first; the link that follows decides who wins.
  }
}

function tryUnlink(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // already gone
  }
}

function safeMtime(path: string): number | undefined {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return undefined;
  }
}
