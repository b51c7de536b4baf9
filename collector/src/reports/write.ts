// The one entry point that renders a report in any format to a Writable.
import type { Writable } from 'node:stream';
import { writeCsv } from './csv.ts';
import { buildReportModel, type ReportInput, type ReportModel } from './model.ts';
import { ReportError, type ReportFormat, type ReportOptions } from './options.ts';
import { writePdf } from './pdf.ts';
import { ProgressReporter, type ProgressListener } from './progress.ts';
import { psaLines, writePsa } from './psa.ts';
import { writeXlsx } from './xlsx.ts';

export const REPORT_CONTENT_TYPES: Readonly<Record<ReportFormat, string>> = {
  csv: 'text/csv; charset=utf-8',
  psa: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pdf: 'application/pdf',
};

export const REPORT_FILE_EXTENSIONS: Readonly<Record<ReportFormat, string>> = { csv: 'csv', psa: 'csv', xlsx: 'xlsx', pdf: 'pdf' };

export interface ReportSummary {
  readonly format: ReportFormat;
  /** Companies in the usage section (0 with only endpoint details). */
  readonly companies: number;
  /** Rows of the endpoint details section (0 for psa). */
  readonly endpoints: number;
  /** Lines of the PSA export (0 for other formats). */
  readonly psaLines: number;
}

/**
 * Renders the report to `out` and ends it. Resolves once everything reached
 * `out`; rejects (without ending it cleanly) on an error, so a caller writing
 * a file discards it. Throws ReportError for a request that does not fit the
 * data (unknown_company, report_mismatch).
 *
 * The pdf format needs input.dailyAddOnUsage for its chart
 * (daily_usage_required otherwise: an all-zero chart would look like no
 * usage). loadReportInput supplies it.
 */
export async function writeReport(format: ReportFormat, input: ReportInput, options: ReportOptions, out: Writable, onProgress?: ProgressListener): Promise<ReportSummary> {
  const model = buildReportModel(input, options);
  return writeReportModel(format, model, input, out, onProgress);
}

export async function writeReportModel(format: ReportFormat, model: ReportModel, input: ReportInput, out: Writable, onProgress?: ProgressListener): Promise<ReportSummary> {
  const showsUsage = !model.options.onlyEndpointDetails;
  const psaCount = format === 'psa' ? model.companies.reduce((n, c) => n + psaLines(c, model.options.productType, c.users).length, 0) : 0;
  const progress = new ProgressReporter(
    { usage: showsUsage ? model.companies.length : 0, endpoints: model.endpointCount, psa: psaCount },
    onProgress,
  );
  switch (format) {
    case 'csv':
      await writeCsv(model, input.endpoints, out, progress);
      break;
    case 'xlsx':
      await writeXlsx(model, input.endpoints, out, progress);
      break;
    case 'pdf': {
      const daily = input.dailyAddOnUsage;
      if (!daily) throw new ReportError('daily_usage_required', 'the pdf report needs the daily add-on usage for its chart');
      if (daily.month !== model.month) throw new ReportError('report_mismatch', `the daily add-on usage is for ${daily.month}, the report for ${model.month}`);
      await writePdf(model, daily, input.endpoints, out, progress, input.generatedAtMs, input.monthState ?? null);
      break;
    }
    case 'psa':
      await writePsa(model, out, progress);
      break;
    default:
      throw new ReportError('invalid_format', `unknown report format ${JSON.stringify(format)}`);
  }
  return {
    format,
    companies: format === 'psa' || !showsUsage ? 0 : model.companies.length,
    endpoints: format === 'psa' ? 0 : model.endpointCount,
    psaLines: psaCount,
  };
}
