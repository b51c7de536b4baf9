// How bin/*.js start a program: the compiled JavaScript under build/ (made by
// `npm run build`, which `npm install` runs), so a command starts in a
// fraction of a second from any working directory. When build/ is missing,
// or older than the sources (a developer's edit), the sources run through tsx
// instead, with a one-line notice; TALLY_FROM_SOURCE=1 asks for that on purpose.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
// The folders scripts/build.mjs compiles (SOURCE_DIRS there).
const SOURCE_DIRS = ['collector/src', 'agent/src', 'sim/src', 'common', 'proto'];

function walk(dir, out) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) walk(path, out);
    else if (entry.isFile()) out.push(path);
  }
  return out;
}

/** 'fresh', or why the build cannot be used: 'absent' or 'stale' (a source file changed, appeared or went away). */
export function buildState() {
  let manifest;
  try {
    manifest = JSON.parse(readFileSync(join(root, 'build', 'manifest.json'), 'utf8')).files;
  } catch {
    return 'absent';
  }
  const files = SOURCE_DIRS.flatMap((d) => (existsSync(join(root, d)) ? walk(join(root, d), []) : []));
  if (files.length !== Object.keys(manifest).length) return 'stale';
  for (const f of files) {
    const s = statSync(f);
    if (manifest[relative(root, f)] !== `${s.size}:${Math.floor(s.mtimeMs)}`) return 'stale';
  }
  return 'fresh';
}

/** Runs `source` (a .ts path from the repository root) compiled, or through tsx when the build cannot be used. */
export async function launch(source) {
  const state = process.env.TALLY_FROM_SOURCE === '1' ? 'skipped' : buildState();
  if (state === 'fresh') {
    await import(pathToFileURL(join(root, 'build', source.replace(/\.tsx?$/, '.js'))).href);
    return;
  }
  let register;
  try {
    ({ register } = await import('tsx/esm/api'));
  } catch {
    process.stderr.write(`error: build/ is ${state === 'absent' ? 'missing' : 'older than the sources'} and tsx is not installed: run \`npm run build\`\n`);
    process.exit(2);
  }
  if (state !== 'skipped') {
    process.stderr.write(`notice: build/ is ${state === 'absent' ? 'missing' : 'older than the sources'}; running the TypeScript sources through tsx (slower to start; \`npm run build\` compiles them)\n`);
  }
  // The repository's tsconfig (JSX settings), wherever the command is run from.
  register({ tsconfig: join(root, 'tsconfig.json') });
  await import(pathToFileURL(join(root, source)).href);
}
