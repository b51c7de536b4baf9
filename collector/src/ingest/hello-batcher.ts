// Group commit for hellos, like the usage batcher (batcher.ts): the hellos of
// agents connecting together (a collector restart reconnects every agent at
// once) share one transaction and one fsync instead of one each. Each hello
// is welcomed only after its batch committed, so what is stored and when an
// agent may rely on it are unchanged.
//
// A batch that fails for any reason but an unavailable database is retried
// one hello at a time: a hello the store refuses (a device deleted a moment
// ago) fails alone, never the others that happened to share its transaction
// (group-commit.ts runBatchOrEach). Enrolments are not batched: they take a
// token's allowance and decide identity, each on its own (session.ts).
import type { Metrics } from '../metrics.ts';
import type { HelloWrite, Storage } from '../storage/types.ts';
import { GroupCommitQueue, runBatchOrEach, type Settleable } from './group-commit.ts';

export interface HelloBatcherOptions {
  storage: Pick<Storage, 'ingest'>;
  /** How long the first hello of a batch waits for others (default 5 ms). */
  maxDelayMs?: number;
  /** A batch is committed at once when it holds this many hellos (default 2,000). */
  maxHellos?: number;
  /** Batches in flight at once (default: the store's `concurrentBatches`, else 1). */
  maxConcurrent?: number;
  metrics?: Pick<Metrics, 'helloCommitHellos' | 'helloCommitSeconds'>;
}

interface Waiting extends Settleable<void> {
  unit: HelloWrite;
}

export class HelloBatcher {
  private readonly queue: GroupCommitQueue<Waiting>;

  constructor(private readonly opts: HelloBatcherOptions) {
    const maxHellos = opts.maxHellos ?? 2_000;
    this.queue = new GroupCommitQueue<Waiting>({
      maxDelayMs: opts.maxDelayMs ?? 5, maxWeight: maxHellos,
      maxConcurrent: Math.max(1, opts.maxConcurrent ?? opts.storage.ingest.concurrentBatches ?? 1),
      weight: () => 1,
      take: (waiting) => Math.min(waiting.length, maxHellos),
      commit: (batch) => {
        const started = performance.now();
        return this.commit(batch).then(() => {
          this.opts.metrics?.helloCommitHellos.observe(batch.length);
          this.opts.metrics?.helloCommitSeconds.observe((performance.now() - started) / 1000);
        });
      },
    });
  }

  /** Resolves once the hello's writes are committed (or rejects: then none of them was). */
  submit(unit: HelloWrite): Promise<void> {
    return new Promise((resolve, reject) => this.queue.add({ unit, resolve, reject }));
  }

  /** Commits whatever is waiting; resolves when nothing is waiting or in flight. */
  drain(): Promise<void> {
    return this.queue.drain();
  }

  private commit(batch: Waiting[]): Promise<void> {
    const { ingest } = this.opts.storage;
    return runBatchOrEach(batch, (items) => ingest.recordHellos(items.map((w) => w.unit)), () => undefined);
  }
}
