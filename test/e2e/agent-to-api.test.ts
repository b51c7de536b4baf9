// End to end with real processes: tally-collector serve on a loopback port,
// tally-agent run as a separate process, and the admin API reading back the
// device and its awake seconds.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AGENT_BIN, COLLECTOR_BIN, pollUntil, runCommand, startCollectorProcess, startProcess, type Proc } from '../helpers/processes.ts';

const running: Proc[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const p of running.splice(0)) await p.stop('SIGKILL');
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function api(url: string, key: string, path: string): Promise<any> {
  const res = await fetch(`${url}${path}`, { headers: { authorization: `Bearer ${key}` } });
  expect(res.status).toBe(200);
  return res.json();
}

describe('agent -> collector -> admin API', () => {
  it('enrols, reports awake seconds, reconnects with its key after a restart, and the API shows it all', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tally-e2e-'));
    dirs.push(dir);
    const db = join(dir, 'tally.db');
    const key = runCommand(COLLECTOR_BIN, ['apikey', 'create', '--init', '--db', db]);
    const token = runCommand(COLLECTOR_BIN, ['token', 'create', '--company', 'Acme Dental', '--init', '--db', db]);
    const collector = await startCollectorProcess(db);
    running.push(collector);

    const stateDir = join(dir, 'agent');
    const agentArgs = ['run', '--collector', `ws://127.0.0.1:${collector.port}`, '--state-dir', stateDir, '--interval', '1'];
    const startedAt = Date.now();
    const agent = startProcess(AGENT_BIN, [...agentArgs, '--token', token]);
    running.push(agent);
    await agent.waitForLog((l) => l.msg === 'enrolled');

    const month = new Date().toISOString().slice(0, 7);
    const withSeconds = await pollUntil(async () => {
      const u = await api(collector.url, key, `/api/v1/usage?month=${month}`);
      return u.devices.length === 1 && u.devices[0].awakeSeconds >= 5 ? u : null;
    }, 25_000, 'awake seconds through the API');
    expect(withSeconds.devices[0].activeDays).toBe(1);

    const devices = await api(collector.url, key, '/api/v1/devices');
    expect(devices.devices).toHaveLength(1);
    const device = devices.devices[0];
    expect(device.companyName).toBe('Acme Dental');
    expect(device.hostname).not.toBe('unknown'); // inventory carried the real hostname
    expect(Date.now() - new Date(device.lastSeenAt).getTime()).toBeLessThan(10_000);

    // From agent reports to the monthly bill: the company gets a subscription,
    // and the device counts once in Endpoint Usage.
    const sub = await fetch(`${collector.url}/api/v1/companies/${device.companyId}/subscriptions`, {
      method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ productType: 'endpoint_security', effectiveFrom: `${month}-01T00:00:00Z` }),
    });
    expect(sub.status).toBe(201);
    const monthly = await api(collector.url, key, `/api/v1/usage/monthly?month=${month}&includeDevices=true`);
    const row = monthly.rows.find((r: any) => r.companyId === device.companyId);
    expect(row.own.licensedEndpoints).toBe(1);
    expect(row.own.endpointUsage).toBe(1);
    expect(row.devices[0].deviceId).toBe(device.id);

    // A clean stop journals and delivers the last seconds.
    expect((await agent.stop('SIGTERM')).code).toBe(0);
    const ranSeconds = (Date.now() - startedAt) / 1000;
    const afterStop = (await api(collector.url, key, `/api/v1/usage?month=${month}`)).devices[0].awakeSeconds;
    // Never more than the agent ran; less by at most process start-up time.
    expect(afterStop).toBeLessThanOrEqual(Math.ceil(ranSeconds));
    expect(afterStop).toBeGreaterThanOrEqual(Math.floor(ranSeconds) - 5);

    // Restart without the token: the stored device key is used, no new device.
    const again = startProcess(AGENT_BIN, agentArgs);
    running.push(again);
    await again.waitForLog((l) => l.msg === 'connected');
    await pollUntil(async () => (await api(collector.url, key, `/api/v1/usage?month=${month}`)).devices[0].awakeSeconds > afterStop, 20_000, 'more seconds after restart');
    expect((await api(collector.url, key, '/api/v1/devices')).devices).toHaveLength(1);
  }, 90_000);

  it('an agent with a wrong token says so and keeps the collector healthy', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tally-e2e-'));
    dirs.push(dir);
    const collector = await startCollectorProcess(join(dir, 'tally.db'));
    running.push(collector);
    const agent = startProcess(AGENT_BIN, ['run', '--collector', collector.url, '--state-dir', join(dir, 'a'), '--token', 'tet_' + 'x'.repeat(43)]);
    running.push(agent);
    const refused = await agent.waitForLog((l) => l.msg === 'cannot connect to the collector');
    expect(refused).toMatchObject({ level: 'warn', reason: 'unauthorized', status: 401, code: 'invalid_token' });
    expect((await fetch(`${collector.url}/healthz`)).status).toBe(200);
  }, 60_000);
});
