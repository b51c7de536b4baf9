// Suites that need something from the machine (Debian tools, a browser, root
// for a tmpfs, a PostgreSQL server): on a developer's machine without it they
// are skipped with a warning that says what to install; under CI=true, where
// .ci/run installs everything, a missing requirement fails the suite instead.
import { spawnSync } from 'node:child_process';

export const isCi = () => /^(1|true|yes)$/i.test(process.env.CI ?? '');

export type Requirement = { met: true } | { met: false; reason: string };

export function commandsAvailable(commands: Record<string, string>): Requirement {
  const missing = Object.entries(commands).filter(([cmd]) => spawnSync('sh', ['-c', 'command -v "$1"', 'sh', cmd]).status !== 0);
  if (missing.length === 0) return { met: true };
  const packages = [...new Set(missing.map(([, pkg]) => pkg))].join(' ');
  return { met: false, reason: `missing ${missing.map(([c]) => c).join(', ')} (apt-get install ${packages}, or run bash .ci/run)` };
}

/**
 * Whether to run a suite. Outside CI an unmet requirement warns and skips;
 * in CI it throws, so the suite fails loudly rather than passing empty.
 */
export function shouldRun(suite: string, requirement: Requirement): boolean {
  if (requirement.met) return true;
  if (isCi()) throw new Error(`${suite} cannot run under CI: ${requirement.reason}`);
  console.warn(`[skipped] ${suite}: ${requirement.reason}`);
  return false;
}
