// The console's webhooks and alerts page in a real browser: endpoints with
// their scope, filter and latest deliveries (delivered, failing), alert rules
// with what is raised now; a partner's user sees only its own.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishEvent } from '../../../collector/src/hooks/events.ts';
import { chromiumAvailable, launchBrowser, type TestBrowser } from '../../helpers/browser.ts';
import { pollUntil } from '../../helpers/processes.ts';
import { Seeder } from '../../helpers/seed.ts';
import { BACKENDS, Receiver, startHookCollector, type HookCollector } from '../hooks/harness.ts';

const run = chromiumAvailable('console webhooks page');

describe.skipIf(!run)('console: webhooks and alerts', () => {
  let c: HookCollector;
  let rx: Receiver;
  let browser: TestBrowser;
  const ids = {} as Record<'partner' | 'customer' | 'other' | 'device' | 'good' | 'bad' | 'otherEp', string>;

  beforeAll(async () => {
    c = await startHookCollector(BACKENDS[0]);
    rx = await new Receiver().start();
    const seed = new Seeder(c.storage);
    const at = Date.now() - 86_400_000;
    ids.partner = (await seed.company('Northwind MSP', { type: 'partner', atMs: at })).id;
    ids.customer = (await seed.company('Contoso Dental', { parentId: ids.partner, atMs: at })).id;
    ids.other = (await seed.company('Other MSP', { type: 'partner', atMs: at })).id;
    ids.device = await seed.device(ids.customer, { atMs: at, hostname: 'reception-pc' });
    ids.good = (await c.call('POST', '/webhooks', { url: rx.answer('/psa'), description: 'PSA bridge', companyId: ids.partner, eventTypes: ['device.retired', 'alert.raised'] })).body.id;
    ids.bad = (await c.call('POST', '/webhooks', { url: rx.answer('/down', 500), description: 'Old SIEM', companyId: ids.customer })).body.id;
    ids.otherEp = (await c.call('POST', '/webhooks', { url: rx.answer('/other'), description: 'Other partner', companyId: ids.other })).body.id;
    await c.call('POST', `/companies/${ids.customer}/alert-rules`, { name: 'Enrolment burst', kind: 'enrolment_burst', params: { count: 2, minutes: 10 }, emailTo: ['noc@northwind.example'] });
    await c.call('POST', `/companies/${ids.partner}/alert-rules`, { name: 'Fleet drop', kind: 'week_drop', params: { percent: 30 } });
    for (let i = 0; i < 2; i++) await publishEvent(c.storage.hooks, { type: 'device.enrolled', companyId: ids.customer, tokenId: 'tok-1', data: { deviceId: `d${i}` } }, Date.now());
    await c.alerts.evaluate();
    expect((await c.call('POST', `/devices/${ids.device}/retire`, {})).status).toBe(200);
    await pollUntil(async () => rx.at('/psa').length >= 2 && rx.at('/down').length >= 2, 5_000, 'deliveries');
    browser = await launchBrowser('console-webhooks');
    await browser.page.goto(`${c.url}/console/login`);
    await browser.page.getByLabel('API key').fill(c.installationKey);
    await browser.page.getByRole('button', { name: 'Log in' }).click();
    await browser.page.waitForLoadState('domcontentloaded');
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await rx?.stop();
    await c?.dispose();
  });

  it('lists endpoints with scope, filter and deliveries, and rules with what is raised now', async () => {
    const { page } = browser;
    await page.getByRole('link', { name: 'Webhooks and alerts' }).click();
    await page.waitForSelector('#endpoints-table');
    const psa = await page.locator('tr[data-endpoint$="/psa"]').textContent();
    expect(psa).toContain('Northwind MSP');
    expect(psa).toContain('device.retired, alert.raised'.split(', ').sort().join(', '));
    expect(psa).toMatch(/delivered.*device\.retired/);
    expect(psa).toMatch(/delivered.*alert\.raised/);
    const down = await page.locator('tr[data-endpoint$="/down"]').textContent();
    expect(down).toContain('every event');
    expect(down).toMatch(/(pending|failed).*attempt/);
    expect(await page.locator('#alerts-raised').textContent()).toBe('1 alert is raised now.');
    expect(await page.locator('tr[data-rule="Enrolment burst"]').textContent()).toContain('2 enrolments on token tok-1 within 10 minutes');
    expect(await page.locator('tr[data-rule="Fleet drop"]').textContent()).toMatch(/down more than 30 % on the same day last week.*no$/);
    // No secret anywhere on the page.
    expect(await page.content()).not.toContain('whsec_');
    await browser.shot('webhooks-and-alerts');
    await browser.shot('webhooks-and-alerts-phone', { width: 390, height: 844 });
  });

  it("a partner's key sees its own endpoints and rules, not another partner's", async () => {
    const partnerKey = await c.keyFor(ids.partner);
    const res = await fetch(`${c.url}/console/login`, { method: 'GET' });
    expect(res.status).toBe(200);
    const { page } = browser;
    await page.goto(`${c.url}/console/logout`).catch(() => {});
    await browser.context.clearCookies();
    await page.goto(`${c.url}/console/login`);
    await page.getByLabel('API key').fill(partnerKey);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForLoadState('domcontentloaded');
    await page.goto(`${c.url}/console/webhooks`);
    const text = await page.locator('#endpoints-table').textContent();
    expect(text).toContain('/psa');
    expect(text).toContain('/down');
    expect(text).not.toContain('/other');
  });
});
