// Batched reads for upgrades and hellos (ingest/hello-reads.ts) on real
// SQLite and PostgreSQL (TALLY_TEST_PG_URL): the reads of upgrades (or
// hellos) waiting together are one store call; each gets its own answer
// (unknown key, retired device, a company inactive above); an inactivation
// committed before a read refuses it (nothing cached); a read the store
// refuses fails alone, an unavailable database fails the batch at once.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { standingIn } from '../../../collector/src/ingest/company-active.ts';
import { HelloReads, readHello, readKey } from '../../../collector/src/ingest/hello-reads.ts';
import { openPostgresStorage } from '../../../collector/src/storage/postgres/index.ts';
import { openSqliteStorage } from '../../../collector/src/storage/sqlite/index.ts';
import { StorageError, type Storage } from '../../../collector/src/storage/types.ts';
import { createTestDatabase, pgServerConfigured, pgTestSetting } from '../../helpers/postgres.ts';
import { shouldRun } from '../../helpers/requirements.ts';

const NOW = Date.UTC(2026, 10, 15, 12);
const setting = pgTestSetting();
const pgRun = shouldRun('hello reads on PostgreSQL', pgServerConfigured(setting));

const backends: { name: string; run: boolean; open: () => Promise<{ storage: Storage; dispose: () => Promise<void> }> }[] = [
  { name: 'SQLite', run: true, open: async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tally-hello-reads-'));
    const storage = openSqliteStorage({ path: join(dir, 't.db'), nowMs: NOW, busyTimeoutMs: 50 });
    return { storage, dispose: async () => { await storage.close(); rmSync(dir, { recursive: true, force: true }); } };
  } },
  { name: 'PostgreSQL', run: pgRun, open: async () => {
    const db = await createTestDatabase(setting.run ? setting.url : '');
    const storage = await openPostgresStorage({ url: db.url, nowMs: NOW });
    return { storage, dispose: async () => { await storage.close(); await db.drop(); } };
  } },
];

for (const backend of backends) {
  describe.skipIf(!backend.run)(`HelloReads on ${backend.name}`, () => {
    let storage: Storage;
    let dispose: () => Promise<void>;
    let keyCalls: string[][];
    let helloCalls: { companies: string[]; devices: string[] }[];
    const ids = { partner: 'p-1', under: 'c-under', alone: 'c-alone', otherUnder: 'c-other' };

    /** The real store, recording each read the batcher asks for; a read of device `poison` is refused, of `down` fails as unavailable. */
    const counting = (s: Storage): Storage => ({
      ...s,
      enrolment: { ...s.enrolment, devicesByKeyHashes: (hashes) => {
        keyCalls.push([...hashes]);
        return s.enrolment.devicesByKeyHashes(hashes);
      } },
      ingest: { ...s.ingest, helloReads: (companies, devices) => {
        helloCalls.push({ companies: [...companies], devices: [...devices] });
        if (devices.includes('poison')) return Promise.reject(new StorageError('conflict', 'refused on purpose'));
        if (devices.includes('down')) return Promise.reject(new StorageError('storage_unavailable', 'database down'));
        return s.ingest.helloReads(companies, devices);
      } },
    });

    beforeEach(async () => {
      ({ storage, dispose } = await backend.open());
      const company = (id: string, type: 'partner' | 'customer', parentId: string | null) =>
        storage.tenancy.createCompany({ id, name: id, type, parentId, externalId: null, nowMs: NOW });
      await company(ids.partner, 'partner', null);
      await company(ids.under, 'customer', ids.partner);
      await company(ids.otherUnder, 'customer', ids.partner);
      await company(ids.alone, 'customer', null);
      const devices: [string, string][] = [['d1', ids.under], ['d2', ids.under], ['d3', ids.alone], ['d4', ids.otherUnder], ['gone', ids.under], ['poison', ids.alone], ['down', ids.alone]];
      for (const [id, companyId] of devices) {
        await storage.enrolment.enrolDevice({ deviceId: id, companyId, keyHash: `k-${id}`, instanceId: `i-${id}`, hostname: `h-${id}`, facts: null, agentVersion: 't', nowMs: NOW });
      }
      await storage.devices.setRetired('gone', NOW + 1);
      keyCalls = [];
      helloCalls = [];
    });
    afterEach(async () => {
      await dispose();
    });

    it('reads the upgrades waiting together in one call, each with its own device and the companies on its path', async () => {
      const reads = new HelloReads({ storage: counting(storage) });
      const [d1, d3, gone, unknown] = await Promise.all(['k-d1', 'k-d3', 'k-gone', 'k-unknown'].map((k) => reads.key(k)));
      expect(keyCalls).toEqual([['k-d1', 'k-d3', 'k-gone', 'k-unknown']]);
      expect(d1.device).toEqual({ deviceId: 'd1', companyId: ids.under, companyActive: true, retiredAtMs: null });
      expect(standingIn(d1.companies, ids.under, NOW + 2).active).toBe(true);
      expect(d3.device).toMatchObject({ deviceId: 'd3', companyId: ids.alone });
      expect(standingIn(d3.companies, ids.alone, NOW + 2).active).toBe(true);
      expect(gone.device).toMatchObject({ deviceId: 'gone', retiredAtMs: NOW + 1 });
      expect(unknown.device).toBeNull();
      // The same answers unbatched.
      expect(await readKey(storage.enrolment, 'k-d1')).toEqual({ device: d1.device, companies: expect.any(Map) });
      expect(await readKey(storage.enrolment, 'k-unknown')).toEqual({ device: null, companies: new Map() });
    });

    it('a partner inactivated above: its subtree\'s upgrades and hellos are refused from the next read on, another tree\'s in the same batch are not', async () => {
      const reads = new HelloReads({ storage: counting(storage) });
      const before = await reads.hello({ companyId: ids.under, deviceId: 'd1' });
      expect(standingIn(before.companies, ids.under, NOW + 2).active).toBe(true);

      await storage.tenancy.setCompanyActive(ids.partner, false, NOW + 2);
      const [under, other, alone, enrolling] = await Promise.all([
        reads.hello({ companyId: ids.under, deviceId: 'd1' }), reads.hello({ companyId: ids.otherUnder, deviceId: 'd4' }),
        reads.hello({ companyId: ids.alone, deviceId: 'd3' }), reads.hello({ companyId: ids.alone, deviceId: null }),
      ]);
      expect(helloCalls.at(-1)).toEqual({ companies: [ids.under, ids.otherUnder, ids.alone], devices: ['d1', 'd4', 'd3'] });
      expect(helloCalls).toHaveLength(2);
      for (const [r, companyId] of [[under, ids.under], [other, ids.otherUnder]] as const) {
        expect(standingIn(r.companies, companyId, NOW + 3)).toMatchObject({ active: false, inactive: { id: ids.partner } });
      }
      expect(standingIn(alone.companies, ids.alone, NOW + 3).active).toBe(true);
      expect(alone.device).toEqual(await storage.ingest.deviceAtHello('d3'));
      expect(enrolling.device).toBeNull();

      const upgrades = await Promise.all(['k-d1', 'k-d3'].map((k) => reads.key(k)));
      expect(keyCalls).toEqual([['k-d1', 'k-d3']]);
      expect(upgrades[0].device).toMatchObject({ companyActive: true }); // its own company is active: the partner above is not
      expect(standingIn(upgrades[0].companies, ids.under, NOW + 3)).toMatchObject({ active: false, inactive: { id: ids.partner } });
      expect(standingIn(upgrades[1].companies, ids.alone, NOW + 3).active).toBe(true);

      // The company itself inactivated: refused too; reactivated: accepted at the next read.
      await storage.tenancy.setCompanyActive(ids.alone, false, NOW + 4);
      expect(standingIn((await reads.hello({ companyId: ids.alone, deviceId: 'd3' })).companies, ids.alone, NOW + 5)).toMatchObject({ active: false, inactive: { id: ids.alone } });
      await storage.tenancy.setCompanyActive(ids.partner, true, NOW + 6);
      expect(standingIn((await readHello(storage.ingest, { companyId: ids.under, deviceId: 'd1' })).companies, ids.under, NOW + 7).active).toBe(true);
    });

    it('an unknown company or device reads as absent: not active, no device', async () => {
      const reads = new HelloReads({ storage });
      const r = await reads.hello({ companyId: 'no-such-company', deviceId: 'no-such-device' });
      expect(r.device).toBeNull();
      expect(standingIn(r.companies, 'no-such-company', NOW)).toEqual({ active: false, inactive: null });
    });

    it('a read the store refuses fails alone; an unavailable database fails the batch at once', async () => {
      const reads = new HelloReads({ storage: counting(storage) });
      const results = await Promise.allSettled(['d3', 'poison', 'd1'].map((id) => reads.hello({ companyId: id === 'd1' ? ids.under : ids.alone, deviceId: id })));
      expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
      expect(helloCalls.map((c) => c.devices)).toEqual([['d3', 'poison', 'd1'], ['d3'], ['poison'], ['d1']]);
      expect(results[0].status === 'fulfilled' && results[0].value.device).toEqual(await storage.ingest.deviceAtHello('d3'));

      helloCalls = [];
      const down = await Promise.allSettled(['d3', 'down', 'd1'].map((id) => reads.hello({ companyId: ids.alone, deviceId: id })));
      expect(down.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected']);
      expect(helloCalls).toHaveLength(1);
      await reads.drain();
    });
  });
}
