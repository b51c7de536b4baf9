// Single sign-on end to end in a real browser: a certified OpenID Connect
// provider (oidc-provider, its development login and consent pages) started
// on loopback, a real collector, and Debian's chromium. A person whose
// "groups" claim maps to a role signs in and is created with that role; one
// whose claim maps to nothing is refused and not created. Every request the
// browser makes off loopback is aborted (the provider's pages ask for a web
// font). Screenshots: test-artifacts/console/sso-*.png.
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Provider from 'oidc-provider';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OutboundPolicy } from '../../../collector/src/outbound.ts';
import { startTestCollector, type TestCollector } from '../../helpers/collector.ts';
import { restOk } from '../../helpers/http.ts';
import { shouldRun } from '../../helpers/requirements.ts';

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = join(process.cwd(), 'test-artifacts', 'console');

/** The provider's people and their groups. */
const PEOPLE: Record<string, { name: string; groups: string[] }> = {
  alice: { name: 'Alice Billing', groups: ['staff', 'tally-billing'] },
  mallory: { name: 'Mallory Outsider', groups: ['staff'] },
};

const run = shouldRun('single sign-on browser test (test/collector/console/sso.test.ts)',
  existsSync(CHROMIUM) ? { met: true } : { met: false, reason: `${CHROMIUM} is missing (apt-get install chromium, or run bash .ci/run)` });

describe.skipIf(!run)('single sign-on with OpenID Connect in chromium', () => {
  let col: TestCollector;
  let idp: Server;
  let issuer: string;
  let context: BrowserContext;
  let page: Page;
  let profile: string;
  let key: string;
  const offLoopback: string[] = [];

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    col = await startTestCollector();
    key = await col.apiKey();
    idp = createServer();
    await new Promise<void>((resolve) => idp.listen(0, '127.0.0.1', resolve));
    issuer = `http://127.0.0.1:${(idp.address() as AddressInfo).port}`;
    const provider = new Provider(issuer, {
      clients: [{
        client_id: 'tally', client_secret: 'tally-test-secret', redirect_uris: [`${col.url}/console/sso/callback`],
        grant_types: ['authorization_code'], response_types: ['code'], token_endpoint_auth_method: 'client_secret_basic',
      }],
      pkce: { required: () => true },
      claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name', 'groups'] },
      // The claims in the ID token itself (what Tally reads), not only at the userinfo endpoint.
      conformIdTokenClaims: false,
      features: { devInteractions: { enabled: true } },
      findAccount: async (_ctx: unknown, id: string) => ({
        accountId: id,
        claims: async () => ({ sub: id, email: `${id}@corp.example`, email_verified: true, name: PEOPLE[id]?.name ?? id, groups: PEOPLE[id]?.groups ?? [] }),
      }),
    });
    idp.on('request', provider.callback());
    await restOk(col.url, key, 'POST', '/sso-providers', {
      name: 'Corp IdP', issuer, clientId: 'tally', clientSecret: 'tally-test-secret', claim: 'groups',
      mappings: [{ value: 'tally-owners', role: 'owner' }, { value: 'tally-billing', role: 'billing_admin' }],
    });
    profile = mkdtempSync(join(tmpdir(), 'tally-chromium-'));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM, headless: true, viewport: { width: 1366, height: 768 },
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
    });
    await context.route('**/*', (route) => {
      const host = new URL(route.request().url()).hostname;
      if (host === '127.0.0.1') return route.continue();
      offLoopback.push(route.request().url());
      return route.abort();
    });
    page = context.pages()[0] ?? (await context.newPage());
  }, 60_000);

  afterAll(async () => {
    await context?.close();
    await new Promise((resolve) => idp?.close(resolve));
    await col?.dispose();
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  async function signInAt(login: string) {
    try {
      await signInSteps(login);
    } catch (err) {
      await page.screenshot({ path: join(ARTIFACTS, `sso-failed-${login}.png`), fullPage: true });
      throw new Error(`single sign-on stopped at ${page.url()}: ${(await page.locator('body').textContent())?.slice(0, 400)}`, { cause: err });
    }
  }

  async function signInSteps(login: string) {
    page.setDefaultTimeout(10_000);
    await page.goto(`${col.url}/console/login`);
    await page.getByRole('button', { name: 'Sign in with Corp IdP' }).click();
    await page.waitForURL((u) => u.href.startsWith(issuer));
    await page.locator('input[name="login"]').fill(login);
    await page.locator('input[name="password"]').fill('any password');
    await page.screenshot({ path: join(ARTIFACTS, 'sso-provider-login.png') });
    await page.getByRole('button', { name: 'Sign-in' }).click();
    // First time for this person: the provider asks for consent.
    const consent = page.getByRole('button', { name: 'Continue' });
    await page.waitForURL((u) => u.href.startsWith(col.url) || u.pathname.includes('/interaction/'));
    if (new URL(page.url()).pathname.includes('/interaction/')) await consent.click();
    // Back at Tally: signed in (the header names the person), or refused (the login page says why).
    await page.locator('#viewer, #login-error').first().waitFor();
  }

  it('signs a person in through the provider, with the role their claim maps to, created on first sign-in', async () => {
    await signInAt('alice');
    expect(new URL(page.url()).pathname).toBe('/console/overview');
    await expect.poll(() => page.locator('#viewer').textContent()).toContain('Alice Billing');
    expect(await page.locator('#viewer').textContent()).toContain('Billing admin');
    await page.screenshot({ path: join(ARTIFACTS, 'sso-signed-in.png'), fullPage: true });
    const users = (await restOk(col.url, key, 'GET', '/admin-users')).users;
    expect(users.find((u: any) => u.email === 'alice@corp.example')).toMatchObject({ role: 'billing_admin', companyId: null, signIn: 'sso', createdBy: expect.stringMatching(/^sso:/) });
    // A billing admin has no Users page.
    const res = await page.goto(`${col.url}/console/users`);
    expect(res!.status()).toBe(403);
    await page.goto(`${col.url}/console/account`);
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.waitForURL((u) => u.pathname === '/console/login');
  });

  it('refuses a person whose claim maps to no role, and does not create them', async () => {
    await context.clearCookies();
    await signInAt('mallory');
    expect(new URL(page.url()).pathname).toBe('/console/sso/callback');
    await expect.poll(() => page.locator('#login-error').textContent()).toContain('has no role in Tally');
    await page.screenshot({ path: join(ARTIFACTS, 'sso-refused.png'), fullPage: true });
    expect((await context.cookies()).some((c) => c.name === 'tally_console_session')).toBe(false);
    const users = (await restOk(col.url, key, 'GET', '/admin-users')).users;
    expect(users.some((u: any) => u.email === 'mallory@corp.example')).toBe(false);
    const audit = (await restOk(col.url, key, 'GET', '/audit?limit=100')).entries;
    expect(audit.some((e: any) => e.action === 'session.sso_refused' && e.details.email === 'mallory@corp.example')).toBe(true);
    expect(audit.some((e: any) => e.action === 'session.sign_in' && e.details.method === 'sso')).toBe(true);
  });

  it('sent nothing off loopback but the provider page\'s web font', () => {
    expect(offLoopback.filter((u) => !u.startsWith('https://fonts.googleapis.com/'))).toEqual([]);
  });
});

describe('single sign-on with a provider outside the public internet', () => {
  it('is refused before the collector connects (a partner cannot aim discovery at loopback, a private network or the metadata address), with a clear page', async () => {
    // The collector's default: public internet addresses only (no --outbound-allow).
    const col = await startTestCollector({ outbound: new OutboundPolicy() });
    try {
      const key = await col.apiKey();
      for (const issuer of ['http://127.0.0.1:9', 'http://localhost:9', 'https://169.254.169.254', 'https://10.0.0.5/realms/corp']) {
        const made = await restOk(col.url, key, 'POST', '/sso-providers', { name: `IdP ${issuer}`, issuer, clientId: 'tally', clientSecret: 'x', claim: 'groups', mappings: [{ value: 'owners', role: 'owner' }] });
        const res = await fetch(`${col.url}/console/login/sso/${made.id}`, { redirect: 'manual' });
        expect(res.status, issuer).toBe(502);
        expect(await res.text(), issuer).toMatch(/could not be reached or answered unexpectedly \(.*not public internet addresses/);
      }
    } finally {
      await col.dispose();
    }
  });
});
