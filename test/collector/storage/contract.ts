// The storage contract, backend-agnostic: every backend's test file calls
// storageContract() with a factory, and the same describe blocks run against
// it. What a test may assume is only what types.ts promises (plus the
// `receipts` hook, to see that settled dedupe marks are really forgotten).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { IDeviceFacts } from '../../../proto/index.ts';
import type { SubscriptionVersion } from '../../../collector/src/billing/index.ts';
import { LAST_SEEN_RESOLUTION_MS, StorageError, type AdminStores, type LateDataPolicy, type MonthSnapshot, type Storage, type UsageRecordInput } from '../../../collector/src/storage/types.ts';
import { subscription } from '../billing/fixtures.ts';
import type { BillingOracle } from '../../helpers/billing-oracle.ts';
import { reportedFacts } from '../../../collector/src/devices/attributes.ts';
import { seedCustomer } from '../../helpers/seed.ts';

export interface ContractBackend {
  storage: Storage;
  /** A second, independent handle on the same database: another collector. */
  peer(): Promise<Storage>;
  /** The dedupe marks a device still holds, in (stream, seq) order. */
  receipts(deviceId: string): Promise<{ stream: string; seq: number }[]>;
  /** The oracle for the billing reads (test/helpers/billing-oracle.ts) on this database. */
  billingInputs: BillingOracle['billingInputs'];
  /** Closes every handle and discards the database. */
  dispose(): Promise<void>;
}

const NO_FINALIZED_MONTH: LateDataPolicy = { adjustableFromDay: 0 };

const DAY_MS = 86_400_000;
export const NOW = Date.UTC(2026, 10, 15, 12); // 2026-11-15T12:00Z
export const DAY = Math.floor(NOW / DAY_MS);
const NOV_1 = Date.UTC(2026, 10, 1) / DAY_MS;
const DEC_1 = Date.UTC(2026, 11, 1) / DAY_MS;
const OCT_1 = Date.UTC(2026, 9, 1) / DAY_MS;
const SEP_1 = Date.UTC(2026, 8, 1) / DAY_MS;

const rec = (seq: number, utcDay: number, awakeSeconds: number, stream = 's'): UsageRecordInput => ({ stream, seq, utcDay, awakeSeconds, bootId: 'b' });

export function snapshotOf(month: string, hash: string): MonthSnapshot {
  return {
    month,
    reports: {
      endpoint_security: { month, productType: 'endpoint_security', rows: [] },
      edr: { month, productType: 'edr', rows: [] },
    },
    userUsage: { month, companies: [] },
    hash,
  };
}

/** Facts as an agent on a virtual Linux server with two modules and two users would report them. */
export const serverFacts = (modules: string[], users: { userId: string; primary?: boolean }[] = []): IDeviceFacts => ({
  hostname: 'srv-01',
  os: { platform: 'linux', name: 'Ubuntu', version: '24.04' },
  virtualization: { virtual: true, kind: 'kvm', category: 'vm' },
  role: { role: 'server' },
  modules: modules.map((name) => ({ name, installed: true, tier: name === 'integrity_monitoring' ? '90d' : '' })),
  users: users.map((u) => ({ userId: u.userId, primary: u.primary ?? false })),
  ownership: 'corporate',
}) as IDeviceFacts;

async function expectStorageError(p: Promise<unknown>, code: StorageError['code'], message?: RegExp) {
  let caught: unknown;
  try {
    await p;
  } catch (err) {
    caught = err;
  }
  expect(caught, 'expected the call to fail').toBeInstanceOf(StorageError);
  expect((caught as StorageError).code).toBe(code);
  if (message) expect((caught as Error).message).toMatch(message);
}

export function storageContract(backendName: string, open: () => Promise<ContractBackend>) {
  describe(`storage contract on ${backendName}`, () => {
    let backend: ContractBackend;
    let storage: Storage;
    let companyId: string;

    const enrol = (id: string, company = companyId, facts: IDeviceFacts | null = null) => storage.enrolment.enrolDevice({
      deviceId: id, companyId: company, keyHash: `hash-${id}`, instanceId: `inst-${id}`, hostname: `host-${id}`, facts: facts && reportedFacts(facts), agentVersion: '0.1.0', nowMs: NOW,
    });
    const ingest = (deviceId: string, records: UsageRecordInput[], late = NO_FINALIZED_MONTH, floors: { stream: string; oldestUnackedSeq: number }[] = [], s = storage) =>
      s.ingest.ingestUsage(deviceId, companyId, records, floors, NOW, late);
    const usage = async (from: number, to: number) => (await storage.adminRead.usageForDays(from, to, { after: null, limit: 100 })).items;

    beforeEach(async () => {
      backend = await open();
      storage = backend.storage;
      companyId = (await seedCustomer(storage, 'Acme', NOW)).id;
    });
    afterEach(async () => {
      await backend.dispose();
    });

    describe('enrolment and device authentication', () => {
      it('finds tokens and devices by hash, and tells whether the device company is active', async () => {
        await storage.adminWrite.createEnrolmentToken({ id: 'tok1', companyId, tokenHash: 'th1', expiresAtMs: NOW + 1000, nowMs: NOW });
        expect(await storage.enrolment.findEnrolmentToken('th1')).toEqual({ id: 'tok1', companyId, expiresAtMs: NOW + 1000, revokedAtMs: null, maxEnrolments: null, enrolments: 0 });
        expect(await storage.enrolment.findEnrolmentToken('nope')).toBeNull();
        await enrol('d1');
        expect(await storage.enrolment.findDeviceByKeyHash('hash-d1')).toEqual({ deviceId: 'd1', companyId, companyActive: true, retiredAtMs: null });
        expect(await storage.enrolment.findDeviceByKeyHash('hash-unknown')).toBeNull();
        await storage.tenancy.setCompanyActive(companyId, false, NOW);
        expect(await storage.enrolment.findDeviceByKeyHash('hash-d1')).toMatchObject({ companyActive: false });
        expect((await storage.enrolment.findCompany(companyId))?.name).toBe('Acme');
        expect(await storage.enrolment.findCompany('no-such-company')).toBeNull();
      });

      it('reads an upgrade and a hello in one call each: devices by key hash, hellos\' devices, each company with every company on its path', async () => {
        const partner = await storage.tenancy.createCompany({ id: 'p-up', name: 'Up', type: 'partner', parentId: null, externalId: null, nowMs: NOW });
        const under = await storage.tenancy.createCompany({ id: 'c-under', name: 'Under', type: 'customer', parentId: partner.id, externalId: null, nowMs: NOW });
        await enrol('d1', under.id);
        await enrol('d2', under.id);
        await enrol('d3'); // Acme, another tree
        await enrol('gone', under.id);
        await storage.devices.setRetired('gone', NOW + 1);
        const ids = (m: Map<string, unknown>) => [...m.keys()].sort();

        // Several keys at once: each known one with its device, the unknown one absent; the companies on every path.
        const auth = await storage.enrolment.devicesByKeyHashes(['hash-d1', 'hash-d3', 'hash-gone', 'hash-unknown']);
        expect(Object.fromEntries(auth.devices)).toEqual({
          'hash-d1': { deviceId: 'd1', companyId: under.id, companyActive: true, retiredAtMs: null },
          'hash-d3': { deviceId: 'd3', companyId, companyActive: true, retiredAtMs: null },
          'hash-gone': { deviceId: 'gone', companyId: under.id, companyActive: true, retiredAtMs: NOW + 1 },
        });
        expect(ids(auth.companies)).toEqual([companyId, partner.id, under.id].sort());
        expect(auth.companies.get(under.id)).toEqual(await storage.enrolment.findCompany(under.id));
        expect(await storage.enrolment.devicesByKeyHashes(['hash-unknown'])).toEqual({ devices: new Map(), companies: new Map() });
        expect(await storage.enrolment.devicesByKeyHashes([])).toEqual({ devices: new Map(), companies: new Map() });

        // A merged device's key authenticates as its survivor.
        await storage.devices.mergeDevices({ survivorId: 'd1', duplicateId: 'd2', keys: 'both', nowMs: NOW + 2 });
        expect((await storage.enrolment.devicesByKeyHashes(['hash-d2'])).devices.get('hash-d2')).toMatchObject({ deviceId: 'd1', companyId: under.id });

        // The partner above inactivated: the device's own company is still active, the partner is read inactive beside it.
        await storage.tenancy.setCompanyActive(partner.id, false, NOW + 3);
        const after = await storage.enrolment.devicesByKeyHashes(['hash-d1']);
        expect(after.devices.get('hash-d1')).toMatchObject({ companyActive: true });
        expect(after.companies.get(partner.id)).toMatchObject({ active: false, inactiveSinceMs: NOW + 3 });
        expect(Object.fromEntries(await storage.enrolment.companiesWithPaths([under.id, 'no-such-company'])))
          .toEqual({ [under.id]: await storage.enrolment.findCompany(under.id), [partner.id]: await storage.enrolment.findCompany(partner.id) });

        // Hellos of two trees in one read: each company's path (one of them inactive above), the devices as deviceAtHello reads them.
        const hello = await storage.ingest.helloReads([under.id, companyId, 'no-such-company'], ['d1', 'd3', 'gone', 'no-such-device']);
        expect(ids(hello.companies)).toEqual([companyId, partner.id, under.id].sort());
        expect(hello.companies.get(partner.id)?.active).toBe(false);
        expect(hello.companies.get(companyId)?.active).toBe(true);
        expect(ids(hello.devices)).toEqual(['d1', 'd3', 'gone']);
        for (const id of ['d1', 'd3', 'gone']) expect(hello.devices.get(id)).toEqual(await storage.ingest.deviceAtHello(id));
        expect(hello.devices.get('gone')?.lifecycle.retiredAtMs).toBe(NOW + 1);
        expect(await storage.ingest.helloReads([], [])).toEqual({ companies: new Map(), devices: new Map() });
      });

      it('refuses a second device with the same key hash and keeps the first', async () => {
        await enrol('d1');
        await expect(storage.enrolment.enrolDevice({
          deviceId: 'd2', companyId, keyHash: 'hash-d1', instanceId: 'i', hostname: 'h', facts: null, agentVersion: '0.1.0', nowMs: NOW,
        })).rejects.toBeInstanceOf(StorageError);
        const { items } = await storage.adminRead.listDevices({ after: null, limit: 10 });
        expect(items.map((d) => d.id)).toEqual(['d1']);
      });

      it('stores API keys hashed and finds them by hash', async () => {
        await storage.adminWrite.createApiKey({ id: 'k1', keyHash: 'kh1', label: 'ops', companyId: null, readOnly: true, nowMs: NOW });
        expect(await storage.adminWrite.findApiKey('kh1')).toEqual({ id: 'k1', label: 'ops', companyId: null, readOnly: true, role: null, createdByUserId: null });
        expect(await storage.adminWrite.findApiKey('kh2')).toBeNull();
      });
    });

    describe('usage ingest', () => {
      it('folds new records into device-day rows and ignores repeats of the same (stream, seq)', async () => {
        await enrol('d1');
        const recs = [rec(1, DAY, 300), rec(2, DAY, 300), rec(3, DAY - 1, 100)];
        expect((await ingest('d1', recs)).outcomes).toEqual(['stored', 'stored', 'stored']);
        // The same batch again (a lost ack): nothing changes.
        expect((await ingest('d1', recs)).outcomes).toEqual(['duplicate', 'duplicate', 'duplicate']);
        expect(await usage(DAY - 1, DAY + 1)).toEqual([{ deviceId: 'd1', hostname: 'host-d1', companyId, awakeSeconds: 700, activeDays: 2 }]);
      });

      it('treats a repeat inside one batch as a duplicate', async () => {
        await enrol('d1');
        expect((await ingest('d1', [rec(1, DAY, 60), rec(1, DAY, 60)])).outcomes).toEqual(['stored', 'duplicate']);
        expect((await usage(DAY, DAY + 1))[0].awakeSeconds).toBe(60);
      });

      it('forgets receipts below the floor but still treats those sequences as settled', async () => {
        await enrol('d1');
        await ingest('d1', [rec(1, DAY, 60)]);
        await ingest('d1', [rec(2, DAY, 60)], NO_FINALIZED_MONTH, [{ stream: 's', oldestUnackedSeq: 2 }]);
        expect((await ingest('d1', [rec(1, DAY, 60)])).outcomes).toEqual(['duplicate']);
        expect(await backend.receipts('d1')).toEqual([{ stream: 's', seq: 2 }]);
        expect((await usage(DAY, DAY + 1))[0].awakeSeconds).toBe(120);
      });

      it('never lowers a floor: an older floor from a slow connection changes nothing', async () => {
        await enrol('d1');
        await ingest('d1', [rec(5, DAY, 10)], NO_FINALIZED_MONTH, [{ stream: 's', oldestUnackedSeq: 5 }]);
        await ingest('d1', [], NO_FINALIZED_MONTH, [{ stream: 's', oldestUnackedSeq: 2 }]);
        expect((await ingest('d1', [rec(3, DAY, 10)])).outcomes).toEqual(['duplicate']);
      });

      it('keeps streams and devices apart: the same seq on another stream or device is new', async () => {
        await enrol('d1');
        await enrol('d2');
        await ingest('d1', [rec(1, DAY, 10)]);
        expect((await ingest('d1', [rec(1, DAY, 10, 't')])).outcomes).toEqual(['stored']);
        expect((await ingest('d2', [rec(1, DAY, 10)])).outcomes).toEqual(['stored']);
      });

      it('never lets a device-day exceed 86,400 s, within a batch or across batches', async () => {
        await enrol('d1');
        const r = await ingest('d1', [rec(1, DAY, 86_000), rec(2, DAY, 1_000)]);
        expect(r.clampedSeconds).toBe(600);
        const again = await ingest('d1', [rec(3, DAY, 50), rec(4, DAY - 1, 50)]);
        expect(again.clampedSeconds).toBe(50);
        expect((await usage(DAY, DAY + 1))[0].awakeSeconds).toBe(86_400);
        expect((await usage(DAY - 1, DAY))[0].awakeSeconds).toBe(50);
      });

      it('counts a month as [first day, first day of next month) in UTC', async () => {
        await enrol('d1');
        await ingest('d1', [rec(1, NOV_1 - 1, 5), rec(2, NOV_1, 7), rec(3, DEC_1 - 1, 11), rec(4, DEC_1, 13)]);
        expect((await usage(NOV_1, DEC_1))[0]).toMatchObject({ awakeSeconds: 18, activeDays: 2 });
      });

      it('counts a day with zero seconds as present but not active', async () => {
        await enrol('d1');
        await ingest('d1', [rec(1, DAY, 0), rec(2, DAY - 1, 30)]);
        expect((await usage(DAY - 1, DAY + 1))[0]).toMatchObject({ awakeSeconds: 30, activeDays: 1 });
      });

      it('stores each record exactly once when two collectors ingest the same batch for one device at once', async () => {
        await enrol('d1');
        const other = await backend.peer();
        const batch = Array.from({ length: 40 }, (_, i) => rec(i + 1, DAY - (i % 2), 3_000));
        const results = await Promise.all([ingest('d1', batch), ingest('d1', batch, NO_FINALIZED_MONTH, [], other), ingest('d1', [...batch].reverse(), NO_FINALIZED_MONTH, [], other)]);
        // Every record is stored by exactly one of the three.
        for (let i = 0; i < batch.length; i++) {
          const stored = [results[0].outcomes[i], results[1].outcomes[i], results[2].outcomes[batch.length - 1 - i]].filter((o) => o === 'stored');
          expect(stored).toHaveLength(1);
        }
        // 20 records of 3,000 s per day: 60,000 s each day, nothing clamped, nothing doubled.
        expect((await usage(DAY - 1, DAY + 1))[0]).toMatchObject({ awakeSeconds: 120_000, activeDays: 2 });
        expect(results.reduce((n, r) => n + r.clampedSeconds, 0)).toBe(0);
      });

      it('clamps at 86,400 s even when two collectors add to the same device-day at once', async () => {
        await enrol('d1');
        const other = await backend.peer();
        const a = Array.from({ length: 10 }, (_, i) => rec(i + 1, DAY, 6_000, 'a'));
        const b = Array.from({ length: 10 }, (_, i) => rec(i + 1, DAY, 6_000, 'b'));
        const [ra, rb] = await Promise.all([ingest('d1', a), ingest('d1', b, NO_FINALIZED_MONTH, [], other)]);
        expect((await usage(DAY, DAY + 1))[0].awakeSeconds).toBe(86_400);
        expect(ra.clampedSeconds + rb.clampedSeconds).toBe(120_000 - 86_400);
      });

      it('keeps agent strings PostgreSQL text cannot hold (NUL) as a working dedupe key', async () => {
        await storage.enrolment.enrolDevice({
          deviceId: 'd1', companyId, keyHash: 'hash-d1', instanceId: 'i\u0000', hostname: 'host\u0000x', facts: null, agentVersion: '0.1.0', nowMs: NOW,
        });
        expect((await ingest('d1', [rec(1, DAY, 10, 'st\u0000ream')])).outcomes).toEqual(['stored']);
        expect((await ingest('d1', [rec(1, DAY, 10, 'st\u0000ream')])).outcomes).toEqual(['duplicate']);
        expect((await usage(DAY, DAY + 1))[0].awakeSeconds).toBe(10);
      });

      it('fails an ingest for a device that does not exist, storing nothing', async () => {
        await expect(ingest('ghost', [rec(1, DAY, 10)])).rejects.toBeInstanceOf(StorageError);
        await expectStorageError(ingest('ghost', [rec(1, DAY, 10)]), 'not_found');
        expect(await usage(DAY, DAY + 1)).toEqual([]);
      });

      it('stores events once and marks an uninstalled device', async () => {
        await enrol('d1');
        const ev = { stream: 'events/x', seq: 1, occurredAtMs: NOW - 1000, kind: 'uninstalled' as const, payload: { reason: 'msiexec /x' } };
        expect(await storage.ingest.recordEvents('d1', [ev], NOW)).toEqual(['stored']);
        expect(await storage.ingest.recordEvents('d1', [{ ...ev, seq: 2, occurredAtMs: NOW }], NOW)).toEqual(['stored']);
        expect(await storage.ingest.recordEvents('d1', [ev], NOW)).toEqual(['duplicate']);
        const { items } = await storage.adminRead.listDevices({ after: null, limit: 10 });
        expect(items[0].uninstalledAtMs).toBe(NOW - 1000); // the first uninstall counts
      });

      it('admits a device\'s stream names up to the bound within the window; known names always, older ones no longer count', async () => {
        await enrol('d1');
        await enrol('d2');
        const bound = { max: 3, windowMs: 30 * DAY_MS };
        expect([...await storage.devices.admitStreams('d1', ['a', 'b'], NOW - 40 * DAY_MS, bound)]).toEqual([]); // long ago: outside the window now
        expect([...await storage.devices.admitStreams('d1', ['c', 'd', 'a', 'c'], NOW, bound)]).toEqual([]);
        expect([...await storage.devices.admitStreams('d1', ['e', 'f', 'g', 'b'], NOW, bound)].sort()).toEqual(['f', 'g']); // room for one: e (name order)
        expect([...await storage.devices.admitStreams('d1', ['a', 'b', 'c', 'd', 'e'], NOW, bound)]).toEqual([]); // all known
        expect([...await storage.devices.admitStreams('d2', ['f'], NOW, bound)]).toEqual([]); // per device
        expect([...await storage.devices.admitStreams('d1', ['f'], NOW + 31 * DAY_MS, bound)]).toEqual([]); // the window moved on
      });

      it('purges events received before the cutoff, in batches, and never billing rows, history or the uninstall on the device', async () => {
        await enrol('d1');
        const ev = (seq: number, kind: 'uninstalled' | 'user_signed_in' = 'user_signed_in') => ({ stream: 'ev', seq, occurredAtMs: NOW - 400 * DAY_MS, kind, payload: {} });
        await storage.ingest.recordEvents('d1', [ev(1, 'uninstalled'), ev(2), ev(3)], NOW - 400 * DAY_MS);
        await storage.ingest.recordEvents('d1', [ev(4)], NOW - 10 * DAY_MS);
        await storage.devices.appendHistory([{ deviceId: 'd1', atMs: NOW - 400 * DAY_MS, kind: 'uninstalled', actor: 'agent', details: {} }]);
        await ingest('d1', [rec(1, DAY - 400, 500)], { adjustableFromDay: 0 });
        expect(await storage.devices.purgeEvents(NOW - 395 * DAY_MS, 2)).toBe(2);
        expect(await storage.devices.purgeEvents(NOW - 395 * DAY_MS, 2)).toBe(1);
        expect(await storage.devices.purgeEvents(NOW - 395 * DAY_MS, 2)).toBe(0);
        // The recent event is kept: sent again it is a duplicate; a purged one would be stored anew.
        expect(await storage.ingest.recordEvents('d1', [ev(4), ev(3)], NOW)).toEqual(['duplicate', 'stored']);
        const { items } = await storage.adminRead.listDevices({ after: null, limit: 10 });
        expect(items[0].uninstalledAtMs).toBe(NOW - 400 * DAY_MS);
        expect((await storage.devices.history('d1')).map((h) => h.kind)).toContain('uninstalled');
        expect((await usage(DAY - 400, DAY - 399)).map((d) => d.awakeSeconds)).toEqual([500]);
      });

      it('records a hello: hostname, version and last seen', async () => {
        await enrol('d1');
        await storage.ingest.recordHello({ deviceId: 'd1', instanceId: 'inst-2', hostname: 'renamed', agentVersion: '0.2.0', facts: null, nowMs: NOW + 5000 });
        const { items } = await storage.adminRead.listDevices({ after: null, limit: 10 });
        expect(items[0]).toMatchObject({ hostname: 'renamed', agentVersion: '0.2.0', lastSeenAtMs: NOW + 5000, enrolledAtMs: NOW, companyName: 'Acme' });
      });

      it('batched hellos store exactly what one hello at a time stores (hello, facts, hardware, evidence), and an unchanged evidence is left alone', async () => {
        const facts = reportedFacts(serverFacts(['antimalware'], [{ userId: 'alice@acme', primary: true }]));
        const ev = (id: string) => ({ strong: [`uuid:${id}`], weak: [`mac:${id}`, 'hostname:srv-01'] });
        for (const id of ['a1', 'a2', 'b1', 'b2']) await enrol(id);
        // One at a time, as before batching: the hello, the hardware, the evidence, each its own write.
        for (const id of ['a1', 'a2']) {
          await storage.ingest.recordHello({ deviceId: id, instanceId: 'i2', hostname: 'srv-01', agentVersion: '0.2.0', facts, firstRunAtMs: NOW - 9000, nowMs: NOW + 5000 });
          await storage.ingest.setDeviceHardware(id, `fp-${id.slice(1)}`);
          await storage.devices.setEvidence(id, companyId, ev(id.slice(1)));
        }
        // Batched (out of id order on purpose, with a device that does not exist: it changes nothing).
        await storage.ingest.recordHellos(['b2', 'gone', 'b1'].map((id) => ({
          deviceId: id, instanceId: 'i2', hostname: 'srv-01', agentVersion: '0.2.0', facts, firstRunAtMs: NOW - 9000, nowMs: NOW + 5000,
          hardware: `fp-${id.slice(1)}`, evidence: { treeRoot: companyId, ...ev(id.slice(1)) },
        })));
        const { items } = await storage.adminRead.listDevices({ after: null, limit: 10 });
        const strip = (id: string) => {
          const d = items.find((x) => x.id === id)!;
          return { ...d, id: undefined };
        };
        expect(items).toHaveLength(4);
        expect(strip('b1')).toEqual(strip('a1'));
        expect(strip('b2')).toEqual(strip('a2'));
        expect(strip('b1')).toMatchObject({ hostname: 'srv-01', agentVersion: '0.2.0', lastSeenAtMs: NOW + 5000, firstRunAtMs: NOW - 9000 });
        for (const [a, b] of [['a1', 'b1'], ['a2', 'b2']]) {
          expect(await storage.ingest.deviceHardware(b)).toEqual(await storage.ingest.deviceHardware(a));
          const cands = await storage.devices.candidates(companyId, [`uuid:${a.slice(1)}`]);
          expect(cands.map((c) => c.deviceId).sort()).toEqual([a, b]);
          const [ca, cb] = [a, b].map((id) => cands.find((c) => c.deviceId === id)!);
          expect({ ...cb, deviceId: undefined }).toEqual({ ...ca, deviceId: undefined });
          expect(ca.connectedSinceMs).toBe(NOW + 5000);
        }
        // The same evidence again changes nothing; other evidence replaces it.
        await storage.ingest.recordHellos([{ deviceId: 'b1', instanceId: 'i3', hostname: 'srv-01', agentVersion: '0.3.0', facts: null, nowMs: NOW + 9000, evidence: { treeRoot: companyId, strong: ['uuid:9'], weak: [] } }]);
        expect((await storage.devices.candidates(companyId, ['uuid:1'])).map((c) => c.deviceId)).toEqual(['a1']);
        expect((await storage.devices.candidates(companyId, ['uuid:9'])).map((c) => c.deviceId)).toEqual(['b1']);
        expect(await storage.ingest.deviceHardware('b1')).toEqual({ fingerprint: 'fp-1', lastSeenAtMs: NOW + 9000 }); // no hardware given: kept
        // What the next hello reads of the device, in one read: hardware, last seen and the lifecycle.
        expect(await storage.ingest.deviceAtHello('b1')).toEqual({
          fingerprint: 'fp-1', lastSeenAtMs: NOW + 9000, lifecycle: { ...(await storage.devices.lifecycle('b1'))!, firstRunAtMs: NOW - 9000 },
        });
        expect(await storage.ingest.deviceAtHello('gone')).toBeNull();
      });

      it('moves last_seen_at on usage only once it is a minute old (LAST_SEEN_RESOLUTION_MS); a hello sets it exactly', async () => {
        await enrol('d1'); // seen at NOW
        const seen = async () => (await storage.adminRead.listDevices({ after: null, limit: 10 })).items[0].lastSeenAtMs;
        await storage.ingest.ingestUsageBatch([{ deviceId: 'd1', companyId, records: [rec(1, DAY, 10)], floors: [] }], NOW + 59_999, NO_FINALIZED_MONTH);
        expect(await seen()).toBe(NOW);
        await storage.ingest.ingestUsage('d1', companyId, [rec(2, DAY, 10)], [], NOW + LAST_SEEN_RESOLUTION_MS, NO_FINALIZED_MONTH);
        expect(await seen()).toBe(NOW + 60_000);
        // A clock that went back never moves it back.
        await storage.ingest.ingestUsageBatch([{ deviceId: 'd1', companyId, records: [rec(3, DAY, 10)], floors: [] }], NOW - 600_000, NO_FINALIZED_MONTH);
        expect(await seen()).toBe(NOW + 60_000);
        await storage.ingest.recordHello({ deviceId: 'd1', instanceId: 'inst-d1', hostname: 'host-d1', agentVersion: '0.1.0', facts: null, nowMs: NOW + 61_000 });
        expect(await seen()).toBe(NOW + 61_000);
      });

      it('stores an inventory once per (stream, seq)', async () => {
        await enrol('d1');
        expect(await storage.ingest.recordInventory('d1', 'inv', 1, reportedFacts(serverFacts(['antimalware'])), NOW)).toBe('stored');
        expect(await storage.ingest.recordInventory('d1', 'inv', 1, reportedFacts(serverFacts(['antimalware', 'edr_sensor'])), NOW)).toBe('duplicate');
        await ingest('d1', [rec(1, DAY, 10)]);
        const { deviceDays } = await backend.billingInputs('2026-11', DAY, DAY + 1);
        expect(deviceDays[0].modules).toEqual(['antimalware']);
      });

      it('pages devices with a stable cursor', async () => {
        for (const id of ['c', 'a', 'b']) await enrol(id);
        const p1 = await storage.adminRead.listDevices({ after: null, limit: 2 });
        expect(p1.items.map((d) => d.id)).toEqual(['a', 'b']);
        expect(p1.next).toBe('b');
        const p2 = await storage.adminRead.listDevices({ after: p1.next, limit: 2 });
        expect(p2.items.map((d) => d.id)).toEqual(['c']);
        expect(p2.next).toBeNull();
      });

      it('pages usage in byte order of device ids (upper case before lower case, like SQLite)', async () => {
        for (const id of ['b', 'B', 'a-1', 'a_1']) {
          await enrol(id);
          await ingest(id, [rec(1, DAY, 10)]);
        }
        const p1 = await storage.adminRead.usageForDays(DAY, DAY + 1, { after: null, limit: 3 });
        expect(p1.items.map((u) => u.deviceId)).toEqual(['B', 'a-1', 'a_1']);
        const p2 = await storage.adminRead.usageForDays(DAY, DAY + 1, { after: p1.next, limit: 3 });
        expect(p2.items.map((u) => u.deviceId)).toEqual(['b']);
      });
    });

    describe('group commit (ingestUsageBatch)', () => {
      it('stores the frames of many devices in one call, results in order, dedupe and clamp as for single frames', async () => {
        await enrol('d1');
        await enrol('d2');
        const results = await storage.ingest.ingestUsageBatch([
          { deviceId: 'd2', companyId, records: [rec(1, DAY, 86_000)], floors: [] },
          { deviceId: 'd1', companyId, records: [rec(1, DAY, 10), rec(1, DAY, 10)], floors: [] },
          { deviceId: 'd2', companyId, records: [rec(1, DAY, 86_000), rec(2, DAY, 1_000)], floors: [{ stream: 's', oldestUnackedSeq: 2 }] },
        ], NOW, NO_FINALIZED_MONTH);
        expect(results.map((r) => r.outcomes)).toEqual([['stored'], ['stored', 'duplicate'], ['duplicate', 'stored']]);
        expect(results[2].clampedSeconds).toBe(600);
        expect((await usage(DAY, DAY + 1)).map((u) => [u.deviceId, u.awakeSeconds])).toEqual([['d1', 10], ['d2', 86_400]]);
        expect(await backend.receipts('d2')).toEqual([{ stream: 's', seq: 2 }]);
      });

      it('is all or nothing: one bad frame stores none of the batch', async () => {
        await enrol('d1');
        await expect(storage.ingest.ingestUsageBatch([
          { deviceId: 'd1', companyId, records: [rec(1, DAY, 10)], floors: [] },
          { deviceId: 'ghost', companyId, records: [rec(1, DAY, 10)], floors: [] },
        ], NOW, NO_FINALIZED_MONTH)).rejects.toBeInstanceOf(StorageError);
        expect(await usage(DAY, DAY + 1)).toEqual([]);
        expect((await ingest('d1', [rec(1, DAY, 10)])).outcomes).toEqual(['stored']);
      });

      it('lets two collectors commit overlapping groups at once without double counting', async () => {
        const ids = ['d1', 'd2', 'd3', 'd4'];
        for (const id of ids) await enrol(id);
        const other = await backend.peer();
        const units = ids.map((deviceId) => ({ deviceId, companyId, records: [rec(1, DAY, 100), rec(2, DAY, 100)], floors: [] }));
        await Promise.all([
          storage.ingest.ingestUsageBatch(units, NOW, NO_FINALIZED_MONTH),
          other.ingest.ingestUsageBatch([...units].reverse(), NOW, NO_FINALIZED_MONTH),
        ]);
        expect((await usage(DAY, DAY + 1)).map((u) => u.awakeSeconds)).toEqual([200, 200, 200, 200]);
      });
    });

    // What a store that works on the whole batch at once (PostgreSQL's
    // unnest statements) can get wrong and a frame-by-frame store cannot: the
    // batch must have exactly the effect of its frames run one after another.
    describe('group commit: the batch behaves like its frames in order', () => {
      const batch = (units: { deviceId: string; records: UsageRecordInput[]; floors?: { stream: string; oldestUnackedSeq: number }[] }[], late = NO_FINALIZED_MONTH, nowMs = NOW) =>
        storage.ingest.ingestUsageBatch(units.map((u) => ({ deviceId: u.deviceId, companyId, records: u.records, floors: u.floors ?? [] })), nowMs, late);

      it('dedupes the same device appearing twice in one batch, across its frames and against what was stored before', async () => {
        await enrol('d1');
        await enrol('d2');
        await ingest('d1', [rec(1, DAY, 10)]);
        const results = await batch([
          { deviceId: 'd1', records: [rec(1, DAY, 10), rec(2, DAY, 20), rec(3, DAY - 1, 30)] },
          { deviceId: 'd2', records: [rec(2, DAY, 40), rec(3, DAY, 50)] },
          { deviceId: 'd1', records: [rec(3, DAY - 1, 30), rec(4, DAY, 60), rec(2, DAY, 20), rec(5, DAY - 1, 70)] },
        ]);
        expect(results.map((r) => r.outcomes)).toEqual([
          ['duplicate', 'stored', 'stored'],
          ['stored', 'stored'],
          ['duplicate', 'stored', 'duplicate', 'stored'],
        ]);
        expect(results.map((r) => r.clampedSeconds)).toEqual([0, 0, 0]);
        expect((await usage(DAY, DAY + 1)).map((u) => [u.deviceId, u.awakeSeconds])).toEqual([['d1', 10 + 20 + 60], ['d2', 90]]);
        expect((await usage(DAY - 1, DAY)).map((u) => [u.deviceId, u.awakeSeconds])).toEqual([['d1', 100]]);
        expect(await backend.receipts('d1')).toEqual([1, 2, 3, 4, 5].map((seq) => ({ stream: 's', seq })));
        // A retry of the whole batch (its ack was lost) changes nothing.
        const again = await batch([
          { deviceId: 'd1', records: [rec(2, DAY, 20), rec(3, DAY - 1, 30)] },
          { deviceId: 'd2', records: [rec(2, DAY, 40), rec(3, DAY, 50)] },
          { deviceId: 'd1', records: [rec(4, DAY, 60), rec(5, DAY - 1, 70)] },
        ]);
        expect(again.map((r) => r.outcomes)).toEqual([['duplicate', 'duplicate'], ['duplicate', 'duplicate'], ['duplicate', 'duplicate']]);
        expect((await usage(DAY - 1, DAY + 1)).map((u) => u.awakeSeconds)).toEqual([190, 90]);
      });

      it('counts a sequence repeated inside one frame once, first occurrence stored, next to frames of other devices with the same sequences', async () => {
        await enrol('d1');
        await enrol('d2');
        const results = await batch([
          { deviceId: 'd2', records: [rec(7, DAY, 5)] },
          { deviceId: 'd1', records: [rec(7, DAY, 100), rec(8, DAY, 1), rec(7, DAY, 100), rec(7, DAY - 1, 100), rec(8, DAY, 1)] },
          { deviceId: 'd2', records: [rec(8, DAY, 5), rec(8, DAY, 5), rec(7, DAY, 5, 't')] },
        ]);
        expect(results.map((r) => r.outcomes)).toEqual([
          ['stored'],
          ['stored', 'stored', 'duplicate', 'duplicate', 'duplicate'],
          ['stored', 'duplicate', 'stored'],
        ]);
        expect((await usage(DAY, DAY + 1)).map((u) => [u.deviceId, u.awakeSeconds])).toEqual([['d1', 101], ['d2', 15]]);
        // The repeat on another day was a duplicate, so it created no day.
        expect(await usage(DAY - 1, DAY)).toEqual([]);
      });

      it('gives the clamp of a device-day to the frames in order when several frames of one batch cross 86,400 s', async () => {
        await enrol('d1');
        await enrol('d2');
        await ingest('d1', [rec(1, DAY, 80_000)]);
        const results = await batch([
          { deviceId: 'd1', records: [rec(2, DAY, 5_000)] },                          // 85,000: fits
          { deviceId: 'd2', records: [rec(1, DAY, 86_400), rec(2, DAY, 10)] },        // another device: its own day, 10 dropped
          { deviceId: 'd1', records: [rec(3, DAY, 1_000), rec(4, DAY, 2_000)] },      // 1,400 of 3,000 fit
          { deviceId: 'd1', records: [rec(5, DAY, 100), rec(6, DAY - 1, 100)] },      // the day is full: 100 dropped, the other day takes 100
          { deviceId: 'd1', records: [rec(7, DAY - 1, 86_400)] },                      // 86,300 of 86,400 fit
        ]);
        expect(results.map((r) => r.outcomes.every((o) => o === 'stored'))).toEqual([true, true, true, true, true]);
        expect(results.map((r) => r.clampedSeconds)).toEqual([0, 10, 1_600, 100, 100]);
        expect((await usage(DAY, DAY + 1)).map((u) => [u.deviceId, u.awakeSeconds])).toEqual([['d1', 86_400], ['d2', 86_400]]);
        expect((await usage(DAY - 1, DAY))[0].awakeSeconds).toBe(86_400);
        // Full days stay full, and what did not fit is counted again on the next batch.
        const next = await batch([{ deviceId: 'd1', records: [rec(8, DAY, 1), rec(9, DAY - 1, 2)] }, { deviceId: 'd2', records: [rec(3, DAY, 3)] }]);
        expect(next.map((r) => r.clampedSeconds)).toEqual([3, 3]);
      });

      it('applies a frame\'s floor after its own records and before the later frames of the batch', async () => {
        await enrol('d1');
        await enrol('d2');
        await ingest('d1', [rec(1, DAY, 1), rec(2, DAY, 1)]);
        const results = await batch([
          // Its own floor (6) does not make records 3 and 4 duplicates: a floor settles what came before.
          { deviceId: 'd1', records: [rec(3, DAY, 10), rec(4, DAY, 10)], floors: [{ stream: 's', oldestUnackedSeq: 6 }] },
          { deviceId: 'd2', records: [rec(1, DAY, 10)], floors: [{ stream: 's', oldestUnackedSeq: 1 }] },
          // 5 was never stored, but it is below the floor the previous frame of d1 raised; 2 too; 4 was claimed by it; 6 is new.
          { deviceId: 'd1', records: [rec(5, DAY, 10), rec(2, DAY, 10), rec(4, DAY, 10), rec(6, DAY, 10), rec(1, DAY, 10, 't')],
            floors: [{ stream: 's', oldestUnackedSeq: 7 }, { stream: 't', oldestUnackedSeq: 1 }] },
          // An older floor in a later frame never lowers it: 6 stays settled.
          { deviceId: 'd1', records: [rec(6, DAY, 10), rec(7, DAY, 10)], floors: [{ stream: 's', oldestUnackedSeq: 2 }] },
        ]);
        expect(results.map((r) => r.outcomes)).toEqual([
          ['stored', 'stored'],
          ['stored'],
          ['duplicate', 'duplicate', 'duplicate', 'stored', 'stored'],
          ['duplicate', 'stored'],
        ]);
        expect(await backend.receipts('d1')).toEqual([{ stream: 's', seq: 7 }, { stream: 't', seq: 1 }]);
        expect(await backend.receipts('d2')).toEqual([{ stream: 's', seq: 1 }]);
        expect((await usage(DAY, DAY + 1)).map((u) => [u.deviceId, u.awakeSeconds])).toEqual([['d1', 2 + 10 + 10 + 10 + 10 + 10], ['d2', 10]]);
        expect((await ingest('d1', [rec(5, DAY, 10), rec(6, DAY, 10), rec(7, DAY, 10), rec(8, DAY, 10)])).outcomes).toEqual(['duplicate', 'duplicate', 'duplicate', 'stored']);
      });

      it('handles records of finalized months next to normal ones: adjustments, unbilled records, the latest late mark', async () => {
        await enrol('d1');
        await enrol('d2');
        await storage.billing.saveFinalizedMonth(snapshotOf('2026-09', 'h9'), NOW);
        await storage.billing.saveFinalizedMonth(snapshotOf('2026-10', 'h0'), NOW);
        const late = { adjustableFromDay: OCT_1 };
        // Late data for October already arrived at NOW + 50.
        await storage.ingest.ingestUsage('d2', companyId, [rec(1, OCT_1 + 1, 10)], [], NOW + 50, late);
        const results = await batch([
          { deviceId: 'd1', records: [rec(1, OCT_1 + 3, 100), rec(2, DAY, 100), rec(3, SEP_1 + 2, 50)] },
          { deviceId: 'd2', records: [rec(2, NOV_1, 10), rec(1, OCT_1 + 1, 10)] },
          { deviceId: 'd1', records: [rec(3, SEP_1 + 2, 50), rec(4, OCT_1 + 3, 50), rec(5, SEP_1 + 5, 20), rec(6, DAY, 1)] },
        ], late, NOW);
        expect(results).toEqual([
          { outcomes: ['stored', 'stored', 'stored'], clampedSeconds: 0, adjustedRecords: 1, unbilledRecords: 1 },
          { outcomes: ['stored', 'duplicate'], clampedSeconds: 0, adjustedRecords: 0, unbilledRecords: 0 },
          { outcomes: ['duplicate', 'stored', 'stored', 'stored'], clampedSeconds: 0, adjustedRecords: 1, unbilledRecords: 1 },
        ]);
        expect(await storage.billing.countUnbilledLateRecords()).toBe(2);
        expect(await usage(SEP_1, OCT_1)).toEqual([]);
        expect((await usage(OCT_1, NOV_1)).map((u) => [u.deviceId, u.awakeSeconds])).toEqual([['d1', 150], ['d2', 10]]);
        expect((await usage(NOV_1, DEC_1)).map((u) => [u.deviceId, u.awakeSeconds])).toEqual([['d1', 101], ['d2', 10]]);
        expect(await storage.billing.monthsWithLateData()).toEqual(['2026-10']);
        // The batch at NOW did not move the mark back from NOW + 50.
        await storage.billing.clearLateMark('2026-10', NOW + 10);
        expect(await storage.billing.monthsWithLateData()).toEqual(['2026-10']);
        await storage.billing.clearLateMark('2026-10', NOW + 51);
        expect(await storage.billing.monthsWithLateData()).toEqual([]);
      });
    });

    describe('admin reads and key management', () => {
      it('restricts devices and usage to a scope of companies', async () => {
        const other = (await seedCustomer(storage, 'Other', NOW)).id;
        await enrol('d1');
        await enrol('d2', other);
        await ingest('d1', [rec(1, DAY, 10)]);
        await storage.ingest.ingestUsage('d2', other, [rec(1, DAY, 20)], [], NOW, NO_FINALIZED_MONTH);
        expect((await storage.adminRead.listDevices({ after: null, limit: 10, companyIds: [other] })).items.map((d) => d.id)).toEqual(['d2']);
        expect((await storage.adminRead.listDevices({ after: null, limit: 10, companyIds: [] })).items).toEqual([]);
        expect((await storage.adminRead.listDevices({ after: null, limit: 10, companyIds: null })).items).toHaveLength(2);
        const scoped = await storage.adminRead.usageForDays(DAY, DAY + 1, { after: null, limit: 10, companyIds: [companyId] });
        expect(scoped.items.map((u) => [u.deviceId, u.awakeSeconds])).toEqual([['d1', 10]]);
      });

      it('pages devices in name order after a cursor, with the devices page\'s filters applied by the database', async () => {
        const other = (await seedCustomer(storage, 'Other', NOW)).id;
        const facts = (hostname: string, platform: string, virtual: boolean) => ({ hostname, os: { platform, name: platform, version: '1' }, virtualization: { virtual } }) as IDeviceFacts;
        await enrol('a1', companyId, facts('alpha', 'windows', false));
        await enrol('a2', companyId, facts('bravo', 'linux', true));
        await enrol('a3', companyId, facts('bravo', 'windows', true));
        await enrol('o1', other, facts('charlie', 'darwin', false));
        await enrol('a4'); // no facts: host-a4, platform and virtual unknown
        await ingest('a1', [rec(1, DAY, 10)]);
        await ingest('a2', [rec(1, DAY - 40, 10)]); // active, but not in the month asked below
        await storage.ingest.ingestUsage('o1', other, [rec(1, DAY, 20)], [], NOW, NO_FINALIZED_MONTH);
        await storage.ingest.recordEvents('a3', [{ stream: 'e', seq: 1, occurredAtMs: NOW, kind: 'uninstalled', payload: {} }], NOW);
        const month = { fromDay: NOV_1, toDay: DEC_1 };
        const ids = async (q: Partial<Parameters<typeof storage.adminRead.deviceListPage>[0]>) =>
          (await storage.adminRead.deviceListPage({ companyIds: null, after: null, limit: 10, ...q })).items.map((d) => d.id);
        // Pages of two, each after the last device of the one before (two devices named alike: by id).
        const first = await storage.adminRead.deviceListPage({ companyIds: null, after: null, limit: 2 });
        expect([first.items.map((d) => d.id), first.next]).toEqual([['a1', 'a2'], { hostname: 'bravo', id: 'a2' }]);
        const second = await storage.adminRead.deviceListPage({ companyIds: null, after: first.next, limit: 2 });
        expect([second.items.map((d) => d.id), second.next]).toEqual([['a3', 'o1'], { hostname: 'charlie', id: 'o1' }]);
        const third = await storage.adminRead.deviceListPage({ companyIds: null, after: second.next, limit: 2 });
        expect([third.items.map((d) => d.id), third.next]).toEqual([['a4'], null]);
        expect(await ids({ companyIds: [other] })).toEqual(['o1']);
        expect(await ids({ companyIds: [] })).toEqual([]);
        expect(await ids({ companyIds: [companyId, other], platform: 'windows' })).toEqual(['a1', 'a3']);
        expect(await ids({ platform: 'linux' })).toEqual(['a2']);
        expect(await ids({ virtual: true })).toEqual(['a2', 'a3']);
        expect(await ids({ virtual: false })).toEqual(['a1', 'o1']);
        expect(await ids({ status: { is: 'active', ...month } })).toEqual(['a1', 'o1']);
        expect(await ids({ status: { is: 'inactive', ...month } })).toEqual(['a2', 'a4']);
        expect(await ids({ status: { is: 'uninstalled', ...month } })).toEqual(['a3']);
        expect(await ids({ status: { is: 'active', ...month }, companyIds: [companyId], after: { hostname: 'alpha', id: 'a1' } })).toEqual([]);
        expect(await ids({ activeAfterMs: NOW - 1 })).toHaveLength(5);
        expect(await ids({ activeAfterMs: NOW })).toEqual([]);
      });

      it('gets one device, and the stored facts of many', async () => {
        await enrol('d1', companyId, serverFacts(['antimalware']));
        await enrol('d2');
        expect(await storage.adminRead.getDevice('d1')).toMatchObject({ id: 'd1', companyId, companyName: 'Acme' });
        expect(await storage.adminRead.getDevice('nope')).toBeNull();
        const facts = await storage.adminRead.deviceFacts(['d1', 'd2', 'd1', 'nope']);
        expect(facts.sort((x, y) => x.deviceId.localeCompare(y.deviceId))).toEqual([
          { deviceId: 'd1', hostname: 'srv-01', facts: expect.objectContaining({ hostname: 'srv-01', role: { role: 'server' } }) },
          { deviceId: 'd2', hostname: 'host-d2', facts: null },
        ]);
      });

      it('lists and revokes API keys and enrolment tokens, within a scope', async () => {
        const other = (await seedCustomer(storage, 'Other', NOW)).id;
        await storage.adminWrite.createApiKey({ id: 'k1', keyHash: 'kh1', label: 'all', companyId: null, readOnly: false, nowMs: NOW });
        await storage.adminWrite.createApiKey({ id: 'k2', keyHash: 'kh2', label: 'acme', companyId, readOnly: true, nowMs: NOW + 1 });
        await storage.adminWrite.createEnrolmentToken({ id: 't1', companyId, tokenHash: 'th1', expiresAtMs: null, nowMs: NOW });
        await storage.adminWrite.createEnrolmentToken({ id: 't2', companyId: other, tokenHash: 'th2', expiresAtMs: null, nowMs: NOW });
        expect((await storage.adminWrite.listApiKeys(null)).map((k) => k.id)).toEqual(['k1', 'k2']);
        expect(await storage.adminWrite.listApiKeys([companyId])).toEqual([
          { id: 'k2', label: 'acme', companyId, readOnly: true, createdAtMs: NOW + 1, revokedAtMs: null, role: null, createdByUserId: null },
        ]);
        expect(await storage.adminWrite.revokeApiKey('k2', NOW + 5)).toBe(true);
        expect(await storage.adminWrite.revokeApiKey('k2', NOW + 6)).toBe(false);
        expect(await storage.adminWrite.findApiKey('kh2')).toBeNull();
        expect((await storage.adminWrite.listApiKeys(null)).find((k) => k.id === 'k2')?.revokedAtMs).toBe(NOW + 5);
        expect((await storage.adminWrite.listEnrolmentTokens([other])).map((t) => t.id)).toEqual(['t2']);
        expect(await storage.adminWrite.revokeEnrolmentToken('t1', NOW + 7)).toBe(true);
        expect(await storage.adminWrite.revokeEnrolmentToken('nope', NOW + 7)).toBe(false);
        expect(await storage.enrolment.findEnrolmentToken('th1')).toMatchObject({ revokedAtMs: NOW + 7 });
      });
    });

    describe('clone detection and the audit log', () => {
      it('remembers the hardware a device key was presented from, and flags a clone', async () => {
        await enrol('d1');
        expect(await storage.ingest.deviceHardware('d1')).toEqual({ fingerprint: null, lastSeenAtMs: NOW });
        expect(await storage.ingest.deviceHardware('nope')).toBeNull();
        await storage.ingest.setDeviceHardware('d1', 'fp-1');
        expect((await storage.ingest.deviceHardware('d1'))?.fingerprint).toBe('fp-1');
        expect((await storage.adminRead.getDevice('d1'))?.cloneSuspectedAtMs).toBeNull();
        await storage.ingest.flagClone('d1', NOW + 9);
        expect((await storage.adminRead.getDevice('d1'))?.cloneSuspectedAtMs).toBe(NOW + 9);
        expect((await storage.adminRead.listDevices({ after: null, limit: 5 })).items[0].cloneSuspectedAtMs).toBe(NOW + 9);
      });

      it('appends audit entries and reads them newest first, within a scope, paged by id', async () => {
        const entry = (i: number, company: string | null) => ({
          atMs: NOW + i, actor: 'cli', action: 'subscription.add', targetType: 'subscription', targetId: `s${i}`, companyId: company, details: { i },
        });
        await storage.audit.append(entry(1, companyId));
        await storage.audit.append(entry(2, null));
        await storage.audit.append(entry(3, companyId));
        const all = await storage.audit.list({ companyIds: null, beforeId: null, limit: 10 });
        expect(all.map((e) => e.targetId)).toEqual(['s3', 's2', 's1']);
        expect(all[0]).toMatchObject({ atMs: NOW + 3, actor: 'cli', companyId, details: { i: 3 } });
        const scoped = await storage.audit.list({ companyIds: [companyId], beforeId: null, limit: 1 });
        expect(scoped.map((e) => e.targetId)).toEqual(['s3']);
        const next = await storage.audit.list({ companyIds: [companyId], beforeId: scoped[0].id, limit: 5 });
        expect(next.map((e) => e.targetId)).toEqual(['s1']);
      });
    });

    describe('report jobs and schedules', () => {
      const job = (id: string, createdAtMs: number, company = companyId) => ({
        id, companyId: company, requestedBy: 'k1', name: 'Monthly', month: '2026-10', format: 'csv', options: { columns: ['a'] }, createdAtMs,
      });
      const schedule = (id: string, company = companyId) => ({
        id, companyId: company, createdBy: 'k1', name: 'Every month', format: 'xlsx', options: { x: 1 }, dayOfMonth: 2, hourUtc: 6, emailTo: ['ops@acme'], createdAtMs: NOW,
      });
      const LEASE = 60_000;
      const claim = (s: Storage, owner: string, nowMs = NOW, more: { maxRunningPerTenant?: number; maxAttempts?: number } = {}) =>
        s.reports.claimJob({ owner, nowMs, leaseMs: LEASE, maxRunningPerTenant: more.maxRunningPerTenant ?? 10, maxAttempts: more.maxAttempts ?? 3 });
      /** A partner with a customer under it: the customer's jobs count against the partner. */
      const partnerWithCustomer = async (name: string) => {
        const partner = await storage.tenancy.createCompany({ id: `${name}-p`, name, type: 'partner', parentId: null, externalId: null, nowMs: NOW });
        const customer = await storage.tenancy.createCompany({ id: `${name}-c`, name: `${name} customer`, type: 'customer', parentId: partner.id, externalId: null, nowMs: NOW });
        return { partner: partner.id, customer: customer.id };
      };

      it('queues jobs pending under their partner, leases them, finishes them ready or failed, lists them newest first within a scope', async () => {
        const other = (await seedCustomer(storage, 'Other', NOW)).id;
        const p = await partnerWithCustomer('p1');
        expect(await storage.reports.enqueueJob(job('j1', NOW), 10)).toEqual({ queued: true, tenantId: companyId });
        expect(await storage.reports.enqueueJob({ ...job('j2', NOW + 1), emailTo: ['a@b.example'] }, 10)).toEqual({ queued: true, tenantId: companyId });
        expect(await storage.reports.enqueueJob(job('j3', NOW + 2, other), 10)).toEqual({ queued: true, tenantId: other });
        expect(await storage.reports.enqueueJob(job('j4', NOW + 3, p.customer), 10)).toEqual({ queued: true, tenantId: p.partner });
        expect(await storage.reports.getJob('j1')).toEqual({
          ...job('j1', NOW), status: 'pending', error: null, fileName: null, sizeBytes: null, finishedAtMs: null,
          tenantId: companyId, attempts: 0, scheduleId: null, emailTo: [], leaseUntilMs: null,
        });
        const first = await claim(storage, 'c1');
        expect(first).toMatchObject({ id: 'j1', attempts: 1, leaseUntilMs: NOW + LEASE });
        const second = await claim(storage, 'c1');
        expect(second).toMatchObject({ id: 'j3', emailTo: [] }); // another tenant's first job before Acme's second
        expect(await storage.reports.finishJob('j1', 'c1', { status: 'ready', fileName: 'j1.csv', sizeBytes: 5_000_000_000 }, NOW + 10)).toBe(true);
        expect(await storage.reports.finishJob('j1', 'c1', { status: 'failed', error: 'again' }, NOW + 11)).toBe(false); // finished once
        expect((await claim(storage, 'c1'))?.id).toBe('j4'); // p1 not served yet: before Acme's second
        const j2 = await claim(storage, 'c1');
        expect(j2).toMatchObject({ id: 'j2', emailTo: ['a@b.example'] });
        expect(await storage.reports.finishJob('j2', 'c1', { status: 'failed', error: 'boom' }, NOW + 11)).toBe(true);
        expect(await storage.reports.getJob('j1')).toMatchObject({ status: 'ready', fileName: 'j1.csv', sizeBytes: 5_000_000_000, finishedAtMs: NOW + 10, leaseUntilMs: null });
        expect(await storage.reports.getJob('j2')).toMatchObject({ status: 'failed', error: 'boom', fileName: null });
        expect(await storage.reports.getJob('nope')).toBeNull();
        expect((await storage.reports.listJobs([companyId], 10)).map((j) => j.id)).toEqual(['j2', 'j1']);
        expect((await storage.reports.listJobs(null, 2)).map((j) => j.id)).toEqual(['j4', 'j3']);
        expect(await storage.reports.queueDepth(NOW + 12)).toEqual({ waiting: 0, running: 2 }); // j3 and j4 are leased
      });

      it("refuses a tenant's job beyond its queue limit, other tenants' not; two collectors at once never pass the limit", async () => {
        const a = await partnerWithCustomer('a');
        const b = await partnerWithCustomer('b');
        const peer = await backend.peer();
        expect((await storage.reports.enqueueJob(job('a1', NOW, a.customer), 3)).queued).toBe(true);
        expect((await storage.reports.enqueueJob(job('a2', NOW, a.partner), 3)).queued).toBe(true);
        const racing = await Promise.all([storage.reports.enqueueJob(job('a3', NOW, a.customer), 3), peer.reports.enqueueJob(job('a4', NOW, a.customer), 3)]);
        expect(racing.filter((r) => r.queued)).toHaveLength(1);
        expect(racing.find((r) => !r.queued)).toEqual({ queued: false, tenantId: a.partner, waiting: 3 });
        expect(await storage.reports.enqueueJob(job('b1', NOW, b.customer), 3)).toEqual({ queued: true, tenantId: b.partner });
        // A finished job no longer counts.
        const leased = await claim(storage, 'c1');
        await storage.reports.finishJob(leased!.id, 'c1', { status: 'ready', fileName: 'x.csv', sizeBytes: 1 }, NOW);
        expect((await storage.reports.enqueueJob(job('a5', NOW, a.customer), 3)).queued).toBe(true);
      });

      it('leases a job to one collector: renewals and finishing need the lease; a lease that ran out is taken over, and the first holder can no longer finish', async () => {
        await storage.reports.enqueueJob(job('j1', NOW), 10);
        const peer = await backend.peer();
        expect((await claim(storage, 'c1'))?.id).toBe('j1');
        expect(await claim(peer, 'c2', NOW + 1000)).toBeNull(); // leased
        expect(await peer.reports.renewLease('j1', 'c2', NOW + 1000, LEASE)).toBe(false);
        expect(await storage.reports.renewLease('j1', 'c1', NOW + 30_000, LEASE)).toBe(true); // held to NOW + 90 s
        expect(await claim(peer, 'c2', NOW + 80_000)).toBeNull();
        const taken = await claim(peer, 'c2', NOW + 90_001); // c1 died
        expect(taken).toMatchObject({ id: 'j1', attempts: 2 });
        expect(await storage.reports.finishJob('j1', 'c1', { status: 'ready', fileName: 'late.csv', sizeBytes: 1 }, NOW + 95_000)).toBe(false);
        expect(await storage.reports.renewLease('j1', 'c1', NOW + 95_000, LEASE)).toBe(false);
        expect(await peer.reports.finishJob('j1', 'c2', { status: 'ready', fileName: 'j1.csv', sizeBytes: 1 }, NOW + 95_000)).toBe(true);
        expect(await storage.reports.getJob('j1')).toMatchObject({ status: 'ready', fileName: 'j1.csv', attempts: 2 });
      });

      it('gives a job back for a retry after its back-off, and fails a job whose collectors died maxAttempts times', async () => {
        await storage.reports.enqueueJob(job('retry', NOW), 10);
        await claim(storage, 'c1');
        expect(await storage.reports.releaseJob('retry', 'c1', { error: 'disk full', runAfterMs: NOW + 30_000 })).toBe(true);
        expect(await claim(storage, 'c1', NOW + 29_999)).toBeNull();
        expect(await claim(storage, 'c1', NOW + 30_000)).toMatchObject({ id: 'retry', attempts: 2, error: 'disk full' });
        // A stopping collector gives its job back without counting the attempt.
        expect(await storage.reports.releaseJob('retry', 'c1', { error: null, runAfterMs: 0, uncountAttempt: true })).toBe(true);
        expect(await claim(storage, 'c2', NOW + 30_001)).toMatchObject({ id: 'retry', attempts: 2 });
        await storage.reports.finishJob('retry', 'c2', { status: 'ready', fileName: 'r.csv', sizeBytes: 1 }, NOW + 30_002);

        await storage.reports.enqueueJob(job('poison', NOW + 1), 10);
        let t = NOW;
        for (let attempt = 1; attempt <= 2; attempt++) {
          expect(await claim(storage, `c${attempt}`, t, { maxAttempts: 2 })).toMatchObject({ id: 'poison', attempts: attempt });
          t += LEASE + 1; // its collector died
        }
        expect(await claim(storage, 'c3', t, { maxAttempts: 2 })).toBeNull();
        expect(await storage.reports.getJob('poison')).toMatchObject({ status: 'failed', error: expect.stringMatching(/gave up after 2 attempts/), finishedAtMs: t });
      });

      it('claims in fair order between tenants, and not beyond a tenant\'s running limit', async () => {
        const a = await partnerWithCustomer('a');
        const b = await partnerWithCustomer('b');
        for (let i = 0; i < 5; i++) await storage.reports.enqueueJob(job(`a${i}`, NOW + i, a.customer), 100);
        await storage.reports.enqueueJob(job('b0', NOW + 10, b.customer), 100);
        const one = { maxRunningPerTenant: 1 };
        expect((await claim(storage, 'c1', NOW + 20, one))?.id).toBe('a0');
        expect((await claim(storage, 'c1', NOW + 20, one))?.id).toBe('b0'); // a's next waits for a0: one at a time
        expect(await claim(storage, 'c1', NOW + 20, one)).toBeNull();
        await storage.reports.finishJob('a0', 'c1', { status: 'ready', fileName: 'a0.csv', sizeBytes: 1 }, NOW + 21);
        expect((await claim(storage, 'c1', NOW + 22, one))?.id).toBe('a1');
        // Without a running limit, turns alternate, the tenant served longest ago first: b's second job, queued last, comes before a's third.
        await storage.reports.enqueueJob(job('b1', NOW + 30, b.customer), 100);
        const order = [];
        for (let i = 0; i < 4; i++) order.push((await claim(storage, 'c1', NOW + 40))?.id);
        expect(order).toEqual(['b1', 'a2', 'a3', 'a4']);
      });

      it('never leases one job to two collectors claiming at once', async () => {
        const peer = await backend.peer();
        for (let i = 0; i < 12; i++) await storage.reports.enqueueJob(job(`j${String(i).padStart(2, '0')}`, NOW + i), 100);
        const claims = await Promise.all(Array.from({ length: 16 }, (_, i) => claim(i % 2 ? peer : storage, `c${i % 2}`, NOW + 100, { maxRunningPerTenant: 11 })));
        const ids = claims.filter((c) => c !== null).map((c) => c!.id);
        expect(ids).toHaveLength(11); // the tenant's running limit holds across collectors too
        expect(new Set(ids).size).toBe(11);
      });

      it('queues a schedule run and its job in one transaction, once per month even when two collectors run it at once', async () => {
        await storage.reports.createSchedule(schedule('s1'));
        expect(await storage.reports.listSchedules([companyId])).toEqual([{ ...schedule('s1'), lastRunMonth: null }]);
        const other = await backend.peer();
        const runs = await Promise.all([
          storage.reports.queueScheduleRun('s1', '2026-10', { ...job('r1', NOW), emailTo: ['ops@acme'] }, 10),
          other.reports.queueScheduleRun('s1', '2026-10', { ...job('r2', NOW), emailTo: ['ops@acme'] }, 10),
        ]);
        expect(runs.sort()).toEqual(['already_ran', 'queued']);
        const queued = (await storage.reports.listJobs(null, 10));
        expect(queued).toHaveLength(1);
        expect(queued[0]).toMatchObject({ scheduleId: 's1', emailTo: ['ops@acme'], status: 'pending' });
        expect(await storage.reports.queueScheduleRun('s1', '2026-09', job('r3', NOW), 10)).toBe('already_ran'); // an older month never runs again
        // A full queue writes nothing: the month stays unclaimed for the next check.
        expect(await storage.reports.queueScheduleRun('s1', '2026-11', job('r4', NOW), 1)).toBe('queue_full');
        expect((await storage.reports.listSchedules(null))[0].lastRunMonth).toBe('2026-10');
        expect(await storage.reports.getJob('r4')).toBeNull();
        expect(await storage.reports.queueScheduleRun('s1', '2026-11', job('r4', NOW), 10)).toBe('queued');
        expect(await storage.reports.deleteSchedule('s1')).toBe(true);
        expect(await storage.reports.deleteSchedule('s1')).toBe(false);
        expect(await storage.reports.listSchedules(null)).toEqual([]);
      });

      it('lists finished jobs older than a cutoff for retention, never pending ones, and deletes them', async () => {
        for (const [id, at] of [['old1', NOW], ['old2', NOW + 1], ['new', NOW + 10 * DAY_MS], ['waiting', NOW]] as const) {
          await storage.reports.enqueueJob(job(id, NOW), 100);
          if (id === 'waiting') continue;
          await claim(storage, 'c1');
          await storage.reports.finishJob(id, 'c1', id === 'old2' ? { status: 'failed', error: 'x' } : { status: 'ready', fileName: `${id}.csv`, sizeBytes: 1 }, at);
        }
        expect(await storage.reports.finishedBefore(NOW + 5 * DAY_MS, 10)).toEqual([{ id: 'old1', fileName: 'old1.csv' }, { id: 'old2', fileName: null }]);
        expect(await storage.reports.deleteJobs(['old1', 'old2'])).toBe(2);
        expect((await storage.reports.listJobs(null, 10)).map((j) => j.id).sort()).toEqual(['new', 'waiting']);
      });
    });

    describe('PSA connections, mappings and ledger', () => {
      it('replaces a connection keeping its creation, keeps mappings per PSA, and the ledger per month, company and SKU', async () => {
        const conn = { kind: 'connectwise', baseUrl: 'https://psa.example/', encryptedCredentials: 'v1:f:i:t:c', shown: { companyId: 'msp' }, syncHours: 24, updatedAtMs: NOW };
        await storage.psa.putConnection(conn);
        await storage.psa.putConnection({ ...conn, encryptedCredentials: 'v1:f:i:t:d', syncHours: 6, updatedAtMs: NOW + 5 });
        expect(await storage.psa.getConnection('connectwise')).toEqual({ ...conn, encryptedCredentials: 'v1:f:i:t:d', syncHours: 6, updatedAtMs: NOW + 5, createdAtMs: NOW, lastSyncAtMs: null, lastSyncStatus: null });
        await storage.psa.recordSync('connectwise', NOW + 9, 'ok');
        const peer = await backend.peer();
        const claims = await Promise.all([storage.psa.claimSync('connectwise', NOW, NOW + 100), peer.psa.claimSync('connectwise', NOW, NOW + 101)]);
        expect(claims.filter(Boolean)).toHaveLength(1);
        await storage.psa.releaseSync('connectwise', NOW + 100);
        await storage.psa.releaseSync('connectwise', NOW + 101);
        expect(await storage.psa.claimSync('connectwise', NOW, NOW + 200)).toBe(true);
        expect(await storage.psa.claimSync('connectwise', NOW + 199, NOW + 300)).toBe(false);
        await storage.psa.releaseSync('connectwise', NOW + 999); // not the holder's lease: nothing happens
        expect(await storage.psa.claimSync('connectwise', NOW + 199, NOW + 300)).toBe(false);
        expect(await storage.psa.claimSync('connectwise', NOW + 200, NOW + 300)).toBe(true); // the lease ran out
        await storage.psa.releaseSync('connectwise', NOW + 300);
        const map = { kind: 'connectwise', companyId, psaCompanyId: '250', psaCompanyName: 'Acme Corp', agreementId: '9001', agreementName: 'MSA', updatedAtMs: NOW, updatedBy: 'cli' };
        await storage.psa.putCompanyMap(map);
        await storage.psa.putCompanyMap({ ...map, agreementId: '9002' });
        await storage.psa.putProductMap({ kind: 'connectwise', sku: 'TALLY-EDR-ENDPOINT', productId: '702', productName: 'EDR', updatedAtMs: NOW, updatedBy: 'cli' });
        expect(await storage.psa.listCompanyMaps('connectwise')).toEqual([{ ...map, agreementId: '9002' }]);
        expect(await storage.psa.listCompanyMaps('autotask')).toEqual([]);
        expect((await storage.psa.listProductMaps('connectwise')).map((m) => m.productId)).toEqual(['702']);
        const entry = {
          kind: 'connectwise', month: '2026-10', companyId, sku: 'TALLY-EDR-ENDPOINT', agreementId: '9002', productId: '702', lineId: '5000',
          quantity: 3, final: false, adjusted: 0, pendingMarker: null, pendingDelta: null, updatedAtMs: NOW,
        };
        await storage.psa.putLedger(entry);
        await storage.psa.putLedger({ ...entry, quantity: 4, final: true, adjusted: 1, pendingMarker: 'tally-adj:x', pendingDelta: -2, updatedAtMs: NOW + 1 });
        await storage.psa.putLedger({ ...entry, month: '2026-11', updatedAtMs: NOW + 2 });
        expect(await storage.psa.ledger('connectwise', '2026-10')).toEqual([{ ...entry, quantity: 4, final: true, adjusted: 1, pendingMarker: 'tally-adj:x', pendingDelta: -2, updatedAtMs: NOW + 1 }]);
        expect((await storage.psa.ledger('connectwise', '2026-10', { later: true })).map((e) => e.month)).toEqual(['2026-11']);
        expect(await storage.psa.lastLedgerWrites([companyId, 'nobody'])).toEqual(new Map([[companyId, NOW + 2]]));
        expect(await storage.psa.lastLedgerWrites([])).toEqual(new Map());
        expect(await storage.psa.deleteCompanyMap('connectwise', companyId)).toBe(true);
        expect(await storage.psa.deleteCompanyMap('connectwise', companyId)).toBe(false);
        expect(await storage.psa.deleteProductMap('connectwise', 'TALLY-EDR-ENDPOINT')).toBe(true);
      });
    });

    describe('device attributes from facts', () => {
      it('copies virtualization, role, platform, modules and the primary user onto each device-day', async () => {
        await enrol('d1', companyId, serverFacts(['edr_sensor', 'antimalware'], [{ userId: 'S-1-5-21-1001', primary: true }, { userId: 'S-1-5-21-1002' }]));
        await ingest('d1', [rec(1, DAY, 100)]);
        const users = await storage.tenancy.listUsers(companyId);
        expect(users.map((u) => u.externalId)).toEqual(['S-1-5-21-1001', 'S-1-5-21-1002']);
        const primary = users.find((u) => u.externalId === 'S-1-5-21-1001')!;
        const { deviceDays } = await backend.billingInputs('2026-11', NOV_1, DEC_1);
        expect(deviceDays).toEqual([{
          deviceId: 'd1', companyId, utcDay: DAY, awakeSeconds: 100, virtual: true, role: 'server', platform: 'linux', osCompatibleWithCentralScan: true,
          modules: ['antimalware', 'edr_sensor'], integrityMonitoringTier: null, userId: primary.id, ownership: 'corporate', uninstalledAtMs: null,
        }]);
        // The month's paged read decodes the same row (flags and module lists are stored differently per backend).
        expect((await storage.billing.monthDevicePage({ fromDay: NOV_1, toDay: DEC_1, after: null, limit: 10 })).devices.flatMap((d) => d.days)).toEqual(deviceDays);
      });

      it('bills a device without facts with the documented defaults: physical, workstation, windows', async () => {
        await enrol('d1');
        await ingest('d1', [rec(1, DAY, 100)]);
        const { deviceDays } = await backend.billingInputs('2026-11', NOV_1, DEC_1);
        expect(deviceDays[0]).toMatchObject({ virtual: false, role: 'workstation', platform: 'windows', modules: [], userId: null, ownership: null });
      });

      it('keeps every module seen on a day (union), and a later day only what was installed then', async () => {
        await enrol('d1', companyId, serverFacts(['firewall']));
        await ingest('d1', [rec(1, DAY - 1, 10)]);
        await storage.ingest.recordHello({ deviceId: 'd1', instanceId: 'i', hostname: 'h', agentVersion: '0.1.0', facts: reportedFacts(serverFacts(['antimalware', 'integrity_monitoring'])), nowMs: NOW });
        await ingest('d1', [rec(2, DAY - 1, 10), rec(3, DAY, 10)]);
        const { deviceDays } = await backend.billingInputs('2026-11', NOV_1, DEC_1);
        const byDay = new Map(deviceDays.map((d) => [d.utcDay, d]));
        expect(byDay.get(DAY - 1)!.modules).toEqual(['antimalware', 'firewall', 'integrity_monitoring']);
        expect(byDay.get(DAY)!.modules).toEqual(['antimalware', 'integrity_monitoring']);
        expect(byDay.get(DAY)!.integrityMonitoringTier).toBe('90d');
      });

      it("lets an admin's user assignment override the agent's primary user, including 'no user'", async () => {
        await enrol('d1', companyId, serverFacts([], [{ userId: 'alice@acme', primary: true }]));
        const bob = await storage.tenancy.upsertUser({ id: 'u-bob', companyId, externalId: 'bob@acme', displayName: 'Bob', nowMs: NOW });
        await storage.tenancy.assignDeviceUser('d1', bob.id);
        await ingest('d1', [rec(1, DAY - 1, 10)]);
        await storage.tenancy.assignDeviceUser('d1', null);
        await ingest('d1', [rec(2, DAY, 10)]);
        const { deviceDays } = await backend.billingInputs('2026-11', NOV_1, DEC_1);
        expect(deviceDays.map((d) => [d.utcDay, d.userId]).sort()).toEqual([[DAY - 1, 'u-bob'], [DAY, null]]);
      });

      it('refuses to bind a device to an unknown user or a user of another company', async () => {
        await enrol('d1');
        const other = (await seedCustomer(storage, 'Other', NOW)).id;
        const stranger = await storage.tenancy.upsertUser({ id: 'u-x', companyId: other, externalId: 'x', displayName: null, nowMs: NOW });
        await expectStorageError(storage.tenancy.assignDeviceUser('d1', stranger.id), 'conflict');
        await expectStorageError(storage.tenancy.assignDeviceUser('d1', 'no-such-user'), 'not_found');
        await expectStorageError(storage.tenancy.assignDeviceUser('no-such-device', null), 'not_found');
      });
    });

    describe('companies', () => {
      it('builds the partner tree: path from the root, listed in path order', async () => {
        const p = await storage.tenancy.createCompany({ id: 'p1', name: 'Partner', type: 'partner', parentId: null, externalId: 'PSA-1', nowMs: NOW });
        expect(p).toEqual({ id: 'p1', name: 'Partner', type: 'partner', parentId: null, path: ['p1'], registeredAtMs: NOW, inactiveSinceMs: null, inactivePeriods: [], active: true, externalId: 'PSA-1' });
        await storage.tenancy.createCompany({ id: 'p2', name: 'Sub-partner', type: 'partner', parentId: 'p1', externalId: null, nowMs: NOW });
        const c = await storage.tenancy.createCompany({ id: 'c1', name: 'Dentist', type: 'customer', parentId: 'p2', externalId: null, nowMs: NOW });
        expect(c.path).toEqual(['p1', 'p2', 'c1']);
        expect(await storage.tenancy.getCompany('c1')).toEqual(c);
        const tree = (await storage.adminRead.listCompanies()).filter((x) => x.id !== companyId);
        expect(tree.map((x) => x.path.join('/'))).toEqual(['p1', 'p1/p2', 'p1/p2/c1']);
      });

      it('refuses children under a customer, duplicate ids and unknown parents', async () => {
        await expectStorageError(storage.tenancy.createCompany({ id: 'x', name: 'X', type: 'customer', parentId: companyId, externalId: null, nowMs: NOW }), 'conflict', /only partners/);
        await storage.tenancy.createCompany({ id: 'p1', name: 'P', type: 'partner', parentId: null, externalId: null, nowMs: NOW });
        await expectStorageError(storage.tenancy.createCompany({ id: 'p1', name: 'P again', type: 'partner', parentId: null, externalId: null, nowMs: NOW }), 'conflict');
        await expectStorageError(storage.tenancy.createCompany({ id: 'y', name: 'Y', type: 'customer', parentId: 'nope', externalId: null, nowMs: NOW }), 'not_found');
        expect((await storage.tenancy.getCompany('p1'))?.name).toBe('P');
        expect(await storage.tenancy.getCompany('x')).toBeNull();
      });

      it('renames and re-keys a company; an unknown company is not_found', async () => {
        const renamed = await storage.tenancy.updateCompany(companyId, { name: 'Acme Dental', externalId: 'PSA-9' });
        expect(renamed).toMatchObject({ name: 'Acme Dental', externalId: 'PSA-9' });
        expect(await storage.tenancy.updateCompany(companyId, { externalId: null })).toMatchObject({ name: 'Acme Dental', externalId: null });
        await expectStorageError(storage.tenancy.updateCompany('nope', { name: 'x' }), 'not_found');
      });

      it('records when a company became inactive, keeps the first instant, and clears it on reactivation', async () => {
        const off = await storage.tenancy.setCompanyActive(companyId, false, NOW + 10);
        expect(off).toMatchObject({ active: false, inactiveSinceMs: NOW + 10 });
        expect(await storage.tenancy.setCompanyActive(companyId, false, NOW + 99)).toMatchObject({ inactiveSinceMs: NOW + 10 });
        expect(await storage.tenancy.setCompanyActive(companyId, true, NOW + 100)).toMatchObject({ active: true, inactiveSinceMs: null, inactivePeriods: [{ fromMs: NOW + 10, untilMs: NOW + 100 }] });
        // Reactivating an active company adds no period; a second stretch is kept beside the first.
        expect((await storage.tenancy.setCompanyActive(companyId, true, NOW + 150)).inactivePeriods).toHaveLength(1);
        await storage.tenancy.setCompanyActive(companyId, false, NOW + 200);
        expect((await storage.tenancy.setCompanyActive(companyId, true, NOW + 300)).inactivePeriods).toEqual([{ fromMs: NOW + 10, untilMs: NOW + 100 }, { fromMs: NOW + 200, untilMs: NOW + 300 }]);
        await expectStorageError(storage.tenancy.setCompanyActive('nope', false, NOW), 'not_found');
      });
    });

    describe('users and groups', () => {
      it('creates groups, refuses a duplicate name in the same company, lists them by name', async () => {
        await storage.tenancy.createUserGroup({ id: 'g2', companyId, name: 'Sales', nowMs: NOW });
        await storage.tenancy.createUserGroup({ id: 'g1', companyId, name: 'Engineering', nowMs: NOW });
        await expectStorageError(storage.tenancy.createUserGroup({ id: 'g3', companyId, name: 'Sales', nowMs: NOW }), 'conflict');
        await expectStorageError(storage.tenancy.createUserGroup({ id: 'g4', companyId: 'nope', name: 'X', nowMs: NOW }), 'not_found');
        expect(await storage.tenancy.listUserGroups(companyId)).toEqual([
          { id: 'g1', companyId, name: 'Engineering' }, { id: 'g2', companyId, name: 'Sales' },
        ]);
      });

      it('upserts users by stable id: same record back, display name kept unless a new one is given', async () => {
        const first = await storage.tenancy.upsertUser({ id: 'u1', companyId, externalId: 'alice@acme', displayName: 'Alice', nowMs: NOW });
        expect(first).toEqual({ id: 'u1', companyId, externalId: 'alice@acme', displayName: 'Alice', groupIds: [], lastActiveAtMs: null });
        expect(await storage.tenancy.upsertUser({ id: 'u-other', companyId, externalId: 'alice@acme', displayName: null, nowMs: NOW })).toMatchObject({ id: 'u1', displayName: 'Alice' });
        expect(await storage.tenancy.upsertUser({ id: 'u-other', companyId, externalId: 'alice@acme', displayName: 'Alice B.', nowMs: NOW })).toMatchObject({ id: 'u1', displayName: 'Alice B.' });
        await expectStorageError(storage.tenancy.upsertUser({ id: 'u9', companyId: 'nope', externalId: 'x', displayName: null, nowMs: NOW }), 'not_found');
      });

      it('adds members once, only within one company, and lists users with sorted group ids', async () => {
        await storage.tenancy.createUserGroup({ id: 'g-b', companyId, name: 'B', nowMs: NOW });
        await storage.tenancy.createUserGroup({ id: 'g-a', companyId, name: 'A', nowMs: NOW });
        await storage.tenancy.upsertUser({ id: 'u2', companyId, externalId: 'zed@acme', displayName: null, nowMs: NOW });
        await storage.tenancy.upsertUser({ id: 'u1', companyId, externalId: 'amy@acme', displayName: null, nowMs: NOW });
        await storage.tenancy.addGroupMember('g-b', 'u1', NOW);
        await storage.tenancy.addGroupMember('g-a', 'u1', NOW);
        await storage.tenancy.addGroupMember('g-a', 'u1', NOW); // again: no-op
        const other = (await seedCustomer(storage, 'Other', NOW)).id;
        await storage.tenancy.createUserGroup({ id: 'g-other', companyId: other, name: 'A', nowMs: NOW });
        await expectStorageError(storage.tenancy.addGroupMember('g-other', 'u1', NOW), 'conflict');
        await expectStorageError(storage.tenancy.addGroupMember('g-none', 'u1', NOW), 'not_found');
        await expectStorageError(storage.tenancy.addGroupMember('g-a', 'u-none', NOW), 'not_found');
        const users = await storage.tenancy.listUsers(companyId);
        expect(users.map((u) => [u.externalId, u.groupIds])).toEqual([['amy@acme', ['g-a', 'g-b']], ['zed@acme', []]]);
        const { users: billed } = await storage.billing.billingContext('2026-11');
        expect(billed.find((u) => u.userId === 'u1')).toEqual({ userId: 'u1', companyId, groupIds: ['g-a', 'g-b'], primaryDeviceId: null });
      });

      it('remembers when the agent last saw a user sign in', async () => {
        await enrol('d1', companyId, serverFacts([], [{ userId: 'alice@acme' }]));
        await storage.ingest.recordHello({ deviceId: 'd1', instanceId: 'i', hostname: 'h', agentVersion: 'v', facts: reportedFacts(serverFacts([], [{ userId: 'alice@acme' }])), nowMs: NOW + 60_000 });
        const [alice] = await storage.tenancy.listUsers(companyId);
        expect(alice.lastActiveAtMs).toBe(NOW + 60_000);
      });
    });

    describe('subscriptions and XDR sensors', () => {
      const v = (overrides: Partial<SubscriptionVersion>) => subscription(companyId, { subscriptionId: 'sub-1', ...overrides });

      it('appends versions and lists them in version order, terms intact', async () => {
        const v1 = v({ effectiveFromMs: Date.UTC(2026, 0, 1), reservedSeats: 10 });
        const v2 = v({ effectiveFromMs: Date.UTC(2026, 5, 1), reservedSeats: 25, effectiveUntilMs: Date.UTC(2027, 0, 1) });
        await storage.tenancy.addSubscriptionVersion(v1, NOW);
        await storage.tenancy.addSubscriptionVersion(v2, NOW);
        const other = (await seedCustomer(storage, 'Other', NOW)).id;
        const v3 = subscription(other, { subscriptionId: 'sub-0', effectiveFromMs: Date.UTC(2026, 0, 1) });
        await storage.tenancy.addSubscriptionVersion(v3, NOW);
        expect(await storage.tenancy.listSubscriptionVersions(companyId)).toEqual([v1, v2]);
        expect(await storage.tenancy.listSubscriptionVersions(null)).toEqual([v3, v1, v2]);
        expect((await storage.billing.billingContext('2026-11')).subscriptions).toEqual([v3, v1, v2]);
      });

      it('refuses a version that would take effect before the current one, or that moves the subscription to another company', async () => {
        await storage.tenancy.addSubscriptionVersion(v({ effectiveFromMs: Date.UTC(2026, 5, 1) }), NOW);
        await expectStorageError(storage.tenancy.addSubscriptionVersion(v({ effectiveFromMs: Date.UTC(2026, 4, 1) }), NOW), 'conflict', /cannot take effect before the current one/);
        const other = (await seedCustomer(storage, 'Other', NOW)).id;
        await expectStorageError(storage.tenancy.addSubscriptionVersion({ ...v({ effectiveFromMs: Date.UTC(2026, 7, 1) }), companyId: other }, NOW), 'conflict');
        await expectStorageError(storage.tenancy.addSubscriptionVersion(subscription('nope', { effectiveFromMs: Date.UTC(2026, 7, 1) }), NOW), 'not_found');
        expect(await storage.tenancy.listSubscriptionVersions(null)).toHaveLength(1);
      });

      it('numbers versions without gaps when two admins add one at the same time', async () => {
        const other = await backend.peer();
        await Promise.all([
          storage.tenancy.addSubscriptionVersion(v({ effectiveFromMs: Date.UTC(2026, 5, 1) }), NOW),
          other.tenancy.addSubscriptionVersion(v({ effectiveFromMs: Date.UTC(2026, 5, 1) }), NOW),
          other.tenancy.addSubscriptionVersion(v({ effectiveFromMs: Date.UTC(2026, 5, 1) }), NOW),
        ]);
        expect(await storage.tenancy.listSubscriptionVersions(companyId)).toHaveLength(3);
      });

      it('records an XDR deployment once per company, month and category', async () => {
        await storage.tenancy.recordXdrDeployment({ companyId, month: '2026-11', category: 'network', nowMs: NOW });
        await storage.tenancy.recordXdrDeployment({ companyId, month: '2026-11', category: 'network', nowMs: NOW + 1 });
        await storage.tenancy.recordXdrDeployment({ companyId, month: '2026-11', category: 'productivity', nowMs: NOW });
        await storage.tenancy.recordXdrDeployment({ companyId, month: '2026-10', category: 'cloud_workloads', nowMs: NOW });
        await expectStorageError(storage.tenancy.recordXdrDeployment({ companyId: 'nope', month: '2026-11', category: 'network', nowMs: NOW }), 'not_found');
        const { xdrSensorDeployments } = await storage.billing.billingContext('2026-11');
        expect([...xdrSensorDeployments].sort((a, b) => a.category.localeCompare(b.category))).toEqual([
          { companyId, month: '2026-11', category: 'network' }, { companyId, month: '2026-11', category: 'productivity' },
        ]);
      });
    });

    describe('billing inputs', () => {
      it('gives companies with paths by name, external ids only where set, and only the days of [fromDay, toDay)', async () => {
        await storage.tenancy.createCompany({ id: 'p1', name: 'Partner', type: 'partner', parentId: null, externalId: 'PSA-1', nowMs: NOW });
        await storage.tenancy.createCompany({ id: 'c1', name: 'Dentist', type: 'customer', parentId: 'p1', externalId: null, nowMs: NOW });
        await storage.tenancy.setCompanyActive('c1', false, NOW + 5);
        await storage.enrolment.enrolDevice({ deviceId: 'd1', companyId: 'c1', keyHash: 'h', instanceId: 'i', hostname: 'h', facts: null, agentVersion: 'v', nowMs: NOW });
        await storage.ingest.ingestUsage('d1', 'c1', [rec(1, NOV_1 - 1, 10), rec(2, NOV_1, 20), rec(3, DEC_1 - 1, 30), rec(4, DEC_1, 40)], [], NOW, NO_FINALIZED_MONTH);
        const { companies } = await storage.billing.billingContext('2026-11');
        expect(companies.find((c) => c.id === 'c1')).toEqual({
          id: 'c1', name: 'Dentist', type: 'customer', parentId: 'p1', registeredAtMs: NOW, inactiveSinceMs: NOW + 5, path: ['Partner', 'Dentist'],
        });
        expect(companies.find((c) => c.id === 'p1')).toMatchObject({ externalId: 'PSA-1', path: ['Partner'] });
        const { devices } = await storage.billing.monthDevicePage({ fromDay: NOV_1, toDay: DEC_1, after: null, limit: 10 });
        expect(devices.flatMap((d) => d.days).map((d) => [d.utcDay, d.awakeSeconds, d.companyId])).toEqual([[NOV_1, 20, 'c1'], [DEC_1 - 1, 30, 'c1']]);
        // The oracle agrees.
        expect((await backend.billingInputs('2026-11', NOV_1, DEC_1)).deviceDays.map((d) => [d.utcDay, d.awakeSeconds, d.companyId]).sort())
          .toEqual([[NOV_1, 20, 'c1'], [DEC_1 - 1, 30, 'c1']]);
      });

      it('pages the month device by device: id order, each device with its rows of [fromDay, toDay) in day order', async () => {
        await storage.tenancy.createCompany({ id: 'c2', name: 'Other', type: 'customer', parentId: null, externalId: null, nowMs: NOW });
        for (const id of ['d3', 'd1', 'd4', 'd2', 'd5']) await enrol(id);
        await ingest('d1', [rec(1, NOV_1 + 2, 20), rec(2, NOV_1, 10), rec(3, DEC_1, 99), rec(4, NOV_1 - 1, 99)]);
        // d2 has no row in November; d3 reports from another company (it moved), d4 and d5 from its own.
        await ingest('d2', [rec(1, DEC_1, 5)]);
        await storage.ingest.ingestUsage('d3', 'c2', [rec(1, NOV_1 + 5, 30)], [], NOW, NO_FINALIZED_MONTH);
        await ingest('d4', [rec(1, NOV_1 + 1, 40)]);
        await ingest('d5', [rec(1, NOV_1 + 1, 50)]);
        await storage.ingest.recordEvents('d4', [{ stream: 'ev', seq: 1, occurredAtMs: NOW, kind: 'uninstalled', payload: {} }], NOW);
        const page = (after: string | null, limit: number, filter = {}) => storage.billing.monthDevicePage({ fromDay: NOV_1, toDay: DEC_1, after, limit, ...filter });
        const first = await page(null, 2);
        // d2 counts toward the page (it was scanned) but has nothing to list.
        expect(first.devices.map((d) => [d.deviceId, d.currentCompanyId, d.days.map((x) => [x.utcDay, x.awakeSeconds])])).toEqual([
          ['d1', companyId, [[NOV_1, 10], [NOV_1 + 2, 20]]],
        ]);
        expect(first.next).toBe('d2');
        const second = await page(first.next, 2);
        expect(second.devices.map((d) => [d.deviceId, d.currentCompanyId, d.days.map((x) => x.companyId)])).toEqual([['d3', companyId, ['c2']], ['d4', companyId, [companyId]]]);
        expect(second.devices[1].days[0].uninstalledAtMs).toBe(NOW);
        expect(second.next).toBe('d4');
        const third = await page(second.next, 2);
        expect(third.devices.map((d) => d.deviceId)).toEqual(['d5']);
        expect(third.next).toBeNull();
        // A page that ends exactly at the last device has a successor, which is empty.
        expect((await page('d3', 2)).next).toBe('d5');
        expect(await page('d5', 2)).toEqual({ devices: [], next: null });
        // Filters: the devices of a company now (d3 is still the first company's), or given ids.
        expect((await page(null, 10, { currentCompanyId: 'c2' })).devices).toEqual([]);
        expect((await page(null, 10, { currentCompanyId: companyId })).devices.map((d) => d.deviceId)).toEqual(['d1', 'd3', 'd4', 'd5']);
        expect((await page(null, 10, { deviceIds: ['d5', 'd3', 'nope'] })).devices.map((d) => d.deviceId)).toEqual(['d3', 'd5']);
        expect((await page('d3', 10, { deviceIds: ['d5', 'd3'] })).devices.map((d) => d.deviceId)).toEqual(['d5']);
        // The same rows as billingInputs gives, device by device.
        const all = (await backend.billingInputs('2026-11', NOV_1, DEC_1)).deviceDays;
        const paged = (await page(null, 100)).devices.flatMap((d) => d.days);
        const key = (d: { deviceId: string; utcDay: number }) => `${d.deviceId}/${d.utcDay}`;
        expect([...paged].sort((a, b) => key(a).localeCompare(key(b)))).toEqual([...all].sort((a, b) => key(a).localeCompare(key(b))));
      });

      it('gives the billing context: billingInputs without the device-days', async () => {
        await storage.tenancy.createCompany({ id: 'p1', name: 'Partner', type: 'partner', parentId: null, externalId: 'PSA-1', nowMs: NOW });
        await storage.tenancy.addSubscriptionVersion(subscription('p1', { effectiveFromMs: NOW - 10 * DAY_MS }), NOW);
        await enrol('d1');
        await ingest('d1', [rec(1, DAY, 10)]);
        const { deviceDays, ...inputs } = await backend.billingInputs('2026-11', NOV_1, DEC_1);
        expect(deviceDays).toHaveLength(1);
        expect(await storage.billing.billingContext('2026-11')).toEqual(inputs);
      });

      it('carries the uninstall instant on the device-days of an uninstalled device', async () => {
        await enrol('d1');
        await ingest('d1', [rec(1, DAY, 10)]);
        await storage.ingest.recordEvents('d1', [{ stream: 'ev', seq: 1, occurredAtMs: NOW, kind: 'uninstalled', payload: {} }], NOW);
        const { deviceDays } = await backend.billingInputs('2026-11', NOV_1, DEC_1);
        expect(deviceDays[0].uninstalledAtMs).toBe(NOW);
      });
    });

    describe('month closing', () => {
      it('stores a finalized month once: a second finalization is a conflict and changes nothing', async () => {
        await storage.billing.saveFinalizedMonth(snapshotOf('2026-10', 'hash-a'), NOW);
        await expectStorageError(storage.billing.saveFinalizedMonth(snapshotOf('2026-10', 'hash-b'), NOW + 1), 'conflict');
        expect(await storage.billing.getFinalizedMonth('2026-10')).toEqual({ hash: 'hash-a', finalizedAtMs: NOW, runId: null });
        expect((await storage.billing.currentSnapshot('2026-10'))?.snapshot).toEqual(snapshotOf('2026-10', 'hash-a'));
        expect(await storage.billing.getFinalizedMonth('2026-09')).toBeNull();
        await storage.billing.saveFinalizedMonth(snapshotOf('2026-09', 'hash-9'), NOW);
        expect(await storage.billing.listFinalizedMonths()).toEqual([
          { month: '2026-09', finalizedAtMs: NOW, hash: 'hash-9' }, { month: '2026-10', finalizedAtMs: NOW, hash: 'hash-a' },
        ]);
      });

      it('lets exactly one of several collectors racing to finalize a month win', async () => {
        const others = [await backend.peer(), await backend.peer()];
        const results = await Promise.allSettled([storage, ...others].map((s, i) => s.billing.saveFinalizedMonth(snapshotOf('2026-10', `hash-${i}`), NOW)));
        expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
        for (const r of results) if (r.status === 'rejected') expect((r.reason as StorageError).code).toBe('conflict');
        const winner = results.findIndex((r) => r.status === 'fulfilled');
        expect((await storage.billing.getFinalizedMonth('2026-10'))?.hash).toBe(`hash-${winner}`);
      });

      it('marks a finalized month that receives late data, and an adjustment clears the mark', async () => {
        await enrol('d1');
        await storage.billing.saveFinalizedMonth(snapshotOf('2026-10', 'h0'), NOW);
        const late = { adjustableFromDay: SEP_1 };
        const r = await ingest('d1', [rec(1, OCT_1 + 3, 100), rec(2, NOV_1, 100)], late);
        expect(r).toMatchObject({ adjustedRecords: 1, unbilledRecords: 0, outcomes: ['stored', 'stored'] });
        expect(await storage.billing.monthsWithLateData()).toEqual(['2026-10']);
        // Late data is still folded into the device-days, so the month can be recomputed.
        expect((await usage(OCT_1, NOV_1))[0].awakeSeconds).toBe(100);

        const lines = [{ month: '2026-10', companyId, column: 'endpoints', finalized: 0, recomputed: 1, delta: 1 }] as never;
        const adj = await storage.billing.saveAdjustment({ month: '2026-10', hashBefore: 'h0', lines, snapshot: snapshotOf('2026-10', 'h1'), nowMs: NOW + 1, lateDataBeforeMs: NOW + 1 });
        expect(adj).toMatchObject({ month: '2026-10', createdAtMs: NOW + 1, hashBefore: 'h0', hashAfter: 'h1', lines });
        expect(await storage.billing.monthsWithLateData()).toEqual([]);
        expect(await storage.billing.listAdjustments('2026-10')).toEqual([adj]);
        expect((await storage.billing.currentSnapshot('2026-10'))?.hash).toBe('h1');
        // The finalized snapshot itself never changes.
        expect((await storage.billing.getFinalizedMonth('2026-10'))?.hash).toBe('h0');

        const adj2 = await storage.billing.saveAdjustment({ month: '2026-10', hashBefore: 'h1', lines: [], snapshot: snapshotOf('2026-10', 'h2'), nowMs: NOW + 2, lateDataBeforeMs: NOW + 1 });
        expect(adj2.id).toBeGreaterThan(adj.id);
        expect((await storage.billing.listAdjustments('2026-10')).map((a) => a.hashAfter)).toEqual(['h1', 'h2']);
        expect((await storage.billing.currentSnapshot('2026-10'))?.hash).toBe('h2');
      });

      it('keeps the mark of late data that arrived after the recomputation read the facts', async () => {
        await enrol('d1');
        await storage.billing.saveFinalizedMonth(snapshotOf('2026-10', 'h0'), NOW);
        const late = { adjustableFromDay: SEP_1 };
        await ingest('d1', [rec(1, OCT_1 + 3, 100)], late);
        // More late data at NOW + 50, after a recomputation that started reading at NOW + 10.
        await storage.ingest.ingestUsage('d1', companyId, [rec(2, OCT_1 + 4, 100)], [], NOW + 50, late);
        await storage.billing.saveAdjustment({ month: '2026-10', hashBefore: 'h0', lines: [], snapshot: snapshotOf('2026-10', 'h1'), nowMs: NOW + 60, lateDataBeforeMs: NOW + 10 });
        expect(await storage.billing.monthsWithLateData()).toEqual(['2026-10']);
        await storage.billing.clearLateMark('2026-10', NOW + 10);
        expect(await storage.billing.monthsWithLateData()).toEqual(['2026-10']);
        await storage.billing.clearLateMark('2026-10', NOW + 51);
        expect(await storage.billing.monthsWithLateData()).toEqual([]);
      });

      it('marks a month late when its device-days were written while it was being finalized', async () => {
        await enrol('d1');
        await storage.ingest.ingestUsage('d1', companyId, [rec(1, OCT_1 + 3, 100)], [], NOW, { adjustableFromDay: 0 });
        await storage.billing.saveFinalizedMonth(snapshotOf('2026-10', 'h0'), NOW + 5);
        expect(await storage.billing.markLateIfWrittenSince('2026-10', OCT_1, NOV_1, NOW + 1, NOW + 6)).toBe(false);
        expect(await storage.billing.monthsWithLateData()).toEqual([]);
        expect(await storage.billing.markLateIfWrittenSince('2026-10', OCT_1, NOV_1, NOW, NOW + 6)).toBe(true);
        expect(await storage.billing.monthsWithLateData()).toEqual(['2026-10']);
      });

      it('refuses an adjustment computed from figures that are no longer current (the log is a chain)', async () => {
        await storage.billing.saveFinalizedMonth(snapshotOf('2026-10', 'h0'), NOW);
        await storage.billing.saveAdjustment({ month: '2026-10', hashBefore: 'h0', lines: [], snapshot: snapshotOf('2026-10', 'h1'), nowMs: NOW, lateDataBeforeMs: NOW + 1 });
        // A second collector that read the month before the first adjustment.
        await expectStorageError(storage.billing.saveAdjustment({ month: '2026-10', hashBefore: 'h0', lines: [], snapshot: snapshotOf('2026-10', 'h1b'), nowMs: NOW, lateDataBeforeMs: NOW + 1 }), 'conflict');
        expect((await storage.billing.listAdjustments('2026-10')).map((a) => a.hashAfter)).toEqual(['h1']);
      });

      it('refuses an adjustment of a month that is not finalized', async () => {
        await expectStorageError(storage.billing.saveAdjustment({ month: '2026-08', hashBefore: 'x', lines: [], snapshot: snapshotOf('2026-08', 'y'), nowMs: NOW, lateDataBeforeMs: NOW + 1 }), 'not_found');
        expect(await storage.billing.currentSnapshot('2026-08')).toBeNull();
        expect(await storage.billing.listAdjustments('2026-08')).toEqual([]);
      });

      it('records late usage beyond the adjustment window as unbilled, once, outside the billed days', async () => {
        await enrol('d1');
        await storage.billing.saveFinalizedMonth(snapshotOf('2026-09', 'h9'), NOW);
        const late = { adjustableFromDay: OCT_1 };
        const r = await ingest('d1', [rec(1, SEP_1 + 2, 500), rec(2, SEP_1 + 3, 500)], late);
        expect(r).toMatchObject({ outcomes: ['stored', 'stored'], unbilledRecords: 2, adjustedRecords: 0 });
        expect((await ingest('d1', [rec(1, SEP_1 + 2, 500)], late)).outcomes).toEqual(['duplicate']);
        expect(await storage.billing.countUnbilledLateRecords()).toBe(2);
        expect(await usage(SEP_1, OCT_1)).toEqual([]);
        expect(await storage.billing.monthsWithLateData()).toEqual([]);
      });
    });

    describe('unit of work (Storage.unitOfWork)', () => {
      /** What an admin command throws when a rule refuses: not a StorageError. */
      class Refused extends Error {
        readonly code = 'refused';
      }
      const writeThree = async (tx: AdminStores) => {
        await tx.tenancy.createCompany({ id: 'p1', name: 'Partner', type: 'partner', parentId: null, externalId: null, nowMs: NOW });
        await tx.audit.append({ atMs: NOW, actor: 'cli', action: 'company.create', targetType: 'company', targetId: 'p1', companyId: 'p1', details: {} });
        await tx.tenancy.addSubscriptionVersion(subscription('p1', { effectiveFromMs: NOW - 10 * DAY_MS }), NOW);
      };
      const stored = async () => ({
        company: await storage.tenancy.getCompany('p1'),
        audit: (await storage.audit.list({ companyIds: ['p1'], beforeId: null, limit: 10 })).map((e) => e.action),
        versions: (await storage.tenancy.listSubscriptionVersions('p1')).length,
      });

      it('commits every write of a unit of work that succeeds, and returns its result', async () => {
        const result = await storage.unitOfWork(async (tx) => {
          await writeThree(tx);
          // Its own writes are visible inside it.
          return (await tx.tenancy.getCompany('p1'))?.name;
        });
        expect(result).toBe('Partner');
        expect(await stored()).toMatchObject({ company: { id: 'p1' }, audit: ['company.create'], versions: 1 });
      });

      it('leaves nothing of a unit of work that throws, and passes the error through with its class intact', async () => {
        const refusal = new Refused('not allowed');
        let caught: unknown;
        try {
          await storage.unitOfWork(async (tx) => {
            await writeThree(tx);
            expect(await tx.tenancy.listSubscriptionVersions('p1')).toHaveLength(1);
            throw refusal;
          });
        } catch (err) {
          caught = err;
        }
        expect(caught).toBe(refusal);
        expect(caught).toBeInstanceOf(Refused);
        expect(await stored()).toEqual({ company: null, audit: [], versions: 0 });
      });

      it('passes a store conflict inside it through as the same StorageError, and rolls back what came before', async () => {
        await expectStorageError(storage.unitOfWork(async (tx) => {
          await writeThree(tx);
          await tx.tenancy.createCompany({ id: 'p1', name: 'Again', type: 'partner', parentId: null, externalId: null, nowMs: NOW });
        }), 'conflict', /already exists/);
        expect(await stored()).toEqual({ company: null, audit: [], versions: 0 });
      });

      it('keeps the writes of other units of work (and of the storage itself) made while one is rolled back', async () => {
        const other = await backend.peer();
        let release!: () => void;
        const held = new Promise<void>((resolve) => (release = resolve));
        const failing = storage.unitOfWork(async (tx) => {
          await writeThree(tx);
          await held;
          throw new Refused('no');
        });
        const committed = other.unitOfWork((tx) => tx.audit.append({ atMs: NOW, actor: 'cli', action: 'other', targetType: 't', targetId: 'x', companyId: null, details: {} }));
        release();
        await expect(failing).rejects.toBeInstanceOf(Refused);
        await committed;
        expect((await storage.audit.list({ companyIds: null, beforeId: null, limit: 10 })).map((e) => e.action)).toEqual(['other']);
        expect(await stored()).toEqual({ company: null, audit: [], versions: 0 });
      });
    });

    describe('liveness', () => {
      it('answers a ping, and reports storage_unavailable once closed', async () => {
        await storage.ping();
        await storage.close();
        await expectStorageError(storage.ping(), 'storage_unavailable');
        await expectStorageError(storage.adminRead.listCompanies(), 'storage_unavailable');
      });
    });
  });
}
