// Creating and checking the state directory. Node's own recursive mkdir loops
// forever (at full CPU) when the kernel answers ENOENT for a parent that
// exists, which /proc does; so folders are made one level at a time here, a
// bounded walk, and a state directory that cannot hold files is refused with
// a clear message before anything else starts.
import { mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { CliError } from '../../common/cli.ts';

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
      throw new StateDirError(`cannot create ${dir}: ${describe(err)}`);
    }
  }
}

/**
 * Makes sure the agent can keep its state in `stateDir`: creates it and its
 * outbox folder, and writes and removes a probe file. A usage error (exit 2)
 * otherwise: a service manager restarting the agent will not fix a bad path.
 */
export function ensureStateDir(stateDir: string): void {
  try {
    makeDirectories(join(stateDir, 'outbox'));
    const probe = join(stateDir, `.probe-${process.pid}`);
    try {
      writeFileSync(probe, '', { mode: 0o600 });
    } catch (err) {
      throw new StateDirError(`cannot write in ${stateDir}: ${describe(err)}`);
    }
    rmSync(probe, { force: true });
  } catch (err) {
    if (err instanceof StateDirError) throw new CliError(`state directory ${stateDir} is not usable: ${err.message} (set --state-dir, TALLY_STATE_DIR or "stateDir")`);
    throw err;
  }
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function describe(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  return e.code ? `${e.code}, ${e.message.replace(/^\w+: /, '').replace(/, \w+ '.*'$/, '')}` : String(err);
}
