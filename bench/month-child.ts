// One measurement of the month benchmark, in its own process so its peak
// memory (process.resourceUsage().maxRSS) is its own:
//   tsx bench/month-child.ts DB MONTH scan|usage|usage-rows|snapshot|csv COMPANY_ID
import Database from 'better-sqlite3';
import { createWriteStream } from 'node:fs';
import { silentLogger } from '../common/log.ts';
import { parseMonthId } from '../sim/src/plan.ts';

const [db, month, what, companyId] = process.argv.slice(2);
const { firstDay, endDay } = parseMonthId(month);
const t0 = performance.now();
let detail: Record<string, unknown> = {};

if (what === 'scan') {
  // The baseline: the same rows the billing input query reads, iterated once.
  const sqlite = new Database(db, { readonly: true });
  const stmt = sqlite.prepare(`SELECT dd.device_id, dd.company_id, dd.utc_day, dd.awake_seconds, dd.virtual, dd.role, dd.platform, dd.modules,
      dd.im_tier, dd.user_id, dd.ownership, d.uninstalled_at
    FROM device_days dd JOIN devices d ON d.id = dd.device_id WHERE dd.utc_day >= ? AND dd.utc_day < ?`);
  let rows = 0;
  let seconds = 0;
  for (const r of stmt.iterate(firstDay, endDay) as Iterable<{ awake_seconds: number }>) {
    rows++;
    seconds += r.awake_seconds;
  }
  sqlite.close();
  detail = { rows, seconds };
} else {
  const { openSqliteStorage } = await import('../collector/src/storage/sqlite/index.ts');
  const { MonthReader } = await import('../collector/src/usage/index.ts');
  const storage = openSqliteStorage({ path: db, nowMs: Date.now() });
  const usage = new MonthReader({ billing: storage.billing, now: Date.now, graceHours: 744 });
  if (what === 'usage-rows') {
    // The same monthly usage read from the device-day rows, as before the summaries (issue 22): the reader without monthSummaryPage.
    const { monthSummaryPage: _summaries, ...rowsOnly } = storage.billing;
    const { report } = await new MonthReader({ billing: rowsOnly, now: Date.now, graceHours: 744 }).monthlyReport(month, 'endpoint_security', { devices: false });
    detail = { companies: report.rows.length, endpointUsage: report.rows.find((r) => r.companyId === companyId)?.total.endpointUsage };
  } else if (what === 'usage') {
    // Monthly usage as GET /api/v1/usage/monthly computes it for an open month: the summary form, one device-month summary per device.
    const { report } = await usage.monthlyReport(month, 'endpoint_security', { devices: false });
    detail = { companies: report.rows.length, endpointUsage: report.rows.find((r) => r.companyId === companyId)?.total.endpointUsage };
  } else if (what === 'snapshot') {
    // Everything finalization stores: both product types and user usage with every endpoint and user line.
    const snap = await usage.computeSnapshot(month);
    detail = { companies: snap.reports.endpoint_security.rows.length, hash: snap.hash.slice(0, 12) };
  } else if (what === 'csv') {
    const reports = await import('../collector/src/reports/index.ts');
    const checked = reports.validateReportOptions({ companyId, month, productType: 'endpoint_security' });
    if (!checked.ok) throw new Error(JSON.stringify(checked.error));
    const input = await reports.loadReportInput({ adminRead: storage.adminRead, reader: usage, now: Date.now }, checked.value, 'csv');
    const out = createWriteStream('/dev/null');
    const summary = await reports.writeReport('csv', input, checked.value, out);
    detail = { ...summary };
  } else {
    throw new Error(`unknown measurement ${what}`);
  }
  await storage.close();
}
const ms = performance.now() - t0;
process.stdout.write(JSON.stringify({ what, ms, maxRssKB: process.resourceUsage().maxRSS, ...detail }) + '\n');
