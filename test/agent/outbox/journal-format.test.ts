import * as zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { crc32 } from '../../../agent/src/outbox/crc32.ts';
import { ENTRY_MAGIC, frameEntry, scanEntries } from '../../../agent/src/outbox/journal-format.ts';

describe('journal format', () => {
  it('computes the standard CRC-32', () => {
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
    const zlibCrc = (zlib as { crc32?: (b: Uint8Array) => number }).crc32;
    if (zlibCrc) for (const text of ['', 'a', 'tally journal ✓']) expect(crc32(Buffer.from(text))).toBe(zlibCrc(Buffer.from(text)));
  });

  it('reads back framed entries, including non-ASCII payloads that cannot contain the magic', () => {
    const payloads = [{ op: 'x', n: 1 }, { text: 'Zürich ÿþ 日本' }, { big: 'y'.repeat(10_000) }];
    const file = Buffer.concat(payloads.map((p) => frameEntry(p)));
    const scan = scanEntries(file);
    expect(scan.damaged).toBe(false);
    expect(scan.entries.map((e) => e.payload)).toEqual(payloads);
    for (const p of payloads) expect(Buffer.from(JSON.stringify(p)).includes(ENTRY_MAGIC)).toBe(false);
  });

  it('resynchronises after garbage between entries', () => {
    const file = Buffer.concat([frameEntry({ n: 1 }), Buffer.from([0xff, 0xfe, 0x54, 0x4a, 9, 9, 9]), Buffer.from('junk'), frameEntry({ n: 2 })]);
    const scan = scanEntries(file);
    expect(scan.damaged).toBe(true);
    expect(scan.entries.map((e) => e.payload)).toEqual([{ n: 1 }, { n: 2 }]);
  });

  it('treats a length field pointing past the end as damage, not as a reason to throw', () => {
    const frame = frameEntry({ n: 1 });
    frame.writeUInt32LE(0xffffffff, 4);
    expect(scanEntries(frame)).toEqual({ entries: [], damaged: true });
    expect(scanEntries(Buffer.alloc(0))).toEqual({ entries: [], damaged: false });
  });
});
