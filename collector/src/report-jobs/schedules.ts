// Scheduled reports: on a chosen day of each month at a chosen UTC hour, the
// previous month's report is generated, kept for download, and mailed if the
// schedule names recipients. Each (schedule, month) runs once, even with
// several collectors on one database: the run's claim and its job are
// written in one transaction (ReportStore.queueScheduleRun), so a crash
// leaves either nothing (the next check claims it) or a queued job that some
// collector makes and mails. When the partner's report queue is full the run
// is not claimed, and the next check tries again.
import type { Logger } from '../../../common/log.ts';
import { addMonths, monthContaining } from '../billing/index.ts';
import { TallyError } from '../errors.ts';
import type { ReportSchedule, ReportStore } from '../storage/types.ts';
import type { ReportJobs } from './jobs.ts';

export interface ScheduleRunnerOptions {
  reports: Pick<ReportStore, 'listSchedules'>;
  jobs: Pick<ReportJobs, 'queueScheduleRun'>;
  logger: Logger;
}

/** When the schedule is due in the month that contains nowMs. */
export function dueAtMs(schedule: Pick<ReportSchedule, 'dayOfMonth' | 'hourUtc'>, nowMs: number): number {
  const month = monthContaining(nowMs);
  return Date.UTC(month.year, month.month - 1, schedule.dayOfMonth, schedule.hourUtc);
}

/** Schedules whose run could not be queued (other than a full queue), by "schedule/month": logged once. */
const reported = new Set<string>();

/** Queues the runs that are due; returns the ids of the jobs queued. */
export async function runDueSchedules(opts: ScheduleRunnerOptions, nowMs: number): Promise<string[]> {
  const queued: string[] = [];
  const previousMonth = addMonths(monthContaining(nowMs), -1).id;
  for (const schedule of await opts.reports.listSchedules(null)) {
    if (nowMs < dueAtMs(schedule, nowMs)) continue;
    if (schedule.lastRunMonth !== null && schedule.lastRunMonth >= previousMonth) continue;
    try {
      const id = await opts.jobs.queueScheduleRun(schedule, previousMonth);
      if (id) queued.push(id);
    } catch (err) {
      if (err instanceof TallyError && err.code === 'queue_full') {
        opts.logger.warn('scheduled report waits: the partner\'s report queue is full; tried again at the next check', { schedule: schedule.id, month: previousMonth });
      } else if (!reported.has(`${schedule.id}/${previousMonth}`)) {
        // Tried again at every check (the month stays unclaimed); logged once per schedule and month by this process.
        reported.add(`${schedule.id}/${previousMonth}`);
        opts.logger.error('scheduled report could not be queued; tried again at every check', { schedule: schedule.id, month: previousMonth, err });
      }
    }
  }
  return queued;
}
