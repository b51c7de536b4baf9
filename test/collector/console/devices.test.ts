// The device lifecycle in the console, in a real browser: the possible
// duplicates page (a machine billed twice, merged into one record), and a
// device's page with its history, exclusion and retirement. Screenshots in
// test-artifacts/console-devices/.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { utcDayOf } from '../../../proto/index.ts';
import { startTestCollector, type TestCollector } from '../../helpers/collector.ts';
import { connectOk } from '../../helpers/raw-agent.ts';
import { restOk } from '../../helpers/http.ts';
import { chromiumAvailable, launchBrowser, type TestBrowser } from '../../helpers/browser.ts';

const UUID = '4c4c4544-0042-3510-8052-b4c04f4d3232';
let col: TestCollector;
let browser: TestBrowser;
let key: string;
const ids: Record<string, string> = {};

describe.skipIf(!chromiumAvailable('console device tests (test/collector/console/devices.test.ts)'))('device lifecycle in the console', () => {
  beforeAll(async () => {
    col = await startTestCollector();
    key = await col.apiKey();
    const month = new Date().toISOString().slice(0, 7);
    ids.partner = (await restOk(col.url, key, 'POST', '/companies', { name: 'Northwind MSP', type: 'partner' })).id;
    ids.dental = (await restOk(col.url, key, 'POST', '/companies', { name: 'Acme Dental', type: 'customer', parentId: ids.partner })).id;
    ids.legal = (await restOk(col.url, key, 'POST', '/companies', { name: 'Baker Legal', type: 'customer', parentId: ids.partner })).id;
    for (const c of [ids.dental, ids.legal]) await restOk(col.url, key, 'POST', `/companies/${c}/subscriptions`, { productType: 'endpoint_security', effectiveFrom: `${month}-01T00:00:00Z` });
    const token = (await restOk(col.url, key, 'POST', `/companies/${ids.dental}/enrolment-tokens`, {})).token;
    // One machine, two agent installations running at once (a cloned VM that kept its SMBIOS UUID): two records, flagged.
    const agents = [];
    for (const name of ['reception-pc', 'reception-pc-2']) {
      const a = await connectOk(col.wsUrl, token);
      a.send({ hello: { agentVersion: '2.0', instanceId: name, firstRunMs: Date.now() - 86_400_000, facts: { hostname: name, identity: { hardwareUuid: UUID } } } });
      ids[name] = (await a.next()).welcome!.deviceId!;
      a.send({ usage: { records: [{ header: { stream: 'usage/s', seq: 1 }, utcDay: utcDayOf(Date.now()), awakeSeconds: 900, bootId: 'b' }] } });
      await a.next();
      agents.push(a);
    }
    for (const a of agents) await a.close();
    browser = await launchBrowser('console-devices');
    await browser.page.goto(`${col.url}/console/login`);
    await browser.page.getByLabel('API key').fill(key);
    await browser.page.getByRole('button', { name: 'Log in' }).click();
    await browser.page.waitForLoadState('domcontentloaded');
    // Forms that change billing ask first: accept.
    browser.page.on('dialog', (d) => void d.accept());
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await col?.dispose();
  });

  it('shows the machine billed twice on the possible duplicates page, and merges it into one record', async () => {
    const { page } = browser;
    await page.goto(`${col.url}/console/duplicates`);
    expect(await page.locator('#duplicates-cost').textContent()).toMatch(/1 machine is billed twice/);
    expect(await page.locator('#duplicates-table tbody tr').count()).toBe(1);
    expect(await page.locator('#duplicates-table').textContent()).toContain('Same hardware, both running at once');
    await browser.shot('duplicates');
    await page.getByRole('button', { name: /^Keep / }).click();
    await page.waitForSelector('#done-title');
    expect(await page.locator('#done-title').textContent()).toBe('Devices merged');
    await browser.shot('merged');
    await page.goto(`${col.url}/console/duplicates`);
    expect(await page.locator('#no-duplicates').count()).toBe(1);
    const monthly = await restOk(col.url, key, 'GET', `/usage/monthly?month=${new Date().toISOString().slice(0, 7)}`);
    expect(monthly.rows.find((r: { companyId: string }) => r.companyId === ids.dental).own.endpointUsage).toBe(1);
  });

  it("shows a device's history and takes its exclusion and retirement", async () => {
    const { page } = browser;
    const survivor = (await restOk(col.url, key, 'GET', '/devices')).devices[0].id;
    await page.goto(`${col.url}/console/devices/${survivor}/explain`);
    const history = await page.locator('#device-history').textContent();
    expect(history).toMatch(/Enrolled/);
    expect(history).toMatch(/Flagged as a possible duplicate/);
    expect(history).toMatch(/Another device merged into this one/);
    await page.getByPlaceholder('e.g. our own test machine').fill('the MSP\'s own test machine');
    await page.getByRole('button', { name: 'Exclude from billing' }).click();
    await page.waitForSelector('#done-title');
    await page.goto(`${col.url}/console/devices/${survivor}/explain`);
    expect(await page.locator('#device-exclusion').textContent()).toMatch(/Excluded since .*: the MSP's own test machine/);
    await page.getByRole('button', { name: 'Retire' }).click();
    await page.waitForSelector('#done-title');
    await page.goto(`${col.url}/console/devices/${survivor}/explain`);
    expect(await page.locator('#device-status').textContent()).toMatch(/^Retired/);
    await browser.shot('device-lifecycle');
    const kinds = (await restOk(col.url, key, 'GET', `/devices/${survivor}/history`)).history.map((h: { kind: string }) => h.kind);
    expect(kinds.slice(-2)).toEqual(['excluded', 'retired']);
  });
});
