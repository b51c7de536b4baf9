// The XLSX version: the CSV's sections as sheets, "Usage", "Unlicensed
// activity" and "Endpoint details", same headers, same cells. Written with exceljs's
// streaming WorkbookWriter: each row is committed (serialized and handed to
// the zip) as soon as it is added, and strings are stored inline rather than
// in a shared-strings table, which would keep every distinct hostname in
// memory until the end.
//
// No formula guard here: a text cell in an XLSX file is typed as a string
// and never evaluated, so names are kept exactly as they are.
import type { Worksheet } from 'exceljs';
import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import {
  ENDPOINT_SECTION_HEADERS, UNLICENSED_SECTION_HEADERS, USAGE_SECTION_HEADERS, endpointSectionCells, hasUnlicensedActivity, unlicensedSectionCells,
  usageSectionCells, type Cell,
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

export async function writeXlsx(model: ReportModel, endpoints: EndpointDirectory, out: Writable, progress: ProgressReporter): Promise<void> {
  // Loaded when a workbook is written: exceljs takes long to load, and most collector starts never write one.
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  workbook.creator = 'Tally';
  let sinceYield = 0;
  const addRow = async (sheet: Worksheet, cells: readonly Cell[]) => {
    sheet.addRow(cells as Cell[]).commit();
    if (++sinceYield >= YIELD_EVERY_ROWS) {
      sinceYield = 0;
      do {
        await yieldToEventLoop();
        await waitForDrain(out);
      } while (sheetBacklog(sheet) > MAX_SHEET_BACKLOG_BYTES);
    }
  };
  const header = (sheet: Worksheet, headers: readonly string[]) => {
    const row = sheet.addRow(headers as string[]);
    row.font = { bold: true };
    row.commit();
  };

  if (!model.options.onlyEndpointDetails) {
    const usage = workbook.addWorksheet(XLSX_USAGE_SHEET, { views: [{ state: 'frozen', ySplit: 1 }] });
    header(usage, USAGE_SECTION_HEADERS);
    for (const company of model.companies) {
      await addRow(usage, usageSectionCells(company));
      progress.row('usage');
    }
    usage.commit();
    progress.sectionDone('usage');
    const unlicensed = workbook.addWorksheet(XLSX_UNLICENSED_SHEET, { views: [{ state: 'frozen', ySplit: 1 }] });
    header(unlicensed, UNLICENSED_SECTION_HEADERS);
    for (const company of model.companies) if (hasUnlicensedActivity(company)) await addRow(unlicensed, unlicensedSectionCells(company));
    unlicensed.commit();
  }

  const details = workbook.addWorksheet(XLSX_ENDPOINT_SHEET, { views: [{ state: 'frozen', ySplit: 1 }] });
  header(details, ENDPOINT_SECTION_HEADERS);
  for await (const row of endpointRows(model, endpoints)) {
    await addRow(details, endpointSectionCells(row));
    progress.row('endpoints');
  }
  details.commit();
  progress.sectionDone('endpoints');
  await workbook.commit();
  await finished(out);
}
