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
//   <empty line>
//   Legend
//   Mark,Meaning
//   *,Reserved Seats: ...                   <- CSV_LEGEND: what *, N/A and Not enabled mean
//
// With "Only endpoint details" the Usage and unlicensed sections are left out
// ("the report focus on information related to the endpoints and ignores the
// companies' hierarchy"); each endpoint line still names its unlicensed reason.
import type { Writable } from 'node:stream';
import {
  ENDPOINT_SECTION_HEADERS, NOT_APPLICABLE, NOT_ENABLED, RESERVED_SEATS_NOT_ENABLED, UNLICENSED_SECTION_HEADERS, USAGE_SECTION_HEADERS, endpointSectionCells,
  hasUnlicensedActivity, unlicensedSectionCells, uptimeHours, usageSectionCells, type Cell,
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
 * injection"): '=', '+', '-', '@', their fullwidth forms (U+FF1D, U+FF0B,
 * U+FF0D, U+FF20, which some programs and input methods turn into the ASCII
 * ones), also after leading spaces (some programs trim them), and tab /
 * carriage return which some programs strip before looking. A company or
 * host name is chosen by a customer; opening the report must never run it.
 *
 * Quoting does not protect a cell from a reader that splits on another
 * separator: where ';' is the list separator, `2024-11,"Acme;=cmd|..."`
 * opens as `2024-11,"Acme` and `=cmd|...`, a formula. So the guard is
 * applied to every piece of text a spreadsheet could make a cell of: the
 * start of the text, and what follows any separator a spreadsheet may use
 * (comma, semicolon, tab, pipe, line end). Each such piece that would start
 * with a formula character gets a single quote before it, which spreadsheets
 * show as plain text. Numbers are written as numbers and never guarded.
 */
const TRIGGER = '[=+\\-@\\uFF1D\\uFF0B\\uFF0D\\uFF20]';
const FORMULA_START = new RegExp(`^[\\s\\u3000]*${TRIGGER}|^[\\t\\r]`);
const FORMULA_AFTER_SEPARATOR = new RegExp(`([,;\\t|\\r\\n][ \\u3000]*)(?=${TRIGGER})`, 'g');

export function guardFormula(text: string): string {
  const inner = text.replace(FORMULA_AFTER_SEPARATOR, "$1'");
  return FORMULA_START.test(inner) ? `'${inner}` : inner;
}

/**
 * Quoted whenever the text holds a character any spreadsheet may split on,
 * not only this file's comma: a semicolon (the list separator where the
 * decimal mark is a comma), tab and pipe; or a quote, a line end, edge spaces.
 * Unquoted, "Acme;=cmd|..." would open as two cells in such a locale, the
 * second a formula; quoted, it is one cell that starts with "A".
 */
const NEEDS_QUOTES = /[",;\t|\r\n]|^\s|\s$/;

/** One CSV field: formula-guarded, then quoted when it holds a separator of any locale, a quote, CR, LF or edge spaces. */
export function csvField(cell: Cell): string {
  if (typeof cell === 'number') return Number.isFinite(cell) ? String(cell) : '';
  const text = guardFormula(cell);
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(cells: readonly Cell[]): string {
  return cells.map(csvField).join(',') + EOL;
}

/** What the report's marks mean, written after the last section (seed 003's notes for each column). */
export const CSV_LEGEND_TITLE = 'Legend';
export const CSV_LEGEND: readonly (readonly [string, string])[] = [
  [RESERVED_SEATS_NOT_ENABLED, 'Reserved Seats: the option is not enabled for the company'],
  [NOT_APPLICABLE, 'Not applicable: no subscription, no end date, or a month finalized before licence states were recorded'],
  [NOT_ENABLED, 'The add-on, service or option is not enabled for the company (the PDF writes n/e); it is never billed'],
  ['Uptime', 'Seconds the endpoint was protected in the month, sleep and hibernation excluded (with uptimeHours: hours, in the column "Uptime (hours)")'],
];

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
  // The GravityZone column is "Uptime", in seconds; the human form (uptimeHours) says hours, in the header too.
  const hours = model.options.uptimeHours === true;
  const uptimeAt = ENDPOINT_SECTION_HEADERS.indexOf('Uptime');
  await sink.write(csvLine([CSV_ENDPOINT_SECTION_TITLE]));
  await sink.write(csvLine(hours ? ENDPOINT_SECTION_HEADERS.map((h, i) => (i === uptimeAt ? 'Uptime (hours)' : h)) : ENDPOINT_SECTION_HEADERS));
  for await (const row of endpointRows(model, endpoints)) {
    const cells = endpointSectionCells(row);
    if (hours) cells[uptimeAt] = uptimeHours(row.line.awakeSeconds);
    await sink.write(csvLine(cells));
    progress.row('endpoints');
  }
  progress.sectionDone('endpoints');
  await sink.write(EOL);
  await sink.write(csvLine([CSV_LEGEND_TITLE]));
  await sink.write(csvLine(['Mark', 'Meaning']));
  for (const [mark, meaning] of CSV_LEGEND) await sink.write(csvLine([mark, meaning]));
  await sink.end();
}
