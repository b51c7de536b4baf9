// External programs the build runs. A missing one is a clear error naming the
// Debian package that provides it (.ci/run installs them all), never a skip.
import { spawnSync, type SpawnSyncOptions } from 'node:child_process';

/** Debian package for each program we call. */
export const TOOL_PACKAGES: Record<string, string> = {
  tar: 'tar',
  strip: 'binutils',
  'aarch64-linux-gnu-strip': 'binutils-aarch64-linux-gnu',
  'dpkg-deb': 'dpkg',
  rpmbuild: 'rpm',
  wixl: 'wixl',
  msiinfo: 'msitools',
  msibuild: 'msitools',
  'x86_64-w64-mingw32-gcc': 'gcc-mingw-w64-x86-64',
  npm: 'npm (comes with Node)',
  // Used by the installer tests to inspect what was built.
  rpm: 'rpm',
  rpm2cpio: 'rpm2cpio',
  cpio: 'cpio',
  msiextract: 'msitools',
  bsdtar: 'libarchive-tools',
  cksum: 'coreutils',
  file: 'file',
  'x86_64-w64-mingw32-objdump': 'binutils-mingw-w64-x86-64',
};

export class MissingToolError extends Error {}

export function requireTool(name: string): void {
  const r = spawnSync('sh', ['-c', `command -v "$1"`, 'sh', name], { encoding: 'utf8' });
  if (r.status !== 0) {
    throw new MissingToolError(`${name} is not installed: apt-get install ${TOOL_PACKAGES[name] ?? name} (.ci/run installs every packaging tool)`);
  }
}

/** Runs a program to completion; throws with its output when it fails. */
export function run(cmd: string, args: string[], opts: SpawnSyncOptions = {}): string {
  requireTool(cmd);
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, ...opts });
  if (r.error) throw r.error;
  if (r.status !== 0) {
    throw new Error(`${cmd} ${args.join(' ')} failed with ${r.status ?? r.signal}:\n${String(r.stdout ?? '').slice(-4000)}${String(r.stderr ?? '').slice(-4000)}`);
  }
  return String(r.stdout ?? '');
}
