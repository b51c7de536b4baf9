// The dedupe marks an SQLite database holds for a device, as the storage
// contract's `receipts` hook sees them: the seqs of each stream's stored run
// [floor, stored_below) plus its receipt rows, in (stream, seq) order.
import type Database from 'better-sqlite3';

export function sqliteDedupeMarks(db: Database.Database, deviceId: string): { stream: string; seq: number }[] {
  const marks: { stream: string; seq: number }[] = [];
  const runs = db.prepare('SELECT stream, floor, stored_below FROM stream_floors WHERE device_id = ?').all(deviceId) as { stream: string; floor: number; stored_below: number }[];
  for (const r of runs) for (let seq = Math.max(r.floor, 1); seq < r.stored_below; seq++) marks.push({ stream: r.stream, seq });
  marks.push(...(db.prepare('SELECT stream, seq FROM receipts WHERE device_id = ?').all(deviceId) as { stream: string; seq: number }[]));
  return marks.sort((a, b) => (a.stream < b.stream ? -1 : a.stream > b.stream ? 1 : a.seq - b.seq));
}
