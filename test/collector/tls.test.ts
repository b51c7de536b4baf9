// HTTPS/WSS with a configured certificate: the agent verifies it, trusts a
// pinned private CA when given one, and refuses a certificate it cannot verify.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import https from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, silentLogger } from '../../common/log.ts';
import { AwakeMeter, systemClocks } from '../../agent/src/meter/index.ts';
import { Outbox } from '../../agent/src/outbox/index.ts';
import { AgentRuntime } from '../../agent/src/runtime.ts';
import { loadCredentials } from '../../agent/src/credentials.ts';
import { startCollector, type RunningCollector } from '../../collector/src/server.ts';
import { openSqliteStorage } from '../../collector/src/storage/sqlite/index.ts';
import type { Storage } from '../../collector/src/storage/types.ts';
import { hashSecret, newSecret } from '../../collector/src/auth/secrets.ts';
import { makeTestPki, type TestPki } from '../helpers/tls.ts';
import { pollUntil } from '../helpers/processes.ts';
import { AGENT_WS_PATH } from '../../proto/index.ts';
import { seedCustomer } from '../helpers/seed.ts';

let pki: TestPki;
let dir: string;
let storage: Storage;
let collector: RunningCollector;
let token: string;

beforeAll(async () => {
  pki = makeTestPki();
  dir = mkdtempSync(join(tmpdir(), 'tally-tls-'));
  storage = openSqliteStorage({ path: join(dir, 'db'), nowMs: Date.now() });
  collector = await startCollector({ storage, logger: silentLogger, host: '127.0.0.1', port: 0, tls: { cert: pki.cert, key: pki.key }, billingIntervalMs: 0 });
  const company = await seedCustomer(storage, 'TLS Co', Date.now());
  token = newSecret('enrolment_token');
  await storage.adminWrite.createEnrolmentToken({ id: 't', companyId: company.id, tokenHash: hashSecret(token), expiresAtMs: null, nowMs: Date.now() });
}, 30_000);
afterAll(async () => {
  await collector.stop();
  await storage.close();
  rmSync(dir, { recursive: true, force: true });
  rmSync(pki.dir, { recursive: true, force: true });
});

function runtimeFor(stateDir: string, ca: Buffer | undefined, lines: string[]) {
  mkdirSync(join(stateDir, 'outbox'), { recursive: true });
  return new AgentRuntime({
    stateDir, collectorUrl: new URL(`wss://127.0.0.1:${collector.port}${AGENT_WS_PATH}`), enrolmentToken: token, usageIntervalMs: 3_600_000,
    agentVersion: 't', instanceId: `i-${Math.random()}`, facts: () => null, outbox: Outbox.open(join(stateDir, 'outbox')),
    meter: new AwakeMeter({ clocks: systemClocks, bootId: 'b' }), logger: createLogger({ level: 'info', write: (l) => lines.push(l) }),
    connection: { ca, backoff: { initialMs: 50, maxMs: 200 } },
  });
}

describe('TLS', () => {
  it('serves HTTPS with the configured certificate', async () => {
    expect(collector.url).toMatch(/^https:/);
    const body = await new Promise<string>((resolve, reject) => {
      https.get(`${collector.url}/healthz`, { ca: pki.caCert }, (res) => {
        let b = '';
        res.on('data', (c) => (b += c));
        res.on('end', () => resolve(b));
      }).on('error', reject);
    });
    expect(JSON.parse(body).status).toBe('ok');
  });

  it('an agent with the pinned CA enrols over wss://', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'tally-tls-agent-'));
    const runtime = runtimeFor(stateDir, pki.caCert, []);
    runtime.start();
    try {
      const creds = await pollUntil(async () => loadCredentials(stateDir), 10_000, 'enrolment over wss');
      expect(creds.collectorUrl).toMatch(/^wss:/);
    } finally {
      await runtime.stop(100);
      rmSync(stateDir, { recursive: true, force: true });
    }
  });

  it('an agent that cannot verify the certificate never sends its token and says why', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'tally-tls-agent-'));
    const lines: string[] = [];
    const runtime = runtimeFor(stateDir, undefined, lines); // system trust store: our private CA is not in it
    runtime.start();
    try {
      await pollUntil(async () => lines.some((l) => /cannot verify the collector's TLS certificate/.test(l)), 10_000, 'a certificate warning in the log');
      expect(loadCredentials(stateDir)).toBeNull();
    } finally {
      await runtime.stop(100);
      rmSync(stateDir, { recursive: true, force: true });
    }
  });
});
