// A reconnect storm: a real collector process holding 1,000 raw-protocol
// agents (device keys, one connection each) is restarted (SIGTERM: every
// agent is closed with 1001), and a new process takes the same port. Every
// agent reconnects on the agent's own backoff, says hello again, resends the
// record whose ack it pretends to have lost and sends a new one.
//   - every agent is welcomed again, as the same device;
//   - nothing lost or doubled: each device's stored seconds equal what its
//     agent saw acknowledged, and the resent record counts once;
//   - the hellos were group-committed (fewer commits than hellos) and the
//     new collector holds exactly one connection per device.
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AGENT_WS_PATH } from '../../proto/index.ts';
import { freePort, startCollectorProcess, type Proc } from '../helpers/processes.ts';
import { SECONDS_PER_RECORD, StormAgent, inParallel, seedDevices } from '../helpers/storm.ts';

const AGENTS = 1_000;
const BACKOFF = { initialMs: 500, maxMs: 4_000 };

const running: Proc[] = [];
const dirs: string[] = [];
afterAll(async () => {
  for (const p of running.splice(0)) await p.stop('SIGKILL');
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const metricsOf = async (port: number) => {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  return (name: string) => Number(new RegExp(`^${name.replace(/[{}]/g, (m) => `\\${m}`)} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN);
};

describe('reconnect storm', () => {
  it(`restarting the collector under ${AGENTS} connected agents: all reconnect, nothing lost or doubled`, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tally-storm-'));
    dirs.push(dir);
    const db = join(dir, 'tally.db');
    const keys = await seedDevices(db, AGENTS);
    const port = await freePort();
    const url = `ws://127.0.0.1:${port}${AGENT_WS_PATH}`;
    const serve = async () => {
      const p = await startCollectorProcess(db, ['--port', String(port)]);
      running.push(p);
      return p;
    };
    let collector = await serve();
    const agents = keys.map((k, i) => new StormAgent(url, k, i, `127.0.0.${1 + (i % 4)}`));
    const deadline = Date.now() + 60_000;
    await inParallel(agents, 100, async (a) => {
      await a.connect(deadline, BACKOFF);
      await a.report();
    });
    expect(agents.every((a) => a.welcomes === 1 && a.acked.size === 1)).toBe(true);

    // The restart: every agent sees its connection close and at once starts reconnecting on its
    // backoff (refused while no collector listens), while the new process starts on the same port.
    const codes: number[] = [];
    const t0 = Date.now();
    const back = agents.map((a) => a.conn!.closed.then(async (c) => {
      codes.push(c.code);
      await a.connect(Date.now() + 60_000, BACKOFF);
      await a.report(1); // the first record again (its ack "lost"), and a new one
    }));
    await collector.stop('SIGTERM');
    const downMs = Date.now() - t0;
    collector = await serve();
    await Promise.all(back);
    const reconnectedMs = Date.now() - t0;
    const failed = agents.reduce((n, a) => n + a.failedAttempts, 0);
    console.log(`[storm] ${AGENTS} agents all reconnected and reporting ${reconnectedMs} ms after the restart began ` +
      `(old process gone after ${downMs} ms); ${failed} refused attempts on the way`);
    expect(new Set(codes)).toEqual(new Set([1001]));
    expect(failed).toBeGreaterThan(0); // they did meet the outage
    expect(agents.every((a) => a.welcomes === 2)).toBe(true);
    const m = await metricsOf(collector.port);
    expect(m('tally_agent_connections')).toBe(AGENTS);
    expect(m('tally_usage_records_total{outcome="duplicate"}')).toBe(AGENTS);
    expect(m('tally_usage_records_total{outcome="stored"}')).toBe(AGENTS);
    const commits = m('tally_hello_group_commit_hellos_count');
    expect(m('tally_hello_group_commit_hellos_sum')).toBe(AGENTS);
    expect(commits).toBeLessThan(AGENTS / 2);
    expect(m('tally_agent_connections_replaced_total')).toBe(0);
    for (const a of agents) a.conn!.cut();
    await collector.stop('SIGTERM');

    // The books: per device, stored seconds == acknowledged records x 60, every device twice, none more.
    const read = new Database(db, { readonly: true });
    const stored = new Map((read.prepare('SELECT device_id, SUM(awake_seconds) AS s FROM device_days GROUP BY device_id').all() as { device_id: string; s: number }[])
      .map((r) => [r.device_id, r.s]));
    read.close();
    const problems = agents.filter((a) => stored.get(a.deviceId) !== a.acked.size * SECONDS_PER_RECORD || a.acked.size !== 2)
      .map((a) => `${a.deviceId}: stored ${stored.get(a.deviceId)}, acked ${a.acked.size} records`);
    expect(problems).toEqual([]);
    expect(stored.size).toBe(AGENTS);
  }, 90_000);
});
