// PSA sync end to end against the three emulated PSAs (test/psa-emulators,
// real HTTP on loopback), on SQLite and PostgreSQL, through the real
// commands: a month synced to all three (and a repeat that writes nothing),
// a hand edit and a cancelled agreement reconciled as drift, a 429 and a 500
// in the middle of a sync (resumed, nothing doubled). (sync-finalized.test.ts:
// adjustments after finalization, concurrency, credentials.)
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tallyLines } from '../../../collector/src/psa/sync.ts';
import { PSA_KINDS } from '../../../collector/src/psa/types.ts';
import { psaLines } from '../../../collector/src/reports/psa.ts';
import { BACKENDS, DAY, ENDPOINT_SKU, OCT_1, EDR_SKU, codeOf, connectAndMap, plan, psaQuantity, row, sync, world, type World } from './fixture.ts';


for (const backend of BACKENDS) {
  describe.skipIf(backend.skip)(`PSA sync (${backend.name})`, () => {
    let w: World;
    beforeEach(async () => { w = await world(backend); });
    afterEach(async () => { await w.close(); });

    it('syncs a month to all three PSAs with the billable quantities of the PSA export; a repeated sync writes nothing', async () => {
      // The quantities are the PSA export's billable quantities: the same reader, the same lines.
      const lines = await tallyLines(w.reader, '2026-10');
      expect(lines.get(w.acme.id)!.skus.get(ENDPOINT_SKU)).toEqual({ billable: 3, usage: 3 });
      expect(lines.get(w.globex.id)!.skus.get(EDR_SKU)).toEqual({ billable: 2, usage: 2 });
      expect(lines.get(w.umbrella.id)!.skus.get('TALLY-UNLICENSED-ENDPOINTS')).toEqual({ billable: 0, usage: 1 });
      const { report } = await w.reader.endpointReport('2026-10', 'endpoint_security');
      const exported = psaLines({ row: report.rows.find((r) => r.companyId === w.acme.id)!, pathText: '', depth: 0, externalId: null }, 'endpoint_security');
      expect(exported.find((l) => l.sku === ENDPOINT_SKU)!.billableQuantity).toBe(3);

      for (const kind of PSA_KINDS) {
        await connectAndMap(w, kind);
        const dry = await sync(w, kind, { dryRun: true });
        expect(row(dry, w.acme.id, ENDPOINT_SKU)).toMatchObject({ tally: 3, psa: 0, change: 3, action: 'create', flags: ['line_missing'] });
        expect(row(dry, w.globex.id, EDR_SKU)).toMatchObject({ tally: 2, psa: 0, change: 2, action: 'create' });
        expect(dry.written).toBe(0);
        const done = await sync(w, kind);
        expect(done.written, kind).toBe(2);
        expect(psaQuantity(w, kind, 'acme', ENDPOINT_SKU), kind).toBe(3);
        expect(psaQuantity(w, kind, 'globex', EDR_SKU), kind).toBe(2);
      }
      const writes = { cw: w.cw.writes.length, at: w.at.writes.length, halo: w.halo.writes.length };
      expect(writes).toEqual({ cw: 2, at: 2, halo: 2 });
      for (const kind of PSA_KINDS) {
        const again = await sync(w, kind);
        expect(again.written + again.adjusted, kind).toBe(0);
      }
      expect({ cw: w.cw.writes.length, at: w.at.writes.length, halo: w.halo.writes.length }).toEqual(writes);

      // ConnectWise got additions effective on the month's first day; Autotask adjustments of +3 effective then.
      expect(w.cw.line(9001, 700)).toMatchObject({ quantity: 3, effectiveDate: '2026-10-01T00:00:00Z', billCustomer: 'Billable' });
      expect(w.at.entities.ContractServiceAdjustments.find((a) => a.contractID === 4100 && a.serviceID === 80)).toMatchObject({ unitChange: 3, effectiveDate: '2026-10-01T00:00:00' });
      // Every push is audited with what was sent and what the PSA answered.
      const audit = await w.storage.audit.list({ companyIds: null, beforeId: null, limit: 500 });
      const push = audit.find((a) => a.action === 'psa.push' && a.targetId === `connectwise:${w.acme.id}:${ENDPOINT_SKU}`)!;
      expect(push.details).toMatchObject({ month: '2026-10', from: 0, to: 3, exchanges: [{ method: 'POST', status: 201, sent: { quantity: 3 }, answered: { quantity: 3, id: expect.any(Number) } }] });
      expect(audit.filter((a) => a.action === 'psa.push')).toHaveLength(6);

      // Usage grows: the next sync sets the new quantity (ConnectWise: a PATCH of the addition; Autotask: +1).
      const more = await w.seed.device(w.acme.id, { atMs: OCT_1 });
      await w.seed.awake(more, w.acme.id, OCT_1 + 10 * DAY, 7200);
      for (const kind of PSA_KINDS) {
        const grown = await sync(w, kind);
        expect(grown.written, kind).toBe(1);
        expect(psaQuantity(w, kind, 'acme', ENDPOINT_SKU), kind).toBe(4);
      }
      expect(w.cw.log.filter((r) => r.method === 'PATCH').map((r) => r.body)).toContainEqual([{ op: 'replace', path: 'quantity', value: 4 }]);
      expect(w.at.entities.ContractServiceAdjustments.filter((a) => a.contractID === 4100 && a.serviceID === 80).map((a) => a.unitChange)).toEqual([3, 1]);
    });

    it('reconciles: a hand edit, a cancelled agreement, unmapped companies and unlicensed activity are flagged; a hand edit is overwritten only when asked', async () => {
      for (const kind of PSA_KINDS) {
        await connectAndMap(w, kind);
        await sync(w, kind);
      }
      w.cw.line(9001, 700)!.quantity = 7;
      w.at.handEdit(4100, 80, '2026-10-15', 9);
      w.halo.recurring.find((r) => r.id === 60)!.lines.find((l) => l.item_id === 300)!.qty_order = 1;
      w.cw.agreements.find((a) => a.id === 9002)!.cancelledFlag = true;
      for (const kind of PSA_KINDS) {
        const rec = await plan(w, kind);
        const expectedPsa = { connectwise: 7, autotask: 9, halopsa: 1 }[kind];
        expect(row(rec, w.acme.id, ENDPOINT_SKU), kind).toMatchObject({ tally: 3, psa: expectedPsa, lastPushed: 3, change: 3 - expectedPsa, action: 'none', flags: ['hand_edited'] });
        expect(row(rec, w.initech.id, ENDPOINT_SKU).flags, kind).toEqual(['company_unmapped']);
        expect(row(rec, w.umbrella.id, 'TALLY-UNLICENSED-ENDPOINTS'), kind).toMatchObject({ tally: 0, usage: 1, action: 'none', flags: ['unlicensed_activity', 'company_unmapped'] });
      }
      expect(row(await plan(w, 'connectwise'), w.globex.id, EDR_SKU)).toMatchObject({ action: 'none', flags: ['agreement_cancelled'] });
      const writes = w.cw.writes.length;
      expect((await sync(w, 'connectwise')).written).toBe(0);
      expect(w.cw.writes.length).toBe(writes);
      const over = await sync(w, 'connectwise', { overwrite: true });
      expect(over.written).toBe(1);
      expect(w.cw.line(9001, 700)!.quantity).toBe(3);
      // The cancelled agreement was not written, even with overwrite.
      expect(w.cw.writes.length).toBe(writes + 1);
      expect(row(await plan(w, 'connectwise'), w.acme.id, ENDPOINT_SKU).flags).toEqual([]);
    });

    it('rides out a 429 and resumes after a 500 in the middle of a sync, doubling nothing', async () => {
      for (const kind of PSA_KINDS) await connectAndMap(w, kind);
      // ConnectWise: the second write is rate limited once (Retry-After: 1): the connector waits and goes on.
      w.cw.inject({ status: 429, retryAfter: 1, times: 1, skip: 1, match: (m) => m === 'POST' });
      const t0 = Date.now();
      expect((await sync(w, 'connectwise')).written).toBe(2);
      expect(Date.now() - t0).toBeGreaterThanOrEqual(900);
      expect(w.cw.log.filter((r) => r.status === 429)).toHaveLength(1);
      expect(w.cw.additions).toHaveLength(2);

      // Autotask: the second adjustment fails with 500; a create is not retried blindly: the sync stops, what was written is kept.
      w.at.inject({ status: 500, times: 1, skip: 1, match: (m, p) => m === 'POST' && p.endsWith('/ContractServiceAdjustments') });
      const failures: unknown[] = [];
      w.psa.onSyncFailed = (info) => failures.push(info);
      expect(await codeOf(sync(w, 'autotask'))).toBe('psa_unavailable');
      expect(failures).toEqual([{ kind: 'autotask', month: '2026-10', code: 'psa_unavailable', message: expect.stringContaining('500'), written: 1, adjusted: 0 }]);
      expect(w.at.entities.ContractServiceAdjustments).toHaveLength(1);
      expect(await w.storage.psa.ledger('autotask', '2026-10')).toHaveLength(1);
      expect((await w.storage.psa.getConnection('autotask'))!.lastSyncStatus).toMatch(/^failed: the PSA failed \(500/);
      const failed = (await w.storage.audit.list({ companyIds: null, beforeId: null, limit: 100 })).find((a) => a.action === 'psa.push_failed')!;
      expect(failed.details).toMatchObject({ code: 'psa_unavailable' });
      // Run again: it resumes with the lines not done, and the first is not sent twice.
      const resumed = await sync(w, 'autotask');
      expect(resumed.written).toBe(1);
      expect(w.at.entities.ContractServiceAdjustments.map((a) => a.unitChange).sort()).toEqual([2, 3]);
      expect(psaQuantity(w, 'autotask', 'acme', ENDPOINT_SKU)).toBe(3);
      expect(psaQuantity(w, 'autotask', 'globex', EDR_SKU)).toBe(2);

      // HaloPSA: an expired token is fetched again; a read answered 500 twice is retried (bounded backoff).
      await sync(w, 'halopsa', { dryRun: true });
      w.halo.tokens.clear();
      w.halo.inject({ status: 500, times: 2, match: (m, p) => m === 'GET' && p.startsWith('/api/RecurringInvoice/') });
      expect((await sync(w, 'halopsa')).written).toBe(2);
      expect(w.halo.tokenRequests).toBeGreaterThanOrEqual(3);
      expect(w.halo.log.filter((r) => r.status === 500)).toHaveLength(2);
      expect(psaQuantity(w, 'halopsa', 'globex', EDR_SKU)).toBe(2);
      expect((await sync(w, 'halopsa')).written).toBe(0);
    });

  });
}
