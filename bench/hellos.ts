// Hellos: the time for N enrolled agents to connect and be welcomed (each
// hello stored: hostname, facts, hardware, identity evidence), on SQLite and
// on PostgreSQL, against the ingest baseline server (bench/baseline-server.ts:
// the key looked up in a Map, the hello answered with a fixed frame) with the
// same clients in the same run. Connecting is what a collector restart makes
// every agent do at once; bench/storm.ts measures that restart itself.
import type { ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import pg from 'pg';
import { join } from 'node:path';
import { hashSecret } from '../collector/src/auth/secrets.ts';
import { AGENT_WS_PATH } from '../proto/index.ts';
import { seedPgDevices } from './ingest.ts';
import { BENCH_DIR, cpuSeconds, forkTs, nextMessage, seedCollectorDb, slices, startCollectorServe, stopChild, withThrowawayPgDatabase, type Figure } from './lib.ts';

interface Connected { connected: number; failed: number; firstError: string; connectMs: number; hellosPerCommit?: number; serverCpuS?: number; pgCpuS?: number }

/** CPU seconds of the PostgreSQL backends serving the collector's pool (application_name tally-collector), by pid: they run on the same 2 cores. */
async function pgBackendCpu(dbUrl: string): Promise<Map<number, number>> {
  const client = new pg.Client({ connectionString: dbUrl });
  await client.connect();
  try {
    const r = await client.query<{ pid: number }>(`SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'tally-collector'`);
    return new Map(r.rows.flatMap((x) => {
      try {
        return [[x.pid, cpuSeconds(x.pid)] as [number, number]];
      } catch {
        return []; // gone meanwhile
      }
    }));
  } finally {
    await client.end();
  }
}

/** Connects every key (several client processes, 100 at a time each, as the ingest benchmark does) and holds them; the slowest process's time. */
async function connectAll(url: string, keys: string[], whileConnected?: () => Promise<Partial<Connected>>): Promise<Connected> {
  const procs = Math.max(2, Math.ceil(keys.length / 2500));
  const parts = slices(keys, procs);
  const clients: ChildProcess[] = parts.map(() => forkTs('bench/agents-client.ts'));
  try {
    const ready = clients.map((c) => nextMessage<{ type: 'ready'; connected: number; failed: number; firstError: string; connectMs: number }>(c, 'ready', 300_000));
    clients.forEach((c, i) => c.send({ type: 'start', url, keys: parts[i], mode: 'idle', batch: 1, firstDay: 0, days: 1, connectConcurrency: 100 }));
    const r = await Promise.all(ready);
    return {
      connected: r.reduce((n, x) => n + x.connected, 0), failed: r.reduce((n, x) => n + x.failed, 0),
      firstError: r.find((x) => x.firstError)?.firstError ?? '', connectMs: Math.max(...r.map((x) => x.connectMs)),
      // Before the agents disconnect: 10,000 disconnects keep a SQLite collector busy (a connection mark cleared each).
      ...(await whileConnected?.()),
    };
  } finally {
    for (const c of clients) if (c.connected) c.send({ type: 'stop' });
    await Promise.all(clients.map((c) => stopChild(c)));
  }
}

/** Hellos per group commit, from the collector's /metrics. */
async function hellosPerCommit(port: number): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const value = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN);
  return value('tally_hello_group_commit_hellos_sum') / value('tally_hello_group_commit_hellos_count');
}

async function onCollector(db: string, keys: string[], cpuProfDir?: string): Promise<Connected> {
  const collector = await startCollectorServe(db, ['--grace-hours', '744'], cpuProfDir ? ['--cpu-prof', '--cpu-prof-dir', cpuProfDir] : []);
  try {
    // The collector's CPU time while agents connect: on a loaded machine a steadier figure than the wall time.
    const cpu0 = cpuSeconds(collector.child.pid!);
    const isPg = db.startsWith('postgres');
    const pg0 = isPg ? await pgBackendCpu(db) : new Map<number, number>();
    return await connectAll(`ws://127.0.0.1:${collector.port}${AGENT_WS_PATH}`, keys, async () => {
      const serverCpuS = cpuSeconds(collector.child.pid!) - cpu0;
      const pgCpuS = isPg ? [...(await pgBackendCpu(db))].reduce((sum, [pid, s]) => sum + s - (pg0.get(pid) ?? 0), 0) : undefined;
      return { serverCpuS, pgCpuS, hellosPerCommit: await hellosPerCommit(collector.port) };
    });
  } finally {
    await collector.stop();
  }
}

export async function hellosBench(o: { agents: number; pgUrl?: string; cpuProfDir?: string }): Promise<Figure[]> {
  const keysDb = join(BENCH_DIR, `hellos-${o.agents}.db`);
  const baseDb = join(BENCH_DIR, `hellos-baseline-${o.agents}.db`);
  for (const f of [keysDb, baseDb].flatMap((d) => [d, `${d}-wal`, `${d}-shm`])) rmSync(f, { force: true });
  const { keys } = await seedCollectorDb(keysDb, o.agents);

  const server = forkTs('bench/baseline-server.ts', [baseDb]);
  let base: Connected;
  try {
    const listening = nextMessage<{ type: 'listening'; port: number }>(server, 'listening', 30_000);
    server.send({ type: 'keys', keyHashes: keys.map(hashSecret) });
    const { port } = await listening;
    const cpu0 = cpuSeconds(server.pid!);
    base = await connectAll(`ws://127.0.0.1:${port}${AGENT_WS_PATH}`, keys, async () => ({ serverCpuS: cpuSeconds(server.pid!) - cpu0 }));
  } finally {
    await stopChild(server);
  }
  const figure = (label: string, r: Connected, target: number): Figure => {
    const ratio = r.connectMs / base.connectMs;
    return {
      bench: 'hellos', name: `connect + hello ${o.agents} agents, ${label}`, value: r.connectMs / 1000, unit: 's', baseline: base.connectMs / 1000, ratio,
      target: `<= ${target}x baseline`, met: ratio <= target && r.connected === o.agents,
      note: `${r.connected} welcomed${r.failed ? `, ${r.failed} failed: ${r.firstError}` : ''}; ${r.hellosPerCommit?.toFixed(0)} hellos per commit (mean); `
        + `collector CPU ${r.serverCpuS?.toFixed(1)} s${r.pgCpuS === undefined ? '' : ` + its PostgreSQL backends' ${r.pgCpuS.toFixed(1)} s`}, baseline server's ${base.serverCpuS?.toFixed(1)} s`,
    };
  };
  const figures = [figure('SQLite', await onCollector(keysDb, keys, o.cpuProfDir), 1.3)];
  if (o.pgUrl) {
    const pgResult = await withThrowawayPgDatabase(o.pgUrl, async (dbUrl) => onCollector(dbUrl, await seedPgDevices(dbUrl, o.agents), o.cpuProfDir));
    figures.push(figure('PostgreSQL', pgResult, 1.6));
  }
  return figures;
}
