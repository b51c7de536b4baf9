// Diagnostic, not part of `npm run bench`: the PostgreSQL ingest store alone
// (no sockets, no collector process), in a throwaway database. N devices,
// group-commit batches of one 8-record frame per device (the frames of the
// ingest benchmark: 8 different days, a fresh (stream, seq) each, the stream
// floor), `rounds` batches in a row.
// Prints wall time, the CPU of every postgres process and of this process per
// batch (less sensitive to a loaded machine than wall time), and HOT counts.
//   npx tsx bench/ingest-store-pg.ts [postgres-url] [devices] [rounds]
// Experiments on the throwaway database only, not in the schema:
//   FILLFACTOR=70   devices and device_days with room for HOT updates
//   NOFK=1          device_days without its foreign keys (what the FK checks cost)
import pg from 'pg';
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { openPostgresStorage } from '../collector/src/storage/postgres/index.ts';
import { withThrowawayPgDatabase } from './lib.ts';
import { seedCustomer } from '../test/helpers/seed.ts';

const serverUrl = process.argv[2] ?? process.env.TALLY_BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const devices = Number(process.argv[3] ?? 1_000);
const rounds = Number(process.argv[4] ?? 8);

/** CPU seconds used so far by every postgres process (the server's share of the work, less sensitive to a loaded machine than wall time). */
function postgresCpuMs(): number {
  let ticks = 0;
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      if (!stat.slice(stat.indexOf('(') + 1, close).startsWith('postgres')) continue;
      const f = stat.slice(close + 2).split(' ');
      ticks += Number(f[11]) + Number(f[12]);
    } catch { /* gone */ }
  }
  return ticks * 10;
}

await withThrowawayPgDatabase(serverUrl, async (dbUrl) => {
  const storage = await openPostgresStorage({ url: dbUrl, nowMs: Date.now() });
  const company = await seedCustomer(storage, 'Bench Co', Date.now());
  const ids = Array.from({ length: devices }, () => randomUUID());
  const c = new pg.Client({ connectionString: dbUrl });
  await c.connect();
  if (process.env.FILLFACTOR) await c.query(`ALTER TABLE device_days SET (fillfactor = ${process.env.FILLFACTOR}); ALTER TABLE devices SET (fillfactor = ${process.env.FILLFACTOR})`);
  if (process.env.NOFK) await c.query('ALTER TABLE device_days DROP CONSTRAINT device_days_device_id_fkey, DROP CONSTRAINT device_days_company_id_fkey');
  await c.query(`INSERT INTO devices (id, company_id, key_hash, instance_id, hostname, agent_version, enrolled_at)
    SELECT id, $2, id, id, id, 'bench', 0 FROM unnest($1::text[]) AS t(id)`, [ids, company.id]);
  await c.end();
  const firstDay = Math.floor(Date.now() / 86_400_000) - 40;
  const perSecond: number[] = [];
  const ms: number[] = [];
  const pgCpu: number[] = [];
  const nodeCpu: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const units = ids.map((id, i) => ({
      deviceId: id, companyId: company.id, floors: [{ stream: 'usage', oldestUnackedSeq: round * 8 + 1 }],
      records: Array.from({ length: 8 }, (_, k) => ({ stream: 'usage', seq: round * 8 + k + 1, utcDay: firstDay + ((i + k + round * 8) % 28), awakeSeconds: 30, bootId: 'b' })),
    }));
    const t0 = performance.now();
    const c0 = postgresCpuMs();
    const n0 = process.cpuUsage();
    await storage.ingest.ingestUsageBatch(units, Date.now(), { adjustableFromDay: 0 });
    const t = performance.now() - t0;
    const n1 = process.cpuUsage(n0);
    nodeCpu.push((n1.user + n1.system) / 1000);
    pgCpu.push(postgresCpuMs() - c0);
    ms.push(t);
    perSecond.push((devices * 8) / (t / 1000));
  }
  await storage.close();
  const st = new pg.Client({ connectionString: dbUrl });
  await st.connect();
  const stats = (await st.query(`SELECT relname, n_tup_ins, n_tup_upd, n_tup_hot_upd, n_tup_del FROM pg_stat_user_tables
    WHERE relname IN ('devices', 'device_days', 'receipts') ORDER BY relname`)).rows;
  await st.end();
  console.log(stats.map((r) => `${r.relname}: ins ${r.n_tup_ins} upd ${r.n_tup_upd} (HOT ${r.n_tup_hot_upd}) del ${r.n_tup_del}`).join('; '));
  console.log(`${devices} frames of 8 records per batch: ms per batch ${ms.map((x) => Math.round(x)).join(' ')}`);
  console.log(`postgres CPU ms per batch ${pgCpu.join(' ')}; node CPU ms per batch ${nodeCpu.map((x) => Math.round(x)).join(' ')}`);
  console.log(`records/s per round ${perSecond.map((x) => Math.round(x)).join(' ')}`);
});
