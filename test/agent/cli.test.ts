// The real tally-agent executable, as a user runs it.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AGENT_BIN } from '../helpers/processes.ts';

function run(args: string[], env: Record<string, string> = {}, timeout = 30_000) {
  const r = spawnSync(process.execPath, [AGENT_BIN, ...args], { encoding: 'utf8', env: { ...process.env, ...env }, timeout });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('tally-agent CLI', () => {
  it.each([[[]], [['--help']], [['run', '--help']], [['facts', '--help']]])('%j prints usage and exits 0', (args) => {
    const r = run(args);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^usage: tally-agent/);
  });

  it.each([
    [['fly'], /unknown command: fly/],
    [['run'], /collector URL is required/],
    [['run', '--collector', 'ws://127.0.0.1:1', '--interval', 'soon'], /--interval: expected a whole number/],
    [['facts'], /--json is required/],
  ])('%j fails with exit 2 and says why', (args, message) => {
    const r = run(args, { TALLY_AGENT_CONFIG: '', TALLY_COLLECTOR_URL: '' });
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
  });

  it('refuses to run without credentials or a token', () => {
    const r = run(['run', '--collector', 'ws://127.0.0.1:1', '--state-dir', '/tmp/tally-agent-cli-empty-' + process.pid]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/not enrolled yet: pass --token/);
  });

  it.each([
    [['run', '--collector', 'ws://127.0.0.1:1', '--token', 'tet_' + 'a'.repeat(43), '--state-dir', '/proc/tally-agent-test/state'], /cannot create \/proc\/tally-agent-test: ENOENT/],
    [['run', '--collector', 'ws://127.0.0.1:1', '--token', 'tet_' + 'a'.repeat(43), '--state-dir', '/proc'], /cannot create \/proc\/outbox/],
    [['reset-identity', '--state-dir', '/proc/tally-agent-test'], /cannot create \/proc\/tally-agent-test/],
  ])('%j: a state directory that cannot hold files is refused at once with exit 2 (it used to spin at full CPU)', (args, message) => {
    const started = Date.now();
    const r = run(args, { TALLY_AGENT_CONFIG: '' }, 15_000);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/state directory .* is not usable/);
    expect(r.err).toMatch(message);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('names the option it does not know, with the closest one', () => {
    const r = run(['run', '--colector', 'ws://127.0.0.1:1'], { TALLY_AGENT_CONFIG: '' });
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^error: unknown option --colector \(did you mean --collector\?\)\n/);
    expect(run(['run', '--state-dri', '/tmp/x'], { TALLY_AGENT_CONFIG: '' }).err).toMatch(/unknown option --state-dri \(did you mean --state-dir\?\)/);
  });

  it('refuses a config file with an unknown key (exit 2) instead of running without the setting', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tally-agent-cfg-'));
    try {
      const cfg = join(dir, 'agent.json');
      // "collectorUrll" used to be ignored: the agent then ran with the environment's or no collector at all.
      writeFileSync(cfg, JSON.stringify({ collectorUrll: 'ws://127.0.0.1:1', enrollToken: 'tet_' + 'a'.repeat(43) }));
      for (const args of [['run', '--config', cfg], ['status', '--config', cfg, '--state-dir', dir]]) {
        const r = run(args, { TALLY_COLLECTOR_URL: 'ws://127.0.0.1:1' });
        expect(r.code, args[0]).toBe(2);
        expect(r.err).toMatch(/config file .*agent\.json: unknown key "collectorUrll" \(did you mean "collectorUrl"\?\)/);
      }
      // Every key the agent reads is accepted.
      writeFileSync(cfg, JSON.stringify({ collectorUrl: 'ws://127.0.0.1:1', intervalSeconds: 60, logLevel: 'warn', stateDir: dir, modules: {}, doctorTimeoutSeconds: 5, uninstallTimeoutSeconds: 5, proxy: 'direct' }));
      const ok = run(['status', '--config', cfg, '--json']);
      expect(ok.err).not.toMatch(/unknown key/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
