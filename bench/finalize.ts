// Finalize: finalizing a month of N endpoints (MonthCloser.closeMonth: every
// line written as rows, read back and hashed, published), against a raw scan
// of the month's device-day rows measured in the same run, on SQLite and
// PostgreSQL; and the peak RSS of finalization from the smallest size to the
// largest. Each measurement runs in its own child (bench/finalize-child.ts).
//
// The month is bench/month.ts's generated month (cached SQLite file). SQLite
// finalizes a throwaway copy of it; PostgreSQL gets the same companies,
// subscriptions, devices and rows copied into a cached database of its own
// (tally_bench_month_<N>, prefix TALLY_BENCH_PG_PREFIX), with the summaries
// built from its rows, whose month run tables are emptied after each run.
import Database from 'better-sqlite3';
import { copyFileSync, rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { openPostgresStorage } from '../collector/src/storage/postgres/index.ts';
import { rebuildAllStatements } from '../collector/src/storage/sql/summaries.ts';
import { measureChild, type ChildResult, type Figure } from './lib.ts';
import { benchMonth, generateMonthDb } from './month.ts';

/** One measurement of bench/finalize-child.ts in its own process. */
const measure = (backend: 'sqlite' | 'postgres', where: string, month: string, what: 'scan' | 'finalize', timeoutMs: number): Promise<ChildResult> =>
  measureChild('bench/finalize-child.ts', [backend, where, month, what], timeoutMs);

/** The generated month copied into PostgreSQL (cached by database name): companies and subscriptions through the storage, devices and rows in bulk. */
export async function postgresMonthDb(serverUrl: string, sqlitePath: string, endpoints: number, month: string): Promise<string> {
  // TALLY_BENCH_PG_PREFIX: a session's own cached databases (a branch whose schema differs keeps off the shared ones).
  const name = `${process.env.TALLY_BENCH_PG_PREFIX ?? 'tally_bench_month'}_${month.replace('-', '_')}_${endpoints}`;
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    const exists = (await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount === 1;
    if (exists) {
      const c = new pg.Client({ connectionString: url.toString() });
      await c.connect();
      const ready = await c.query("SELECT 1 FROM information_schema.tables WHERE table_name = 'bench_ready'").then((r) => r.rowCount === 1, () => false);
      // Copies made before the summaries were built here have none: build them (finalization reads them).
      if (ready && (await c.query('SELECT 1 FROM device_month_summaries LIMIT 1')).rowCount === 0) await rebuildSummaries(c);
      await c.end();
      if (ready) return url.toString();
      await admin.query(`DROP DATABASE ${name} WITH (FORCE)`);
    }
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const storage = await openPostgresStorage({ url: url.toString(), nowMs: Date.now() });
  await storage.close();
  const src = new Database(sqlitePath, { readonly: true });
  const dst = new pg.Client({ connectionString: url.toString() });
  await dst.connect();
  try {
    await dst.query('BEGIN');
    for (const c of src.prepare('SELECT * FROM companies ORDER BY path').all() as Record<string, unknown>[]) {
      const cols = Object.keys(c);
      await dst.query(`INSERT INTO companies (${cols.join(', ')}) VALUES (${cols.map((_, i) => `$${i + 1}`).join(', ')})`, cols.map((k) => c[k]));
    }
    for (const s of src.prepare('SELECT * FROM subscription_versions').all() as Record<string, unknown>[]) {
      const cols = Object.keys(s);
      const flags = new Set(['auto_renewal', 'attach_customer']);
      await dst.query(`INSERT INTO subscription_versions (${cols.join(', ')}) VALUES (${cols.map((_, i) => `$${i + 1}`).join(', ')})`,
        cols.map((k) => (flags.has(k) && typeof s[k] === 'number' ? s[k] === 1 : s[k])));
    }
    await dst.query('COMMIT');
    const devices = src.prepare('SELECT id, company_id, key_hash, instance_id, hostname, agent_version, facts_json, enrolled_at, last_seen_at, virtual, role, platform, modules FROM devices ORDER BY id').raw();
    let batch: unknown[][] = [];
    const flushDevices = async () => {
      if (!batch.length) return;
      const col = (i: number) => batch.map((r) => r[i]);
      await dst.query(`INSERT INTO devices (id, company_id, key_hash, instance_id, hostname, agent_version, facts_json, enrolled_at, last_seen_at, virtual, role, platform, modules)
        SELECT id, company_id, key_hash, instance_id, hostname, agent_version, facts_json, enrolled_at, last_seen_at, virtual, role, platform, ARRAY(SELECT json_array_elements_text(modules::json))
        FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::bigint[], $9::bigint[], $10::boolean[], $11::text[], $12::text[], $13::text[])
          AS t(id, company_id, key_hash, instance_id, hostname, agent_version, facts_json, enrolled_at, last_seen_at, virtual, role, platform, modules)`,
      [col(0), col(1), col(2), col(3), col(4), col(5), col(6), col(7), col(8), col(9).map((v) => v === 1), col(10), col(11), col(12)]);
      batch = [];
    };
    for (const r of devices.iterate() as Iterable<unknown[]>) {
      batch.push(r);
      if (batch.length >= 20_000) await flushDevices();
    }
    await flushDevices();
    const days = src.prepare('SELECT device_id, utc_day, company_id, awake_seconds, first_at, last_at, virtual, role, platform, modules, ownership FROM device_days ORDER BY device_id, utc_day').raw();
    const flushDays = async () => {
      if (!batch.length) return;
      const col = (i: number) => batch.map((r) => r[i]);
      await dst.query(`INSERT INTO device_days (device_id, utc_day, company_id, awake_seconds, first_at, last_at, virtual, role, platform, modules, ownership)
        SELECT device_id, utc_day, company_id, awake_seconds, first_at, last_at, virtual, role, platform, ARRAY(SELECT json_array_elements_text(modules::json)), ownership
        FROM unnest($1::text[], $2::int[], $3::text[], $4::int[], $5::bigint[], $6::bigint[], $7::boolean[], $8::text[], $9::text[], $10::text[], $11::text[])
          AS t(device_id, utc_day, company_id, awake_seconds, first_at, last_at, virtual, role, platform, modules, ownership)`,
      [col(0), col(1), col(2), col(3), col(4), col(5), col(6).map((v) => v === 1), col(7), col(8), col(9), col(10)]);
      batch = [];
    };
    for (const r of days.iterate() as Iterable<unknown[]>) {
      batch.push(r);
      if (batch.length >= 50_000) await flushDays();
    }
    await flushDays();
    await rebuildSummaries(dst);
    await dst.query('VACUUM ANALYZE');
    await dst.query('CREATE TABLE bench_ready (at BIGINT)');
  } finally {
    src.close();
    await dst.end();
  }
  return url.toString();
}

/** The device-month summaries from the copied rows, as the migration backfills them (the rows went in around the storage). */
async function rebuildSummaries(c: pg.Client): Promise<void> {
  await c.query('BEGIN');
  for (const text of rebuildAllStatements('postgres')) await c.query(text);
  await c.query('COMMIT');
  await c.query('ANALYZE device_month_summaries');
}

/** Empties what a finalization wrote (the month run tables and the finalized month), so the cached database serves the next run. */
async function resetPostgres(url: string): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query('TRUNCATE month_runs, month_company_rows, month_endpoint_lines, month_user_lines');
    await c.query('DELETE FROM months_with_late_data');
    await c.query('DELETE FROM finalized_months');
  } finally {
    await c.end();
  }
}

export async function finalizeBench(o: { sizes: number[]; timeoutMs: number; largeTimeoutMs?: number; pgUrl?: string }): Promise<Figure[]> {
  const month = benchMonth();
  const figures: Figure[] = [];
  // TALLY_BENCH_FINALIZE_BACKENDS=postgres (or sqlite): one backend only (the 1,000,000-endpoint runs are long).
  const only = process.env.TALLY_BENCH_FINALIZE_BACKENDS?.split(',');
  const backends = (o.pgUrl ? ['sqlite', 'postgres'] as const : ['sqlite'] as const).filter((b) => !only || only.includes(b));
  const peaks: Record<string, number[]> = { sqlite: [], postgres: [] };
  for (const n of o.sizes) {
    const gen = await generateMonthDb(n, month);
    const timeout = n >= 1_000_000 ? (o.largeTimeoutMs ?? o.timeoutMs) : o.timeoutMs;
    process.stdout.write(`  [finalize] ${n.toLocaleString('en-US')} endpoints, ${gen.rows.toLocaleString('en-US')} device-day rows: ${gen.path}\n`);
    for (const backend of backends) {
      const label = `${n} endpoints on ${backend === 'sqlite' ? 'SQLite' : 'PostgreSQL'}`;
      let where = gen.path;
      let copy: string | null = null;
      if (backend === 'postgres') {
        where = await postgresMonthDb(o.pgUrl!, gen.path, n, month);
        await resetPostgres(where);
      }
      const scan = await measure(backend, where, month, 'scan', timeout);
      if (!scan.ok) {
        figures.push({ bench: 'finalize', name: `${label}: scan of the month's rows (baseline)`, value: scan.ms / 1000, unit: 's', note: `FAILED: ${scan.error}` });
        continue;
      }
      process.stdout.write(`  [finalize] ${label}: ${JSON.stringify(scan.detail)} (load ${loadavg().map((l) => l.toFixed(1)).join(' ')})\n`);
      figures.push({ bench: 'finalize', name: `${label}: scan of the month's rows (baseline)`, value: scan.ms / 1000, unit: 's', note: `peak RSS ${(scan.maxRssKB / 1024).toFixed(0)} MB, ${gen.rows} rows` });
      if (backend === 'sqlite') {
        copy = `${gen.path}.finalize-${process.pid}.db`;
        copyFileSync(gen.path, copy);
        where = copy;
      }
      try {
        const r = await measure(backend, where, month, 'finalize', timeout);
        if (!r.ok) {
          figures.push({ bench: 'finalize', name: `${label}: finalize (rows)`, value: r.ms / 1000, unit: 's', target: '<= 3x scan', met: false, note: `FAILED: ${r.error}; RSS ${(r.maxRssKB / 1024).toFixed(0)} MB` });
          continue;
        }
        process.stdout.write(`  [finalize] ${label}: ${JSON.stringify(r.detail)} (load ${loadavg().map((l) => l.toFixed(1)).join(' ')})\n`);
        peaks[backend].push(r.maxRssKB);
        const ratio = r.ms / scan.ms;
        const cpu = (d: ChildResult) => Number(d.detail?.cpuMs);
        const cpuNote = Number.isFinite(cpu(r) / cpu(scan)) ? `CPU ${(cpu(r) / 1000).toFixed(1)} s against ${(cpu(scan) / 1000).toFixed(1)} s: ${(cpu(r) / cpu(scan)).toFixed(2)}x` : undefined;
        figures.push({ bench: 'finalize', name: `${label}: finalize (rows) time`, value: r.ms / 1000, unit: 's', baseline: scan.ms / 1000, ratio, target: '<= 3x scan', met: ratio <= 3, note: cpuNote });
        figures.push({ bench: 'finalize', name: `${label}: finalize (rows) peak RSS`, value: r.maxRssKB * 1024, unit: 'bytes', baseline: scan.maxRssKB * 1024, ratio: r.maxRssKB / scan.maxRssKB });
      } finally {
        if (copy) for (const f of [copy, `${copy}-wal`, `${copy}-shm`]) rmSync(f, { force: true });
        if (backend === 'postgres') await resetPostgres(where);
      }
    }
  }
  for (const backend of backends) {
    const p = peaks[backend];
    if (p.length === o.sizes.length && p.length >= 2) {
      const growth = p[p.length - 1] / p[0];
      figures.push({ bench: 'finalize', name: `${backend}: finalize peak RSS growth ${o.sizes[0]} -> ${o.sizes.at(-1)} endpoints`, value: growth, unit: 'x', target: '< 1.5x', met: growth < 1.5 });
    }
  }
  return figures;
}
