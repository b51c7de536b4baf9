// The report model: which companies of the billing engine's month report a
// request shows, in which order, and what the caller must supply beside the
// billing report (registration dates, external ids, endpoint facts, daily
// add-on counts). Pure; formats are rendered from it by csv.ts, xlsx.ts,
// pdf.ts and psa.ts.
import { linesOfReport, type CompanyUserUsage, type UserUsageReport, type CompanyUsageRow, type EndpointLineSource, type MonthlyUsageReport } from '../billing/index.ts';
import { DAY_MS } from '../billing/index.ts';
import type { DailyAddOnUsage } from './daily.ts';
import type { PdfMonthState } from './pdf.ts';
import type { EndpointDirectory } from './endpoints.ts';
import { ReportError, parseUtcDate, type ReportOptions } from './options.ts';

/** What the report needs to know about a company that the billing rows do not carry. */
export interface CompanyDirectoryEntry {
  readonly id: string;
  readonly registeredAtMs: number;
  /** The id the MSP's PSA knows the company by, if set. */
  readonly externalId?: string | null;
}

/** Everything a report is rendered from. */
export interface ReportInput {
  /** The billing engine's report for options.month and options.productType (MonthReader.endpointReport or monthlyReport). */
  readonly report: MonthlyUsageReport;
  /**
   * Where the endpoint lines come from. Absent: the report's rows hold them
   * (`devices`). A report in the summary form (rows without lines) must
   * come with its source.
   */
  readonly lines?: EndpointLineSource;
  /** True when the figures come from the month's finalized snapshot. */
  readonly finalized: boolean;
  /** User-based usage (counts; MonthReader.userUsageSummary): the PSA export's user lines (endpoint security only). Absent: none. */
  readonly userUsage?: UserUsageReport | null;
  /** Registration dates and external ids of (at least) the companies of the report. */
  readonly companies: readonly CompanyDirectoryEntry[];
  /** Hostname, OS, hardware id and IP of endpoints, which the billing lines do not carry. */
  readonly endpoints: EndpointDirectory;
  /** Daily add-on counts for the PDF chart (see daily.ts); required for the pdf format only. */
  readonly dailyAddOnUsage?: DailyAddOnUsage | null;
  /** Shown in the PDF header. */
  readonly generatedAtMs: number;
  /** The month's state and, once finalized, its hash: the PDF's summary page says them (absent: open, or finalized, from `finalized`). */
  readonly monthState?: PdfMonthState | null;
}

export interface ReportCompany {
  readonly row: CompanyUsageRow;
  /** Path from the root, names joined by ' / ' (storage paths hold ids; they are shown as names). */
  readonly pathText: string;
  /** 0 for the target company. */
  readonly depth: number;
  readonly externalId: string | null;
  /** The company's user-based usage, when the input has it (PSA export). */
  readonly users?: CompanyUserUsage | null;
}

export interface ReportModel {
  readonly options: ReportOptions;
  readonly month: string;
  readonly finalized: boolean;
  readonly target: CompanyUsageRow;
  /** The companies shown, target first, then depth-first with siblings by name. */
  readonly companies: readonly ReportCompany[];
  /** Companies whose devices make up the shown totals: the subtrees of the shown companies (for the chart). */
  readonly coveredCompanyIds: ReadonlySet<string>;
  /** Rows of the endpoint details section. */
  readonly endpointCount: number;
  /** The endpoint lines of the shown companies. */
  readonly lines: EndpointLineSource;
}

/**
 * Selects and orders the companies of a request.
 *
 * - Subtree: the target and everything below it, nothing else.
 * - Only direct companies: the target and its children (seed: "only child
 *   companies at the first level under the target company"). Each child's
 *   figures are still its whole subtree's totals: they are what it is billed.
 * - Only new customer companies: companies registered from the start date
 *   00:00 UTC through the end date 23:59:59.999 UTC (both dates included).
 *   The filter applies to every row, the target too (seed: "the report only
 *   includes companies created between two specific dates"). Figures stay the
 *   billed totals; the filter chooses rows, it does not recompute.
 */
export function buildReportModel(input: Pick<ReportInput, 'report' | 'finalized' | 'companies' | 'lines' | 'userUsage'>, options: ReportOptions): ReportModel {
  const { report } = input;
  if (report.month !== options.month || report.productType !== options.productType) {
    throw new ReportError('report_mismatch', `the billing report is for ${report.month} ${report.productType}, the request for ${options.month} ${options.productType}`);
  }
  const byId = new Map(report.rows.map((row) => [row.companyId, row]));
  const target = byId.get(options.companyId);
  if (!target) throw new ReportError('unknown_company', `no company ${JSON.stringify(options.companyId)} in the ${report.month} report`);

  const children = new Map<string, CompanyUsageRow[]>();
  for (const row of report.rows) {
    if (row.parentId === null) continue;
    let list = children.get(row.parentId);
    if (!list) children.set(row.parentId, (list = []));
    list.push(row);
  }
  for (const list of children.values()) list.sort((a, b) => a.name.localeCompare(b.name) || (a.companyId < b.companyId ? -1 : a.companyId > b.companyId ? 1 : 0));

  const directory = new Map(input.companies.map((c) => [c.id, c]));
  const window = options.registeredBetween
    ? { fromMs: parseUtcDate(options.registeredBetween.from)! * DAY_MS, toMs: (parseUtcDate(options.registeredBetween.to)! + 1) * DAY_MS }
    : null;
  const registeredInWindow = (row: CompanyUsageRow): boolean => {
    if (!window) return true;
    const entry = directory.get(row.companyId);
    // A company whose registration date is unknown cannot be shown to be new.
    return entry !== undefined && entry.registeredAtMs >= window.fromMs && entry.registeredAtMs < window.toMs;
  };
  const userUsage = input.userUsage ? new Map(input.userUsage.companies.map((c) => [c.companyId, c])) : null;
  const pathText = (row: CompanyUsageRow) => row.path.map((p) => byId.get(p)?.name ?? p).join(' / ');

  const shown: ReportCompany[] = [];
  const visit = (row: CompanyUsageRow, depth: number, seen: Set<string>) => {
    if (seen.has(row.companyId)) return; // the billing core refuses cycles; stay safe anyway
    seen.add(row.companyId);
    if (registeredInWindow(row)) shown.push({ row, pathText: pathText(row), depth, externalId: directory.get(row.companyId)?.externalId ?? null, users: userUsage?.get(row.companyId) ?? null });
    if (options.onlyDirectCompanies && depth >= 1) return;
    for (const child of children.get(row.companyId) ?? []) visit(child, depth + 1, seen);
  };
  visit(target, 0, new Set());

  const covered = new Set<string>();
  const cover = (id: string) => {
    if (covered.has(id)) return;
    covered.add(id);
    for (const child of children.get(id) ?? []) cover(child.companyId);
  };
  for (const c of shown) cover(c.row.companyId);

  let endpointCount = 0;
  for (const c of shown) if (listsEndpoints(c.row)) endpointCount += c.row.deviceCount;
  const lines = input.lines ?? linesOfReport(report);
  return { options, month: report.month, finalized: input.finalized, target, companies: shown, coveredCompanyIds: covered, endpointCount, lines };
}

/**
 * Whether a company's endpoints are in this report's details: when the
 * company is in this report's product type. A company of the other product
 * type is billed in the other report, and its endpoints are listed there
 * (seed, EDR example: the EDR report lists Customer D's endpoints). A
 * company with no subscription in force this month belongs to no report: its
 * endpoints are listed in every report, so its unlicensed activity is never
 * invisible.
 */
export function listsEndpoints(row: CompanyUsageRow): boolean {
  return row.inReport || row.productType === null;
}
