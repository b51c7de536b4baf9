// Diagnostic, not part of `npm run bench`: the SQLite ingest store alone (no
// sockets), 10,000 devices, group-commit batches of one 8-record frame per
// device (the ingest benchmark's frames: 8 days, 30 s each, with the stream
// floor), next to the baseline server's store (receipt INSERT OR IGNORE +
// clamped device-day upsert per record, integer ids, one transaction) fed the
// same records in the same process. Prints wall time and this process's CPU
// time (user + system) per batch: on a shared machine the CPU time and the
// ratio to the baseline are the figures to compare, not records/s.
//   npx tsx bench/ingest-store.ts [devices] [rounds] [--cache-mib N]
import Database from 'better-sqlite3';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { sqliteAgentStores as current } from '../collector/src/storage/sqlite/agents.ts';
import type { UsageUnit } from '../collector/src/storage/types.ts';
import { BENCH_DIR, seedCollectorDb } from './lib.ts';

const args = process.argv.slice(2);
const cacheArg = args.indexOf('--cache-mib');
const cacheMiB = cacheArg >= 0 ? Number(args.splice(cacheArg, 2)[1]) : null;
const devices = Number(args[0] ?? 10_000);
const rounds = Number(args[1] ?? 6);
const RECORDS = 8;
const firstDay = Math.floor(Date.now() / 86_400_000) - 40;

interface Round { wallMs: number; cpuMs: number }

const unitsFor = (devs: { id: string; company_id: string }[], round: number): UsageUnit[] => devs.map((d, i) => ({
  deviceId: d.id, companyId: d.company_id, floors: [{ stream: `s${i}`, oldestUnackedSeq: round * RECORDS + 1 }],
  records: Array.from({ length: RECORDS }, (_, k) => ({
    stream: `s${i}`, seq: round * RECORDS + k + 1, utcDay: firstDay + ((i + k + round * RECORDS) % 28), awakeSeconds: 30, bootId: 'b',
  })),
}));

function timed(fn: () => unknown): Round {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  fn();
  const wallMs = performance.now() - t0;
  const c = process.cpuUsage(c0);
  return { wallMs, cpuMs: (c.user + c.system) / 1000 };
}

function open(path: string): Database.Database {
  for (const f of [path, `${path}-wal`, `${path}-shm`]) rmSync(f, { force: true });
  return new Database(path);
}

function pragmas(db: Database.Database): void {
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  if (cacheMiB !== null) db.pragma(`cache_size = -${cacheMiB * 1024}`);
}

async function collector(): Promise<Round[]> {
  const path = join(BENCH_DIR, 'ingest-store.db');
  open(path).close();
  await seedCollectorDb(path, devices);
  const db = new Database(path);
  pragmas(db);
  const devs = db.prepare('SELECT id, company_id FROM devices').all() as { id: string; company_id: string }[];
  // TALLY_BENCH_STORE=path: another agents.ts (e.g. an older version) to compare.
  const sqliteAgentStores = process.env.TALLY_BENCH_STORE ? (await import(process.env.TALLY_BENCH_STORE)).sqliteAgentStores as typeof current : current;
  const { ingest } = sqliteAgentStores(db);
  const out: Round[] = [];
  for (let round = 0; round < rounds; round++) {
    const units = unitsFor(devs, round);
    const nowMs = Date.now();
    let p: Promise<unknown> = Promise.resolve();
    out.push(timed(() => { p = ingest.ingestUsageBatch(units, nowMs, { adjustableFromDay: 0 }); }));
    await p;
  }
  const sum = db.prepare('SELECT SUM(awake_seconds) AS s FROM device_days').get() as { s: number };
  if (sum.s !== devices * RECORDS * rounds * 30) throw new Error(`stored ${sum.s} s, expected ${devices * RECORDS * rounds * 30}`);
  db.close();
  return out;
}

function baseline(): Round[] {
  const db = open(join(BENCH_DIR, 'ingest-store-baseline.db'));
  pragmas(db);
  db.exec(`CREATE TABLE device_days (device_id INTEGER NOT NULL, utc_day INTEGER NOT NULL, awake_seconds INTEGER NOT NULL, PRIMARY KEY (device_id, utc_day)) WITHOUT ROWID;
    CREATE TABLE receipts (device_id INTEGER NOT NULL, stream TEXT NOT NULL, seq INTEGER NOT NULL, PRIMARY KEY (device_id, stream, seq)) WITHOUT ROWID;`);
  const receipt = db.prepare('INSERT OR IGNORE INTO receipts (device_id, stream, seq) VALUES (?, ?, ?)');
  const upsert = db.prepare(`INSERT INTO device_days (device_id, utc_day, awake_seconds) VALUES (?, ?, ?)
    ON CONFLICT (device_id, utc_day) DO UPDATE SET awake_seconds = MIN(86400, awake_seconds + excluded.awake_seconds)`);
  const flush = db.transaction((units: UsageUnit[]) => {
    units.forEach((u, device) => {
      for (const r of u.records) if (receipt.run(device, r.stream, r.seq).changes) upsert.run(device, r.utcDay, r.awakeSeconds);
    });
  });
  const devs = Array.from({ length: devices }, (_, i) => ({ id: String(i), company_id: 'c' }));
  const out: Round[] = [];
  for (let round = 0; round < rounds; round++) {
    const units = unitsFor(devs, round);
    out.push(timed(() => flush(units)));
  }
  db.close();
  return out;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const show = (name: string, r: Round[]) => {
  const records = devices * RECORDS;
  console.log(`${name.padEnd(10)} per batch of ${records} records: wall ms ${r.map((x) => Math.round(x.wallMs)).join(' ')} | cpu ms ${r.map((x) => Math.round(x.cpuMs)).join(' ')}`);
  console.log(`${''.padEnd(10)} median: wall ${Math.round(median(r.map((x) => x.wallMs)))} ms, cpu ${Math.round(median(r.map((x) => x.cpuMs)))} ms, ${Math.round(records / (median(r.map((x) => x.wallMs)) / 1000))} records/s`);
};

console.log(`${devices} devices, ${rounds} rounds, page cache ${cacheMiB === null ? "SQLite's default (2 MB)" : `${cacheMiB} MiB`}`);
const c = await collector();
const b = baseline();
show('collector', c);
show('baseline', b);
const ratio = (f: (x: Round) => number) => (median(b.map(f)) / median(c.map(f))).toFixed(2);
console.log(`collector vs baseline (baseline time / collector time, medians): wall ${ratio((x) => x.wallMs)}x, cpu ${ratio((x) => x.cpuMs)}x`);
