// macOS: a process's start token is its start time as ps prints it
// ("Mon Jan  1 10:00:00 2024"); a reused pid has a later one.
import { execFileSync } from 'node:child_process';

export function darwinProcessStart(pid: number): string | undefined {
  try {
    const started = execFileSync('/bin/ps', ['-o', 'lstart=', '-p', String(pid)], { encoding: 'utf8', timeout: 5_000, stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    return started || undefined;
  } catch {
    return undefined; // no such process (ps exits 1), or ps unavailable
  }
}
