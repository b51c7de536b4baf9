// What the updater needs from the operating system, one implementation per
// OS in its own file (linux.ts, windows.ts, darwin.ts): which release
// platform this machine installs, how a package is installed with the
// platform's own mechanism, and how the apply process is started outside
// the agent's service so it outlives the restart the install causes.
import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import type { ReleasePlatform } from '../../../common/release-manifest.ts';

export interface PackageInstaller {
  readonly platform: ReleasePlatform;
  /** Installs (or, for a rollback, reinstalls an older) package; rejects with the package manager's output. */
  install(file: string, opts: { rollbackFrom?: string }): Promise<void>;
  /** Starts argv outside the agent's service (its cgroup, job or launchd job), output appended to logFile. */
  launchDetached(argv: string[], logFile: string): Promise<void>;
  /** true when the package's own scripts restart the agent service (systemd, SCM, launchd); false: the apply process stops the agent and its supervisor starts the new one. */
  readonly packageRestartsService: boolean;
}

export class InstallError extends Error {}

/** Runs a command to completion, bounded in time; rejects with its output when it fails. */
export function runTool(cmd: string, args: string[], opts: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env: opts.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'], timeout: opts.timeoutMs ?? 600_000 });
    let out = '';
    child.stdout.on('data', (d) => (out = (out + d).slice(-8000)));
    child.stderr.on('data', (d) => (out = (out + d).slice(-8000)));
    child.on('error', (err) => reject(new InstallError(`${cmd}: ${err.message}`)));
    child.on('close', (code, signal) => {
      if (code === 0) resolve(out);
      else reject(new InstallError(`${cmd} ${args.join(' ')} failed (${signal ?? `exit ${code}`}): ${out.trim().split('\n').slice(-5).join(' | ')}`));
    });
  });
}

/** A plain detached child with its own session: survives the agent's exit when no service manager kills it. */
export function spawnDetached(argv: string[], logFile: string): void {
  const fd = openSync(logFile, 'a', 0o600);
  try {
    spawn(argv[0], argv.slice(1), { detached: true, stdio: ['ignore', fd, fd], windowsHide: true }).unref();
  } finally {
    closeSync(fd);
  }
}
