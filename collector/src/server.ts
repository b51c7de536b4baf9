// Starts a collector: storage, Hono app on @hono/node-server, agent sockets.
import { createAdaptorServer } from '@hono/node-server';
import type { Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { KeyObject } from 'node:crypto';
import { ReleaseArtifacts } from './releases/artifacts.ts';
import type { Logger } from '../../common/log.ts';
import { createApp } from './app.ts';
import { ConsoleSessions } from './auth/sessions.ts';
import { attachAgentSockets, type AgentSocketOptions } from './ingest/socket.ts';
import { IngestBatcher } from './ingest/batcher.ts';
import { HelloBatcher } from './ingest/hello-batcher.ts';
import { HelloReads } from './ingest/hello-reads.ts';
import { startEventRetention } from './ingest/retention.ts';
import { latePolicyAt } from './ingest/late-policy.ts';
import { createMetrics } from './metrics.ts';
import type { Storage } from './storage/types.ts';
import { monthServices, startMonthClosingSchedule, type MonthCloser, type MonthReader } from './usage/index.ts';
import { ReportJobs, type QueueSettings } from './report-jobs/jobs.ts';
import { defaultPublicUrl } from './public-url.ts';
import { smtpMailer } from './report-jobs/mailer.ts';
import { runDueSchedules } from './report-jobs/schedules.ts';
import type { CommandServices } from './admin/index.ts';
import { WebhookWorker } from './hooks/delivery.ts';
import { AlertEvaluator } from './hooks/alerts.ts';
import { publishPsaSyncFailed } from './hooks/events.ts';
import { connectorFactory } from './psa/connectors.ts';
import { PUBLIC_INTERNET_ONLY, type OutboundPolicy } from './outbound.ts';
import type { PsaHttpOptions } from './psa/http.ts';
import { startPsaSchedule } from './psa/schedule.ts';
import type { PsaKey } from './psa/secrets.ts';

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
  /** The report queue: workers, per-tenant limits, lease, attempts, retention (report-jobs/jobs.ts DEFAULT_QUEUE_SETTINGS). */
  reportQueue?: Partial<QueueSettings>;
  /** Base of every link the collector hands out (public-url.ts); default: the listen address. Never the request's Host. */
  publicUrl?: string;
  /** How often report schedules are checked; 0 disables them on this instance. */
  reportScheduleIntervalMs?: number;
  /** Grace window for late data after a month ends (default 72 h). */
  graceHours?: number;
  /** How often month finalization and late-data adjustments run; 0 disables the schedule (tests, or a dedicated instance). */
  billingIntervalMs?: number;
  /** Outbound webhooks: how often the worker runs, a receiver's timeout, attempts per delivery, the first retry's wait (doubled each time) and the longest. */
  webhooks?: { intervalMs?: number; timeoutMs?: number; maxAttempts?: number; backoffBaseMs?: number; backoffMaxMs?: number };
  /** How often alert rules are evaluated (default 60 s); 0 disables them on this instance. */
  alertIntervalMs?: number;
  /** Where agent release artifacts are kept (default ./data/releases). */
  releasesDir?: string;
  /** The release public keys a published release must be signed with; none: publishing is refused. */
  releaseKeys?: readonly KeyObject[];
  /** The key PSA credentials are encrypted under (TALLY_PSA_KEY / psaKeyFile); null: PSA sync cannot be set up or run. */
  psaKey?: PsaKey | null;
  /** HTTP settings of the PSA connectors (retries, backoff; tests shorten them). */
  psaHttp?: Partial<PsaHttpOptions>;
  /**
   * Which addresses webhook receivers, PSA APIs and identity providers may
   * have: public internet addresses, plus the networks the operator allows
   * (--outbound-allow). Default: public only.
   */
  outbound?: OutboundPolicy;
  /** How often due PSA syncs are looked for (each connection has its own period); 0 disables the schedule. Default 15 min. */
  psaScheduleIntervalMs?: number;
  /** Months device events are kept (default 13); billing rows are never purged. */
  eventRetentionMonths?: number;
  /** How often expired events are purged (default hourly); 0 disables the purge on this instance. */
  eventRetentionIntervalMs?: number;
}

export interface RunningCollector {
  port: number;
  url: string;
  /** The base of the links it hands out. */
  publicUrl: string;
  reader: MonthReader;
  closer: MonthCloser;
  jobs: ReportJobs;
  webhooks: WebhookWorker;
  alerts: AlertEvaluator;
  stop(): Promise<void>;
}

export async function startCollector(opts: CollectorOptions): Promise<RunningCollector> {
  const metrics = createMetrics();
  const now = opts.now ?? Date.now;
  const { reader, closer } = monthServices({ billing: opts.storage.billing, now, logger: opts.logger, graceHours: opts.graceHours ?? 72, events: opts.storage.hooks, metrics });
  // The public URL names the port, which is known before listening unless it is 0 (tests): then it is set after.
  const links = { publicUrl: opts.publicUrl ?? '' };
  const mailer = opts.smtp ? smtpMailer(opts.smtp.url, opts.smtp.from) : null;
  const outbound = opts.outbound ?? PUBLIC_INTERNET_ONLY;
  const webhooks = new WebhookWorker({ hooks: opts.storage.hooks, adminRead: opts.storage.adminRead, logger: opts.logger, metrics, now, outbound, ...opts.webhooks });
  const alerts = new AlertEvaluator({
    hooks: opts.storage.hooks, adminRead: opts.storage.adminRead, reader, mailer, logger: opts.logger, metrics, now, intervalMs: opts.alertIntervalMs || 60_000,
  });
  const jobs = new ReportJobs({
    reports: opts.storage.reports, source: { adminRead: opts.storage.adminRead, reader }, now, logger: opts.logger, dir: opts.reportsDir ?? './data/reports',
    queue: opts.reportQueue, mailer, metrics,
    get publicUrl() { return links.publicUrl; },
  });
  const psaConnectors = connectorFactory({
    outbound,
    ...opts.psaHttp,
    onRetry: ({ status }) => metrics.psaRetries.inc({ status: status === null ? 'network' : String(status) }),
  });
  const commands: CommandServices = {
    storage: opts.storage, now, logger: opts.logger, closer, reports: jobs, webhooks, outbound,
    releaseKeys: opts.releaseKeys, releaseArtifacts: new ReleaseArtifacts(opts.releasesDir ?? './data/releases'),
    psa: { key: opts.psaKey ?? null, reader, connectors: psaConnectors, logger: opts.logger, onPush: (kind, outcome) => metrics.psaPushes.inc({ kind, outcome }),
      onSyncFailed: ({ kind, month, code, message, written }) => {
        metrics.psaSyncFailures.inc({ kind, code });
        // Subscribers hear of it too (webhook psa.sync_failed); a failed publish must not hide the sync's own error.
        void publishPsaSyncFailed(opts.storage.hooks, { companyId: null, connector: kind, month, code, error: message, pushedLines: written }, now())
          .catch((err) => opts.logger.warn('could not publish psa.sync_failed', { err }));
      } },
  };
  const app = createApp({ storage: opts.storage, logger: opts.logger, metrics, reader, jobs, commands, now, publicUrl: () => links.publicUrl });
  const server = (opts.tls
    ? createAdaptorServer({ fetch: app.fetch, createServer: createHttpsServer, serverOptions: { cert: opts.tls.cert, key: opts.tls.key } })
    : createAdaptorServer({ fetch: app.fetch })) as Server;
  // Slow HTTP clients are cut off instead of holding sockets forever.
  server.requestTimeout = 60_000;
  server.headersTimeout = 20_000;
  const batcher = new IngestBatcher({ storage: opts.storage, now, latePolicy: latePolicyAt, maxDelayMs: opts.ingestFlushMs, maxConcurrent: opts.ingestCommits, metrics });
  const hellos = new HelloBatcher({ storage: opts.storage, maxConcurrent: opts.ingestCommits, metrics });
  const reads = new HelloReads({ storage: opts.storage });
  const sockets = attachAgentSockets(server, { storage: opts.storage, batcher, hellos, reads, logger: opts.logger, metrics, now, ...opts.sockets });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  if (!opts.publicUrl) {
    links.publicUrl = defaultPublicUrl({ tls: opts.tls !== undefined, host: opts.host, port });
    opts.logger.info('no public URL configured (--public-url): links the collector hands out use the listen address', { publicUrl: links.publicUrl });
  }
  jobs.start();
  const retentionInterval = opts.eventRetentionIntervalMs ?? 3_600_000;
  const retention = retentionInterval > 0
    ? startEventRetention({ storage: opts.storage, months: opts.eventRetentionMonths ?? 13, now, logger: opts.logger, metrics, intervalMs: retentionInterval })
    : null;
  const billingInterval = opts.billingIntervalMs ?? 3_600_000;
  const scheduler = billingInterval > 0 ? startMonthClosingSchedule(closer, opts.logger, billingInterval) : null;
  const scheduleRunner = { reports: opts.storage.reports, jobs, logger: opts.logger };
  const scheduleInterval = opts.reportScheduleIntervalMs ?? 60_000;
  const scheduleTimer = scheduleInterval > 0
    ? setInterval(() => void runDueSchedules(scheduleRunner, now()).catch((err) => opts.logger.error('report schedules failed', { err })), scheduleInterval)
    : null;
  scheduleTimer?.unref();
  const psaInterval = opts.psaScheduleIntervalMs ?? 15 * 60_000;
  const psaSchedule = psaInterval > 0 ? startPsaSchedule(commands, opts.logger, psaInterval) : null;
  // Expired console sessions are refused when used; this deletes the ones nobody comes back with.
  const sessionSweeper = new ConsoleSessions(opts.storage.sessions, now);
  const sweepTimer = setInterval(() => void sessionSweeper.sweep().catch((err) => opts.logger.warn('console session sweep failed', { err })), 15 * 60_000);
  sweepTimer.unref();
  webhooks.start();
  if (opts.alertIntervalMs !== 0) alerts.start();
  const hostForUrl = opts.host.includes(':') ? `[${opts.host}]` : opts.host;
  opts.logger.info('collector listening', { host: opts.host, port, storage: opts.storage.kind });
  return {
    port,
    url: `${opts.tls ? 'https' : 'http'}://${hostForUrl}:${port}`,
    publicUrl: links.publicUrl,
    reader,
    closer,
    jobs,
    webhooks,
    alerts,
    stop: async () => {
      await webhooks.stop();
      await alerts.stop();
      scheduler?.stop();
      psaSchedule?.stop();
      await retention?.stop();
      if (scheduleTimer) clearInterval(scheduleTimer);
      clearInterval(sweepTimer);
      await jobs.stop();
      await sockets.close();
      await Promise.all([batcher.drain(), hellos.drain()]);
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections?.();
      });
    },
  };
}
