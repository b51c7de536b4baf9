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
  return declaredRoutes(storage).filter((r) => r.path.startsWith('/api/v1/'));
}

/** The console's routes (pages, actions, sign-in), as "METHOD /console/...". */
export function declaredConsoleRoutes(storage: Storage): { method: string; path: string }[] {
  return declaredRoutes(storage).filter((r) => r.path.startsWith('/console'));
}

function declaredRoutes(storage: Storage): { method: string; path: string }[] {
  const { reader, closer } = monthServices({ billing: storage.billing, now: Date.now, logger: silentLogger, graceHours: 72 });
  const jobs = new ReportJobs({ reports: storage.reports, source: { adminRead: storage.adminRead, reader }, now: Date.now, logger: silentLogger, dir: mkdtempSync(join(tmpdir(), 'tally-routes-')) });
  const app = createApp({
    storage, logger: silentLogger, metrics: createMetrics(), now: Date.now, reader, jobs, publicUrl: () => 'http://127.0.0.1:8080',
    commands: { storage, now: Date.now, logger: silentLogger, closer, reports: jobs },
  });
  const seen = new Set<string>();
  return app.routes.filter((r) => r.method !== 'ALL').map((r) => ({ method: r.method, path: r.path.replace(/\/$/, '') || '/' }))
    .filter((r) => !seen.has(`${r.method} ${r.path}`) && seen.add(`${r.method} ${r.path}`));
}
