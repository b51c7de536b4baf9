// `npm run package`: every agent executable and installer package, into dist/.
//   npm run package -- [--targets linux-x64,win-x64,...] [--formats exe,deb,rpm,msi,pkg] [--out DIR] [--cache DIR]
import { createHash } from 'node:crypto';
import { createReadStream, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { build, parseFormats, parseTargets } from './build.ts';

const root = resolve(import.meta.dirname, '../..');

function sha256(path: string): Promise<string> {
  return new Promise((res, rej) => {
    const h = createHash('sha256');
    createReadStream(path).on('data', (d) => h.update(d)).on('error', rej).on('end', () => res(h.digest('hex')));
  });
}

function listFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    if (e.name.startsWith('.')) return [];
    const p = join(dir, e.name);
    return e.isDirectory() ? listFiles(p) : [p];
  });
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { targets: { type: 'string' }, formats: { type: 'string' }, out: { type: 'string' }, cache: { type: 'string' } } });
  const outDir = resolve(values.out ?? join(root, 'dist'));
  const t0 = Date.now();
  await build({ root, outDir, cacheDir: resolve(values.cache ?? join(outDir, '.cache')), targets: parseTargets(values.targets), formats: parseFormats(values.formats) });
  const files = listFiles(outDir).filter((f) => !f.endsWith('SHA256SUMS'));
  const sums = await Promise.all(files.map(async (f) => `${await sha256(f)}  ${relative(outDir, f)}`));
  writeFileSync(join(outDir, 'SHA256SUMS'), sums.join('\n') + '\n');
  for (const f of files) process.stderr.write(`${(statSync(f).size / 1048576).toFixed(1).padStart(7)} MiB  ${relative(root, f)}\n`);
  process.stderr.write(`done in ${((Date.now() - t0) / 1000).toFixed(0)} s\n`);
}

main().catch((err: Error) => {
  process.stderr.write(`package: ${err.message}\n`);
  process.exitCode = 1;
});
