// Copies a month benchmark SQLite file's companies, subscriptions, devices and
// summaries into a PostgreSQL database (migrated first; diagnostic for issue 22):
//   npx tsx bench/month-pg-copy.ts /tmp/tally-bench/month-v3-2026-11-100000.db postgres://postgres@127.0.0.1:5432/NAME
// then monthly usage there: npx tsx bench/month-usage-cpu.ts postgres://... 2026-11 3
import Database from 'better-sqlite3';
import pg from 'pg';
import { openPostgresStorage } from '../collector/src/storage/postgres/index.ts';
const [src, url] = process.argv.slice(2);
const storage = await openPostgresStorage({ url, nowMs: Date.now() });
await storage.close();
const db = new Database(src, { readonly: true });
const client = new pg.Client({ connectionString: url });
await client.connect();
for (const table of ['companies', 'subscription_versions', 'devices', 'device_month_summaries']) {
  const types = new Map((await client.query(`SELECT column_name, data_type FROM information_schema.columns WHERE table_name = $1`, [table])).rows.map((r) => [r.column_name, r.data_type]));
  const st = db.prepare(`SELECT * FROM ${table}`);
  const cols = st.columns().map((c) => c.name).filter((c) => types.has(c));
  let batch: unknown[][] = [];
  const flush = async () => {
    if (!batch.length) return;
    const params: unknown[] = [];
    const values = batch.map((row) => `(${row.map((v) => { params.push(v); return `$${params.length}`; }).join(',')})`).join(',');
    await client.query(`INSERT INTO ${table} (${cols.join(',')}) VALUES ${values}`, params);
    batch = [];
  };
  let n = 0;
  for (const r of st.iterate() as Iterable<Record<string, unknown>>) {
    batch.push(cols.map((c) => {
      const v = r[c]; const t = types.get(c);
      if (v === null) return null;
      if (t === 'ARRAY') return JSON.parse(v as string);
      if (t === 'boolean') return v === 1;
      return v;
    }));
    n++;
    if (batch.length * cols.length > 30000) await flush();
  }
  await flush();
  console.log(table, n);
}
await client.query('VACUUM ANALYZE');
await client.end();
