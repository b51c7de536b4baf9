// How the collector ships: `npm install` compiles build/ (scripts/build.mjs,
// the `prepare` script) and bin/ runs it; when build/ is older than the
// sources, bin/ runs them through tsx and says so. Either way the console
// renders (its JSX settings come with the code, not from the working
// directory's tsconfig). A copy of the repository's sources in a temporary
// folder, so touching a source file here never touches the checkout.
import { spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startProcess } from '../helpers/processes.ts';

const repo = resolve(import.meta.dirname, '../..');
let root: string;
let elsewhere: string;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'tally-build-'));
  // Outside the copy: no tsconfig.json above it (tsx looks for one from the working directory up).
  elsewhere = mkdtempSync(join(tmpdir(), 'tally-elsewhere-'));
  for (const path of ['bin', 'scripts/build.mjs', 'collector/src', 'agent/src', 'sim/src', 'common', 'proto', 'package.json', 'tsconfig.json']) {
    cpSync(join(repo, path), join(root, path), { recursive: true });
  }
  symlinkSync(join(repo, 'node_modules'), join(root, 'node_modules'));
  const built = spawnSync(process.execPath, [join(root, 'scripts/build.mjs')], { encoding: 'utf8', timeout: 60_000 });
  expect(built.status, built.stderr).toBe(0);
}, 90_000);
afterAll(() => {
  rmSync(root, { recursive: true, force: true });
  rmSync(elsewhere, { recursive: true, force: true });
});

/** Starts `serve` from a folder outside the checkout; resolves with its notice line (if any) and the console's login page. */
async function serveFromElsewhere() {
  const proc = startProcess(join(root, 'bin/tally-collector.js'), ['serve', '--host', '127.0.0.1', '--port', '0', '--db', 'tally.db'], {}, { cwd: elsewhere });
  try {
    const ready = await proc.waitForLog((l) => l.msg === 'ready', 60_000);
    const page = await fetch(`${String(ready.url)}/console/login`);
    return { notice: proc.stderr().split('\n').find((l) => l.startsWith('notice:')) ?? null, status: page.status, html: await page.text(), startedInMs: Number(ready.startedInMs) };
  } finally {
    await proc.stop();
  }
}

describe('the collector as npm install leaves it', () => {
  it('runs the compiled build from any working directory, and the console renders', async () => {
    const r = await serveFromElsewhere();
    expect(r.notice).toBeNull();
    expect(r.status).toBe(200);
    expect(r.html).toContain('Sign in to the Tally console');
    process.stderr.write(`[build] compiled collector ready after ${r.startedInMs} ms\n`);
  });

  it('with a source file changed since the build, runs the sources through tsx, says so, and the console still renders', async () => {
    appendFileSync(join(root, 'collector/src/version.ts'), '\n// edited after the build\n');
    const r = await serveFromElsewhere();
    expect(r.notice).toMatch(/^notice: build\/ is older than the sources; running the TypeScript sources through tsx/);
    expect(r.status).toBe(200);
    expect(r.html).toContain('Sign in to the Tally console');
    process.stderr.write(`[build] collector through tsx ready after ${r.startedInMs} ms\n`);
    // npm run build makes it fresh again.
    expect(spawnSync(process.execPath, [join(root, 'scripts/build.mjs')], { timeout: 60_000 }).status).toBe(0);
    expect((await serveFromElsewhere()).notice).toBeNull();
  }, 120_000);

  it('keeps the files the code reads beside itself (migrations, console assets) and the sources\' layout', () => {
    for (const f of ['collector/src/storage/sqlite/migrations/0001_foundation.sql', 'collector/src/console/assets/console.css', 'proto/gen/agent.js', 'collector/src/main.js']) {
      expect(readFileSync(join(root, 'build', f)).length, f).toBeGreaterThan(0);
    }
  });
});
