// Moving a company to another partner (issue 21): its whole subtree's paths
// change, the month in progress is reported with the new tree, and a month
// that ended before the move keeps the tree it ended with, so a finalized
// month's bill (partner totals, and the licence a partner's inactivation
// passes down) does not change, even when late data recomputes it. Real
// SQLite and PostgreSQL, the real command, a fixed clock.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../common/log.ts';
import { COMMANDS, executeCommand, type CommandServices } from '../../../collector/src/admin/index.ts';
import { cliPrincipal } from '../../../collector/src/auth/principal.ts';
import { treeBefore } from '../../../collector/src/billing/index.ts';
import { openSqliteStorage } from '../../../collector/src/storage/sqlite/index.ts';
import { openPostgresStorage } from '../../../collector/src/storage/postgres/index.ts';
import { createTestDatabase, pgServerConfigured, pgTestSetting } from '../../helpers/postgres.ts';
import { shouldRun } from '../../helpers/requirements.ts';
import type { Storage } from '../../../collector/src/storage/types.ts';
import { monthServices, type MonthCloser, type MonthReader } from '../../../collector/src/usage/index.ts';
import { Seeder } from '../../helpers/seed.ts';

const DAY = 86_400_000;
const OCT_1 = Date.UTC(2026, 9, 1);
const NOV_1 = Date.UTC(2026, 10, 1);

let storage: Storage;
let now: number;
let reader: MonthReader;
let closer: MonthCloser;
let commands: CommandServices;
let seed: Seeder;

const pg = pgTestSetting();
const backends = [
  {
    name: 'SQLite', skip: false,
    open: async () => {
      const dir = mkdtempSync(join(tmpdir(), 'tally-move-'));
      return { storage: openSqliteStorage({ path: join(dir, 't.db'), nowMs: now }), cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
    },
  },
  {
    name: 'PostgreSQL', skip: !shouldRun('company moves on PostgreSQL', pgServerConfigured(pg)),
    open: async () => {
      const db = await createTestDatabase((pg as { url: string }).url);
      return { storage: await openPostgresStorage({ url: db.url, nowMs: now }), cleanup: () => db.drop() };
    },
  },
];

/** Each company with a subscription and no add-ons, from well before the months tested. */
const company = (name: string, type: 'partner' | 'customer', parentId: string | null) =>
  seed.company(name, { type, parentId, atMs: OCT_1 - 60 * DAY, subscription: { effectiveFromMs: OCT_1 - 30 * DAY } });

async function activeDevice(companyId: string, days: number[]) {
  const id = await seed.device(companyId, { atMs: OCT_1 });
  for (const dayMs of days) await seed.awake(id, companyId, dayMs, 3600);
  return id;
}

const move = async (companyId: string, parentId: string | null) =>
  executeCommand(COMMANDS.moveCompany, commands, await cliPrincipal(storage.adminRead), { companyId }, { parentId });

const total = async (month: string, companyId: string) =>
  (await reader.monthlyReport(month, 'endpoint_security')).report.rows.find((r) => r.companyId === companyId)!;

describe.each(backends.filter((b) => !b.skip))('moving a company to another partner on $name', (backend) => {
  let cleanup: () => Promise<void>;
  beforeEach(async () => {
    now = Date.UTC(2026, 10, 10);
    ({ storage, cleanup } = await backend.open());
    seed = new Seeder(storage, () => now);
    ({ reader, closer } = monthServices({ billing: storage.billing, now: () => now, logger: silentLogger, graceHours: 72 }));
    commands = { storage, now: () => now, logger: silentLogger, closer };
  });
  afterEach(async () => {
    await storage?.close();
    await cleanup?.();
  });

  it('moves the whole subtree: paths of every company below change, the move is audited', async () => {
    const p1 = await company('P1', 'partner', null);
    const p2 = await company('P2', 'partner', null);
    const reseller = await company('Reseller', 'partner', p1.id);
    const customer = await company('Customer', 'customer', reseller.id);
    const moved = await move(reseller.id, p2.id);
    expect(moved).toMatchObject({ id: reseller.id, parentId: p2.id, path: [p2.id, reseller.id] });
    expect((await storage.tenancy.getCompany(customer.id))!.path).toEqual([p2.id, reseller.id, customer.id]);
    expect((await storage.tenancy.getCompany(p1.id))!.path).toEqual([p1.id]);
    const audit = await storage.audit.list({ companyIds: null, beforeId: null, limit: 10 });
    expect(audit[0]).toMatchObject({ action: 'company.move', targetId: reseller.id, details: { fromParentId: p1.id, toParentId: p2.id } });
    // To the top level, and back under a partner.
    expect(await move(customer.id, null)).toMatchObject({ parentId: null, path: [customer.id] });
    expect(await move(customer.id, p1.id)).toMatchObject({ parentId: p1.id, path: [p1.id, customer.id] });
  });

  it('refuses a customer as parent and a parent inside the company\'s own subtree, and writes nothing', async () => {
    const p1 = await company('P1', 'partner', null);
    const reseller = await company('Reseller', 'partner', p1.id);
    const customer = await company('Customer', 'customer', reseller.id);
    await expect(move(p1.id, reseller.id)).rejects.toMatchObject({ code: 'conflict' });
    await expect(move(reseller.id, reseller.id)).rejects.toMatchObject({ code: 'conflict' });
    await expect(move(reseller.id, customer.id)).rejects.toMatchObject({ code: 'conflict' });
    await expect(move(reseller.id, 'no-such-company')).rejects.toMatchObject({ code: 'not_found' });
    expect((await storage.tenancy.getCompany(reseller.id))!.path).toEqual([p1.id, reseller.id]);
    expect(await storage.audit.list({ companyIds: null, beforeId: null, limit: 10 })).toEqual([]);
  });

  it('bills this month with the new tree and keeps a finalized month\'s bill, even after late data recomputes it', async () => {
    const p1 = await company('P1', 'partner', null);
    const p2 = await company('P2', 'partner', null);
    const customer = await company('Customer', 'customer', p1.id);
    await activeDevice(customer.id, [OCT_1 + 3 * DAY, NOV_1 + 2 * DAY]);
    await closer.closeMonth('2026-10');
    const before = await reader.view('2026-10');
    expect((await total('2026-10', p1.id)).total.endpointUsage).toBe(1);

    await move(customer.id, p2.id);
    // This month: the new tree.
    expect((await total('2026-11', p2.id)).total.endpointUsage).toBe(1);
    expect((await total('2026-11', p1.id)).total.endpointUsage).toBe(0);
    // The finalized month: its snapshot, unchanged.
    expect((await total('2026-10', p1.id)).total.endpointUsage).toBe(1);
    expect((await total('2026-10', p2.id)).total.endpointUsage).toBe(0);

    // Late data for October: the recomputation uses October's tree, so the
    // adjustment is the customer's new endpoint alone and P1 keeps the totals.
    await activeDevice(customer.id, [OCT_1 + 20 * DAY]);
    const adjustments = await closer.processLateData();
    expect(adjustments).toHaveLength(1);
    const usageLines = adjustments[0].lines.filter((l) => (l.figure ?? 'usage') === 'usage' && l.column === 'endpointUsage');
    expect(usageLines.map((l) => [l.companyId, l.delta])).toEqual([[customer.id, 1]]);
    const october = await total('2026-10', p1.id);
    expect(october.total.endpointUsage).toBe(2);
    expect((await total('2026-10', p2.id)).total.endpointUsage).toBe(0);
    expect((await total('2026-10', customer.id)).path).toEqual(['P1', 'Customer']);
    expect((await reader.view('2026-10')).finalizedHash).toBe(before.finalizedHash);
  });

  it('a customer moved out from under an inactive partner stays unlicensed in the months before the move', async () => {
    const p1 = await company('P1', 'partner', null);
    const p2 = await company('P2', 'partner', null);
    const customer = await company('Customer', 'customer', p1.id);
    await storage.tenancy.setCompanyActive(p1.id, false, OCT_1 - DAY);
    await activeDevice(customer.id, [OCT_1 + 3 * DAY, NOV_1 + 2 * DAY]);
    expect((await total('2026-10', customer.id)).unlicensed.total.byReason.inactive).toBe(1);
    await move(customer.id, p2.id);
    // October ended under the inactive partner; November is reported with the new, active one.
    expect((await total('2026-10', customer.id)).unlicensed.total.byReason.inactive).toBe(1);
    expect((await total('2026-11', customer.id)).billable.total.billableEndpointUsage).toBe(1);
  });

  it('takes the customer\'s devices\' hardware evidence to the new partner\'s tree', async () => {
    const p1 = await company('P1', 'partner', null);
    const p2 = await company('P2', 'partner', null);
    const customer = await company('Customer', 'customer', p1.id);
    const device = await activeDevice(customer.id, [NOV_1]);
    await storage.devices.setEvidence(device, p1.id, { strong: ['uuid:1234'], weak: [] });
    await move(customer.id, p2.id);
    expect(await storage.devices.candidates(p1.id, ['uuid:1234'])).toEqual([]);
    expect((await storage.devices.candidates(p2.id, ['uuid:1234'])).map((c) => c.deviceId)).toEqual([device]);
  });

  it('treeBefore undoes later moves, newest first, and rebuilds every path', () => {
    const companies = [{ id: 'p1', parentId: null }, { id: 'p2', parentId: null }, { id: 'r', parentId: 'p2' }, { id: 'c', parentId: 'r' }];
    const tree = treeBefore(companies, [
      { companyId: 'r', fromParentId: 'p1', toParentId: null, atMs: 1 },
      { companyId: 'r', fromParentId: null, toParentId: 'p2', atMs: 2 },
    ]);
    expect(tree.get('r')).toEqual({ parentId: 'p1', path: ['p1', 'r'] });
    expect(tree.get('c')).toEqual({ parentId: 'r', path: ['p1', 'r', 'c'] });
    expect(tree.get('p2')).toEqual({ parentId: null, path: ['p2'] });
  });
});
