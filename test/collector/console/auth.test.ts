// Console auth over plain HTTP (no browser): login CSRF, Origin checks,
// revoked keys, inactive companies, and pages that need no inline code.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCollector, type TestCollector } from '../../helpers/collector.ts';
import { NOW, seed, type Seeded } from './seed.ts';

let col: TestCollector;
let data: Seeded;

beforeAll(async () => {
  col = await startTestCollector({ now: () => NOW });
  data = await seed(col.storage);
});
afterAll(async () => col?.dispose());

const cookieOf = (res: Response, name: string) =>
  res.headers.getSetCookie().map((c) => c.split(';')[0]).find((c) => c.startsWith(`${name}=`)) ?? null;

async function loginForm() {
  const res = await fetch(`${col.url}/console/login`);
  const html = await res.text();
  return { cookie: cookieOf(res, 'tally_console_login')!, token: /name="_csrf" value="([^"]+)"/.exec(html)![1], html, res };
}

async function login(key: string, opts: { origin?: string; token?: string; cookie?: string | null } = {}) {
  const form = await loginForm();
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
  const cookie = opts.cookie === undefined ? form.cookie : opts.cookie;
  if (cookie) headers.cookie = cookie;
  if (opts.origin) headers.origin = opts.origin;
  return fetch(`${col.url}/console/login`, {
    method: 'POST', redirect: 'manual', headers, body: new URLSearchParams({ key, _csrf: opts.token ?? form.token, next: '/console/companies' }),
  });
}

describe('console auth', () => {
  it('serves the login page with a CSP of self only and no inline script or style', async () => {
    const { res, html } = await loginForm();
    const csp = res.headers.get('content-security-policy')!;
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|https?:/);
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)/);
    expect(html).not.toMatch(/\sstyle=/);
    expect(html).not.toMatch(/https?:\/\//);
    const css = await fetch(`${col.url}/console/assets/console.css`);
    expect(css.headers.get('content-type')).toContain('text/css');
    expect(await css.text()).not.toMatch(/@import|url\(\s*['"]?https?:/);
  });

  it('refuses a login without the login form token or from another origin', async () => {
    expect((await login(data.keys.north, { cookie: null })).status).toBe(403);
    expect((await login(data.keys.north, { token: 'forged' })).status).toBe(403);
    expect((await login(data.keys.north, { origin: 'https://evil.example' })).status).toBe(403);
    expect((await login('not-a-key')).status).toBe(401);
    const ok = await login(data.keys.north);
    expect(ok.status).toBe(303);
    expect(ok.headers.get('location')).toBe('/console/companies');
    const set = ok.headers.getSetCookie().find((c) => c.startsWith('tally_console_session='))!;
    expect(set).toMatch(/HttpOnly/);
    expect(set).toMatch(/SameSite=Strict/);
    expect(set).toMatch(/Path=\/console/);
    expect(set).not.toContain(data.keys.north);
  });

  it('logs a session out as soon as its key is revoked', async () => {
    const session = cookieOf(await login(data.keys.south), 'tally_console_session')!;
    const page = await fetch(`${col.url}/console/companies/${data.gamma}`, { headers: { cookie: session }, redirect: 'manual' });
    expect(page.status).toBe(200);
    expect(await page.text()).not.toMatch(/\sstyle=|<script(?![^>]*\bsrc=)/);
    const key = (await col.storage.adminWrite.listApiKeys(null)).find((k) => k.label === 'south-admin')!;
    await col.storage.adminWrite.revokeApiKey(key.id, NOW);
    const after = await fetch(`${col.url}/console/companies/${data.gamma}`, { headers: { cookie: session }, redirect: 'manual' });
    expect(after.status).toBe(303);
    expect(after.headers.get('location')).toMatch(/^\/console\/login\?expired=1&next=/);
  });

  it('refuses a key whose company is inactive, and an unauthenticated POST', async () => {
    await col.storage.tenancy.setCompanyActive(data.beta, false, NOW);
    const { storage } = col;
    const { hashSecret, newSecret } = await import('../../../collector/src/auth/secrets.ts');
    const k = newSecret('api_key');
    await storage.adminWrite.createApiKey({ id: 'beta-key', keyHash: hashSecret(k), label: 'beta', companyId: data.beta, readOnly: false, nowMs: NOW });
    const res = await login(k);
    expect(res.status).toBe(403);
    expect(await res.text()).toContain('inactive');
    expect((await fetch(`${col.url}/console/logout`, { method: 'POST', redirect: 'manual' })).status).toBe(401);
  });

  it('answers unknown console paths with an HTML 404 and refuses bad parameters with 400', async () => {
    const session = cookieOf(await login(data.keys.installation), 'tally_console_session')!;
    const get = (p: string) => fetch(`${col.url}${p}`, { headers: { cookie: session }, redirect: 'manual' });
    const missing = await get('/console/nope');
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toContain('text/html');
    expect((await get(`/console/companies/${data.alpha}?month=2026-13`)).status).toBe(400);
    expect((await get(`/console/companies/${data.alpha}?product=xdr`)).status).toBe(400);
    expect((await get(`/console/companies/${data.alpha}/endpoints?column=bogus`)).status).toBe(400);
    expect((await get(`/console/companies/${data.alpha}/export/docx`)).status).toBe(400);
    // The installation key sees every tree.
    const tree = await (await get('/console/companies')).text();
    for (const name of ['North Partner', 'South Partner', 'Gamma Foods']) expect(tree).toContain(name);
  });
});
