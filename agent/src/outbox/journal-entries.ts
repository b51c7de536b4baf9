import type { IAgentEvent, IUsageRecord } from '../../../proto/index.ts';

// What the journal says, one entry at a time. Replaying the entries in order
// rebuilds the outbox: which records are waiting, which sequence numbers were
// used, and which records may already have left the machine.

/** First entry of every journal file: the epoch and the counters that must survive compaction. */
export interface MetaEntry {
  op: 'meta';
  v: 1;
  usageStream: string;
  eventStream: string;
  /** Next sequence number per stream. */
  nextSeq: Record<string, number>;
  /** Per stream, the highest sequence ever handed to the transport. */
  sentUpTo: Record<string, number>;
}

export interface UsageEntry {
  op: 'usage';
  record: IUsageRecord;
}

export interface EventEntry {
  op: 'event';
  record: IAgentEvent;
}

/** Records the collector acknowledged or rejected for good: they leave the outbox. */
export interface SettledEntry {
  op: 'settled';
  stream: string;
  seqs: number[];
  /**
   * Every stream's floor after this entry (what the collector may be told).
   * Kept for all streams, not just this one, so that if damage ever loses a
   * settled entry, any later one still says which records are settled.
   */
  floors: Record<string, number>;
}

/** Written before records go on the wire, so a restarted agent knows they may have been delivered. */
export interface SentEntry {
  op: 'sent';
  upTo: Record<string, number>;
}

export type JournalEntry = MetaEntry | UsageEntry | EventEntry | SettledEntry | SentEntry;

/** Accepts only well-formed entries; anything else counts as damage. */
export function parseEntry(payload: unknown): JournalEntry | undefined {
  if (!isObject(payload)) return undefined;
  switch (payload.op) {
    case 'meta':
      return payload.v === 1 && isStream(payload.usageStream) && isStream(payload.eventStream) && isSeqMap(payload.nextSeq) && isSeqMap(payload.sentUpTo)
        ? (payload as unknown as MetaEntry)
        : undefined;
    case 'usage':
      return isUsageRecord(payload.record) ? (payload as unknown as UsageEntry) : undefined;
    case 'event':
      return isEventRecord(payload.record) ? (payload as unknown as EventEntry) : undefined;
    case 'settled':
      return isStream(payload.stream) && Array.isArray(payload.seqs) && payload.seqs.every(isSeq) && isSeqMap(payload.floors)
        ? (payload as unknown as SettledEntry)
        : undefined;
    case 'sent':
      return isSeqMap(payload.upTo) ? (payload as unknown as SentEntry) : undefined;
    default:
      return undefined;
  }
}

function isUsageRecord(value: unknown): value is IUsageRecord {
  return (
    isObject(value) &&
    hasHeader(value) &&
    Number.isInteger(value.utcDay) &&
    Number.isInteger(value.awakeSeconds) &&
    (value.awakeSeconds as number) >= 0 &&
    typeof value.bootId === 'string' &&
    typeof value.recordedAtMs === 'number'
  );
}

function isEventRecord(value: unknown): value is IAgentEvent {
  return isObject(value) && hasHeader(value) && typeof value.occurredAtMs === 'number';
}

function hasHeader(value: Record<string, unknown>): boolean {
  return isObject(value.header) && isStream(value.header.stream) && isSeq(value.header.seq);
}

function isSeqMap(value: unknown): value is Record<string, number> {
  return isObject(value) && Object.values(value).every(isSeq);
}

function isSeq(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) >= 0;
}

function isStream(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
