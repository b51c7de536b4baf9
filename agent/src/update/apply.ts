// `tally-agent update apply`: the installer process. Started by the agent
// outside its service (a transient systemd unit, a detached process), from a
// copy of the agent's executable, so it outlives the restart the package
// causes. Resumable: it reads state.json and goes on from the phase it finds
// (a reboot in the middle starts it again from the agent).
//
//   staged          install the new package -> awaiting-report (deadline set)
//   awaiting-report wait for confirmed.json from the new version; at the
//                   deadline without it -> rolling-back
//   rolling-back    reinstall the package kept aside, remember the release
//                   as failed (never installed again here), done
//
// Without a service manager that restarts the agent when its package changes
// (a container, a test), it stops the old agent itself; the agent's own
// supervisor starts the new binary.
import { closeSync, existsSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../../../common/log.ts';
import { readStatus } from '../diagnostics/status-file.ts';
import type { PackageInstaller } from './installer.ts';
import { clearConfirmation, readConfirmation, readUpdateState, updateDir, writeUpdateState, type UpdateState } from './state.ts';

export interface ApplyOptions {
  stateDir: string;
  installer: PackageInstaller;
  logger: Logger;
  now?: () => number;
  pollMs?: number;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** One apply process at a time: a lock file with its pid (a dead holder's lock is taken over). */
function lock(stateDir: string): (() => void) | null {
  const path = join(updateDir(stateDir), 'apply.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx', 0o600);
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => rmSync(path, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const holder = Number(readFileSync(path, 'utf8').trim());
      if (holder && holder !== process.pid && alive(holder)) return null;
      rmSync(path, { force: true });
    }
  }
  return null;
}

/** Stops the running agent when no service manager will (it restarts under its supervisor with the installed binary). */
function stopAgent(stateDir: string, installer: PackageInstaller, logger: Logger, pid: number | null): void {
  if (installer.packageRestartsService || !pid || pid === process.pid || !alive(pid)) return;
  try {
    process.kill(pid, 'SIGTERM');
    logger.info('stopped the agent so its supervisor starts the installed version', { pid });
  } catch (err) {
    logger.warn('could not stop the agent', { pid, err });
  }
}

export async function applyUpdate(opts: ApplyOptions): Promise<'updated' | 'rolled_back' | 'nothing' | 'locked'> {
  const { stateDir, installer, logger } = opts;
  const now = opts.now ?? Date.now;
  const pollMs = opts.pollMs ?? 1_000;
  const unlock = lock(stateDir);
  if (!unlock) {
    logger.info('another update process is running');
    return 'locked';
  }
  try {
    let state = readUpdateState(stateDir);
    const save = (s: UpdateState) => writeUpdateState(stateDir, s);
    if (!state.pending) return 'nothing';
    const p = state.pending;
    if (p.phase === 'staged' || p.phase === 'installing') {
      clearConfirmation(stateDir);
      p.phase = 'installing';
      save(state);
      logger.info('installing', { from: p.fromVersion, to: p.toVersion, sequence: p.sequence, package: p.newPackage });
      try {
        await installer.install(p.newPackage, {});
      } catch (err) {
        logger.error('install failed; reinstalling the previous version', { err });
        p.phase = 'rolling-back';
        save(state);
        return await rollBack(state, `install of ${p.toVersion} failed: ${(err as Error).message}`);
      }
      p.phase = 'awaiting-report';
      p.deadlineMs = now() + p.reportDeadlineSeconds * 1000;
      save(state);
      logger.info('installed; waiting for the new version to report', { version: p.toVersion, deadline: new Date(p.deadlineMs).toISOString() });
      stopAgent(stateDir, installer, logger, p.agentPid);
    }
    if (p.phase === 'awaiting-report') {
      // Bounded: the deadline, checked every pollMs.
      for (;;) {
        const confirmed = readConfirmation(stateDir);
        if (confirmed && confirmed.sequence === p.sequence && confirmed.version === p.toVersion) {
          state = readUpdateState(stateDir);
          state.current = { version: p.toVersion, sequence: p.sequence, package: p.newPackage };
          state.pending = null;
          state.last = { outcome: 'updated', version: p.toVersion, sequence: p.sequence, reason: `updated from ${p.fromVersion}; it reported at ${new Date(confirmed.atMs).toISOString()}`, atMs: now() };
          save(state);
          if (p.previousPackage !== p.newPackage) rmSync(p.previousPackage, { force: true });
          logger.info('update confirmed: the new version reports to the collector', { version: p.toVersion });
          return 'updated';
        }
        if (now() >= (p.deadlineMs ?? 0)) break;
        await new Promise((r) => setTimeout(r, pollMs));
      }
      p.phase = 'rolling-back';
      save(state);
      return await rollBack(state, `${p.toVersion} did not report to the collector within ${p.reportDeadlineSeconds} s`);
    }
    return await rollBack(state, `rollback of ${p.toVersion} resumed`);
  } finally {
    unlock();
  }

  async function rollBack(state: UpdateState, reason: string): Promise<'rolled_back'> {
    const p = state.pending!;
    logger.warn('rolling back', { from: p.toVersion, to: p.fromVersion, reason });
    const running = readStatus(stateDir);
    if (!existsSync(p.previousPackage)) throw new Error(`the package kept aside (${p.previousPackage}) is gone: cannot roll back`);
    await installer.install(p.previousPackage, { rollbackFrom: p.newPackage });
    state.failed = [...new Set([...state.failed, p.sequence])].slice(-50);
    state.current = { version: p.fromVersion, sequence: state.current?.sequence ?? 0, package: p.previousPackage };
    state.pending = null;
    state.last = { outcome: 'rolled_back', version: p.toVersion, sequence: p.sequence, reason, atMs: now() };
    writeUpdateState(stateDir, state);
    rmSync(p.newPackage, { force: true });
    clearConfirmation(stateDir);
    // The version that never reported may still be running (hung): without a service manager, stop it.
    stopAgent(stateDir, installer, logger, running && running.agentVersion === p.toVersion && !running.stopped ? running.pid : null);
    logger.warn('rolled back', { version: p.fromVersion, failed: p.toVersion, reason });
    return 'rolled_back';
  }
}
