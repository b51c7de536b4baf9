// Connections: idle agents held by one collector, and collector RSS per idle
// agent. All agents are enrolled (seeded) and idle after hello. Baseline: a
// bare ws server (accepts, answers the hello, holds) with the same clients.
import type { ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { BENCH_DIR, forkTs, nextMessage, rssBytes, seedCollectorDb, sleep, slices, startCollectorServe, stopAgentClients, stopChild, type Figure } from './lib.ts';
import { AGENT_WS_PATH } from '../proto/index.ts';

interface HoldResult {
  connected: number; failed: number; firstError: string; rssStart: number; rssHalf: number; rssAfter: number;
  /** (RSS with all agents - RSS with half of them) / the agents added: the slope, less disturbed by start-up garbage than one delta. */
  perConnection: number; connectMs: number; halfConnected: number;
}

/** Connects the agents in two halves (several client processes each) and samples the server's RSS at 0, N/2 and N. */
async function hold(pid: number, url: string, keys: string[]): Promise<HoldResult> {
  const procs = Math.max(2, 2 * Math.ceil(keys.length / 8000));
  const parts = slices(keys, procs);
  const clients: ChildProcess[] = parts.map(() => forkTs('bench/agents-client.ts'));
  try {
    await sleep(3000);
    const rssStart = rssBytes(pid);
    const t0 = Date.now();
    const connectHalf = async (from: number, to: number) => {
      const ready = clients.slice(from, to).map((c) => nextMessage<{ type: 'ready'; connected: number; failed: number; firstError: string }>(c, 'ready', 400_000));
      clients.slice(from, to).forEach((c, i) => c.send({ type: 'start', url, keys: parts[from + i], mode: 'idle', batch: 1, firstDay: 0, days: 1, connectConcurrency: 50 }));
      return Promise.all(ready);
    };
    const r1 = await connectHalf(0, procs / 2);
    // Let the server settle (GC, buffers) before reading its RSS.
    await sleep(5000);
    const rssHalf = rssBytes(pid);
    const r2 = await connectHalf(procs / 2, procs);
    const connectMs = Date.now() - t0;
    await sleep(5000);
    const rssAfter = rssBytes(pid);
    const r = [...r1, ...r2];
    const halfConnected = r1.reduce((n, x) => n + x.connected, 0);
    const connected = r.reduce((n, x) => n + x.connected, 0);
    return {
      connected, halfConnected, failed: r.reduce((n, x) => n + x.failed, 0), firstError: r.find((x) => x.firstError)?.firstError ?? '',
      rssStart, rssHalf, rssAfter, perConnection: (rssAfter - rssHalf) / Math.max(1, connected - halfConnected), connectMs,
    };
  } finally {
    await stopAgentClients(clients);
  }
}

const mb = (b: number) => (b / 2 ** 20).toFixed(0);

export async function connectionsBench(o: { agents: number }): Promise<Figure[]> {
  const db = join(BENCH_DIR, `connections-${o.agents}.db`);
  for (const f of [db, `${db}-wal`, `${db}-shm`]) rmSync(f, { force: true });
  const { keys } = await seedCollectorDb(db, o.agents);

  const bare = forkTs('bench/baseline-server.ts', ['-', '--bare']);
  let base: HoldResult;
  try {
    const listening = nextMessage<{ type: 'listening'; port: number }>(bare, 'listening', 30_000);
    bare.send({ type: 'keys', keyHashes: [] });
    const { port } = await listening;
    base = await hold(bare.pid!, `ws://127.0.0.1:${port}${AGENT_WS_PATH}`, keys);
  } finally {
    await stopChild(bare);
  }

  const collector = await startCollectorServe(db, ['--grace-hours', '744']);
  let coll: HoldResult;
  try {
    coll = await hold(collector.pid, `ws://127.0.0.1:${collector.port}${AGENT_WS_PATH}`, keys);
  } finally {
    await collector.stop();
  }
  const kb = coll.perConnection / 1024;
  return [
    { bench: 'connections', name: `idle agents held (of ${o.agents})`, value: coll.connected, unit: 'agents', baseline: base.connected,
      target: `all ${o.agents}`, met: coll.connected === o.agents, note: coll.failed ? `${coll.failed} failed: ${coll.firstError}` : undefined },
    { bench: 'connections', name: 'collector RSS per idle agent', value: kb, unit: 'KB', baseline: base.perConnection / 1024, ratio: coll.perConnection / base.perConnection,
      target: '<= 16 KB', met: kb <= 16, note: `slope between ${coll.halfConnected} and ${coll.connected} agents; collector RSS ${mb(coll.rssStart)} -> ${mb(coll.rssHalf)} -> ${mb(coll.rssAfter)} MB (whole delta ${((coll.rssAfter - coll.rssStart) / coll.connected / 1024).toFixed(1)} KB/agent); bare ws ${mb(base.rssStart)} -> ${mb(base.rssHalf)} -> ${mb(base.rssAfter)} MB (whole delta ${((base.rssAfter - base.rssStart) / base.connected / 1024).toFixed(1)} KB/agent)` },
    { bench: 'connections', name: 'time to connect + hello all agents', value: coll.connectMs / 1000, unit: 's', baseline: base.connectMs / 1000 },
  ];
}
