// `tally-agent status` and `doctor` against a real collector and a real
// running agent, and the agent's logs: an info line for acknowledged reports
// at a modest rate, and a warn line with the reason when it cannot connect.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AGENT_BIN, COLLECTOR_BIN, runCommand, startCollectorProcess, startProcess, type Proc } from '../helpers/processes.ts';

const dir = mkdtempSync(join(tmpdir(), 'tally-diagnostics-'));
const running: Proc[] = [];
afterAll(async () => {
  for (const p of running) await p.stop('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

function cli(args: string[]) {
  const r = spawnSync(process.execPath, [AGENT_BIN, ...args], { encoding: 'utf8', timeout: 30_000, env: { ...process.env, TALLY_AGENT_CONFIG: '', HTTPS_PROXY: '', HTTP_PROXY: '', ALL_PROXY: '' } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('agent diagnostics', () => {
  it('status and doctor tell where the agent is enrolled and how its link is doing; failures carry their reason', async () => {
    const db = join(dir, 'tally.db');
    const token = runCommand(COLLECTOR_BIN, ['token', 'create', '--company', 'Diagnosed Co', '--init', '--db', db]);
    const collector = await startCollectorProcess(db);
    running.push(collector);
    const stateDir = join(dir, 'agent');
    const agent = startProcess(AGENT_BIN, ['run', '--collector', collector.url, '--token', token, '--state-dir', stateDir, '--interval', '1']);
    running.push(agent);
    const deviceId = String((await agent.waitForLog((l) => l.msg === 'enrolled')).deviceId);
    await agent.waitForLog((l) => l.msg === 'reports acknowledged', 15_000);
    // Reports go every second; the info line about them at most once a minute.
    await new Promise((r) => setTimeout(r, 4_000));
    expect(agent.logs.filter((l) => l.msg === 'reports acknowledged')).toHaveLength(1);

    const live = JSON.parse(cli(['status', '--json', '--state-dir', stateDir]).out);
    expect(live).toMatchObject({
      enrolled: true, deviceId, collectorUrl: `${collector.url.replace('http:', 'ws:')}/agent/v1/ws`,
      running: true, runningPid: agent.child.pid, connected: true, lastError: null,
    });
    expect(Date.parse(live.lastAckAt)).toBeGreaterThan(Date.now() - 70_000);
    expect(live.outboxRecords).toBeGreaterThanOrEqual(0);
    expect(cli(['status', '--state-dir', stateDir]).out).toMatch(/^enrolled to +ws:\/\/127\.0\.0\.1:\d+\/agent\/v1\/ws$/m);

    const healthy = cli(['doctor', '--state-dir', stateDir]);
    expect(healthy.out).toMatch(/^ok +WebSocket upgrade +ws:\/\/.*: device key accepted$/m);
    expect(healthy.code).toBe(0);

    // The collector goes away: the agent says why at warn, and status shows it.
    await collector.stop('SIGKILL');
    const warned = await agent.waitForLog((l) => l.msg === 'cannot connect to the collector', 20_000);
    expect(warned).toMatchObject({ level: 'warn', reason: 'refused', code: 'ECONNREFUSED' });
    const down = JSON.parse(cli(['status', '--json', '--state-dir', stateDir]).out);
    expect(down).toMatchObject({ running: true, connected: false, lastError: { reason: 'refused', code: 'ECONNREFUSED' } });
    const failing = cli(['doctor', '--state-dir', stateDir, '--timeout', '5']);
    expect(failing.code).toBe(1);
    expect(failing.out).toMatch(/^FAIL +connect to collector +refused \(ECONNREFUSED\)/m);

    // Stopped: status still reads, and says the agent is not running.
    await agent.stop('SIGTERM');
    expect(JSON.parse(cli(['status', '--json', '--state-dir', stateDir]).out)).toMatchObject({ running: false, enrolled: true, deviceId });
  }, 90_000);

  it('status and doctor have --help', () => {
    for (const cmd of ['status', 'doctor']) {
      const r = cli([cmd, '--help']);
      expect(r.code).toBe(0);
      expect(r.out).toMatch(new RegExp(`^usage: tally-agent ${cmd}`));
    }
  });
});
