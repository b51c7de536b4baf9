// Report jobs and schedules.
import type Database from 'better-sqlite3';
import type { ReportJob, ReportSchedule, ReportStore } from '../types.ts';
import { toJob, toSchedule, type JobRow, type ScheduleRow } from '../rows.ts';
import { guard } from './guard.ts';

const scope = (ids: readonly string[] | null) => (ids ? JSON.stringify(ids) : null);

export function sqliteReportStore(db: Database.Database): ReportStore {
  const stmt = {
    insertJob: db.prepare(`INSERT INTO report_jobs (id, company_id, requested_by, name, month, format, options, status, created_at)
      VALUES (@id, @companyId, @requestedBy, @name, @month, @format, @options, 'pending', @createdAtMs)`),
    finishJob: db.prepare(`UPDATE report_jobs SET status = @status, error = @error, file_name = @fileName, size_bytes = @sizeBytes, finished_at = @nowMs
      WHERE id = @id`),
    job: db.prepare('SELECT * FROM report_jobs WHERE id = ?'),
    jobs: db.prepare(`SELECT * FROM report_jobs WHERE @scope IS NULL OR company_id IN (SELECT value FROM json_each(@scope))
      ORDER BY created_at DESC LIMIT @limit`),
    insertSchedule: db.prepare(`INSERT INTO report_schedules (id, company_id, created_by, name, format, options, day_of_month, hour_utc, email_to, created_at)
      VALUES (@id, @companyId, @createdBy, @name, @format, @options, @dayOfMonth, @hourUtc, @emailTo, @createdAtMs)`),
    schedules: db.prepare(`SELECT * FROM report_schedules WHERE @scope IS NULL OR company_id IN (SELECT value FROM json_each(@scope)) ORDER BY created_at`),
    deleteSchedule: db.prepare('DELETE FROM report_schedules WHERE id = ?'),
    claim: db.prepare(`UPDATE report_schedules SET last_run_month = @month WHERE id = @id AND (last_run_month IS NULL OR last_run_month < @month)`),
  };
  return {
    createJob: guard((j: Omit<ReportJob, 'status' | 'error' | 'fileName' | 'sizeBytes' | 'finishedAtMs'>): void => {
      stmt.insertJob.run({ ...j, options: JSON.stringify(j.options) });
    }),
    finishJob: guard((id: string, o: { status: 'ready'; fileName: string; sizeBytes: number } | { status: 'failed'; error: string }, nowMs: number): void => {
      stmt.finishJob.run({ id, nowMs, status: o.status, error: o.status === 'failed' ? o.error : null,
        fileName: o.status === 'ready' ? o.fileName : null, sizeBytes: o.status === 'ready' ? o.sizeBytes : null });
    }),
    getJob: guard((id: string) => {
      const r = stmt.job.get(id) as JobRow | undefined;
      return r ? toJob(r) : null;
    }),
    listJobs: guard((companyIds: readonly string[] | null, limit: number) => (stmt.jobs.all({ scope: scope(companyIds), limit }) as JobRow[]).map(toJob)),
    createSchedule: guard((sc: Omit<ReportSchedule, 'lastRunMonth'>): void => {
      stmt.insertSchedule.run({ ...sc, options: JSON.stringify(sc.options), emailTo: JSON.stringify(sc.emailTo) });
    }),
    listSchedules: guard((companyIds: readonly string[] | null) => (stmt.schedules.all({ scope: scope(companyIds) }) as ScheduleRow[]).map(toSchedule)),
    deleteSchedule: guard((id: string) => stmt.deleteSchedule.run(id).changes === 1),
    claimScheduleRun: guard((id: string, month: string) => stmt.claim.run({ id, month }).changes === 1),
  };
}
