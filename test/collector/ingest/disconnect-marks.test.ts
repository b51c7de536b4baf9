// Connection marks of agents dropping together are cleared in one
// transaction, on real SQLite; a device that reconnected keeps its new mark,
// and a store that fails is logged once per batch, never once per agent.
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DisconnectMarks } from '../../../collector/src/ingest/disconnect-marks.ts';
import { openSqliteStorage } from '../../../collector/src/storage/sqlite/index.ts';
import { StorageError, type Storage } from '../../../collector/src/storage/types.ts';
import { Seeder } from '../../helpers/seed.ts';

const NOW = Date.UTC(2026, 10, 15);

let dir: string;
let path: string;
let storage: Storage;
let ids: string[];

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tally-disconnect-'));
  path = join(dir, 't.db');
  storage = openSqliteStorage({ path, nowMs: NOW });
  const seed = new Seeder(storage);
  const company = (await seed.company('Acme', { atMs: NOW - 86_400_000 })).id;
  ids = [];
  for (let i = 0; i < 300; i++) ids.push(await seed.device(company, { atMs: NOW - 3_600_000, id: `dev-${String(i).padStart(3, '0')}` }));
  for (const id of ids) await storage.devices.markConnected(id, NOW);
});

afterEach(async () => {
  await storage.close();
  rmSync(dir, { recursive: true, force: true });
});

const marked = () => {
  const db = new Database(path, { readonly: true });
  try {
    return (db.prepare('SELECT id FROM devices WHERE connected_since IS NOT NULL ORDER BY id').all() as { id: string }[]).map((r) => r.id);
  } finally {
    db.close();
  }
};

describe('DisconnectMarks', () => {
  it('clears the marks of 300 connections closing together in a few transactions; a device that reconnected keeps its newer mark', async () => {
    const batches: number[] = [];
    const devices = { markDisconnectedMany: (m: readonly { deviceId: string; sinceMs: number }[]) => (batches.push(m.length), storage.devices.markDisconnectedMany(m)) };
    const warnings: unknown[] = [];
    const marks = new DisconnectMarks({ devices, logger: { warn: (...a: unknown[]) => warnings.push(a) }, maxMarks: 200 });
    // dev-007 reconnected (a newer mark) before its old connection's close is written.
    await storage.devices.markConnected('dev-007', NOW + 5_000);
    await Promise.all(ids.map((deviceId) => marks.submit({ deviceId, sinceMs: NOW })));
    expect(batches).toEqual([200, 100]);
    expect(marked()).toEqual(['dev-007']);
    expect(warnings).toEqual([]);
  });

  it('a failing store is logged once per batch, every waiting close still resolves, and the marks stay (they age out)', async () => {
    const warnings: unknown[] = [];
    const devices = { markDisconnectedMany: () => Promise.reject(new StorageError('storage_unavailable', 'disk full')) };
    const marks = new DisconnectMarks({ devices, logger: { warn: (...a: unknown[]) => warnings.push(a) } });
    await Promise.all(ids.map((deviceId) => marks.submit({ deviceId, sinceMs: NOW })));
    await marks.drain();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject(['could not clear the connection marks of closed connections; they age out', { count: 300 }]);
    expect(marked()).toHaveLength(300);
  });
});
