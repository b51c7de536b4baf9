// Starts a collector: storage, Hono app on @hono/node-server, agent sockets.
import { createAdaptorServer } from '@hono/node-server';
import type { Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../../common/log.ts';
import { createApp } from './app.ts';
import { attachAgentSockets, type AgentSocketOptions } from './ingest/socket.ts';
import { IngestBatcher } from './ingest/batcher.ts';
import { latePolicyAt } from './ingest/late-policy.ts';
import { createMetrics } from './metrics.ts';
import type { Storage } from './storage/types.ts';
import { UsageService } from './usage/service.ts';
import { startBillingScheduler } from './usage/scheduler.ts';

export interface CollectorOptions {
  storage: Storage;
  logger: Logger;
  host: string;
  port: number;
  now?: () => number;
  sockets?: Pick<AgentSocketOptions, 'pingIntervalMs' | 'helloTimeoutMs' | 'maxQueuedFrames' | 'limits'>;
  /** Group commit: how long the first usage frame of a batch waits for others (default 10 ms). */
  ingestFlushMs?: number;
  /** Serve HTTPS and WSS with this certificate and key (PEM). */
  tls?: { cert: Buffer; key: Buffer };
  /** Grace window for late data after a month ends (default 72 h). */
  graceHours?: number;
  /** How often month finalization and late-data adjustments run; 0 disables the schedule (tests, or a dedicated instance). */
  billingIntervalMs?: number;
}

export interface RunningCollector {
  port: number;
  url: string;
  usage: UsageService;
  stop(): Promise<void>;
}

export async function startCollector(opts: CollectorOptions): Promise<RunningCollector> {
  const metrics = createMetrics();
  const now = opts.now ?? Date.now;
  const usage = new UsageService({ storage: opts.storage, now, logger: opts.logger, graceHours: opts.graceHours ?? 72 });
  const app = createApp({ storage: opts.storage, logger: opts.logger, metrics, usage, now });
  const server = (opts.tls
    ? createAdaptorServer({ fetch: app.fetch, createServer: createHttpsServer, serverOptions: { cert: opts.tls.cert, key: opts.tls.key } })
    : createAdaptorServer({ fetch: app.fetch })) as Server;
  // Slow HTTP clients are cut off instead of holding sockets forever.
  server.requestTimeout = 60_000;
  server.headersTimeout = 20_000;
  const batcher = new IngestBatcher({ storage: opts.storage, now, latePolicy: latePolicyAt, maxDelayMs: opts.ingestFlushMs });
  const sockets = attachAgentSockets(server, { storage: opts.storage, batcher, logger: opts.logger, metrics, now, ...opts.sockets });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const billingInterval = opts.billingIntervalMs ?? 3_600_000;
  const scheduler = billingInterval > 0 ? startBillingScheduler(usage, opts.logger, billingInterval) : null;
  const hostForUrl = opts.host.includes(':') ? `[${opts.host}]` : opts.host;
  opts.logger.info('collector listening', { host: opts.host, port, storage: opts.storage.kind });
  return {
    port,
    url: `${opts.tls ? 'https' : 'http'}://${hostForUrl}:${port}`,
    usage,
    stop: async () => {
      scheduler?.stop();
      await sockets.close();
      await batcher.drain();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections?.();
      });
    },
  };
}
