// The admin routes the collector app declares, as "METHOD /path", for tests
// that must cover every route (scopes, OpenAPI).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../../collector/src/app.ts';
import { createMetrics } from '../../collector/src/metrics.ts';
import { ReportJobs } from '../../collector/src/report-jobs/jobs.ts';
import type { Storage } from '../../collector/src/storage/types.ts';
import { monthServices } from '../../collector/src/usage/index.ts';
import { silentLogger } from '../../common/log.ts';

export function declaredApiRoutes(storage: Storage): { method: string; path: string }[] {
  const { reader, closer } = monthServices({ billing: storage.billing, now: Date.now, logger: silentLogger, graceHours: 72 });
  const jobs = new ReportJobs({ reports: storage.reports, source: { adminRead: storage.adminRead, reader }, now: Date.now, logger: silentLogger, dir: mkdtempSync(join(tmpdir(), 'tally-routes-')) });
  const app = createApp({
    storage, logger: silentLogger, metrics: createMetrics(), now: Date.now, reader, jobs,
    commands: { storage, now: Date.now, logger: silentLogger, closer, reports: jobs },
  });
  return app.routes.filter((r) => r.path.startsWith('/api/v1/') && r.method !== 'ALL').map((r) => ({ method: r.method, path: r.path }));
}
