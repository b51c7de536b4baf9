// The PDF version. Seed 003: "As displayed in Control Center, the Monthly
// License Usage report consists mainly of two areas: The chart, which depicts
// the usage of some GravityZone add-ons and services during the month. The
// table, which lists details about companies, license and usage." Then the
// endpoint details, one line per endpoint, modules as short names.
//
// Drawn with pdfkit's vector primitives (lines, rectangles, text in the
// built-in Helvetica): no browser, no network, no font files. Pages are
// written out as they are finished (bufferPages off), and the writer waits
// for the output to drain between pages.
//
// The built-in fonts cover Windows-1252 only: other characters in names are
// shown as '?' (the CSV and XLSX keep them exactly). Some columns are CSV
// only, as in the seed ("Some columns can only be found in the .CSV version
// of the report"): Path, License key, Hardware ID stays, the per-module Yes/No
// columns become one list of short names.
import type PDFKitDocument from 'pdfkit';
import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { UNLICENSED_REASONS, LICENCE_STATE_LABELS } from '../billing/index.ts';
import {
  PRODUCT_TYPE_LABELS, MODULE_COLUMN_SPECS, NOT_ENABLED, USAGE_COLUMN_SPECS, endpointSectionCells, licenceText, usageSectionCells, type Cell,
} from './columns.ts';
import { CHART_ADD_ONS, CHART_ADD_ON_LABELS, type DailyAddOnUsage } from './daily.ts';
import { endpointRows, type EndpointDirectory, type EndpointRow } from './endpoints.ts';
import type { ReportModel } from './model.ts';
import type { ProgressReporter } from './progress.ts';
import { waitForDrain } from './sink.ts';

type Doc = InstanceType<typeof PDFKitDocument>;

const MARGIN = 28;
const FONT = 'Helvetica';
const FONT_BOLD = 'Helvetica-Bold';
const CELL_FONT_SIZE = 6;
const HEADER_FONT_SIZE = 5.5;
const ROW_HEIGHT = 10;
const CELL_PAD = 2;

export const CHART_COLORS: Readonly<Record<(typeof CHART_ADD_ONS)[number], string>> = {
  encryption: '#1f77b4',
  patchManagement: '#ff7f0e',
  integrityMonitoring: '#2ca02c',
  containerProtection: '#d62728',
  ats: '#9467bd',
  edr: '#8c564b',
  sve: '#e377c2',
};

/** Windows-1252 printable characters; anything else would print as garbage in the built-in fonts. */
export function pdfSafeText(text: string): string {
  return text.replace(/[\r\n\t]+/g, ' ').replace(/[^\x20-\x7e\xa0-\xff\u20ac\u2018\u2019\u201c\u201d\u2013\u2014\u2026]/g, '?');
}

interface Column {
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

/** Cuts text to fit a width, with an ellipsis. Cheap: short text is never measured, long text about twice. */
function fit(doc: Doc, text: string, width: number, fontSize: number): string {
  if (text.length * fontSize <= width) return text; // no glyph of Helvetica is wider than 1 em
  const full = doc.widthOfString(text);
  if (full <= width) return text;
  const room = width - doc.widthOfString('...');
  // Start from the proportional cut, then step until it fits.
  let n = Math.max(0, Math.floor((text.length * room) / full));
  while (n < text.length && doc.widthOfString(text.slice(0, n + 1)) <= room) n++;
  while (n > 0 && doc.widthOfString(text.slice(0, n)) > room) n--;
  return text.slice(0, n) + '...';
}

class Table {
  private y = 0;
  private readonly headerHeight: number;

  constructor(
    private readonly doc: Doc,
    private readonly out: Writable,
    private readonly title: string,
    private readonly columns: readonly Column[],
  ) {
    doc.font(FONT_BOLD).fontSize(HEADER_FONT_SIZE);
    this.headerHeight = Math.max(...columns.map((c) => doc.heightOfString(c.header, { width: c.width - 2 * CELL_PAD }))) + 2 * CELL_PAD;
  }

  private get bottom(): number {
    return this.doc.page.height - MARGIN;
  }

  /** Starts the table at the current position (or on a new page if little room is left). */
  async start(): Promise<void> {
    const doc = this.doc;
    if (doc.y + 60 > this.bottom) await this.newPage();
    else this.y = doc.y;
    doc.font(FONT_BOLD).fontSize(11).fillColor('black').text(this.title, MARGIN, this.y, { lineBreak: false });
    this.y += 16;
    this.drawHeader();
  }

  private async newPage(): Promise<void> {
    this.doc.addPage();
    await settle(this.doc, this.out);
    this.y = MARGIN;
  }

  private drawHeader(): void {
    const doc = this.doc;
    doc.rect(MARGIN, this.y, this.width, this.headerHeight).fill('#e8e8e8');
    doc.fillColor('black').font(FONT_BOLD).fontSize(HEADER_FONT_SIZE);
    let x = MARGIN;
    for (const c of this.columns) {
      doc.text(c.header, x + CELL_PAD, this.y + CELL_PAD, { width: c.width - 2 * CELL_PAD });
      x += c.width;
    }
    this.y += this.headerHeight;
  }

  get width(): number {
    return this.columns.reduce((sum, c) => sum + c.width, 0);
  }

  /** One row; `highlight` fills it (unlicensed activity stands out). */
  async row(cells: readonly Cell[], indent = 0, highlight: string | null = null): Promise<void> {
    const doc = this.doc;
    if (this.y + ROW_HEIGHT > this.bottom) {
      await this.newPage();
      doc.font(FONT).fontSize(7).fillColor('#666666').text(`${this.title} (continued)`, MARGIN, this.y, { lineBreak: false });
      this.y += 10;
      this.drawHeader();
    }
    if (highlight) doc.rect(MARGIN, this.y, this.width, ROW_HEIGHT).fill(highlight);
    doc.font(FONT).fontSize(CELL_FONT_SIZE).fillColor('black');
    let x = MARGIN;
    this.columns.forEach((c, i) => {
      const cell = cells[i];
      const inner = c.width - 2 * CELL_PAD - (i === 0 ? indent : 0);
      const text = fit(doc, pdfSafeText(typeof cell === 'number' ? String(cell) : (cell ?? '')), inner, CELL_FONT_SIZE);
      if (text) {
        const tx = c.numeric && typeof cell === 'number' ? x + c.width - CELL_PAD - doc.widthOfString(text) : x + CELL_PAD + (i === 0 ? indent : 0);
        doc.text(text, tx, this.y + 2, { lineBreak: false });
      }
      x += c.width;
    });
    doc.moveTo(MARGIN, this.y + ROW_HEIGHT).lineTo(MARGIN + this.width, this.y + ROW_HEIGHT).lineWidth(0.25).strokeColor('#cccccc').stroke();
    this.y += ROW_HEIGHT;
  }

  end(): void {
    this.doc.x = MARGIN;
    this.doc.y = this.y + 14;
  }
}

/** A round step for about `ticks` gridlines up to max. */
export function niceStep(max: number, ticks = 5): number {
  if (max <= ticks) return 1;
  const raw = max / ticks;
  const pow = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * pow).find((s) => s >= raw)!;
  return step;
}

function drawChart(doc: Doc, daily: DailyAddOnUsage, x0: number, y0: number): number {
  const width = 800;
  const height = 240;
  const legendX = x0 + width + 30;
  doc.font(FONT_BOLD).fontSize(11).fillColor('black').text('Add-on usage through the month (endpoints per UTC day)', x0, y0, { lineBreak: false });
  const top = y0 + 22;
  const left = x0 + 34;
  const plotW = width - 34;
  const plotH = height - 30;
  const max = Math.max(0, ...CHART_ADD_ONS.flatMap((a) => daily.series[a]));
  const step = niceStep(max);
  const yMax = Math.max(step, Math.ceil(max / step) * step);
  const days = daily.days.length;
  const xOf = (i: number) => left + (days <= 1 ? plotW / 2 : (i * plotW) / (days - 1));
  const yOf = (v: number) => top + plotH - (v / yMax) * plotH;

  // Grid and y axis labels.
  doc.font(FONT).fontSize(6).fillColor('#444444');
  for (let v = 0; v <= yMax; v += step) {
    doc.moveTo(left, yOf(v)).lineTo(left + plotW, yOf(v)).lineWidth(0.3).strokeColor(v === 0 ? '#000000' : '#dddddd').stroke();
    const label = String(v);
    doc.text(label, left - 4 - doc.widthOfString(label), yOf(v) - 2.5, { lineBreak: false });
  }
  doc.moveTo(left, top).lineTo(left, top + plotH).lineWidth(0.5).strokeColor('#000000').stroke();
  // X axis: day of month.
  for (let i = 0; i < days; i++) {
    const label = String(i + 1);
    doc.text(label, xOf(i) - doc.widthOfString(label) / 2, top + plotH + 4, { lineBreak: false });
  }
  doc.text(`Day of ${daily.month} (UTC)`, left + plotW / 2 - 30, top + plotH + 14, { lineBreak: false });

  // One polyline per add-on.
  for (const addOn of CHART_ADD_ONS) {
    const values = daily.series[addOn];
    doc.lineWidth(1.2).strokeColor(CHART_COLORS[addOn]);
    values.forEach((v, i) => (i === 0 ? doc.moveTo(xOf(i), yOf(v)) : doc.lineTo(xOf(i), yOf(v))));
    doc.stroke();
    values.forEach((v, i) => doc.circle(xOf(i), yOf(v), 1.1).fill(CHART_COLORS[addOn]));
  }

  // Legend, with each add-on's peak day count.
  doc.font(FONT_BOLD).fontSize(7).fillColor('black').text('Add-on (peak endpoints in a day)', legendX, top, { lineBreak: false });
  CHART_ADD_ONS.forEach((addOn, i) => {
    const ly = top + 14 + i * 12;
    doc.rect(legendX, ly, 10, 6).fill(CHART_COLORS[addOn]);
    const peak = Math.max(0, ...daily.series[addOn]);
    doc.font(FONT).fontSize(7).fillColor('black').text(`${CHART_ADD_ON_LABELS[addOn]} (peak ${peak})`, legendX + 14, ly, { lineBreak: false });
  });
  return top + height + 6;
}

const USAGE_TABLE_COLUMNS: readonly Column[] = [
  { header: 'Company', width: 140, numeric: false },
  { header: 'Company type', width: 44, numeric: false },
  { header: 'License Type', width: 62, numeric: false },
  ...USAGE_COLUMN_SPECS.map((s) => ({ header: s.header, width: 30, numeric: true })),
  { header: 'Reserved Seats', width: 34, numeric: true },
  { header: 'Subscription End Date', width: 48, numeric: false },
  { header: 'Subscription Auto-Renewal', width: 36, numeric: false },
  { header: 'Minimum Usage', width: 36, numeric: true },
  { header: 'Product Type', width: 58, numeric: false },
];

/** The licence table: what was billed and what was active without a billable licence, per shown company (its total). */
const LICENCE_TABLE_COLUMNS: readonly Column[] = [
  { header: 'Company', width: 180, numeric: false },
  { header: 'Company type', width: 50, numeric: false },
  { header: 'Licence this month', width: 170, numeric: false },
  { header: 'Billable Endpoint Usage', width: 70, numeric: true },
  { header: 'Unlicensed endpoints (not billed)', width: 80, numeric: true },
  ...UNLICENSED_REASONS.map((r) => ({ header: `Unlicensed: ${LICENCE_STATE_LABELS[r]}`, width: 70, numeric: true })),
];

/** Light amber: a company with unlicensed activity (itself or below it). */
export const PDF_UNLICENSED_HIGHLIGHT = '#fff1c2';

const ENDPOINT_TABLE_COLUMNS: readonly Column[] = [
  { header: 'Company', width: 120, numeric: false },
  { header: 'Name', width: 120, numeric: false },
  { header: 'Endpoint type', width: 42, numeric: false },
  { header: 'OS type', width: 46, numeric: false },
  { header: 'OS', width: 120, numeric: false },
  { header: 'Uptime (s)', width: 50, numeric: true },
  { header: 'Hardware ID', width: 160, numeric: false },
  { header: 'IP', width: 110, numeric: false },
  { header: `Modules and add-ons (${MODULE_COLUMN_SPECS.map((m) => `${m.short} = ${m.header}`).join(', ')})`, width: 276, numeric: false },
  { header: 'Billed', width: 30, numeric: false },
  { header: 'Unlicensed (not billed)', width: 60, numeric: false },
];

/** The PDF cells of an endpoint: the CSV's cells, Yes/No module columns folded into one list of short names, then Billed and Unlicensed. */
export function pdfEndpointCells(row: EndpointRow): Cell[] {
  const cells = endpointSectionCells(row);
  const modules = MODULE_COLUMN_SPECS.filter((_, i) => cells[8 + i] === 'Yes').map((m) => m.short).join(' ');
  const after = 8 + MODULE_COLUMN_SPECS.length; // Active days, Billed, Billing note, Unlicensed, Endpoint ID
  return [...cells.slice(0, 8), modules || '-', cells[after + 1], cells[after + 3]];
}

/** Too wide for a 30 pt column: the PDF writes "Not enabled" as this, and says so in the table title. */
export const PDF_NOT_ENABLED = 'n/e';

/** The PDF cells of a company: the CSV's, without Path, License key and Month (shown in the title). */
export function pdfUsageCells(cells: readonly Cell[]): Cell[] {
  return [cells[1], cells[2], cells[4], ...cells.slice(6)].map((c) => (c === NOT_ENABLED ? PDF_NOT_ENABLED : c));
}

export async function writePdf(model: ReportModel, daily: DailyAddOnUsage, endpoints: EndpointDirectory, out: Writable, progress: ProgressReporter, generatedAtMs: number): Promise<void> {
  // Loaded when a PDF is written: pdfkit takes long to load, and most collector starts never write one.
  const { default: PDFDocument } = await import('pdfkit');
  const doc = new PDFDocument({
    size: 'A3', layout: 'landscape', margin: MARGIN, bufferPages: false, compress: true,
    info: { Title: `Monthly License Usage ${model.month} - ${pdfSafeText(model.target.name)}`, Creator: 'Tally', CreationDate: new Date(generatedAtMs) },
  });
  doc.pipe(out);
  const o = model.options;
  doc.font(FONT_BOLD).fontSize(16).fillColor('black').text('Monthly License Usage', MARGIN, MARGIN, { lineBreak: false });
  doc.font(FONT).fontSize(9).text(
    pdfSafeText(`${model.target.name} - ${model.month} - ${PRODUCT_TYPE_LABELS[o.productType]} - ${model.finalized ? 'finalized' : 'not finalized (figures may still change)'}`),
    MARGIN, MARGIN + 20, { lineBreak: false },
  );
  const filters = [
    o.onlyEndpointDetails ? 'only endpoint details' : null,
    o.onlyDirectCompanies ? 'only direct companies' : null,
    o.registeredBetween ? `only new customer companies registered ${o.registeredBetween.from} to ${o.registeredBetween.to}` : null,
  ].filter(Boolean);
  doc.fontSize(7).fillColor('#444444').text(
    `Generated ${new Date(generatedAtMs).toISOString()}. Options: ${filters.length ? filters.join('; ') : 'none'}. Figures are company totals (own use plus every company below).`,
    MARGIN, MARGIN + 33, { lineBreak: false },
  );

  const unlicensed = model.target.unlicensed.total.endpoints;
  if (unlicensed > 0) {
    doc.font(FONT_BOLD).fontSize(9).fillColor('#9a3412').text(
      `Unlicensed activity: ${unlicensed} endpoint(s) active without a billable licence this month, not billed (see the Licence table).`,
      MARGIN + 420, MARGIN + 4, { lineBreak: false },
    );
  }
  const afterChart = drawChart(doc, daily, MARGIN, MARGIN + 52);
  doc.x = MARGIN;
  doc.y = afterChart + 10;

  if (!o.onlyEndpointDetails) {
    const table = new Table(doc, out, `Usage (${PDF_NOT_ENABLED} = not enabled for the company)`, USAGE_TABLE_COLUMNS);
    await table.start();
    for (const company of model.companies) {
      await table.row(pdfUsageCells(usageSectionCells(company)), Math.min(company.depth, 6) * 6);
      progress.row('usage');
    }
    table.end();
    progress.sectionDone('usage');

    // Kept apart from the usage table, which counts activity: what was billed, and what ran without a billable licence.
    const unlicensedTotal = model.target.unlicensed.total.endpoints;
    const licence = new Table(doc, out, `Licence: billed endpoints and unlicensed activity (active without a billable licence, never billed)${unlicensedTotal ? ` - ${unlicensedTotal} unlicensed endpoint(s), highlighted` : ' - none'}`, LICENCE_TABLE_COLUMNS);
    await licence.start();
    for (const company of model.companies) {
      const row = company.row;
      await licence.row([
        row.name, row.companyType === 'partner' ? 'Partner' : 'Customer', licenceText(row), row.billable.total.billableEndpointUsage, row.unlicensed.total.endpoints,
        ...UNLICENSED_REASONS.map((r) => row.unlicensed.total.byReason[r]),
      ], Math.min(company.depth, 6) * 6, row.unlicensed.total.endpoints > 0 ? PDF_UNLICENSED_HIGHLIGHT : null);
    }
    licence.end();
  }

  const details = new Table(doc, out, 'Endpoint details', ENDPOINT_TABLE_COLUMNS);
  await details.start();
  let any = false;
  for await (const row of endpointRows(model, endpoints)) {
    any = true;
    await details.row(pdfEndpointCells(row));
    progress.row('endpoints');
  }
  if (!any) await details.row(['No endpoints']);
  details.end();
  progress.sectionDone('endpoints');
  doc.end();
  await finished(out);
}
