// Public API of the report exports (issue 6). The CLI and the HTTP routes
// import from here only.
//
//   const checked = validateReportOptions(raw);            // { ok, value } | { ok: false, error: { code, field, message } }
//   const input = await loadReportInput({ adminRead, reader, now }, checked.value, format);
//   await writeReport(format, input, checked.value, writable, onProgress);
export {
  REPORT_FORMATS, REPORT_PRODUCT_TYPES, ReportError, isReportFormat, parseUtcDate, validateReportFormat, validateReportOptions,
  type RawReportOptions, type RegistrationWindow, type ReportFormat, type ReportOptionError, type ReportOptionErrorCode, type ReportOptions, type Result,
} from './options.ts';
export {
  buildReportModel, listsEndpoints, type CompanyDirectoryEntry, type ReportCompany, type ReportInput, type ReportModel,
} from './model.ts';
export {
  EMPTY_ENDPOINT_DIRECTORY, ENDPOINT_LOOKUP_BATCH, endpointInfoFromFacts, endpointRows, storageEndpointDirectory,
  type EndpointDirectory, type EndpointInfo, type EndpointRow,
} from './endpoints.ts';
export {
  ENDPOINT_SECTION_HEADERS, LICENSE_TYPE_LABELS, MODULE_COLUMN_SPECS, NOT_APPLICABLE, NOT_ENABLED, PRODUCT_TYPE_LABELS, RESERVED_SEATS_NOT_ENABLED,
  UNLICENSED_SECTION_HEADERS, USAGE_COLUMN_SPECS, USAGE_SECTION_HEADERS, endpointSectionCells, hasUnlicensedActivity, licenceText, unlicensedSectionCells,
  unlicensedText, usageCell, usageSectionCells, type Cell,
} from './columns.ts';
export { CHART_ADD_ONS, CHART_ADD_ON_LABELS, dailyAddOnUsage, type ChartAddOn, type DailyAddOnUsage } from './daily.ts';
export { CSV_BOM, CSV_ENDPOINT_SECTION_TITLE, CSV_UNLICENSED_SECTION_TITLE, CSV_USAGE_SECTION_TITLE, csvField, csvLine, guardFormula } from './csv.ts';
export { XLSX_ENDPOINT_SHEET, XLSX_NOT_ENABLED_HEADER, XLSX_UNLICENSED_SHEET, XLSX_UPTIME_HEADER, XLSX_USAGE_SHEET, xlsxUsageCells } from './xlsx.ts';
export { CSV_LEGEND, CSV_LEGEND_TITLE } from './csv.ts';
export { ADD_ON_SKUS, EDR_ENDPOINT_SKU, ENDPOINT_SKUS, PSA_HEADERS, UNLICENSED_SKU, USER_SKUS, psaLines, type PsaLine } from './psa.ts';
export { PROGRESS_EVERY, type ProgressListener, type ReportProgress, type ReportSection } from './progress.ts';
export { REPORT_CONTENT_TYPES, REPORT_FILE_EXTENSIONS, writeReport, writeReportModel, type ReportSummary } from './write.ts';
export { loadReportInput, type ReportDeps } from './load.ts';
export { writeFileAtomically } from './file.ts';
