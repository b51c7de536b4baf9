// Webhook delivery through the outbox against the bare signed POSTs, in the
// same run: N events published to a SQLite outbox, fanned out to one endpoint
// and delivered by the worker to a receiver on loopback; the baseline sends
// the same N signed POSTs, as many at once, with no storage at all.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '../common/log.ts';
import { WebhookWorker, sendSigned } from '../collector/src/hooks/delivery.ts';
import { publishEvent } from '../collector/src/hooks/events.ts';
import { openSqliteStorage } from '../collector/src/storage/sqlite/index.ts';
import { OutboundPolicy } from '../collector/src/outbound.ts';
import type { Figure } from './lib.ts';

const CONCURRENCY = 16;
// The receiver is on loopback, which the collector refuses by default (outbound.ts).
const LOOPBACK = new OutboundPolicy(['127.0.0.0/8']);

export async function webhooksBench(o: { events: number }): Promise<Figure[]> {
  let received = 0;
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      received++;
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  const dir = mkdtempSync(join(tmpdir(), 'tally-bench-hooks-'));
  const storage = openSqliteStorage({ path: join(dir, 'tally.db'), nowMs: Date.now() });
  const secret = `whsec_${Buffer.alloc(32, 3).toString('base64')}`;
  try {
    const event = { id: 'msg_bench', type: 'device.enrolled', companyId: null, data: { deviceId: 'd' }, atMs: Date.now(), dispatchedAtMs: null };
    let t = performance.now();
    const queue = Array.from({ length: o.events }, (_, i) => i);
    await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
      while (queue.shift() !== undefined) await sendSigned({ url, secret, event }, 10_000, LOOPBACK);
    }));
    const baselineS = (performance.now() - t) / 1000;

    await storage.hooks.createEndpoint({ id: 'ep', companyId: null, url, description: '', eventTypes: [], disabledAtMs: null, createdAtMs: 0, updatedAtMs: 0, createdBy: 'bench', secret });
    t = performance.now();
    for (let i = 0; i < o.events; i++) await publishEvent(storage.hooks, { type: 'device.enrolled', companyId: null, data: { deviceId: `d${i}` } }, Date.now());
    const publishS = (performance.now() - t) / 1000;
    const worker = new WebhookWorker({ outbound: LOOPBACK, hooks: storage.hooks, adminRead: storage.adminRead, logger: silentLogger, now: Date.now, perEndpoint: 100, concurrency: CONCURRENCY });
    received = 0;
    t = performance.now();
    for (let pass = 0; pass < 10 * o.events && received < o.events; pass++) await worker.runOnce();
    const outboxS = (performance.now() - t) / 1000;
    if (received < o.events) throw new Error(`only ${received} of ${o.events} webhooks arrived`);
    const rate = (s: number) => o.events / s;
    return [
      { bench: 'webhooks', name: `${o.events} events delivered through the outbox (SQLite)`, value: rate(outboxS), unit: 'deliveries/s', baseline: rate(baselineS), ratio: rate(outboxS) / rate(baselineS), note: `baseline: the same signed POSTs, ${CONCURRENCY} at once, no storage` },
      { bench: 'webhooks', name: 'events published to the outbox, one commit each (SQLite)', value: rate(publishS), unit: 'events/s' },
    ];
  } finally {
    await storage.close();
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
    rmSync(dir, { recursive: true, force: true });
  }
}
