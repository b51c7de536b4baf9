// `npm install` as a person runs it: better-sqlite3 compiles from the
// registry's source (its installer, prebuild-install, is told so by
// .prebuild-installrc and downloads nothing from elsewhere), and no npm
// command warns about a project config key npm does not know (issue 21: an
// .npmrc with build-from-source made every npm command print
// `Unknown project config "build-from-source"`).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '..');

describe('npm install setup', () => {
  it('gives npm no project config key it does not know', () => {
    const r = spawnSync('npm', ['config', 'list'], { cwd: root, encoding: 'utf8', timeout: 60_000, env: { ...process.env, npm_config_build_from_source: undefined } });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).not.toMatch(/Unknown (project|user|env) config/);
    if (existsSync(join(root, '.npmrc'))) expect(readFileSync(join(root, '.npmrc'), 'utf8')).not.toMatch(/build-from-source/);
  });

  it('has better-sqlite3\'s installer build from source, reading .prebuild-installrc from the project', () => {
    const pkg = join(root, 'node_modules', 'better-sqlite3');
    const env: NodeJS.ProcessEnv = { ...process.env };
    for (const k of Object.keys(env)) if (/^npm_config_/i.test(k)) delete env[k];
    const r = spawnSync(process.execPath, ['-e', "process.stdout.write(String(require('prebuild-install/rc')(require('./package.json')).buildFromSource))"],
      { cwd: pkg, encoding: 'utf8', timeout: 30_000, env });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toBe('true');
  });

  it('says in the README why the first install takes minutes', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    expect(readme).toMatch(/first `npm install` takes a few minutes/);
    expect(readme).toMatch(/compiles better-sqlite3 from the registry's source/);
  });
});
