// Node single executable applications: one blob holding the bundled agent,
// injected into each target's official Node binary with postject.
import { spawn } from 'node:child_process';
import { chmodSync, copyFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Target } from './targets.ts';
import { run } from './tools.ts';

const SEA_FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';
const postjectCli = createRequire(import.meta.url).resolve('postject/dist/cli.js');

/**
 * Makes the preparation blob with `generatorNode`, which must be the same Node
 * version as the targets. No code cache and no snapshot: those are tied to the
 * machine that made them, and without them one blob fits all five targets.
 */
export function makeSeaBlob(generatorNode: string, bundleFile: string, blobFile: string): void {
  const config = join(dirname(blobFile), 'sea-config.json');
  writeFileSync(config, JSON.stringify({ main: bundleFile, output: blobFile, disableExperimentalSEAWarning: true, useCodeCache: false, useSnapshot: false }, null, 2));
  run(generatorNode, ['--experimental-sea-config', config]);
}

/** Copies the target's Node binary to `outFile`, strips it if it is a Linux one, then injects the blob. */
export async function buildExecutable(target: Target, nodeBinary: string, blobFile: string, outFile: string): Promise<void> {
  copyFileSync(nodeBinary, outFile);
  chmodSync(outFile, 0o755);
  // Symbols are a third of a Linux node binary. Strip before injecting: strip
  // rewrites the ELF and would drop or break the injected note afterwards.
  if (target.strip) run(target.strip, ['--strip-all', outFile]);
  const args = [postjectCli, outFile, 'NODE_SEA_BLOB', blobFile, '--sentinel-fuse', SEA_FUSE, '--overwrite'];
  if (target.os === 'darwin') args.push('--macho-segment-name', 'NODE_SEA');
  await runQuietly(process.execPath, args);
}

/** postject's LIEF prints harmless warnings by the dozen; show its output only when it fails. */
function runQuietly(cmd: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${args.slice(0, 2).join(' ')} failed (${code}):\n${output.slice(-4000)}`))));
  });
}
