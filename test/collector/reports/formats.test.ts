// The report files as users open them: CSV through csv-parse, XLSX through
// exceljs, PDF through pdf.js, and every figure checked against the billing
// engine's own report for the same input.
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import type { MonthlyUsageReport, ProductType } from '../../../collector/src/billing/index.ts';
import {
  ENDPOINT_SECTION_HEADERS, NOT_ENABLED, ReportError, UNLICENSED_SECTION_HEADERS, USAGE_COLUMN_SPECS, USAGE_SECTION_HEADERS, XLSX_ENDPOINT_SHEET,
  XLSX_UNLICENSED_SHEET, XLSX_USAGE_SHEET, XLSX_NOT_ENABLED_HEADER,
  dailyAddOnUsage, writeReport, type RawReportOptions, type ReportFormat, type ReportInput,
} from '../../../collector/src/reports/index.ts';
import { at, billingReport, collector, company, deviceDay, mapDirectory, options, reportInput, seedEdrExample, subscription, type Scenario } from './fixtures.ts';
import { csvSections, parseCsv, pdfLines, xlsxSheets } from './read-back.ts';

const DIRECTORY = mapDirectory({
  d1: { hostname: 'd-laptop-1', os: 'Windows 11 Pro 23H2', hardwareId: '4c4c4544-0042', ip: '10.0.0.11, fe80::1' },
  a1: { hostname: 'a-desk-1', os: 'Ubuntu 22.04', hardwareId: 'SER-1', ip: '192.168.1.5' },
});

async function render(format: ReportFormat, input: ReportInput, raw: RawReportOptions): Promise<Buffer> {
  const { out, done } = collector();
  await writeReport(format, input, options(raw), out);
  return done;
}

function rowByCompany(report: MonthlyUsageReport, name: string) {
  return report.rows.find((r) => r.name === name)!;
}

/** Every usage cell of a CSV row against the engine's totals: the number, or "Not enabled" for an add-on that is off and unused. */
function expectUsageMatchesEngine(csvRow: Record<string, string>, report: MonthlyUsageReport) {
  const row = rowByCompany(report, csvRow['Company']);
  for (const spec of USAGE_COLUMN_SPECS) {
    const value = row.total[spec.column];
    const expected = spec.feature && !row.enabled[spec.feature] && value === 0 ? NOT_ENABLED : String(value);
    expect({ company: row.name, column: spec.header, cell: csvRow[spec.header] }).toEqual({ company: row.name, column: spec.header, cell: expected });
  }
}

describe('CSV: the seed EDR example (Partner 1, Customers A-D)', () => {
  const s = seedEdrExample();

  it('EDR report: D shows 3, Partner 1 shows 3, A-C show 0; endpoint details list D\'s three endpoints', async () => {
    const input = reportInput(s, 'edr', DIRECTORY);
    const { usage, endpoints } = csvSections(await render('csv', input, { companyId: 'partner-1', productType: 'edr' }));
    expect(usage!.header).toEqual(USAGE_SECTION_HEADERS);
    const endpointUsage = Object.fromEntries(usage!.rows.map((r) => [r['Company'], r['Endpoint Usage']]));
    expect(endpointUsage).toEqual({ 'Partner 1': '3', 'Customer A': '0', 'Customer B': '0', 'Customer C': '0', 'Customer D': '3' });
    for (const r of usage!.rows) expectUsageMatchesEngine(r, input.report);
    // "All these modules are part of Bitdefender EDR as product type, so they do no generate additional usage."
    expect(usage!.rows.find((r) => r['Company'] === 'Customer D')!['EDR Usage']).toBe('0');
    expect(usage!.rows.find((r) => r['Company'] === 'Customer D')!['Product Type']).toBe('Bitdefender EDR');
    expect(usage!.rows.find((r) => r['Company'] === 'Partner 1')!['Product Type']).toBe('Endpoint Protection');

    expect(endpoints!.header).toEqual(ENDPOINT_SECTION_HEADERS);
    expect(endpoints!.rows.map((r) => r['Endpoint ID'])).toEqual(['d1', 'd2', 'd3']);
    // "endpoints list with the following usage per module: Advanced Threat Control, Content Control, Network Attack Defense, and Endpoint Detection and Response"
    const d1 = endpoints!.rows[0];
    expect(d1).toMatchObject({
      Company: 'Customer D', Name: 'd-laptop-1', 'Endpoint type': 'Physical', 'OS type': 'Workstation', OS: 'Windows 11 Pro 23H2',
      Uptime: '3600', 'Hardware ID': '4c4c4544-0042', IP: '10.0.0.11, fe80::1',
      'Advanced Threat Control': 'Yes', 'Content Control': 'Yes', 'Network Attack Defense': 'Yes', 'Endpoint Detection and Response': 'Yes',
      Firewall: 'No', 'Full Disk Encryption': 'No', ATS: 'No', Billed: 'Yes',
    });
    // An endpoint the directory does not know is shown by its id, with empty facts.
    expect(endpoints!.rows[1]).toMatchObject({ Name: 'd2', OS: '', 'Hardware ID': '', IP: '' });
  });

  it('Endpoint Security report: figures, license fields and the "not enabled" markers as the seed names them', async () => {
    const input = reportInput(s, 'endpoint_security', DIRECTORY);
    const { usage, endpoints } = csvSections(await render('csv', input, { companyId: 'partner-1' }));
    for (const r of usage!.rows) expectUsageMatchesEngine(r, input.report);
    const by = Object.fromEntries(usage!.rows.map((r) => [r['Company'], r]));
    expect(by['Partner 1']).toMatchObject({ Path: 'Partner 1', 'Company type': 'Partner', 'License Type': 'Monthly License', 'Endpoint Usage': '5', 'A la carte Usage': '5', Month: '2024-03' });
    // Partner 1 did not enable encryption for itself, but Customer A used it: the partner's total shows the units, never "Not enabled".
    expect(by['Partner 1']['Encryption Usage']).toBe('2');
    expect(by['Customer A']).toMatchObject({
      Path: 'Partner 1 / Customer A', 'Company type': 'Customer', 'License key': 'KEY-customer-a', 'License Type': 'Monthly Subscription',
      'Encryption Usage': '2', 'Patch Management Usage': NOT_ENABLED,
      'Reserved Seats': '10', 'Subscription End Date': '2024-12-31', 'Subscription Auto-Renewal': 'Yes', 'Minimum Usage': '5', 'Product Type': 'Endpoint Protection',
    });
    // "The table will show * if the option is not enabled"; "N/A if the option is not enabled"
    expect(by['Customer B']).toMatchObject({ 'Reserved Seats': '*', 'Subscription End Date': 'N/A', 'Subscription Auto-Renewal': 'No', 'Minimum Usage': NOT_ENABLED, 'Encryption Usage': NOT_ENABLED });
    expect(by['Customer C']['License Type']).toBe('Monthly License Trial');
    // Customer D is billed in the EDR report: its endpoints are listed there, not here.
    expect(by['Customer D']['Endpoint Usage']).toBe('0');
    expect(endpoints!.rows.map((r) => r['Endpoint ID'])).toEqual(['p1-own', 'a1', 'a2', 'b1', 'c1']);
    // a1 was protected two days: 7,200 s of uptime, Full Disk Encryption = Yes.
    expect(endpoints!.rows[1]).toMatchObject({ Name: 'a-desk-1', Uptime: '7200', 'Active days': '2', 'Full Disk Encryption': 'Yes', OS: 'Ubuntu 22.04' });
    expect(endpoints!.rows.filter((r) => r['Full Disk Encryption'] === 'Yes')).toHaveLength(Number(by['Partner 1']['Encryption Usage']));
  });

  it('only endpoint details: no usage section, the same endpoint rows', async () => {
    const input = reportInput(s, 'endpoint_security', DIRECTORY);
    const { usage, endpoints, records } = csvSections(await render('csv', input, { companyId: 'partner-1', onlyEndpointDetails: true }));
    expect(usage).toBeNull();
    expect(records[0]).toEqual(['Endpoint details']);
    expect(endpoints!.rows).toHaveLength(5);
  });

  it('refuses a target company that is not in the month\'s report', async () => {
    const input = reportInput(s, 'edr', DIRECTORY);
    const { out } = collector();
    const err = await writeReport('csv', input, options({ companyId: 'nobody', productType: 'edr' }), out).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ReportError);
    expect((err as ReportError).code).toBe('unknown_company');
  });

  it('refuses a billing report of another product type than the request\'s', async () => {
    const input = reportInput(s, 'edr', DIRECTORY);
    const { out } = collector();
    const err = await writeReport('csv', input, options({ companyId: 'partner-1', productType: 'endpoint_security' }), out).catch((e: unknown) => e);
    expect((err as ReportError).code).toBe('report_mismatch');
  });
});

describe('company selection', () => {
  // Partner 1 -> Customers A-D and Sub-partner -> Customer E (registered in February).
  const base = seedEdrExample();
  const s: Scenario = {
    companies: [
      ...base.companies,
      company('sub-partner', { name: 'Sub-partner', type: 'partner', parentId: 'partner-1', path: ['partner-1', 'sub-partner'], registeredAtMs: at('2023-05-01T00:00:00Z') }),
      company('customer-e', { name: 'Customer E', parentId: 'sub-partner', path: ['partner-1', 'sub-partner', 'customer-e'], registeredAtMs: at('2024-02-10T00:00:00Z') }),
    ],
    subscriptions: [...base.subscriptions, subscription('sub-partner'), subscription('customer-e')],
    deviceDays: [...base.deviceDays, deviceDay('e1', 'customer-e', '2024-03-10'), deviceDay('e2', 'customer-e', '2024-03-11')],
  };
  const companiesOf = async (raw: RawReportOptions) => csvSections(await render('csv', reportInput(s, 'endpoint_security', DIRECTORY), raw)).usage!.rows.map((r) => r['Company']);

  it('the whole subtree by default, depth first, siblings by name', async () => {
    expect(await companiesOf({ companyId: 'partner-1' })).toEqual(['Partner 1', 'Customer A', 'Customer B', 'Customer C', 'Customer D', 'Sub-partner', 'Customer E']);
  });

  it('a target shows only itself and what is below it', async () => {
    const { usage, endpoints } = csvSections(await render('csv', reportInput(s, 'endpoint_security', DIRECTORY), { companyId: 'sub-partner' }));
    expect(usage!.rows.map((r) => [r['Company'], r['Path'], r['Endpoint Usage']])).toEqual([
      ['Sub-partner', 'Partner 1 / Sub-partner', '2'],
      ['Customer E', 'Partner 1 / Sub-partner / Customer E', '2'],
    ]);
    expect(endpoints!.rows.map((r) => r['Endpoint ID'])).toEqual(['e1', 'e2']);
  });

  it('only direct companies: the first level under the target, each with its whole subtree\'s total', async () => {
    const { usage, endpoints } = csvSections(await render('csv', reportInput(s, 'endpoint_security', DIRECTORY), { companyId: 'partner-1', onlyDirectCompanies: true }));
    expect(usage!.rows.map((r) => r['Company'])).toEqual(['Partner 1', 'Customer A', 'Customer B', 'Customer C', 'Customer D', 'Sub-partner']);
    expect(usage!.rows.find((r) => r['Company'] === 'Sub-partner')!['Endpoint Usage']).toBe('2');
    expect(endpoints!.rows.map((r) => r['Endpoint ID'])).not.toContain('e1');
  });

  it('only new customer companies: registered from the start date through the end date, both included', async () => {
    // B registered 2024-02-01T00:00, C 2024-02-29T23:59:59, E 2024-02-10, D 2024-03-01T00:00 (one instant too late).
    expect(await companiesOf({ companyId: 'partner-1', registeredFrom: '2024-02-01', registeredTo: '2024-02-29' })).toEqual(['Customer B', 'Customer C', 'Customer E']);
    expect(await companiesOf({ companyId: 'partner-1', registeredFrom: '2024-02-02', registeredTo: '2024-02-28' })).toEqual(['Customer E']);
  });
});

describe('hostile names survive every format', () => {
  const names = ['=cmd|\' /C calc\'!A0', '+SUM(1,2)', '-2+3', '@A1', 'Acme, "Inc."\nSecond line', ' padded '];
  const s: Scenario = {
    companies: [
      company('root', { name: 'Root', type: 'partner', path: ['root'] }),
      ...names.map((name, i) => company(`c${i}`, { name, parentId: 'root', path: ['root', `c${i}`] })),
    ],
    subscriptions: [subscription('root'), ...names.map((_, i) => subscription(`c${i}`))],
    deviceDays: names.map((_, i) => deviceDay(`dev${i}`, `c${i}`, '2024-03-02')),
  };
  const hostileDirectory = mapDirectory(Object.fromEntries(names.map((name, i) => [`dev${i}`, { hostname: name, os: 'OS, "quoted"', hardwareId: '=1+1', ip: '10.0.0.1' }])));
  const input = () => reportInput(s, 'endpoint_security', hostileDirectory);

  it('CSV: each name is one field, text intact, with a quote before =, +, - and @', async () => {
    const { usage, endpoints } = csvSections(await render('csv', input(), { companyId: 'root' }));
    const guarded = (n: string) => (/^[=+\-@]/.test(n) ? `'${n}` : n);
    const shown = usage!.rows.slice(1).map((r) => r['Company']);
    expect([...shown].sort()).toEqual(names.map(guarded).sort());
    for (const r of usage!.rows) expect(Object.keys(r)).toHaveLength(USAGE_SECTION_HEADERS.length);
    const byId = Object.fromEntries(endpoints!.rows.map((r) => [r['Endpoint ID'], r]));
    names.forEach((name, i) => {
      expect(byId[`dev${i}`]).toMatchObject({ Name: guarded(name), Company: guarded(name), OS: 'OS, "quoted"', 'Hardware ID': "'=1+1" });
    });
    // Every record has the header's width: nothing leaked into a neighbouring cell.
    expect(new Set(endpoints!.rows.map((r) => Object.values(r).filter((v) => v !== undefined).length))).toEqual(new Set([ENDPOINT_SECTION_HEADERS.length]));
  });

  it('XLSX: names stored exactly, as text (never formulas), numbers as numbers', async () => {
    const sheets = await xlsxSheets(await render('xlsx', input(), { companyId: 'root' }));
    const usage = sheets.get(XLSX_USAGE_SHEET)!;
    expect(usage.slice(2, -1).map((r) => r[1]).sort()).toEqual([...names].sort());
    expect(usage[1][USAGE_SECTION_HEADERS.indexOf('Endpoint Usage')]).toBe(6);
    const details = sheets.get(XLSX_ENDPOINT_SHEET)!;
    expect(details.slice(1, -1).map((r) => r[ENDPOINT_SECTION_HEADERS.indexOf('Hardware ID')])).toEqual(names.map(() => '=1+1'));
  });

  it('PDF: renders, one line per company, newlines flattened', async () => {
    const { lines } = await pdfLines(await render('pdf', input(), { companyId: 'root' }));
    const flat = lines.map((l) => l.join(' '));
    expect(flat.some((l) => l.startsWith('Acme, "Inc." Second line'))).toBe(true);
    expect(flat.some((l) => l.startsWith("=cmd|' /C calc'!A0"))).toBe(true);
  });
});

describe('XLSX has the CSV\'s content', () => {
  it.each(['edr', 'endpoint_security'] as ProductType[])('%s: same headers and cells on two sheets', async (productType) => {
    const s = seedEdrExample();
    const input = reportInput(s, productType, DIRECTORY);
    const csv = csvSections(await render('csv', input, { companyId: 'partner-1', productType }));
    const sheets = await xlsxSheets(await render('xlsx', input, { companyId: 'partner-1', productType }));
    expect([...sheets.keys()]).toEqual([XLSX_USAGE_SHEET, XLSX_UNLICENSED_SHEET, XLSX_ENDPOINT_SHEET]);
    const asText = (rows: (string | number | null)[][]) => rows.map((r) => r.map((v) => (v === null ? '' : typeof v === 'object' ? String((v as { result: unknown }).result) : String(v))));
    const csvRows = (sec: NonNullable<typeof csv.usage>) => [sec.header, ...sec.rows.map((r) => sec.header.map((h) => r[h]))];
    const pad = (rows: string[][], width: number) => rows.map((r) => [...r, ...Array(Math.max(0, width - r.length)).fill('')]);
    // Usage: the CSV's cells, but a mark that is not a number leaves its cell empty and is named in the last column; then the totals row.
    const usageSheet = pad(asText(sheets.get(XLSX_USAGE_SHEET)!), USAGE_SECTION_HEADERS.length + 1);
    const usageCsv = csvRows(csv.usage!);
    expect(usageSheet[0]).toEqual([...usageCsv[0], XLSX_NOT_ENABLED_HEADER]);
    usageCsv.slice(1).forEach((row, r) => {
      const marks = USAGE_SECTION_HEADERS.filter((h, i) => (row[i] === NOT_ENABLED || row[i] === '*') && h !== 'Company');
      expect(usageSheet[r + 1]).toEqual([...row.map((v) => (v === NOT_ENABLED || v === '*' ? '' : v)), marks.join(', ')]);
    });
    const totals = usageSheet[usageCsv.length];
    expect(totals[0]).toBe('Total: Partner 1 and the companies below it');
    expect(totals[USAGE_SECTION_HEADERS.indexOf('Endpoint Usage')]).toBe(usageCsv[1][USAGE_SECTION_HEADERS.indexOf('Endpoint Usage')]);
    expect(usageSheet).toHaveLength(usageCsv.length + 1);
    expect(asText(sheets.get(XLSX_UNLICENSED_SHEET)!)).toEqual(csvRows(csv.unlicensed!));
    // Customer C's trial endpoint is unlicensed activity in the Endpoint Security report, and nowhere in the EDR one.
    expect(csv.unlicensed!.rows.map((r) => r['Company'])).toEqual(productType === 'edr' ? [] : ['Partner 1', 'Customer C']);
    // Endpoints: the CSV's cells with uptime in hours, then a totals row (SUBTOTALs that follow the filter).
    const uptime = ENDPOINT_SECTION_HEADERS.indexOf('Uptime');
    const details = pad(asText(sheets.get(XLSX_ENDPOINT_SHEET)!), ENDPOINT_SECTION_HEADERS.length);
    const detailsCsv = csvRows(csv.endpoints!).map((r, i) => (i === 0 ? r.map((h, j) => (j === uptime ? 'Uptime (hours)' : h)) : r.map((v, j) => (j === uptime ? String(Math.round(Number(v) / 360) / 10) : v))));
    expect(details.slice(0, -1)).toEqual(detailsCsv);
    expect(details.at(-1)!.slice(0, 2)).toEqual(['Total (rows shown)', String(detailsCsv.length - 1)]);
    // Figures are numeric cells, not text.
    expect(typeof sheets.get(XLSX_USAGE_SHEET)![1][USAGE_SECTION_HEADERS.indexOf('Endpoint Usage')]).toBe('number');
  });
});

describe('PDF', () => {
  it('EDR report: a summary page, then the usage table with the engine\'s figures in the enabled columns only, then the endpoints', async () => {
    const s = seedEdrExample();
    const input = reportInput(s, 'edr', DIRECTORY);
    const { pages, lines } = await pdfLines(await render('pdf', input, { companyId: 'partner-1', productType: 'edr' }));
    expect(pages).toBe(3);
    expect(lines[0]).toEqual(['Monthly License Usage']);
    const shown = USAGE_COLUMN_SPECS.filter((spec) => input.report.rows.some((r) => !(spec.feature && !r.enabled[spec.feature] && r.total[spec.column] === 0)));
    expect(shown.length).toBeLessThan(USAGE_COLUMN_SPECS.length);
    for (const name of ['Partner 1', 'Customer A', 'Customer B', 'Customer C', 'Customer D']) {
      const line = lines.find((l) => l[0] === name && /Monthly|N\/A/.test(l[1] ?? ''))!;
      const row = rowByCompany(input.report, name);
      // Company, License Type, then the shown usage columns in order (the License Type may wrap onto a second line).
      const figures = line.slice(line.findIndex((c, i) => i > 1 && /^(\d+|n\/e)$/.test(c))).slice(0, shown.length);
      expect(figures.map((c) => (c === 'n/e' ? NOT_ENABLED : c))).toEqual(
        shown.map((spec) => (spec.feature && !row.enabled[spec.feature] && row.total[spec.column] === 0 ? NOT_ENABLED : String(row.total[spec.column]))),
      );
    }
    expect(lines.find((l) => l[0] === 'Customer D' && l[1] === 'd-laptop-1')).toEqual(
      ['Customer D', 'd-laptop-1', 'Physical workstation', 'Windows 11 Pro 23H2', '1', '1', 'ATC CC NAD EDR', 'Yes', 'billed here'],
    );
  });

  it('Endpoint Security report: the summary page warns about unlicensed activity; its rows and endpoints are marked', async () => {
    const input = reportInput(seedEdrExample(), 'endpoint_security', DIRECTORY);
    const { lines } = await pdfLines(await render('pdf', input, { companyId: 'partner-1' }));
    const flat = lines.map((l) => l.join(' '));
    expect(flat.some((l) => l.startsWith('Unlicensed activity: 1 endpoint active without a billable licence this month, not billed (Trial 1).'))).toBe(true);
    expect(flat.some((l) => /Billable Endpoint Usage \(billed\) 7\b/.test(l))).toBe(true);
    expect(flat.some((l) => /Unlicensed endpoints \(not billed\) 1\b/.test(l))).toBe(true);
    // Company, License Type, figures..., Licence this month, Billable Endpoint Usage, Unlicensed endpoints.
    expect(lines.find((l) => l[0] === 'Customer C' && l.includes('Trial'))!.slice(-3)).toEqual(['Trial', '0', '1']);
    expect(lines.find((l) => l[0] === 'Customer A' && l.includes('Billable'))!.slice(-3)).toEqual(['Billable', '5', '0']);
    expect(lines.find((l) => l[0] === 'Customer C' && l[1] === 'c1')!.slice(-2)[0]).toBe('No');
  });

  it('draws the add-on chart from the daily counts, only for the add-ons the table shows: the legend gives each one\'s peak day', async () => {
    const s = seedEdrExample();
    const input = reportInput(s, 'endpoint_security', DIRECTORY);
    // a1 on the 4th and 5th, a2 on the 5th: two endpoints with encryption on 2024-03-05.
    expect(input.dailyAddOnUsage!.series.encryption.slice(2, 6)).toEqual([0, 1, 2, 0]);
    const { lines } = await pdfLines(await render('pdf', input, { companyId: 'partner-1' }));
    const flat = lines.map((l) => l.join(' '));
    expect(flat).toContain('Encryption (peak 2)');
    expect(flat.some((l) => l.startsWith('1 5 10 15 20 25') && l.endsWith('31'))).toBe(true); // x axis: days of March
    // Whole numbers on the y axis: the chart counts endpoints.
    expect(flat.some((l) => /\b0\.\d/.test(l) && l.length < 6)).toBe(false);
  });

  it('breaks long tables over pages, repeating the header, and numbers every page', async () => {
    const s = seedEdrExample();
    const many: Scenario = { ...s, deviceDays: [...s.deviceDays, ...Array.from({ length: 250 }, (_, i) => deviceDay(`bulk-${String(i).padStart(3, '0')}`, 'customer-b', '2024-03-12'))] };
    const { pages, lines } = await pdfLines(await render('pdf', reportInput(many, 'endpoint_security', DIRECTORY), { companyId: 'partner-1' }));
    expect(pages).toBeGreaterThan(3);
    // Summary and usage pages come first; every later page continues the endpoint table under its header.
    expect(lines.filter((l) => l[0] === 'Endpoint details (continued)').length).toBe(pages - 3);
    expect(lines.filter((l) => l[0] === 'Company' && l[1] === 'Name').length).toBe(pages - 2);
    expect(lines.filter((l) => l[1]?.startsWith('bulk-')).length).toBe(250);
    for (let p = 1; p <= pages; p++) expect(lines.filter((l) => l.at(-1) === `Page ${p}`).length).toBe(1);
  });
});


describe('dailyAddOnUsage', () => {
  it('counts distinct protected devices per UTC day and add-on; repeats, sleep, other months and other companies do not count', () => {
    const rows = [
      deviceDay('x', 'c1', '2024-03-01', { modules: ['full_disk_encryption', 'hyperdetect'] }),
      deviceDay('x', 'c1', '2024-03-01', { modules: ['sandbox_analyzer'] }), // same device and day: once
      deviceDay('y', 'c1', '2024-03-01', { modules: ['sandbox_analyzer', 'edr_sensor'] }),
      deviceDay('z', 'c1', '2024-03-02', { modules: ['full_disk_encryption'], awakeSeconds: 0 }), // asleep all day
      deviceDay('w', 'c2', '2024-03-02', { modules: ['full_disk_encryption'] }), // outside the companies asked for
      deviceDay('v', 'c1', '2024-04-01', { modules: ['full_disk_encryption'] }), // April
      deviceDay('u', 'c1', '2024-03-31', { modules: ['central_scan', 'patch_management'], uninstalledAtMs: at('2024-03-30T10:00:00Z') }),
    ];
    const d = dailyAddOnUsage('2024-03', rows, new Set(['c1']));
    expect(d.days).toHaveLength(31);
    expect(d.days[0]).toBe('2024-03-01');
    expect(d.series.encryption.slice(0, 2)).toEqual([1, 0]);
    expect(d.series.ats[0]).toBe(2);
    expect(d.series.edr[0]).toBe(1);
    expect(d.series.sve[30]).toBe(0); // uninstalled the day before
    expect(d.series.patchManagement.reduce((a, b) => a + b, 0)).toBe(0);
    expect(dailyAddOnUsage('2024-03', rows).series.encryption[1]).toBe(1); // w counts without a company filter
  });
});

describe('CSV formula guard, whatever separator the spreadsheet splits on', () => {
  // Issue 21: `Acme;=cmd|' /C calc'!A0` was written unquoted, a formula where ';' is the list separator; fullwidth ＝ passed too.
  const names = ["Acme;=cmd|' /C calc'!A0", '\uFF1D1+1', '\uFF20SUM(A1)', ' =1+1', 'Tab\t=2+2', 'Pipe|+3', 'Semi; @A1', 'Comma,-4+1'];
  const s: Scenario = {
    companies: [company('root', { name: 'Root', type: 'partner', path: ['root'] }), ...names.map((name, i) => company(`c${i}`, { name, parentId: 'root', path: ['root', `c${i}`] }))],
    subscriptions: [subscription('root'), ...names.map((_, i) => subscription(`c${i}`))],
    deviceDays: names.map((_, i) => deviceDay(`dev${i}`, `c${i}`, '2024-03-02')),
  };
  const directory = mapDirectory(Object.fromEntries(names.map((name, i) => [`dev${i}`, { hostname: name, os: name, hardwareId: '=1+1', ip: '10.0.0.1' }])));
  const TRIGGER = /^[=+\-@\uFF1D\uFF0B\uFF0D\uFF20\t\r]/;

  it('no piece of any line starts a formula, split on comma, semicolon, tab or pipe, quotes honoured or not', async () => {
    const text = (await render('csv', reportInput(s, 'endpoint_security', directory), { companyId: 'root' })).toString('utf8').replace(/^\uFEFF/, '');
    const pieces: string[] = [];
    for (const delimiter of [',', ';', '\t', '|']) {
      // A reader that ignores quotes, and one that honours them only at the start of a field (as spreadsheets do).
      for (const line of text.split(/\r?\n/)) for (const cell of line.split(delimiter)) pieces.push(cell.replace(/^[\s\u3000"]+/, ''));
      for (const record of parse(text, { delimiter, relax_quotes: true, relax_column_count: true, quote: '"' }) as string[][]) pieces.push(...record.map((c) => c.trimStart()));
    }
    const bad = pieces.filter((p) => TRIGGER.test(p) && !/^-?\d+(\.\d+)?$/.test(p));
    expect(bad).toEqual([]);
    // Read with the file's own separator, each name is still one cell, its text intact but for the quotes.
    const { usage } = csvSections(Buffer.from(text));
    const shown = usage!.rows.slice(1).map((r) => r['Company'].replace(/'/g, ''));
    expect(shown.sort()).toEqual(names.map((n) => n.replace(/'/g, '')).sort());
  });
});

describe('PSA export', () => {
  it('one line per company and SKU, own use, keyed on ids; billable quantities only for billable days, the trial marked, never billed', async () => {
    const s = seedEdrExample();
    s.companies[1] = { ...s.companies[1], externalId: 'PSA-A-77' };
    const input = reportInput(s, 'endpoint_security', DIRECTORY);
    const [header, ...lines] = parseCsv(await render('psa', input, { companyId: 'partner-1' }));
    expect(header).toEqual(['month', 'company_id', 'company_name', 'external_id', 'sku', 'quantity', 'minimum', 'reserved', 'billable_quantity', 'billable', 'licence']);
    expect(lines).toEqual([
      ['2024-03', 'partner-1', 'Partner 1', '', 'TALLY-ES-ENDPOINT-A-LA-CARTE', '1', '', '', '1', 'yes', 'billable'],
      ['2024-03', 'customer-a', 'Customer A', 'PSA-A-77', 'TALLY-ES-ENDPOINT-A-LA-CARTE', '2', '5', '10', '5', 'yes', 'billable'],
      ['2024-03', 'customer-a', 'Customer A', 'PSA-A-77', 'TALLY-ES-ENCRYPTION', '2', '', '', '2', 'yes', 'billable'],
      ['2024-03', 'customer-b', 'Customer B', '', 'TALLY-ES-ENDPOINT-A-LA-CARTE', '1', '', '', '1', 'yes', 'billable'],
      // Customer C is on a trial for the whole month (seed 003: "Monthly License Trial"): usage 1, billed 0, marked.
      ['2024-03', 'customer-c', 'Customer C', '', 'TALLY-ES-ENDPOINT-A-LA-CARTE', '1', '', '', '0', 'no', 'trial'],
      ['2024-03', 'customer-c', 'Customer C', '', 'TALLY-UNLICENSED-ENDPOINTS', '1', '', '', '0', 'no', 'trial'],
    ]);
    // Own use summed over the lines is the partner's total: nothing billed twice, nothing lost.
    const partner = billingReport(s, 'endpoint_security').rows.find((r) => r.companyId === 'partner-1')!;
    const sum = (column: number, sku: string) => lines.filter((l) => l[4].startsWith(sku)).reduce((n, l) => n + Number(l[column]), 0);
    expect(sum(5, 'TALLY-ES-ENDPOINT')).toBe(partner.total.endpointUsage);
    expect(sum(8, 'TALLY-ES-ENDPOINT')).toBe(partner.billable.total.billableEndpointUsage);
    expect(sum(5, 'TALLY-UNLICENSED')).toBe(partner.unlicensed.total.endpoints);
  });

  it('a company with no subscription: only non-billable unlicensed lines (issue 18: "0 usage, no warning anywhere")', async () => {
    const s = seedEdrExample();
    s.companies.push(company('customer-e', { name: 'Customer E', parentId: 'partner-1', path: ['partner-1', 'customer-e'] }));
    s.deviceDays.push(...Array.from({ length: 12 }, (_, i) => deviceDay(`e${i}`, 'customer-e', '2024-03-09')));
    for (const productType of ['endpoint_security', 'edr'] as const) {
      const input = reportInput(s, productType, DIRECTORY);
      const [, ...lines] = parseCsv(await render('psa', input, { companyId: 'partner-1', productType }));
      expect(lines.filter((l) => l[1] === 'customer-e')).toEqual([['2024-03', 'customer-e', 'Customer E', '', 'TALLY-UNLICENSED-ENDPOINTS', '12', '', '', '0', 'no', 'none']]);
      const { usage, unlicensed, endpoints } = csvSections(await render('csv', input, { companyId: 'partner-1', productType }));
      expect(usage!.rows.find((r) => r['Company'] === 'Customer E')).toMatchObject({ 'Licence this month': 'No subscription', 'Billable Endpoint Usage': '0', 'Unlicensed endpoints': '12', 'Endpoint Usage': '0' });
      expect(unlicensed!.header).toEqual(UNLICENSED_SECTION_HEADERS);
      expect(unlicensed!.rows.find((r) => r['Company'] === 'Customer E')).toMatchObject({ 'Unlicensed endpoints': '12', 'Unlicensed: No subscription': '12', 'Unlicensed: Trial': '0' });
      expect(unlicensed!.rows.find((r) => r['Company'] === 'Partner 1')!['Unlicensed endpoints']).toBe(productType === 'edr' ? '12' : '13');
      // Its endpoints are listed, not billed, with the reason.
      const e0 = endpoints!.rows.find((r) => r['Endpoint ID'] === 'e0')!;
      expect(e0).toMatchObject({ Billed: 'No', Unlicensed: 'No subscription' });
      expect(e0['Billing note']).toMatch(/not billed: no subscription/);
    }
  });

  it('EDR report: only Customer D, under the EDR SKU', async () => {
    const input = reportInput(seedEdrExample(), 'edr', DIRECTORY);
    const [, ...lines] = parseCsv(await render('psa', input, { companyId: 'partner-1', productType: 'edr' }));
    expect(lines).toEqual([['2024-03', 'customer-d', 'Customer D', '', 'TALLY-EDR-ENDPOINT', '3', '', '', '3', 'yes', 'billable']]);
  });
});
