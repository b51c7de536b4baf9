// Gathers a report's input from the collector's services: the billing
// engine's month report (from the finalized snapshot when the month is
// finalized), company registration dates and external ids, the endpoint
// directory, and for the PDF chart the month's device-day rows (read device
// by device).
import type { AdminReadStore } from '../storage/types.ts';
import type { MonthReader } from '../usage/index.ts';
import { DailyAddOnAccumulator } from './daily.ts';
import { storageEndpointDirectory } from './endpoints.ts';
import { buildReportModel, listsEndpoints, type ReportInput } from './model.ts';
import type { ReportFormat, ReportOptions } from './options.ts';

export interface ReportDeps {
  readonly adminRead: Pick<AdminReadStore, 'listCompanies' | 'deviceFacts' | 'listDevices'>;
  readonly reader: Pick<MonthReader, 'endpointReport' | 'monthDevices'> & Partial<Pick<MonthReader, 'view' | 'userUsageSummary'>>;
  readonly now: () => number;
}

/**
 * Loads everything writeReport needs. Throws ReportError('unknown_company')
 * before any output is produced when the target is not in the month's report.
 *
 * The chart (pdf only) is computed from the device-day rows as stored now,
 * also for a finalized month: late data that became an adjustment shows in
 * the chart as it does in the adjusted figures.
 */
export async function loadReportInput(deps: ReportDeps, options: ReportOptions, format: ReportFormat): Promise<ReportInput> {
  const [{ report, finalized, lines }, companies] = await Promise.all([
    deps.reader.endpointReport(options.month, options.productType),
    deps.adminRead.listCompanies(),
  ]);
  // The PSA export of endpoint security carries the user-billing units (reports/psa.ts), as the PSA sync does.
  const userUsage = format === 'psa' && options.productType === 'endpoint_security' && deps.reader.userUsageSummary
    ? (await deps.reader.userUsageSummary(options.month)).report : null;
  const base = { report, finalized, lines, companies, userUsage, endpoints: storageEndpointDirectory(deps.adminRead), generatedAtMs: deps.now() };
  // Validates the target now, so a bad request fails before a file or a response is started.
  const model = buildReportModel(base, options);
  if (format !== 'pdf') return base;
  // The chart counts what the table counts: the shown subtrees' companies whose endpoints the report lists, add-ons where enabled.
  const rows = new Map(report.rows.map((r) => [r.companyId, r]));
  const chartCompanies = new Set([...model.coveredCompanyIds].filter((id) => rows.has(id) && listsEndpoints(rows.get(id)!)));
  // Device by device: the month's rows are never all in memory.
  const chart = new DailyAddOnAccumulator(options.month, chartCompanies, (feature, companyId) => rows.get(companyId)?.enabled[feature] === true);
  for await (const page of deps.reader.monthDevices(options.month)) for (const d of page) chart.add(d.deviceId, d.days);
  const view = deps.reader.view ? await deps.reader.view(options.month) : null;
  return {
    ...base, dailyAddOnUsage: chart.result(),
    monthState: view ? { status: view.status, finalizedHash: view.finalizedHash, finalizedAtMs: view.finalizedAtMs } : null,
  };
}
