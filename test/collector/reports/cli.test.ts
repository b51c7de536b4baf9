// `tally-collector report` end to end: a real SQLite database built through
// the storage API, the real executable, the real files read back.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../common/log.ts';
import type { IDeviceFacts } from '../../../proto/index.ts';
import type { SubscriptionVersion } from '../../../collector/src/billing/index.ts';
import { XLSX_ENDPOINT_SHEET, XLSX_USAGE_SHEET, storageEndpointDirectory } from '../../../collector/src/reports/index.ts';
import { openSqliteStorage } from '../../../collector/src/storage/sqlite/index.ts';
import type { Storage } from '../../../collector/src/storage/types.ts';
import { MonthReader } from '../../../collector/src/usage/index.ts';
import { csvSections, parseCsv, pdfLines, xlsxSheets } from './read-back.ts';
import { Seeder } from '../../helpers/seed.ts';

const bin = resolve(import.meta.dirname, '../../../bin/tally-collector.js');
const DAY = 86_400_000;
const NOV_1 = Date.UTC(2026, 10, 1);
const NOW = Date.UTC(2026, 10, 20);

let dir: string;
let db: string;
const ids: Record<string, string> = {};

function run(args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [bin, ...args], { env: { ...process.env, TALLY_DB: '' } });
    let out = '';
    let err = '';
    child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', (c) => (err += c));
    child.on('close', (code) => done({ code, out, err }));
  });
}

/** Encryption and EDR on: the CSV's columns for them carry figures. */
const ADD_ONS = { encryption: true, patchManagement: false, integrityMonitoring: null, containerProtection: false, ats: false, edr: true, sve: false, xdr: [] };

const facts = (hostname: string, over: Partial<IDeviceFacts> = {}): IDeviceFacts => ({
  hostname, os: { platform: 'windows', name: 'Windows 11 Pro', version: '23H2' }, virtualization: { virtual: false }, role: { role: 'workstation' },
  identity: { hardwareUuid: `uuid-${hostname}`, systemSerial: `SER-${hostname}` }, ipAddresses: ['10.0.0.7', 'fe80::7'],
  modules: [{ name: 'antimalware', installed: true }], ...over,
});

/** Seed 003's EDR example, stored: Partner 1; Customers A, B, C on Endpoint Security; D on EDR with 3 endpoints. */
async function buildDatabase(storage: Storage) {
  const seeder = new Seeder(storage, () => NOW);
  const company = async (key: string, name: string, type: 'partner' | 'customer', parentId: string | null, sub: Partial<SubscriptionVersion>, registeredAtMs = NOV_1 - 60 * DAY) => {
    const c = await seeder.company(name, {
      type, parentId, externalId: key === 'a' ? 'PSA-0042' : null, atMs: registeredAtMs,
      subscription: (id) => ({ effectiveFromMs: NOV_1 - 30 * DAY, addOns: ADD_ONS, licenseKey: `KEY-${id.slice(0, 4)}`, ...sub }),
    });
    ids[key] = c.id;
    return c.id;
  };
  const p1 = await company('p1', 'Partner 1', 'partner', null, { licenseType: 'monthly_license' });
  await company('a', '=Customer A, "the dentist"', 'customer', p1, {}, NOV_1 - 10 * DAY);
  await company('b', 'Customer B', 'customer', p1, {});
  await company('c', 'Customer C', 'customer', p1, {});
  await company('d', 'Customer D', 'customer', p1, { productType: 'edr' });
  const device = async (companyKey: string, hostname: string, f: IDeviceFacts, days: number[]) => {
    const id = await seeder.device(ids[companyKey], { facts: f, hostname, atMs: NOV_1 });
    await seeder.awakeDays(id, ids[companyKey], days.map((d) => ({ dayMs: NOV_1 + d * DAY, seconds: 1800 })));
    ids[hostname] = id;
  };
  const encrypted = { modules: [{ name: 'antimalware', installed: true }, { name: 'full_disk_encryption', installed: true }] };
  await device('a', 'a-desk-1', facts('a-desk-1', encrypted), [2, 3]);
  await device('a', 'a-desk-2', facts('a-desk-2'), [3]);
  await device('b', 'b-desk-1', facts('b-desk-1'), [4]);
  await device('c', 'c-desk-1', facts('c-desk-1'), [5]);
  const edr = { modules: ['advanced_threat_control', 'content_control', 'network_attack_defense', 'edr_sensor'].map((name) => ({ name, installed: true })) };
  for (const h of ['d-1', 'd-2', 'd-3']) await device('d', h, facts(h, edr), [6]);
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tally-report-cli-'));
  db = join(dir, 'tally.db');
  const storage = openSqliteStorage({ path: db, nowMs: NOW });
  try {
    await buildDatabase(storage);
  } finally {
    await storage.close();
  }
}, 30_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('tally-collector report', () => {
  it('writes the EDR CSV of the seed example: D 3, Partner 1 3, A-C 0, with facts from the database', async () => {
    const out = join(dir, 'edr.csv');
    const r = await run(['report', '--company', ids.p1, '--month', '2026-11', '--format', 'csv', '--product-type', 'edr', '--out', out, '--db', db]);
    expect(r.err).toMatch(/report written to .*edr\.csv: \d+ bytes, 5 companies, 3 endpoints, not finalized month/);
    expect(r.code).toBe(0);
    const { usage, endpoints } = csvSections(readFileSync(out));
    expect(Object.fromEntries(usage!.rows.map((row) => [row['Company'], row['Endpoint Usage']]))).toEqual({
      'Partner 1': '3', '\'=Customer A, "the dentist"': '0', 'Customer B': '0', 'Customer C': '0', 'Customer D': '3',
    });
    expect(endpoints!.rows.map((row) => row['Name'])).toEqual(expect.arrayContaining(['d-1', 'd-2', 'd-3']));
    expect(endpoints!.rows.find((row) => row['Name'] === 'd-1')).toMatchObject({
      Company: 'Customer D', OS: 'Windows 11 Pro 23H2', 'Hardware ID': 'uuid-d-1', IP: '10.0.0.7, fe80::7', 'Endpoint Detection and Response': 'Yes', Uptime: '1800',
    });
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]); // the temporary file was renamed away
  });

  it('matches the usage service\'s report for the same database', async () => {
    const storage = openSqliteStorage({ path: db, nowMs: NOW });
    try {
      const service = new MonthReader({ billing: storage.billing, now: () => NOW, graceHours: 72 });
      const { report } = await service.monthlyReport('2026-11', 'endpoint_security');
      const out = join(dir, 'es.csv');
      const r = await run(['report', '--company', ids.p1, '--month', '2026-11', '--format', 'csv', '--out', out, '--db', db]);
      expect(r.code).toBe(0);
      const { usage } = csvSections(readFileSync(out));
      for (const row of report.rows) {
        const csvRow = usage!.rows.find((x) => x['License key'] === row.licenseKey)!;
        expect([row.name, csvRow['Licensed endpoints'], csvRow['Endpoint Usage']]).toEqual([row.name, String(row.total.licensedEndpoints), String(row.total.endpointUsage)]);
      }
      expect(usage!.rows.find((x) => x['Company'] === 'Partner 1')!['Encryption Usage']).toBe('1');
      // The storage's endpoint directory reads the stored facts.
      const info = await storageEndpointDirectory(storage.adminRead).lookup([ids['a-desk-1'], 'no-such-device']);
      expect([...info.keys()]).toEqual([ids['a-desk-1']]);
      expect(info.get(ids['a-desk-1'])).toEqual({ hostname: 'a-desk-1', os: 'Windows 11 Pro 23H2', hardwareId: 'uuid-a-desk-1', ip: '10.0.0.7, fe80::7' });
    } finally {
      await storage.close();
    }
  });

  it('writes XLSX, PDF and PSA files that open, with progress on stderr', async () => {
    const common = ['--company', ids.p1, '--month', '2026-11', '--db', db];
    const xlsx = await run(['report', ...common, '--format', 'xlsx', '--out', join(dir, 'r.xlsx')]);
    expect(xlsx.code).toBe(0);
    expect(xlsx.err).toMatch(/report: endpoints 4\/4 rows \(100%\), done/);
    const sheets = await xlsxSheets(readFileSync(join(dir, 'r.xlsx')));
    expect(sheets.get(XLSX_USAGE_SHEET)!.length).toBe(7); // header, five companies, totals
    expect(sheets.get(XLSX_ENDPOINT_SHEET)!.length).toBe(6); // header, four endpoints, totals

    const pdf = await run(['report', ...common, '--format', 'pdf', '--out', join(dir, 'r.pdf')]);
    expect(pdf.code).toBe(0);
    const { lines } = await pdfLines(readFileSync(join(dir, 'r.pdf')));
    expect(lines.map((l) => l.join(' '))).toContain('Encryption (peak 1)');

    const psa = await run(['report', ...common, '--format', 'psa', '--out', join(dir, 'r.psa.csv')]);
    expect(psa.code).toBe(0);
    const rows = parseCsv(readFileSync(join(dir, 'r.psa.csv')));
    expect(rows).toContainEqual(['2026-11', ids.a, '\'=Customer A, "the dentist"', 'PSA-0042', 'TALLY-ES-ENDPOINT-A-LA-CARTE', '2', '', '', '2', 'yes', 'billable']);
    expect(rows).toContainEqual(['2026-11', ids.a, '\'=Customer A, "the dentist"', 'PSA-0042', 'TALLY-ES-ENCRYPTION', '1', '', '', '1', 'yes', 'billable']);
  }, 60_000);

  it('applies the only-new filter: companies registered in the window', async () => {
    const from = new Date(NOV_1 - 11 * DAY).toISOString().slice(0, 10);
    const to = new Date(NOV_1 - 9 * DAY).toISOString().slice(0, 10);
    const out = join(dir, 'new.csv');
    const r = await run(['report', '--company', ids.p1, '--month', '2026-11', '--format', 'csv', '--out', out, '--db', db, '--registered-from', from, '--registered-to', to]);
    expect(r.code).toBe(0);
    expect(csvSections(readFileSync(out)).usage!.rows.map((row) => row['Company'])).toEqual(['\'=Customer A, "the dentist"']);
  });

  it.each([
    [['--month', '2026-11', '--format', 'csv', '--out', 'x.csv'], /--company ID is required/],
    [['--company', 'X', '--month', '2026-13', '--format', 'csv', '--out', 'x.csv'], /--month: .*\[invalid_month\]/],
    [['--company', 'X', '--month', '2026-11', '--format', 'docx', '--out', 'x.csv'], /\[invalid_format\]/],
    [['--company', 'X', '--month', '2026-11', '--format', 'csv'], /--out FILE is required/],
    [['--company', 'X', '--month', '2026-11', '--format', 'csv', '--out', 'x.csv', '--product-type', 'av'], /\[invalid_product_type\]/],
    [['--company', 'X', '--month', '2026-11', '--format', 'csv', '--out', 'x.csv', '--registered-from', '2026-10-01'], /--registered-to: .*both .*\[registration_dates_incomplete\]/],
    [['--company', 'X', '--month', '2026-11', '--format', 'csv', '--out', '/no/such/dir/x.csv'], /directory \/no\/such\/dir does not exist/],
    [['--company', 'X', '--month', '2026-11', '--format', 'csv', '--out', 'x.csv', '--frobnicate'], /unknown option --frobnicate\n/],
  ])('refuses bad options with exit 2: %j', async (args, message) => {
    const r = await run(['report', ...args, '--db', join(dir, 'unused.db')]);
    expect(r.err).toMatch(message);
    expect(r.code).toBe(2);
  });

  it('refuses an unknown company with exit 2 and leaves no file behind', async () => {
    const out = join(dir, 'nobody.csv');
    writeFileSync(out, 'previous report');
    const r = await run(['report', '--company', 'nobody', '--month', '2026-11', '--format', 'csv', '--out', out, '--db', db]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/no company "nobody" .*\[unknown_company\]/);
    expect(readFileSync(out, 'utf8')).toBe('previous report'); // untouched
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('prints its help', async () => {
    const r = await run(['report', '--help']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^usage: tally-collector report --company ID\|NAME --month YYYY-MM --format csv\|xlsx\|pdf\|psa --out FILE/);
  });
});
