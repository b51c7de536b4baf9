// The CSV version of the Monthly License Usage report. Seed 003: "The .CSV
// version of the report is split into two sections: 1. The Usage section ...
// 2. The Endpoint details section".
//
// Layout (RFC 4180, UTF-8 with a byte-order mark so spreadsheet programs read
// names right, CRLF line ends):
//
//   Usage
//   Path,Company,Company type,...           <- USAGE_SECTION_HEADERS
//   ...one line per company...
//   <empty line>
//   Unlicensed activity (not billed)
//   Path,Company,...,Unlicensed endpoints,...  <- UNLICENSED_SECTION_HEADERS
//   ...one line per company with unlicensed activity (none: no line)...
//   <empty line>
//   Endpoint details
//   Company,Name,Endpoint type,...          <- ENDPOINT_SECTION_HEADERS
//   ...one line per endpoint...
//
// With "Only endpoint details" the Usage and unlicensed sections are left out
// ("the report focus on information related to the endpoints and ignores the
// companies' hierarchy"); each endpoint line still names its unlicensed reason.
import type { Writable } from 'node:stream';
import {
  ENDPOINT_SECTION_HEADERS, UNLICENSED_SECTION_HEADERS, USAGE_SECTION_HEADERS, endpointSectionCells, hasUnlicensedActivity, unlicensedSectionCells,
  usageSectionCells, type Cell,
} from './columns.ts';
import { endpointRows, type EndpointDirectory } from './endpoints.ts';
import type { ReportModel } from './model.ts';
import type { ProgressReporter } from './progress.ts';
import { TextSink } from './sink.ts';

export const CSV_USAGE_SECTION_TITLE = 'Usage';
export const CSV_UNLICENSED_SECTION_TITLE = 'Unlicensed activity (not billed)';
export const CSV_ENDPOINT_SECTION_TITLE = 'Endpoint details';
export const CSV_BOM = '\uFEFF';
const EOL = '\r\n';

/**
 * Characters that make a spreadsheet read a cell as a formula (OWASP "CSV
 * injection"): '=', '+', '-', '@', and tab / carriage return which some
 * programs strip before looking. A company or host name is chosen by a
 * customer; opening the report must never run it. Such a text cell gets a
 * leading single quote, which spreadsheets show as plain text. Numbers are
 * written as numbers and never guarded.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

export function guardFormula(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/** One CSV field: formula-guarded, then quoted when it holds a comma, quote, CR, LF or edge spaces. */
export function csvField(cell: Cell): string {
  if (typeof cell === 'number') return Number.isFinite(cell) ? String(cell) : '';
  const text = guardFormula(cell);
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(cells: readonly Cell[]): string {
  return cells.map(csvField).join(',') + EOL;
}

export async function writeCsv(model: ReportModel, endpoints: EndpointDirectory, out: Writable, progress: ProgressReporter): Promise<void> {
  const sink = new TextSink(out);
  await sink.write(CSV_BOM);
  if (!model.options.onlyEndpointDetails) {
    await sink.write(csvLine([CSV_USAGE_SECTION_TITLE]));
    await sink.write(csvLine(USAGE_SECTION_HEADERS));
    for (const company of model.companies) {
      await sink.write(csvLine(usageSectionCells(company)));
      progress.row('usage');
    }
    progress.sectionDone('usage');
    await sink.write(EOL);
    await sink.write(csvLine([CSV_UNLICENSED_SECTION_TITLE]));
    await sink.write(csvLine(UNLICENSED_SECTION_HEADERS));
    for (const company of model.companies) if (hasUnlicensedActivity(company)) await sink.write(csvLine(unlicensedSectionCells(company)));
    await sink.write(EOL);
  }
  await sink.write(csvLine([CSV_ENDPOINT_SECTION_TITLE]));
  await sink.write(csvLine(ENDPOINT_SECTION_HEADERS));
  for await (const row of endpointRows(model, endpoints)) {
    await sink.write(csvLine(endpointSectionCells(row)));
    progress.row('endpoints');
  }
  progress.sectionDone('endpoints');
  await sink.end();
}
