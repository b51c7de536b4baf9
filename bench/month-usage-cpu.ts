// Monthly usage of an open month from the summaries (MonthReader.monthlyReport, summary form), repeated in one
// process: CPU time of each run once modules are loaded and the page cache is warm (diagnostic for issue 22).
//   npx tsx bench/month-usage-cpu.ts DB|postgres://... MONTH [RUNS] [usage|users]
import { openPostgresStorage } from '../collector/src/storage/postgres/index.ts';
import { openSqliteStorage } from '../collector/src/storage/sqlite/index.ts';
import { MonthReader } from '../collector/src/usage/index.ts';

const [db, month, runs = '3', what = 'usage'] = process.argv.slice(2);
const storage = db.startsWith('postgres://') ? await openPostgresStorage({ url: db, nowMs: Date.now() }) : openSqliteStorage({ path: db, nowMs: Date.now() });
const reader = new MonthReader({ billing: storage.billing, now: Date.now, graceHours: 744 });
for (let i = 0; i < Number(runs); i++) {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const total = what === 'users'
    ? (await reader.userUsageSummary(month)).report.companies.reduce((s, c) => s + c.billableUnits, 0)
    : (await reader.monthlyReport(month, 'endpoint_security', { devices: false })).report.rows.reduce((s, r) => s + r.own.endpointUsage, 0);
  const c = process.cpuUsage(c0);
  process.stdout.write(`${what} run ${i + 1}: ${(performance.now() - t0).toFixed(0)} ms wall, ${((c.user + c.system) / 1000).toFixed(0)} ms CPU, total ${total}\n`);
}
await storage.close();
