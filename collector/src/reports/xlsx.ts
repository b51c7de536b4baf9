// The XLSX version: the CSV's sections as sheets, "Usage", "Unlicensed
// activity" and "Endpoint details", same headers, same cells. Written with exceljs's
// streaming WorkbookWriter: each row is committed (serialized and handed to
// the zip) as soon as it is added, and strings are stored inline rather than
// in a shared-strings table, which would keep every distinct hostname in
// memory until the end.
//
// No formula guard here: a text cell in an XLSX file is typed as a string
// and never evaluated, so names are kept exactly as they are.
//
// For an accountant (issue 21): each sheet has its header frozen and an
// autofilter, columns sized and headers wrapped; figures are numeric cells, and
// a mark that is not a number ("Not enabled", "*") leaves its cell empty and
// is named in a last column, "Not enabled for the company"; the usage sheet
// ends with a totals row (the target's figures: its own use plus everything
// below it), the endpoint sheet with SUBTOTALs that follow the filter, and
// shows uptime in hours.
import type { Worksheet } from 'exceljs';
import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import {
  ENDPOINT_SECTION_HEADERS, NOT_ENABLED, RESERVED_SEATS_NOT_ENABLED, UNLICENSED_SECTION_HEADERS, USAGE_COLUMN_SPECS, USAGE_SECTION_HEADERS, endpointSectionCells,
  hasUnlicensedActivity, unlicensedSectionCells, uptimeHours, usageSectionCells, type Cell,
} from './columns.ts';
import { endpointRows, type EndpointDirectory } from './endpoints.ts';
import type { ReportModel } from './model.ts';
import type { ProgressReporter } from './progress.ts';
import { waitForDrain } from './sink.ts';

export const XLSX_USAGE_SHEET = 'Usage';
export const XLSX_UNLICENSED_SHEET = 'Unlicensed activity';
export const XLSX_ENDPOINT_SHEET = 'Endpoint details';

/**
 * Committing a row is synchronous, while the zip (archiver) deflates on later
 * turns of the event loop, reading each sheet from a pass-through that
 * exceljs writes into without ever waiting. Left alone, a large sheet piles
 * up there uncompressed. So every so many rows the writer waits until that
 * backlog is small and the output has drained: rows are produced at the pace
 * the output takes them.
 */
const YIELD_EVERY_ROWS = 200;
const MAX_SHEET_BACKLOG_BYTES = 1024 * 1024;

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Bytes written into the sheet's zip entry and not yet read by the zip.
 * Reads exceljs internals (WorksheetWriter._stream, a StreamBuf whose `pipes`
 * are archiver's pass-through streams); if a future exceljs changes them this
 * returns 0 and the writer falls back to yielding only.
 */
function sheetBacklog(sheet: Worksheet): number {
  const pipes = (sheet as unknown as { _stream?: { pipes?: { writableLength?: number; _writableState?: { length?: number } }[] } })._stream?.pipes ?? [];
  return pipes.reduce((n, p) => n + (p._writableState?.length ?? p.writableLength ?? 0), 0);
}

/** Columns whose cells are figures: a mark such as "Not enabled" or "*" is not a number, so the cell stays empty and the mark goes to XLSX_NOT_ENABLED_HEADER. */
const USAGE_NUMERIC_HEADERS: ReadonlySet<string> = new Set([
  ...USAGE_COLUMN_SPECS.map((c) => c.header), 'Reserved Seats', 'Minimum Usage', 'Billable Endpoint Usage', 'Unlicensed endpoints',
]);
/** One more column on the usage sheet: which of the company's figure columns are not enabled (the CSV's "Not enabled" and "*"). */
export const XLSX_NOT_ENABLED_HEADER = 'Not enabled for the company';
/** The endpoint sheet shows protected time in hours (the CSV's GravityZone column counts seconds). */
export const XLSX_UPTIME_HEADER = 'Uptime (hours)';

/** A usage row as the sheet holds it: numbers as numbers, marks moved to the last column. */
export function xlsxUsageCells(cells: readonly Cell[]): (Cell | null)[] {
  const notEnabled: string[] = [];
  const out: (Cell | null)[] = cells.map((cell, i) => {
    const header = USAGE_SECTION_HEADERS[i];
    if (!USAGE_NUMERIC_HEADERS.has(header) || typeof cell === 'number') return cell;
    if (cell === NOT_ENABLED || cell === RESERVED_SEATS_NOT_ENABLED) notEnabled.push(header);
    return null;
  });
  return [...out, notEnabled.join(', ')];
}

/** A width in characters that fits the header on two lines and the usual cell. */
function widthOf(header: string, numeric: boolean): number {
  if (numeric) return Math.max(10, Math.min(16, Math.ceil(header.length / 2) + 2));
  if (/^(Path|Company|Name|Billing note|Hardware ID|Endpoint ID|OS|IP|Licence this month|Not enabled)/.test(header)) return 28;
  return Math.max(10, Math.min(22, header.length + 2));
}

export async function writeXlsx(model: ReportModel, endpoints: EndpointDirectory, out: Writable, progress: ProgressReporter): Promise<void> {
  // Loaded when a workbook is written: exceljs takes long to load, and most collector starts never write one.
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  workbook.creator = 'Tally';
  let sinceYield = 0;
  const addRow = async (sheet: Worksheet, cells: readonly (Cell | null)[], style?: (row: ReturnType<Worksheet['addRow']>) => void) => {
    const row = sheet.addRow(cells as Cell[]);
    style?.(row);
    row.commit();
    if (++sinceYield >= YIELD_EVERY_ROWS) {
      sinceYield = 0;
      do {
        await yieldToEventLoop();
        await waitForDrain(out);
      } while (sheetBacklog(sheet) > MAX_SHEET_BACKLOG_BYTES);
    }
  };
  /** A sheet with its header frozen, filterable, wrapped, and columns sized. */
  const sheetOf = (name: string, headers: readonly string[], numeric: (header: string) => boolean) => {
    const sheet = workbook.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
    sheet.columns = headers.map((h) => ({ width: widthOf(h, numeric(h)), style: numeric(h) ? { numFmt: h === XLSX_UPTIME_HEADER ? '#,##0.0' : '#,##0' } : {} }));
    sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: headers.length } };
    const row = sheet.addRow(headers as string[]);
    row.font = { bold: true };
    row.alignment = { wrapText: true, vertical: 'top' };
    row.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE8ECF2' } };
    row.commit();
    return sheet;
  };
  const bold = (row: ReturnType<Worksheet['addRow']>) => {
    row.font = { bold: true };
    row.border = { top: { style: 'thin' } };
  };

  if (!model.options.onlyEndpointDetails) {
    const usage = sheetOf(XLSX_USAGE_SHEET, [...USAGE_SECTION_HEADERS, XLSX_NOT_ENABLED_HEADER], (h) => USAGE_NUMERIC_HEADERS.has(h));
    for (const company of model.companies) {
      await addRow(usage, xlsxUsageCells(usageSectionCells(company)));
      progress.row('usage');
    }
    // Totals: the target's figures are its own use plus everything below it (adding the rows would count partners twice).
    const target = model.companies.find((c) => c.row.companyId === model.target.companyId);
    if (target) {
      const cells = xlsxUsageCells(usageSectionCells(target));
      cells[0] = `Total: ${target.row.name} and the companies below it`;
      for (let i = 1; i < USAGE_SECTION_HEADERS.length; i++) if (!USAGE_NUMERIC_HEADERS.has(USAGE_SECTION_HEADERS[i])) cells[i] = null;
      await addRow(usage, cells, bold);
    }
    usage.commit();
    progress.sectionDone('usage');
    const unlicensed = sheetOf(XLSX_UNLICENSED_SHEET, UNLICENSED_SECTION_HEADERS, (h) => h.startsWith('Unlicensed'));
    for (const company of model.companies) if (hasUnlicensedActivity(company)) await addRow(unlicensed, unlicensedSectionCells(company));
    unlicensed.commit();
  }

  const uptimeAt = ENDPOINT_SECTION_HEADERS.indexOf('Uptime');
  const headers = ENDPOINT_SECTION_HEADERS.map((h, i) => (i === uptimeAt ? XLSX_UPTIME_HEADER : h));
  const details = sheetOf(XLSX_ENDPOINT_SHEET, headers, (h) => h === XLSX_UPTIME_HEADER || h === 'Active days');
  let count = 0;
  let hours = 0;
  let billed = 0;
  for await (const row of endpointRows(model, endpoints)) {
    const cells = endpointSectionCells(row);
    cells[uptimeAt] = uptimeHours(row.line.awakeSeconds);
    count++;
    hours += row.line.awakeSeconds;
    if (cells[headers.indexOf('Billed')] === 'Yes') billed++;
    await addRow(details, cells);
    progress.row('endpoints');
  }
  if (count > 0) {
    // SUBTOTAL follows the filter: an accountant filtering on a company sees that company's totals.
    const last = count + 1;
    const totals: (Cell | null | { formula: string; result: number })[] = headers.map(() => null);
    totals[0] = 'Total (rows shown)';
    totals[1] = { formula: `SUBTOTAL(103,B2:B${last})`, result: count };
    totals[uptimeAt] = { formula: `SUBTOTAL(109,${columnName(uptimeAt)}2:${columnName(uptimeAt)}${last})`, result: Math.round(hours / 360) / 10 };
    totals[headers.indexOf('Billed')] = { formula: `COUNTIF(${columnName(headers.indexOf('Billed'))}2:${columnName(headers.indexOf('Billed'))}${last},"Yes")`, result: billed };
    await addRow(details, totals as (Cell | null)[], bold);
  }
  details.commit();
  progress.sectionDone('endpoints');
  await workbook.commit();
  await finished(out);
}

/** A spreadsheet column's letters from a 0-based index (0 -> A, 26 -> AA). */
export function columnName(index: number): string {
  let n = index + 1;
  let name = '';
  while (n > 0) {
    const r = (n - 1) % 26;
    name = String.fromCharCode(65 + r) + name;
    n = Math.floor((n - 1) / 26);
  }
  return name;
}
