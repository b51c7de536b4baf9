// Group commit for usage: frames from many agents share one transaction, and
// each frame is acknowledged only after that transaction is durable. While a
// flush runs, new frames gather for the next one, so batches grow with load
// by themselves; at low load a frame waits at most `maxDelayMs`.
import type { Metrics } from '../metrics.ts';
import type { LateDataPolicy, Storage, UsageIngestResult, UsageUnit } from '../storage/types.ts';

export interface IngestBatcherOptions {
  storage: Storage;
  now: () => number;
  latePolicy: (nowMs: number) => LateDataPolicy;
  /** How long the first frame of a batch waits for company. */
  maxDelayMs?: number;
  /** A batch is flushed at once when it holds this many records. */
  maxRecords?: number;
  /** Group commit sizes and times (tally_ingest_group_commit_*). */
  metrics?: Pick<Metrics, 'groupCommitRecords' | 'groupCommitSeconds'>;
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
  private flushing: Promise<void> | null = null;
  private readonly maxDelayMs: number;
  private readonly maxRecords: number;

  constructor(private readonly opts: IngestBatcherOptions) {
    this.maxDelayMs = opts.maxDelayMs ?? 10;
    this.maxRecords = opts.maxRecords ?? 20_000;
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
    while (this.flushing || this.pending.length) {
      if (this.flushing) await this.flushing;
      else await this.flush();
    }
  }

  private schedule(delayMs: number): void {
    if (this.flushing) return; // the running flush picks the batch up when it ends
    if (this.timer && delayMs > 0) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.flush(), delayMs);
  }

  private flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.flushing || this.pending.length === 0) return this.flushing ?? Promise.resolve();
    const batch = this.pending;
    const records = this.pendingRecords;
    this.pending = [];
    this.pendingRecords = 0;
    const now = this.opts.now();
    const started = performance.now();
    this.flushing = this.opts.storage.ingest.ingestUsageBatch(batch.map((w) => w.unit), now, this.opts.latePolicy(now)).then(
      (results) => {
        this.opts.metrics?.groupCommitRecords.observe(records);
        this.opts.metrics?.groupCommitSeconds.observe((performance.now() - started) / 1000);
        batch.forEach((w, i) => w.resolve(results[i]));
      },
      (err) => batch.forEach((w) => w.reject(err)),
    ).finally(() => {
      this.flushing = null;
      if (this.pending.length) this.schedule(0);
    });
    return this.flushing;
  }
}
