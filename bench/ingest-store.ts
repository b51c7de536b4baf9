// Diagnostic, not part of `npm run bench`: the SQLite ingest store alone (no
// sockets), 10,000 devices, group-commit batches of one 8-record frame per
// device, with the page cache at SQLite's default (2 MB) and at 64 MB.
//   npx tsx bench/ingest-store.ts [devices] [rounds]
import Database from 'better-sqlite3';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { sqliteAgentStores } from '../collector/src/storage/sqlite/agents.ts';
import { BENCH_DIR, seedCollectorDb } from './lib.ts';

const devices = Number(process.argv[2] ?? 10_000);
const rounds = Number(process.argv[3] ?? 6);

async function run(cacheKiB: number | null): Promise<number[]> {
  const path = join(BENCH_DIR, 'ingest-store.db');
  for (const f of [path, `${path}-wal`, `${path}-shm`]) rmSync(f, { force: true });
  await seedCollectorDb(path, devices);
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  if (cacheKiB !== null) db.pragma(`cache_size = -${cacheKiB}`);
  const devs = db.prepare('SELECT id, company_id FROM devices').all() as { id: string; company_id: string }[];
  const { ingest } = sqliteAgentStores(db);
  const firstDay = Math.floor(Date.now() / 86_400_000) - 40;
  const perSecond: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const units = devs.map((d, i) => ({
      deviceId: d.id, companyId: d.company_id, floors: [{ stream: `s${i}`, oldestUnackedSeq: round * 8 + 1 }],
      records: Array.from({ length: 8 }, (_, k) => ({ stream: `s${i}`, seq: round * 8 + k + 1, utcDay: firstDay + ((i + k + round * 8) % 28), awakeSeconds: 30, bootId: 'b' })),
    }));
    const t0 = performance.now();
    await ingest.ingestUsageBatch(units, Date.now(), { adjustableFromDay: 0 });
    perSecond.push((devices * 8) / ((performance.now() - t0) / 1000));
  }
  db.close();
  return perSecond;
}

for (const cache of [null, 65_536]) {
  const r = await run(cache);
  console.log(`cache ${cache === null ? 'default (2 MB)' : `${cache / 1024} MB`}: records/s per round ${r.map((x) => Math.round(x)).join(' ')}`);
}
