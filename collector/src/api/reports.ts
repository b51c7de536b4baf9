// Monthly License Usage reports over HTTP: streamed on request, or generated
// as a job kept for download, and schedules. Options are validated by the
// reports module with stable codes; the target company must be in scope.
import { Hono } from 'hono';
import { existsSync } from 'node:fs';
import { Readable, PassThrough } from 'node:stream';
import { z } from 'zod';
import { REPORT_CONTENT_TYPES, REPORT_FILE_EXTENSIONS, writeReport, type RawReportOptions } from '../reports/index.ts';
import type { ReportJobs } from '../report-jobs/jobs.ts';
import { COMMANDS, checkedReportRequest, type CommandServices } from '../admin/index.ts';
import type { Scope } from '../auth/scope.ts';
import { TallyError } from '../errors.ts';
import type { ReportJob, ReportStore } from '../storage/types.ts';
import { iso } from './serialize.ts';
import { publicLink } from '../public-url.ts';
import { commandRoute, read, type ApiEnv } from './http.ts';

export const ReportQuery = z.object({
  companyId: z.string(),
  month: z.string(),
  format: z.enum(['csv', 'xlsx', 'pdf', 'psa']),
  productType: z.enum(['endpoint_security', 'edr']).optional(),
  onlyEndpointDetails: z.enum(['true', 'false']).optional(),
  onlyDirectCompanies: z.enum(['true', 'false']).optional(),
  /** CSV only: Uptime in hours ("Uptime (hours)") instead of GravityZone's seconds. */
  uptimeHours: z.enum(['true', 'false']).optional(),
  registeredFrom: z.string().optional(),
  registeredTo: z.string().optional(),
});

/** A job as the API shows it; downloadUrl is absolute, under the configured public URL (never the request's Host). */
export const jobJson = (j: ReportJob, publicUrl: string) => ({
  id: j.id, companyId: j.companyId, name: j.name, month: j.month, format: j.format, status: j.status, error: j.error,
  sizeBytes: j.sizeBytes, createdAt: iso(j.createdAtMs), finishedAt: iso(j.finishedAtMs),
  // A pending job a collector is working on: running; one waiting for its turn (or a retry): queued.
  state: j.status !== 'pending' ? j.status : j.leaseUntilMs !== null ? 'running' : 'queued', attempts: j.attempts,
  downloadUrl: j.status === 'ready' ? publicLink(publicUrl, `/api/v1/reports/${j.id}/download`) : null,
});

/** A job the principal may see; not_found otherwise, exactly as for an unknown id. */
export async function visibleJob(reports: Pick<ReportStore, 'getJob'>, scope: Scope, id: string): Promise<ReportJob> {
  const job = await reports.getJob(id);
  if (!job || !scope.canSee(job.companyId)) throw new TallyError('not_found', `report ${id} does not exist`, { field: 'reportId' });
  return job;
}

export function reportRoutes(reports: Pick<ReportStore, 'getJob' | 'listJobs' | 'listSchedules'>, jobs: ReportJobs, commands: CommandServices, publicUrl: () => string) {
  const api = new Hono<ApiEnv>();

  api.get('/reports/monthly-license-usage', read('read', async (c) => {
    const raw = c.req.query() as Record<string, string>;
    const checked = checkedReportRequest(c.get('principal').scope, raw as RawReportOptions, raw.format);
    const input = await jobs.load(checked.options, checked.format);
    const out = new PassThrough();
    // Streams as it is written: a report of 100,000 endpoints never sits whole in memory.
    writeReport(checked.format, input, checked.options, out).catch((err) => out.destroy(err as Error));
    const fileName = `monthly-license-usage-${checked.options.month}.${REPORT_FILE_EXTENSIONS[checked.format]}`;
    return new Response(Readable.toWeb(out) as ReadableStream, {
      headers: { 'content-type': REPORT_CONTENT_TYPES[checked.format], 'content-disposition': `attachment; filename="${fileName}"` },
    });
  }));

  // Answers with the job as it stands once recorded (the file follows in the background).
  api.post('/reports', commandRoute(COMMANDS.createReport, commands, { status: 202, render: async ({ id }) => jobJson((await reports.getJob(id))!, publicUrl()) }));

  api.get('/reports', read('read', async (c) => c.json({ reports: (await reports.listJobs(c.get('principal').scope.companyIds(), 200))
    .map((j) => jobJson(j, publicUrl())) })));
  api.get('/reports/:id', read('read', async (c) => c.json(jobJson(await visibleJob(reports, c.get('principal').scope, c.req.param('id')!), publicUrl()))));

  api.get('/reports/:id/download', read('read', async (c) => {
    const job = await visibleJob(reports, c.get('principal').scope, c.req.param('id')!);
    if (job.status !== 'ready') throw new TallyError('conflict', `report ${job.id} is ${job.status}${job.error ? `: ${job.error}` : ''}`);
    // Made by another collector whose reports directory this one does not share (README "Several collectors"), or removed by hand.
    if (!existsSync(jobs.filePath(job))) throw new TallyError('not_found', `the file of report ${job.id} is not in this collector's reports directory`, { field: 'reportId' });
    const format = job.format as keyof typeof REPORT_CONTENT_TYPES;
    return new Response(Readable.toWeb(jobs.open(job)) as ReadableStream, {
      headers: {
        'content-type': REPORT_CONTENT_TYPES[format], 'content-length': String(job.sizeBytes),
        'content-disposition': `attachment; filename="${job.name.replace(/[^\w.-]+/g, '_')}-${job.month}.${REPORT_FILE_EXTENSIONS[format]}"`,
      },
    });
  }));

  api.get('/report-schedules', read('read', async (c) => c.json({ schedules: await reports.listSchedules(c.get('principal').scope.companyIds()) })));
  api.post('/report-schedules', commandRoute(COMMANDS.createReportSchedule, commands, { status: 201 }));
  api.delete('/report-schedules/:id', commandRoute(COMMANDS.deleteReportSchedule, commands, { target: (c) => ({ scheduleId: c.req.param('id') }), status: 204 }));
  return api;
}
