// Report jobs and schedules, for both backends.
import { toJob, toSchedule } from '../rows.ts';
import type { ReportJob, ReportSchedule, ReportStore } from '../types.ts';
import { inScope } from './admin.ts';
import { statement, type SqlContext } from './context.ts';

export function sqlReportStore(ctx: SqlContext): ReportStore {
  return {
    createJob: (j: Omit<ReportJob, 'status' | 'error' | 'fileName' | 'sizeBytes' | 'finishedAtMs'>) => statement(ctx, async (db) => {
      await db.insertInto('report_jobs').values({
        id: j.id, company_id: j.companyId, requested_by: j.requestedBy, name: j.name, month: j.month, format: j.format, options: JSON.stringify(j.options),
        status: 'pending', created_at: j.createdAtMs,
      }).execute();
    }),
    finishJob: (id: string, o: { status: 'ready'; fileName: string; sizeBytes: number } | { status: 'failed'; error: string }, nowMs: number) => statement(ctx, async (db) => {
      await db.updateTable('report_jobs').set({
        status: o.status, error: o.status === 'failed' ? o.error : null, file_name: o.status === 'ready' ? o.fileName : null,
        size_bytes: o.status === 'ready' ? o.sizeBytes : null, finished_at: nowMs,
      }).where('id', '=', id).execute();
    }),
    getJob: (id: string) => statement(ctx, async (db) => {
      const r = await db.selectFrom('report_jobs').selectAll().where('id', '=', id).executeTakeFirst();
      return r ? toJob(r) : null;
    }),
    listJobs: (companyIds: readonly string[] | null, limit: number) => statement(ctx, async (db) =>
      (await db.selectFrom('report_jobs').selectAll().$call(inScope(ctx, 'company_id', companyIds)).orderBy('created_at', 'desc').limit(limit).execute()).map(toJob)),
    createSchedule: (sc: Omit<ReportSchedule, 'lastRunMonth'>) => statement(ctx, async (db) => {
      await db.insertInto('report_schedules').values({
        id: sc.id, company_id: sc.companyId, created_by: sc.createdBy, name: sc.name, format: sc.format, options: JSON.stringify(sc.options),
        day_of_month: sc.dayOfMonth, hour_utc: sc.hourUtc, email_to: JSON.stringify(sc.emailTo), created_at: sc.createdAtMs,
      }).execute();
    }),
    listSchedules: (companyIds: readonly string[] | null) => statement(ctx, async (db) =>
      (await db.selectFrom('report_schedules').selectAll().$call(inScope(ctx, 'company_id', companyIds)).orderBy('created_at').execute()).map(toSchedule)),
    deleteSchedule: (id: string) => statement(ctx, async (db) =>
      (await db.deleteFrom('report_schedules').where('id', '=', id).executeTakeFirst()).numDeletedRows === 1n),
    // One UPDATE: when collectors claim the same run at once, the second
    // re-checks the row after the first commits and matches nothing.
    claimScheduleRun: (id: string, month: string) => statement(ctx, async (db) =>
      (await db.updateTable('report_schedules').set({ last_run_month: month }).where('id', '=', id)
        .where((eb) => eb.or([eb('last_run_month', 'is', null), eb('last_run_month', '<', month)])).executeTakeFirst()).numUpdatedRows === 1n),
  };
}
