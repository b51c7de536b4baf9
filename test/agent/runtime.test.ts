// The agent runtime against a real in-process collector on loopback: every
// metered second reaches the device-day rows exactly once, across a collector
// that goes away and comes back.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../common/log.ts';
import { AwakeMeter, type Clocks } from '../../agent/src/meter/index.ts';
import { Outbox } from '../../agent/src/outbox/index.ts';
import { AgentRuntime } from '../../agent/src/runtime.ts';
import { loadCredentials } from '../../agent/src/credentials.ts';
import { startCollector } from '../../collector/src/server.ts';
import { openSqliteStorage } from '../../collector/src/storage/sqlite/index.ts';
import { startTestCollector, type TestCollector } from '../helpers/collector.ts';
import { pollUntil } from '../helpers/processes.ts';
import { startCuttingProxy } from '../helpers/tcp-proxy.ts';
import { AGENT_WS_PATH } from '../../proto/index.ts';
import { seedCustomer } from '../helpers/seed.ts';

class FakeClocks implements Clocks {
  mono = 0;
  wall = Date.now();
  monotonicMs() { return this.mono; }
  wallMs() { return this.wall; }
  /** The machine is awake for ms, ticking every 5 s as the real timer would. */
  awake(ms: number, meter: AwakeMeter) {
    for (let t = 0; t < ms; t += 5000) {
      const step = Math.min(5000, ms - t);
      this.mono += step;
      this.wall += step;
      meter.tick();
    }
  }
}

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function storedSeconds(c: { storage: TestCollector['storage'] }): Promise<number> {
  const page = await c.storage.adminRead.usageForDays(0, 1e6, { after: null, limit: 100 });
  return page.items.reduce((s, d) => s + d.awakeSeconds, 0);
}

describe('AgentRuntime', () => {
  it('delivers every awake second exactly once across a collector outage and restart', async () => {
    const collector = await startTestCollector();
    let restarted: Awaited<ReturnType<typeof startCollector>> | null = null;
    cleanups.push(() => collector.dispose());
    const { token } = await collector.enrolmentToken('Acme');
    const stateDir = mkdtempSync(join(tmpdir(), 'tally-runtime-'));
    cleanups.push(() => rmSync(stateDir, { recursive: true, force: true }));

    const clocks = new FakeClocks();
    const meter = new AwakeMeter({ clocks, bootId: 'boot-a' });
    mkdirSync(join(stateDir, 'outbox'));
    const outbox = Outbox.open(join(stateDir, 'outbox'));
    const runtime = new AgentRuntime({
      stateDir, collectorUrl: new URL(collector.wsUrl), enrolmentToken: token, usageIntervalMs: 3_600_000,
      agentVersion: 'test', instanceId: 'inst-1', facts: () => ({ hostname: 'pc-1' }), meter, outbox, logger: silentLogger,
      connection: { backoff: { initialMs: 20, maxMs: 200 } },
    });
    runtime.start();
    cleanups.push(() => runtime.stop(100));
    await pollUntil(async () => loadCredentials(stateDir), 5000, 'enrolment');

    clocks.awake(60_000, meter);
    runtime.cutUsage();
    expect(await runtime.waitIdle(5000)).toBe(true);
    expect(await storedSeconds(collector)).toBe(60);

    // The collector goes away; the agent keeps metering into its outbox.
    await collector.stop();
    for (let i = 0; i < 5; i++) {
      clocks.awake(30_000, meter);
      runtime.cutUsage();
    }
    expect(outbox.stats().records).toBeGreaterThan(0);

    // Same database, same port: the agent reconnects with its key and resends.
    restarted = await startCollector({ storage: collector.storage, logger: silentLogger, host: '127.0.0.1', port: collector.port });
    cleanups.push(() => restarted!.stop());
    expect(await runtime.waitIdle(10_000)).toBe(true);
    expect(await storedSeconds(collector)).toBe(60 + 150);
    const devices = await collector.storage.adminRead.listDevices({ after: null, limit: 10 });
    expect(devices.items).toHaveLength(1);
  }, 30_000);

  it('enrols again when the collector no longer knows its key', async () => {
    const first = await startTestCollector();
    cleanups.push(() => first.dispose());
    const { token } = await first.enrolmentToken('Acme');
    const stateDir = mkdtempSync(join(tmpdir(), 'tally-runtime-'));
    cleanups.push(() => rmSync(stateDir, { recursive: true, force: true }));
    const clocks = new FakeClocks();
    const meter = new AwakeMeter({ clocks, bootId: 'b' });
    mkdirSync(join(stateDir, 'outbox'));
    const runtime = new AgentRuntime({
      stateDir, collectorUrl: new URL(first.wsUrl), enrolmentToken: token, usageIntervalMs: 3_600_000,
      agentVersion: 'test', instanceId: 'inst-2', facts: () => null, meter, outbox: Outbox.open(join(stateDir, 'outbox')), logger: silentLogger,
      connection: { backoff: { initialMs: 20, maxMs: 200 } },
    });
    runtime.start();
    cleanups.push(() => runtime.stop(100));
    const firstId = (await pollUntil(async () => loadCredentials(stateDir), 5000, 'enrolment')).deviceId;

    // Swap the database under the same port and token: the old key is unknown there.
    await first.stop();
    const dir = mkdtempSync(join(tmpdir(), 'tally-db2-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const storage = openSqliteStorage({ path: join(dir, 'db'), nowMs: Date.now() });
    cleanups.push(() => storage.close());
    const company = await seedCustomer(storage, 'Acme', Date.now());
    const { hashSecret } = await import('../../collector/src/auth/secrets.ts');
    await storage.adminWrite.createEnrolmentToken({ id: 't', companyId: company.id, tokenHash: hashSecret(token), expiresAtMs: null, nowMs: Date.now() });
    const second = await startCollector({ storage, logger: silentLogger, host: '127.0.0.1', port: first.port });
    cleanups.push(() => second.stop());
    const secondId = (await pollUntil(async () => {
      const c = loadCredentials(stateDir);
      return c && c.deviceId !== firstId ? c : null;
    }, 10_000, 're-enrolment')).deviceId;
    expect(secondId).not.toBe(firstId);
  }, 30_000);

  it('loses and doubles nothing when connections are cut in the middle of frames, or the collector is down for days', async () => {
    const collector = await startTestCollector();
    cleanups.push(() => collector.dispose());
    const proxy = await startCuttingProxy(collector.port);
    cleanups.push(() => proxy.close());
    const { token } = await collector.enrolmentToken('Acme');
    const stateDir = mkdtempSync(join(tmpdir(), 'tally-runtime-'));
    cleanups.push(() => rmSync(stateDir, { recursive: true, force: true }));
    mkdirSync(join(stateDir, 'outbox'));
    const clocks = new FakeClocks();
    // Start five days back, so three metered days never run into the future (the collector refuses future days).
    clocks.wall -= 5 * 86_400_000;
    const meter = new AwakeMeter({ clocks, bootId: 'boot-c' });
    // A small cap, so the outage below forces the outbox to fold records.
    const outbox = Outbox.open(join(stateDir, 'outbox'), { maxRecords: 8 });
    const runtime = new AgentRuntime({
      stateDir, collectorUrl: new URL(`ws://127.0.0.1:${proxy.port}${AGENT_WS_PATH}`), enrolmentToken: token, usageIntervalMs: 3_600_000,
      agentVersion: 'test', instanceId: 'inst-3', facts: () => null, meter, outbox, logger: silentLogger, batchSize: 3,
      connection: { backoff: { initialMs: 20, maxMs: 100 } },
    });
    runtime.start();
    cleanups.push(() => runtime.stop(100));
    await pollUntil(async () => loadCredentials(stateDir), 5000, 'enrolment');

    // Ten rounds: meter a minute, then cut the connection in the middle of the frame that carries it.
    for (let round = 0; round < 10; round++) {
      clocks.awake(60_000, meter);
      proxy.cutNextChunk();
      runtime.cutUsage();
      await new Promise((r) => setTimeout(r, 60));
    }
    expect(proxy.cuts).toBeGreaterThanOrEqual(5);
    expect(await runtime.waitIdle(10_000)).toBe(true);
    expect(await storedSeconds(collector)).toBe(600);

    // Three days down: hourly cuts into the outbox, which folds them per day.
    await collector.stop();
    for (let hour = 0; hour < 72; hour++) {
      clocks.awake(3_600_000, meter);
      runtime.cutUsage();
    }
    expect(outbox.stats().records).toBeLessThanOrEqual(8);
    const restarted = await startCollector({ storage: collector.storage, logger: silentLogger, host: '127.0.0.1', port: collector.port });
    cleanups.push(() => restarted.stop());
    expect(await runtime.waitIdle(15_000)).toBe(true);
    expect(await storedSeconds(collector)).toBe(600 + 72 * 3600);
    expect(runtime.meteredSeconds).toBe(600 + 72 * 3600);
  }, 40_000);
});
