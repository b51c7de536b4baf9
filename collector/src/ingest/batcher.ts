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
import { GroupCommitQueue } from './group-commit.ts';

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
  private readonly queue: GroupCommitQueue<Waiting>;

  constructor(private readonly opts: IngestBatcherOptions) {
    const maxRecords = opts.maxRecords ?? 20_000;
    const maxConcurrent = Math.max(1, opts.maxConcurrent ?? opts.storage.ingest.concurrentBatches ?? 1);
    opts.metrics?.groupCommitLimit.set(maxConcurrent);
    this.queue = new GroupCommitQueue<Waiting>({
      maxDelayMs: opts.maxDelayMs ?? 10, maxWeight: maxRecords, maxConcurrent,
      weight: (w) => w.unit.records.length,
      // One commit at a time takes everything waiting. Several take the oldest
      // frames up to maxRecords each, first come first served, so every agent
      // waits about as long and the work spreads over the connections.
      take: (waiting, records) => {
        if (maxConcurrent === 1 || records <= maxRecords) return waiting.length;
        let take = 0;
        let taken = 0;
        while (take < waiting.length && (take === 0 || taken + waiting[take].unit.records.length <= maxRecords)) taken += waiting[take++].unit.records.length;
        return take;
      },
      commit: (batch) => this.commit(batch),
      onInFlight: (n) => opts.metrics?.groupCommitsInFlight.set(n),
    });
  }

  /** Resolves once the frame's records are committed (or rejects: then nothing of it was stored). */
  submit(unit: UsageUnit): Promise<UsageIngestResult> {
    return new Promise((resolve, reject) => this.queue.add({ unit, resolve, reject }));
  }

  /** Commits whatever is waiting; resolves when nothing is waiting or in flight. */
  drain(): Promise<void> {
    return this.queue.drain();
  }

  private commit(batch: Waiting[]): Promise<void> {
    const records = batch.reduce((n, w) => n + w.unit.records.length, 0);
    const now = this.opts.now();
    const started = performance.now();
    return this.opts.storage.ingest.ingestUsageBatch(batch.map((w) => w.unit), now, this.opts.latePolicy(now)).then(
      (results) => {
        this.opts.metrics?.groupCommitRecords.observe(records);
        this.opts.metrics?.groupCommitSeconds.observe((performance.now() - started) / 1000);
        batch.forEach((w, i) => w.resolve(results[i]));
      },
      (err) => batch.forEach((w) => w.reject(err)),
    );
  }
}
