// `tally-agent uninstall` (what the installers run on removal): the device
// stays visible, marked uninstalled, and is not billed from then on.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { AGENT_BIN, COLLECTOR_BIN, runCommand, startCollectorProcess, startProcess, type Proc } from '../helpers/processes.ts';

const running: Proc[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const p of running.splice(0)) await p.stop('SIGKILL');
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('tally-agent uninstall', () => {
  it('reports the uninstall so the device stays listed as uninstalled; with the collector gone it still exits 0 in bounded time', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tally-uninstall-'));
    dirs.push(dir);
    const db = join(dir, 'tally.db');
    const key = runCommand(COLLECTOR_BIN, ['apikey', 'create', '--init', '--db', db]);
    const token = runCommand(COLLECTOR_BIN, ['token', 'create', '--company', 'Leaving Co', '--init', '--db', db]);
    const collector = await startCollectorProcess(db);
    running.push(collector);
    const stateDir = join(dir, 'agent');
    const agent = startProcess(AGENT_BIN, ['run', '--collector', collector.url, '--token', token, '--state-dir', stateDir, '--interval', '1']);
    running.push(agent);
    const deviceId = String((await agent.waitForLog((l) => l.msg === 'enrolled')).deviceId);
    // The installer stops the service first, then reports the uninstall.
    agent.child.kill('SIGTERM');
    await agent.exited;

    const started = Date.now();
    const r = spawnSync(process.execPath, [AGENT_BIN, 'uninstall', '--state-dir', stateDir, '--timeout', '10'], { encoding: 'utf8', timeout: 30_000 });
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/uninstall reported to the collector/);
    expect(Date.now() - started).toBeLessThan(15_000);
    const devices = ((await (await fetch(`${collector.url}/api/v1/devices`, { headers: { authorization: `Bearer ${key}` } })).json()) as any).devices;
    const device = devices.find((d: any) => d.id === deviceId);
    expect(device.uninstalledAt).not.toBeNull();

    // A second uninstall with the collector gone: best effort, bounded, exit 0.
    await collector.stop('SIGKILL');
    const offline = spawnSync(process.execPath, [AGENT_BIN, 'uninstall', '--state-dir', stateDir, '--timeout', '2'], { encoding: 'utf8', timeout: 30_000 });
    expect(offline.status).toBe(0);
    expect(offline.stderr).toMatch(/could not reach the collector in time/);
    expect(existsSync(join(stateDir, 'credentials.json'))).toBe(true);

    // --purge (what the MSI runs on removal): the device key, instance id and journal go too.
    const purged = spawnSync(process.execPath, [AGENT_BIN, 'uninstall', '--state-dir', stateDir, '--timeout', '1', '--purge'], { encoding: 'utf8', timeout: 30_000 });
    expect(purged.status).toBe(0);
    expect(purged.stderr).toMatch(/agent state removed/);
    expect(existsSync(stateDir)).toBe(false);
  }, 60_000);
});
