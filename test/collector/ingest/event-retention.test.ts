// Event retention on real SQLite with a fixed clock: the cutoff is calendar
// months back (13 by default), the purge runs in batches until nothing older
// is left, counts what it deleted in /metrics, and leaves every billing row.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../common/log.ts';
import { purgeExpiredEvents, retentionCutoff } from '../../../collector/src/ingest/retention.ts';
import { createMetrics } from '../../../collector/src/metrics.ts';
import { openSqliteStorage } from '../../../collector/src/storage/sqlite/index.ts';
import type { Storage } from '../../../collector/src/storage/types.ts';
import { seedCustomer } from '../../helpers/seed.ts';

const DAY_MS = 86_400_000;
const NOW = Date.UTC(2026, 11, 7, 10, 30);
let dir: string;
let storage: Storage;
let companyId: string;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tally-retention-'));
  storage = openSqliteStorage({ path: join(dir, 't.db'), nowMs: NOW });
  companyId = (await seedCustomer(storage, 'Acme', NOW - 800 * DAY_MS)).id;
  await storage.enrolment.enrolDevice({ deviceId: 'd1', companyId, keyHash: 'k1', instanceId: 'i', hostname: 'h', facts: null, agentVersion: 't', nowMs: NOW - 700 * DAY_MS });
});
afterEach(async () => {
  await storage.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('event retention', () => {
  it('cuts off calendar months back, clamped to the shorter month', () => {
    expect(new Date(retentionCutoff(NOW, 13)).toISOString()).toBe('2025-11-07T10:30:00.000Z');
    expect(new Date(retentionCutoff(Date.UTC(2026, 2, 31), 1)).toISOString()).toBe('2026-02-28T00:00:00.000Z');
    expect(new Date(retentionCutoff(Date.UTC(2026, 0, 15), 13)).toISOString()).toBe('2024-12-15T00:00:00.000Z');
  });

  it('purges events older than 13 months in batches, counts them, keeps newer events and every billing row', async () => {
    const old = NOW - 420 * DAY_MS;
    const events = Array.from({ length: 25 }, (_, i) => ({ stream: 'ev', seq: i + 1, occurredAtMs: old, kind: 'user_signed_in' as const, payload: {} }));
    await storage.ingest.recordEvents('d1', events, old);
    await storage.ingest.recordEvents('d1', [{ stream: 'ev', seq: 26, occurredAtMs: old, kind: 'uninstalled', payload: {} }], old);
    await storage.ingest.recordEvents('d1', [{ stream: 'ev', seq: 27, occurredAtMs: NOW - 380 * DAY_MS, kind: 'user_signed_in', payload: {} }], NOW - 380 * DAY_MS);
    const oldDay = Math.floor(old / DAY_MS);
    await storage.ingest.ingestUsage('d1', companyId, [{ stream: 'u', seq: 1, utcDay: oldDay, awakeSeconds: 900, bootId: 'b' }], [], old, { adjustableFromDay: 0 });
    const metrics = createMetrics();
    const purged = await purgeExpiredEvents({ storage, months: 13, now: () => NOW, logger: silentLogger, metrics, batchRows: 10 });
    expect(purged).toBe(26);
    expect(await metrics.registry.getSingleMetricAsString('tally_events_purged_total')).toMatch(/tally_events_purged_total 26/);
    expect(await metrics.registry.getSingleMetricAsString('tally_event_retention_runs_total')).toMatch(/result="ok"} 1/);
    // The event of 380 days ago is within 13 months: still there (a resend is a duplicate).
    expect(await storage.ingest.recordEvents('d1', [{ stream: 'ev', seq: 27, occurredAtMs: 0, kind: 'user_signed_in', payload: {} }], NOW)).toEqual(['duplicate']);
    // Billing rows and the device's uninstall stay.
    const usage = await storage.adminRead.usageForDays(oldDay, oldDay + 1, { after: null, limit: 10 });
    expect(usage.items.map((d) => d.awakeSeconds)).toEqual([900]);
    expect((await storage.adminRead.listDevices({ after: null, limit: 10 })).items[0].uninstalledAtMs).toBe(old);
    // A shorter retention purges that one too; nothing left to purge then.
    expect(await purgeExpiredEvents({ storage, months: 12, now: () => NOW, logger: silentLogger })).toBe(1);
    expect(await purgeExpiredEvents({ storage, months: 12, now: () => NOW, logger: silentLogger })).toBe(0);
  });

  it('a failed run is counted and reported, not thrown', async () => {
    const metrics = createMetrics();
    await storage.close();
    const purged = await purgeExpiredEvents({ storage, months: 13, now: () => NOW, logger: silentLogger, metrics });
    expect(purged).toBe(0);
    expect(await metrics.registry.getSingleMetricAsString('tally_event_retention_runs_total')).toMatch(/result="failed"} 1/);
    storage = openSqliteStorage({ path: join(dir, 't.db'), nowMs: NOW });
  });
});
