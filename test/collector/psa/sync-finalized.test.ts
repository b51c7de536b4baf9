// PSA sync against the three emulated PSAs (test/psa-emulators, real HTTP on
// loopback), on SQLite and PostgreSQL, through the real commands: a
// finalized month's late data pushed as each PSA's own correction (once, even
// when the answer is lost), one sync per connection at a time, wrong
// credentials and keys refused with clear codes. (sync.test.ts: the open
// month, drift, 429 and 500.)
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { COMMANDS } from '../../../collector/src/admin/index.ts';
import { PsaKey } from '../../../collector/src/psa/secrets.ts';
import { PSA_KINDS } from '../../../collector/src/psa/types.ts';
import { toTallyError } from '../../../collector/src/errors.ts';
import { ConnectWiseEmulator } from '../../psa-emulators/connectwise.ts';
import { BACKENDS, BASE_URL, CREDS, DAY, ENDPOINT_SKU, NOV_1, OCT_1, codeOf, connectAndMap, plan, psaQuantity, row, sync, world, type World } from './fixture.ts';


for (const backend of BACKENDS) {
  describe.skipIf(backend.skip)(`PSA sync: finalized months, concurrency, credentials (${backend.name})`, () => {
    let w: World;
    beforeEach(async () => { w = await world(backend); });
    afterEach(async () => { await w.close(); });

    it('pushes a finalized month\'s final quantities, then corrects late data through each PSA\'s own adjustment, once', async () => {
      for (const kind of PSA_KINDS) {
        await connectAndMap(w, kind);
        await sync(w, kind);
      }
      // A fourth Acme endpoint active on 25 October, then the month is finalized (5 November, after the grace window).
      const late1 = await w.seed.device(w.acme.id, { atMs: OCT_1 });
      await w.seed.awake(late1, w.acme.id, OCT_1 + 24 * DAY, 7200);
      w.clock.now = NOV_1 + 4 * DAY;
      await w.closer.closeMonth('2026-10');
      for (const kind of PSA_KINDS) {
        const fin = await sync(w, kind);
        expect(fin.finalized).toBe(true);
        expect(fin.written, kind).toBe(1);
        expect(psaQuantity(w, kind, 'acme', ENDPOINT_SKU), kind).toBe(4);
        expect((await w.storage.psa.ledger(kind, '2026-10')).every((e) => e.final), kind).toBe(true);
      }
      // Late data: a fifth endpoint's 28 October arrives on 8 November; the month gets a Tally adjustment.
      w.clock.now = NOV_1 + 7 * DAY;
      const late2 = await w.seed.device(w.acme.id, { atMs: OCT_1 });
      await w.seed.awake(late2, w.acme.id, OCT_1 + 27 * DAY, 7200);
      expect(await w.closer.processLateData()).toHaveLength(1);
      const writesBefore = w.cw.writes.length;
      // HaloPSA's answer to the correction is lost (applied, then 500): the next run finds it in Halo and does not bill it again.
      w.halo.inject({ status: 500, times: 1, applyThenFail: true, match: (m, p) => m === 'POST' && p === '/api/Invoice' });
      for (const kind of PSA_KINDS) {
        const dry = await sync(w, kind, { dryRun: true });
        expect(row(dry, w.acme.id, ENDPOINT_SKU), kind).toMatchObject({ tally: 5, lastPushed: 4, change: 1, action: 'adjust' });
        if (kind === 'halopsa') {
          expect(await codeOf(sync(w, kind))).toBe('psa_unavailable');
          expect((await w.storage.psa.ledger(kind, '2026-10')).find((e) => e.companyId === w.acme.id && e.sku === ENDPOINT_SKU)!.pendingMarker).toMatch(/^tally-adj:2026-10:/);
          expect(row(await plan(w, kind), w.acme.id, ENDPOINT_SKU).flags).toContain('pending_adjustment');
        }
        const adj = await sync(w, kind);
        expect(adj.adjusted, kind).toBe(kind === 'halopsa' ? 0 : 1);
        expect((await sync(w, kind)).adjusted + (await sync(w, kind)).written, kind).toBe(0);
      }
      // ConnectWise: a one-month addition carrying +1 (the standing line keeps the month's final quantity).
      const corrections = w.cw.additions.filter((a) => a.description.includes('tally-adj:2026-10'));
      expect(corrections.map((a) => [a.agreementId, a.product.id, a.quantity, a.effectiveDate, a.cancelledDate])).toEqual([
        [9001, 700, 1, '2026-11-01T00:00:00Z', '2026-11-30T00:00:00Z'],
      ]);
      expect(w.cw.writes.length).toBe(writesBefore + 1);
      expect(w.cw.line(9001, 700)!.quantity).toBe(4);
      // Autotask: contract charges of +1; HaloPSA: one-off invoices of +1, each once although one answer was lost.
      expect(w.at.entities.ContractCharges.map((c) => [c.contractID, c.unitQuantity])).toEqual([[4100, 1]]);
      expect(w.halo.invoices.map((i) => [i.client_id, i.lines[0].item_id, i.lines[0].qty_order])).toEqual([[12, 300, 1]]);
      const ledger = (await w.storage.psa.ledger('halopsa', '2026-10')).find((e) => e.companyId === w.acme.id && e.sku === ENDPOINT_SKU)!;
      expect(ledger).toMatchObject({ quantity: 5, adjusted: 1, final: true, pendingMarker: null });
    });

    it('runs one sync per connection at a time: a second one at once is refused, nothing is sent twice', async () => {
      await connectAndMap(w, 'autotask');
      const both = await Promise.allSettled([sync(w, 'autotask'), sync(w, 'autotask')]);
      expect(both.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
      expect(toTallyError((both.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason).code).toBe('conflict');
      expect(w.at.entities.ContractServiceAdjustments).toHaveLength(2);
      // The lease is released: the next sync runs (and writes nothing); a dry run never needs it.
      expect((await sync(w, 'autotask')).written).toBe(0);
      await w.storage.psa.claimSync('autotask', w.clock.now, w.clock.now + 60_000);
      expect((await sync(w, 'autotask', { dryRun: true })).rows.length).toBeGreaterThan(0);
      expect(await codeOf(sync(w, 'autotask'))).toBe('conflict');
      // A holder that crashed: its lease runs out.
      w.clock.now += 61_000;
      expect((await sync(w, 'autotask')).written).toBe(0);
    });

    it('refuses wrong credentials and a missing or wrong key with clear codes, writing nothing', async () => {
      const bad = { ...CREDS.connectwise, privateKey: 'not-the-key' };
      expect(await codeOf(w.run(COMMANDS.setPsaConnection, { kind: 'connectwise' }, { baseUrl: BASE_URL.connectwise(w), credentials: bad }))).toBe('psa_auth_failed');
      expect(await codeOf(w.run(COMMANDS.setPsaConnection, { kind: 'halopsa' }, { baseUrl: BASE_URL.halopsa(w), credentials: { ...CREDS.halopsa, clientSecret: 'nope' } }))).toBe('psa_auth_failed');
      expect(await codeOf(w.run(COMMANDS.setPsaConnection, { kind: 'autotask' }, { baseUrl: BASE_URL.autotask(w), credentials: { ...CREDS.autotask, secret: 'nope' } }))).toBe('psa_auth_failed');
      expect(await w.storage.psa.listConnections()).toEqual([]);
      expect(await codeOf(w.run(COMMANDS.setPsaConnection, { kind: 'autotask' }, { baseUrl: BASE_URL.autotask(w), credentials: { userName: 'x' } }))).toBe('invalid_request');
      expect(w.cw.writes).toHaveLength(0);

      // No key: nothing can be saved.
      const key = w.psa.key;
      w.psa.key = null;
      expect(await codeOf(w.run(COMMANDS.setPsaConnection, { kind: 'connectwise' }, { baseUrl: BASE_URL.connectwise(w), credentials: CREDS.connectwise }))).toBe('psa_key_missing');
      w.psa.key = key;
      await connectAndMap(w, 'connectwise');
      // Credentials that go wrong after they were saved: the sync stops at the first call, nothing written.
      ConnectWiseEmulator.CREDS.privateKey = 'rotated-in-the-psa';
      try {
        expect(await codeOf(sync(w, 'connectwise'))).toBe('psa_auth_failed');
      } finally {
        ConnectWiseEmulator.CREDS.privateKey = 'cw-private-SECRET-9f8e';
      }
      expect(w.cw.writes).toHaveLength(0);
      // Another key than the one the credentials were saved under: a clear code, never garbage credentials sent.
      w.psa.key = PsaKey.parse('b4'.repeat(32));
      expect(await codeOf(sync(w, 'connectwise'))).toBe('psa_key_invalid');
      w.psa.key = null;
      expect(await codeOf(sync(w, 'connectwise'))).toBe('psa_key_missing');
      expect(() => PsaKey.parse('short')).toThrow(/32 bytes/);
      w.psa.key = key;
      expect((await sync(w, 'connectwise')).written).toBe(2);
    });
  });
}
