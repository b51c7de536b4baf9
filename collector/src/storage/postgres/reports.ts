// Report jobs and schedules.
import type pg from 'pg';
import type { ReportJob, ReportSchedule, ReportStore } from '../types.ts';
import { toJob, toSchedule, type JobRow, type ScheduleRow } from '../rows.ts';
import { guard } from './db.ts';

const scope = (ids: readonly string[] | null) => (ids ? [...ids] : null);

export function postgresReportStore(pool: pg.Pool): ReportStore {
  return {
    createJob: guard(async (j: Omit<ReportJob, 'status' | 'error' | 'fileName' | 'sizeBytes' | 'finishedAtMs'>): Promise<void> => {
      await pool.query(`INSERT INTO report_jobs (id, company_id, requested_by, name, month, format, options, status, created_at)
        VALUES ($1, $2, $3, $4, $5, $6, $7, 'pending', $8)`, [j.id, j.companyId, j.requestedBy, j.name, j.month, j.format, JSON.stringify(j.options), j.createdAtMs]);
    }),
    finishJob: guard(async (id: string, o: { status: 'ready'; fileName: string; sizeBytes: number } | { status: 'failed'; error: string }, nowMs: number): Promise<void> => {
      await pool.query('UPDATE report_jobs SET status = $2, error = $3, file_name = $4, size_bytes = $5, finished_at = $6 WHERE id = $1', [
        id, o.status, o.status === 'failed' ? o.error : null, o.status === 'ready' ? o.fileName : null, o.status === 'ready' ? o.sizeBytes : null, nowMs]);
    }),
    getJob: guard(async (id: string) => {
      const r = (await pool.query<JobRow>('SELECT * FROM report_jobs WHERE id = $1', [id])).rows[0];
      return r ? toJob(r) : null;
    }),
    listJobs: guard(async (companyIds: readonly string[] | null, limit: number) => (await pool.query<JobRow>(
      'SELECT * FROM report_jobs WHERE $1::text[] IS NULL OR company_id = ANY($1::text[]) ORDER BY created_at DESC LIMIT $2', [scope(companyIds), limit])).rows.map(toJob)),
    createSchedule: guard(async (sc: Omit<ReportSchedule, 'lastRunMonth'>): Promise<void> => {
      await pool.query(`INSERT INTO report_schedules (id, company_id, created_by, name, format, options, day_of_month, hour_utc, email_to, created_at)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [sc.id, sc.companyId, sc.createdBy, sc.name, sc.format, JSON.stringify(sc.options), sc.dayOfMonth, sc.hourUtc, JSON.stringify(sc.emailTo), sc.createdAtMs]);
    }),
    listSchedules: guard(async (companyIds: readonly string[] | null) => (await pool.query<ScheduleRow>(
      'SELECT * FROM report_schedules WHERE $1::text[] IS NULL OR company_id = ANY($1::text[]) ORDER BY created_at', [scope(companyIds)])).rows.map(toSchedule)),
    deleteSchedule: guard(async (id: string) => (await pool.query('DELETE FROM report_schedules WHERE id = $1', [id])).rowCount === 1),
    // One UPDATE: when collectors claim the same run at once, the second
    // re-checks the row after the first commits and matches nothing.
    claimScheduleRun: guard(async (id: string, month: string) => (await pool.query(
      'UPDATE report_schedules SET last_run_month = $2 WHERE id = $1 AND (last_run_month IS NULL OR last_run_month < $2)', [id, month])).rowCount === 1),
  };
}
