// Where events come from, on SQLite and PostgreSQL: the month closer
// publishes month.closing once per month (however many passes see it),
// month.finalized once, and adjustment.created per company whose billed
// figures late data changed; the delivery worker fans them out by scope (an
// installation endpoint gets months; a partner's endpoint gets its own
// companies' adjustments, never another partner's).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../common/log.ts';
import { WebhookWorker } from '../../../collector/src/hooks/delivery.ts';
import type { Storage } from '../../../collector/src/storage/types.ts';
import { monthServices } from '../../../collector/src/usage/index.ts';
import { Seeder } from '../../helpers/seed.ts';
import { LOOPBACK_ALLOWED } from '../../helpers/outbound.ts';
import { BACKENDS, Receiver } from './harness.ts';

const DAY_MS = 86_400_000;
const at = (iso: string) => Date.parse(iso);

for (const backend of BACKENDS) {
  describe.skipIf(!backend.run)(`events from month closing and adjustments (${backend.name})`, () => {
    let storage: Storage;
    let drop: () => Promise<void>;
    let dir: string;
    let rx: Receiver;
    // 2 December: November is in its 72 h grace window (closing), October is due for finalization.
    let now = at('2026-12-02T10:00:00Z');
    const ids = {} as Record<'p' | 'c' | 'q' | 'd' | 'epInstallation' | 'epP' | 'epQ', string>;

    beforeAll(async () => {
      dir = mkdtempSync(`${tmpdir()}/tally-events-`);
      ({ storage, drop } = await backend.open(dir, now));
      rx = await new Receiver().start();
      const seed = new Seeder(storage, () => now);
      const since = at('2026-09-01T00:00:00Z');
      ids.p = (await seed.company('Partner P', { type: 'partner', atMs: since })).id;
      ids.c = (await seed.company('Customer C', { parentId: ids.p, atMs: since, subscription: {} })).id;
      ids.q = (await seed.company('Partner Q', { type: 'partner', atMs: since })).id;
      ids.d = (await seed.company('Customer D', { parentId: ids.q, atMs: since, subscription: {} })).id;
      for (const co of [ids.c, ids.d]) {
        const dev = await seed.device(co, { atMs: at('2026-11-01T00:00:00Z') });
        await seed.awakeDays(dev, co, [{ dayMs: at('2026-11-10T00:00:00Z'), seconds: 3600 }]);
      }
      const endpoint = async (companyId: string | null, path: string) => {
        const id = `ep-${path.slice(1)}`;
        await storage.hooks.createEndpoint({ id, companyId, url: rx.answer(path), description: '', eventTypes: [], disabledAtMs: null, createdAtMs: now, updatedAtMs: now, createdBy: 'test', secret: `whsec_${Buffer.alloc(32, 1).toString('base64')}` });
        return id;
      };
      ids.epInstallation = await endpoint(null, '/installation');
      ids.epP = await endpoint(ids.p, '/p');
      ids.epQ = await endpoint(ids.q, '/q');
    }, 30_000);

    afterAll(async () => {
      await rx?.stop();
      await storage?.close();
      await drop?.();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    const events = async (type: string) => (await storage.hooks.listEvents({ companyIds: null, types: [type], limit: 100 })).reverse();

    it('publishes month.closing once, month.finalized once per month, adjustment.created per company; fans them out by scope', async () => {
      const { closer } = monthServices({ billing: storage.billing, now: () => now, logger: silentLogger, graceHours: 72, events: storage.hooks });
      expect(await closer.finalizeDueMonths()).toEqual(['2026-10']);
      expect(await closer.finalizeDueMonths()).toEqual([]);
      expect((await events('month.closing')).map((e) => [e.data.month, e.companyId])).toEqual([['2026-11', null]]);
      await closer.closeMonth('2026-11', { early: true });
      await expect(closer.closeMonth('2026-11', { early: true })).rejects.toMatchObject({ code: 'already_finalized' });
      const finalized = await events('month.finalized');
      // Both at the same instant here: their order is not the point.
      expect(finalized.map((e) => e.data.month).sort()).toEqual(['2026-10', '2026-11']);
      expect(finalized.find((e) => e.data.month === '2026-11')!.data.hash).toMatch(/^[0-9a-f]{64}$/);
      // The grace window has passed for November by now: no second closing event on later passes.
      now = at('2026-12-05T10:00:00Z');
      await closer.finalizeDueMonths();
      expect(await events('month.closing')).toHaveLength(1);

      // Late data for November (a device of C that was offline): the finalized month gets an adjustment.
      const seed = new Seeder(storage, () => now);
      const late = await seed.device(ids.c, { atMs: at('2026-11-15T00:00:00Z') });
      await seed.awakeDays(late, ids.c, [{ dayMs: at('2026-11-20T00:00:00Z'), seconds: 7200 }]);
      const made = await closer.processLateData();
      expect(made).toHaveLength(1);
      const adjusted = await events('adjustment.created');
      expect(adjusted.length).toBeGreaterThanOrEqual(1);
      // One event per company whose figures moved: C (and its partner's roll-up); never D or Q.
      expect(new Set(adjusted.map((e) => e.companyId))).toEqual(new Set(made[0].lines.map((l) => l.companyId)));
      expect(adjusted.map((e) => e.companyId)).toContain(ids.c);
      const forC = adjusted.find((e) => e.companyId === ids.c)!;
      expect(forC.data).toMatchObject({ month: '2026-11', adjustmentId: String(made[0].id) });
      expect((forC.data.lines as { column: string; delta: number }[]).find((l) => l.column === 'endpointUsage')).toMatchObject({ delta: 1 });

      const worker = new WebhookWorker({ hooks: storage.hooks, adminRead: storage.adminRead, logger: silentLogger, now: () => now, timeoutMs: 2_000, outbound: LOOPBACK_ALLOWED });
      await worker.runOnce();
      const types = async (ep: string) => (await storage.hooks.listDeliveries(ep, 100)).map((d) => d.eventType).sort();
      expect(await types(ids.epInstallation)).toEqual([...adjusted.map(() => 'adjustment.created'), 'month.closing', 'month.finalized', 'month.finalized'].sort());
      expect(await types(ids.epP)).toEqual(adjusted.filter((e) => [ids.c, ids.p].includes(e.companyId!)).map(() => 'adjustment.created'));
      expect(await types(ids.epQ)).toEqual([]);
      expect((await storage.hooks.listDeliveries(ids.epP, 100)).every((d) => d.status === 'delivered')).toBe(true);
      expect(rx.at('/q')).toHaveLength(0);
      expect(rx.at('/installation').length).toBe(adjusted.length + 3);
    });

    it('psa.sync_failed, as the PSA sync publishes it, reaches the company\'s partner and the installation only', async () => {
      const { publishPsaSyncFailed } = await import('../../../collector/src/hooks/events.ts');
      const id = await publishPsaSyncFailed(storage.hooks, { companyId: ids.c, connector: 'connectwise', month: '2026-12', error: 'HTTP 500 from the PSA', pushedLines: 3 }, now);
      expect(id).toMatch(/^msg_/);
      const worker = new WebhookWorker({ hooks: storage.hooks, adminRead: storage.adminRead, logger: silentLogger, now: () => now, timeoutMs: 2_000, outbound: LOOPBACK_ALLOWED });
      await worker.runOnce();
      const got = (ep: string) => storage.hooks.listDeliveries(ep, 100).then((ds) => ds.filter((d) => d.eventId === id).map((d) => d.status));
      expect(await got(ids.epP)).toEqual(['delivered']);
      expect(await got(ids.epInstallation)).toEqual(['delivered']);
      expect(await got(ids.epQ)).toEqual([]);
      expect(JSON.parse(rx.at('/p').at(-1)!.body)).toMatchObject({ type: 'psa.sync_failed', data: { companyId: ids.c, connector: 'connectwise', month: '2026-12', pushedLines: 3 } });
    });

    it('retention prunes finished deliveries, their log and dispatched events, never a pending delivery or its event', async () => {
      const { publishEvent } = await import('../../../collector/src/hooks/events.ts');
      const pendingEvent = (await publishEvent(storage.hooks, { type: 'device.retired', companyId: ids.c, data: { deviceId: 'x' } }, now))!;
      await storage.hooks.dispatch(pendingEvent, [{ id: 'pending-delivery', endpointId: ids.epP }], now);
      const before = (await storage.hooks.listEvents({ companyIds: null, limit: 1000 })).length;
      expect(before).toBeGreaterThan(3);
      const pruned = await storage.hooks.prune(now + DAY_MS);
      expect(pruned.events).toBe(before - 1);
      expect(pruned.attempts).toBeGreaterThan(0);
      expect(pruned.deliveries).toBe(pruned.attempts);
      expect((await storage.hooks.listEvents({ companyIds: null, limit: 1000 })).map((e) => e.id)).toEqual([pendingEvent]);
      expect((await storage.hooks.listDeliveries(ids.epP, 100)).map((d) => [d.id, d.status])).toEqual([['pending-delivery', 'pending']]);
      expect(await storage.hooks.listAttempts(ids.epInstallation, 100)).toEqual([]);
    });
  });
}
