// User-billing units in the PSA sync (seed 000, "active utilization
// billing"): the core's user-based usage (active users, each with a footprint
// of one corporate device, and devices billed as separate line items) reaches
// the three emulated PSAs as TALLY-USER and TALLY-USER-STANDALONE-DEVICE
// lines, the same lines as the PSA export's, idempotently through the ledger;
// unmapped, they are listed as unmapped. Real SQLite and PostgreSQL.
import { Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { COMMANDS } from '../../../collector/src/admin/index.ts';
import { tallyLines } from '../../../collector/src/psa/sync.ts';
import { PSA_KINDS, type PsaKind } from '../../../collector/src/psa/types.ts';
import { psaOverview } from '../../../collector/src/psa/views.ts';
import { USER_SKUS, psaLines } from '../../../collector/src/reports/psa.ts';
import { loadReportInput, writeReport } from '../../../collector/src/reports/index.ts';
import { BACKENDS, DAY, NOV_1, OCT_1, connectAndMap, row, sync, world, type World } from './fixture.ts';

const USER = USER_SKUS.activeUsers;
const STANDALONE = USER_SKUS.standaloneDevices;
/** A per-user product and a per-device one in each emulated PSA's catalog. */
const PRODUCTS: Record<PsaKind, { user: string; device: string }> = {
  connectwise: { user: '710', device: '711' },
  autotask: { user: '90', device: '91' },
  halopsa: { user: '310', device: '311' },
};


function psaQty(w: World, kind: PsaKind, product: string): number | undefined {
  const agreement = { connectwise: 9001, autotask: 4100, halopsa: 60 }[kind];
  if (kind === 'connectwise') return w.cw.line(agreement, Number(product))?.quantity;
  if (kind === 'autotask') return w.at.unitsOn(agreement, Number(product), '2026-10-20');
  return w.halo.qty(agreement, Number(product));
}

for (const backend of BACKENDS) {
  describe.skipIf(backend.skip)(`PSA sync of user-billing units (${backend.name})`, () => {
    let w: World;
    beforeEach(async () => {
      w = await world(backend);
      w.cw.catalog.push({ id: 710, identifier: 'USER' }, { id: 711, identifier: 'USER-DEVICE' });
      w.at.entities.Services.push({ id: 90, name: 'Protected User' }, { id: 91, name: 'Protected Device' });
      w.halo.items.push({ id: 310, name: 'Protected User' }, { id: 311, name: 'Protected Device' });
      // Acme bills by user: Alice has two corporate devices active (seed: one primary corporate device per user's
      // footprint, so the second is a separate line item); Acme's 3 other endpoints are linked to no user, each a
      // separate line item.
      const alice = await w.storage.tenancy.upsertUser({ id: 'u-alice', companyId: w.acme.id, externalId: 'alice@acme', displayName: 'Alice', nowMs: w.clock.now });
      for (let i = 0; i < 2; i++) {
        const id = await w.seed.device(w.acme.id, { atMs: OCT_1 });
        await w.storage.tenancy.assignDeviceUser(id, alice.id);
        await w.seed.awakeDays(id, w.acme.id, [6, 7].map((d) => ({ dayMs: OCT_1 + d * DAY, seconds: 7200 })));
      }
      // Umbrella (no subscription) has a user too: active, never billable, so never a billed user line.
      const bob = await w.storage.tenancy.upsertUser({ id: 'u-bob', companyId: w.umbrella.id, externalId: 'bob@umbrella', displayName: 'Bob', nowMs: w.clock.now });
      const ub = await w.seed.device(w.umbrella.id, { atMs: OCT_1 });
      await w.storage.tenancy.assignDeviceUser(ub, bob.id);
      await w.seed.awake(ub, w.umbrella.id, OCT_1 + 8 * DAY, 7200);
    });
    afterEach(async () => { await w.close(); });

    it('syncs the user-billing units to all three PSAs with the user usage report\'s billable units; a repeated sync writes nothing', async () => {
      const { report } = await w.reader.userUsageSummary('2026-10');
      const acmeUsers = report.companies.find((c) => c.companyId === w.acme.id)!;
      expect(acmeUsers).toMatchObject({ activeUsers: 1, standaloneDevices: 4, billableUnits: 5 });
      const lines = await tallyLines(w.reader, '2026-10');
      expect(lines.get(w.acme.id)!.skus.get(USER)).toEqual({ billable: 1, usage: 1 });
      expect(lines.get(w.acme.id)!.skus.get(STANDALONE)).toEqual({ billable: 4, usage: 4 });
      // Licence state respected as the user report does: Umbrella's user is unlicensed activity, never a billed line.
      expect(report.companies.find((c) => c.companyId === w.umbrella.id)!.unlicensed.users).toBe(1);
      expect(lines.get(w.umbrella.id)!.skus.has(USER)).toBe(false);
      // Globex's devices are linked to no user: it bills by endpoint, and has no user lines.
      expect([...lines.get(w.globex.id)!.skus.keys()]).toEqual(['TALLY-EDR-ENDPOINT']);

      // The PSA export (format psa) carries the same lines.
      const options = { companyId: w.acme.id, month: '2026-10', productType: 'endpoint_security' as const, onlyEndpointDetails: false, onlyDirectCompanies: false, registeredBetween: null };
      const input = await loadReportInput({ adminRead: w.storage.adminRead, reader: w.reader, now: () => w.clock.now }, options, 'psa');
      const chunks: Buffer[] = [];
      await writeReport('psa', input, options, new Writable({ write(c, _e, cb) { chunks.push(Buffer.from(c)); cb(); } }));
      const csv = Buffer.concat(chunks).toString('utf8').split(/\r?\n/);
      expect(csv).toContain(`2026-10,${w.acme.id},ACME Corp,,${USER},1,,,1,yes,billable`);
      expect(csv).toContain(`2026-10,${w.acme.id},ACME Corp,,${STANDALONE},4,,,4,yes,billable`);
      // The EDR export has none (user usage is billed once).
      const { report: edr } = await w.reader.endpointReport('2026-10', 'edr');
      expect(psaLines({ row: edr.rows.find((r) => r.companyId === w.acme.id)!, pathText: '', depth: 0, externalId: null }, 'edr', acmeUsers).map((l) => l.sku)).not.toContain(USER);

      for (const kind of PSA_KINDS) {
        await connectAndMap(w, kind);
        await w.run(COMMANDS.setPsaMapping, { kind }, { sku: USER, productId: PRODUCTS[kind].user });
        await w.run(COMMANDS.setPsaMapping, { kind }, { sku: STANDALONE, productId: PRODUCTS[kind].device });
        const dry = await sync(w, kind, { dryRun: true });
        expect(row(dry, w.acme.id, USER), kind).toMatchObject({ tally: 1, psa: 0, change: 1, action: 'create', productId: PRODUCTS[kind].user });
        expect(row(dry, w.acme.id, STANDALONE), kind).toMatchObject({ tally: 4, psa: 0, change: 4, action: 'create' });
        const done = await sync(w, kind);
        expect(done.failed, kind).toEqual([]);
        // Acme's endpoint line, Globex's EDR line, and Acme's two user lines.
        expect(done.written, kind).toBe(4);
        expect(psaQty(w, kind, PRODUCTS[kind].user), kind).toBe(1);
        expect(psaQty(w, kind, PRODUCTS[kind].device), kind).toBe(4);
      }
      const writes = { cw: w.cw.writes.length, at: w.at.writes.length, halo: w.halo.writes.length };
      for (const kind of PSA_KINDS) {
        const again = await sync(w, kind);
        expect(again.written + again.adjusted, kind).toBe(0);
        expect(row(again, w.acme.id, USER), kind).toMatchObject({ tally: 1, psa: 1, lastPushed: 1, action: 'none', flags: [] });
      }
      expect({ cw: w.cw.writes.length, at: w.at.writes.length, halo: w.halo.writes.length }).toEqual(writes);

      // A new user joins with one device: the next sync sets 2 users, the standalone line unchanged.
      const carol = await w.storage.tenancy.upsertUser({ id: 'u-carol', companyId: w.acme.id, externalId: 'carol@acme', displayName: 'Carol', nowMs: w.clock.now });
      const cd = await w.seed.device(w.acme.id, { atMs: OCT_1 });
      await w.storage.tenancy.assignDeviceUser(cd, carol.id);
      await w.seed.awake(cd, w.acme.id, OCT_1 + 12 * DAY, 7200);
      for (const kind of PSA_KINDS) {
        const grown = await sync(w, kind);
        expect(row(grown, w.acme.id, USER), kind).toMatchObject({ tally: 2, psa: 1, action: 'set' });
        expect(row(grown, w.acme.id, STANDALONE), kind).toMatchObject({ tally: 4, psa: 4, action: 'none' });
        expect(psaQty(w, kind, PRODUCTS[kind].user), kind).toBe(2);
      }
      const audit = await w.storage.audit.list({ companyIds: null, beforeId: null, limit: 500 });
      expect(audit.find((a) => a.action === 'psa.push' && a.targetId === `halopsa:${w.acme.id}:${USER}` && (a.details as { to: number }).to === 2)).toBeTruthy();

      // Finalized: the user units come from the month's stored figures, the same; the PSA already holds them: nothing written.
      w.clock.now = NOV_1 + 4 * DAY;
      await w.closer.closeMonth('2026-10');
      const stored = await w.reader.userUsageSummary('2026-10');
      expect(stored.finalized).toBe(true);
      expect(stored.report.companies.find((c) => c.companyId === w.acme.id)).toMatchObject({ activeUsers: 2, standaloneDevices: 4, lines: [] });
      for (const kind of PSA_KINDS) {
        const fin = await sync(w, kind);
        expect(fin.finalized, kind).toBe(true);
        expect(row(fin, w.acme.id, USER), kind).toMatchObject({ tally: 2, psa: 2, action: 'none' });
        expect(fin.written + fin.adjusted, kind).toBe(0);
      }
    });

    it('lists an unmapped user SKU as unmapped and never writes it', async () => {
      for (const kind of PSA_KINDS) {
        await connectAndMap(w, kind);
        await w.run(COMMANDS.setPsaMapping, { kind }, { sku: USER, productId: PRODUCTS[kind].user });
        const overview = await psaOverview({ stores: w.storage, now: () => w.clock.now, psa: w.psa }, kind, '2026-10');
        expect(overview.unmappedSkus, kind).toEqual([STANDALONE]);
        const done = await sync(w, kind);
        expect(row(done, w.acme.id, STANDALONE), kind).toMatchObject({ tally: 4, psa: null, action: 'none', flags: ['product_unmapped'] });
        expect(row(done, w.acme.id, USER), kind).toMatchObject({ tally: 1, action: 'create' });
        expect(psaQty(w, kind, PRODUCTS[kind].device) ?? 0, kind).toBe(0);
        expect(psaQty(w, kind, PRODUCTS[kind].user), kind).toBe(1);
      }
    });
  });
}
