// Finalized months as rows (issue 22), on real SQLite and PostgreSQL with a
// fixed clock: a month finalized as rows reads back equal to the month
// computed whole (lines and hash), past the in-memory bound; a snapshot
// stored whole by an earlier version keeps its hash and still verifies; a
// crash mid-write leaves the month open and a re-run finalizes it once; a
// changed row fails verification. Tiny pages (2 devices, 3 lines per write,
// 2 lines per read) so every path crosses page boundaries.
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../common/log.ts';
import type { IDeviceFacts } from '../../../proto/index.ts';
import type { DeviceMonthLine, SubscriptionVersion } from '../../../collector/src/billing/index.ts';
import { openPostgresStorage } from '../../../collector/src/storage/postgres/index.ts';
import { openSqliteStorage } from '../../../collector/src/storage/sqlite/index.ts';
import type { BillingStore, MonthSnapshot, Storage } from '../../../collector/src/storage/types.ts';
import { MonthCloser, MonthReader, snapshotHash } from '../../../collector/src/usage/index.ts';
import { STALE_RUN_MS } from '../../../collector/src/usage/month-closer.ts';
import { createMetrics, type Metrics } from '../../../collector/src/metrics.ts';
import { startTestCollector } from '../../helpers/collector.ts';
import { createTestDatabase, pgTestSetting, testPool, type TestDatabase } from '../../helpers/postgres.ts';
import { Seeder } from '../../helpers/seed.ts';

const DAY = 86_400_000;
const NOV_1 = Date.UTC(2026, 10, 1);
const MONTH = '2026-11';
const ADD_ONS = { encryption: true, patchManagement: true, containerProtection: true, ats: true, edr: true, sve: true, integrityMonitoring: null, xdr: [] };

/** A backend under test: a fresh storage per test, and raw SQL beside it (to tamper with rows, to count them). */
interface Backend {
  open(): Promise<Storage>;
  /** The SQLite file (SQLite only). */
  file?(): string;
  exec(sqlite: string, postgres: string, params: unknown[]): Promise<void>;
  count(table: string): Promise<number>;
  close(): Promise<void>;
}

function sqliteBackend(): Backend {
  let dir: string;
  let path: string;
  return {
    async open() {
      dir = mkdtempSync(join(tmpdir(), 'tally-month-rows-'));
      path = join(dir, 't.db');
      return openSqliteStorage({ path, nowMs: NOV_1 });
    },
    file: () => path,
    async exec(sqlite, _postgres, params) {
      const db = new Database(path);
      try {
        db.prepare(sqlite).run(...params);
      } finally {
        db.close();
      }
    },
    async count(table) {
      const db = new Database(path, { readonly: true });
      try {
        return (db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
      } finally {
        db.close();
      }
    },
    async close() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function postgresBackend(serverUrl: string): Backend {
  let db: TestDatabase;
  let pool: ReturnType<typeof testPool>;
  return {
    async open() {
      db = await createTestDatabase(serverUrl);
      pool = testPool(db.url);
      return openPostgresStorage({ url: db.url, nowMs: NOV_1 });
    },
    async exec(_sqlite, postgres, params) {
      await pool.query(postgres, params);
    },
    async count(table) {
      return Number((await pool.query(`SELECT COUNT(*) AS n FROM ${table}`)).rows[0].n);
    },
    async close() {
      await pool.end();
      await db.drop();
    },
  };
}

const pg = pgTestSetting();
const backends: [string, () => Backend][] = [['SQLite', sqliteBackend]];
if (pg.run) backends.push(['PostgreSQL', () => postgresBackend(pg.url)]);

describe.each(backends)('finalized months as rows on %s', (_name, makeBackend) => {
  let backend: Backend;
  let storage: Storage;
  let now: number;
  let seed: Seeder;

  beforeAll(() => {
    backend = makeBackend();
  });
  beforeEach(async () => {
    storage = await backend.open();
    now = Date.UTC(2026, 10, 20);
    seed = new Seeder(storage, () => now);
  });
  afterEach(async () => {
    await storage.close();
    await backend.close();
  });
  afterAll(() => {});

  /** Pages of 2 devices, the in-memory every-line form bounded at 3 endpoints (the month has 10). */
  const readerOver = (billing: BillingStore = storage.billing) =>
    new MonthReader({ billing, now: () => now, graceHours: 72, monthPageDevices: 2, maxLinesDevices: 3, runPageLines: 2 });
  const closerOver = (billing: BillingStore = storage.billing, metrics?: Metrics) =>
    new MonthCloser({ reader: readerOver(billing), billing, now: () => now, logger: silentLogger, graceHours: 72, runWriteLines: 3, runPageLines: 2, metrics });
  const counted = async (metrics: Metrics) => Object.fromEntries((await metrics.monthRuns.get()).values.map((v) => [v.labels.outcome, v.value]));
  /** The month computed whole, in memory, unbounded: what the rows must equal. */
  const computedWhole = () => new MonthReader({ billing: storage.billing, now: () => now, graceHours: 72 }).computeSnapshot(MONTH);

  const company = (id: string, name: string, type: 'partner' | 'customer', parentId: string | null, sub?: Partial<SubscriptionVersion>) =>
    seed.company(name, { id, type, parentId, atMs: NOV_1 - 60 * DAY, subscription: sub && { ...sub, addOns: ADD_ONS } });
  const facts = (hostname: string, extra: Partial<IDeviceFacts> = {}): IDeviceFacts => ({
    hostname, os: { platform: 'windows' }, virtualization: { virtual: false }, role: { role: 'workstation' },
    modules: [{ name: 'antimalware', installed: true }, { name: 'full_disk_encryption', installed: true }], ...extra,
  });
  const device = (id: string, companyId: string, extra: Partial<IDeviceFacts> = {}) => seed.device(companyId, { id, facts: facts(id, extra), hostname: id, atMs: NOV_1 });

  /** Seed 003's EDR example, a device that moved mid-month, one asleep, and user-based lines (a user with 4 devices: one beyond the allowance). */
  async function seedMonth() {
    await company('p1', 'Partner 1', 'partner', null, { productType: 'endpoint_security', licenseType: 'monthly_license' });
    await company('a', 'Customer A', 'customer', 'p1', {});
    await company('b', 'Customer B', 'customer', 'p1', {});
    await company('d', 'Customer D', 'customer', 'p1', { productType: 'edr' });
    for (const [id, co] of [['a-1', 'a'], ['a-2', 'a'], ['b-1', 'b'], ['d-1', 'd'], ['d-2', 'd']] as const) {
      await seed.awake(await device(id, co), co, NOV_1 + 3 * DAY, 3600);
    }
    await device('m-1', 'a');
    await seed.awake('m-1', 'a', NOV_1 + DAY, 600);
    await seed.awake('m-1', 'b', NOV_1 + 10 * DAY, 600);
    await seed.awake(await device('s-1', 'b'), 'b', NOV_1 + 4 * DAY, 0);
    const user = { users: [{ userId: 'S-1-5-21-1-1001', primary: true }] };
    for (const [id, ownership] of [['u-1', 'corporate'], ['u-2', 'personal'], ['u-3', 'personal'], ['u-4', 'personal']] as const) {
      await seed.awake(await device(id, 'b', { ...user, ownership }), 'b', NOV_1 + 5 * DAY, 1800);
    }
  }

  /** Every endpoint line of both reports (m-1 is listed at A and at B). */
  const lineCount = (s: MonthSnapshot) => s.reports.endpoint_security.rows.concat(s.reports.edr.rows).reduce((n, r) => n + r.devices.length, 0);

  async function lines(reader: MonthReader, productType: 'endpoint_security' | 'edr', companyId: string): Promise<DeviceMonthLine[]> {
    const out: DeviceMonthLine[] = [];
    for await (const line of (await reader.endpointReport(MONTH, productType)).lines.linesAt(companyId)) out.push(line);
    return out;
  }

  it('finalizes a month past the in-memory bound as rows that read back equal to the month computed whole: rows, lines, user lines, hash', async () => {
    await seedMonth();
    now = Date.UTC(2026, 11, 10);
    const whole = await computedWhole();
    const reader = readerOver();
    await expect(reader.computeSnapshot(MONTH)).rejects.toMatchObject({ code: 'month_too_large' });
    expect(await closerOver().closeMonth(MONTH)).toEqual({ month: MONTH, hash: whole.hash });
    expect(await backend.count('month_endpoint_lines')).toBe(lineCount(whole));

    const { snapshot, finalized } = await reader.snapshot(MONTH);
    expect(finalized).toBe(true);
    expect(snapshot).toEqual(whole);
    expect(snapshotHash(snapshot.reports, snapshot.userUsage)).toBe(whole.hash);
    const view = await reader.view(MONTH);
    expect(view).toMatchObject({ status: 'finalized', finalizedHash: whole.hash, currentHash: whole.hash });
    // The readers stream what was stored: a company's lines, the user line items (one beyond the allowance), the rows without lines.
    expect((await lines(reader, 'endpoint_security', 'a')).map((l) => l.deviceId)).toEqual(['a-1', 'a-2', 'm-1']);
    expect((await lines(reader, 'endpoint_security', 'b')).map((l) => l.deviceId)).toEqual(['b-1', 'm-1', 's-1', 'u-1', 'u-2', 'u-3', 'u-4']);
    const users = await reader.userUsage(MONTH);
    expect(users).toEqual({ report: whole.userUsage, finalized: true });
    expect(users.report.companies.find((c) => c.companyId === 'b')!.lines.map((l) => (l.kind === 'device' ? `${l.deviceId} ${l.reason}` : 'a user')))
      .toEqual(['b-1 no_user', 'm-1 no_user', 'u-4 beyond_allowance', 'a user']);
    const { report } = await reader.monthlyReport(MONTH, 'endpoint_security', { devices: false });
    expect(report.rows.find((r) => r.companyId === 'b')).toMatchObject({ deviceCount: 7, devices: [] });
    expect(await reader.verify(MONTH)).toMatchObject({ ok: true, checked: [{ hash: whole.hash, ok: true }] });
    // Explain shows what the month stored for the device, at each company it is listed at.
    const explained = await reader.explain(MONTH, 'm-1', 'endpoint_security');
    const storedLines = whole.reports.endpoint_security.rows.flatMap((r) => r.devices.filter((l) => l.deviceId === 'm-1'));
    expect(explained.finalized).toEqual({ hash: whole.hash, lines: storedLines });
    expect(storedLines.map((l) => l.companyId)).toEqual(['a', 'b']);
    // Finalized once: a second request is refused and writes nothing.
    await expect(closerOver().closeMonth(MONTH)).rejects.toMatchObject({ code: 'already_finalized' });
    expect(await backend.count('month_runs')).toBe(1);
  });

  it('serves a finalized month over the API streamed from its rows: includeDevices and user line items equal the month computed whole', async () => {
    await seedMonth();
    now = Date.UTC(2026, 11, 10);
    const whole = await computedWhole();
    await closerOver().closeMonth(MONTH);
    const collector = await startTestCollector({ storage, now: () => now });
    try {
      const key = await collector.apiKey();
      const monthly = await collector.api(`/api/v1/usage/monthly?month=${MONTH}&includeDevices=true`, key);
      expect(monthly.status).toBe(200);
      expect(monthly.body).toEqual({
        month: MONTH, productType: 'endpoint_security', status: 'finalized', finalized: true, hash: whole.hash,
        rows: JSON.parse(JSON.stringify(whole.reports.endpoint_security.rows)),
      });
      const one = await collector.api(`/api/v1/usage/monthly?month=${MONTH}&productType=edr&includeDevices=true&companyId=d`, key);
      expect(one.body.rows).toEqual(JSON.parse(JSON.stringify(whole.reports.edr.rows.filter((r) => r.companyId === 'd'))));
      const users = await collector.api(`/api/v1/usage/users?month=${MONTH}`, key);
      expect(users.body).toEqual({ month: MONTH, companies: JSON.parse(JSON.stringify(whole.userUsage.companies)), finalized: true });
      const summary = await collector.api(`/api/v1/usage/monthly?month=${MONTH}`, key);
      expect(summary.body.rows.map((r: { deviceCount: number; devices?: unknown }) => [r.deviceCount, r.devices]))
        .toEqual(whole.reports.endpoint_security.rows.map((r) => [r.devices.length, undefined]));
    } finally {
      await collector.stop();
    }
  });

  it('turns late data into an adjustment whose figures are rows too, chained to the finalized hash', async () => {
    await seedMonth();
    now = Date.UTC(2026, 11, 10);
    const closer = closerOver();
    const finalizedHash = (await closer.closeMonth(MONTH)).hash;
    // Late data: a new device at A on 20 November, arriving in December.
    await seed.awake(await device('a-3', 'a'), 'a', NOV_1 + 19 * DAY, 3600);
    const [adjustment] = await closer.processLateData();
    const recomputed = await computedWhole();
    expect(adjustment).toMatchObject({ hashBefore: finalizedHash, hashAfter: recomputed.hash });
    expect(adjustment.lines).toContainEqual(expect.objectContaining({ companyId: 'a', figure: 'usage', column: 'endpointUsage', finalized: 2, recomputed: 3, delta: 1 }));
    const reader = readerOver();
    expect((await reader.snapshot(MONTH)).snapshot).toEqual(recomputed);
    expect((await lines(reader, 'endpoint_security', 'a')).map((l) => l.deviceId)).toEqual(['a-1', 'a-2', 'a-3', 'm-1']);
    expect(await reader.verify(MONTH)).toMatchObject({ ok: true, checked: [{ hash: finalizedHash, ok: true }, { hash: recomputed.hash, ok: true }] });
    // Late data that changes no figure (more seconds on a day a-1 already counted): no adjustment, no run written.
    await seed.awake('a-1', 'a', NOV_1 + 3 * DAY, 7200);
    expect(await storage.billing.monthsWithLateData()).toEqual([MONTH]);
    const runsBefore = await backend.count('month_runs');
    now += 1000;
    expect(await closer.processLateData()).toEqual([]);
    expect(await storage.billing.monthsWithLateData()).toEqual([]);
    expect(await backend.count('month_runs')).toBe(runsBefore);
    expect(runsBefore).toBe(2);
  });

  it('reads and verifies a snapshot stored whole by an earlier version with its hash unchanged, and adjusts it as rows', async () => {
    await seedMonth();
    now = Date.UTC(2026, 11, 10);
    // As collectors before month rows stored it: one gzipped document (and, older still, rows without licence states).
    const current = await computedWhole();
    const reports = {
      endpoint_security: { ...current.reports.endpoint_security, rows: current.reports.endpoint_security.rows.map(({ billable: _b, unlicensed: _u, licence: _l, minimumApplies: _m, ...r }) => r) },
      edr: current.reports.edr,
    } as unknown as MonthSnapshot['reports'];
    const stored: MonthSnapshot = { month: MONTH, reports, userUsage: current.userUsage, hash: snapshotHash(reports, current.userUsage) };
    await storage.billing.saveFinalizedMonth(stored, now);
    const reader = readerOver();
    expect(await reader.view(MONTH)).toMatchObject({ status: 'finalized', finalizedHash: stored.hash, currentHash: stored.hash });
    expect(stored.hash).not.toBe(current.hash);
    expect(await reader.verify(MONTH)).toMatchObject({ ok: true, checked: [{ hash: stored.hash, ok: true }] });
    const { report } = await reader.monthlyReport(MONTH, 'endpoint_security');
    // Read in today's shape: what it billed was its usage (a-1 and a-2; m-1 is billed at B).
    expect(report.rows.find((r) => r.companyId === 'a')!.billable.own.endpointUsage).toBe(2);
    expect((await lines(reader, 'endpoint_security', 'a')).map((l) => l.deviceId)).toEqual(['a-1', 'a-2', 'm-1']);

    await seed.awake(await device('a-3', 'a'), 'a', NOV_1 + 19 * DAY, 3600);
    const [adjustment] = await closerOver().processLateData();
    expect(adjustment.hashBefore).toBe(stored.hash);
    expect(adjustment.hashAfter).toBe((await computedWhole()).hash);
    expect((await reader.view(MONTH)).finalizedHash).toBe(stored.hash);
    expect(await reader.verify(MONTH)).toMatchObject({ ok: true, checked: [{ hash: adjustment.hashAfter, ok: true }] });
  });

  it('leaves the month open when the collector dies mid-write; a re-run finalizes it once and the dead run is discarded when stale', async () => {
    await seedMonth();
    now = Date.UTC(2026, 11, 10);
    const whole = await computedWhole();
    // The process "dies" on its third write: nothing after it runs, not even its own cleanup.
    let writes = 0;
    let deadRun = '';
    const dying: BillingStore = {
      ...storage.billing,
      startMonthRun: async (month, nowMs) => (deadRun = await storage.billing.startMonthRun(month, nowMs)),
      writeMonthRunRows: async (runId, rows, nowMs) => {
        if (++writes === 3) throw new Error('SIGKILL');
        return storage.billing.writeMonthRunRows(runId, rows, nowMs);
      },
      discardMonthRun: async () => {},
    };
    const metrics = createMetrics();
    await expect(closerOver(dying, metrics).closeMonth(MONTH)).rejects.toThrow('SIGKILL');
    expect(await counted(metrics)).toEqual({ failed: 1 });
    expect(await storage.billing.getFinalizedMonth(MONTH)).toBeNull();
    expect((await readerOver().view(MONTH)).status).toBe('awaiting_finalization');
    expect((await readerOver().monthlyReport(MONTH, 'endpoint_security', { devices: false })).finalized).toBe(false);
    const leftBehind = await backend.count('month_endpoint_lines');
    expect(leftBehind).toBeGreaterThan(0);

    // The next pass (a restarted collector) finalizes it, once.
    now += 60_000;
    const closer = closerOver(storage.billing, metrics);
    expect(await closer.closeMonth(MONTH)).toEqual({ month: MONTH, hash: whole.hash });
    expect((await metrics.monthRunLines.get()).values[0].value).toBe(lineCount(whole) + whole.userUsage.companies.reduce((n, c) => n + c.lines.length, 0));
    await expect(closer.closeMonth(MONTH)).rejects.toMatchObject({ code: 'already_finalized' });
    expect(await storage.billing.listFinalizedMonths()).toEqual([{ month: MONTH, finalizedAtMs: now, hash: whole.hash }]);
    expect((await readerOver().snapshot(MONTH)).snapshot).toEqual(whole);
    // The dead run is not discarded while it might still be written...
    expect(await closer.discardStaleRuns()).toBe(0);
    // ...and is once it has been silent for STALE_RUN_MS; the finalized month is untouched.
    now += STALE_RUN_MS;
    expect(await closer.discardStaleRuns()).toBe(1);
    expect(await counted(metrics)).toEqual({ failed: 1, finalized: 1, stale: 1 });
    expect(await storage.billing.monthRunEndpointLines({ runId: deadRun, productType: 'endpoint_security', after: null, limit: 10 })).toEqual([]);
    expect(await backend.count('month_runs')).toBe(1);
    expect(await backend.count('month_endpoint_lines')).toBe(lineCount(whole));
    expect(await readerOver().verify(MONTH)).toMatchObject({ ok: true });
  });

  it.runIf(_name === 'SQLite')('moves the lines of a month finalized before migration 0018 (tables clustered by key) to tables in write order: same lines, same hash, verifies', async () => {
    await seedMonth();
    now = Date.UTC(2026, 11, 10);
    const whole = await computedWhole();
    await closerOver().closeMonth(MONTH);
    await storage.close();
    // The line tables as migration 0016 made them (WITHOUT ROWID, clustered by key), the month's lines in them, 0018 not applied.
    const db = new Database(backend.file!());
    db.exec(`
      CREATE TABLE e16 (run_id TEXT NOT NULL, product_type TEXT NOT NULL, company_id TEXT NOT NULL, device_id TEXT NOT NULL, body TEXT NOT NULL,
        CONSTRAINT month_endpoint_lines_pk PRIMARY KEY (run_id, product_type, company_id, device_id)) WITHOUT ROWID;
      INSERT INTO e16 SELECT run_id, product_type, company_id, device_id, body FROM month_endpoint_lines;
      DROP TABLE month_endpoint_lines;
      ALTER TABLE e16 RENAME TO month_endpoint_lines;
      CREATE TABLE u16 (run_id TEXT NOT NULL, company_id TEXT NOT NULL, kind TEXT NOT NULL, ref_id TEXT NOT NULL, body TEXT NOT NULL,
        CONSTRAINT month_user_lines_pk PRIMARY KEY (run_id, company_id, kind, ref_id)) WITHOUT ROWID;
      INSERT INTO u16 SELECT run_id, company_id, kind, ref_id, body FROM month_user_lines;
      DROP TABLE month_user_lines;
      ALTER TABLE u16 RENAME TO month_user_lines;
      DELETE FROM schema_migrations WHERE name = 'month_lines_in_write_order';`);
    const layout = (handle: Database.Database) => handle.prepare("SELECT name, sql FROM sqlite_schema WHERE tbl_name IN ('month_endpoint_lines', 'month_user_lines') AND sql IS NOT NULL ORDER BY name")
      .all() as { name: string; sql: string }[];
    expect(layout(db).map((t) => [t.name, /without rowid/i.test(t.sql)])).toEqual([['month_endpoint_lines', true], ['month_user_lines', true]]);
    db.close();

    storage = openSqliteStorage({ path: backend.file!(), nowMs: now });
    // Rowid tables (appended in write order), each with its key as a unique index.
    const after = new Database(backend.file!(), { readonly: true });
    const tables = layout(after);
    after.close();
    expect(tables.map((t) => t.name)).toEqual(['month_endpoint_lines', 'month_endpoint_lines_key', 'month_user_lines', 'month_user_lines_key']);
    expect(tables.some((t) => /without rowid/i.test(t.sql))).toBe(false);
    expect(tables.filter((t) => t.name.endsWith('_key')).every((t) => /^CREATE UNIQUE INDEX/i.test(t.sql))).toBe(true);
    const reader = readerOver();
    expect(await backend.count('month_endpoint_lines')).toBe(lineCount(whole));
    expect((await reader.snapshot(MONTH)).snapshot).toEqual(whole);
    expect(await reader.verify(MONTH)).toMatchObject({ ok: true, checked: [{ hash: whole.hash, ok: true }] });
    // The key is still the key: a second line with it is refused.
    const runId = (await storage.billing.getFinalizedMonth(MONTH))!.runId!;
    await expect(backend.exec("INSERT INTO month_endpoint_lines (run_id, product_type, company_id, device_id, body) VALUES (?, 'edr', 'd', 'd-1', '{}')", '', [runId]))
      .rejects.toThrow(/UNIQUE/);
  });

  it('lets exactly one of two collectors racing to finalize a month win; the loser keeps no rows', async () => {
    await seedMonth();
    now = Date.UTC(2026, 11, 10);
    const results = await Promise.allSettled([closerOver().closeMonth(MONTH), closerOver().closeMonth(MONTH)]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results) if (r.status === 'rejected') expect(r.reason).toMatchObject({ code: 'already_finalized' });
    expect(await backend.count('month_runs')).toBe(1);
    expect(await backend.count('month_endpoint_lines')).toBe(lineCount(await computedWhole()));
  });

  it('fails verification when a stored line, a company row or a user line is changed or removed', async () => {
    await seedMonth();
    now = Date.UTC(2026, 11, 10);
    await closerOver().closeMonth(MONTH);
    const reader = readerOver();
    const runId = (await storage.billing.getFinalizedMonth(MONTH))!.runId!;
    expect((await reader.verify(MONTH)).ok).toBe(true);

    // One line's awake seconds changed behind the collector's back.
    const [line] = await storage.billing.monthRunEndpointLines({ runId, productType: 'endpoint_security', companyId: 'a', after: null, limit: 1 });
    const tampered = line.body.replace(/"awakeSeconds":\d+/, '"awakeSeconds":1');
    expect(tampered).not.toBe(line.body);
    const setLine = (body: string) => backend.exec(
      'UPDATE month_endpoint_lines SET body = ? WHERE run_id = ? AND product_type = ? AND company_id = ? AND device_id = ?',
      'UPDATE month_endpoint_lines SET body = $1 WHERE run_id = $2 AND product_type = $3 AND company_id = $4 AND device_id = $5',
      [body, runId, 'endpoint_security', 'a', line.deviceId]);
    await setLine(tampered);
    expect(await reader.verify(MONTH)).toMatchObject({ ok: false, checked: [{ ok: false, problem: expect.stringMatching(/rows hash to/) }] });
    await setLine(line.body);
    expect((await reader.verify(MONTH)).ok).toBe(true);

    // A company row's figure.
    await backend.exec(
      "UPDATE month_company_rows SET body = replace(body, '\"deviceCount\":3', '\"deviceCount\":2') WHERE run_id = ? AND kind = 'endpoint_security' AND company_id = 'a'",
      "UPDATE month_company_rows SET body = replace(body, '\"deviceCount\":3', '\"deviceCount\":2') WHERE run_id = $1 AND kind = 'endpoint_security' AND company_id = 'a'",
      [runId]);
    expect((await reader.verify(MONTH)).ok).toBe(false);
    await backend.exec(
      "UPDATE month_company_rows SET body = replace(body, '\"deviceCount\":2', '\"deviceCount\":3') WHERE run_id = ? AND kind = 'endpoint_security' AND company_id = 'a'",
      "UPDATE month_company_rows SET body = replace(body, '\"deviceCount\":2', '\"deviceCount\":3') WHERE run_id = $1 AND kind = 'endpoint_security' AND company_id = 'a'",
      [runId]);
    expect((await reader.verify(MONTH)).ok).toBe(true);

    // A user line removed.
    await backend.exec("DELETE FROM month_user_lines WHERE run_id = ? AND kind = 'u'", "DELETE FROM month_user_lines WHERE run_id = $1 AND kind = 'u'", [runId]);
    expect((await reader.verify(MONTH)).ok).toBe(false);
    // A company's row removed while its lines stay: the rows no longer add up.
    await backend.exec("DELETE FROM month_company_rows WHERE run_id = ? AND kind = 'edr' AND company_id = 'd'", "DELETE FROM month_company_rows WHERE run_id = $1 AND kind = 'edr' AND company_id = 'd'", [runId]);
    expect(await reader.verify(MONTH)).toMatchObject({ ok: false, checked: [{ ok: false, problem: expect.stringMatching(/without its company row/) }] });
  });
});
