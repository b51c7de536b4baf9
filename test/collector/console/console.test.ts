// The admin console in a real browser: Debian's chromium driven by
// playwright-core against a real collector on loopback with seeded data.
// Screenshots land in test-artifacts/console/ (gitignored).
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { shouldRun } from '../../helpers/requirements.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CompanyUsageRow, MonthlyUsageReport } from '../../../collector/src/billing/index.ts';
import { USAGE_COLUMN_SPECS, NOT_ENABLED } from '../../../collector/src/reports/index.ts';
import { startTestCollector, type TestCollector } from '../../helpers/collector.ts';
import { MONTH, NOW, seed, type Seeded } from './seed.ts';

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = join(process.cwd(), 'test-artifacts', 'console');
const LAPTOP = { width: 1366, height: 768 };
const PHONE = { width: 390, height: 844 };

let col: TestCollector;
let data: Seeded;
let context: BrowserContext;
let page: Page;
let profile: string;
let report: MonthlyUsageReport;
const requests: string[] = [];

const row = (id: string): CompanyUsageRow => report.rows.find((r) => r.companyId === id)!;
const shot = async (name: string, viewport = LAPTOP) => {
  await page.setViewportSize(viewport);
  await page.screenshot({ path: join(ARTIFACTS, `${viewport === PHONE ? 'phone' : 'laptop'}-${name}.png`), fullPage: true });
};

async function login(key: string) {
  await page.goto(`${col.url}/console/login`);
  await page.getByLabel('API key').fill(key);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForLoadState('domcontentloaded');
}

// Without chromium the suite is skipped with a warning locally, and fails under CI=true.
const run = shouldRun('console browser tests (test/collector/console/console.test.ts)',
  existsSync(CHROMIUM) ? { met: true } : { met: false, reason: `${CHROMIUM} is missing (apt-get install chromium, or run bash .ci/run)` });

describe.skipIf(!run)('admin console in chromium', () => {
  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    col = await startTestCollector({ now: () => NOW });
    data = await seed(col.storage);
    ({ report } = await col.reader.monthlyReport(MONTH, 'endpoint_security'));
    profile = mkdtempSync(join(tmpdir(), 'tally-chromium-'));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM, headless: true, viewport: LAPTOP, acceptDownloads: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
    });
    context.on('request', (r) => requests.push(r.url()));
    page = context.pages()[0] ?? (await context.newPage());
  }, 60_000);

  afterAll(async () => {
    await context?.close();
    await col?.dispose();
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  it('refuses a wrong key and sends the visitor to the login page', async () => {
    const res = await page.goto(`${col.url}/console/companies`);
    expect(new URL(page.url()).pathname).toBe('/console/login');
    expect(res!.headers()['content-security-policy']).toContain("default-src 'self'");
    await shot('login');
    await page.keyboard.press('Tab'); // the first stop is the skip link
    expect(await page.evaluate('document.activeElement.className')).toBe('skip-link');
    await page.getByLabel('API key').fill('tak_' + 'x'.repeat(43));
    await page.getByRole('button', { name: 'Log in' }).click();
    await expect.poll(() => page.locator('#login-error').textContent()).toContain('not accepted');
    expect(new URL(page.url()).pathname).toBe('/console/login');
    expect((await context.cookies()).some((c) => c.name === 'tally_console_session')).toBe(false);
  });

  it('logs a partner key in with a session cookie and shows only its subtree', async () => {
    await login(data.keys.north);
    // The home page is the overview: the partner's totals on top, each customer with this month's figures.
    expect(new URL(page.url()).pathname).toBe('/console/overview');
    expect(await page.locator('#overview-totals-table tbody tr').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-company')))).toEqual([data.north]);
    const billed = (id: string) => page.locator(`#overview-table tr[data-company="${id}"] td[data-col="billed"]`).textContent();
    expect(await billed(data.alpha)).toBe(String(row(data.alpha).billable.own.billableEndpointUsage));
    expect(await billed(data.beta)).toBe(String(row(data.beta).billable.own.billableEndpointUsage));
    expect(await page.locator(`#overview-table tr[data-company="${data.alpha}"] td[data-col="sync"]`).textContent()).toBe('—');
    expect(await page.locator('#overview-table').textContent()).not.toMatch(/Gamma Foods/);
    await shot('overview');
    // Sortable: by billed endpoints, biggest first.
    await page.locator('#overview-table a[data-sort="billed"]').click();
    await page.waitForURL(/sort=billed/);
    const order = await page.locator('#overview-table tbody tr').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-company')));
    const expected = [data.alpha, data.beta].sort((a, b) => row(b).billable.own.billableEndpointUsage - row(a).billable.own.billableEndpointUsage || row(a).name.localeCompare(row(b).name));
    expect(order).toEqual(expected);
    await page.goto(`${col.url}/console/companies`);
    const cookie = (await context.cookies()).find((c) => c.name === 'tally_console_session')!;
    expect(cookie.httpOnly).toBe(true);
    expect(cookie.sameSite).toBe('Strict');
    expect(cookie.value).not.toContain(data.keys.north.slice(4, 20));
    const tree = page.locator('#company-tree');
    for (const name of ['North Partner', 'Alpha Dental', 'Beta Law']) await expect.poll(() => tree.getByRole('link', { name, exact: true }).count()).toBe(1);
    expect(await tree.textContent()).not.toMatch(/South Partner|Gamma Foods/);
    await expect.poll(() => page.locator('.viewer').textContent()).toContain('read-only');
    await shot('companies');
    await shot('companies', PHONE);
    await page.setViewportSize(LAPTOP);
  });

  it('filters the tree as you type and on the server', async () => {
    await page.getByLabel('Search companies').fill('alpha');
    const li = (name: string) => page.locator('#company-tree li', { has: page.getByRole('link', { name, exact: true }) }).first();
    await expect.poll(() => li('Beta Law').isHidden()).toBe(true);
    expect(await li('Alpha Dental').isVisible()).toBe(true);
    expect(await li('North Partner').isVisible()).toBe(true); // the path to a match stays
    expect(await page.locator('#company-filter-status').textContent()).toContain('1 of 3');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.waitForURL(/q=alpha/);
    expect(await page.locator('#company-tree').textContent()).not.toContain('Beta Law');
    expect(await page.locator('#company-tree li.match').count()).toBe(1);
  });

  it('shows a company\'s usage with the report columns, month state and chart; columns can be hidden and stay hidden', async () => {
    await page.locator('#company-tree').getByRole('link', { name: 'Alpha Dental', exact: true }).click();
    await page.waitForURL(new RegExp(`/console/companies/${data.alpha}$`));
    expect(await page.locator('#month-input').inputValue()).toBe(MONTH); // default: the current month
    expect(await page.locator('#month-status').textContent()).toBe('Open');
    const table = page.locator('#usage-table');
    const headers = await table.locator('thead th').allTextContents();
    for (const h of ['Company', 'Path', 'Licensed endpoints', 'Endpoint Usage', 'Encryption Usage', 'SVE: VS', 'Reserved Seats', 'Product Type']) expect(headers).toContain(h);
    // Columns "Not enabled" for every company shown are hidden by default (Container Protection is off everywhere here).
    expect(await table.locator('th[data-col="containerProtectionUsage"]').isHidden()).toBe(true);
    expect(await table.locator('th[data-col="encryptionUsage"]').isVisible()).toBe(true);
    // The header stays in view: the table scrolls in its own box.
    expect(await page.evaluate("getComputedStyle(document.querySelector('.usage-scroll')).overflowY")).toBe('auto');
    // Whole numbers on the chart's axis: it counts endpoints.
    const ticks = await page.locator('.chart-svg > g > text').allTextContents();
    expect(ticks.length).toBeGreaterThan(1);
    for (const t of ticks) expect(t).toMatch(/^\d+$/);
    const alphaRow = table.locator(`tr[data-company="${data.alpha}"]`);
    for (const spec of USAGE_COLUMN_SPECS) {
      const text = (await alphaRow.locator(`td[data-col="${spec.column}"]`).textContent())!.split('–')[0].trim();
      const value = row(data.alpha).total[spec.column];
      expect(text === NOT_ENABLED ? 0 : Number(text), spec.column).toBe(value);
    }
    // The chart: one point per day of November for active endpoints, drawn server-side.
    const svg = page.locator('.chart-svg');
    expect(await svg.getAttribute('role')).toBe('img');
    const points = (await svg.locator('[data-series="active"] polyline').getAttribute('points'))!.trim().split(/\s+/);
    expect(points).toHaveLength(20); // the month runs: figures through today, 20 November
    expect(await page.locator('.legend').textContent()).toContain('Active endpoints');
    // Day 4: ws1, ws2, vs1 and the not-yet-uninstalled one were active.
    const day4 = page.locator('.chart-data tbody tr').nth(3).locator('td').first();
    expect(await day4.textContent()).toBe('4');

    // Show/Hide Columns, remembered across reloads.
    await page.getByText('Show/Hide Columns').click();
    await page.getByLabel('License key').uncheck();
    expect(await table.locator('th[data-col="licenseKey"]').isHidden()).toBe(true);
    await page.reload();
    expect(await page.locator('#usage-table th[data-col="licenseKey"]').isHidden()).toBe(true);
    await page.getByText('Show/Hide Columns').click();
    await page.getByLabel('License key').check();
    expect(await page.locator('#usage-table th[data-col="licenseKey"]').isVisible()).toBe(true);
    await page.getByText('Show/Hide Columns').click(); // close
    await shot('usage');
    await shot('usage', PHONE);
    // The wide table scrolls inside its container, not the page.
    const widths = await page.evaluate(`({ doc: document.documentElement.scrollWidth, view: window.innerWidth,
      table: document.querySelector('#usage-table').parentElement.scrollWidth })`) as { doc: number; view: number; table: number };
    expect(widths.doc).toBeLessThanOrEqual(widths.view + 1);
    expect(widths.table).toBeGreaterThan(widths.view);
    await page.setViewportSize(LAPTOP);
  });

  it('drills down from a number to the endpoints behind it and explains one of them', async () => {
    const link = page.locator(`#usage-table tr[data-company="${data.alpha}"] a[data-drill="encryptionUsage"]`);
    await link.click();
    await page.waitForURL(/\/endpoints\?/);
    const expected = row(data.alpha).devices.filter((l) => (l.columns.encryptionUsage ?? 0) > 0).map((l) => l.deviceId).sort();
    expect(expected).toEqual([data.devices['alpha-clone'], data.devices['alpha-ws1']].sort());
    const listed = (await page.locator('#drill-table tbody tr').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-device')))).sort();
    expect(listed).toEqual(expected);
    expect(await page.locator('#drill-figure').textContent()).toBe(String(row(data.alpha).total.encryptionUsage));
    await shot('drill-down');

    await page.getByRole('link', { name: 'alpha-ws1' }).click();
    await page.waitForURL(/\/explain\?/);
    const explanation = await col.reader.explain(MONTH, data.devices['alpha-ws1'], 'endpoint_security');
    expect(await page.locator('#explain-billed').textContent()).toBe('Yes, to Alpha Dental');
    expect(await page.locator('#explain-days tbody tr').count()).toBe(explanation.days.length);
    for (const reason of explanation.columns) {
      expect(await page.locator(`#explain-columns tr[data-column="${reason.column}"] td.num`).textContent()).toBe(String(reason.value));
    }
    await shot('explain');
    await shot('explain', PHONE);
    await page.setViewportSize(LAPTOP);
  });

  it('lists devices with type, awake hours, modules, user and status', async () => {
    await page.goto(`${col.url}/console/companies/${data.alpha}/devices`);
    // Billed this month, and why not.
    const billedCell = (host: string) => page.locator(`#devices-table tr[data-device="${data.devices[host]}"] td[data-billed]`);
    expect(await billedCell('alpha-ws1').getAttribute('data-billed')).toBe('yes');
    expect(await billedCell('alpha-idle').getAttribute('data-billed')).toBe('no');
    expect(await billedCell('alpha-idle').textContent()).toContain('no activity this month');
    expect(await page.locator('main').textContent()).not.toContain('no activity for 90 days;');
    await shot('devices-1280', { width: 1280, height: 800 });
    const status = async (host: string) => page.locator(`#devices-table tr[data-device="${data.devices[host]}"] td[data-status]`).getAttribute('data-status');
    expect(await status('alpha-ws1')).toBe('active');
    expect(await status('alpha-gone')).toBe('uninstalled');
    expect(await status('alpha-clone')).toContain('clone_suspected');
    expect(await status('alpha-idle')).toBe('inactive');
    // No activity for over 90 days: removed from the listing (seed 000).
    expect(await page.locator(`#devices-table tr[data-device="${data.devices['alpha-old']}"]`).count()).toBe(0);
    const ws1 = page.locator(`#devices-table tr[data-device="${data.devices['alpha-ws1']}"]`);
    const cells = await ws1.locator('td').allTextContents();
    expect(cells).toContain('Physical workstation');
    expect(cells.join(' ')).toContain('Full Disk Encryption');
    expect(cells).toContain('Dana Smile');
    const vs1 = await page.locator(`#devices-table tr[data-device="${data.devices['alpha-vs1']}"] td`).allTextContents();
    expect(vs1).toContain('Virtual server');
    expect(vs1).toContain((19 * 86_000 / 3600).toFixed(1)); // awake hours this month
    await shot('devices');
    await shot('devices', PHONE);
    await page.setViewportSize(LAPTOP);
  });

  it('filters devices with the form, and keeps Status and User in view and whole at 1280 px', async () => {
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(`${col.url}/console/companies/${data.north}/devices?month=${MONTH}`);
    // In view without scrolling the table, each cell on one line (a badge is not broken into two).
    for (const header of ['Status', 'User']) {
      const box = (await page.locator('#devices-table thead th', { hasText: new RegExp(`^${header}$`) }).boundingBox())!;
      expect(box.x + box.width, header).toBeLessThanOrEqual(1280);
    }
    // The most lines one piece of a cell's text takes (a text node's client rects: one per line it is on).
    const lines = (host: string, cell: string) => page.evaluate(`(() => {
      const walk = document.createTreeWalker(document.querySelector('#devices-table tr[data-device="${data.devices[host]}"] ${cell}'), NodeFilter.SHOW_TEXT);
      let most = 0;
      for (let n = walk.nextNode(); n; n = walk.nextNode()) {
        const r = document.createRange();
        r.selectNodeContents(n);
        most = Math.max(most, r.getClientRects().length);
      }
      return most;
    })()`);
    expect(await lines('alpha-idle', 'td[data-status]')).toBe(1);
    expect(await lines('alpha-clone', 'td[data-status]')).toBe(1);
    expect(await lines('alpha-ws1', 'td.device-user')).toBe(1);
    expect(await page.locator(`#devices-table tr[data-device="${data.devices['alpha-ws1']}"] td.device-user`).textContent()).toBe('Dana Smile');
    // The filters: a company of the subtree, then the inactive devices of it.
    await page.selectOption('#filter-company', data.alpha);
    await page.selectOption('#filter-status', 'inactive');
    await page.getByRole('button', { name: 'Show' }).click();
    await page.waitForLoadState('domcontentloaded');
    expect(new URL(page.url()).searchParams.get('status')).toBe('inactive');
    const listed = await page.locator('#devices-table tbody tr[data-device]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-device')));
    expect(listed).toEqual([data.devices['alpha-idle']]);
    expect(await page.locator('#devices-filtered').count()).toBe(1);
    await shot('devices-filtered-1280', { width: 1280, height: 800 });
    await page.selectOption('#filter-status', '');
    await page.selectOption('#filter-kind', 'virtual');
    await page.getByRole('button', { name: 'Show' }).click();
    await page.waitForLoadState('domcontentloaded');
    expect(await page.locator('#devices-table tbody tr[data-device]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-device'))))
      .toEqual([data.devices['alpha-vs1']]);
    await page.setViewportSize(LAPTOP);
  });

  it('downloads the CSV, XLSX, PDF and PSA exports with the billing engine\'s numbers', async () => {
    await page.goto(`${col.url}/console/companies/${data.north}?month=${MONTH}`);
    const download = async (format: string) => {
      const [d] = await Promise.all([page.waitForEvent('download'), page.locator(`a[data-export="${format}"]`).click()]);
      expect(await d.failure()).toBeNull();
      return { name: d.suggestedFilename(), body: readFileSync((await d.path())!) };
    };
    const csv = await download('csv');
    expect(csv.name).toBe(`tally-North-Partner-${MONTH}-endpoint_security.csv`);
    const records = parse(csv.body, { bom: true, relax_column_count: true }) as string[][];
    const header = records[1];
    const usageRows = records.slice(2, records.findIndex((r, i) => i > 1 && r.length === 1));
    expect(usageRows.map((r) => r[header.indexOf('Company')])).toEqual(['North Partner', 'Alpha Dental', 'Beta Law']);
    for (const r of usageRows) {
      const billed = report.rows.find((x) => x.name === r[header.indexOf('Company')])!;
      for (const spec of USAGE_COLUMN_SPECS) {
        const cell = r[header.indexOf(spec.header)];
        expect(cell === NOT_ENABLED ? 0 : Number(cell), `${billed.name} ${spec.header}`).toBe(billed.total[spec.column]);
      }
    }
    expect(csv.body.toString()).not.toContain('Gamma Foods');

    const xlsx = await download('xlsx');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.body as unknown as ArrayBuffer);
    const sheet = wb.worksheets[0];
    const xHeader = (sheet.getRow(1).values as unknown[]).slice(1);
    const northRow = (sheet.getRow(2).values as unknown[]).slice(1);
    expect(northRow[xHeader.indexOf('Endpoint Usage')]).toBe(row(data.north).total.endpointUsage);
    expect(northRow[xHeader.indexOf('Licensed endpoints')]).toBe(row(data.north).total.licensedEndpoints);

    const pdf = await download('pdf');
    expect(pdf.body.subarray(0, 5).toString()).toBe('%PDF-');
    const psa = await download('psa');
    expect(psa.name).toMatch(/-psa\.csv$/);
    expect(psa.body.length).toBeGreaterThan(20);
  });

  it('answers 404 for another partner\'s company, device and export', async () => {
    for (const path of [`/console/companies/${data.gamma}`, `/console/companies/${data.south}/devices`, `/console/devices/${data.devices['gamma-ws1']}/explain`]) {
      const res = await page.goto(`${col.url}${path}`);
      expect(res!.status(), path).toBe(404);
      expect(await page.locator('h1').textContent()).toBe('Not found');
      expect(await page.content()).not.toContain('Gamma Foods');
    }
    await shot('not-found');
    const res = await page.request.get(`${col.url}/console/companies/${data.gamma}/export/csv`);
    expect(res.status()).toBe(404);
  });

  it('refuses a state-changing form without the session token, then logs out', async () => {
    const forged = await page.request.post(`${col.url}/console/logout`, { form: { _csrf: 'wrong' } });
    expect(forged.status()).toBe(403);
    await page.goto(`${col.url}/console/companies`);
    expect(new URL(page.url()).pathname).toBe('/console/companies'); // still logged in
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.waitForURL(/\/console\/login\?loggedOut=1/);
    await page.goto(`${col.url}/console/companies/${data.alpha}`);
    expect(new URL(page.url()).pathname).toBe('/console/login');
    // The other partner's key sees its own tree and not the first one's.
    await login(data.keys.south);
    await page.goto(`${col.url}/console/companies`);
    expect(await page.locator('#company-tree').textContent()).toContain('Gamma Foods');
    expect(await page.locator('#company-tree').textContent()).not.toContain('Alpha Dental');
  });

  it('warns about unlicensed activity on the partner and customer pages, marks it in the table and exports, and explains its days', async () => {
    // Logged in with South's key by the previous test. South: Gamma (billable), Omega (trial all month), Sigma (no subscription).
    const southReport = (await col.reader.monthlyReport(MONTH, 'endpoint_security')).report;
    const south = southReport.rows.find((r) => r.companyId === data.south)!;
    expect(south.unlicensed.total).toMatchObject({ endpoints: 3, byReason: { trial: 1, none: 2 } });
    await page.goto(`${col.url}/console/companies/${data.south}?month=${MONTH}`);
    const warning = page.locator('#unlicensed-warning');
    expect(await warning.isVisible()).toBe(true);
    expect(await warning.getAttribute('role')).toBe('alert');
    expect(await warning.locator('h2').textContent()).toContain('3 endpoints active in 2026-11 without a billable licence – not billed');
    expect(await warning.textContent()).toContain('1 on trial; 2 with no subscription');
    expect(await warning.locator('#unlicensed-companies li').allTextContents()).toEqual(['Omega Trial: 1 on trial', 'Sigma Unlicensed: 2 with no subscription']);
    // The table: usage stays activity, Billable and Unlicensed say what the licence made of it.
    const cell = (companyId: string, col: string) => page.locator(`#usage-table tr[data-company="${companyId}"] td[data-col="${col}"]`).innerText().then((t) => t.split('\n')[0].replace(/–.*/, '').trim());
    expect(await cell(data.omega, 'licence')).toBe('Trial');
    expect(await cell(data.omega, 'endpointUsage')).toBe('1');
    expect(await cell(data.omega, 'billableEndpointUsage')).toBe('0');
    expect(await cell(data.omega, 'unlicensed')).toBe('1');
    expect(await cell(data.sigma, 'licence')).toBe('No subscription');
    expect(await cell(data.sigma, 'unlicensed')).toBe('2');
    expect(await cell(data.south, 'unlicensed')).toBe('3');
    expect(await cell(data.south, 'billableEndpointUsage')).toBe(String(south.billable.total.billableEndpointUsage));
    expect(await page.locator(`#usage-table tr[data-company="${data.gamma}"]`).getAttribute('class')).toBeNull();
    expect(await page.locator(`#usage-table tr[data-company="${data.omega}"]`).getAttribute('class')).toBe('row-unlicensed');
    expect(await page.locator('#licence-now').textContent()).toContain('Billable');
    await shot('unlicensed-partner');

    // The customer page: the same warning, and its licence now, as getLicenseInfo answers it.
    await page.goto(`${col.url}/console/companies/${data.omega}?month=${MONTH}`);
    expect(await page.locator('#unlicensed-warning').isVisible()).toBe(true);
    expect(await page.locator('#licence-now [data-state]').getAttribute('data-state')).toBe('trial');
    expect(await page.locator('#licence-month').textContent()).toBe('Trial 2026-11-01 – 2026-11-30');
    await shot('unlicensed-customer');
    // A customer without unlicensed activity shows no warning.
    await page.goto(`${col.url}/console/companies/${data.gamma}?month=${MONTH}`);
    expect(await page.locator('#unlicensed-warning').count()).toBe(0);

    // The drill-down behind the unlicensed figure, and one endpoint's days with their licence.
    await page.goto(`${col.url}/console/companies/${data.south}?month=${MONTH}`);
    await page.locator(`#usage-table tr[data-company="${data.south}"] a[data-drill="unlicensed"]`).click();
    await page.waitForURL(/column=unlicensed/);
    const listed = (await page.locator('#drill-table tbody tr').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-device')))).sort();
    expect(listed).toEqual([data.devices['omega-ws1'], data.devices['sigma-ws1'], data.devices['sigma-ws2']].sort());
    expect(await page.locator('#drill-figure').textContent()).toBe('3');
    await page.getByRole('link', { name: 'omega-ws1' }).click();
    await page.waitForURL(/\/explain\?/);
    expect(await page.locator('#explain-billed').textContent()).toBe('No');
    expect(await page.locator('#explain-unlicensed').getAttribute('data-reason')).toBe('trial');
    const licences = await page.locator('#explain-days tbody tr').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-licence')));
    expect(new Set(licences)).toEqual(new Set(['trial']));
    expect(licences).toHaveLength(19);
    await shot('unlicensed-explain');

    // The exports carry it too: the CSV's separate section, the PSA's non-billable lines.
    await page.goto(`${col.url}/console/companies/${data.south}?month=${MONTH}`);
    const download = async (format: string) => {
      const [d] = await Promise.all([page.waitForEvent('download'), page.locator(`a[data-export="${format}"]`).click()]);
      return readFileSync((await d.path())!);
    };
    const csv = parse(await download('csv'), { bom: true, relax_column_count: true }) as string[][];
    const at = csv.findIndex((r) => r.length === 1 && r[0] === 'Unlicensed activity (not billed)');
    expect(at).toBeGreaterThan(0);
    const uHeader = csv[at + 1];
    const uRows = csv.slice(at + 2, csv.findIndex((r, i) => i > at + 1 && r.length === 1));
    expect(uRows.map((r) => [r[uHeader.indexOf('Company')], r[uHeader.indexOf('Unlicensed endpoints')]])).toEqual([['South Partner', '3'], ['Omega Trial', '1'], ['Sigma Unlicensed', '2']]);
    const psa = parse(await download('psa')) as string[][];
    expect(psa.filter((l) => l[4] === 'TALLY-UNLICENSED-ENDPOINTS').map((l) => [l[1], l[2], l[5], l[8], l[9], l[10]])).toEqual([
      [data.omega, 'Omega Trial', '1', '0', 'no', 'trial'],
      [data.sigma, 'Sigma Unlicensed', '2', '0', 'no', 'none'],
    ]);
    expect(psa.find((l) => l[1] === data.omega && l[4] === 'TALLY-ES-ENDPOINT-A-LA-CARTE')!.slice(8)).toEqual(['0', 'no', 'trial']);
  });

  it('GET / leads to the console, and no page asks for a favicon that is not there', async () => {
    const root = await page.goto(`${col.url}/`);
    expect(new URL(page.url()).pathname).toMatch(/^\/console\//);
    expect(root!.status()).toBe(200);
    expect((await page.request.get(`${col.url}/favicon.ico`)).status()).toBe(200);
    expect(await page.locator('link[rel="icon"]').getAttribute('href')).toBe('/console/assets/favicon.svg');
    const failed: string[] = [];
    page.on('response', (r) => { if (r.status() >= 400) failed.push(`${r.status()} ${r.url()}`); });
    await page.goto(`${col.url}/console/overview`);
    await page.waitForLoadState('networkidle');
    expect(failed).toEqual([]);
  });

  it('loaded nothing from outside the collector', () => {
    const origin = new URL(col.url).origin;
    expect(requests.length).toBeGreaterThan(10);
    expect(requests.filter((u) => !u.startsWith(origin) && !u.startsWith('data:') && !u.startsWith('about:'))).toEqual([]);
  });
});
