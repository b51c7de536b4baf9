// Fetches the official Node binary for a target through the npm client
// (`npm pack`), once, into the build cache. These packages are deliberately
// not dependencies: every `npm install` would otherwise pull ~230 MB of
// binaries that only the packaging build needs.
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { NODE_VERSION, type Target } from './targets.ts';
import { run } from './tools.ts';

/** Path of the unmodified Node binary for `target`, downloading and extracting it on first use. */
export function nodeBinary(target: Target, cacheDir: string): string {
  const extracted = join(cacheDir, `${target.nodePackage}-${NODE_VERSION}`);
  const binary = join(extracted, target.nodeBinaryInTarball);
  if (existsSync(binary)) return binary;
  mkdirSync(cacheDir, { recursive: true });
  const tarball = join(cacheDir, `${target.nodePackage}-${NODE_VERSION}.tgz`);
  if (!existsSync(tarball)) {
    run('npm', ['pack', `${target.nodePackage}@${NODE_VERSION}`, '--pack-destination', cacheDir, '--silent'], { cwd: cacheDir });
  }
  // Extract into a scratch folder and rename, so an interrupted build never leaves half a binary behind.
  const scratch = `${extracted}.partial`;
  rmSync(scratch, { recursive: true, force: true });
  mkdirSync(scratch, { recursive: true });
  run('tar', ['-xzf', tarball, '-C', scratch, target.nodeBinaryInTarball]);
  rmSync(extracted, { recursive: true, force: true });
  renameSync(scratch, extracted);
  return binary;
}
