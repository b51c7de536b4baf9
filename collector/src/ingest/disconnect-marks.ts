// Connection marks cleared together. When many agents drop at once (a
// network outage at a site, a load balancer restart) every closed connection
// clears its device's mark; one transaction each kept a SQLite collector
// busy for tens of seconds at 10,000 agents (every one a synchronous commit,
// /metrics and the API waiting behind them). Here the marks of connections
// closing together share one transaction (GroupCommitQueue, as hellos do).
//
// A mark is a hint ("connected to some collector since"), not billing: a
// batch that fails is logged once and its marks age out (ACTIVE_WINDOW_MS
// after the device's last sign of life), so no caller waits on or retries it.
// A device that reconnected meanwhile keeps its new mark: a mark is cleared
// only when it is not newer than the closed connection's
// (DeviceStore.markDisconnectedMany).
import type { Logger } from '../../../common/log.ts';
import type { DeviceIdentityStore } from '../storage/types.ts';
import { GroupCommitQueue } from './group-commit.ts';

export interface DisconnectMark { deviceId: string; sinceMs: number }

interface Waiting { mark: DisconnectMark; done: () => void }

export interface DisconnectMarksOptions {
  devices: Pick<DeviceIdentityStore, 'markDisconnectedMany'>;
  logger: Pick<Logger, 'warn'>;
  /**
   * How long the first mark of a batch waits for others (default 0: the next
   * turn of the event loop). Marks gather anyway while a batch is being
   * written, which is when many close at once; waiting longer would leave a
   * closed connection's mark standing, and an enrolment of the same machine
   * right after would take the device for connected elsewhere.
   */
  maxDelayMs?: number;
  /** Marks in one transaction at most (default 5,000). */
  maxMarks?: number;
}

export class DisconnectMarks {
  private readonly queue: GroupCommitQueue<Waiting>;

  constructor(opts: DisconnectMarksOptions) {
    const maxMarks = opts.maxMarks ?? 5_000;
    this.queue = new GroupCommitQueue<Waiting>({
      maxDelayMs: opts.maxDelayMs ?? 0, maxWeight: maxMarks, maxConcurrent: 1,
      weight: () => 1,
      take: (waiting) => Math.min(waiting.length, maxMarks),
      commit: async (batch) => {
        try {
          await opts.devices.markDisconnectedMany(batch.map((w) => w.mark));
        } catch (err) {
          opts.logger.warn('could not clear the connection marks of closed connections; they age out', { err, count: batch.length });
        }
        for (const w of batch) w.done();
      },
    });
  }

  /** Clears the mark with the others closing now; resolves once its batch was tried (never rejects). */
  submit(mark: DisconnectMark): Promise<void> {
    return new Promise((done) => this.queue.add({ mark, done }));
  }

  /** Resolves when no mark is waiting or being written. */
  drain(): Promise<void> {
    return this.queue.drain();
  }
}
