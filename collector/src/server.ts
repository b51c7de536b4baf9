// Starts a collector: storage, Hono app on @hono/node-server, agent sockets.
import { createAdaptorServer } from '@hono/node-server';
import type { Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../../common/log.ts';
import { createApp } from './app.ts';
import { ConsoleSessions } from './auth/sessions.ts';
import { attachAgentSockets, type AgentSocketOptions } from './ingest/socket.ts';
import { IngestBatcher } from './ingest/batcher.ts';
import { latePolicyAt } from './ingest/late-policy.ts';
import { createMetrics } from './metrics.ts';
import type { Storage } from './storage/types.ts';
import { monthServices, startMonthClosingSchedule, type MonthCloser, type MonthReader } from './usage/index.ts';
import { ReportJobs } from './report-jobs/jobs.ts';
import { smtpMailer } from './report-jobs/mailer.ts';
import { runDueSchedules } from './report-jobs/schedules.ts';
import type { CommandServices } from './admin/index.ts';

export interface CollectorOptions {
  storage: Storage;
  logger: Logger;
  host: string;
  port: number;
  now?: () => number;
  sockets?: Pick<AgentSocketOptions, 'pingIntervalMs' | 'helloTimeoutMs' | 'maxQueuedFrames' | 'limits'>;
  /** Group commit: how long the first usage frame of a batch waits for others (default 10 ms). */
  ingestFlushMs?: number;
  /** Group commits in flight at once (default: the store's `ingest.concurrentBatches`, else 1). */
  ingestCommits?: number;
  /** Serve HTTPS and WSS with this certificate and key (PEM). */
  tls?: { cert: Buffer; key: Buffer };
  /** Where generated report files are kept (default ./data/reports). */
  reportsDir?: string;
  /** SMTP for scheduled reports: smtp://user:pass@host:port, and the sender address. */
  smtp?: { url: string; from: string };
  /** How often report schedules are checked; 0 disables them on this instance. */
  reportScheduleIntervalMs?: number;
  /** Grace window for late data after a month ends (default 72 h). */
  graceHours?: number;
  /** How often month finalization and late-data adjustments run; 0 disables the schedule (tests, or a dedicated instance). */
  billingIntervalMs?: number;
}

export interface RunningCollector {
  port: number;
  url: string;
  reader: MonthReader;
  closer: MonthCloser;
  jobs: ReportJobs;
  stop(): Promise<void>;
}

export async function startCollector(opts: CollectorOptions): Promise<RunningCollector> {
  const metrics = createMetrics();
  const now = opts.now ?? Date.now;
  const { reader, closer } = monthServices({ billing: opts.storage.billing, now, logger: opts.logger, graceHours: opts.graceHours ?? 72, metrics });
  const jobs = new ReportJobs({
    reports: opts.storage.reports, source: { adminRead: opts.storage.adminRead, reader }, now, logger: opts.logger, dir: opts.reportsDir ?? './data/reports',
  });
  const commands: CommandServices = { storage: opts.storage, now, logger: opts.logger, closer, reports: jobs };
  const app = createApp({ storage: opts.storage, logger: opts.logger, metrics, reader, jobs, commands, now });
  const server = (opts.tls
    ? createAdaptorServer({ fetch: app.fetch, createServer: createHttpsServer, serverOptions: { cert: opts.tls.cert, key: opts.tls.key } })
    : createAdaptorServer({ fetch: app.fetch })) as Server;
  // Slow HTTP clients are cut off instead of holding sockets forever.
  server.requestTimeout = 60_000;
  server.headersTimeout = 20_000;
  const batcher = new IngestBatcher({ storage: opts.storage, now, latePolicy: latePolicyAt, maxDelayMs: opts.ingestFlushMs, maxConcurrent: opts.ingestCommits, metrics });
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
  const scheduler = billingInterval > 0 ? startMonthClosingSchedule(closer, opts.logger, billingInterval) : null;
  const scheduleRunner = { reports: opts.storage.reports, jobs, logger: opts.logger, mailer: opts.smtp ? smtpMailer(opts.smtp.url, opts.smtp.from) : null };
  const scheduleInterval = opts.reportScheduleIntervalMs ?? 60_000;
  const scheduleTimer = scheduleInterval > 0
    ? setInterval(() => void runDueSchedules(scheduleRunner, now()).catch((err) => opts.logger.error('report schedules failed', { err })), scheduleInterval)
    : null;
  scheduleTimer?.unref();
  // Expired console sessions are refused when used; this deletes the ones nobody comes back with.
  const sessionSweeper = new ConsoleSessions(opts.storage.sessions, now);
  const sweepTimer = setInterval(() => void sessionSweeper.sweep().catch((err) => opts.logger.warn('console session sweep failed', { err })), 15 * 60_000);
  sweepTimer.unref();
  const hostForUrl = opts.host.includes(':') ? `[${opts.host}]` : opts.host;
  opts.logger.info('collector listening', { host: opts.host, port, storage: opts.storage.kind });
  return {
    port,
    url: `${opts.tls ? 'https' : 'http'}://${hostForUrl}:${port}`,
    reader,
    closer,
    jobs,
    stop: async () => {
      scheduler?.stop();
      if (scheduleTimer) clearInterval(scheduleTimer);
      clearInterval(sweepTimer);
      await sockets.close();
      await batcher.drain();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections?.();
      });
    },
  };
}
