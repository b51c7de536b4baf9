// The PSA page in a real browser: the connected PSAs with their last sync,
// mappings and what is unmapped, the reconciliation with its drift flags,
// and "Sync now"; the overview's last PSA sync per customer. Against the
// ConnectWise and HaloPSA emulators on loopback. Screenshots in
// test-artifacts/console-psa/.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMANDS } from '../../../collector/src/admin/index.ts';
import { startCollector, type RunningCollector } from '../../../collector/src/server.ts';
import { chromiumAvailable, launchBrowser, type TestBrowser } from '../../helpers/browser.ts';
import { LOOPBACK_ALLOWED } from '../../helpers/outbound.ts';
import { BACKENDS, ENDPOINT_SKU, connectAndMap, world, type World } from '../psa/fixture.ts';

let w: World;
let col: RunningCollector;
let browser: TestBrowser;

describe.skipIf(!chromiumAvailable('console PSA page (test/collector/console/psa.test.ts)'))('PSA sync in the console', () => {
  beforeAll(async () => {
    w = await world(BACKENDS[0]);
    col = await startCollector({
      storage: w.storage, logger: w.logger, host: '127.0.0.1', port: 0, now: () => w.clock.now, billingIntervalMs: 0, reportScheduleIntervalMs: 0,
      psaScheduleIntervalMs: 0, psaKey: w.psa.key, psaHttp: { backoffMs: 5 }, outbound: LOOPBACK_ALLOWED, reportsDir: `/tmp/tally-psa-console-${process.pid}`,
    });
    const key = (await w.run(COMMANDS.createApiKey, {}, { label: 'console', companyId: null, readOnly: false }) as { key: string }).key;
    await connectAndMap(w, 'connectwise');
    await connectAndMap(w, 'halopsa');
    await w.run(COMMANDS.runPsaSync, { kind: 'connectwise' }, { month: '2026-10' });
    // Someone changes Acme's quantity by hand in ConnectWise.
    w.cw.line(9001, 700)!.quantity = 6;
    browser = await launchBrowser('console-psa');
    await browser.page.goto(`${col.url}/console/login`);
    await browser.page.getByLabel('API key').fill(key);
    await browser.page.getByRole('button', { name: 'Log in' }).click();
    await browser.page.waitForLoadState('domcontentloaded');
    browser.page.on('dialog', (d) => void d.accept());
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await col?.stop();
    await w?.close();
  });

  it('lists the PSAs and mappings, reconciles with drift flags, and syncs on request', async () => {
    const { page } = browser;
    await page.getByRole('link', { name: 'PSA sync', exact: true }).click();
    await page.waitForSelector('#psa-connections');
    expect(await page.locator('#psa-connections tbody tr').count()).toBe(2);
    expect(await page.locator('#psa-connections tr[data-kind="connectwise"]').textContent()).toContain('ok');
    expect(await page.locator('#psa-unmapped').textContent()).toContain('Initech');
    await page.getByRole('button', { name: 'Reconcile' }).click();
    await page.waitForSelector('#psa-reconciliation');
    const acme = page.locator(`#psa-reconciliation tr[data-company="${w.acme.id}"][data-sku="${ENDPOINT_SKU}"]`);
    expect((await acme.locator('td').allTextContents()).slice(2)).toEqual(['3', '6', '3', '-3', '—', 'Edited by hand in the PSA']);
    expect(await page.locator(`#psa-reconciliation tr[data-company="${w.umbrella.id}"]`).textContent()).toContain('Unlicensed activity (never pushed)');
    await browser.shot('reconciliation');
    await browser.shot('reconciliation-phone', { width: 390, height: 844 });

    // HaloPSA: nothing synced yet; "Sync now" writes both lines.
    await page.goto(`${col.url}/console/psa?kind=halopsa&month=2026-10&reconcile=1`);
    expect(await page.locator('#psa-summary').textContent()).toBe('2 lines to write, 2 flagged.');
    await page.getByRole('button', { name: 'Sync now' }).click();
    await page.waitForSelector('#done-title');
    expect(await page.locator('#done-title').textContent()).toBe('PSA synced');
    expect(await page.locator('main').textContent()).toContain('2026-10: 2 line(s) written');
    await browser.shot('synced');
    expect(w.halo.qty(60, 300)).toBe(3);

    // The overview shows when each customer was last synced.
    await page.goto(`${col.url}/console/overview?month=2026-10`);
    const row = page.locator('tr', { hasText: 'ACME Corp' }).first();
    expect(await row.locator('td[data-col="sync"]').textContent()).toMatch(/^2026-10-20 12:00 UTC$/);
    expect(await page.locator('tr', { hasText: 'Initech' }).first().locator('td[data-col="sync"]').textContent()).toBe('—');
  });
});
