// The group-commit queue shared by the usage batcher (batcher.ts) and the
// hello batcher (hello-batcher.ts): waiting items gather while the commits in
// flight run, a batch is flushed after `maxDelayMs` or at once when it weighs
// `maxWeight`, and at most `maxConcurrent` commits run at once (a commit that
// ends picks up what gathered meanwhile). What a batch is, how much of the
// queue one commit takes and how it is committed are the caller's.
import { StorageError } from '../storage/types.ts';

export interface GroupCommitOptions<W> {
  /** How long the first item of a batch waits for company. */
  maxDelayMs: number;
  /** A batch is flushed at once when the waiting items weigh this much. */
  maxWeight: number;
  /** Commits in flight at once (at least 1). */
  maxConcurrent: number;
  /** An item's weight (records of a usage frame, 1 for a hello). */
  weight: (item: W) => number;
  /** How many of the waiting items (oldest first; their total weight given) the next commit takes. */
  take: (waiting: readonly W[], weight: number) => number;
  /** Commits a batch and settles each of its items; must not reject. */
  commit: (batch: W[]) => Promise<void>;
  /** Told the number of commits in flight whenever it changes. */
  onInFlight?: (n: number) => void;
}

export class GroupCommitQueue<W> {
  private pending: W[] = [];
  private pendingWeight = 0;
  private timer: NodeJS.Timeout | null = null;
  private readonly inFlight = new Set<Promise<void>>();

  constructor(private readonly opts: GroupCommitOptions<W>) {}

  add(item: W): void {
    this.pending.push(item);
    this.pendingWeight += this.opts.weight(item);
    this.schedule(this.pendingWeight >= this.opts.maxWeight ? 0 : this.opts.maxDelayMs);
  }

  /** Commits whatever is waiting; resolves when nothing is waiting or in flight. */
  async drain(): Promise<void> {
    // Each round commits a batch or waits for one: bounded, as every loop here.
    for (let round = 0; round < 1_000_000 && (this.inFlight.size > 0 || this.pending.length > 0); round++) {
      if (this.inFlight.size > 0) await Promise.race(this.inFlight);
      else await this.flush();
    }
  }

  private schedule(delayMs: number): void {
    if (this.inFlight.size >= this.opts.maxConcurrent) return; // a flush that ends picks the batch up
    if (this.timer && delayMs > 0) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.flush(), delayMs);
  }

  private flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.pending.length === 0) return Promise.resolve();
    if (this.inFlight.size >= this.opts.maxConcurrent) return Promise.race(this.inFlight);
    const batch = this.pending.splice(0, this.opts.take(this.pending, this.pendingWeight));
    for (const item of batch) this.pendingWeight -= this.opts.weight(item);
    const flushing: Promise<void> = this.opts.commit(batch).finally(() => {
      this.inFlight.delete(flushing);
      this.opts.onInFlight?.(this.inFlight.size);
      if (this.pending.length) this.schedule(0); // they waited for this flush already
    });
    this.inFlight.add(flushing);
    this.opts.onInFlight?.(this.inFlight.size);
    if (this.pending.length) this.schedule(this.pendingWeight >= this.opts.maxWeight ? 0 : this.opts.maxDelayMs);
    return flushing;
  }
}

/** An item of a batch that is settled one by one: a promise's two ends. */
export interface Settleable<R> { resolve: (r: R) => void; reject: (err: unknown) => void }

/**
 * Runs `run` for a whole batch and settles each item from its result. A batch
 * that fails for any reason but an unavailable database is run again one item
 * at a time, so that an item the store refuses (a device deleted a moment
 * ago) fails alone and never the others that happened to share its batch; an
 * unavailable database fails them all at once (retrying each would only wait
 * on it once per item). Never rejects: a GroupCommitQueue commit.
 */
export async function runBatchOrEach<W extends Settleable<R>, B, R>(batch: W[], run: (items: W[]) => Promise<B>, resultOf: (b: B, item: W) => R): Promise<void> {
  try {
    const b = await run(batch);
    for (const w of batch) w.resolve(resultOf(b, w));
    return;
  } catch (err) {
    if (batch.length === 1 || (err instanceof StorageError && err.code === 'storage_unavailable')) {
      for (const w of batch) w.reject(err);
      return;
    }
  }
  for (const w of batch) await run([w]).then((b) => w.resolve(resultOf(b, w)), w.reject);
}
