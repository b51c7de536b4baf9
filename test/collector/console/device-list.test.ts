// The console's devices page over a large fleet: filters (company, billed,
// status, OS, physical/virtual) answer exactly the devices that match, pages
// follow each other in name order without a gap or a repeat, and a page deep
// in the fleet costs the same statements as the first one: every statement
// is counted (the SQLite connection's trace), the list's own is an index
// range read (EXPLAIN QUERY PLAN: devices_name, no sort of the fleet, no
// OFFSET). Over HTTP with a console session, as a browser asks; the fleet is
// seeded through the stores (test/helpers/seed.ts).
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IDeviceFacts } from '../../../proto/index.ts';
import { openSqliteStorage } from '../../../collector/src/storage/sqlite/index.ts';
import { DEVICE_PAGE } from '../../../collector/src/console/data.ts';
import { startTestCollector, type TestCollector } from '../../helpers/collector.ts';
import { consoleSession, type ConsoleClient, type HttpAnswer } from '../../helpers/http.ts';
import { Seeder } from '../../helpers/seed.ts';

const DAY = 86_400_000;
const FLEET = 1_200; // 12 pages
const dir = mkdtempSync(join(tmpdir(), 'tally-device-list-'));
const dbPath = join(dir, 'tally.db');
let traced: string[] | null = null;
let col: TestCollector;
let session: ConsoleClient;
const ids: Record<string, string> = {};

interface Seeded { id: string; hostname: string; companyId: string; platform: 'windows' | 'linux' | 'darwin'; virtual: boolean; active: boolean; uninstalled: boolean }
const fleet: Seeded[] = [];

const month = new Date().toISOString().slice(0, 7);
const facts = (hostname: string, platform: Seeded['platform'], virtual: boolean): IDeviceFacts => ({
  hostname, os: { platform, name: platform === 'windows' ? 'Windows 11 Pro' : platform === 'linux' ? 'Ubuntu' : 'macOS', version: '1' },
  virtualization: { virtual }, role: { role: virtual ? 'server' : 'workstation' },
});

/** Every device id of the list, following its Next page links from `first`; and the statements each page ran. */
async function walk(first: string): Promise<{ ids: string[]; statements: number[]; pages: HttpAnswer[] }> {
  const out: string[] = [];
  const statements: number[] = [];
  const pages: HttpAnswer[] = [];
  let path: string | null = first;
  for (let i = 0; path && i < 100; i++) {
    traced = [];
    const page = await session.get(path);
    statements.push(traced.length);
    traced = null;
    expect(page.status, path).toBe(200);
    pages.push(page);
    out.push(...[...page.text.matchAll(/<tr data-device="([^"]+)"/g)].map((m) => m[1]));
    const next = /<a href="([^"]+)" id="devices-next">/.exec(page.text)?.[1];
    path = next ? next.replaceAll('&amp;', '&') : null;
  }
  return { ids: out, statements, pages };
}

const byName = (a: Seeded, b: Seeded) => (a.hostname < b.hostname ? -1 : a.hostname > b.hostname ? 1 : a.id < b.id ? -1 : 1);
const devicesPath = (companyId: string, filters: Record<string, string> = {}) =>
  `/console/companies/${companyId}/devices?${new URLSearchParams({ month, ...filters })}`;

describe('the devices page over a large fleet', () => {
  beforeAll(async () => {
    const now = Date.now();
    const storage = openSqliteStorage({ path: dbPath, nowMs: now, trace: (sql) => traced?.push(sql) });
    col = await startTestCollector({ storage });
    // The statements of a page are counted: the collector's background workers (webhook delivery and its hourly
    // pruning, alerts, the report queue) would add theirs to whichever page they happen to run beside.
    await Promise.all([col.webhooks.stop(), col.alerts.stop(), col.jobs.stop()]);
    const seed = new Seeder(col.storage);
    const at = now - 30 * DAY;
    ids.partner = (await seed.company('North Partner', { type: 'partner', atMs: at })).id;
    // Dental has a licence; Legal has none: its active devices are not billed.
    ids.dental = (await seed.company('Acme Dental', { parentId: ids.partner, atMs: at, subscription: { effectiveFromMs: at } })).id;
    ids.legal = (await seed.company('Baker Legal', { parentId: ids.partner, atMs: at })).id;
    const platforms = ['windows', 'windows', 'linux', 'darwin'] as const;
    for (let i = 0; i < FLEET; i++) {
      const companyId = i % 3 === 0 ? ids.legal : ids.dental;
      const platform = platforms[i % 4];
      const virtual = i % 5 === 0;
      // Names out of id order, some shared (two machines named alike are both listed).
      const hostname = i % 97 === 0 ? 'shared-name' : `host-${String((i * 7919) % FLEET).padStart(5, '0')}`;
      const id = await seed.device(companyId, { facts: facts(hostname, platform, virtual), atMs: at });
      const active = i % 4 !== 1;
      if (active) await seed.awake(id, companyId, now, 3_600);
      // Some idle devices had their agent uninstalled.
      const uninstalled = !active && i % 3 === 2;
      if (uninstalled) await col.storage.ingest.recordEvents(id, [{ stream: `e-${id}`, seq: 1, occurredAtMs: now - 3_600_000, kind: 'uninstalled', payload: {} }], now);
      fleet.push({ id, hostname, companyId, platform, virtual, active, uninstalled });
    }
    session = await consoleSession(col.url, await col.apiKey());
  }, 120_000);
  afterAll(async () => {
    await col?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lists every device once, in name order, page after page; a page deep in the fleet runs the statements the first one does', async () => {
    const all = await walk(devicesPath(ids.partner));
    expect(all.pages.length).toBe(FLEET / DEVICE_PAGE);
    expect(all.ids).toEqual([...fleet].sort(byName).map((d) => d.id));
    // Bounded: the same number of statements on every page, whatever its place in the fleet.
    expect(new Set(all.statements).size, all.statements.join()).toBe(1);
    expect(all.statements[0]).toBeLessThan(40);
  }, 60_000);

  it('keeps each page an index range read: no OFFSET, no sort of the fleet, no scan of the devices table', async () => {
    const second = /<a href="([^"]+)" id="devices-next">/.exec((await session.get(devicesPath(ids.partner))).text)![1].replaceAll('&amp;', '&');
    const db = new Database(dbPath, { readonly: true });
    try {
      for (const [what, path, index] of [
        ['a partner\'s subtree', devicesPath(ids.partner), 'devices_name'],
        ['a later page of it', second, 'devices_name'],
        ['its Linux devices', devicesPath(ids.partner, { os: 'linux' }), 'devices_name'],
        ['one company', devicesPath(ids.partner, { company: ids.legal }), 'devices_company_name'],
        ['one company, inactive', devicesPath(ids.legal, { status: 'inactive' }), 'devices_company_name'],
      ] as const) {
        traced = [];
        expect((await session.get(path)).status).toBe(200);
        const statements = traced;
        traced = null;
        expect(statements.some((s) => /\bOFFSET\b/i.test(s)), what).toBe(false);
        // The trace shortens long literals to a comment ('abc'/*+32 bytes*/): still a statement SQLite can plan.
        const list = statements.filter((s) => /from "devices" as "d"/i.test(s) && /order by "d"."hostname"/i.test(s));
        expect(list.length, what).toBe(1);
        const plan = (db.prepare(`EXPLAIN QUERY PLAN ${list[0]}`).all() as { detail: string }[]).map((r) => r.detail);
        process.stderr.write(`[device-list] plan for ${what}: ${plan.join(' | ')}\n`);
        expect(plan.some((p) => p.startsWith('SCAN d USING INDEX ' + index) || p.startsWith('SEARCH d USING INDEX ' + index)), what).toBe(true);
        expect(plan.filter((p) => /TEMP B-TREE FOR ORDER BY|^SCAN d$/.test(p)), what).toEqual([]);
      }
    } finally {
      db.close();
    }
  });

  it.each([
    ['company', () => ({ company: ids.legal }), (d: Seeded) => d.companyId === ids.legal],
    ['OS', () => ({ os: 'linux' }), (d: Seeded) => d.platform === 'linux'],
    ['virtual', () => ({ kind: 'virtual' }), (d: Seeded) => d.virtual],
    ['physical macOS', () => ({ kind: 'physical', os: 'darwin' }), (d: Seeded) => !d.virtual && d.platform === 'darwin'],
    ['status inactive', () => ({ status: 'inactive' }), (d: Seeded) => !d.active && !d.uninstalled],
    ['status uninstalled', () => ({ status: 'uninstalled' }), (d: Seeded) => d.uninstalled],
    ['billed', () => ({ billed: 'yes' }), (d: Seeded) => d.companyId === ids.dental && d.active],
    ['not billed, Windows', () => ({ billed: 'no', os: 'windows' }), (d: Seeded) => !(d.companyId === ids.dental && d.active) && d.platform === 'windows'],
  ])('filters on %s: exactly the matching devices, in name order', async (_name, filters, matches) => {
    const got = await walk(devicesPath(ids.partner, filters()));
    expect(got.ids).toEqual(fleet.filter(matches).sort(byName).map((d) => d.id));
    expect(Math.max(...got.statements)).toBeLessThan(120);
  }, 60_000);

  it('refuses a filter value or a page cursor the page never sends, and a company outside the page', async () => {
    const refused: Record<string, string>[] = [{ status: 'asleep' }, { os: 'beos' }, { billed: 'maybe' }, { kind: 'cloud' }, { after: 'bm90LWEtY3Vyc29y' }];
    for (const filters of refused) {
      const r = await session.get(devicesPath(ids.partner, filters));
      expect([r.status, session.codeOf(r)], JSON.stringify(filters)).toEqual([400, 'invalid_request']);
    }
    const outside = await session.get(devicesPath(ids.dental, { company: ids.legal }));
    expect([outside.status, session.codeOf(outside)]).toEqual([404, 'not_found']);
  });
});
