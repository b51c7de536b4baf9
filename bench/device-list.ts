// Devices page: the console's device list over a large fleet (issue 21),
// written straight into a SQLite file (a partner with two customers, three
// quarters of the devices active today). Each page is one indexed statement
// after the last device shown (AdminReadStore.deviceListPage); the baseline
// in the same run is the same list read with LIMIT/OFFSET, which reads every
// device before the page. Figures: the store's first, middle and last page
// with their OFFSET baselines, filtered pages, and the whole console page
// over HTTP (billing of the page's devices included) at the start and the end.
import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { DEVICE_PAGE } from '../collector/src/console/data.ts';
import { openSqliteStorage } from '../collector/src/storage/sqlite/index.ts';
import type { DeviceCursor, DevicePageQuery } from '../collector/src/storage/types.ts';
import { startTestCollector } from '../test/helpers/collector.ts';
import { consoleSession } from '../test/helpers/http.ts';
import { Seeder } from '../test/helpers/seed.ts';
import { BENCH_DIR, type Figure } from './lib.ts';

const DAY = 86_400_000;

/** Median of `runs` timings of fn, in ms. */
async function timed(fn: () => Promise<unknown> | unknown, runs = 5): Promise<number> {
  const t: number[] = [];
  for (let i = 0; i < runs; i++) {
    const s = process.hrtime.bigint();
    await fn();
    t.push(Number(process.hrtime.bigint() - s) / 1e6);
  }
  return t.sort((a, b) => a - b)[Math.floor(runs / 2)];
}

export async function deviceListBench(o: { devices: number }): Promise<Figure[]> {
  mkdirSync(BENCH_DIR, { recursive: true });
  const path = join(BENCH_DIR, `device-list-${o.devices}-${process.pid}.db`);
  const now = Date.now();
  const setup = openSqliteStorage({ path, nowMs: now });
  const seed = new Seeder(setup);
  const partner = await seed.company('Bench Partner', { type: 'partner', atMs: now - 30 * DAY });
  const customers = [
    await seed.company('Bench Dental', { parentId: partner.id, atMs: now - 30 * DAY, subscription: { effectiveFromMs: now - 30 * DAY } }),
    await seed.company('Bench Legal', { parentId: partner.id, atMs: now - 30 * DAY, subscription: { effectiveFromMs: now - 30 * DAY } }),
  ];
  await setup.close();
  const db = new Database(path);
  db.pragma('synchronous = OFF');
  const platforms = ['windows', 'windows', 'linux', 'darwin'];
  const insert = db.prepare(`INSERT INTO devices (id, company_id, key_hash, instance_id, hostname, agent_version, enrolled_at, last_seen_at, platform, virtual)
    VALUES (?, ?, ?, ?, ?, 'bench', ?, ?, ?, ?)`);
  const day = db.prepare(`INSERT INTO device_days (device_id, utc_day, company_id, awake_seconds, first_at, last_at, virtual, role, platform, modules)
    VALUES (?, ?, ?, 3600, ?, ?, ?, 'workstation', ?, '["antimalware"]')`);
  const today = Math.floor(now / DAY);
  const seedStart = Date.now();
  db.transaction(() => {
    for (let i = 0; i < o.devices; i++) {
      const id = randomUUID();
      const company = customers[i % 2].id;
      const virtual = i % 5 === 0 ? 1 : 0;
      insert.run(id, company, `k-${id}`, id, `pc-${String((i * 7919) % o.devices).padStart(6, '0')}`, now - 30 * DAY, now, platforms[i % 4], virtual);
      if (i % 4 !== 1) day.run(id, today, company, now, now, virtual, platforms[i % 4]);
    }
  })();
  db.close();
  const seedMs = Date.now() - seedStart;

  const storage = openSqliteStorage({ path, nowMs: now });
  const companyIds = [partner.id, ...customers.map((c) => c.id)];
  const base: DevicePageQuery = { companyIds, after: null, limit: DEVICE_PAGE, activeAfterMs: now - 90 * DAY };
  // Walk every page once, keeping the cursors (the middle and the last page are then asked again, timed).
  const cursors: (DeviceCursor | null)[] = [null];
  const walkStart = Date.now();
  for (let i = 0; i < o.devices; i++) {
    const page = await storage.adminRead.deviceListPage({ ...base, after: cursors.at(-1)! });
    if (!page.next) break;
    cursors.push(page.next);
  }
  const walkMs = Date.now() - walkStart;
  const pages = cursors.length;
  // The baseline: the same list, ORDER BY name LIMIT/OFFSET (what a page number would do), on its own connection.
  const raw = new Database(path, { readonly: true });
  const offsetPage = raw.prepare(`SELECT d.id, d.hostname, c.name FROM devices d JOIN companies c ON c.id = d.company_id
    WHERE d.merged_into IS NULL AND d.company_id IN (SELECT value FROM json_each(?)) AND COALESCE(d.last_seen_at, d.enrolled_at) > ?
    ORDER BY d.hostname, d.id LIMIT ? OFFSET ?`);
  const offset = (pageNo: number) => timed(() => offsetPage.all(JSON.stringify(companyIds), now - 90 * DAY, DEVICE_PAGE + 1, pageNo * DEVICE_PAGE));
  const keyset = (pageNo: number, extra: Partial<DevicePageQuery> = {}) => timed(() => storage.adminRead.deviceListPage({ ...base, after: cursors[pageNo], ...extra }));
  const figures: Figure[] = [];
  const fig = (name: string, value: number, baseline?: number, note?: string): Figure =>
    ({ bench: 'devices', name, value, unit: 'ms', ...(baseline !== undefined ? { baseline, ratio: value / baseline } : {}), ...(note ? { note } : {}) });
  const mid = Math.floor(pages / 2);
  figures.push(fig(`store: page 1 of ${pages}`, await keyset(0), await offset(0)));
  figures.push(fig(`store: page ${mid + 1} of ${pages}`, await keyset(mid), await offset(mid)));
  figures.push(fig(`store: page ${pages} of ${pages} (the last)`, await keyset(pages - 1), await offset(pages - 1), 'baseline: LIMIT/OFFSET'));
  figures.push(fig('store: one company, page 1', await timed(() => storage.adminRead.deviceListPage({ ...base, companyIds: [customers[1].id] }))));
  figures.push(fig('store: macOS (a quarter), middle page', await keyset(mid, { platform: 'darwin' })));
  const month = { fromDay: Math.floor(Date.UTC(new Date(now).getUTCFullYear(), new Date(now).getUTCMonth(), 1) / DAY), toDay: today + 1 };
  figures.push(fig('store: inactive this month, middle page', await keyset(mid, { status: { is: 'inactive', ...month } })));
  raw.close();

  // The whole console page over HTTP: session, scope, the page's statement, billing of its devices, rendering.
  const col = await startTestCollector({ storage });
  try {
    const session = await consoleSession(col.url, await col.apiKey());
    const url = (after: DeviceCursor | null, extra = '') =>
      `/console/companies/${partner.id}/devices?month=${new Date(now).toISOString().slice(0, 7)}${after ? `&after=${Buffer.from(JSON.stringify([after.hostname, after.id])).toString('base64url')}` : ''}${extra}`;
    const get = async (u: string) => {
      const r = await session.get(u);
      if (r.status !== 200) throw new Error(`${u}: ${r.status}`);
    };
    const first = await timed(() => get(url(null)), 3);
    figures.push(fig('console page 1 over HTTP', first));
    figures.push(fig(`console page ${pages} over HTTP`, await timed(() => get(url(cursors[pages - 1])), 3), first, 'baseline: page 1'));
    figures.push(fig('console page 1 over HTTP, billed only', await timed(() => get(url(null, '&billed=yes')), 3), first, 'baseline: page 1 unfiltered'));
  } finally {
    await col.dispose();
    rmSync(path, { force: true });
    rmSync(`${path}-wal`, { force: true });
    rmSync(`${path}-shm`, { force: true });
  }
  figures.push({ bench: 'devices', name: `seeded ${o.devices} devices; walked all ${pages} pages`, value: walkMs, unit: 'ms', note: `seed ${seedMs} ms; ${(walkMs / pages).toFixed(2)} ms a page` });
  return figures;
}
