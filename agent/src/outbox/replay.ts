import type { IAgentEvent, IUsageRecord } from '../../../proto/index.ts';
import { parseEntry, type MetaEntry } from './journal-entries.ts';
import { scanEntries } from './journal-format.ts';

export type LiveRecord =
  | { kind: 'usage'; record: IUsageRecord; entryBytes: number }
  | { kind: 'event'; record: IAgentEvent; entryBytes: number };

/** Live records per stream, each stream's map kept in ascending seq order. */
export type LiveStreams = Map<string, Map<number, LiveRecord>>;

export interface ReplayedJournal {
  /** The epoch; absent when the file is new or its first entry was lost. */
  meta: MetaEntry | undefined;
  live: LiveStreams;
  /** Per stream, the highest sequence any entry mentions. */
  highestSeq: Map<string, number>;
  sentUpTo: Map<string, number>;
  /** True when any byte was not part of an intact, well-formed entry. */
  damaged: boolean;
  empty: boolean;
}

/** Rebuilds the outbox state from the journal bytes; never throws on any content. */
export function replayJournal(content: Buffer): ReplayedJournal {
  const scan = scanEntries(content);
  const state: ReplayedJournal = {
    meta: undefined,
    live: new Map(),
    highestSeq: new Map(),
    sentUpTo: new Map(),
    damaged: scan.damaged,
    empty: content.length === 0,
  };
  const advertisedFloor = new Map<string, number>();
  const raise = (map: Map<string, number>, stream: string, seq: number) => map.set(stream, Math.max(map.get(stream) ?? 0, seq));

  for (const scanned of scan.entries) {
    const entry = parseEntry(scanned.payload);
    if (!entry) {
      state.damaged = true;
      continue;
    }
    switch (entry.op) {
      case 'meta':
        // Only a meta at the very start describes this file; a stray one is ignored.
        if (scanned.offset !== 0) {
          state.damaged = true;
          break;
        }
        state.meta = entry;
        for (const [stream, next] of Object.entries(entry.nextSeq)) raise(state.highestSeq, stream, next - 1);
        for (const [stream, upTo] of Object.entries(entry.sentUpTo)) raise(state.sentUpTo, stream, upTo);
        break;
      case 'usage':
      case 'event': {
        const { stream, seq } = entry.record.header as { stream: string; seq: number };
        streamOf(state.live, stream).set(seq, { kind: entry.op, record: entry.record, entryBytes: scanned.bytes } as LiveRecord);
        raise(state.highestSeq, stream, seq);
        break;
      }
      case 'settled': {
        const records = state.live.get(entry.stream);
        for (const seq of entry.seqs) {
          records?.delete(seq);
          raise(state.highestSeq, entry.stream, seq);
        }
        for (const [stream, floor] of Object.entries(entry.floors)) raise(advertisedFloor, stream, floor);
        break;
      }
      case 'sent':
        for (const [stream, upTo] of Object.entries(entry.upTo)) raise(state.sentUpTo, stream, upTo);
        break;
    }
  }

  // The collector was told everything below a floor is settled and may have
  // forgotten those receipts. If damage lost the settled entry of such a
  // record, it must not come back: resending it would count it again.
  for (const [stream, floor] of advertisedFloor) {
    const records = state.live.get(stream);
    for (const seq of records?.keys() ?? []) if (seq < floor) records!.delete(seq);
  }
  for (const [stream, records] of state.live) {
    if (records.size === 0) state.live.delete(stream);
    else state.live.set(stream, new Map([...records].sort((a, b) => a[0] - b[0])));
  }
  return state;
}

export function streamOf(live: LiveStreams, stream: string): Map<number, LiveRecord> {
  let records = live.get(stream);
  if (!records) {
    records = new Map();
    live.set(stream, records);
  }
  return records;
}
