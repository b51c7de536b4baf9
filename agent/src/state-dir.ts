// Checking the state directory: created one level at a time
// (common/directories.ts, as Node's recursive mkdir can spin on /proc), and a
// state directory that cannot hold files is refused with a clear message
// before anything else starts.
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CliError } from '../../common/cli.ts';
import { StateDirError, describeFsError as describe, makeDirectories } from '../../common/directories.ts';

export { StateDirError, makeDirectories };

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

