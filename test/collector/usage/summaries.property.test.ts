// Device-month summaries (issue 22) against the device-day rows they stand
// for. For any sequence of usage frames (days in any order, in and around the
// month, zero and full days: late data within the open months), inventory
// changes (modules, platform, virtual), device moves, merges, uninstalls,
// retirements, admin exclusions and company moves, on companies whose licence
// is billable all month, on trial until mid-month, starting mid-month, none,
// or with SVE:
// Frames go one at a time and several to a group commit (the batcher's path).
//   - every stored summary equals the core's summarizeMonthRows of the
//     device's rows as stored (what each writer keeps, in its own transaction);
//   - monthly usage (summary form) read from the summaries equals monthly
//     usage read from the rows, for both product types, and so does
//     user-based usage (counts, and with its line items), in October,
//     November and December 2026;
//   - finalization's computation (computeMonthRows: every endpoint and user
//     line, in the order handed over, the company rows, the user usage) from
//     the summaries equals the same from the rows.
// Real SQLite files (fast-check, TALLY_SUMMARY_RUNS runs, seed
// TALLY_SUMMARY_SEED); a smaller deterministic sequence on a real PostgreSQL
// database when TALLY_TEST_PG_URL is set.
import fc from 'fast-check';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { IDeviceFacts } from '../../../proto/index.ts';
import { parseMonth, sameSummary, summarizeMonthRows, type ProductType } from '../../../collector/src/billing/index.ts';
import { reportedFacts } from '../../../collector/src/devices/attributes.ts';
import { latePolicyAt } from '../../../collector/src/ingest/late-policy.ts';
import { openPostgresStorage } from '../../../collector/src/storage/postgres/index.ts';
import { openSqliteStorage } from '../../../collector/src/storage/sqlite/index.ts';
import type { Storage } from '../../../collector/src/storage/types.ts';
import { MonthReader } from '../../../collector/src/usage/index.ts';
import { createTestDatabase, pgTestSetting } from '../../helpers/postgres.ts';
import { Seeder } from '../../helpers/seed.ts';

const DAY_MS = 86_400_000;
const NOV_1 = Date.UTC(2026, 10, 1) / DAY_MS;
/** The clock: December is open, October and November are not finalized (no late-data rules apply). */
const NOW = Date.UTC(2026, 11, 20, 12);
const MONTHS = ['2026-10', '2026-11', '2026-12'];
const PRODUCT_TYPES: ProductType[] = ['endpoint_security', 'edr'];
const RUNS = process.env.TALLY_SUMMARY_RUNS ? Math.max(1, Number(process.env.TALLY_SUMMARY_RUNS)) : 30;
const SEED = process.env.TALLY_SUMMARY_SEED ? Number(process.env.TALLY_SUMMARY_SEED) : 20_261_207;
const DEVICES = 7;
/** Each device's first company and facts: three SVE virtual workstations at the SVE company (VDI hours follow each one's awake time), one with Integrity Monitoring. */
const FIRST_COMPANY = [0, 1, 2, 3, 4, 4, 4];
const FIRST_FACTS = [0, 1, 2, 3, 3, 3, 4];

const facts = (i: number): IDeviceFacts => {
  const variants: [string, boolean, 'server' | 'workstation', string[]][] = [
    ['windows', false, 'workstation', ['antimalware', 'full_disk_encryption']],
    ['linux', true, 'server', ['antimalware', 'central_scan', 'edr_sensor']],
    ['darwin', true, 'workstation', ['antimalware', 'central_scan']],
    ['windows', true, 'workstation', ['central_scan', 'patch_management']],
    ['windows', true, 'workstation', ['central_scan', 'integrity_monitoring']],
  ];
  // Users, corporate and personal devices: devices 3-5 start as three personal devices of one user (one beyond the
  // allowance); devices 1 (on trial until mid-month: read from its rows) and 6 (read from its summary) start with the
  // same person (a user at each company).
  const people: [string | null, 'corporate' | 'personal'][] = [['S-1-5-21-1-1', 'corporate'], ['S-1-5-21-1-3', 'corporate'], ['S-1-5-21-1-1', 'personal'],
    ['S-1-5-21-1-2', 'personal'], ['S-1-5-21-1-3', 'personal']];
  const [platform, virtual, role, modules] = variants[i % variants.length];
  const [user, ownership] = people[i % people.length];
  return {
    hostname: `h${i}`, os: { platform, name: platform, version: '1' }, virtualization: { virtual, kind: virtual ? 'kvm' : '', category: virtual ? 'vm' : 'physical' },
    role: { role }, modules: modules.map((name) => ({ name, installed: true, tier: '' })), users: user ? [{ userId: user, primary: true }] : [], ownership,
  } as IDeviceFacts;
};

type Step =
  | { kind: 'usage'; device: number; days: { day: number; seconds: number }[] }
  | { kind: 'groupCommit'; frames: { device: number; days: { day: number; seconds: number }[] }[] }
  | { kind: 'inventory'; device: number; facts: number }
  | { kind: 'moveDevice'; device: number; company: number; fromDay: number }
  | { kind: 'merge'; survivor: number; duplicate: number }
  | { kind: 'uninstall'; device: number; day: number }
  | { kind: 'retire'; device: number; day: number }
  | { kind: 'exclude'; device: number; fromDay: number; days: number | null }
  | { kind: 'moveCompany'; company: number; toPartner: boolean };

/** Days relative to November 1st: the end of October through the start of December. */
const dayArb = fc.oneof(fc.integer({ min: -4, max: 33 }), fc.constantFrom(-1, 2, 3, 29, 30)); // some days often: frames that return to a day
const stepArb: fc.Arbitrary<Step> = fc.oneof(
  { weight: 8, arbitrary: fc.record({ kind: fc.constant('usage' as const), device: fc.nat(DEVICES - 1),
    days: fc.array(fc.record({ day: dayArb, seconds: fc.oneof(fc.constant(0), fc.constant(86_400), fc.integer({ min: 1, max: 50_000 })) }), { minLength: 1, maxLength: 6 }) }) },
  // Several frames in one group commit (the batcher's path), often of the same device.
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('groupCommit' as const), frames: fc.array(fc.record({ device: fc.nat(1),
    days: fc.array(fc.record({ day: fc.constantFrom(-1, 2, 3, 30, 31), seconds: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 30_000 })) }), { minLength: 1, maxLength: 4 }) }), { minLength: 2, maxLength: 4 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('inventory' as const), device: fc.nat(DEVICES - 1), facts: fc.nat(4) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('moveDevice' as const), device: fc.nat(DEVICES - 1), company: fc.nat(4), fromDay: dayArb }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('merge' as const), survivor: fc.nat(DEVICES - 1), duplicate: fc.nat(DEVICES - 1) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('uninstall' as const), device: fc.nat(DEVICES - 1), day: dayArb }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('retire' as const), device: fc.nat(DEVICES - 1), day: dayArb }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('exclude' as const), device: fc.nat(DEVICES - 1), fromDay: dayArb, days: fc.option(fc.integer({ min: 1, max: 20 })) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('moveCompany' as const), company: fc.nat(4), toPartner: fc.boolean() }) },
);

/** Runs the steps on a fresh store; returns what to compare. */
async function runSteps(storage: Storage, steps: readonly Step[]): Promise<void> {
  const seed = new Seeder(storage, () => NOW);
  const t0 = Date.UTC(2026, 5, 1);
  const partner = await seed.company('Partner', { type: 'partner', atMs: t0 });
  const ms = (day: number) => (NOV_1 + day) * DAY_MS;
  // Licences: billable all month (EDR product), on trial until Nov 10, starting Nov 12, none, SVE enabled.
  const companies = [
    await seed.company('Billable', { parentId: partner.id, atMs: t0, subscription: { productType: 'edr', effectiveFromMs: t0, addOns: { encryption: true, patchManagement: true } } }),
    await seed.company('Trial', { parentId: partner.id, atMs: t0, subscription: { effectiveFromMs: t0, licenseType: 'trial', trialEndsAtMs: ms(9) } }),
    await seed.company('Starts', { atMs: t0, subscription: { effectiveFromMs: ms(11) } }),
    await seed.company('None', { parentId: partner.id, atMs: t0 }),
    await seed.company('Sve', { parentId: partner.id, atMs: t0, subscription: { effectiveFromMs: t0, addOns: { sve: true, edr: true, integrityMonitoring: '90d' } } }),
  ].map((c) => c.id);
  const devices: string[] = [];
  const companyOf: string[] = [];
  const mergedInto = new Map<number, number>();
  for (let i = 0; i < DEVICES; i++) {
    companyOf.push(companies[FIRST_COMPANY[i]]);
    devices.push(await seed.device(companyOf[i], { atMs: t0, facts: facts(FIRST_FACTS[i]), id: `dev-${i}` }));
  }
  const live = (i: number) => { while (mergedInto.has(i)) i = mergedInto.get(i)!; return i; };
  let seq = 0;
  for (const step of steps) {
    switch (step.kind) {
      case 'usage': {
        // A merged device's key authenticates as its survivor.
        const d = live(step.device);
        await storage.ingest.ingestUsage(devices[d], companyOf[d],
          step.days.map((x) => ({ stream: 'usage', seq: ++seq, utcDay: NOV_1 + x.day, awakeSeconds: x.seconds, bootId: 'b' })), [], NOW, latePolicyAt(NOW));
        break;
      }
      case 'groupCommit':
        await storage.ingest.ingestUsageBatch(step.frames.map((f) => {
          const d = live(f.device);
          return { deviceId: devices[d], companyId: companyOf[d], floors: [],
            records: f.days.map((x) => ({ stream: 'usage', seq: ++seq, utcDay: NOV_1 + x.day, awakeSeconds: x.seconds, bootId: 'b' })) };
        }), NOW, latePolicyAt(NOW));
        break;
      case 'inventory':
        await storage.ingest.recordInventory(devices[live(step.device)], 'inventory', ++seq, reportedFacts(facts(step.facts)), NOW);
        break;
      case 'moveDevice': {
        const d = live(step.device);
        companyOf[d] = companies[step.company];
        await storage.devices.moveDevice(devices[d], companyOf[d], NOV_1 + step.fromDay, NOW);
        break;
      }
      case 'merge': {
        const [s, d] = [live(step.survivor), live(step.duplicate)];
        if (s === d) break;
        await storage.devices.mergeDevices({ survivorId: devices[s], duplicateId: devices[d], keys: 'both', nowMs: NOW });
        mergedInto.set(d, s);
        break;
      }
      case 'uninstall':
        await storage.ingest.recordEvents(devices[live(step.device)], [{ stream: 'events', seq: ++seq, occurredAtMs: ms(step.day) + 3_600_000, kind: 'uninstalled', payload: {} }], NOW);
        break;
      case 'retire':
        await storage.devices.setRetired(devices[live(step.device)], ms(step.day) + 7_200_000);
        break;
      case 'exclude': {
        const fromMs = ms(step.fromDay) + (++seq);
        await storage.devices.addExclusion({ deviceId: devices[live(step.device)], fromMs, untilMs: step.days === null ? null : fromMs + step.days * DAY_MS,
          reason: 'test', createdAtMs: NOW, createdBy: 'test' }).catch(() => {}); // one open exclusion at a time
        break;
      }
      case 'moveCompany': {
        const id = companies[step.company];
        await storage.tenancy.moveCompany({ id, parentId: step.toPartner ? partner.id : null, moveId: `move-${++seq}`, nowMs: ms(15) + seq });
        break;
      }
    }
  }
}

/** Compares the stored summaries with the rows, and the two readings of each month; the number of devices read from a summary. */
async function compare(storage: Storage): Promise<number> {
  const fromSummaries = new MonthReader({ billing: storage.billing, now: () => NOW, graceHours: 72 });
  const { monthSummaryPage: _unused, ...rowsOnly } = storage.billing;
  const fromRows = new MonthReader({ billing: rowsOnly, now: () => NOW, graceHours: 72 });
  let fast = 0;
  for (const monthId of MONTHS) {
    const month = parseMonth(monthId);
    const rows = (await storage.billing.monthDevicePage({ fromDay: month.firstDay, toDay: month.endDay, after: null, limit: 100 })).devices;
    const summaries = (await storage.billing.monthSummaryPage({ month: monthId, after: null, limit: 100 })).devices;
    expect(summaries.map((s) => s.summary.deviceId)).toEqual(rows.map((r) => r.deviceId));
    // Pages of two: every device once, in order (each page starts the device side of the join at its first device).
    const paged: string[] = [];
    for (let after: string | null = null, n = 0; n < 20; n++) {
      const page = await storage.billing.monthSummaryPage({ month: monthId, after, limit: 2 });
      paged.push(...page.devices.map((d) => d.summary.deviceId));
      if ((after = page.next) === null) break;
    }
    expect(paged).toEqual(rows.map((r) => r.deviceId));
    for (const [i, r] of rows.entries()) {
      const expected = summarizeMonthRows(r.deviceId, r.days);
      if (!sameSummary(summaries[i].summary, expected)) expect(summaries[i].summary).toEqual(expected);
      expect(summaries[i].currentCompanyId).toBe(r.currentCompanyId);
      if (summaries[i].summary.companyId !== null && summaries[i].exclusions === 0) fast++;
    }
    for (const productType of PRODUCT_TYPES) {
      const a = await fromSummaries.monthlyReport(monthId, productType, { devices: false });
      const b = await fromRows.monthlyReport(monthId, productType, { devices: false });
      expect(a).toEqual(b);
    }
    // User-based usage of an open month (counts, and with its line items) reads the summaries too.
    expect(await fromSummaries.userUsageSummary(monthId)).toEqual(await fromRows.userUsageSummary(monthId));
    expect(await fromSummaries.userUsage(monthId)).toEqual(await fromRows.userUsage(monthId));
    // Finalization (computeMonthRows) reads the summaries too: every line handed over, in the same order, and the
    // same company rows and user usage as from the rows (so the same run and the same hash).
    expect(await finalizationOf(fromSummaries, monthId)).toEqual(await finalizationOf(fromRows, monthId));
  }
  return fast;
}

/** What finalization makes of a month: the lines in the order they are handed over, the company rows, the user usage. */
async function finalizationOf(reader: MonthReader, monthId: string) {
  const handed: unknown[] = [];
  const computed = await reader.computeMonthRows(monthId, {
    endpointLines: (productType, lines) => handed.push(...lines.map((l) => ({ productType, ...l }))),
    userLines: (lines) => handed.push(...lines),
    pageDone: async () => {},
  });
  return { handed, ...computed };
}

const scratch = mkdtempSync(join(tmpdir(), 'tally-summaries-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('device-month summaries equal the device-day rows', () => {
  it(`SQLite: any sequence of usage, moves, merges, uninstalls, retirements, exclusions and company moves (${RUNS} runs)`, async () => {
    let run = 0;
    let fastDevices = 0;
    await fc.assert(fc.asyncProperty(fc.array(stepArb, { minLength: 1, maxLength: 24 }), async (steps) => {
      const storage = openSqliteStorage({ path: join(scratch, `run-${++run}.db`), nowMs: NOW });
      try {
        await runSteps(storage, steps);
        fastDevices += await compare(storage);
      } finally {
        await storage.close();
      }
    }), { numRuns: RUNS, seed: SEED, endOnFailure: true });
    // The runs did read devices from their summaries (not only from rows).
    expect(fastDevices).toBeGreaterThan(RUNS);
  }, 120_000);

  it('a plain month is read and finalized without a single device-day row', async () => {
    const storage = openSqliteStorage({ path: join(scratch, 'plain.db'), nowMs: NOW });
    try {
      await runSteps(storage, [{ kind: 'usage', device: 0, days: [{ day: 3, seconds: 600 }, { day: 4, seconds: 700 }] }, { kind: 'usage', device: 4, days: [{ day: 5, seconds: 86_400 }] },
        { kind: 'usage', device: 5, days: [{ day: 6, seconds: 3_600 }] }, { kind: 'usage', device: 6, days: [{ day: 7, seconds: 7_200 }] },
        { kind: 'usage', device: 0, days: [{ day: 4, seconds: 50 }] }]);
      let rowReads = 0;
      const billing = { ...storage.billing, monthDevicePage: (q: Parameters<Storage['billing']['monthDevicePage']>[0]) => (rowReads++, storage.billing.monthDevicePage(q)) };
      const reader = new MonthReader({ billing, now: () => NOW, graceHours: 72 });
      const { report } = await reader.monthlyReport('2026-11', 'endpoint_security', { devices: false });
      const users = (await reader.userUsageSummary('2026-11')).report;
      expect(rowReads).toBe(0);
      // Devices 4 and 5: two personal devices of one user; device 0: its user's corporate device; device 6: its user's.
      const nameOf = new Map(report.rows.map((r) => [r.companyId, r.name]));
      expect(Object.fromEntries(users.companies.map((c) => [nameOf.get(c.companyId), [c.activeUsers, c.standaloneDevices]]))).toEqual({ Billable: [1, 0], Sve: [2, 0] });
      // Finalization's computation too: every line from the summaries, not one row read.
      const finalization = await finalizationOf(new MonthReader({ billing, now: () => NOW, graceHours: 72 }), '2026-11');
      expect(rowReads).toBe(0);
      expect(finalization.handed.length).toBeGreaterThan(4);
      const sve = report.rows.find((r) => r.name === 'Sve')!;
      // Three SVE virtual workstations: 24 h + 1 h + 2 h of VDI, each its own; one has Integrity Monitoring.
      expect(sve.deviceCount).toBe(3);
      expect(sve.own.sveVdiHours).toBe(27);
      expect(sve.own.integrityMonitoringUsage).toBe(1);
      expect(await compare(storage)).toBeGreaterThan(0);
    } finally {
      await storage.close();
    }
  });

  it('user-based usage of devices read from their summaries and from their rows in one page', async () => {
    const storage = openSqliteStorage({ path: join(scratch, 'user-order.db'), nowMs: NOW });
    try {
      // One person on devices 1 (on trial until the 10th: read from its rows, billable after) and 6 (read from its summary):
      // a user of each company (users are per company).
      await runSteps(storage, [{ kind: 'usage', device: 6, days: [{ day: 16, seconds: 600 }] }, { kind: 'usage', device: 1, days: [{ day: 15, seconds: 700 }] }]);
      const { report } = await new MonthReader({ billing: storage.billing, now: () => NOW, graceHours: 72 }).userUsageSummary('2026-11');
      const nameOf = new Map((await storage.adminRead.listCompanies()).map((c) => [c.id, c.name]));
      expect(report.companies.map((c) => [nameOf.get(c.companyId), c.activeUsers, c.standaloneDevices]).sort()).toEqual([['Sve', 1, 0], ['Trial', 1, 0]]);
      expect(await compare(storage)).toBeGreaterThan(0);
    } finally {
      await storage.close();
    }
  });

  const pg = pgTestSetting();
  it.skipIf(!pg.run)('PostgreSQL: a fixed sequence with late days, a move, a merge, an uninstall, an exclusion and a company move', async () => {
    if (!pg.run) return;
    const db = await createTestDatabase(pg.url);
    const storage = await openPostgresStorage({ url: db.url, nowMs: NOW });
    try {
      await runSteps(storage, [
        { kind: 'usage', device: 0, days: [{ day: 20, seconds: 3600 }, { day: 2, seconds: 100 }, { day: -2, seconds: 50 }] },
        { kind: 'usage', device: 1, days: [{ day: 5, seconds: 86_400 }, { day: 31, seconds: 10 }] },
        { kind: 'usage', device: 2, days: [{ day: 4, seconds: 0 }, { day: 8, seconds: 900 }] },
        { kind: 'inventory', device: 0, facts: 3 },
        { kind: 'usage', device: 0, days: [{ day: 2, seconds: 500 }, { day: 25, seconds: 40 }] },
        { kind: 'usage', device: 3, days: [{ day: 1, seconds: 1000 }, { day: 12, seconds: 1000 }] },
        { kind: 'usage', device: 4, days: [{ day: 6, seconds: 7200 }] },
        { kind: 'moveDevice', device: 1, company: 3, fromDay: 10 },
        { kind: 'usage', device: 1, days: [{ day: 11, seconds: 300 }] },
        { kind: 'merge', survivor: 2, duplicate: 0 },
        { kind: 'uninstall', device: 3, day: 10 },
        { kind: 'exclude', device: 4, fromDay: 3, days: 5 },
        { kind: 'moveCompany', company: 2, toPartner: true },
        { kind: 'usage', device: 0, days: [{ day: 26, seconds: 86_400 }, { day: 26, seconds: 5 }] },
      ]);
      expect(await compare(storage)).toBeGreaterThan(0);
    } finally {
      await storage.close();
      await db.drop();
    }
  }, 60_000);
});
