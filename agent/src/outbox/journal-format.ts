import { crc32 } from './crc32.ts';

// One journal entry on disk:
//
//   magic   4 bytes  FF FE 54 4A
//   length  u32 LE   payload length
//   crc     u32 LE   CRC-32 of the length field and the payload
//   payload          UTF-8 JSON
//
// The magic starts with FF FE, bytes that never occur in UTF-8, so it never
// appears inside a payload. That lets a reader resynchronise after damage: it
// skips to the next magic and checks that entry's CRC. Entries after a
// damaged one are therefore kept when they are intact.

export const ENTRY_MAGIC = Buffer.from([0xff, 0xfe, 0x54, 0x4a]);
export const ENTRY_HEADER_BYTES = 12;
/** Sanity limit: a length above this is damage, not an entry (records are a few hundred bytes). */
export const MAX_PAYLOAD_BYTES = 1 << 20;

export function frameEntry(payload: unknown): Buffer {
  const body = Buffer.from(JSON.stringify(payload), 'utf8');
  if (body.length > MAX_PAYLOAD_BYTES) throw new RangeError(`journal entry of ${body.length} bytes exceeds ${MAX_PAYLOAD_BYTES}`);
  const frame = Buffer.alloc(ENTRY_HEADER_BYTES + body.length);
  ENTRY_MAGIC.copy(frame, 0);
  frame.writeUInt32LE(body.length, 4);
  body.copy(frame, ENTRY_HEADER_BYTES);
  frame.writeUInt32LE(checksum(frame, body.length), 8);
  return frame;
}

export interface ScannedEntry {
  offset: number;
  bytes: number;
  payload: unknown;
}

export interface ScanResult {
  entries: ScannedEntry[];
  /** True when any byte of the file was not part of an intact entry (torn tail, corruption). */
  damaged: boolean;
}

/** Reads every intact entry; never throws on any content. */
export function scanEntries(file: Buffer): ScanResult {
  const entries: ScannedEntry[] = [];
  let damaged = false;
  let pos = 0;
  while (pos < file.length) {
    const entry = readEntryAt(file, pos);
    if (entry) {
      entries.push(entry);
      pos += entry.bytes;
      continue;
    }
    damaged = true;
    const next = file.indexOf(ENTRY_MAGIC, pos + 1);
    if (next < 0) break;
    pos = next;
  }
  return { entries, damaged };
}

function readEntryAt(file: Buffer, pos: number): ScannedEntry | undefined {
  if (pos + ENTRY_HEADER_BYTES > file.length) return undefined;
  if (file.compare(ENTRY_MAGIC, 0, ENTRY_MAGIC.length, pos, pos + ENTRY_MAGIC.length) !== 0) return undefined;
  const length = file.readUInt32LE(pos + 4);
  if (length > MAX_PAYLOAD_BYTES || pos + ENTRY_HEADER_BYTES + length > file.length) return undefined;
  const frame = file.subarray(pos, pos + ENTRY_HEADER_BYTES + length);
  if (frame.readUInt32LE(8) !== checksum(frame, length)) return undefined;
  try {
    const payload: unknown = JSON.parse(frame.toString('utf8', ENTRY_HEADER_BYTES));
    return { offset: pos, bytes: frame.length, payload };
  } catch {
    return undefined;
  }
}

function checksum(frame: Buffer, length: number): number {
  // Covers the length field too, so a damaged length cannot pair with a valid-looking payload.
  const covered = Buffer.concat([frame.subarray(4, 8), frame.subarray(ENTRY_HEADER_BYTES, ENTRY_HEADER_BYTES + length)]);
  return crc32(covered);
}
