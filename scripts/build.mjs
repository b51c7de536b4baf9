#!/usr/bin/env node
// `npm run build` (also run by `npm install`, as the `prepare` script):
// compiles the TypeScript of the collector, the agent and the simulator to
// plain JavaScript under build/, one .js file per source file, in the same
// folders, so `bin/*.js` start from compiled code in a fraction of a second
// from any working directory instead of going through a loader at run time.
//
// Plain .mjs on purpose: it runs during `npm install`, before anything could
// compile it. esbuild only transpiles here (types are `npm run typecheck`'s
// job); imports of `./x.ts` become `./x.js`; files the code reads beside
// itself (SQL migrations, console assets, the generated protobuf code) are
// copied to the same place in build/. build/manifest.json records every
// source file with its size and modification time: bin/ compares it at start
// and runs the sources through tsx, with a notice, when they changed since.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync, renameSync, existsSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** Source folders compiled to build/<same path>. */
export const SOURCE_DIRS = ['collector/src', 'agent/src', 'sim/src', 'common', 'proto'];
const OUT = join(root, 'build');

function walk(dir, out = []) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) walk(path, out);
    else if (entry.isFile()) out.push(path);
  }
  return out;
}

const isSource = (f) => /\.tsx?$/.test(f) && !f.endsWith('.d.ts');

export async function buildAll() {
  const files = SOURCE_DIRS.flatMap((d) => walk(join(root, d)));
  const sources = files.filter(isSource);
  // Written to a fresh folder, then swapped in: a collector starting meanwhile never sees half a build.
  const tmp = `${OUT}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  await build({
    entryPoints: sources,
    outdir: tmp,
    outbase: root,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    sourcemap: 'linked',
    jsx: 'automatic',
    jsxImportSource: 'hono/jsx',
    logLevel: 'warning',
    plugins: [{
      // One output file per source: relative imports stay imports (of the compiled .js), packages stay packages.
      name: 'per-file',
      setup(b) {
        b.onResolve({ filter: /.*/ }, (args) => {
          if (args.kind === 'entry-point') return undefined;
          if (args.path.startsWith('.')) return { path: args.path.replace(/\.tsx?$/, '.js'), external: true };
          return { path: args.path, external: true };
        });
      },
    }],
  });
  // What the code reads beside itself, and the generated protobuf code (already JavaScript).
  for (const f of files) {
    if (isSource(f) || f.endsWith('.d.ts') || f.endsWith('.md')) continue;
    const to = join(tmp, relative(root, f));
    mkdirSync(dirname(to), { recursive: true });
    copyFileSync(f, to);
  }
  writeFileSync(join(tmp, 'package.json'), JSON.stringify({ type: 'module', private: true }) + '\n');
  writeFileSync(join(tmp, 'manifest.json'), JSON.stringify(sourceManifest()) + '\n');
  rmSync(OUT, { recursive: true, force: true });
  renameSync(tmp, OUT);
  return sources.length;
}

/** Every file under the source folders with its size and modification time (what a stale build is told by). */
export function sourceManifest() {
  const entries = {};
  for (const f of SOURCE_DIRS.flatMap((d) => walk(join(root, d))).sort()) {
    const s = statSync(f);
    entries[relative(root, f)] = `${s.size}:${Math.floor(s.mtimeMs)}`;
  }
  return { files: entries };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const started = Date.now();
  if (!existsSync(join(root, 'node_modules', 'esbuild'))) {
    process.stderr.write('build: esbuild is not installed (it is a dev dependency): run `npm install` with dev dependencies\n');
    process.exit(1);
  }
  const n = await buildAll();
  process.stderr.write(`build: ${n} files compiled to build/ in ${Date.now() - started} ms\n`);
}
