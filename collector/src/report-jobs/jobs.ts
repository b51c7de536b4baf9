// Reports as a service: streamed on request, or generated into a file kept
// for download (the partner API's createReport, schedules). Generated reports
// are jobs on a durable queue in the database (storage/sql/reports.ts): any
// collector on the database claims the next job in fair order between
// tenants, holds a lease on it while it streams the file to disk (renewed
// every third of the lease), and finishes it only while it still holds the
// lease. A collector that dies mid-job loses its lease; once it runs out,
// another collector (or this one restarted) claims the job again, up to
// maxAttempts. Finished reports are deleted after the retention period, file
// and row.
import { randomUUID } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import { readdir, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { Writable } from 'node:stream';
import { makeDirectories } from '../../../common/directories.ts';
import type { Logger } from '../../../common/log.ts';
import {
  REPORT_CONTENT_TYPES, REPORT_FILE_EXTENSIONS, loadReportInput, validateReportFormat, validateReportOptions, writeFileAtomically, writeReport,
  type RawReportOptions, type ReportDeps, type ReportFormat, type ReportOptionError, type ReportOptions,
} from '../reports/index.ts';
import { TallyError, toTallyError } from '../errors.ts';
import type { Metrics } from '../metrics.ts';
import { publicLink } from '../public-url.ts';
import type { ReportJob, ReportSchedule, ReportStore } from '../storage/types.ts';
import type { Mailer } from './mailer.ts';

/** Files above this go out as a download link, not an attachment (mail servers refuse large messages). */
export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;
const DAY_MS = 86_400_000;
/** Rows deleted per retention batch, and batches per sweep: a sweep is bounded; the next one continues. */
const SWEEP_BATCH = 500;
const SWEEP_BATCHES = 20;
/** Files in the reports folder looked at per sweep. */
const SWEEP_FILES = 5_000;
/** A temporary file this old belongs to a run that died (a live run renews its file by writing it). */
const STALE_TEMP_MS = 6 * 3_600_000;

export interface QueueSettings {
  /** Jobs this collector runs at once. */
  workers: number;
  /** Jobs one tenant may have waiting or running; more are refused with queue_full. */
  maxQueuedPerTenant: number;
  /** Jobs of one tenant running at once, over every collector on the database. */
  maxRunningPerTenant: number;
  /** How long a claim holds without renewal: a crashed collector's job is claimable again this long after its last renewal. */
  leaseMs: number;
  /** Claims of one job at most (a crash counts); then it is failed. */
  maxAttempts: number;
  /** How often an idle collector looks for jobs other collectors queued (its own are started at once). */
  pollMs: number;
  /** Days a finished report (file and row) is kept. */
  retentionDays: number;
  /** Wait before a failed attempt is tried again, times the attempt number. */
  retryBackoffMs: number;
}

export const DEFAULT_QUEUE_SETTINGS: QueueSettings = {
  workers: 2, maxQueuedPerTenant: 50, maxRunningPerTenant: 1, leaseMs: 60_000, maxAttempts: 3, pollMs: 2_000, retentionDays: 30, retryBackoffMs: 30_000,
};

export interface ReportJobsOptions {
  /** Where jobs are queued and recorded. */
  reports: ReportStore;
  /** What a report is read from. */
  source: Omit<ReportDeps, 'now'>;
  now: () => number;
  logger: Logger;
  /** Where generated files are kept. */
  dir: string;
  queue?: Partial<QueueSettings>;
  /** Sends scheduled reports that name recipients; null: they are logged as not sent. */
  mailer?: Mailer | null;
  /** Base of the download link in mail (see public-url.ts). */
  publicUrl?: string;
  /** Reports above this size are mailed as a link instead of attached (default MAX_ATTACHMENT_BYTES). */
  maxAttachmentBytes?: number;
  metrics?: Metrics;
}

export class ReportJobs {
  readonly settings: QueueSettings;
  /** This process's name on the leases it holds. */
  readonly owner = `${process.pid}-${randomUUID().slice(0, 8)}`;
  private readonly running = new Map<string, { lost: boolean; done: Promise<void> }>();
  private pollTimer: NodeJS.Timeout | null = null;
  private sweepTimer: NodeJS.Timeout | null = null;
  private claiming: Promise<void> | null = null;
  private again = false;
  private stopped = true;

  constructor(private readonly opts: ReportJobsOptions) {
    makeDirectories(opts.dir);
    this.settings = { ...DEFAULT_QUEUE_SETTINGS, ...opts.queue };
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

  /** Queues a job; resolves with its id once it is in the database. queue_full when the tenant's queue is full. */
  async enqueue(input: { options: ReportOptions; format: ReportFormat; requestedBy: string; name: string }): Promise<{ id: string }> {
    const id = randomUUID().replace(/-/g, '');
    const outcome = await this.opts.reports.enqueueJob({
      id, companyId: input.options.companyId, requestedBy: input.requestedBy, name: input.name, month: input.options.month,
      format: input.format, options: input.options, createdAtMs: this.opts.now(),
    }, this.settings.maxQueuedPerTenant);
    if (!outcome.queued) {
      this.opts.metrics?.reportJobs.inc({ outcome: 'refused_queue_full' });
      throw queueFull(outcome.waiting);
    }
    this.opts.metrics?.reportJobs.inc({ outcome: 'queued' });
    this.wake();
    return { id };
  }

  /**
   * A schedule's run for `month`: the claim and its job in one transaction (a crash after it leaves a queued job,
   * which some collector makes and mails). null when the month already ran; queue_full leaves the run unclaimed.
   */
  async queueScheduleRun(schedule: ReportSchedule, month: string): Promise<string | null> {
    const checked = this.validate({ ...(schedule.options as RawReportOptions), month }, schedule.format);
    const id = randomUUID().replace(/-/g, '');
    const outcome = await this.opts.reports.queueScheduleRun(schedule.id, month, {
      id, companyId: checked.options.companyId, requestedBy: `schedule:${schedule.id}`, name: schedule.name, month,
      format: checked.format, options: checked.options, createdAtMs: this.opts.now(), emailTo: schedule.emailTo,
    }, this.settings.maxQueuedPerTenant);
    if (outcome === 'queue_full') {
      this.opts.metrics?.reportJobs.inc({ outcome: 'refused_queue_full' });
      throw queueFull(this.settings.maxQueuedPerTenant);
    }
    if (outcome === 'already_ran') return null;
    this.opts.metrics?.reportJobs.inc({ outcome: 'queued' });
    this.wake();
    return id;
  }

  filePath(job: Pick<ReportJob, 'fileName'>): string {
    return join(this.opts.dir, job.fileName!);
  }

  open(job: ReportJob) {
    return createReadStream(this.filePath(job));
  }

  /** Starts taking jobs from the queue and the retention sweeps. */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.pollTimer = setInterval(() => this.wake(), this.settings.pollMs);
    this.pollTimer.unref();
    const sweep = () => void this.sweep().catch((err) => this.opts.logger.warn('report retention sweep failed', { err }));
    this.sweepTimer = setInterval(sweep, Math.min(3_600_000, this.settings.retentionDays * DAY_MS));
    this.sweepTimer.unref();
    sweep();
    this.wake();
  }

  /**
   * Stops taking jobs. Jobs still running after `graceMs` are given back to the queue (their attempt not counted), so
   * another collector takes them at once instead of after the lease.
   */
  async stop(graceMs = 5_000): Promise<void> {
    this.stopped = true;
    if (this.pollTimer) clearInterval(this.pollTimer);
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    await this.claiming;
    const all = Promise.all([...this.running.values()].map((r) => r.done));
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([all, new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)))]);
    clearTimeout(timer);
    for (const [id, r] of this.running) {
      r.lost = true;
      await this.opts.reports.releaseJob(id, this.owner, { error: null, runAfterMs: 0, uncountAttempt: true }).catch(() => false);
    }
  }

  /** Claims jobs until this collector runs `workers` of them or none is claimable. */
  wake(): void {
    if (this.stopped) return;
    if (this.claiming) {
      this.again = true;
      return;
    }
    this.claiming = this.claimLoop().catch((err) => this.opts.logger.warn('report queue claim failed', { err })).finally(() => {
      this.claiming = null;
      if (this.again) {
        this.again = false;
        this.wake();
      }
    });
  }

  private async claimLoop(): Promise<void> {
    const s = this.settings;
    while (!this.stopped && this.running.size < s.workers) {
      const job = await this.opts.reports.claimJob({
        owner: this.owner, nowMs: this.opts.now(), leaseMs: s.leaseMs, maxRunningPerTenant: s.maxRunningPerTenant, maxAttempts: s.maxAttempts,
      });
      if (!job) return;
      if (job.attempts > 1) this.opts.metrics?.reportJobs.inc({ outcome: 'reclaimed' });
      const state = { lost: false, done: Promise.resolve() };
      state.done = this.run(job, state).finally(() => {
        this.running.delete(job.id);
        this.wake();
      });
      this.running.set(job.id, state);
    }
  }

  private async run(job: ReportJob, state: { lost: boolean }): Promise<void> {
    const { reports, logger, now } = this.opts;
    const s = this.settings;
    const heartbeat = setInterval(() => {
      void reports.renewLease(job.id, this.owner, now(), s.leaseMs).then((held) => {
        if (!held && !state.lost) {
          state.lost = true;
          this.opts.metrics?.reportJobs.inc({ outcome: 'lease_lost' });
          logger.warn('report job lease lost; another collector has it', { id: job.id });
        }
      }, (err) => logger.warn('report job lease renewal failed', { id: job.id, err }));
    }, Math.max(50, Math.floor(s.leaseMs / 3)));
    heartbeat.unref();
    const format = job.format as ReportFormat;
    const fileName = `${job.id}.${REPORT_FILE_EXTENSIONS[format]}`;
    try {
      const options = job.options as ReportOptions;
      const input = await this.load(options, format);
      await writeFileAtomically(join(this.opts.dir, fileName), (out) => writeReport(format, input, options, out));
      const sizeBytes = statSync(join(this.opts.dir, fileName)).size;
      if (state.lost) return;
      const mailError = await this.mail(job, fileName, sizeBytes).then(() => null, (err: Error) => err);
      if (mailError && job.attempts < s.maxAttempts) throw mailError;
      if (state.lost) return;
      const finished = await reports.finishJob(job.id, this.owner, {
        status: 'ready', fileName, sizeBytes, error: mailError ? `the report is ready but mailing it failed: ${mailError.message}`.slice(0, 500) : null,
      }, now());
      if (finished) this.opts.metrics?.reportJobs.inc({ outcome: 'ready' });
      logger.info('report job finished', { id: job.id, sizeBytes, attempt: job.attempts });
    } catch (err) {
      if (state.lost) return;
      const e = toTallyError(err);
      // A request that cannot succeed (an unknown company, bad options) fails at once; anything else is tried again.
      const retry = (e.code === 'internal' || e.code === 'storage_unavailable') && job.attempts < s.maxAttempts;
      const message = (e.code === 'internal' ? (err as Error).message : e.message).slice(0, 500);
      logger.error('report generation failed', { id: job.id, attempt: job.attempts, retry, err });
      if (retry) {
        await reports.releaseJob(job.id, this.owner, { error: message, runAfterMs: now() + s.retryBackoffMs * job.attempts });
        this.opts.metrics?.reportJobs.inc({ outcome: 'retried' });
      } else {
        await reports.finishJob(job.id, this.owner, { status: 'failed', error: message }, now());
        this.opts.metrics?.reportJobs.inc({ outcome: 'failed' });
      }
    } finally {
      clearInterval(heartbeat);
    }
  }

  /** Mails a scheduled report to its recipients (at least once: a crash between the mail and the finish sends it again). */
  private async mail(job: ReportJob, fileName: string, sizeBytes: number): Promise<void> {
    if (!job.emailTo.length) return;
    if (!this.opts.mailer) {
      this.opts.logger.warn('scheduled report has recipients but no SMTP server is configured (--smtp-url)', { schedule: job.scheduleId, id: job.id });
      return;
    }
    const format = job.format as ReportFormat;
    const filename = `${job.name.replace(/[^\w.-]+/g, '_')}-${job.month}.${REPORT_FILE_EXTENSIONS[format]}`;
    const attach = sizeBytes <= (this.opts.maxAttachmentBytes ?? MAX_ATTACHMENT_BYTES);
    const link = publicLink(this.opts.publicUrl ?? '', `/api/v1/reports/${job.id}/download`);
    await this.opts.mailer.send({
      to: job.emailTo,
      subject: `${job.name}: ${job.month}`,
      text: attach ? `The ${job.name} report for ${job.month} is attached.` : `The ${job.name} report for ${job.month} is ready: ${link}`,
      attachment: attach ? { filename, path: join(this.opts.dir, fileName), contentType: REPORT_CONTENT_TYPES[format] } : undefined,
    });
    this.opts.logger.info('scheduled report mailed', { schedule: job.scheduleId, id: job.id, to: job.emailTo.length });
  }

  /**
   * Retention: finished reports older than retentionDays lose their file and their row; files of this folder whose
   * row is gone (another collector deleted it) and temporary files of runs that died are removed too. Bounded per call.
   */
  async sweep(nowMs = this.opts.now()): Promise<{ rows: number; files: number }> {
    const cutoff = nowMs - this.settings.retentionDays * DAY_MS;
    let rows = 0;
    let files = 0;
    for (let batch = 0; batch < SWEEP_BATCHES; batch++) {
      const old = await this.opts.reports.finishedBefore(cutoff, SWEEP_BATCH);
      if (!old.length) break;
      for (const j of old) if (j.fileName && (await removeFile(join(this.opts.dir, j.fileName)))) files++;
      rows += await this.opts.reports.deleteJobs(old.map((j) => j.id));
      if (old.length < SWEEP_BATCH) break;
    }
    const names = (await readdir(this.opts.dir).catch(() => [] as string[])).slice(0, SWEEP_FILES);
    for (const name of names) {
      const report = /^([0-9a-f]{32})\.(csv|xlsx|pdf)$/.exec(name);
      const temp = /^\..*\.tmp$/.test(name);
      if (!report && !temp) continue;
      const info = await stat(join(this.opts.dir, name)).catch(() => null);
      if (!info?.isFile()) continue;
      const stale = temp ? info.mtimeMs < nowMs - STALE_TEMP_MS : info.mtimeMs < cutoff && (await this.opts.reports.getJob(report![1])) === null;
      if (stale && (await removeFile(join(this.opts.dir, name)))) files++;
    }
    if (rows || files) {
      this.opts.metrics?.reportRetention.inc({ what: 'rows' }, rows);
      this.opts.metrics?.reportRetention.inc({ what: 'files' }, files);
      this.opts.logger.info('report retention sweep', { rows, files, retentionDays: this.settings.retentionDays });
    }
    return { rows, files };
  }

  /** Jobs this collector is running now. */
  get active(): number {
    return this.running.size;
  }
}

async function removeFile(path: string): Promise<boolean> {
  try {
    await unlink(path);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
}

function queueFull(waiting: number): TallyError {
  return new TallyError('queue_full', `this partner already has ${waiting} report jobs waiting or running (the limit); retry when some have finished`);
}

function fromOptionError(e: ReportOptionError): TallyError {
  return new TallyError('invalid_request', `${e.field}: ${e.message} (${e.code})`, { field: e.field });
}
