// The collector's HTTP surface as a Hono app: health, metrics, admin API.
// The agent WebSocket is attached to the Node server next to it (server.ts).
import { Hono } from 'hono';
import type { Logger } from '../../common/log.ts';
import type { Metrics } from './metrics.ts';
import type { Storage } from './storage/types.ts';
import { StorageError } from './storage/types.ts';
import { apiRoutes } from './api/routes.ts';
import { jsonRpcRoutes } from './api/jsonrpc.ts';
import { consoleRoutes } from './console/routes.tsx';
import { ApiError, apiError } from './api/errors.ts';
import type { UsageService } from './usage/service.ts';
import type { ReportJobs } from './reporting/jobs.ts';

export interface AppDeps {
  storage: Storage;
  logger: Logger;
  metrics: Metrics;
  usage: UsageService;
  reports: ReportJobs;
  now: () => number;
}

export function createApp({ storage, logger, metrics, usage, reports, now }: AppDeps): Hono {
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
    c.header('Content-Type', metrics.registry.contentType);
    return c.body(await metrics.registry.metrics());
  });

  app.route('/api/v1', apiRoutes(storage, usage, reports, now));
  app.route('/api/v1.0/jsonrpc', jsonRpcRoutes({ storage, usage, reports, now }));
  app.route('/console', consoleRoutes({ storage, usage, now, logger }));

  app.notFound((c) => apiError(c, 404, 'not_found', `no route for ${c.req.method} ${c.req.path}`));
  app.onError((err, c) => {
    if (err instanceof ApiError) return apiError(c, err.status, err.code, err.message);
    if (err instanceof StorageError && err.code === 'not_found') return apiError(c, 404, 'not_found', err.message);
    if (err instanceof StorageError && err.code === 'conflict') return apiError(c, 409, 'conflict', err.message);
    if (err instanceof StorageError && err.code === 'storage_unavailable') {
      logger.error('storage unavailable', { err, path: c.req.path });
      return apiError(c, 503, 'storage_unavailable', 'the collector cannot reach its database; retry later');
    }
    logger.error('request failed', { err, path: c.req.path });
    return apiError(c, 500, 'internal', 'internal error');
  });
  return app;
}
