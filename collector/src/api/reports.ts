// Monthly License Usage reports over HTTP: streamed on request, or generated
// as a job kept for download, and schedules. Options are validated by the
// reports module with stable codes; the target company must be in scope.
import { Hono } from 'hono';
import { Readable, PassThrough } from 'node:stream';
import { z } from 'zod';
import { REPORT_CONTENT_TYPES, REPORT_FILE_EXTENSIONS, writeReport, type RawReportOptions } from '../reports/index.ts';
import { ReportRequestError, type ReportJobs } from '../reporting/jobs.ts';
import type { ReportJob, Storage } from '../storage/types.ts';
import { ApiError } from './errors.ts';
import type { ApiEnv } from './routes.ts';
import type { Scope } from './scope.ts';
import { audited } from './audit.ts';
import { iso } from './serialize.ts';
import { jsonBody } from './validate.ts';
import { randomUUID } from 'node:crypto';

export const ReportQuery = z.object({
  companyId: z.string(),
  month: z.string(),
  format: z.enum(['csv', 'xlsx', 'pdf', 'psa']),
  productType: z.enum(['endpoint_security', 'edr']).optional(),
  onlyEndpointDetails: z.enum(['true', 'false']).optional(),
  onlyDirectCompanies: z.enum(['true', 'false']).optional(),
  registeredFrom: z.string().optional(),
  registeredTo: z.string().optional(),
});

const reportOptionFields = {
  companyId: z.string(),
  month: z.string(),
  productType: z.enum(['endpoint_security', 'edr']).optional(),
  onlyEndpointDetails: z.boolean().optional(),
  onlyDirectCompanies: z.boolean().optional(),
  registeredFrom: z.string().optional(),
  registeredTo: z.string().optional(),
};

export const CreateReportBody = z.object({
  name: z.string().trim().min(1).max(200).default('Monthly License Usage'),
  format: z.enum(['csv', 'xlsx', 'pdf', 'psa']),
  ...reportOptionFields,
}).strict();

export const CreateScheduleBody = z.object({
  name: z.string().trim().min(1).max(200).default('Monthly License Usage'),
  format: z.enum(['csv', 'xlsx', 'pdf', 'psa']),
  companyId: z.string(),
  productType: z.enum(['endpoint_security', 'edr']).default('endpoint_security'),
  onlyEndpointDetails: z.boolean().default(false),
  onlyDirectCompanies: z.boolean().default(false),
  dayOfMonth: z.number().int().min(1).max(28).default(1),
  hourUtc: z.number().int().min(0).max(23).default(6),
  emailTo: z.array(z.string().email()).max(20).default([]),
}).strict();

const jobJson = (j: ReportJob) => ({
  id: j.id, companyId: j.companyId, name: j.name, month: j.month, format: j.format, status: j.status, error: j.error,
  sizeBytes: j.sizeBytes, createdAt: iso(j.createdAtMs), finishedAt: iso(j.finishedAtMs),
  downloadUrl: j.status === 'ready' ? `/api/v1/reports/${j.id}/download` : null,
});

function requestError(err: unknown): never {
  if (err instanceof ReportRequestError) {
    const status = err.code === 'unknown_company' ? 404 : 400;
    throw new ApiError(status, status === 404 ? 'not_found' : 'invalid_request', `${err.field ? `${err.field}: ` : ''}${err.message} (${err.code})`);
  }
  throw err;
}

function targetInScope(scope: Scope, companyId: string): void {
  scope.company(companyId);
}

export function reportRoutes(storage: Storage, jobs: ReportJobs, now: () => number) {
  const api = new Hono<ApiEnv>();

  api.get('/reports/monthly-license-usage', async (c) => {
    const raw = c.req.query() as Record<string, string>;
    let checked;
    try {
      checked = jobs.validate(raw as RawReportOptions, raw.format);
    } catch (err) {
      requestError(err);
    }
    targetInScope(c.get('scope'), checked.options.companyId);
    let input;
    try {
      input = await jobs.load(checked.options, checked.format);
    } catch (err) {
      requestError(err);
    }
    const out = new PassThrough();
    // Streams as it is written: a report of 100,000 endpoints never sits whole in memory.
    writeReport(checked.format, input, checked.options, out).catch((err) => out.destroy(err as Error));
    const fileName = `monthly-license-usage-${checked.options.month}.${REPORT_FILE_EXTENSIONS[checked.format]}`;
    return new Response(Readable.toWeb(out) as ReadableStream, {
      headers: { 'content-type': REPORT_CONTENT_TYPES[checked.format], 'content-disposition': `attachment; filename="${fileName}"` },
    });
  });

  api.post('/reports', async (c) => {
    const body = await jsonBody(c, CreateReportBody);
    let checked;
    try {
      checked = jobs.validate(body, body.format);
    } catch (err) {
      requestError(err);
    }
    targetInScope(c.get('scope'), checked.options.companyId);
    const { id } = await jobs.enqueue({ ...checked, requestedBy: `api-key:${c.get('apiKey').id}`, name: body.name });
    await audited(c, storage, now, { action: 'report.create', targetType: 'report', targetId: id, companyId: checked.options.companyId, details: body });
    return c.json(jobJson((await storage.reports.getJob(id))!), 202);
  });

  api.get('/reports', async (c) => c.json({ reports: (await storage.reports.listJobs(c.get('scope').companyIds(), 200)).map(jobJson) }));

  const visibleJob = async (scope: Scope, id: string) => {
    const job = await storage.reports.getJob(id);
    if (!job || !scope.canSee(job.companyId)) throw new ApiError(404, 'not_found', `report ${id} does not exist`);
    return job;
  };

  api.get('/reports/:id', async (c) => c.json(jobJson(await visibleJob(c.get('scope'), c.req.param('id')))));

  api.get('/reports/:id/download', async (c) => {
    const job = await visibleJob(c.get('scope'), c.req.param('id'));
    if (job.status !== 'ready') throw new ApiError(409, 'conflict', `report ${job.id} is ${job.status}${job.error ? `: ${job.error}` : ''}`);
    const format = job.format as keyof typeof REPORT_CONTENT_TYPES;
    return new Response(Readable.toWeb(jobs.open(job)) as ReadableStream, {
      headers: {
        'content-type': REPORT_CONTENT_TYPES[format], 'content-length': String(job.sizeBytes),
        'content-disposition': `attachment; filename="${job.name.replace(/[^\w.-]+/g, '_')}-${job.month}.${REPORT_FILE_EXTENSIONS[format]}"`,
      },
    });
  });

  api.get('/report-schedules', async (c) => c.json({ schedules: await storage.reports.listSchedules(c.get('scope').companyIds()) }));

  api.post('/report-schedules', async (c) => {
    const body = await jsonBody(c, CreateScheduleBody);
    targetInScope(c.get('scope'), body.companyId);
    // The month is filled in at each run; validate the rest now with a placeholder month.
    try {
      jobs.validate({ ...body, month: '2000-01' }, body.format);
    } catch (err) {
      requestError(err);
    }
    const { dayOfMonth, hourUtc, emailTo, name, format, ...options } = body;
    const schedule = { id: randomUUID(), companyId: body.companyId, createdBy: `api-key:${c.get('apiKey').id}`, name, format, options, dayOfMonth, hourUtc, emailTo, createdAtMs: now() };
    await storage.reports.createSchedule(schedule);
    await audited(c, storage, now, { action: 'report_schedule.create', targetType: 'report_schedule', targetId: schedule.id, companyId: body.companyId, details: body });
    return c.json({ ...schedule, lastRunMonth: null }, 201);
  });

  api.delete('/report-schedules/:id', async (c) => {
    const id = c.req.param('id');
    const mine = (await storage.reports.listSchedules(c.get('scope').companyIds())).find((s) => s.id === id);
    if (!mine) throw new ApiError(404, 'not_found', `report schedule ${id} does not exist`);
    await storage.reports.deleteSchedule(id);
    await audited(c, storage, now, { action: 'report_schedule.delete', targetType: 'report_schedule', targetId: id, companyId: mine.companyId });
    return c.body(null, 204);
  });

  return api;
}
