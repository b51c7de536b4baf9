// One measurement of the finalize benchmark, in its own process so its peak
// memory (process.resourceUsage().maxRSS) is its own:
//   tsx bench/finalize-child.ts sqlite DB_PATH MONTH scan|finalize
//   tsx bench/finalize-child.ts postgres URL MONTH scan|finalize
// scan: the month's device-day rows (the billing input query) read once, the
// baseline; finalize: MonthCloser.closeMonth (every line written as rows,
// read back and hashed, published). The parent gives finalize a throwaway
// copy (SQLite) or empties the run tables afterwards (PostgreSQL).
import Database from 'better-sqlite3';
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { silentLogger } from '../common/log.ts';
import { openPostgresStorage } from '../collector/src/storage/postgres/index.ts';
import { openSqliteStorage } from '../collector/src/storage/sqlite/index.ts';
import { monthServices } from '../collector/src/usage/index.ts';
import { MonthCloser } from '../collector/src/usage/month-closer.ts';
import { parseMonthId } from '../sim/src/plan.ts';

const [backend, where, month, what] = process.argv.slice(2);
/** Bytes this process had the kernel write and read (Linux /proc/self/io: wchar/rchar, page cache included), in MB. */
const selfIo = (): Record<string, number> | null => {
  try {
    const io = Object.fromEntries(readFileSync('/proc/self/io', 'utf8').trim().split('\n').map((l) => l.split(': ')).map(([k, v]) => [k, Number(v)]));
    return { writtenMB: Math.round(io.wchar / 2 ** 20), readMB: Math.round(io.rchar / 2 ** 20) };
  } catch {
    return null;
  }
};
const { firstDay, endDay } = parseMonthId(month);
const SCAN_SQL = `SELECT dd.device_id, dd.company_id, dd.utc_day, dd.awake_seconds, dd.virtual, dd.role, dd.platform, dd.modules,
    dd.im_tier, dd.user_id, dd.ownership, d.uninstalled_at
  FROM device_days dd JOIN devices d ON d.id = dd.device_id WHERE dd.utc_day >= $1 AND dd.utc_day < $2`;
// Modules are loaded (and transpiled by tsx) above, before the clock starts: both measurements time work only.
const t0 = performance.now();
const cpu0 = process.cpuUsage();
let detail: Record<string, unknown> = {};

if (what === 'scan' && backend === 'sqlite') {
  const sqlite = new Database(where, { readonly: true });
  let rows = 0;
  let seconds = 0;
  for (const r of sqlite.prepare(SCAN_SQL.replace('$1', '?').replace('$2', '?')).iterate(firstDay, endDay) as Iterable<{ awake_seconds: number }>) {
    rows++;
    seconds += r.awake_seconds;
  }
  sqlite.close();
  detail = { rows, seconds };
} else if (what === 'scan' && backend === 'postgres') {
  // A server-side cursor, fetched 10,000 rows at a time as arrays: the cheapest full read from node.
  const client = new pg.Client({ connectionString: where });
  await client.connect();
  await client.query('BEGIN READ ONLY');
  await client.query({ text: `DECLARE scan NO SCROLL CURSOR FOR ${SCAN_SQL.replace('$1', String(firstDay)).replace('$2', String(endDay))}` });
  let rows = 0;
  let seconds = 0;
  for (let i = 0; i < 100_000; i++) {
    const page = await client.query({ text: 'FETCH 10000 FROM scan', rowMode: 'array' });
    for (const r of page.rows as unknown[][]) seconds += Number(r[3]);
    rows += page.rows.length;
    if (page.rows.length < 10_000) break;
  }
  await client.query('COMMIT');
  await client.end();
  detail = { rows, seconds };
} else if (what === 'finalize') {
  const storage = backend === 'sqlite' ? openSqliteStorage({ path: where, nowMs: Date.now() }) : await openPostgresStorage({ url: where, nowMs: Date.now() });
  // Where the time goes: the run's writes and its reads back, timed around the storage calls (the rest is computing the month).
  const spent: Record<string, number> = {};
  const billing = new Proxy(storage.billing, {
    get(target, prop, receiver) {
      const v = Reflect.get(target, prop, receiver);
      if (typeof v !== 'function' || !['writeMonthRunRows', 'monthRunEndpointLines', 'monthRunUserLines', 'monthRunCompanyRows', 'publishFinalizedMonth', 'markLateIfWrittenSince', 'monthSummaryPage', 'monthDevicePage', 'billingContext', 'sealMonthRun', 'startMonthRun'].includes(String(prop))) return v;
      return async (...args: unknown[]) => {
        const t = performance.now();
        try {
          return await v.apply(target, args);
        } finally {
          spent[String(prop)] = (spent[String(prop)] ?? 0) + performance.now() - t;
        }
      };
    },
  });
  const { reader } = monthServices({ billing, now: Date.now, logger: silentLogger, graceHours: 72 });
  const runWriteLines = process.env.TALLY_BENCH_RUN_WRITE_LINES ? Number(process.env.TALLY_BENCH_RUN_WRITE_LINES) : undefined;
  const closer = new MonthCloser({ reader, billing, now: Date.now, logger: silentLogger, graceHours: 72, runWriteLines });
  const closed = await closer.closeMonth(month, { early: true });
  const finalized = await storage.billing.getFinalizedMonth(month);
  await storage.close();
  detail = { hash: closed.hash.slice(0, 12), stored: finalized?.runId ? 'rows' : 'none', spentMs: Object.fromEntries(Object.entries(spent).map(([k, ms]) => [k, Math.round(ms)])),
    io: selfIo() };
} else {
  throw new Error(`unknown measurement ${backend} ${what}`);
}
// CPU time beside wall time: on a shared machine the ratio of CPU times says what the ratio of wall times would on an idle one
// (for PostgreSQL the server's share is not in it).
const cpu = process.cpuUsage(cpu0);
process.stdout.write(JSON.stringify({ what, ms: performance.now() - t0, maxRssKB: process.resourceUsage().maxRSS, cpuMs: Math.round((cpu.user + cpu.system) / 1000), ...detail }) + '\n');
