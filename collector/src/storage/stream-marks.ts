// Dedupe marks of one (device, stream), the same on every backend (migration
// 0005). Agents number a stream's records 1, 2, 3, ... and send them in that
// order, so what is stored above the stream's floor is nearly always one run:
// every seq in [floor, storedBelow) is stored, and needs no row of its own.
// A seq that arrives out of order (above the run) gets a receipt row;
// receipts exist only in [storedBelow, receiptsUpTo]. A receipt per record was
// ~25 % of the SQLite ingest store's time, and its insert and later delete
// most of the WAL it wrote apart from the device-days.
//
// Pure: a store reads the row, runs the records through claimSeq and the
// floors through raiseFloor in frame order, inserts a receipt where asked,
// and saves the row (and deletes receipts below storedBelow when `forget`).
import type { StreamFloorInput, UsageRecordInput } from './types.ts';

export interface StreamMarks {
  /** The agent's floor: everything below is settled. */
  floor: number;
  /** Every seq in [floor, storedBelow) is stored; always >= floor. */
  storedBelow: number;
  /** No receipt lies above this. */
  receiptsUpTo: number;
  /** Changed since read: save the row. */
  dirty: boolean;
  /** The floor rose past receipts: delete those below storedBelow on save. */
  forget: boolean;
}

/** The marks of a stream as stored, or of a stream never seen (nothing stored; seqs start at 1). */
export function streamMarks(row?: { floor: number; storedBelow: number; receiptsUpTo: number }): StreamMarks {
  return { floor: row?.floor ?? 0, storedBelow: row?.storedBelow ?? 1, receiptsUpTo: row?.receiptsUpTo ?? 0, dirty: false, forget: false };
}

/**
 * What a record's seq is: 'duplicate' (settled below the floor, or in the
 * stored run), 'run' (the next seq in order: now stored, no receipt needed,
 * since none can exist above receiptsUpTo), or 'receipt' (stored exactly when
 * inserting its receipt finds none). receiptsUpTo covers the seq either way: an
 * existing receipt is already below it.
 */
export function claimSeq(m: StreamMarks, seq: number): 'duplicate' | 'run' | 'receipt' {
  if (seq < m.storedBelow) return 'duplicate';
  if (seq === m.storedBelow && seq > m.receiptsUpTo) {
    m.storedBelow++;
    m.dirty = true;
    return 'run';
  }
  if (seq > m.receiptsUpTo) {
    m.receiptsUpTo = seq;
    m.dirty = true;
  }
  return 'receipt';
}

/** Floors only ever rise. What falls below one is settled; its receipts are deleted on save. */
export function raiseFloor(m: StreamMarks, floor: number): void {
  if (floor <= m.floor) return;
  if (floor > m.storedBelow) {
    if (m.receiptsUpTo >= m.storedBelow) m.forget = true;
    m.storedBelow = floor;
  }
  m.floor = floor;
  m.dirty = true;
}

/**
 * A frame's floor settles what came before it, not the frame's own records,
 * so it applies after them. A floor at or below every seq of its stream in
 * the frame (an agent's floor is its oldest unacknowledged seq: always so)
 * changes nothing for them, and applying it first is the same; it lets the
 * stored run start at the floor, so the records after it take the 'run' path.
 */
export function splitFloors(records: readonly UsageRecordInput[], floors: readonly StreamFloorInput[]): { before: StreamFloorInput[]; after: StreamFloorInput[] } {
  const before: StreamFloorInput[] = [];
  const after: StreamFloorInput[] = [];
  for (const f of floors) (records.some((r) => r.stream === f.stream && r.seq < f.oldestUnackedSeq) ? after : before).push(f);
  return { before, after };
}
