// The agent's run loop: the meter feeds the outbox on an interval, the outbox
// feeds the connection, acknowledgements empty the outbox. Nothing here reads
// OS facts or touches sockets directly; it only wires the parts together.
import { UPGRADE_ERROR, type IAck, type IDeviceFacts, type IHello, type IWelcome } from '../../proto/index.ts';
import type { Logger } from '../../common/log.ts';
import type { AwakeMeter } from './meter/index.ts';
import type { Outbox } from './outbox/index.ts';
import { forgetCredentials, loadCredentials, saveCredentials, type DeviceCredentials } from './credentials.ts';
import { writeStatus, type AgentStatus } from './diagnostics/status-file.ts';
import { CollectorConnection, type ConnectionOptions, type Credentials, type RefusalDecision } from './transport/connection.ts';
import type { ConnectFailure } from './transport/failure.ts';
import { redactProxy } from './transport/proxy.ts';

/** At most one "reports acknowledged" info line, and one status.json write on acks alone, per this period. */
const ACK_LOG_MS = 60_000;

/** Upgrade refusals that pass by themselves: retried on the normal backoff, not slowly. */
const PASSING_REFUSALS: ReadonlySet<string> = new Set([UPGRADE_ERROR.storageUnavailable, UPGRADE_ERROR.rateLimited, UPGRADE_ERROR.tooManyConnections, UPGRADE_ERROR.addressLimit]);

export interface RuntimeOptions {
  stateDir: string;
  collectorUrl: URL;
  enrolmentToken: string | null;
  usageIntervalMs: number;
  agentVersion: string;
  instanceId: string;
  /** When this installation first ran (ms), for the hello; null when unknown. */
  firstRunMs?: number | null;
  /** Latest facts for hello; must be cheap (cached), never collected on this path. */
  facts: () => IDeviceFacts | null;
  meter: AwakeMeter;
  outbox: Outbox;
  logger: Logger;
  /** The collector refused our key because another machine is using it: this one is a clone. */
  onCloneDetected?: () => void;
  /** Called each time the collector welcomes this agent (its hello, with its version, was accepted). */
  onWelcomed?: () => void;
  /** Called when the collector acknowledged the inventory sent with this sequence. */
  onInventoryAcked?: (seq: number) => void;
  /** Records per frame. */
  batchSize?: number;
  /** A batch not acknowledged within this time means the link is broken: reconnect. */
  ackTimeoutMs?: number;
  connection?: Partial<Pick<ConnectionOptions, 'backoff' | 'pingIntervalMs' | 'random' | 'ca' | 'proxy'>>;
}

export class NoCredentialsError extends Error {}

export class AgentRuntime {
  private readonly conn: CollectorConnection;
  private credentials: DeviceCredentials | null;
  private readonly inFlight = new Set<string>();
  private inFlightSinceMs = 0;
  private usageTimer: NodeJS.Timeout | null = null;
  private ackWatch: NodeJS.Timeout | null = null;
  private idleWaiters: (() => void)[] = [];
  /** Inventory sequence: wall-clock ms, kept strictly increasing. */
  private inventorySeq = 0;
  private metered = 0;
  private status: AgentStatus;
  private statusWrittenAtMs = 0;
  private ackLog = { atMs: 0, records: 0, frames: 0 };

  constructor(private readonly opts: RuntimeOptions) {
    const saved = loadCredentials(opts.stateDir);
    // A key is only ever presented to the collector that issued it.
    this.credentials = saved && saved.collectorUrl === opts.collectorUrl.href ? saved : null;
    if (!this.credentials && !opts.enrolmentToken) {
      throw new NoCredentialsError('this device is not enrolled yet: pass --token (or TALLY_ENROLL_TOKEN) with an enrolment token from the collector');
    }
    this.conn = new CollectorConnection({
      url: opts.collectorUrl,
      credentials: () => this.currentCredentials(),
      hello: () => this.hello(),
      handlers: {
        onWelcome: (w) => this.onWelcome(w),
        onAck: (a) => this.onAck(a),
        onDisconnected: (info) => this.onDisconnected(info),
        onRefused: (info) => this.onRefused(info.code),
        onCloneDetected: () => opts.onCloneDetected?.(),
        onConnectFailure: (failure) => this.onConnectFailure(failure),
      },
      logger: opts.logger,
      ...opts.connection,
    });
    this.status = {
      agentVersion: opts.agentVersion, pid: process.pid, startedAtMs: Date.now(), collectorUrl: opts.collectorUrl.href,
      proxy: opts.connection?.proxy ? redactProxy(opts.connection.proxy) : null, deviceId: this.credentials?.deviceId ?? null,
      connected: false, lastConnectedAtMs: null, lastAckAtMs: null, lastError: null, outboxRecords: 0, oldestWaitingMs: null, stopped: false, updatedAtMs: 0,
    };
  }

  get deviceId(): string | null {
    return this.credentials?.deviceId ?? null;
  }

  start(): void {
    this.saveStatus(true);
    this.conn.start();
    this.usageTimer = setInterval(() => this.cutUsage(), this.opts.usageIntervalMs);
    this.ackWatch = setInterval(() => this.checkAckTimeout(), 1_000);
    this.ackWatch.unref();
  }

  /**
   * Stops metering, journals the last seconds, gives the collector a short
   * chance to acknowledge what is in flight, then closes. Anything not
   * acknowledged stays in the outbox for the next start.
   */
  async stop(graceMs = 2_000): Promise<void> {
    if (this.usageTimer) clearInterval(this.usageTimer);
    if (this.ackWatch) clearInterval(this.ackWatch);
    this.opts.meter.stop();
    this.cutUsage();
    const delivered = await this.waitIdle(graceMs);
    await this.conn.stop();
    const left = this.opts.outbox.stats().records;
    this.status.stopped = true;
    this.status.connected = false;
    this.saveStatus(true);
    this.opts.outbox.close();
    // What this run metered, and whether all of it reached the collector; the rest goes at the next start.
    this.opts.logger.info('agent stopped', { meteredSeconds: this.meteredSeconds, delivered, recordsLeftInOutbox: left });
  }

  /** Seconds this run moved from the meter into the outbox. */
  get meteredSeconds(): number {
    return this.metered;
  }

  /** Moves metered seconds into the durable outbox, then sends what is due. */
  cutUsage(): void {
    const days = this.opts.meter.drain();
    if (days.length) {
      const now = Date.now();
      for (const d of days) this.metered += d.awakeSeconds;
      this.opts.outbox.appendUsage(days.map((d) => ({ ...d, recordedAtMs: now })));
    }
    this.flush();
  }

  /**
   * New facts from the collector of facts: sent as an inventory now if the
   * link is up, and in every hello from then on. Inventories are not
   * journaled: the newest facts are the only ones worth sending.
   */
  /** Returns the inventory's sequence, or null when it could not be sent now (it goes with the next hello). */
  sendInventory(): number | null {
    const facts = this.opts.facts();
    if (!facts || !this.conn.ready) return null;
    this.inventorySeq = Math.max(this.inventorySeq + 1, Date.now());
    this.conn.send({ inventory: { header: { stream: `inventory/${this.opts.instanceId}`, seq: this.inventorySeq }, facts } });
    return this.inventorySeq;
  }

  /** Journals an event (uninstalled, module change...) and sends it when possible. */
  recordEvent(event: Parameters<Outbox['appendEvent']>[0]): void {
    this.opts.outbox.appendEvent(event);
    this.flush();
  }

  /** Resolves once nothing is waiting to be sent or acknowledged, or after timeoutMs. */
  waitIdle(timeoutMs: number): Promise<boolean> {
    if (this.isIdle()) return Promise.resolve(true);
    return new Promise((resolve) => {
      const t = setTimeout(() => resolve(false), timeoutMs);
      this.idleWaiters.push(() => {
        clearTimeout(t);
        resolve(true);
      });
    });
  }

  private isIdle(): boolean {
    return this.inFlight.size === 0 && this.opts.outbox.stats().records === 0;
  }

  private currentCredentials(): Credentials {
    if (this.credentials) return { kind: 'device', deviceKey: this.credentials.deviceKey };
    return { kind: 'enrolment', token: this.opts.enrolmentToken! };
  }

  private hello(): IHello {
    return { agentVersion: this.opts.agentVersion, instanceId: this.opts.instanceId, firstRunMs: this.opts.firstRunMs ?? 0, facts: this.opts.facts() };
  }

  private onWelcome(w: IWelcome): void {
    if (w.deviceKey) {
      this.credentials = {
        deviceId: w.deviceId ?? '', deviceKey: w.deviceKey, companyId: w.companyId ?? '',
        collectorUrl: this.opts.collectorUrl.href, enrolledAtMs: Date.now(),
      };
      saveCredentials(this.opts.stateDir, this.credentials);
      this.opts.logger.info('enrolled', { deviceId: w.deviceId, companyId: w.companyId });
    } else {
      this.opts.logger.info('connected', { deviceId: w.deviceId });
    }
    Object.assign(this.status, { connected: true, lastConnectedAtMs: Date.now(), deviceId: this.credentials?.deviceId ?? w.deviceId ?? null });
    this.saveStatus(true);
    try {
      this.opts.onWelcomed?.();
    } catch (err) {
      this.opts.logger.warn('welcome hook failed', { err });
    }
    this.flush();
  }

  private onRefused(code: string): RefusalDecision {
    if (code === UPGRADE_ERROR.invalidDeviceKey && this.opts.enrolmentToken) {
      // The collector no longer knows our key (its database was replaced, or
      // the device was deleted): enrol again rather than fall silent.
      this.opts.logger.warn('device key refused; enrolling again with the enrolment token');
      forgetCredentials(this.opts.stateDir);
      this.credentials = null;
      return 'retry';
    }
    // Passing conditions retry on the normal backoff; refusals that need an admin retry slowly.
    return PASSING_REFUSALS.has(code) || code.startsWith('http_5') ? 'retry' : 'retry-slowly';
  }

  private onDisconnected(info: { code: number; reason: string }): void {
    this.opts.logger.info('disconnected', info);
    this.inFlight.clear();
    this.opts.outbox.onDisconnected();
    this.status.connected = false;
    this.saveStatus(true);
  }

  private onAck(ack: IAck): void {
    const stream = ack.stream ?? '';
    const seqs = (ack.seqs ?? []).map(Number);
    const rejected = (ack.rejected ?? []).map((r) => Number(r.seq));
    for (const r of ack.rejected ?? []) {
      this.opts.logger.warn('collector rejected a record for good', { stream, seq: r.seq, code: r.code, message: r.message });
    }
    this.opts.outbox.ack(stream, seqs, rejected);
    if (stream.startsWith('inventory/')) {
      // Not journaled, nothing to settle; the facts loop records what was delivered.
      for (const s of seqs) this.opts.onInventoryAcked?.(s);
      return;
    }
    for (const s of [...seqs, ...rejected]) this.inFlight.delete(`${stream}#${s}`);
    this.noteAcknowledged(seqs.length + rejected.length);
    if (this.inFlight.size === 0) this.flush();
  }

  /** An info line for acknowledged reports, at most once a minute (with the counts since the last one), never one per frame. */
  private noteAcknowledged(records: number): void {
    const now = Date.now();
    this.status.lastAckAtMs = now;
    this.ackLog.records += records;
    this.ackLog.frames++;
    if (now - this.ackLog.atMs < ACK_LOG_MS) return;
    const left = this.opts.outbox.stats();
    this.opts.logger.info('reports acknowledged', { records: this.ackLog.records, frames: this.ackLog.frames, waitingInOutbox: left.records });
    this.ackLog = { atMs: now, records: 0, frames: 0 };
    this.saveStatus(true);
  }

  private onConnectFailure(failure: ConnectFailure): void {
    const previous = this.status.lastError;
    this.status.lastError = { ...failure, message: failure.message.slice(0, 300), atMs: Date.now() };
    this.status.connected = false;
    // A new kind of failure is written at once; the same one again at most once a minute.
    this.saveStatus(previous?.reason !== failure.reason || previous.code !== failure.code);
  }

  private saveStatus(now: boolean): void {
    const at = Date.now();
    if (!now && at - this.statusWrittenAtMs < ACK_LOG_MS) return;
    const stats = this.opts.outbox.stats();
    this.status.outboxRecords = stats.records;
    this.status.oldestWaitingMs = stats.oldestMs;
    this.status.updatedAtMs = at;
    this.statusWrittenAtMs = at;
    writeStatus(this.opts.stateDir, this.status);
  }

  /** Stop-and-wait per batch: the next batch leaves when the previous one is acknowledged. */
  private flush(): void {
    if (this.inFlight.size === 0 && this.conn.ready) {
      const batch = this.opts.outbox.nextBatch(this.opts.batchSize ?? 500);
      const floors = this.opts.outbox.floors();
      if (batch.usage.length) this.conn.send({ usage: { records: batch.usage, floors } });
      if (batch.events.length) this.conn.send({ events: { events: batch.events, floors } });
      for (const r of [...batch.usage, ...batch.events]) this.inFlight.add(`${r.header!.stream}#${r.header!.seq}`);
      if (this.inFlight.size) this.inFlightSinceMs = Date.now();
    }
    if (this.isIdle()) {
      for (const w of this.idleWaiters.splice(0)) w();
    }
  }

  private checkAckTimeout(): void {
    if (this.inFlight.size && Date.now() - this.inFlightSinceMs > (this.opts.ackTimeoutMs ?? 60_000)) {
      this.opts.logger.warn('no acknowledgement in time; reconnecting', { inFlight: this.inFlight.size });
      this.inFlight.clear();
      void this.conn.stop().then(() => this.conn.start());
    }
  }
}
