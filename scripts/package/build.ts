// Builds the agent executables and installer packages into one output folder.
// Used by `npm run package` (main.ts) and by the installer tests.
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { bundleAgent } from './bundle.ts';
import { buildPkg } from './macos-pkg.ts';
import { buildDeb, buildRpm } from './linux-packages.ts';
import { nodeBinary } from './node-binaries.ts';
import { buildExecutable, makeSeaBlob } from './sea.ts';
import { targetById, TARGETS, type Target } from './targets.ts';
import { buildMsi, buildServiceHost } from './windows-msi.ts';

export const FORMATS = ['exe', 'deb', 'rpm', 'msi', 'pkg'] as const;
export type Format = (typeof FORMATS)[number];

export interface BuildOptions {
  root: string;
  outDir: string;
  cacheDir: string;
  targets: Target[];
  formats: Format[];
  log?: (line: string) => void;
}

export interface BuildResult {
  version: string;
  executables: Partial<Record<string, string>>;
  serviceHost?: string;
  deb: Partial<Record<string, string>>;
  rpm: Partial<Record<string, string>>;
  msi?: string;
  pkg: Partial<Record<string, string>>;
}

export function packageVersion(root: string): string {
  return (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;
}

/** Which packages each target gets, given the formats asked for. */
function packagesFor(target: Target, formats: Format[]): Format[] {
  const byOs: Record<Target['os'], Format[]> = { linux: ['deb', 'rpm'], win: ['msi'], darwin: ['pkg'] };
  return byOs[target.os].filter((f) => formats.includes(f));
}

async function timed<T>(log: (l: string) => void, what: string, fn: () => T | Promise<T>): Promise<T> {
  const t0 = Date.now();
  const result = await fn();
  log(`${what} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  return result;
}

/** Runs `jobs` at most `limit` at a time: two cores, and each job holds a ~100 MB binary in memory. */
async function inParallel(jobs: (() => Promise<void>)[], limit: number): Promise<void> {
  const queue = [...jobs];
  await Promise.all(Array.from({ length: Math.min(limit, queue.length) }, async () => {
    for (let job = queue.shift(); job; job = queue.shift()) await job();
  }));
}

export async function build(opts: BuildOptions): Promise<BuildResult> {
  const log = opts.log ?? ((l: string) => process.stderr.write(`${l}\n`));
  const version = packageVersion(opts.root);
  const binDir = join(opts.outDir, 'bin');
  const workDir = join(opts.outDir, '.work');
  rmSync(workDir, { recursive: true, force: true });
  mkdirSync(binDir, { recursive: true });
  mkdirSync(workDir, { recursive: true });
  const result: BuildResult = { version, executables: {}, deb: {}, rpm: {}, pkg: {} };

  const bundle = join(workDir, 'tally-agent.cjs');
  await timed(log, `bundled agent ${version}`, () => bundleAgent(opts.root, bundle, version));
  // The blob must come from the same Node version as the targets: the linux-x64 one runs here.
  const generator = nodeBinary(targetById('linux-x64'), opts.cacheDir);
  const blob = join(workDir, 'tally-agent.blob');
  await timed(log, 'made the single-executable blob', () => makeSeaBlob(generator, bundle, blob));

  await inParallel(opts.targets.map((target) => async () => {
    const node = await timed(log, `fetched node for ${target.id}`, () => nodeBinary(target, opts.cacheDir));
    const exe = join(binDir, target.executableName);
    await timed(log, `built ${exe}`, () => buildExecutable(target, node, blob, exe));
    result.executables[target.id] = exe;
  }), 2);

  for (const target of opts.targets) {
    const exe = result.executables[target.id]!;
    const common = { root: opts.root, target, executable: exe, version, outDir: opts.outDir, workDir };
    for (const format of packagesFor(target, opts.formats)) {
      if (format === 'deb') result.deb[target.id] = await timed(log, `built .deb for ${target.id}`, () => buildDeb(common));
      if (format === 'rpm') result.rpm[target.id] = await timed(log, `built .rpm for ${target.id}`, () => buildRpm(common));
      if (format === 'msi') {
        const host = await timed(log, 'built the Windows service host', () => buildServiceHost(opts.root, join(binDir, 'tally-service-win-x64.exe')));
        result.serviceHost = host;
        result.msi = await timed(log, 'built the .msi', () => buildMsi({
          root: opts.root, version, agentExe: exe, serviceHostExe: host, outFile: join(opts.outDir, `tally-agent-${version}-x64.msi`),
        }));
      }
      if (format === 'pkg') {
        result.pkg[target.id] = await timed(log, `built .pkg for ${target.id}`, () => buildPkg({
          root: opts.root, target, executable: exe, version, outFile: join(opts.outDir, `tally-agent-${version}-${target.id}.pkg`), mtime: new Date('2024-01-01T00:00:00Z'),
        }));
      }
    }
  }

  // The RMM scripts travel with the packages they install.
  const rmmDir = join(opts.outDir, 'rmm');
  mkdirSync(rmmDir, { recursive: true });
  for (const f of readdirSync(join(opts.root, 'installers/rmm'))) copyFileSync(join(opts.root, 'installers/rmm', f), join(rmmDir, f));
  rmSync(workDir, { recursive: true, force: true });
  return result;
}

export function parseTargets(list: string | undefined): Target[] {
  return list ? list.split(',').map((id) => targetById(id.trim())) : [...TARGETS];
}

export function parseFormats(list: string | undefined): Format[] {
  if (!list) return [...FORMATS];
  return list.split(',').map((f) => {
    if (!(FORMATS as readonly string[]).includes(f.trim())) throw new Error(`unknown format ${JSON.stringify(f)}; known: ${FORMATS.join(', ')}`);
    return f.trim() as Format;
  });
}
