// The real collector is killed with SIGKILL, again and again, while real
// agent processes keep reporting. Afterwards every second each agent metered
// is stored exactly once: nothing lost, nothing counted twice.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AGENT_BIN, COLLECTOR_BIN, runCommand, startCollectorProcess, startProcess, type Proc, freePort } from '../helpers/processes.ts';

const running: Proc[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const p of running.splice(0)) await p.stop('SIGKILL');
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});


const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('collector killed with SIGKILL while agents send', () => {
  it('ends with every metered second stored exactly once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tally-kill-'));
    dirs.push(dir);
    const db = join(dir, 'tally.db');
    const key = runCommand(COLLECTOR_BIN, ['apikey', 'create', '--init', '--db', db]);
    const token = runCommand(COLLECTOR_BIN, ['token', 'create', '--company', 'Kill Test', '--init', '--db', db]);
    const port = await freePort();
    const serve = () => startCollectorProcess(db, ['--port', String(port)]).then((p) => {
      running.push(p);
      return p;
    });
    let collector = await serve();

    const agents = [1, 2, 3].map((n) => {
      const a = startProcess(AGENT_BIN, ['run', '--collector', `ws://127.0.0.1:${port}`, '--token', token, '--state-dir', join(dir, `agent-${n}`), '--interval', '1']);
      running.push(a);
      return a;
    });
    const deviceIds = await Promise.all(agents.map(async (a) => String((await a.waitForLog((l) => l.msg === 'enrolled')).deviceId)));

    const kills = 4;
    let restartedAt = 0;
    for (let i = 0; i < kills; i++) {
      await sleep(2500);
      collector.child.kill('SIGKILL');
      await collector.exited;
      await sleep(300 + i * 200);
      restartedAt = Date.now();
      collector = await serve();
    }
    // Every agent back on the last collector (its backoff may still be running), then a few more reports.
    await Promise.all(agents.map((a) => a.waitForLog((l) => l.msg === 'connected' && Date.parse(String(l.time)) >= restartedAt, 30_000)));
    await sleep(2000);

    const stopped = await Promise.all(agents.map(async (a) => {
      a.child.kill('SIGTERM');
      const log = await a.waitForLog((l) => l.msg === 'agent stopped', 20_000);
      await a.exited;
      return log;
    }));
    const month = new Date().toISOString().slice(0, 7);
    const res = await fetch(`${collector.url}/api/v1/usage?month=${month}`, { headers: { authorization: `Bearer ${key}` } });
    const usage = ((await res.json()) as any).devices as { deviceId: string; awakeSeconds: number }[];
    const stored = Object.fromEntries(usage.map((u) => [u.deviceId, u.awakeSeconds]));
    deviceIds.forEach((id, i) => {
      expect(stopped[i].delivered).toBe(true);
      expect(stopped[i].recordsLeftInOutbox).toBe(0);
      expect(Number(stopped[i].meteredSeconds)).toBeGreaterThan(8);
      expect(stored[id]).toBe(stopped[i].meteredSeconds);
    });
  }, 120_000);
});
