// Starts an in-process collector on a free loopback port over a real SQLite
// file in a temporary directory.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { silentLogger } from '../../common/log.ts';
import { hashSecret, newSecret } from '../../collector/src/auth/secrets.ts';
import { startCollector, type RunningCollector } from '../../collector/src/server.ts';
import { openSqliteStorage } from '../../collector/src/storage/sqlite/index.ts';
import type { Storage } from '../../collector/src/storage/types.ts';
import { AGENT_WS_PATH } from '../../proto/index.ts';
import { LOOPBACK_ALLOWED } from './outbound.ts';
import { seedCustomer } from './seed.ts';

export interface TestCollector extends RunningCollector {
  storage: Storage;
  dir: string;
  wsUrl: string;
  /** Customer company with a fresh enrolment token. */
  enrolmentToken(companyName?: string, opts?: { expiresAtMs?: number }): Promise<{ token: string; companyId: string }>;
  apiKey(): Promise<string>;
  api(path: string, key: string): Promise<{ status: number; body: any }>;
  dispose(): Promise<void>;
}

/** A collector on loopback over a fresh SQLite file, or over `storage` when given (e.g. a throwaway PostgreSQL database). */
export async function startTestCollector(opts: {
  now?: () => number; sockets?: Parameters<typeof startCollector>[0]['sockets']; storage?: Storage; releaseKeys?: Parameters<typeof startCollector>[0]['releaseKeys'];
  tls?: Parameters<typeof startCollector>[0]['tls'];
  reportQueue?: Parameters<typeof startCollector>[0]['reportQueue']; publicUrl?: string;
  /** Default: loopback allowed (the tests' receivers and identity providers listen there). */
  outbound?: Parameters<typeof startCollector>[0]['outbound'];
} = {}): Promise<TestCollector> {
  const dir = mkdtempSync(join(tmpdir(), 'tally-collector-'));
  const now = opts.now ?? Date.now;
  const storage = opts.storage ?? openSqliteStorage({ path: join(dir, 'tally.db'), nowMs: now() });
  const running = await startCollector({ storage, logger: silentLogger, host: '127.0.0.1', port: 0, now, sockets: opts.sockets, reportsDir: join(dir, 'reports'), billingIntervalMs: 0, reportScheduleIntervalMs: 0,
    releasesDir: join(dir, 'releases'), releaseKeys: opts.releaseKeys, tls: opts.tls, reportQueue: opts.reportQueue, publicUrl: opts.publicUrl, outbound: opts.outbound ?? LOOPBACK_ALLOWED });
  return {
    ...running,
    storage,
    dir,
    wsUrl: `${opts.tls ? 'wss://localhost' : 'ws://127.0.0.1'}:${running.port}${AGENT_WS_PATH}`,
    enrolmentToken: async (companyName = 'Acme', o = {}) => {
      // One company per name across calls: a second token for 'Acme' is another token of the same customer.
      const company = (await storage.adminRead.listCompanies()).find((c) => c.name === companyName && c.type === 'customer') ?? await seedCustomer(storage, companyName, now());
      const token = newSecret('enrolment_token');
      await storage.adminWrite.createEnrolmentToken({ id: randomUUID(), companyId: company.id, tokenHash: hashSecret(token), expiresAtMs: o.expiresAtMs ?? null, nowMs: now() });
      return { token, companyId: company.id };
    },
    apiKey: async () => {
      const key = newSecret('api_key');
      await storage.adminWrite.createApiKey({ id: randomUUID(), keyHash: hashSecret(key), label: 'test', companyId: null, readOnly: false, nowMs: now() });
      return key;
    },
    api: async (path, key) => {
      const res = await fetch(`${running.url}${path}`, { headers: { authorization: `Bearer ${key}` } });
      return { status: res.status, body: await res.json() };
    },
    dispose: async () => {
      await running.stop();
      await storage.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
