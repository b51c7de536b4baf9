// Windows: the lock file is held open with no sharing for the owner's whole
// life (libuv's UV_FS_O_EXLOCK opens with share mode 0). Any other open fails
// with a sharing violation (EBUSY) while the owner runs, and succeeds the
// moment it exits, crashes or is killed: the OS closes the handle. No pid is
// consulted, so a pid reused by the restarted agent or by svchost.exe cannot
// hold the lock. The owner's pid goes to a side file, for the error message only.
import { closeSync, constants, ftruncateSync, openSync, readFileSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import { OutboxLockedError, type HeldLock } from './types.ts';

/** libuv's value; Node exposes it as fs.constants.UV_FS_O_EXLOCK on Windows builds only. */
const UV_FS_O_EXLOCK = (constants as Record<string, number>).UV_FS_O_EXLOCK ?? 0x1000_0000;

export function acquireWindowsLock(lockPath: string): HeldLock {
  const ownerPath = `${lockPath}.owner`;
  let fd: number;
  try {
    fd = openSync(lockPath, constants.O_RDWR | constants.O_CREAT | UV_FS_O_EXLOCK, 0o600);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EBUSY' || code === 'EACCES' || code === 'EPERM') throw new OutboxLockedError(lockPath, readOwnerPid(ownerPath));
    throw err;
  }
  const content = JSON.stringify({ pid: process.pid, createdAtMs: Date.now() });
  ftruncateSync(fd, 0);
  writeSync(fd, content, 0);
  try {
    writeFileSync(ownerPath, content, { mode: 0o600 });
  } catch {
    // Only the error message of a second opener needs it.
  }
  let released = false;
  return {
    release() {
      if (released) return;
      released = true;
      tryUnlink(ownerPath);
      // Closed before the unlink: our own share-nothing handle would refuse the delete.
      closeSync(fd);
      // Fails harmlessly if another process opened it in between: the lock is theirs now.
      tryUnlink(lockPath);
    },
  };
}

function readOwnerPid(ownerPath: string): number {
  try {
    const pid = (JSON.parse(readFileSync(ownerPath, 'utf8')) as { pid?: unknown }).pid;
    return Number.isInteger(pid) ? (pid as number) : -1;
  } catch {
    return -1;
  }
}

function tryUnlink(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // already gone, or held by the next owner
  }
}
