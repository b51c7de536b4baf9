// The collector's HTTP surface as a Hono app: health, metrics, the admin API,
// the partner JSON-RPC API and the console. The agent WebSocket is attached
// to the Node server next to it (server.ts). Every error answers from the one
// error table (errors.ts).
import { Hono } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { Logger } from '../../common/log.ts';
import type { Metrics } from './metrics.ts';
import type { Storage } from './storage/types.ts';
import { apiRoutes } from './api/routes.ts';
import { jsonRpcRoutes } from './api/jsonrpc.ts';
import { consoleRoutes } from './console/routes.tsx';
import type { CommandServices } from './admin/index.ts';
import { psaSyncStatus } from './psa/views.ts';
import { TallyError, isUnexpected, restErrorBody, toTallyError } from './errors.ts';
import type { MonthReader } from './usage/index.ts';
import type { ReportJobs } from './report-jobs/jobs.ts';
import { agentReleaseRoutes } from './releases/agent-routes.ts';

export interface AppDeps {
  storage: Storage;
  logger: Logger;
  metrics: Metrics;
  reader: MonthReader;
  jobs: ReportJobs;
  commands: CommandServices;
  now: () => number;
  /** The base of every link handed out (public-url.ts); never the request's Host. */
  publicUrl: () => string;
}

export function createApp({ storage, logger, metrics, reader, jobs, commands, now, publicUrl }: AppDeps): Hono {
  const app = new Hono();

  app.use('*', async (c, next) => {
    await next();
    // Route pattern, not the raw path: keeps metric cardinality bounded.
    metrics.httpRequests.inc({ route: c.req.routePath ?? 'unmatched', status: String(c.res.status) });
  });

  app.get('/healthz', async (c) => {
    try {
      await storage.ping();
      return c.json({ status: 'ok', storage: storage.kind });
    } catch {
      return c.json({ status: 'unavailable', storage: storage.kind }, 503);
    }
  });

  app.get('/metrics', async (c) => {
    try {
      const depth = await storage.reports.queueDepth(now());
      metrics.reportQueue.set({ state: 'waiting' }, depth.waiting);
      metrics.reportQueue.set({ state: 'running' }, depth.running);
    } catch {
      // The database is down: /metrics still answers (storage errors are counted elsewhere).
    }
    c.header('Content-Type', metrics.registry.contentType);
    return c.body(await metrics.registry.metrics());
  });

  app.route('/api/v1', apiRoutes({ storage, reader, jobs, commands, now, publicUrl }));
  app.route('/agent/v1', agentReleaseRoutes({ storage, artifacts: commands.releaseArtifacts, metrics, now }));
  app.route('/api/v1.0/jsonrpc', jsonRpcRoutes({ storage, reader, commands, now, publicUrl }));
  app.route('/console', consoleRoutes({ storage, reader, commands, now, logger, publicUrl, sync: psaSyncStatus(storage.psa) }));
  // A browser pointed at the collector lands in the console; it asks for /favicon.ico on every page.
  app.get('/', (c) => c.redirect('/console/overview', 303));
  app.get('/favicon.ico', (c) => c.redirect('/console/assets/favicon.svg', 301));

  app.notFound((c) => c.json(restErrorBody(new TallyError('not_found', `no route for ${c.req.method} ${c.req.path}`)), 404));
  app.onError((err, c) => {
    const e = toTallyError(err);
    if (isUnexpected(e)) logger.error(e.code === 'storage_unavailable' ? 'storage unavailable' : 'request failed', { err, path: c.req.path });
    return c.json(restErrorBody(e), e.http as ContentfulStatusCode);
  });
  return app;
}
