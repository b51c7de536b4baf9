// Creating folders, for the agent's state directory and the collector's
// database and report folders. Node's own recursive mkdir loops forever (at
// full CPU) when the kernel answers ENOENT for a parent that exists, which
// /proc does; so folders are made one level at a time here, a bounded walk,
// and a path that cannot be made says which level failed and why.
import { mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

export class StateDirError extends Error {
  readonly code = 'STATE_DIR_UNUSABLE';
}

/** Creates `path` and its missing parents (owner-only), one level at a time. Throws StateDirError naming the level that failed. */
export function makeDirectories(path: string, mode = 0o700): void {
  const missing: string[] = [];
  for (let dir = resolve(path); ; dir = dirname(dir)) {
    if (isDirectory(dir)) break;
    missing.unshift(dir);
    if (dirname(dir) === dir) break; // a root that is not a directory
  }
  for (const dir of missing) {
    try {
      mkdirSync(dir, { mode });
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EEXIST' && isDirectory(dir)) continue; // made by someone else meanwhile
      throw new StateDirError(`cannot create ${dir}: ${describeFsError(err)}`);
    }
  }
}

export function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** "EACCES, permission denied" from a Node file system error. */
export function describeFsError(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  return e.code ? `${e.code}, ${e.message.replace(/^\w+: /, '').replace(/, \w+ '.*'$/, '')}` : String(err);
}
