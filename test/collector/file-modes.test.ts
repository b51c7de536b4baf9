// Files with customers' data are readable by the service's user only: the
// database, its WAL and shared-memory files, report files and the folders
// they are made in (issue 21: they were 644 in 755 folders). Real SQLite
// files and a real collector writing a report job; the agent's journal is
// tested in test/agent/outbox/outbox.test.ts.
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openSqliteStorage } from '../../collector/src/storage/sqlite/index.ts';
import { writeFileAtomically } from '../../collector/src/reports/file.ts';
import { startTestCollector } from '../helpers/collector.ts';
import { restOk } from '../helpers/http.ts';
import { pollUntil } from '../helpers/processes.ts';
import { Seeder } from '../helpers/seed.ts';

const mode = (path: string) => statSync(path).mode & 0o777;
const dir = mkdtempSync(join(tmpdir(), 'tally-modes-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('owner-only files', () => {
  it('creates the database folders 0700 and the database, its WAL and shared memory 0600', async () => {
    const path = join(dir, 'data', 'nested', 'tally.db');
    const storage = openSqliteStorage({ path, nowMs: Date.now() });
    try {
      // A write: the WAL and its index exist from the first transaction on.
      await new Seeder(storage).company('Acme', { atMs: Date.now() });
      const files = readdirSync(join(dir, 'data', 'nested')).sort();
      expect(files).toEqual(['tally.db', 'tally.db-shm', 'tally.db-wal']);
      for (const f of files) expect(mode(join(dir, 'data', 'nested', f)), f).toBe(0o600);
      expect(mode(join(dir, 'data'))).toBe(0o700);
      expect(mode(join(dir, 'data', 'nested'))).toBe(0o700);
    } finally {
      await storage.close();
    }
  });

  it('writes report files 0600, in place of a file that was there too', async () => {
    const path = join(dir, 'report.csv');
    await writeFileAtomically(path, async (out) => { out.write('a,b\n'); });
    expect(mode(path)).toBe(0o600);
    await writeFileAtomically(path, async (out) => { out.write('c,d\n'); });
    expect(mode(path)).toBe(0o600);
  });

  it('keeps a report job\'s file 0600 in a 0700 reports folder', async () => {
    const col = await startTestCollector();
    try {
      const key = await col.apiKey();
      const company = await new Seeder(col.storage).company('Acme Dental', { atMs: Date.now() - 86_400_000, subscription: { effectiveFromMs: Date.now() - 86_400_000 } });
      const { id } = await restOk(col.url, key, 'POST', '/reports', { format: 'csv', companyId: company.id, month: new Date().toISOString().slice(0, 7) });
      await pollUntil(async () => (await restOk(col.url, key, 'GET', `/reports/${id}`)).status === 'ready', 20_000, 'the report job');
      const reports = join(col.dir, 'reports');
      expect(mode(reports)).toBe(0o700);
      const files = readdirSync(reports);
      expect(files.length).toBeGreaterThan(0);
      for (const f of files) expect(mode(join(reports, f)), f).toBe(0o600);
    } finally {
      await col.dispose();
    }
  });
});
