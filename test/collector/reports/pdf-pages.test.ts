// The PDF as a person sees it (issue 21): rendered page by page to PNG with
// pdftoppm into test-artifacts/reports/ for a person to look at, and read
// back with pdf.js: A4 pages, a summary page with the month's state and the
// hash of a finalized month, only the columns enabled somewhere, headers that
// never split a word, page numbers, and names outside Windows-1252 as they are.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadReportInput, validateReportOptions, writeReport, type ReportFormat } from '../../../collector/src/reports/index.ts';
import { startTestCollector, type TestCollector } from '../../helpers/collector.ts';
import { commandsAvailable, shouldRun } from '../../helpers/requirements.ts';
import { MONTH, NOW, seed, type Seeded } from '../console/seed.ts';
import { pdfLines } from './read-back.ts';

const ARTIFACTS = join(process.cwd(), 'test-artifacts', 'reports');
const run = shouldRun('PDF pages rendered to PNG (test/collector/reports/pdf-pages.test.ts)', commandsAvailable({ pdftoppm: 'poppler-utils', pdfinfo: 'poppler-utils' }));

let col: TestCollector;
let data: Seeded;
const OCTOBER = '2026-10';
const NON_1252 = 'Gamma Łódź Κλινική Ωmega';

async function render(format: ReportFormat, companyId: string, month: string): Promise<Buffer> {
  const checked = validateReportOptions({ companyId, month });
  if (!checked.ok) throw new Error(checked.error.message);
  const input = await loadReportInput({ adminRead: col.storage.adminRead, reader: col.reader, now: () => NOW }, checked.value, format);
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  await writeReport(format, input, checked.value, out);
  return Buffer.concat(chunks);
}

/** pdftoppm: one PNG per page, for a person to look at; returns the page count and each page's size in points. */
function toPng(pdf: Buffer, name: string): { pages: number; sizes: string[] } {
  mkdirSync(ARTIFACTS, { recursive: true });
  for (const f of readdirSync(ARTIFACTS)) if (f.startsWith(`${name}-`)) rmSync(join(ARTIFACTS, f));
  const file = join(ARTIFACTS, `${name}.pdf`);
  writeFileSync(file, pdf);
  execFileSync('pdftoppm', ['-png', '-r', '70', file, join(ARTIFACTS, name)], { timeout: 60_000 });
  const info = execFileSync('pdfinfo', ['-l', '999', file], { encoding: 'utf8' });
  const sizes = [...info.matchAll(/^Page\s+\d+ size:\s+([\d.]+ x [\d.]+)/gm)].map((m) => m[1]);
  return { pages: readdirSync(ARTIFACTS).filter((f) => f.startsWith(`${name}-`) && f.endsWith('.png')).length, sizes };
}

describe.skipIf(!run)('the PDF report, page by page', () => {
  beforeAll(async () => {
    col = await startTestCollector({ now: () => NOW });
    data = await seed(col.storage);
    await col.storage.tenancy.updateCompany(data.gamma, { name: NON_1252 });
    // October, finalized: the summary page names its hash.
    await col.closer.closeMonth(OCTOBER);
  }, 60_000);
  afterAll(async () => col?.dispose());

  it('a partner\'s month: summary page, then the usage table with the enabled columns only, then the endpoints; A4, numbered', async () => {
    const pdf = await render('pdf', data.south, MONTH);
    const { pages, sizes } = toPng(pdf, 'south-2026-11');
    const { lines } = await pdfLines(pdf);
    const text = lines.map((l) => l.join(' '));
    expect(pages).toBeGreaterThanOrEqual(3);
    // A4: portrait 595 x 842 points, landscape 842 x 595.
    for (const size of sizes) expect(['595.28 x 841.89', '841.89 x 595.28']).toContain(size);
    expect(sizes[0]).toBe('595.28 x 841.89');
    expect(text[0]).toBe('Monthly License Usage');
    expect(text).toContain('South Partner · 2026-11');
    expect(text.some((l) => l.startsWith('Month state Open: the month is running'))).toBe(true);
    // The embedded font prints what Windows-1252 cannot.
    expect(text.some((l) => l.startsWith('Gamma Łódź '))).toBe(true); // the usage table wraps the name at its spaces
    expect(text.some((l) => l.startsWith('Κλινική Ωmega'))).toBe(true);
    expect(text.some((l) => l.startsWith('Gamma Łódź Κλινική'))).toBe(true); // one line in the endpoint details
    // Only columns enabled for some company: no Container Protection (off everywhere), Encryption shown whole.
    for (const off of ['Container Protection Usage', 'Integrity Monitoring Usage', 'XDR Network Usage']) expect(text.some((l) => l.includes(off)), off).toBe(false);
    // Headers wrap at spaces, never inside a word ("Encryptio n", "Manag ement" were the old PDF's).
    expect(text.filter((l) => /\b(Encryptio|Manag|ement|endpoin|Unlicens)\b/.test(l))).toEqual([]);
    expect(text.some((l) => l.includes('Patch Management'))).toBe(true);
    expect(text.some((l) => l.includes('Encryption'))).toBe(true);
    for (let p = 1; p <= pages; p++) expect(text.filter((l) => l.endsWith(`Page ${p}`)).length, `page ${p}`).toBe(1);
    expect(text.some((l) => l.startsWith('Unlicensed activity: 3 endpoints active without a billable licence'))).toBe(true);
  });

  it('a finalized month: the summary page gives the hash it was sealed with', async () => {
    const view = await col.reader.view(OCTOBER);
    const pdf = await render('pdf', data.north, OCTOBER);
    toPng(pdf, 'north-2026-10-finalized');
    const text = (await pdfLines(pdf)).lines.map((l) => l.join(' '));
    expect(text.some((l) => l.startsWith('Month state Finalized: these figures are sealed'))).toBe(true);
    expect(text.some((l) => l.includes(view.finalizedHash!))).toBe(true);
  });
});
