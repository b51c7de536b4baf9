// Keeps the agent's facts fresh without ever blocking usage: collection runs
// on its own timer; module changes go into the outbox as events (durably,
// before the module record is committed); the inventory goes out when the
// facts changed, and at least daily.
import type { IDeviceFacts } from '../../proto/index.ts';
import type { Logger } from '../../common/log.ts';
import {
  collectDeviceFacts, loadInventoryMark, saveInventoryMark, shouldSendInventory, toProtoDeviceFacts, type CollectOptions, type FactsConfig,
} from './facts/index.ts';
import type { AgentRuntime } from './runtime.ts';

export interface FactsLoopOptions {
  stateDir: string;
  agentVersion: string;
  instanceId: string;
  config: FactsConfig;
  logger: Logger;
  /** How often facts are collected; the inventory is still sent only on change or daily. */
  intervalMs: number;
  /** Other sources or another OS adapter (tests); by default this machine's. */
  collect?: Pick<CollectOptions, 'sources' | 'platform'>;
}

export class FactsLoop {
  private current: IDeviceFacts | null = null;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  /** Inventories sent and not yet acknowledged: seq -> fingerprint. */
  private readonly unacked = new Map<number, string>();
  private runtime: AgentRuntime | null = null;

  constructor(private readonly opts: FactsLoopOptions) {}

  /** The latest facts, for hello. Never waits. */
  facts(): IDeviceFacts | null {
    return this.current;
  }

  start(runtime: AgentRuntime): void {
    this.runtime = runtime;
    this.refresh();
    this.timer = setInterval(() => this.refresh(), this.opts.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  /** Records that the collector stored the inventory with this sequence. */
  inventoryAcked(seq: number): void {
    const fingerprint = this.unacked.get(seq);
    if (fingerprint === undefined) return;
    this.unacked.delete(seq);
    void saveInventoryMark(this.opts.stateDir, { fingerprint, sentAtMs: Date.now() })
      .catch((err) => this.opts.logger.warn('could not save the inventory mark', { err }));
  }

  private refresh(): void {
    if (this.running) return; // one collection at a time; a slow one skips a round
    this.running = this.collectOnce().catch((err) => {
      this.opts.logger.warn('facts collection failed; will retry next round', { err });
    }).finally(() => {
      this.running = null;
    });
  }

  private async collectOnce(): Promise<void> {
    const o = this.opts;
    const collection = await collectDeviceFacts({ ...o.collect, agentVersion: o.agentVersion, stateDir: o.stateDir, instanceId: o.instanceId, config: o.config });
    this.current = toProtoDeviceFacts(collection.facts);
    for (const event of collection.moduleEvents) this.runtime!.recordEvent(event);
    // Events are in the journal now; a crash before this line repeats them, never loses them.
    await collection.commit();
    const decision = shouldSendInventory(await loadInventoryMark(o.stateDir), collection.fingerprint, Date.now());
    if (decision.send) {
      const seq = this.runtime!.sendInventory();
      if (seq !== null) this.unacked.set(seq, collection.fingerprint);
      o.logger.debug('inventory', { reason: decision.reason, sent: seq !== null, durationMs: collection.durationMs });
    }
  }
}
