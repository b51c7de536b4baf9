// The admin routes the collector app declares, as "METHOD /path", for tests
// that must cover every route (scopes, OpenAPI).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../../collector/src/app.ts';
import { createMetrics } from '../../collector/src/metrics.ts';
import { ReportJobs } from '../../collector/src/reporting/jobs.ts';
import type { Storage } from '../../collector/src/storage/types.ts';
import { UsageService } from '../../collector/src/usage/service.ts';
import { silentLogger } from '../../common/log.ts';

export function declaredApiRoutes(storage: Storage): { method: string; path: string }[] {
  const usage = new UsageService({ storage, now: Date.now, logger: silentLogger, graceHours: 72 });
  const reports = new ReportJobs({ storage, usage, now: Date.now, logger: silentLogger, dir: mkdtempSync(join(tmpdir(), 'tally-routes-')) });
  const app = createApp({ storage, logger: silentLogger, metrics: createMetrics(), now: Date.now, usage, reports });
  return app.routes.filter((r) => r.path.startsWith('/api/v1/') && r.method !== 'ALL').map((r) => ({ method: r.method, path: r.path }));
}
