// The PDF version: a document an accountant sends to a customer (issue 21),
// after seed 003's "the chart ... [and] the table, which lists details about
// companies, license and usage", then the endpoint details.
//
//   1. Summary page (A4 portrait): company, month, product type, the month's
//      state (and the hash a finalized month was sealed with), the totals of
//      the columns enabled for someone in the report, what the licence made
//      of them (billed, unlicensed by reason), what the marks mean, and the
//      add-on chart (only add-ons whose column is in the table).
//   2. Usage table: only the columns enabled for at least one company shown;
//      headers wrap at spaces (never inside a word), rows wrap too; A4
//      portrait when the columns fit, else landscape, else split into groups
//      of columns with the Company column repeated; the header is repeated on
//      every page. Companies with unlicensed activity are highlighted.
//   3. Endpoint details (A4 landscape): one line per endpoint, header repeated.
//
// Every page has a footer with the company, the month and the page number.
// Text is set in DejaVu Sans Condensed, embedded (subset) from the
// dejavu-fonts-ttf package, so names outside Windows-1252 print as they are.
// Pages are written out as they are finished (bufferPages off), and the writer
// waits for the output to drain between pages; endpoint lines are cut to one
// line with an ellipsis (the CSV and XLSX keep every character), which keeps a
// report of 100,000 endpoints fast.
import type PDFKitDocument from 'pdfkit';
import { createRequire } from 'node:module';
import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { UNLICENSED_REASONS, LICENCE_STATE_LABELS } from '../billing/index.ts';
import {
  LICENSE_TYPE_LABELS, NOT_APPLICABLE, NOT_ENABLED, PRODUCT_TYPE_LABELS, MODULE_COLUMN_SPECS, RESERVED_SEATS_NOT_ENABLED, USAGE_COLUMN_SPECS,
  endpointSectionCells, licenceText, usageCell, type Cell, type UsageColumnSpec,
} from './columns.ts';
import { CHART_ADD_ONS, CHART_ADD_ON_COLUMNS, CHART_ADD_ON_LABELS, type DailyAddOnUsage } from './daily.ts';
import { endpointRows, type EndpointDirectory, type EndpointRow } from './endpoints.ts';
import type { ReportCompany, ReportModel } from './model.ts';
import type { ProgressReporter } from './progress.ts';
import { waitForDrain } from './sink.ts';

type Doc = InstanceType<typeof PDFKitDocument>;

const MARGIN = 36;
const FOOTER = 18;
const FONT = 'body';
const FONT_BOLD = 'body-bold';
const CELL_SIZE = 7.5;
const HEADER_SIZE = 7;
const PAD = 3;

const fontFile = (name: string) => createRequire(import.meta.url).resolve(`dejavu-fonts-ttf/ttf/${name}`);

export const CHART_COLORS: Readonly<Record<(typeof CHART_ADD_ONS)[number], string>> = {
  encryption: '#1f77b4', patchManagement: '#ff7f0e', integrityMonitoring: '#2ca02c', containerProtection: '#d62728', ats: '#9467bd', edr: '#8c564b', sve: '#e377c2',
};

/** Control characters flattened to spaces; everything else prints (the font is embedded). */
export function pdfSafeText(text: string): string {
  return text.replace(/[\r\n\t\u0000-\u001f\u007f]+/g, ' ');
}

/** Too wide for a figure column: the PDF writes "Not enabled" as this, and says so in the legend. */
export const PDF_NOT_ENABLED = 'n/e';
/** Light amber: a company with unlicensed activity (itself or below it). */
export const PDF_UNLICENSED_HIGHLIGHT = '#fff1c2';

/** What the report's month state is, as the summary page says it. */
export interface PdfMonthState {
  readonly status: 'open' | 'closing' | 'awaiting_finalization' | 'finalized' | 'future';
  readonly finalizedHash: string | null;
  readonly finalizedAtMs: number | null;
}

const STATE_TEXT: Readonly<Record<PdfMonthState['status'], string>> = {
  open: 'Open: the month is running; figures may still change',
  closing: 'Closing: late data is still accepted; figures may still change',
  awaiting_finalization: 'Closing: about to be finalized; figures may still change',
  finalized: 'Finalized: these figures are sealed',
  future: 'Future',
};

export interface PdfColumn {
  readonly header: string;
  readonly width: number;
  readonly numeric: boolean;
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Lets a finished page leave memory: waits while the output is full and the document still holds data. */
async function settle(doc: Doc, out: Writable): Promise<void> {
  await yieldToEventLoop();
  while (doc.readableLength > 0 && out.writableNeedDrain) {
    await waitForDrain(out);
    await yieldToEventLoop();
  }
}

/** Cuts text to fit a width, with an ellipsis. Short text is never measured, long text about twice. */
function fit(doc: Doc, text: string, width: number, fontSize: number): string {
  if (text.length * fontSize * 0.62 <= width) return text; // DejaVu Sans Condensed: no common glyph is wider than 0.62 em
  if (doc.widthOfString(text) <= width) return text;
  const room = width - doc.widthOfString('…');
  let n = Math.max(0, Math.floor((text.length * room) / doc.widthOfString(text)));
  while (n < text.length && doc.widthOfString(text.slice(0, n + 1)) <= room) n++;
  while (n > 0 && doc.widthOfString(text.slice(0, n)) > room) n--;
  return text.slice(0, n) + '…';
}

/** The narrowest width a header fits in without splitting a word, and the width it would like. */
export function headerWidths(doc: Doc, header: string, numeric: boolean): { min: number; want: number } {
  doc.font(FONT_BOLD).fontSize(HEADER_SIZE);
  // pdfkit measures a word with the space after it; narrower than that, it breaks the word ("Encryptio n").
  const longestWord = Math.max(...header.split(/\s+/).map((w) => doc.widthOfString(`${w} `)));
  const min = Math.ceil(longestWord + 2 * PAD + 1);
  return { min: Math.max(min, numeric ? 34 : 60), want: Math.max(min, numeric ? 46 : 110) };
}

/** The document: pages with a footer, and the orientation each section asks for. */
class Pages {
  page = 0;
  constructor(private readonly doc: Doc, private readonly out: Writable, private readonly footer: string) {}

  get width(): number {
    return this.doc.page.width - 2 * MARGIN;
  }

  get bottom(): number {
    return this.doc.page.height - MARGIN - FOOTER;
  }

  /** A new page (the first one too), numbered in its footer. */
  async add(layout: 'portrait' | 'landscape'): Promise<void> {
    if (this.page > 0) {
      this.doc.addPage({ size: 'A4', layout, margin: MARGIN });
      await settle(this.doc, this.out);
    }
    this.page++;
    const doc = this.doc;
    const y = doc.page.height - MARGIN - 8;
    // Below the bottom margin: pdfkit would start a page for it unless the margin is lifted while writing.
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc.moveTo(MARGIN, y - 4).lineTo(doc.page.width - MARGIN, y - 4).lineWidth(0.4).strokeColor('#bbbbbb').stroke();
    doc.font(FONT).fontSize(7).fillColor('#555555').text(this.footer, MARGIN, y, { lineBreak: false, width: this.width - 60 });
    doc.text(`Page ${this.page}`, doc.page.width - MARGIN - 60, y, { lineBreak: false, width: 60, align: 'right' });
    doc.page.margins.bottom = bottom;
    doc.fillColor('black');
    doc.x = MARGIN;
    doc.y = MARGIN;
  }
}

/** A table whose header repeats on each page it runs over; cells wrap at spaces, or are cut to one line. */
class Table {
  private y = 0;
  private readonly headerHeight: number;

  constructor(
    private readonly doc: Doc,
    private readonly pages: Pages,
    private readonly title: string,
    private readonly columns: readonly PdfColumn[],
    private readonly layout: 'portrait' | 'landscape',
    private readonly wrap: boolean,
  ) {
    doc.font(FONT_BOLD).fontSize(HEADER_SIZE);
    this.headerHeight = Math.max(...columns.map((c) => doc.heightOfString(c.header, { width: c.width - 2 * PAD }))) + 2 * PAD;
  }

  get width(): number {
    return this.columns.reduce((sum, c) => sum + c.width, 0);
  }

  /** Starts on a new page with the section's title. */
  async start(note?: string): Promise<void> {
    await this.pages.add(this.layout);
    this.y = MARGIN;
    this.doc.font(FONT_BOLD).fontSize(12).fillColor('black').text(this.title, MARGIN, this.y, { lineBreak: false });
    this.y += 17;
    if (note) {
      this.doc.font(FONT).fontSize(7.5).fillColor('#444444');
      const h = this.doc.heightOfString(note, { width: this.pages.width });
      this.doc.text(note, MARGIN, this.y, { width: this.pages.width });
      this.y += h + 4;
    }
    this.drawHeader();
  }

  private drawHeader(): void {
    const doc = this.doc;
    doc.rect(MARGIN, this.y, this.width, this.headerHeight).fill('#e3e8ef');
    doc.fillColor('black').font(FONT_BOLD).fontSize(HEADER_SIZE);
    let x = MARGIN;
    for (const c of this.columns) {
      doc.text(c.header, x + PAD, this.y + PAD, { width: c.width - 2 * PAD, align: c.numeric ? 'right' : 'left' });
      x += c.width;
    }
    this.y += this.headerHeight;
  }

  /** One row; `highlight` fills it; `indent` moves the first cell right (the tree). */
  async row(cells: readonly (Cell | null)[], opts: { indent?: number; highlight?: string | null; bold?: boolean } = {}): Promise<void> {
    const doc = this.doc;
    doc.font(opts.bold ? FONT_BOLD : FONT).fontSize(CELL_SIZE);
    const texts = this.columns.map((_, i) => pdfSafeText(cells[i] === null || cells[i] === undefined ? '' : String(cells[i])));
    const inner = (i: number) => this.columns[i].width - 2 * PAD - (i === 0 ? opts.indent ?? 0 : 0);
    const height = this.wrap
      ? Math.max(...texts.map((t, i) => (t ? doc.heightOfString(t, { width: inner(i) }) : 0)), CELL_SIZE * 1.2) + 2 * PAD
      : CELL_SIZE * 1.25 + 2 * PAD;
    if (this.y + height > this.pages.bottom) {
      await this.pages.add(this.layout);
      this.y = MARGIN;
      doc.font(FONT).fontSize(7.5).fillColor('#555555').text(`${this.title} (continued)`, MARGIN, this.y, { lineBreak: false });
      this.y += 12;
      this.drawHeader();
      doc.font(opts.bold ? FONT_BOLD : FONT).fontSize(CELL_SIZE);
    }
    if (opts.highlight) doc.rect(MARGIN, this.y, this.width, height).fill(opts.highlight);
    doc.fillColor('black');
    let x = MARGIN;
    texts.forEach((t, i) => {
      const c = this.columns[i];
      const left = x + PAD + (i === 0 ? opts.indent ?? 0 : 0);
      if (t) {
        if (this.wrap) doc.text(t, left, this.y + PAD, { width: inner(i), align: c.numeric ? 'right' : 'left' });
        else {
          const shown = fit(doc, t, inner(i), CELL_SIZE);
          const tx = c.numeric ? x + c.width - PAD - doc.widthOfString(shown) : left;
          doc.text(shown, tx, this.y + PAD, { lineBreak: false });
        }
      }
      x += c.width;
    });
    doc.moveTo(MARGIN, this.y + height).lineTo(MARGIN + this.width, this.y + height).lineWidth(0.25).strokeColor('#cccccc').stroke();
    this.y += height;
  }
}

/** A round step for about `ticks` gridlines up to max: whole numbers only (the chart counts endpoints). */
export function niceStep(max: number, ticks = 5): number {
  if (max <= ticks) return 1;
  const raw = max / ticks;
  const pow = 10 ** Math.floor(Math.log10(raw));
  return [1, 2, 5, 10].map((m) => m * pow).find((s) => s >= raw)!;
}

/** The usage columns shown: those enabled for at least one company of the report (a column "Not enabled" everywhere says nothing). */
export function enabledUsageColumns(model: ReportModel): UsageColumnSpec[] {
  return USAGE_COLUMN_SPECS.filter((spec) => model.companies.some((c) => usageCell(c.row, spec) !== NOT_ENABLED));
}

function drawChart(doc: Doc, daily: DailyAddOnUsage, addOns: readonly (typeof CHART_ADD_ONS)[number][], x0: number, y0: number, width: number, nowMs: number): number {
  const height = 150;
  doc.font(FONT_BOLD).fontSize(10).fillColor('black').text('Add-on usage through the month (endpoints per UTC day)', x0, y0, { lineBreak: false });
  const top = y0 + 18;
  const legendW = 150;
  const left = x0 + 28;
  const plotW = width - 28 - legendW - 10;
  const plotH = height - 28;
  const max = Math.max(0, ...addOns.flatMap((a) => daily.series[a]));
  const step = niceStep(max);
  const yMax = Math.max(step, Math.ceil(max / step) * step);
  const days = daily.days.length;
  const xOf = (i: number) => left + (days <= 1 ? plotW / 2 : (i * plotW) / (days - 1));
  const yOf = (v: number) => top + plotH - (v / yMax) * plotH;
  doc.font(FONT).fontSize(6).fillColor('#444444');
  for (let v = 0; v <= yMax; v += step) {
    doc.moveTo(left, yOf(v)).lineTo(left + plotW, yOf(v)).lineWidth(0.3).strokeColor(v === 0 ? '#000000' : '#dddddd').stroke();
    const label = String(v);
    doc.text(label, left - 4 - doc.widthOfString(label), yOf(v) - 3, { lineBreak: false });
  }
  for (let i = 0; i < days; i++) {
    if (i !== 0 && (i + 1) % 5 !== 0 && i !== days - 1) continue;
    const label = String(i + 1);
    doc.text(label, xOf(i) - doc.widthOfString(label) / 2, top + plotH + 4, { lineBreak: false });
  }
  doc.text(`Day of ${daily.month} (UTC)`, left + plotW / 2 - 30, top + plotH + 13, { lineBreak: false });
  // A running month: lines stop at today (the days after it have no figures yet, not zero).
  const firstDayMs = Date.parse(`${daily.days[0]}T00:00:00Z`);
  const daysSoFar = Math.max(1, Math.min(days, Math.floor((nowMs - firstDayMs) / 86_400_000) + 1));
  for (const addOn of addOns) {
    const values = daily.series[addOn].slice(0, daysSoFar);
    doc.lineWidth(1.2).strokeColor(CHART_COLORS[addOn]);
    values.forEach((v, i) => (i === 0 ? doc.moveTo(xOf(i), yOf(v)) : doc.lineTo(xOf(i), yOf(v))));
    doc.stroke();
  }
  const lx = left + plotW + 14;
  doc.font(FONT_BOLD).fontSize(7).fillColor('black').text('Add-on (peak endpoints in a day)', lx, top, { lineBreak: false });
  if (addOns.length === 0) doc.font(FONT).fontSize(7).text('No add-on is enabled in this report.', lx, top + 14, { lineBreak: false });
  addOns.forEach((addOn, i) => {
    const ly = top + 14 + i * 12;
    doc.rect(lx, ly, 10, 6).fill(CHART_COLORS[addOn]);
    doc.font(FONT).fontSize(7).fillColor('black').text(`${CHART_ADD_ON_LABELS[addOn]} (peak ${Math.max(0, ...daily.series[addOn])})`, lx + 14, ly, { lineBreak: false });
  });
  return top + height;
}

/** Key and value lines of the summary page; returns the y below them. */
function facts(doc: Doc, rows: readonly [string, string][], x: number, y: number, keyWidth: number, width: number): number {
  for (const [k, v] of rows) {
    doc.font(FONT_BOLD).fontSize(8.5).fillColor('#333333').text(k, x, y, { width: keyWidth });
    doc.font(FONT).fontSize(8.5).fillColor('black');
    const h = doc.heightOfString(v, { width: width - keyWidth });
    doc.text(v, x + keyWidth, y, { width: width - keyWidth });
    y += Math.max(h, 11) + 2;
  }
  return y;
}

/** The usage table's cells of a company: the shown columns only, marks shortened. */
function usageRow(company: ReportCompany, specs: readonly UsageColumnSpec[], extra: { reserved: boolean; minimum: boolean }): Cell[] {
  const row = company.row;
  const mark = (c: Cell) => (c === NOT_ENABLED ? PDF_NOT_ENABLED : c);
  return [
    row.name,
    row.licenseType ? LICENSE_TYPE_LABELS[row.licenseType] : NOT_APPLICABLE,
    ...specs.map((s) => mark(usageCell(row, s))),
    ...(extra.reserved ? [row.reservedSeats ?? RESERVED_SEATS_NOT_ENABLED] : []),
    ...(extra.minimum ? [mark(row.minimumUsage ?? NOT_ENABLED)] : []),
    licenceText(row),
    row.billable.total.billableEndpointUsage,
    row.unlicensed.total.endpoints,
  ];
}

/**
 * Splits columns into groups that fit `width`, the first column in every
 * group; each column at least its narrowest width, the room left shared out.
 */
export function columnGroups(first: PdfColumn & { min: number }, rest: readonly (PdfColumn & { min: number })[], width: number): PdfColumn[][] {
  const groups: (PdfColumn & { min: number })[][] = [];
  let current: (PdfColumn & { min: number })[] = [];
  let used = first.min;
  for (const c of rest) {
    if (current.length && used + c.min > width) {
      groups.push(current);
      current = [];
      used = first.min;
    }
    current.push(c);
    used += c.min;
  }
  if (current.length || groups.length === 0) groups.push(current);
  return groups.map((group) => {
    const cols = [first, ...group];
    const minSum = cols.reduce((n, c) => n + c.min, 0);
    const wantSum = cols.reduce((n, c) => n + Math.max(c.width, c.min), 0);
    // Grow towards the wanted widths, never past the page.
    const share = wantSum > minSum ? Math.min(1, (width - minSum) / (wantSum - minSum)) : 0;
    return cols.map((c) => ({ header: c.header, numeric: c.numeric, width: Math.floor(c.min + share * (Math.max(c.width, c.min) - c.min)) }));
  });
}

const ENDPOINT_COLUMNS: readonly PdfColumn[] = [
  { header: 'Company', width: 96, numeric: false },
  { header: 'Name', width: 104, numeric: false },
  { header: 'Endpoint type', width: 78, numeric: false },
  { header: 'OS', width: 98, numeric: false },
  { header: 'Uptime (hours)', width: 46, numeric: true },
  { header: 'Active days', width: 36, numeric: true },
  { header: 'Modules and add-ons', width: 118, numeric: false },
  { header: 'Billed', width: 34, numeric: false },
  { header: 'Billing note', width: 160, numeric: false },
];

/** The PDF cells of an endpoint: name, type, OS, uptime in hours, active days, modules as short names, billed, and why (or the unlicensed reason). */
export function pdfEndpointCells(row: EndpointRow): Cell[] {
  const cells = endpointSectionCells(row);
  const modules = MODULE_COLUMN_SPECS.filter((_, i) => cells[8 + i] === 'Yes').map((m) => m.short).join(' ');
  const after = 8 + MODULE_COLUMN_SPECS.length; // Active days, Billed, Billing note, Unlicensed, Endpoint ID
  const unlicensed = cells[after + 3];
  return [
    cells[0], cells[1], `${cells[2]} ${String(cells[3]).toLowerCase()}`, cells[4] || '-', Math.round(row.line.awakeSeconds / 360) / 10, cells[after],
    modules || '-', cells[after + 1], unlicensed ? `Unlicensed (${unlicensed}): ${cells[after + 2]}` : cells[after + 2],
  ];
}

export async function writePdf(
  model: ReportModel, daily: DailyAddOnUsage, endpoints: EndpointDirectory, out: Writable, progress: ProgressReporter, generatedAtMs: number, state: PdfMonthState | null = null,
): Promise<void> {
  // Loaded when a PDF is written: pdfkit takes long to load, and most collector starts never write one.
  const { default: PDFDocument } = await import('pdfkit');
  const target = model.target;
  const o = model.options;
  const doc = new PDFDocument({
    size: 'A4', layout: 'portrait', margin: MARGIN, bufferPages: false, compress: true, autoFirstPage: true,
    info: { Title: `Monthly License Usage ${model.month} - ${pdfSafeText(target.name)}`, Creator: 'Tally', CreationDate: new Date(generatedAtMs) },
  });
  doc.registerFont(FONT, fontFile('DejaVuSansCondensed.ttf'));
  doc.registerFont(FONT_BOLD, fontFile('DejaVuSansCondensed-Bold.ttf'));
  doc.pipe(out);
  const pages = new Pages(doc, out, pdfSafeText(`Monthly License Usage · ${target.name} · ${model.month} · ${PRODUCT_TYPE_LABELS[o.productType]}`));
  await pages.add('portrait');

  // ---- 1. Summary page.
  const specs = enabledUsageColumns(model);
  const reserved = model.companies.some((c) => c.row.reservedSeats !== null);
  const minimum = model.companies.some((c) => c.row.minimumUsage !== null);
  const width = pages.width;
  doc.font(FONT_BOLD).fontSize(18).fillColor('black').text('Monthly License Usage', MARGIN, MARGIN, { lineBreak: false });
  doc.font(FONT).fontSize(11).text(pdfSafeText(`${target.name} · ${model.month}`), MARGIN, MARGIN + 24, { width });
  const status = state?.status ?? (model.finalized ? 'finalized' : 'open');
  const filters = [
    o.onlyEndpointDetails ? 'only endpoint details' : null,
    o.onlyDirectCompanies ? 'only direct companies' : null,
    o.registeredBetween ? `only new customer companies registered ${o.registeredBetween.from} to ${o.registeredBetween.to}` : null,
  ].filter((f): f is string => f !== null);
  let y = facts(doc, [
    ['Company', pdfSafeText(`${target.name}${model.companies.length > 1 ? ` and the ${model.companies.length - 1} compan${model.companies.length === 2 ? 'y' : 'ies'} below it` : ''}`)],
    ['Month', `${model.month} (UTC calendar month)`],
    ['Product type', PRODUCT_TYPE_LABELS[o.productType]],
    ['Month state', STATE_TEXT[status]],
    ...(state?.finalizedHash ? [['Finalized hash', `${state.finalizedHash}${state.finalizedAtMs ? ` (sealed ${new Date(state.finalizedAtMs).toISOString().slice(0, 16).replace('T', ' ')} UTC)` : ''}`] as [string, string]] : []),
    ['Licence this month', licenceText(target)],
    ['Generated', `${new Date(generatedAtMs).toISOString().slice(0, 16).replace('T', ' ')} UTC${filters.length ? ` · options: ${filters.join('; ')}` : ''}`],
  ], MARGIN, MARGIN + 48, 110, width);

  const unlicensed = target.unlicensed.total;
  if (unlicensed.endpoints > 0) {
    y += 4;
    const text = `Unlicensed activity: ${unlicensed.endpoints} endpoint${unlicensed.endpoints === 1 ? '' : 's'} active without a billable licence this month, not billed (${UNLICENSED_REASONS.filter((r) => unlicensed.byReason[r] > 0).map((r) => `${LICENCE_STATE_LABELS[r]} ${unlicensed.byReason[r]}`).join(', ')}).`;
    doc.font(FONT_BOLD).fontSize(8.5);
    const h = doc.heightOfString(text, { width: width - 12 });
    doc.rect(MARGIN, y, width, h + 8).fill(PDF_UNLICENSED_HIGHLIGHT);
    doc.fillColor('#7a2e0e').text(text, MARGIN + 6, y + 4, { width: width - 12 });
    y += h + 14;
  }

  // Totals of the shown columns: the target's figures, its own use plus everything below it.
  y += 6;
  doc.font(FONT_BOLD).fontSize(11).fillColor('black').text('Totals', MARGIN, y, { lineBreak: false });
  y += 16;
  const totals: [string, string][] = [
    ...specs.map((s): [string, string] => [s.header, String(usageCell(target, s) === NOT_ENABLED ? PDF_NOT_ENABLED : usageCell(target, s))]),
    ['Billable Endpoint Usage (billed)', String(target.billable.total.billableEndpointUsage)],
    ['Unlicensed endpoints (not billed)', String(unlicensed.endpoints)],
  ];
  const half = Math.ceil(totals.length / 2);
  const colW = (width - 20) / 2;
  const drawTotals = (rows: [string, string][], x: number) => {
    let ty = y;
    for (const [k, v] of rows) {
      doc.font(FONT).fontSize(8.5).fillColor('black').text(k, x, ty, { width: colW - 60, lineBreak: false });
      doc.font(FONT_BOLD).text(v, x + colW - 60, ty, { width: 56, align: 'right', lineBreak: false });
      doc.moveTo(x, ty + 11).lineTo(x + colW - 4, ty + 11).lineWidth(0.25).strokeColor('#dddddd').stroke();
      ty += 14;
    }
    return ty;
  };
  y = Math.max(drawTotals(totals.slice(0, half), MARGIN), drawTotals(totals.slice(half), MARGIN + colW + 20)) + 8;

  const legend: [string, string][] = [
    [PDF_NOT_ENABLED, 'not enabled for the company: never billed (the CSV writes "Not enabled")'],
    [RESERVED_SEATS_NOT_ENABLED, 'Reserved Seats: the option is not enabled for the company'],
    [NOT_APPLICABLE, 'not applicable (no subscription, or no end date)'],
    ['Figures', 'each company\'s own use plus every company below it; columns not enabled for any company shown are left out'],
  ];
  doc.font(FONT_BOLD).fontSize(9).fillColor('black').text('How to read this report', MARGIN, y, { lineBreak: false });
  y = facts(doc, legend, MARGIN, y + 14, 50, width) + 10;

  // The chart: add-ons whose column the table shows, so the two agree.
  const shownAddOns = CHART_ADD_ONS.filter((a) => specs.some((s) => s.column === CHART_ADD_ON_COLUMNS[a]));
  if (y + 180 < pages.bottom) drawChart(doc, daily, shownAddOns, MARGIN, y, width, generatedAtMs);

  // ---- 2. Usage table.
  if (!o.onlyEndpointDetails) {
    const withMin = (header: string, numeric: boolean, want?: number) => {
      const w = headerWidths(doc, header, numeric);
      return { header, numeric, min: w.min, width: want ?? w.want };
    };
    const first = withMin('Company', false, 150);
    const rest = [
      withMin('License Type', false, 80),
      ...specs.map((s) => withMin(s.header, true)),
      ...(reserved ? [withMin('Reserved Seats', true)] : []),
      ...(minimum ? [withMin('Minimum Usage', true)] : []),
      withMin('Licence this month', false, 90),
      withMin('Billable Endpoint Usage', true),
      withMin('Unlicensed endpoints (not billed)', true),
    ];
    const minTotal = first.min + rest.reduce((n, c) => n + c.min, 0);
    const portraitWidth = 595.28 - 2 * MARGIN;
    const landscapeWidth = 841.89 - 2 * MARGIN;
    const layout = minTotal <= portraitWidth ? 'portrait' : 'landscape';
    const groups = columnGroups(first, rest, layout === 'portrait' ? portraitWidth : landscapeWidth);
    const cellsOf = (company: ReportCompany) => usageRow(company, specs, { reserved, minimum });
    for (const [g, group] of groups.entries()) {
      const indexes = group.map((c) => (c.header === 'Company' ? 0 : 1 + rest.findIndex((r) => r.header === c.header)));
      const table = new Table(doc, pages, `Usage${groups.length > 1 ? ` (columns, part ${g + 1} of ${groups.length})` : ''}`, group, layout, true);
      await table.start(g === 0 ? `${PRODUCT_TYPE_LABELS[o.productType]}, ${model.month}. Figures are each company's own use plus every company below it. ${PDF_NOT_ENABLED} = not enabled; highlighted rows had activity without a billable licence.` : undefined);
      for (const company of model.companies) {
        const cells = cellsOf(company);
        await table.row(indexes.map((i) => cells[i]), { indent: Math.min(company.depth, 6) * 6, highlight: company.row.unlicensed.total.endpoints > 0 ? PDF_UNLICENSED_HIGHLIGHT : null });
        if (g === 0) progress.row('usage');
      }
    }
    progress.sectionDone('usage');
  }

  // ---- 3. Endpoint details.
  const details = new Table(doc, pages, 'Endpoint details', ENDPOINT_COLUMNS, 'landscape', false);
  await details.start(`Modules: ${MODULE_COLUMN_SPECS.map((m) => `${m.short} = ${m.header}`).join(', ')}. Hardware ID, IP and the endpoint id are in the CSV and XLSX versions.`);
  let any = false;
  for await (const row of endpointRows(model, endpoints)) {
    any = true;
    await details.row(pdfEndpointCells(row), { highlight: row.line.unlicensed ? PDF_UNLICENSED_HIGHLIGHT : null });
    progress.row('endpoints');
  }
  if (!any) await details.row(['No endpoints']);
  progress.sectionDone('endpoints');
  doc.end();
  await finished(out);
}
