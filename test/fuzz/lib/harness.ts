// A collector's ingest path without a network: real SQLite storage, a real
// IngestBatcher, AgentSession.handleFrame, and a read-only connection to the
// same database file for the fuzz oracle.
import Database from 'better-sqlite3';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '../../../common/log.ts';
import { KeyedRateLimiter } from '../../../collector/src/ingest/limits.ts';
import { IngestBatcher } from '../../../collector/src/ingest/batcher.ts';
import { latePolicyAt } from '../../../collector/src/ingest/late-policy.ts';
import { AgentSession, type Principal } from '../../../collector/src/ingest/session.ts';
import { createMetrics } from '../../../collector/src/metrics.ts';
import { openSqliteStorage } from '../../../collector/src/storage/sqlite/index.ts';
import type { Storage } from '../../../collector/src/storage/types.ts';
import { StoredState } from './oracle.ts';
import { seedCustomer } from '../../helpers/seed.ts';

/** A fixed clock: the validity of a day number never depends on when the suite runs. */
export const NOW = Date.UTC(2026, 2, 15, 12);
export const TODAY = Math.floor(NOW / 86_400_000);

export interface IngestHarness {
  storage: Storage;
  batcher: IngestBatcher;
  read: Database.Database;
  state: StoredState;
  companyId: string;
  /** A real enrolment token of companyId, without a limit: enrolment sessions use it. */
  tokenId: string;
  errorsLogged: Record<string, unknown>[];
  session(principal: Principal): AgentSession;
  newDevice(): Promise<string>;
  dispose(): Promise<void>;
}

/** Fuzz databases live in RAM when /dev/shm exists (fsync is then free); it is still the real SQLite store. */
export function scratchDir(prefix: string): string {
  return mkdtempSync(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), prefix));
}

const UNBOUNDED = {
  streams: { max: 1_000_000, windowMs: 86_400_000 }, maxEventBytes: 1 << 30, events: new KeyedRateLimiter({ capacity: 1e12, perMinute: 1e12 }),
};

export async function startIngestHarness(): Promise<IngestHarness> {
  const dir = scratchDir('tally-fuzz-');
  const path = join(dir, 'tally.db');
  const storage = openSqliteStorage({ path, nowMs: NOW });
  const batcher = new IngestBatcher({ storage, now: () => NOW, latePolicy: latePolicyAt, maxDelayMs: 1 });
  const read = new Database(path, { readonly: true });
  const errorsLogged: Record<string, unknown>[] = [];
  const logger = createLogger({ level: 'error', write: (line) => errorsLogged.push(JSON.parse(line)) });
  const metrics = createMetrics();
  const companyId = (await seedCustomer(storage, 'Fuzz Co', NOW)).id;
  const tokenId = 'fuzz-token';
  await storage.adminWrite.createEnrolmentToken({ id: tokenId, companyId, tokenHash: 'fuzz-token-hash', expiresAtMs: null, nowMs: NOW });
  let devices = 0;
  return {
    storage, batcher, read, state: new StoredState(read), companyId, tokenId, errorsLogged,
    session: (principal) => {
      // isConnected: clone detection's "is this device online elsewhere" (no other sessions here).
      // Bounds out of reach: the oracle models frames without them (their refusals: test/collector/ingest/agent-bounds.test.ts).
      const deps = { storage, batcher, now: () => NOW, logger, metrics, isConnected: () => false, bounds: UNBOUNDED };
      return new AgentSession(principal, deps);
    },
    newDevice: async () => {
      const deviceId = `fuzz-device-${++devices}`;
      await storage.enrolment.enrolDevice({ deviceId, companyId, keyHash: `hash-${deviceId}`, instanceId: `inst-${devices}`, hostname: 'fuzz', facts: null, agentVersion: 'fuzz', nowMs: NOW });
      return deviceId;
    },
    dispose: async () => {
      await batcher.drain();
      read.close();
      await storage.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export const hex = (b: Uint8Array, max = 96) => Buffer.from(b.subarray(0, max)).toString('hex') + (b.length > max ? `...(${b.length} bytes)` : '');
