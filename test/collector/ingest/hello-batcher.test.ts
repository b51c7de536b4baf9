// Group commit for hellos on real SQLite: hellos that arrive together share
// one transaction, each resolves only after it committed; a hello the store
// refuses fails alone (the batch is retried one by one), while an unavailable
// database fails the batch at once without one retry per agent.
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HelloBatcher } from '../../../collector/src/ingest/hello-batcher.ts';
import { createMetrics } from '../../../collector/src/metrics.ts';
import { openSqliteStorage } from '../../../collector/src/storage/sqlite/index.ts';
import { StorageError, type HelloWrite, type Storage } from '../../../collector/src/storage/types.ts';
import { seedCustomer } from '../../helpers/seed.ts';

const NOW = Date.UTC(2026, 10, 15);

let dir: string;
let path: string;
let storage: Storage;
let companyId: string;
let calls: string[][];

/** The real store, recording each transaction the batcher asks for; a hello of device `poison` is refused. */
function counting(s: Storage): Storage {
  return { ...s, ingest: { ...s.ingest, recordHellos: (units) => {
    calls.push(units.map((u) => u.deviceId));
    if (units.some((u) => u.deviceId === 'poison')) return Promise.reject(new StorageError('conflict', 'refused on purpose'));
    return s.ingest.recordHellos(units);
  } } };
}

const hello = (deviceId: string, at = NOW + 1000): HelloWrite =>
  ({ deviceId, instanceId: `i-${deviceId}`, hostname: `new-${deviceId}`, agentVersion: '2.0', facts: null, nowMs: at, hardware: `fp-${deviceId}` });

const hostnames = async () => Object.fromEntries((await storage.adminRead.listDevices({ after: null, limit: 100 })).items.map((d) => [d.id, d.hostname]));

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tally-hello-'));
  path = join(dir, 't.db');
  storage = openSqliteStorage({ path, nowMs: NOW, busyTimeoutMs: 50 });
  companyId = (await seedCustomer(storage, 'Acme', NOW)).id;
  for (let i = 0; i < 30; i++) {
    await storage.enrolment.enrolDevice({ deviceId: `d${i}`, companyId, keyHash: `k${i}`, instanceId: `i${i}`, hostname: `h${i}`, facts: null, agentVersion: 't', nowMs: NOW });
  }
  calls = [];
});
afterEach(async () => {
  await storage.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('HelloBatcher', () => {
  it('commits hellos that arrive together in one transaction; each resolves after it is stored', async () => {
    const metrics = createMetrics();
    const b = new HelloBatcher({ storage: counting(storage), maxDelayMs: 20, metrics });
    await Promise.all(Array.from({ length: 30 }, (_, i) => b.submit(hello(`d${i}`))));
    expect(calls.map((c) => c.length)).toEqual([30]);
    const names = await hostnames();
    for (let i = 0; i < 30; i++) expect(names[`d${i}`]).toBe(`new-d${i}`);
    expect(await storage.ingest.deviceHardware('d7')).toEqual({ fingerprint: 'fp-d7', lastSeenAtMs: NOW + 1000 });
    expect(await metrics.registry.getSingleMetricAsString('tally_hello_group_commit_hellos')).toMatch(/tally_hello_group_commit_hellos_count 1\b/);
  });

  it('caps a batch at maxHellos and commits the rest in the next', async () => {
    const b = new HelloBatcher({ storage: counting(storage), maxDelayMs: 10_000, maxHellos: 12 });
    await Promise.all(Array.from({ length: 30 }, (_, i) => b.submit(hello(`d${i}`))));
    expect(calls.map((c) => c.length)).toEqual([12, 12, 6]);
  });

  it('a hello the store refuses fails alone: the others of its batch are stored', async () => {
    const b = new HelloBatcher({ storage: counting(storage), maxDelayMs: 20 });
    const results = await Promise.allSettled(['d1', 'poison', 'd2'].map((id) => b.submit(hello(id))));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(calls).toEqual([['d1', 'poison', 'd2'], ['d1'], ['poison'], ['d2']]);
    const names = await hostnames();
    expect([names.d1, names.d2, names.d3]).toEqual(['new-d1', 'new-d2', 'h3']);
  });

  it('an unavailable database fails the whole batch at once (no retry per hello), and nothing is stored', async () => {
    const b = new HelloBatcher({ storage: counting(storage), maxDelayMs: 20 });
    const other = new Database(path);
    other.prepare('BEGIN IMMEDIATE').run(); // another process holds the write lock
    try {
      const results = await Promise.allSettled(['d1', 'd2', 'd3'].map((id) => b.submit(hello(id))));
      expect(results.every((r) => r.status === 'rejected' && (r.reason as StorageError).code === 'storage_unavailable')).toBe(true);
      expect(calls).toEqual([['d1', 'd2', 'd3']]);
    } finally {
      other.prepare('ROLLBACK').run();
      other.close();
    }
    expect((await hostnames()).d1).toBe('h1');
    // Once the lock is gone the next hellos go through.
    await b.submit(hello('d1'));
    expect((await hostnames()).d1).toBe('new-d1');
  });

  it('drain waits for what is waiting and in flight', async () => {
    const b = new HelloBatcher({ storage: counting(storage), maxDelayMs: 60_000 });
    const p = b.submit(hello('d4'));
    await b.drain();
    await p;
    expect((await hostnames()).d4).toBe('new-d4');
  });
});
