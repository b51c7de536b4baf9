// Ingest: usage records per second acknowledged and durably stored by one
// collector process, with N connected agents, and ack latency p50/p99.
// Baseline: bench/baseline-server.ts, same clients, same frames, same run.
import Database from 'better-sqlite3';
import type { ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { hashSecret, newSecret } from '../collector/src/auth/secrets.ts';
import { openPostgresStorage } from '../collector/src/storage/postgres/index.ts';
import { parseMonthId } from '../sim/src/plan.ts';
import { BENCH_DIR, BENCH_FLEET_ENROLLED_AT_MS, forkTs, nextMessage, percentile, seedCollectorDb, slices, startCollectorServe, stopAgentClients, stopChild, withThrowawayPgDatabase, type Figure } from './lib.ts';
import { AGENT_WS_PATH } from '../proto/index.ts';
import { seedCustomer } from '../test/helpers/seed.ts';

export interface IngestOptions {
  agents: number;
  batch: number;
  warmupMs: number;
  measureMs: number;
  /** Collector group-commit delay (undefined: the collector's default). */
  flushMs?: number;
  cpuProfDir?: string;
}

export interface IngestResult {
  target: string;
  agents: number;
  connected: number;
  connectMs: number;
  recordsPerSecond: number;
  p50: number;
  p99: number;
  ackedTotal: number;
  ackedSeconds: number;
  storedSeconds: number;
  errors: number;
  firstError: string;
  /** The collector's group commits over the whole run (its /metrics), when it is a collector. */
  groupCommits?: { count: number; records: number; seconds: number };
}

/** Group commit totals from a collector's /metrics (tally_ingest_group_commit_*). */
async function groupCommitsOf(port: number): Promise<IngestResult['groupCommits']> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const value = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN);
  return { count: value('tally_ingest_group_commit_records_count'), records: value('tally_ingest_group_commit_records_sum'), seconds: value('tally_ingest_group_commit_seconds_sum') };
}

function previousMonthFirstDay(): number {
  const d = new Date();
  const id = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - 1, 1)).toISOString().slice(0, 7);
  return parseMonthId(id).firstDay;
}

async function drive(url: string, keys: string[], o: IngestOptions, target: string): Promise<Omit<IngestResult, 'storedSeconds'>> {
  const procs = Math.max(2, Math.ceil(keys.length / 2500));
  const clients: ChildProcess[] = slices(keys, procs).map(() => forkTs('bench/agents-client.ts'));
  try {
    const parts = slices(keys, procs);
    const ready = clients.map((c) => nextMessage<{ type: 'ready'; connected: number; failed: number; firstError: string; connectMs: number }>(c, 'ready', 300_000));
    clients.forEach((c, i) => c.send({ type: 'start', url, keys: parts[i], mode: 'ingest', batch: o.batch, firstDay: previousMonthFirstDay(), days: 28, connectConcurrency: 100 }));
    const r = await Promise.all(ready);
    const connected = r.reduce((n, x) => n + x.connected, 0);
    if (connected < keys.length) process.stdout.write(`  [${target}] ${keys.length - connected} agents failed to connect: ${r.find((x) => x.firstError)?.firstError}\n`);
    const from = Date.now() + o.warmupMs;
    const done = clients.map((c) => nextMessage<{ type: 'done'; ackedInWindow: number; ackedTotal: number; ackedSeconds: number; latencies: number[]; errors: number; firstError: string }>(c, 'done', o.warmupMs + o.measureMs + 120_000));
    clients.forEach((c) => c.send({ type: 'go', measureFromMs: from, measureUntilMs: from + o.measureMs }));
    const d = await Promise.all(done);
    const lat = Float64Array.from(d.flatMap((x) => x.latencies)).sort();
    return {
      target, agents: keys.length, connected, connectMs: Math.max(...r.map((x) => x.connectMs)),
      recordsPerSecond: d.reduce((n, x) => n + x.ackedInWindow, 0) / (o.measureMs / 1000),
      p50: percentile(lat, 50), p99: percentile(lat, 99),
      ackedTotal: d.reduce((n, x) => n + x.ackedTotal, 0), ackedSeconds: d.reduce((n, x) => n + x.ackedSeconds, 0),
      errors: d.reduce((n, x) => n + x.errors, 0), firstError: d.find((x) => x.firstError)?.firstError ?? '',
    };
  } finally {
    await stopAgentClients(clients);
  }
}

export async function ingestBaseline(o: IngestOptions): Promise<IngestResult> {
  const db = join(BENCH_DIR, `ingest-baseline-${o.agents}.db`);
  for (const f of [db, `${db}-wal`, `${db}-shm`]) rmSync(f, { force: true });
  const keys = (await seedCollectorDb(join(BENCH_DIR, `ingest-keys-${o.agents}.db`), o.agents)).keys;
  const server = forkTs('bench/baseline-server.ts', [db]);
  try {
    const listening = nextMessage<{ type: 'listening'; port: number }>(server, 'listening', 30_000);
    server.send({ type: 'keys', keyHashes: keys.map(hashSecret) });
    const { port } = await listening;
    const r = await drive(`ws://127.0.0.1:${port}${AGENT_WS_PATH}`, keys, o, 'baseline');
    await stopChild(server);
    const sdb = new Database(db, { readonly: true });
    const stored = (sdb.prepare('SELECT COALESCE(SUM(awake_seconds), 0) AS s FROM device_days').get() as { s: number }).s;
    sdb.close();
    return { ...r, storedSeconds: stored };
  } finally {
    await stopChild(server);
  }
}

export async function ingestCollector(o: IngestOptions): Promise<IngestResult> {
  const db = join(BENCH_DIR, `ingest-collector-${o.agents}.db`);
  for (const f of [db, `${db}-wal`, `${db}-shm`]) rmSync(f, { force: true });
  const { keys } = await seedCollectorDb(db, o.agents);
  const args = ['--grace-hours', '744', ...(o.flushMs !== undefined ? ['--ingest-flush-ms', String(o.flushMs)] : [])];
  const collector = await startCollectorServe(db, args, o.cpuProfDir ? ['--cpu-prof', '--cpu-prof-dir', o.cpuProfDir] : []);
  try {
    const r = await drive(`ws://127.0.0.1:${collector.port}${AGENT_WS_PATH}`, keys, o, `collector${o.flushMs !== undefined ? ` flush ${o.flushMs} ms` : ''}`);
    const groupCommits = await groupCommitsOf(collector.port);
    await collector.stop();
    const sdb = new Database(db, { readonly: true });
    const stored = (sdb.prepare('SELECT COALESCE(SUM(awake_seconds), 0) AS s FROM device_days').get() as { s: number }).s;
    sdb.close();
    return { ...r, storedSeconds: stored, groupCommits };
  } finally {
    await collector.stop();
  }
}

export function ingestFigures(base: IngestResult, coll: IngestResult, label: string): Figure[] {
  const ratio = coll.recordsPerSecond / base.recordsPerSecond;
  const durable = coll.storedSeconds === coll.ackedSeconds && base.storedSeconds === base.ackedSeconds;
  return [
    { bench: 'ingest', name: `${label}: records/s acked+stored`, value: coll.recordsPerSecond, unit: 'rec/s', baseline: base.recordsPerSecond, ratio, target: '>= 0.60x baseline', met: ratio >= 0.6 && durable,
      note: durable ? `acked seconds == stored seconds (collector ${coll.ackedSeconds}, baseline ${base.ackedSeconds})` : `MISMATCH collector acked ${coll.ackedSeconds} stored ${coll.storedSeconds}; baseline acked ${base.ackedSeconds} stored ${base.storedSeconds}` },
    { bench: 'ingest', name: `${label}: ack latency p50`, value: coll.p50, unit: 'ms', baseline: base.p50 },
    { bench: 'ingest', name: `${label}: ack latency p99`, value: coll.p99, unit: 'ms', baseline: base.p99 },
    { bench: 'ingest', name: `${label}: time to connect + hello all agents`, value: coll.connectMs / 1000, unit: 's', baseline: base.connectMs / 1000 },
    ...(coll.groupCommits ? [
      { bench: 'ingest', name: `${label}: records per group commit (mean)`, value: coll.groupCommits.records / coll.groupCommits.count, unit: 'rec',
        note: `${coll.groupCommits.count} commits in the run, ${(1000 * coll.groupCommits.seconds / coll.groupCommits.count).toFixed(1)} ms each on average` },
    ] : []),
  ];
}

/** One customer and `count` enrolled devices written straight into a migrated PostgreSQL database; their device keys. */
export async function seedPgDevices(dbUrl: string, count: number): Promise<string[]> {
  const storage = await openPostgresStorage({ url: dbUrl, nowMs: Date.now() });
  const company = await seedCustomer(storage, 'Bench Co', Date.now());
  await storage.close();
  const keys: string[] = [];
  const client = new pg.Client({ connectionString: dbUrl });
  await client.connect();
  try {
    for (let start = 0; start < count; start += 1000) {
      const values: unknown[] = [];
      const rows: string[] = [];
      for (let i = start; i < Math.min(count, start + 1000); i++) {
        const key = newSecret('device_key');
        keys.push(key);
        const b = values.length;
        rows.push(`($${b + 1}, $${b + 2}, $${b + 3}, $${b + 4}, $${b + 5}, 'bench', $${b + 6})`);
        values.push(randomUUID(), company.id, hashSecret(key), randomUUID(), `bench-${i}`, BENCH_FLEET_ENROLLED_AT_MS());
      }
      await client.query(`INSERT INTO devices (id, company_id, key_hash, instance_id, hostname, agent_version, enrolled_at) VALUES ${rows.join(',')}`, values);
    }
  } finally {
    await client.end();
  }
  return keys;
}

/**
 * The same load against a collector on PostgreSQL (issue 9: "the ingest
 * benchmark also runs on PostgreSQL"), in a throwaway database on the server
 * behind `serverUrl`. Compared with the same SQLite-based baseline.
 */
export async function ingestCollectorPostgres(o: IngestOptions, serverUrl: string): Promise<IngestResult> {
  return withThrowawayPgDatabase(serverUrl, async (dbUrl) => {
    const keys = await seedPgDevices(dbUrl, o.agents);
    const args = ['--grace-hours', '744', ...(o.flushMs !== undefined ? ['--ingest-flush-ms', String(o.flushMs)] : [])];
    const collector = await startCollectorServe(dbUrl, args);
    try {
      const r = await drive(`ws://127.0.0.1:${collector.port}${AGENT_WS_PATH}`, keys, o, 'collector on postgres');
      const groupCommits = await groupCommitsOf(collector.port);
      await collector.stop();
      const read = new pg.Client({ connectionString: dbUrl });
      await read.connect();
      const stored = Number((await read.query('SELECT COALESCE(SUM(awake_seconds), 0) AS s FROM device_days')).rows[0].s);
      await read.end();
      return { ...r, storedSeconds: stored, groupCommits };
    } finally {
      await collector.stop();
    }
  });
}
