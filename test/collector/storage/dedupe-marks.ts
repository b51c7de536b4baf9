// The dedupe marks a database holds for a device, as the storage contract's
// `receipts` hook sees them: the seqs of each stream's stored run
// [floor, stored_below) plus its receipt rows (migration 0005), in
// (stream, seq) order. Both backends keep them the same way.
import type Database from 'better-sqlite3';
import type pg from 'pg';

interface RunRow { stream: string; floor: number; stored_below: number }
interface Mark { stream: string; seq: number }

function marksOf(runs: RunRow[], receipts: Mark[]): Mark[] {
  const marks: Mark[] = [];
  for (const r of runs) for (let seq = Math.max(r.floor, 1); seq < r.stored_below; seq++) marks.push({ stream: r.stream, seq });
  marks.push(...receipts);
  return marks.sort((a, b) => (a.stream < b.stream ? -1 : a.stream > b.stream ? 1 : a.seq - b.seq));
}

export function sqliteDedupeMarks(db: Database.Database, deviceId: string): Mark[] {
  return marksOf(
    db.prepare('SELECT stream, floor, stored_below FROM stream_floors WHERE device_id = ?').all(deviceId) as RunRow[],
    db.prepare('SELECT stream, seq FROM receipts WHERE device_id = ?').all(deviceId) as Mark[],
  );
}

export async function postgresDedupeMarks(db: pg.Pool | pg.Client, deviceId: string): Promise<Mark[]> {
  const runs = await db.query<{ stream: string; floor: string; stored_below: string }>('SELECT stream, floor, stored_below FROM stream_floors WHERE device_id = $1', [deviceId]);
  const receipts = await db.query<{ stream: string; seq: string }>('SELECT stream, seq FROM receipts WHERE device_id = $1', [deviceId]);
  return marksOf(runs.rows.map((r) => ({ stream: r.stream, floor: Number(r.floor), stored_below: Number(r.stored_below) })),
    receipts.rows.map((r) => ({ stream: r.stream, seq: Number(r.seq) })));
}
