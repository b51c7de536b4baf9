// Writes a macOS "Bom" (bill of materials, BOMStore format): the receipt of
// what a package installs, which `pkgutil --files` and `lsbom` read. No Debian
// tool writes one, so we do; installers/macos/BOM-FORMAT.md documents the layout.
import { ROOT_UID, S_IFDIR, S_IFREG, WHEEL_GID, type PayloadEntry } from './payload-tree.ts';

const PATHS_BLOCK_SIZE = 4096;
const SMALL_TREE_BLOCK_SIZE = 128;
const ENTRY_FILE = 1;
const ENTRY_DIR = 2;
/** Metadata flags: low nibble 0xF = full metadata (not a path-only BOM); high nibble 0 = plain file. */
const FULL_METADATA = 0x000f;

/** CRC of POSIX `cksum` (what macOS's cksum prints), which the Bom stores per file. */
export function posixCksum(data: Buffer): number {
  let crc = 0;
  const step = (byte: number) => {
    crc = ((crc << 8) ^ CKSUM_TABLE[((crc >>> 24) ^ byte) & 0xff]) >>> 0;
  };
  for (let i = 0; i < data.length; i++) step(data[i]);
  for (let n = data.length; n > 0; n = Math.floor(n / 256)) step(n & 0xff);
  return ~crc >>> 0;
}

const CKSUM_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i << 24;
    for (let k = 0; k < 8; k++) c = c & 0x80000000 ? (c << 1) ^ 0x04c11db7 : c << 1;
    table[i] = c >>> 0;
  }
  return table;
})();

/** Big-endian field writer. */
class Fields {
  private parts: Buffer[] = [];
  u8(v: number): this { const b = Buffer.alloc(1); b.writeUInt8(v); this.parts.push(b); return this; }
  u16(v: number): this { const b = Buffer.alloc(2); b.writeUInt16BE(v); this.parts.push(b); return this; }
  u32(v: number): this { const b = Buffer.alloc(4); b.writeUInt32BE(v >>> 0); this.parts.push(b); return this; }
  bytes(b: Buffer): this { this.parts.push(b); return this; }
  done(padTo = 0): Buffer {
    const out = Buffer.concat(this.parts);
    return out.length >= padTo ? out : Buffer.concat([out, Buffer.alloc(padTo - out.length)]);
  }
}

/** Block 0 is the null block: index 0 means "none" everywhere. */
class Blocks {
  readonly list: Buffer[] = [Buffer.alloc(0)];
  add(b: Buffer): number {
    this.list.push(b);
    return this.list.length - 1;
  }
}

function tree(blocks: Blocks, blockSize: number, pairs: [number, number][]): number {
  if (pairs.length > (blockSize - 12) / 8) throw new Error('Bom: more paths than one tree node holds; add branch nodes');
  const node = new Fields().u16(1 /* leaf */).u16(pairs.length).u32(0 /* next */).u32(0 /* previous */);
  for (const [key, value] of pairs) node.u32(key).u32(value);
  const nodeIndex = blocks.add(node.done(blockSize));
  return blocks.add(new Fields().bytes(Buffer.from('tree')).u32(1).u32(nodeIndex).u32(blockSize).u32(pairs.length).u8(0).done());
}

function metadata(e: PayloadEntry, mtime: number): Buffer {
  const f = new Fields().u8(e.kind === 'dir' ? ENTRY_DIR : ENTRY_FILE).u8(1).u16(FULL_METADATA)
    .u16((e.kind === 'dir' ? S_IFDIR : S_IFREG) | e.mode).u32(ROOT_UID).u32(WHEEL_GID).u32(mtime)
    .u32(e.kind === 'file' ? e.data!.length : 0).u8(1);
  if (e.kind === 'file') f.u32(posixCksum(e.data!));
  return f.bytes(Buffer.alloc(8)).done();
}

/** `entries` must be complete and ordered parents first (see completeTree). */
export function writeBom(entries: PayloadEntry[], mtime: number): Buffer {
  if (entries[0]?.path !== '') throw new Error('Bom: the first entry must be the root folder');
  const blocks = new Blocks();
  const ids = new Map<string, number>();
  const pairs: [number, number][] = [];
  entries.forEach((e, i) => {
    const id = i + 1; // ids start at 1; parent 0 means "no parent"
    ids.set(e.path, id);
    const slash = e.path.lastIndexOf('/');
    const parent = e.path === '' ? 0 : ids.get(slash < 0 ? '' : e.path.slice(0, slash))!;
    const name = e.path === '' ? '.' : e.path.slice(slash + 1);
    const meta = blocks.add(metadata(e, mtime));
    const key = blocks.add(new Fields().u32(id).u32(meta).done());
    const value = blocks.add(new Fields().u32(parent).bytes(Buffer.from(name + '\0', 'utf8')).done());
    pairs.push([key, value]);
  });
  const totalSize = entries.reduce((n, e) => n + (e.data?.length ?? 0), 0);
  const named: [string, number][] = [
    ['BomInfo', blocks.add(new Fields().u32(1).u32(entries.length).u32(1).u32(0 /* cpu type: any */).u32(0).u32(totalSize).u32(0).done())],
    ['Paths', tree(blocks, PATHS_BLOCK_SIZE, pairs)],
    ['HLIndex', tree(blocks, PATHS_BLOCK_SIZE, [])],
    ['VIndex', blocks.add(new Fields().u32(1).u32(tree(blocks, SMALL_TREE_BLOCK_SIZE, [])).u32(0).u8(1 /* empty */).done())],
    ['Size64', tree(blocks, SMALL_TREE_BLOCK_SIZE, [])],
  ];

  // Layout: 512-byte header, the blocks, the named-block list, the block table.
  let offset = 512;
  const addresses = blocks.list.map((b) => {
    if (b.length === 0) return 0;
    const at = offset;
    offset += b.length;
    return at;
  });
  const vars = new Fields().u32(named.length);
  for (const [name, index] of named) vars.u32(index).u8(Buffer.byteLength(name)).bytes(Buffer.from(name));
  const varsBuf = vars.done();
  const varsOffset = offset;
  const table = new Fields().u32(blocks.list.length);
  blocks.list.forEach((b, i) => table.u32(addresses[i]).u32(b.length));
  table.u32(2).u32(0).u32(0).u32(0).u32(0); // free list: two empty entries, as Apple's mkbom writes
  const tableBuf = table.done();
  const indexOffset = varsOffset + varsBuf.length;
  const header = new Fields().bytes(Buffer.from('BOMStore')).u32(1).u32(blocks.list.length - 1 /* non-null blocks */)
    .u32(indexOffset).u32(tableBuf.length).u32(varsOffset).u32(varsBuf.length).done(512);
  return Buffer.concat([header, ...blocks.list, varsBuf, tableBuf]);
}
