// The outbox lock: one agent process per state directory. How a lock is held,
// and how a leftover lock is told from a live one, differs per OS: Linux and
// macOS keep a pid file that names the owning process *instance* (pid plus
// its start time, so a reused pid is not mistaken for the owner); Windows
// holds the lock file open with no sharing, which the OS releases the moment
// the owner exits, however its pid is reused afterwards.
import { createPidFileLock } from './pid-file.ts';
import { linuxProcessStart } from './linux.ts';
import { darwinProcessStart } from './darwin.ts';
import { acquireWindowsLock } from './windows.ts';

export { OutboxLockedError, type AcquireLock, type HeldLock } from './types.ts';
import type { AcquireLock, HeldLock } from './types.ts';

const MECHANISMS: Record<string, AcquireLock> = {
  linux: createPidFileLock(linuxProcessStart),
  darwin: createPidFileLock(darwinProcessStart),
  win32: acquireWindowsLock,
};

export function acquireLock(lockPath: string, platform: string = process.platform): HeldLock {
  return (MECHANISMS[platform] ?? MECHANISMS.linux)(lockPath);
}
