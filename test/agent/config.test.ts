import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveRunConfig, settingsFrom } from '../../agent/src/config.ts';

const TOKEN = 'tet_' + 'a'.repeat(43);
const noFile = { file: {} };

describe('agent run configuration', () => {
  it('takes flags over environment over config file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tally-cfg-'));
    const file = join(dir, 'c.json');
    writeFileSync(file, JSON.stringify({ collectorUrl: 'wss://from-file', intervalSeconds: 60, stateDir: '/file/state' }));
    const src = settingsFrom({ config: file, interval: '5' }, { TALLY_COLLECTOR_URL: 'wss://from-env', TALLY_INTERVAL: '30' });
    const cfg = resolveRunConfig(src);
    expect(cfg.collectorUrl.href).toBe('wss://from-env/agent/v1/ws');
    expect(cfg.usageIntervalSeconds).toBe(5);
    expect(cfg.stateDir).toBe('/file/state');
    expect(cfg.enrolmentToken).toBeNull();
  });

  it('defaults the interval to 300 s', () => {
    expect(resolveRunConfig({ flags: { collector: 'wss://c' }, env: {}, ...noFile }).usageIntervalSeconds).toBe(300);
  });

  it.each([
    [{}, /collector URL is required/],
    [{ collector: 'ws://collector.example' }, /refusing to send credentials over plain ws:\/\//],
    [{ collector: 'wss://c', token: 'nope' }, /does not look like one/],
    [{ collector: 'wss://c', interval: '0' }, /--interval: expected a whole number from 1 to 86400/],
    [{ collector: 'wss://c', 'log-level': 'chatty' }, /log level/],
  ])('refuses %j', (flags, message) => {
    expect(() => resolveRunConfig({ flags, env: {}, ...noFile })).toThrow(message);
  });

  it('accepts plain ws:// to loopback and a valid token', () => {
    const cfg = resolveRunConfig({ flags: { collector: 'ws://127.0.0.1:9', token: TOKEN }, env: {}, ...noFile });
    expect(cfg.collectorUrl.href).toBe('ws://127.0.0.1:9/agent/v1/ws');
    expect(cfg.enrolmentToken).toBe(TOKEN);
  });
});
