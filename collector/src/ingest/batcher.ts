// Group commit for usage: frames from many agents share one transaction, and
// each frame is acknowledged only after that transaction is durable. While the
// flushes in flight run, new frames gather for the next one, so batches grow
// with load by themselves; at low load a frame waits at most `maxDelayMs`.
//
// A store whose commits run on separate connections (PostgreSQL) may take
// several group commits at once: while one commits, the agents it acknowledged
// already send their next frames, and those are committed beside it instead
// of waiting for it. Each commit stays all or nothing for its own frames; a
// device's frames are never in two commits at once (a session sends its next
// frame only after the previous one's ack), and the store's row locks order
// two commits that do share a device (as for two collectors on one database).
import type { Metrics } from '../metrics.ts';
import type { LateDataPolicy, Storage, UsageIngestResult, UsageUnit } from '../storage/types.ts';

export interface IngestBatcherOptions {
  storage: Pick<Storage, 'ingest'>;
  now: () => number;
  latePolicy: (nowMs: number) => LateDataPolicy;
  /** How long the first frame of a batch waits for company. */
  maxDelayMs?: number;
  /**
   * A batch is flushed at once when it holds this many records. With several
   * commits at once, also the most one commit takes (a larger frame goes whole).
   */
  maxRecords?: number;
  /** Group commits in flight at once (default: the store's `concurrentBatches`, else 1). */
  maxConcurrent?: number;
  /** Group commit sizes and times (tally_ingest_group_commit_*). */
  metrics?: Pick<Metrics, 'groupCommitRecords' | 'groupCommitSeconds' | 'groupCommitsInFlight' | 'groupCommitLimit'>;
}

interface Waiting {
  unit: UsageUnit;
  resolve: (r: UsageIngestResult) => void;
  reject: (err: unknown) => void;
}

export class IngestBatcher {
  private pending: Waiting[] = [];
  private pendingRecords = 0;
  private timer: NodeJS.Timeout | null = null;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly maxDelayMs: number;
  private readonly maxRecords: number;
  private readonly maxConcurrent: number;

  constructor(private readonly opts: IngestBatcherOptions) {
    this.maxDelayMs = opts.maxDelayMs ?? 10;
    this.maxRecords = opts.maxRecords ?? 20_000;
    this.maxConcurrent = Math.max(1, opts.maxConcurrent ?? opts.storage.ingest.concurrentBatches ?? 1);
    opts.metrics?.groupCommitLimit.set(this.maxConcurrent);
  }

  /** Resolves once the frame's records are committed (or rejects: then nothing of it was stored). */
  submit(unit: UsageUnit): Promise<UsageIngestResult> {
    return new Promise((resolve, reject) => {
      this.pending.push({ unit, resolve, reject });
      this.pendingRecords += unit.records.length;
      this.schedule(this.pendingRecords >= this.maxRecords ? 0 : this.maxDelayMs);
    });
  }

  /** Commits whatever is waiting; resolves when nothing is waiting or in flight. */
  async drain(): Promise<void> {
    while (this.inFlight.size > 0 || this.pending.length > 0) {
      if (this.inFlight.size > 0) await Promise.race(this.inFlight);
      else await this.flush();
    }
  }

  private schedule(delayMs: number): void {
    if (this.inFlight.size >= this.maxConcurrent) return; // a flush that ends picks the batch up
    if (this.timer && delayMs > 0) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.flush(), delayMs);
  }

  private flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.pending.length === 0) return Promise.resolve();
    if (this.inFlight.size >= this.maxConcurrent) return Promise.race(this.inFlight);
    // One commit at a time takes everything waiting. Several take the oldest
    // frames up to maxRecords each, first come first served, so every agent
    // waits about as long and the work spreads over the connections.
    let take = this.pending.length;
    let records = this.pendingRecords;
    if (this.maxConcurrent > 1 && records > this.maxRecords) {
      records = 0;
      take = 0;
      while (take < this.pending.length && (take === 0 || records + this.pending[take].unit.records.length <= this.maxRecords)) {
        records += this.pending[take++].unit.records.length;
      }
    }
    const batch = this.pending.splice(0, take);
    this.pendingRecords -= records;
    const now = this.opts.now();
    const started = performance.now();
    const flushing: Promise<void> = this.opts.storage.ingest.ingestUsageBatch(batch.map((w) => w.unit), now, this.opts.latePolicy(now)).then(
      (results) => {
        this.opts.metrics?.groupCommitRecords.observe(records);
        this.opts.metrics?.groupCommitSeconds.observe((performance.now() - started) / 1000);
        batch.forEach((w, i) => w.resolve(results[i]));
      },
      (err) => batch.forEach((w) => w.reject(err)),
    ).finally(() => {
      this.inFlight.delete(flushing);
      this.opts.metrics?.groupCommitsInFlight.set(this.inFlight.size);
      if (this.pending.length) this.schedule(0); // they waited for this flush already
    });
    this.inFlight.add(flushing);
    this.opts.metrics?.groupCommitsInFlight.set(this.inFlight.size);
    if (this.pending.length) this.schedule(this.pendingRecords >= this.maxRecords ? 0 : this.maxDelayMs);
    return flushing;
  }
}
