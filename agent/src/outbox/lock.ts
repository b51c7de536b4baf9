import { linkSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { uptime } from 'node:os';

export class OutboxLockedError extends Error {
  readonly code = 'OUTBOX_LOCKED';
  constructor(readonly lockPath: string, readonly ownerPid: number) {
    super(`outbox is in use by process ${ownerPid} (${lockPath})`);
    this.name = 'OutboxLockedError';
  }
}

interface LockContent {
  pid: number;
  createdAtMs: number;
}

export interface HeldLock {
  release(): void;
}

/**
 * Takes the outbox lock: a file holding the owner's pid, created atomically
 * (written to a temp file, then hard-linked into place, which fails if the
 * lock exists), so no reader ever sees a half-written lock. A lock whose
 * owner is dead, or that was written before this boot (the pid may have been
 * reused since), is stale and is taken over.
 *
 * Known gap: two processes taking over the same stale lock at the same moment
 * can both succeed. Agents are started by a service manager, so this needs two
 * simultaneous starts after a crash.
 */
export function acquireLock(lockPath: string): HeldLock {
  const mine: LockContent = { pid: process.pid, createdAtMs: Date.now() };
  const tempPath = `${lockPath}.${process.pid}.${randomUUID()}`;
  writeFileSync(tempPath, JSON.stringify(mine));
  try {
    if (!tryLink(tempPath, lockPath)) {
      const owner = readLock(lockPath);
      if (owner && !isStale(lockPath, owner)) throw new OutboxLockedError(lockPath, owner.pid);
      // Move the stale lock aside rather than deleting it, then claim the name
      // with the same atomic link: if another process claimed it first, we lose.
      tryRename(lockPath, `${lockPath}.stale.${randomUUID()}`, true);
      if (!tryLink(tempPath, lockPath)) throw new OutboxLockedError(lockPath, readLock(lockPath)?.pid ?? -1);
    }
  } finally {
    tryUnlink(tempPath);
  }
  return {
    release() {
      // Only remove the lock if it is still ours (a stale-lock takeover may have replaced it).
      if (readLock(lockPath)?.pid === mine.pid && readLock(lockPath)?.createdAtMs === mine.createdAtMs) tryUnlink(lockPath);
    },
  };
}

function isStale(lockPath: string, owner: LockContent): boolean {
  if (!isAlive(owner.pid)) return true;
  const bootMs = Date.now() - uptime() * 1000;
  const writtenMs = safeMtime(lockPath);
  // A minute of slack: boot time from uptime is approximate, and a lock from
  // this boot must never be judged stale by it.
  return writtenMs !== undefined && writtenMs < bootMs - 60_000;
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
    return Number.isInteger(parsed.pid) && typeof parsed.createdAtMs === 'number' ? (parsed as LockContent) : undefined;
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
