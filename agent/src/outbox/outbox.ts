import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { IAgentEvent, IStreamFloor, IUsageRecord } from '../../../proto/index.ts';
import { planFold } from './fold.ts';
import type { JournalEntry, MetaEntry } from './journal-entries.ts';
import { JournalFile } from './journal-file.ts';
import { frameEntry } from './journal-format.ts';
import { acquireLock, type HeldLock } from './lock/index.ts';
import { replayJournal, streamOf, type LiveRecord, type LiveStreams } from './replay.ts';

export interface OutboxOptions {
  /** Cap on the bytes of waiting records; above it, never-sent usage is folded into per-day totals. */
  maxBytes?: number;
  /** Cap on the number of waiting records (usage and events), same effect. */
  maxRecords?: number;
  /** The journal is not compacted below this size, however much of it is settled. */
  compactMinBytes?: number;
}

export interface UsageItem {
  utcDay: number;
  bootId: string;
  awakeSeconds: number;
  recordedAtMs: number;
}

export interface OutboxBatch {
  usage: IUsageRecord[];
  events: IAgentEvent[];
  /** Floors of every stream, to send with the batch. */
  floors: IStreamFloor[];
}

export interface OutboxStats {
  /** Records waiting for an ack (usage and events). */
  records: number;
  /** Size of the journal file. */
  bytes: number;
  /** Bytes of the waiting records alone (what the caps measure). */
  liveBytes: number;
  /** Oldest recordedAtMs / occurredAtMs among waiting records; null when none wait. */
  oldestMs: number | null;
  /** Still over a cap after folding: only sent-but-unacknowledged usage and events are left, which must not be folded. */
  overCap: boolean;
}

const DEFAULTS = { maxBytes: 4 * 1024 * 1024, maxRecords: 10_000, compactMinBytes: 64 * 1024 };
const LOCK_NAME = 'outbox.lock';

/**
 * The agent's durable outbox: every record is journaled (fsynced) before it
 * can be sent, and leaves only when the collector acknowledges or rejects it.
 * See README.md for the journal format, recovery, and why folding never
 * touches a record that may have been sent.
 *
 * One process, synchronous I/O: every method is one durable step.
 */
export class Outbox {
  private readonly inFlight = new Set<string>();
  private closed = false;
  private failure: Error | undefined;
  private liveBytes = 0;
  private liveCount = 0;

  private constructor(
    private readonly file: JournalFile,
    private readonly lock: HeldLock,
    private readonly limits: Required<OutboxOptions>,
    private readonly usageStream: string,
    private readonly eventStream: string,
    /** Next sequence per stream (for streams of older epochs: one past the highest seen). */
    private readonly nextSeq: Map<string, number>,
    /** Per stream, the highest sequence that may have left the machine. */
    private readonly sentUpTo: Map<string, number>,
    private live: LiveStreams,
  ) {
    this.recount();
  }

  static open(dir: string, opts: OutboxOptions = {}): Outbox {
    const limits = { ...DEFAULTS, ...opts };
    const lock = acquireLock(join(dir, LOCK_NAME));
    try {
      const { file, content } = JournalFile.open(dir);
      const replayed = replayJournal(content);
      const nextSeq = new Map([...replayed.highestSeq].map(([stream, seq]) => [stream, seq + 1]));
      const sentUpTo = new Map(replayed.sentUpTo);
      const intact = !replayed.damaged && replayed.meta !== undefined;
      if (intact) {
        const meta = replayed.meta!;
        return new Outbox(file, lock, limits, meta.usageStream, meta.eventStream, nextSeq, sentUpTo, replayed.live);
      }
      // New, or damaged. Damage may have hidden a used sequence number or a
      // "sent" mark, so new records go to a fresh epoch (fresh stream names,
      // sequences from 1), and every surviving record counts as possibly sent.
      if (!replayed.empty) {
        for (const [stream, highest] of replayed.highestSeq) sentUpTo.set(stream, highest);
      }
      const outbox = new Outbox(file, lock, limits, `usage/${randomUUID()}`, `events/${randomUUID()}`, nextSeq, sentUpTo, replayed.live);
      outbox.rewriteJournal(outbox.live);
      return outbox;
    } catch (err) {
      lock.release();
      throw err;
    }
  }

  /** Journals usage records (one write, one fsync) and returns them with their headers. Zero-second items are skipped. */
  appendUsage(items: UsageItem[]): IUsageRecord[] {
    this.assertOpen();
    for (const item of items) {
      const validSeconds = Number.isInteger(item.awakeSeconds) && item.awakeSeconds >= 0 && item.awakeSeconds <= 0xffff_ffff;
      if (!Number.isInteger(item.utcDay) || !validSeconds || !item.bootId || !Number.isFinite(item.recordedAtMs)) {
        throw new RangeError(`invalid usage item ${JSON.stringify(item)}`);
      }
    }
    const records: IUsageRecord[] = items
      .filter((item) => item.awakeSeconds > 0)
      .map((item) => ({
        header: { stream: this.usageStream, seq: this.takeSeq(this.usageStream) },
        utcDay: item.utcDay,
        awakeSeconds: item.awakeSeconds,
        bootId: item.bootId,
        recordedAtMs: item.recordedAtMs,
      }));
    this.appendRecords(records.map((record) => ({ op: 'usage', record })));
    this.enforceCap();
    return records.map((r) => structuredClone(r));
  }

  /** Journals one event on the event stream. Events are never folded. */
  appendEvent(event: Omit<IAgentEvent, 'header'>): IAgentEvent {
    this.assertOpen();
    const record: IAgentEvent = { ...structuredClone(event), header: { stream: this.eventStream, seq: this.takeSeq(this.eventStream) } };
    this.appendRecords([{ op: 'event', record }]);
    this.enforceCap();
    return structuredClone(record);
  }

  /**
   * The next records to send, oldest first, up to `limit` usage records and
   * `limit` events, skipping those already in flight on this connection. They
   * are marked as possibly sent on disk before this returns, which is what
   * keeps them out of any later fold.
   */
  nextBatch(limit: number): OutboxBatch {
    this.assertOpen();
    const usage: IUsageRecord[] = [];
    const events: IAgentEvent[] = [];
    const sentMarks: Record<string, number> = {};
    for (const [stream, records] of this.live) {
      for (const [seq, live] of records) {
        const bucket: unknown[] = live.kind === 'usage' ? usage : events;
        if (bucket.length >= limit || this.inFlight.has(key(stream, seq))) continue;
        bucket.push(structuredClone(live.record));
        this.inFlight.add(key(stream, seq));
        if (seq > (this.sentUpTo.get(stream) ?? 0)) sentMarks[stream] = Math.max(sentMarks[stream] ?? 0, seq);
      }
    }
    if (Object.keys(sentMarks).length > 0) {
      this.durably(() => this.file.append([frameEntry({ op: 'sent', upTo: sentMarks } satisfies JournalEntry)]));
      for (const [stream, seq] of Object.entries(sentMarks)) this.sentUpTo.set(stream, seq);
    }
    return { usage, events, floors: this.floors() };
  }

  /** The connection dropped: whatever was in flight is sent again on the next one (the collector dedupes). */
  onDisconnected(): void {
    this.inFlight.clear();
  }

  /** Removes acknowledged and rejected records of one stream. Unknown or repeated sequences are ignored. */
  ack(stream: string, seqs: readonly number[], rejectedSeqs: readonly number[] = []): void {
    this.assertOpen();
    const records = this.live.get(stream);
    if (!records) return;
    const settled = [...new Set([...seqs, ...rejectedSeqs])].filter((seq) => records.has(seq));
    if (settled.length === 0) return;
    const settledSet = new Set(settled);
    const remaining = [...records.keys()].filter((seq) => !settledSet.has(seq));
    const floors = Object.fromEntries(this.floors().map((f) => [f.stream, f.oldestUnackedSeq as number]));
    floors[stream] = remaining.length > 0 ? Math.min(...remaining) : this.nextSeq.get(stream) ?? 1;
    // Durable first: a floor the collector has seen must never be contradicted by the disk.
    this.durably(() => this.file.append([frameEntry({ op: 'settled', stream, seqs: settled, floors } satisfies JournalEntry)]));
    for (const seq of settled) {
      const live = records.get(seq)!;
      records.delete(seq);
      this.inFlight.delete(key(stream, seq));
      this.liveBytes -= live.entryBytes;
      this.liveCount--;
    }
    if (records.size === 0 && stream !== this.usageStream && stream !== this.eventStream) this.live.delete(stream);
    this.maybeCompact();
  }

  /** Per stream, the oldest sequence not yet acknowledged: everything below it will never be sent again. */
  floors(): IStreamFloor[] {
    const floors: IStreamFloor[] = [];
    const reported = new Set<string>();
    for (const [stream, records] of this.live) {
      if (records.size === 0) continue;
      floors.push({ stream, oldestUnackedSeq: records.keys().next().value as number });
      reported.add(stream);
    }
    for (const stream of [this.usageStream, this.eventStream]) {
      const next = this.nextSeq.get(stream) ?? 1;
      if (!reported.has(stream) && next > 1) floors.push({ stream, oldestUnackedSeq: next });
    }
    return floors;
  }

  stats(): OutboxStats {
    let oldestMs: number | null = null;
    for (const records of this.live.values()) {
      for (const live of records.values()) {
        const at = Number(live.kind === 'usage' ? live.record.recordedAtMs : live.record.occurredAtMs);
        if (oldestMs === null || at < oldestMs) oldestMs = at;
      }
    }
    return { records: this.liveCount, bytes: this.file.size, liveBytes: this.liveBytes, oldestMs, overCap: this.isOverCap() };
  }

  /** The current epoch's stream names. */
  streams(): { usage: string; events: string } {
    return { usage: this.usageStream, events: this.eventStream };
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      this.file.close();
    } finally {
      this.lock.release();
    }
  }

  private appendRecords(entries: JournalEntry[]): void {
    if (entries.length === 0) return;
    const frames = entries.map((entry) => frameEntry(entry));
    this.durably(() => this.file.append(frames));
    entries.forEach((entry, i) => {
      if (entry.op !== 'usage' && entry.op !== 'event') return;
      const { stream, seq } = entry.record.header as { stream: string; seq: number };
      streamOf(this.live, stream).set(seq, { kind: entry.op, record: entry.record, entryBytes: frames[i].length } as LiveRecord);
      this.liveBytes += frames[i].length;
      this.liveCount++;
    });
  }

  /**
   * Over a cap, folds the usage records that never left the machine into
   * per-(day, boot) totals with new sequence numbers, in one atomic rewrite.
   * Records that may have been sent are left alone; see fold.ts.
   */
  private enforceCap(): void {
    if (this.isOverCap() && this.foldNeverSentUsage()) return; // the fold rewrote the journal
    this.maybeCompact();
  }

  /** Returns whether anything was folded. */
  private foldNeverSentUsage(): boolean {
    const current = this.live.get(this.usageStream);
    const sentUpTo = this.sentUpTo.get(this.usageStream) ?? 0;
    const neverSent = [...(current?.values() ?? [])]
      .filter((live) => live.kind === 'usage' && (live.record.header!.seq as number) > sentUpTo)
      .map((live) => live.record as IUsageRecord);
    const plan = planFold(neverSent);
    if (plan.replacedSeqs.length === 0) return false;

    const folded = new Map(current);
    for (const seq of plan.replacedSeqs) folded.delete(seq);
    // Sequence numbers are taken before the rewrite: if it fails they are
    // simply skipped, never reused for different content.
    for (const record of plan.folded) {
      const seq = this.takeSeq(this.usageStream);
      folded.set(seq, { kind: 'usage', record: { header: { stream: this.usageStream, seq }, ...record }, entryBytes: 0 });
    }
    const nextLive = new Map(this.live).set(this.usageStream, folded);
    this.rewriteJournal(nextLive);
    return true;
  }

  private maybeCompact(): void {
    const { compactMinBytes } = this.limits;
    if (this.file.size >= compactMinBytes && this.file.size > 2 * this.liveBytes) this.rewriteJournal(this.live);
  }

  /** Writes meta + live records as a new journal, then adopts `live` as the state. */
  private rewriteJournal(live: LiveStreams): void {
    const meta: MetaEntry = {
      op: 'meta',
      v: 1,
      usageStream: this.usageStream,
      eventStream: this.eventStream,
      nextSeq: Object.fromEntries(this.nextSeq),
      sentUpTo: Object.fromEntries(this.sentUpTo),
    };
    const frames = [frameEntry(meta)];
    for (const records of live.values()) {
      for (const [, entry] of records) {
        const frame = frameEntry({ op: entry.kind, record: entry.record } as JournalEntry);
        entry.entryBytes = frame.length;
        frames.push(frame);
      }
    }
    this.durably(() => this.file.rewrite(frames));
    this.live = live;
    this.recount();
  }

  /**
   * Runs a journal write. If it fails, what reached the disk is unknown (a
   * write may be torn, an fsync may have failed after the data landed), so
   * the in-memory state can no longer be trusted: the outbox closes itself
   * and releases the lock. Opening it again replays what the disk really holds.
   */
  private durably(write: () => void): void {
    try {
      write();
    } catch (err) {
      this.failure = err as Error;
      this.close();
      throw err;
    }
  }

  private takeSeq(stream: string): number {
    const seq = this.nextSeq.get(stream) ?? 1;
    this.nextSeq.set(stream, seq + 1);
    return seq;
  }

  private isOverCap(): boolean {
    return this.liveCount > this.limits.maxRecords || this.liveBytes > this.limits.maxBytes;
  }

  private recount(): void {
    this.liveBytes = 0;
    this.liveCount = 0;
    for (const records of this.live.values()) {
      for (const entry of records.values()) {
        this.liveBytes += entry.entryBytes;
        this.liveCount++;
      }
    }
  }

  private assertOpen(): void {
    if (this.failure) throw new Error(`outbox closed after a failed journal write: ${this.failure.message}`);
    if (this.closed) throw new Error('outbox is closed');
  }
}

const key = (stream: string, seq: number) => `${stream}#${seq}`;
