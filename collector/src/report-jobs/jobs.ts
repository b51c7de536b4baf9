// Reports as a service: streamed on request, or generated into a file kept
// for download (the partner API's createReport, schedules). One job runs at a
// time, so a burst of requests cannot exhaust memory or CPU; each job streams
// to disk, never holding the whole file.
import { randomUUID } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import { makeDirectories } from '../../../common/directories.ts';
import { join } from 'node:path';
import type { Writable } from 'node:stream';
import type { Logger } from '../../../common/log.ts';
import {
  REPORT_FILE_EXTENSIONS, loadReportInput, validateReportFormat, validateReportOptions, writeFileAtomically, writeReport,
  type RawReportOptions, type ReportDeps, type ReportFormat, type ReportOptionError, type ReportOptions,
} from '../reports/index.ts';
import { TallyError, toTallyError } from '../errors.ts';
import type { ReportJob, ReportStore } from '../storage/types.ts';

export interface ReportJobsOptions {
  /** Where jobs are recorded. */
  reports: Pick<ReportStore, 'createJob' | 'finishJob' | 'getJob'>;
  /** What a report is read from. */
  source: Omit<ReportDeps, 'now'>;
  now: () => number;
  logger: Logger;
  /** Where generated files are kept. */
  dir: string;
}

export class ReportJobs {
  private queue: Promise<void> = Promise.resolve();

  constructor(private readonly opts: ReportJobsOptions) {
    makeDirectories(opts.dir);
  }

  /** Checks options and format; throws TallyError invalid_request naming the option (with its stable option code). */
  validate(raw: RawReportOptions, format: unknown): { options: ReportOptions; format: ReportFormat } {
    const f = validateReportFormat(format);
    if (!f.ok) throw fromOptionError(f.error);
    const o = validateReportOptions(raw);
    if (!o.ok) throw fromOptionError(o.error);
    return { options: o.value, format: f.value };
  }

  /** Writes the report to `out`. Problems with the request surface before the first byte. */
  async write(options: ReportOptions, format: ReportFormat, out: Writable): Promise<void> {
    const input = await this.load(options, format);
    await writeReport(format, input, options, out);
  }

  /** Loads the report's data; a request for a company the month does not know fails here, before any output. */
  async load(options: ReportOptions, format: ReportFormat) {
    try {
      return await loadReportInput({ ...this.opts.source, now: this.opts.now }, options, format);
    } catch (err) {
      throw toTallyError(err);
    }
  }

  /** Records a job and generates its file in the background; resolves with the job id at once. */
  async enqueue(input: { options: ReportOptions; format: ReportFormat; requestedBy: string; name: string }): Promise<{ id: string; done: Promise<ReportJob> }> {
    const id = randomUUID().replace(/-/g, '');
    await this.opts.reports.createJob({
      id, companyId: input.options.companyId, requestedBy: input.requestedBy, name: input.name, month: input.options.month,
      format: input.format, options: input.options, createdAtMs: this.opts.now(),
    });
    const done = this.queue.then(() => this.run(id, input.options, input.format));
    this.queue = done.then(() => undefined, () => undefined);
    return { id, done };
  }

  filePath(job: ReportJob): string {
    return join(this.opts.dir, job.fileName!);
  }

  open(job: ReportJob) {
    return createReadStream(this.filePath(job));
  }

  private async run(id: string, options: ReportOptions, format: ReportFormat): Promise<ReportJob> {
    const fileName = `${id}.${REPORT_FILE_EXTENSIONS[format]}`;
    try {
      const input = await this.load(options, format);
      await writeFileAtomically(join(this.opts.dir, fileName), (out) => writeReport(format, input, options, out));
      const sizeBytes = statSync(join(this.opts.dir, fileName)).size;
      await this.opts.reports.finishJob(id, { status: 'ready', fileName, sizeBytes }, this.opts.now());
    } catch (err) {
      this.opts.logger.error('report generation failed', { id, err });
      await this.opts.reports.finishJob(id, { status: 'failed', error: (err as Error).message.slice(0, 500) }, this.opts.now());
    }
    return (await this.opts.reports.getJob(id))!;
  }
}

function fromOptionError(e: ReportOptionError): TallyError {
  return new TallyError('invalid_request', `${e.field}: ${e.message} (${e.code})`, { field: e.field });
}
