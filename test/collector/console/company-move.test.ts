// Moving a company under another partner from the console: the form on the
// company's page offers the partners it may go under (never itself or a
// company below it), runs the company.move command with the session's CSRF
// token, and a refused move says why: a cycle is a conflict, and a parent in
// another tenant answers exactly like a parent that does not exist. Over
// HTTP as a browser posts the form; the tree is seeded through the stores
// (test/helpers/seed.ts), the move goes through the console only.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCollector, type TestCollector } from '../../helpers/collector.ts';
import { consoleSession, restOk, type ConsoleClient, type HttpAnswer } from '../../helpers/http.ts';
import { Seeder } from '../../helpers/seed.ts';

let col: TestCollector;
let key: string;
const ids: Record<string, string> = {};
const sessions: Record<string, ConsoleClient> = {};

/** The options of the move form's parent select, as [value, label]. */
const moveOptions = (page: HttpAnswer): [string, string][] => {
  const form = /<form[^>]*data-action="company-move"[\s\S]*?<\/form>/.exec(page.text)?.[0];
  if (!form) return [];
  return [...form.matchAll(/<option value="([^"]*)">([^<]*)<\/option>/g)].map((m) => [m[1], m[2]]);
};
const messageOf = (a: HttpAnswer) => /id="error-message">([^<]*)</.exec(a.text)?.[1] ?? '';
const parentOf = async (companyId: string) => ((await restOk(col.url, key, 'GET', '/companies')).companies as { id: string; parentId: string | null }[])
  .find((c) => c.id === companyId)!.parentId;

describe('moving a company in the console', () => {
  beforeAll(async () => {
    col = await startTestCollector();
    key = await col.apiKey();
    const seed = new Seeder(col.storage);
    const at = Date.now() - 86_400_000;
    ids.north = (await seed.company('North Partner', { type: 'partner', atMs: at })).id;
    ids.reseller = (await seed.company('North Reseller', { type: 'partner', parentId: ids.north, atMs: at })).id;
    ids.dental = (await seed.company('Acme Dental', { parentId: ids.reseller, atMs: at })).id;
    ids.south = (await seed.company('South Partner', { type: 'partner', atMs: at })).id;
    ids.legal = (await seed.company('Baker Legal', { parentId: ids.south, atMs: at })).id;
    const northKey = (await restOk(col.url, key, 'POST', '/api-keys', { label: 'north', companyId: ids.north })).key;
    sessions.installation = await consoleSession(col.url, key);
    sessions.north = await consoleSession(col.url, northKey);
  }, 30_000);
  afterAll(async () => {
    await col?.dispose();
  });

  it('offers the partners a company may go under: never itself, a company below it, or its parent now', async () => {
    const reseller = await sessions.installation.get(`/console/companies/${ids.reseller}`);
    expect(reseller.status).toBe(200);
    expect(moveOptions(reseller)).toEqual([[ids.south, 'South Partner'], ['none', 'the top level (no partner)']]);
    const north = moveOptions(await sessions.installation.get(`/console/companies/${ids.north}`));
    // North is at the top already: only South (its reseller below it is no place for it).
    expect(north).toEqual([[ids.south, 'South Partner']]);
    // A partner's session moves within its own tree, never to the top level, and never its own company.
    expect(moveOptions(await sessions.north.get(`/console/companies/${ids.dental}`))).toEqual([[ids.north, 'North Partner']]);
    expect(moveOptions(await sessions.north.get(`/console/companies/${ids.north}`))).toEqual([]);
  });

  it('moves the company through the form, with its CSRF token, and audits it', async () => {
    const done = await sessions.installation.post('/console/actions/company-move', { companyId: ids.dental, parentId: ids.south });
    expect(done.status).toBe(200);
    expect(done.text).toContain('Company moved');
    expect(await parentOf(ids.dental)).toBe(ids.south);
    const audit = (await restOk(col.url, key, 'GET', '/audit?limit=100')).entries as { action: string; targetId: string; details: Record<string, unknown> }[];
    expect(audit.filter((e) => e.action === 'company.move')).toEqual([
      expect.objectContaining({ targetId: ids.dental, details: { fromParentId: ids.reseller, toParentId: ids.south } }),
    ]);
    // And back, from the page the form is on.
    const page = await sessions.installation.get(`/console/companies/${ids.dental}`);
    expect(moveOptions(page).map(([v]) => v)).toEqual([ids.north, ids.reseller, 'none']);
    expect((await sessions.installation.post('/console/actions/company-move', { companyId: ids.dental, parentId: ids.reseller })).status).toBe(200);
    expect(await parentOf(ids.dental)).toBe(ids.reseller);
  });

  it('refuses the form without the session\'s CSRF token, and moves nothing', async () => {
    const res = await fetch(`${col.url}/console/actions/company-move`, {
      method: 'POST', redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: sessions.installation.session },
      body: new URLSearchParams({ companyId: ids.dental, parentId: ids.south, _csrf: 'forged' }),
    });
    expect(res.status).toBe(403);
    expect(await res.text()).toContain('Form refused');
    expect(await parentOf(ids.dental)).toBe(ids.reseller);
  });

  it('refuses a move under itself or a company below it (a cycle), and under a customer', async () => {
    const underChild = await sessions.installation.post('/console/actions/company-move', { companyId: ids.north, parentId: ids.reseller });
    expect([underChild.status, sessions.installation.codeOf(underChild)]).toEqual([409, 'conflict']);
    expect(messageOf(underChild)).toMatch(/cannot move under itself or a company below it/);
    const underSelf = await sessions.installation.post('/console/actions/company-move', { companyId: ids.north, parentId: ids.north });
    expect(sessions.installation.codeOf(underSelf)).toBe('conflict');
    const underCustomer = await sessions.installation.post('/console/actions/company-move', { companyId: ids.reseller, parentId: ids.legal });
    expect(sessions.installation.codeOf(underCustomer)).toBe('conflict');
    expect(await parentOf(ids.north)).toBeNull();
    expect(await parentOf(ids.reseller)).toBe(ids.north);
  });

  it('answers a parent in another tenant exactly like a parent that does not exist', async () => {
    const unknown = randomUUID();
    const foreign = await sessions.north.post('/console/actions/company-move', { companyId: ids.dental, parentId: ids.south });
    const missing = await sessions.north.post('/console/actions/company-move', { companyId: ids.dental, parentId: unknown });
    expect([foreign.status, sessions.north.codeOf(foreign)]).toEqual([404, 'not_found']);
    expect([missing.status, sessions.north.codeOf(missing)]).toEqual([404, 'not_found']);
    // Same words, apart from the id asked for: nothing tells that South Partner exists.
    expect(messageOf(foreign).replace(ids.south, 'ID')).toBe(messageOf(missing).replace(unknown, 'ID'));
    // A company of another tenant to move: the same answer.
    const foreignCompany = await sessions.north.post('/console/actions/company-move', { companyId: ids.legal, parentId: ids.north });
    expect(sessions.north.codeOf(foreignCompany)).toBe('not_found');
    expect(messageOf(foreignCompany).replace(ids.legal, 'ID')).toBe(messageOf(missing).replace(unknown, 'ID'));
    // The top level is the installation's to give.
    expect(sessions.north.codeOf(await sessions.north.post('/console/actions/company-move', { companyId: ids.dental, parentId: 'none' }))).toBe('forbidden');
    expect(await parentOf(ids.dental)).toBe(ids.reseller);
    expect(await parentOf(ids.legal)).toBe(ids.south);
  });
});
