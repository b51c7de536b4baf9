// Writes a xar archive, the container of a macOS flat package: a binary
// header, a zlib-compressed XML table of contents, then the heap of file data.
// Files are stored as-is (Payload and Scripts are already gzip'd).
import { createHash } from 'node:crypto';
import { deflateSync } from 'node:zlib';

export interface XarFile {
  name: string;
  /** File contents as chunks, or children for a folder. */
  data?: Buffer[];
  children?: XarFile[];
  mode?: number;
}

const HEADER_SIZE = 28;
const CKSUM_SHA1 = 1;
const SHA1_SIZE = 20;

function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function sha1(chunks: Buffer[]): string {
  const h = createHash('sha1');
  for (const c of chunks) h.update(c);
  return h.digest('hex');
}

/** The archive as chunks (header, TOC, heap), so large payloads are not copied. */
export function writeXar(files: XarFile[], created: Date): Buffer[] {
  const heap: Buffer[] = [];
  let heapOffset = SHA1_SIZE; // the TOC checksum comes first in the heap
  let nextId = 1;
  const toc = (f: XarFile, indent: string): string => {
    const id = nextId++;
    const owner = `${indent}  <uid>0</uid><gid>0</gid><user>root</user><group>wheel</group>\n`;
    if (f.children) {
      return `${indent}<file id="${id}">\n${indent}  <name>${escapeXml(f.name)}</name>\n${indent}  <type>directory</type>\n`
        + `${indent}  <mode>${(f.mode ?? 0o755).toString(8).padStart(4, '0')}</mode>\n${owner}`
        + f.children.map((c) => toc(c, indent + '  ')).join('') + `${indent}</file>\n`;
    }
    const chunks = f.data ?? [];
    const length = chunks.reduce((n, c) => n + c.length, 0);
    const digest = sha1(chunks);
    const entry = `${indent}<file id="${id}">\n${indent}  <name>${escapeXml(f.name)}</name>\n${indent}  <type>file</type>\n`
      + `${indent}  <mode>${(f.mode ?? 0o644).toString(8).padStart(4, '0')}</mode>\n${owner}`
      + `${indent}  <data>\n${indent}    <length>${length}</length>\n${indent}    <offset>${heapOffset}</offset>\n${indent}    <size>${length}</size>\n`
      + `${indent}    <encoding style="application/octet-stream"/>\n`
      + `${indent}    <extracted-checksum style="sha1">${digest}</extracted-checksum>\n`
      + `${indent}    <archived-checksum style="sha1">${digest}</archived-checksum>\n${indent}  </data>\n${indent}</file>\n`;
    heap.push(...chunks);
    heapOffset += length;
    return entry;
  };
  const body = files.map((f) => toc(f, '    ')).join('');
  const tocXml = '<?xml version="1.0" encoding="UTF-8"?>\n<xar>\n  <toc>\n'
    + `    <checksum style="sha1">\n      <offset>0</offset>\n      <size>${SHA1_SIZE}</size>\n    </checksum>\n`
    + `    <creation-time>${created.toISOString().replace(/\.\d+Z$/, '')}</creation-time>\n${body}  </toc>\n</xar>\n`;
  const tocRaw = Buffer.from(tocXml, 'utf8');
  const tocCompressed = deflateSync(tocRaw, { level: 9 });
  const header = Buffer.alloc(HEADER_SIZE);
  header.write('xar!', 0, 'latin1');
  header.writeUInt16BE(HEADER_SIZE, 4);
  header.writeUInt16BE(1, 6); // version
  header.writeBigUInt64BE(BigInt(tocCompressed.length), 8);
  header.writeBigUInt64BE(BigInt(tocRaw.length), 16);
  header.writeUInt32BE(CKSUM_SHA1, 24);
  const tocChecksum = createHash('sha1').update(tocCompressed).digest();
  return [header, tocCompressed, tocChecksum, ...heap];
}
