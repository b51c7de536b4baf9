// Scheduled reports: on a chosen day of each month at a chosen UTC hour, the
// previous month's report is generated, kept for download, and mailed if the
// schedule names recipients. Each (schedule, month) runs once, even with
// several collectors on one database: the run is claimed in storage first.
import type { Logger } from '../../../common/log.ts';
import { addMonths, monthContaining } from '../billing/index.ts';
import { REPORT_CONTENT_TYPES, REPORT_FILE_EXTENSIONS, type RawReportOptions, type ReportFormat } from '../reports/index.ts';
import type { ReportSchedule, ReportStore } from '../storage/types.ts';
import type { ReportJobs } from './jobs.ts';
import type { Mailer } from './mailer.ts';

/** Files above this go out as a download link, not an attachment. */
const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;

export interface ScheduleRunnerOptions {
  reports: Pick<ReportStore, 'listSchedules' | 'claimScheduleRun'>;
  jobs: ReportJobs;
  logger: Logger;
  mailer: Mailer | null;
  /** Shown in mails for reports too large to attach. */
  publicUrl?: string;
}

/** When the schedule is due in the month that contains nowMs. */
export function dueAtMs(schedule: Pick<ReportSchedule, 'dayOfMonth' | 'hourUtc'>, nowMs: number): number {
  const month = monthContaining(nowMs);
  return Date.UTC(month.year, month.month - 1, schedule.dayOfMonth, schedule.hourUtc);
}

export async function runDueSchedules(opts: ScheduleRunnerOptions, nowMs: number): Promise<string[]> {
  const ran: string[] = [];
  const previousMonth = addMonths(monthContaining(nowMs), -1).id;
  for (const schedule of await opts.reports.listSchedules(null)) {
    if (nowMs < dueAtMs(schedule, nowMs)) continue;
    if (schedule.lastRunMonth !== null && schedule.lastRunMonth >= previousMonth) continue;
    if (!(await opts.reports.claimScheduleRun(schedule.id, previousMonth))) continue;
    try {
      const checked = opts.jobs.validate({ ...(schedule.options as RawReportOptions), month: previousMonth }, schedule.format);
      const { done } = await opts.jobs.enqueue({ ...checked, requestedBy: `schedule:${schedule.id}`, name: schedule.name });
      const job = await done;
      ran.push(job.id);
      if (job.status !== 'ready') {
        opts.logger.error('scheduled report failed', { schedule: schedule.id, job: job.id, error: job.error });
        continue;
      }
      if (schedule.emailTo.length && opts.mailer) {
        const format = job.format as ReportFormat;
        const filename = `${schedule.name.replace(/[^\w.-]+/g, '_')}-${job.month}.${REPORT_FILE_EXTENSIONS[format]}`;
        const attach = (job.sizeBytes ?? 0) <= MAX_ATTACHMENT_BYTES;
        await opts.mailer.send({
          to: schedule.emailTo,
          subject: `${schedule.name}: ${job.month}`,
          text: attach
            ? `The ${schedule.name} report for ${job.month} is attached.`
            : `The ${schedule.name} report for ${job.month} is ready: ${opts.publicUrl ?? ''}/api/v1/reports/${job.id}/download`,
          attachment: attach ? { filename, path: opts.jobs.filePath(job), contentType: REPORT_CONTENT_TYPES[format] } : undefined,
        });
        opts.logger.info('scheduled report mailed', { schedule: schedule.id, job: job.id, to: schedule.emailTo.length });
      } else if (schedule.emailTo.length) {
        opts.logger.warn('scheduled report has recipients but no SMTP server is configured (--smtp-url)', { schedule: schedule.id });
      }
    } catch (err) {
      opts.logger.error('scheduled report failed', { schedule: schedule.id, err });
    }
  }
  return ran;
}
