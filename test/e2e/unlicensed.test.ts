// Unlicensed activity end to end, on both backends (issue 18): a real
// `tally-agent run` enrols into a company with no subscription and reports
// awake seconds to a real `tally-collector serve`. Its activity must show as
// unlicensed (never billed, never invisible) in the monthly usage API, the
// console page, the CSV report and the PSA export; a trial subscription then
// turns the reason into "trial", still not billed, and getLicenseInfo says so.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestDatabase, pgServerConfigured, pgTestSetting, type TestDatabase } from '../helpers/postgres.ts';
import { AGENT_BIN, COLLECTOR_BIN, pollUntil, runCommand, startCollectorProcess, startProcess, type Proc } from '../helpers/processes.ts';
import { shouldRun } from '../helpers/requirements.ts';

const setting = pgTestSetting();
const postgresRuns = shouldRun('unlicensed activity end to end on PostgreSQL', pgServerConfigured(setting));

const running: Proc[] = [];
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const p of running.splice(0)) await p.stop('SIGKILL');
  for (const c of cleanups.splice(0)) await c();
});

async function api(url: string, key: string, path: string, init: RequestInit = {}): Promise<any> {
  const res = await fetch(`${url}${path}`, { ...init, headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', ...init.headers } });
  const text = await res.text();
  expect(res.status, `${path}: ${text}`).toBeLessThan(300);
  return text.startsWith('{') || text.startsWith('[') ? JSON.parse(text) : text;
}

const cookieOf = (res: Response, name: string) => res.headers.getSetCookie().map((c) => c.split(';')[0]).find((c) => c.startsWith(`${name}=`))!;

/** Logs in to the console as a person does (login form, CSRF token, session cookie) and returns a page's HTML. */
async function consolePage(url: string, key: string, path: string): Promise<string> {
  const form = await fetch(`${url}/console/login`);
  const token = /name="_csrf" value="([^"]+)"/.exec(await form.text())![1];
  const login = await fetch(`${url}/console/login`, {
    method: 'POST', redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookieOf(form, 'tally_console_login') },
    body: new URLSearchParams({ key, _csrf: token, next: '/console/companies' }),
  });
  expect(login.status).toBe(303);
  const page = await fetch(`${url}${path}`, { headers: { cookie: cookieOf(login, 'tally_console_session') } });
  expect(page.status).toBe(200);
  return page.text();
}

/** The CSV report's unlicensed section, as rows keyed by header. */
function unlicensedSection(csv: string): Record<string, string>[] {
  const records = parse(csv, { bom: true, relax_column_count: true }) as string[][];
  const at = records.findIndex((r) => r.length === 1 && r[0] === 'Unlicensed activity (not billed)');
  expect(at).toBeGreaterThan(0);
  const header = records[at + 1];
  const rows: Record<string, string>[] = [];
  for (let i = at + 2; i < records.length && !(records[i].length === 1 && records[i][0] === ''); i++) rows.push(Object.fromEntries(header.map((h, j) => [h, records[i][j]])));
  return rows;
}

const backends = [
  { name: 'SQLite', run: true, database: async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tally-unlicensed-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    return { db: join(dir, 'tally.db'), dir };
  } },
  { name: 'PostgreSQL', run: postgresRuns, database: async () => {
    const database: TestDatabase = await createTestDatabase(setting.run ? setting.url : '');
    const dir = mkdtempSync(join(tmpdir(), 'tally-unlicensed-'));
    cleanups.push(async () => {
      rmSync(dir, { recursive: true, force: true });
      await database.drop();
    });
    return { db: database.url, dir };
  } },
];

describe.each(backends)('unlicensed activity end to end on $name', ({ run, database }) => {
  it.skipIf(!run)('an agent of a company without a subscription is unlicensed in the API, the console, the CSV and the PSA export; on a trial it stays unbilled', async () => {
    const { db, dir } = await database();
    const key = runCommand(COLLECTOR_BIN, ['apikey', 'create', '--init', '--db', db]);
    // `token create` makes the customer company; nobody gives it a subscription.
    const token = runCommand(COLLECTOR_BIN, ['token', 'create', '--company', 'No Licence Co', '--init', '--db', db]);
    const collector = await startCollectorProcess(db);
    running.push(collector);
    const agent = startProcess(AGENT_BIN, ['run', '--collector', `ws://127.0.0.1:${collector.port}`, '--token', token, '--state-dir', join(dir, 'agent'), '--interval', '1']);
    running.push(agent);
    await agent.waitForLog((l) => l.msg === 'enrolled');
    const month = new Date().toISOString().slice(0, 7);

    // The monthly usage API: no usage columns (no product type), nothing billed, one endpoint unlicensed for want of a subscription.
    const row = await pollUntil(async () => {
      const monthly = await api(collector.url, key, `/api/v1/usage/monthly?month=${month}`);
      const r = monthly.rows.find((x: any) => x.name === 'No Licence Co');
      return r?.unlicensed.own.endpoints === 1 ? r : null;
    }, 25_000, 'the unlicensed endpoint in the monthly usage');
    expect(row).toMatchObject({ productType: null, unlicensed: { own: { endpoints: 1, byReason: { none: 1 } } }, billable: { own: { licensedEndpoints: 0, billableEndpointUsage: 0 } } });
    expect(row.licence.map((s: any) => s.state)).toEqual(['none']);
    const companyId = row.companyId;

    // The console page warns.
    const html = await consolePage(collector.url, key, `/console/companies/${companyId}?month=${month}`);
    expect(html).toContain('id="unlicensed-warning"');
    expect(html).toContain('Unlicensed activity: 1 endpoint active in');
    expect(html).toContain('1 with no subscription');

    // The CSV report has it in its own section; the PSA export has a non-billable line.
    const report = (format: string) => fetch(`${collector.url}/api/v1/reports/monthly-license-usage?companyId=${companyId}&month=${month}&format=${format}`, { headers: { authorization: `Bearer ${key}` } }).then((r) => r.text());
    expect(unlicensedSection(await report('csv'))).toEqual([expect.objectContaining({ Company: 'No Licence Co', 'Unlicensed endpoints': '1', 'Unlicensed: No subscription': '1' })]);
    const psa = parse(await report('psa')) as string[][];
    expect(psa.slice(1)).toEqual([[month, companyId, 'No Licence Co', '', 'TALLY-UNLICENSED-ENDPOINTS', '1', '', '', '0', 'no', 'none']]);

    // A trial from the start of the month: the activity is now usage (Endpoint Usage 1), still not billed, reason trial.
    await api(collector.url, key, `/api/v1/companies/${companyId}/subscriptions`, {
      method: 'POST',
      body: JSON.stringify({ productType: 'endpoint_security', licenseType: 'trial', effectiveFrom: `${month}-01T00:00:00Z`, trialEndsAt: new Date(Date.now() + 40 * 86_400_000).toISOString() }),
    });
    const trial = (await api(collector.url, key, `/api/v1/usage/monthly?month=${month}&companyId=${companyId}`)).rows[0];
    expect(trial).toMatchObject({ licenseType: 'trial', own: { endpointUsage: 1, billableEndpointUsage: 0 }, billable: { own: { endpointUsage: 0 } }, unlicensed: { own: { byReason: { trial: 1, none: 0 } } } });
    const psaTrial = parse(await report('psa')) as string[][];
    expect(psaTrial.slice(1)).toEqual([
      [month, companyId, 'No Licence Co', '', 'TALLY-ES-ENDPOINT-A-LA-CARTE', '1', '', '', '0', 'no', 'trial'],
      [month, companyId, 'No Licence Co', '', 'TALLY-UNLICENSED-ENDPOINTS', '1', '', '', '0', 'no', 'trial'],
    ]);
    const rpc = await fetch(`${collector.url}/api/v1.0/jsonrpc/licensing`, {
      method: 'POST', headers: { authorization: `Basic ${Buffer.from(`${key}:`).toString('base64')}`, 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'getLicenseInfo', params: { companyId } }),
    });
    expect(((await rpc.json()) as any).result).toMatchObject({ licenceState: 'trial', billable: false, subscriptionType: 'trial' });
    expect((await agent.stop('SIGTERM')).code).toBe(0);
  }, 90_000);
});
