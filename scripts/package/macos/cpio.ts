// Writes a cpio archive in the portable "odc" format (POSIX.1 octal headers),
// which macOS Installer accepts as a package Payload once gzip'd.
import { dotPath, ROOT_UID, S_IFDIR, S_IFREG, WHEEL_GID, type PayloadEntry } from './payload-tree.ts';

function octal(value: number, width: number): string {
  const s = value.toString(8);
  if (s.length > width) throw new Error(`cpio odc: ${value} does not fit in ${width} octal digits`);
  return s.padStart(width, '0');
}

function header(name: string, mode: number, size: number, ino: number, mtime: number): Buffer {
  const nameBytes = Buffer.from(name + '\0', 'utf8');
  const text = '070707' + octal(0, 6) /* dev */ + octal(ino, 6) + octal(mode, 6) + octal(ROOT_UID, 6) + octal(WHEEL_GID, 6)
    + octal(1, 6) /* nlink */ + octal(0, 6) /* rdev */ + octal(mtime, 11) + octal(nameBytes.length, 6) + octal(size, 11);
  return Buffer.concat([Buffer.from(text, 'latin1'), nameBytes]);
}

/** The archive as a list of chunks (headers and file contents), to avoid copying 100 MB binaries. */
export function cpioOdc(entries: PayloadEntry[], mtime: number): Buffer[] {
  const chunks: Buffer[] = [];
  entries.forEach((e, i) => {
    const data = e.kind === 'file' ? e.data ?? Buffer.alloc(0) : Buffer.alloc(0);
    const type = e.kind === 'dir' ? S_IFDIR : S_IFREG;
    chunks.push(header(dotPath(e.path), type | e.mode, data.length, i + 1, mtime));
    if (data.length) chunks.push(data);
  });
  chunks.push(header('TRAILER!!!', 0, 0, 0, 0));
  return chunks;
}
