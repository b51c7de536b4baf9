// Diagnostic, not part of `npm run bench`: the SQLite ingest store alone (no
// sockets), 10,000 devices, group-commit batches of one 8-record frame per
// device (the ingest benchmark's frames: 8 days, 30 s each, with the stream
// floor), next to the baseline server's store (receipt INSERT OR IGNORE +
// clamped device-day upsert per record, integer ids, one transaction) fed the
// same records in the same process. Prints wall time and this process's CPU
// time (user + system) per batch: on a shared machine the CPU time and the
// ratio to the baseline are the figures to compare, not records/s.
// --today: the common case instead, every record of a frame on today (one
// device-day per device, already active from the second batch on); without
// it the worst case, every record on another day (8 device-days per device,
// in two months for some).
//   npx tsx bench/ingest-store.ts [devices] [rounds] [--today] [--gap-ms N] [--no-checkpoint-worker]
import Database from 'better-sqlite3';
import { rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { sqliteAgentStores } from '../collector/src/storage/sqlite/agents.ts';
import { Gate } from '../collector/src/storage/sqlite/gate.ts';
import { gatedGuard } from '../collector/src/storage/sqlite/guard.ts';
import { openSqliteStorage } from '../collector/src/storage/sqlite/index.ts';
import type { IngestStore, UsageUnit } from '../collector/src/storage/types.ts';
import { BENCH_DIR, seedCollectorDb } from './lib.ts';

const args = process.argv.slice(2);
const flag = (name: string) => (args.includes(name) ? (args.splice(args.indexOf(name), 1), true) : false);
const noWorker = flag('--no-checkpoint-worker');
const today = flag('--today');
const gapArg = args.indexOf('--gap-ms');
const gapMs = gapArg >= 0 ? Number(args.splice(gapArg, 2)[1]) : 500;
const devices = Number(args[0] ?? 10_000);
const rounds = Number(args[1] ?? 6);
const RECORDS = 8;
const firstDay = Math.floor(Date.now() / 86_400_000) - 40;
const dayOf = (i: number, k: number, round: number) => (today ? firstDay + 40 : firstDay + ((i + k + round * RECORDS) % 28));

interface Round { wallMs: number; cpuMs: number; walMB?: number }

const unitsFor = (devs: { id: string; company_id: string }[], round: number): UsageUnit[] => devs.map((d, i) => ({
  deviceId: d.id, companyId: d.company_id, floors: [{ stream: `s${i}`, oldestUnackedSeq: round * RECORDS + 1 }],
  records: Array.from({ length: RECORDS }, (_, k) => ({
    stream: `s${i}`, seq: round * RECORDS + k + 1, utcDay: dayOf(i, k, round), awakeSeconds: 30, bootId: 'b',
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
}

async function collector(): Promise<Round[]> {
  const path = join(BENCH_DIR, 'ingest-store.db');
  open(path).close();
  await seedCollectorDb(path, devices);
  const read = new Database(path, { readonly: true });
  const devs = read.prepare('SELECT id, company_id FROM devices').all() as { id: string; company_id: string }[];
  // The collector's own storage (its pragmas and WAL checkpointing); TALLY_BENCH_STORE=path
  // runs another agents.ts (e.g. an older version) on a connection set up like the collector's.
  let ingest: IngestStore;
  let close: () => Promise<void>;
  if (process.env.TALLY_BENCH_STORE) {
    const db = new Database(path);
    pragmas(db);
    db.pragma('busy_timeout = 250');
    ingest = ((await import(process.env.TALLY_BENCH_STORE)).sqliteAgentStores as typeof sqliteAgentStores)(db, gatedGuard(new Gate())).ingest;
    close = async () => {
      db.close();
    };
  } else {
    const storage = openSqliteStorage({ path, nowMs: Date.now(), checkpointWorker: !noWorker });
    ingest = storage.ingest;
    close = () => storage.close();
  }
  const out: Round[] = [];
  for (let round = 0; round < rounds; round++) {
    const units = unitsFor(devs, round);
    const nowMs = Date.now();
    let p: Promise<unknown> = Promise.resolve();
    out.push(timed(() => { p = ingest.ingestUsageBatch(units, nowMs, { adjustableFromDay: 0 }); }));
    await p;
    // The gap between two group commits while the collector serves its sockets.
    await new Promise((r) => setTimeout(r, gapMs));
    out[round].walMB = statSync(`${path}-wal`).size / 2 ** 20;
  }
  const sum = read.prepare('SELECT SUM(awake_seconds) AS s FROM device_days').get() as { s: number };
  if (sum.s !== devices * RECORDS * rounds * 30) throw new Error(`stored ${sum.s} s, expected ${devices * RECORDS * rounds * 30}`);
  read.close();
  await close();
  return out;
}

async function baseline(): Promise<Round[]> {
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
    await new Promise((r) => setTimeout(r, gapMs));
  }
  db.close();
  return out;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const show = (name: string, r: Round[]) => {
  const records = devices * RECORDS;
  console.log(`${name.padEnd(10)} per batch of ${records} records: wall ms ${r.map((x) => Math.round(x.wallMs)).join(' ')} | cpu ms ${r.map((x) => Math.round(x.cpuMs)).join(' ')}`);
  if (r[0].walMB !== undefined) console.log(`${''.padEnd(10)} WAL file after each batch + gap: ${r.map((x) => `${x.walMB!.toFixed(0)} MiB`).join(' ')}`);
  console.log(`${''.padEnd(10)} median: wall ${Math.round(median(r.map((x) => x.wallMs)))} ms, cpu ${Math.round(median(r.map((x) => x.cpuMs)))} ms, ${Math.round(records / (median(r.map((x) => x.wallMs)) / 1000))} records/s`);
};

console.log(`${devices} devices, ${rounds} rounds, ${today ? 'every record on today' : 'every record on another day'}, ${gapMs} ms between batches, WAL checkpoints ${noWorker || process.env.TALLY_BENCH_STORE ? 'in the commit (SQLite default)' : 'in a worker thread'}`);
const c = await collector();
const b = await baseline();
show('collector', c);
show('baseline', b);
const ratio = (f: (x: Round) => number) => (median(b.map(f)) / median(c.map(f))).toFixed(2);
console.log(`collector vs baseline (baseline time / collector time, medians): wall ${ratio((x) => x.wallMs)}x, cpu ${ratio((x) => x.cpuMs)}x`);
