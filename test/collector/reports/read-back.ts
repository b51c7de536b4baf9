// Reading the written files back the way a user's tools would: csv-parse for
// CSV, exceljs for XLSX, pdf.js for the PDF's text.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { CSV_ENDPOINT_SECTION_TITLE, CSV_UNLICENSED_SECTION_TITLE, CSV_USAGE_SECTION_TITLE } from '../../../collector/src/reports/index.ts';

export interface Section {
  header: string[];
  rows: Record<string, string>[];
}

export function parseCsv(buf: Buffer): string[][] {
  return parse(buf, { bom: true, relax_column_count: true }) as string[][];
}

/** Splits the report CSV into its sections: a title line, a header line, rows until an empty line. */
export function csvSections(buf: Buffer): { usage: Section | null; unlicensed: Section | null; endpoints: Section | null; records: string[][] } {
  const records = parseCsv(buf);
  const section = (title: string): Section | null => {
    const at = records.findIndex((r) => r.length === 1 && r[0] === title);
    if (at < 0) return null;
    const header = records[at + 1];
    const rows: Record<string, string>[] = [];
    for (let i = at + 2; i < records.length && !(records[i].length === 1 && records[i][0] === ''); i++) {
      rows.push(Object.fromEntries(header.map((h, j) => [h, records[i][j]])));
    }
    return { header, rows };
  };
  return { usage: section(CSV_USAGE_SECTION_TITLE), unlicensed: section(CSV_UNLICENSED_SECTION_TITLE), endpoints: section(CSV_ENDPOINT_SECTION_TITLE), records };
}

export async function xlsxSheets(buf: Buffer): Promise<Map<string, (string | number | null)[][]>> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buf as unknown as ArrayBuffer);
  const sheets = new Map<string, (string | number | null)[][]>();
  wb.eachSheet((ws) => {
    const rows: (string | number | null)[][] = [];
    ws.eachRow({ includeEmpty: false }, (row) => {
      // exceljs rows are 1-based and sparse (an empty string cell is a hole): Array.from visits the holes.
      const values = Array.from(row.values as unknown[]).slice(1);
      rows.push(values.map((v) => (v === undefined || v === null ? null : (v as string | number))));
    });
    sheets.set(ws.name, rows);
  });
  return sheets;
}

const STANDARD_FONTS = join(dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json')), 'standard_fonts') + '/';

/** The PDF's text, page by page, as lines: items on the same baseline, left to right. */
export async function pdfLines(buf: Buffer): Promise<{ pages: number; lines: string[][] }> {
  const doc = await getDocument({ data: new Uint8Array(buf), standardFontDataUrl: STANDARD_FONTS, disableFontFace: true, useSystemFonts: false, isEvalSupported: false }).promise;
  const lines: string[][] = [];
  for (let p = 1; p <= doc.numPages; p++) {
    const page = await doc.getPage(p);
    const content = await page.getTextContent();
    const byY = new Map<number, { x: number; s: string }[]>();
    for (const item of content.items) {
      if (!('str' in item) || !item.str.trim()) continue;
      const y = Math.round(item.transform[5]);
      let l = byY.get(y);
      if (!l) byY.set(y, (l = []));
      l.push({ x: item.transform[4], s: item.str.trim() });
    }
    for (const y of [...byY.keys()].sort((a, b) => b - a)) lines.push(byY.get(y)!.sort((a, b) => a.x - b.x).map((i) => i.s));
  }
  const pages = doc.numPages;
  await doc.destroy();
  return { pages, lines };
}
