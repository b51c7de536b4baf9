import { closeSync, fchmodSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { makeDirectories } from '../state-dir.ts';

const JOURNAL_NAME = 'journal.log';
const REWRITE_NAME = 'journal.log.tmp';
/** The journal says when this device was awake: owner only, like the credentials beside it. */
const FILE_MODE = 0o600;

/** The journal file on disk: appends that are durable when they return, and atomic rewrites. */
export class JournalFile {
  private fd: number;
  private sizeBytes: number;

  private constructor(private readonly dir: string, initialSize: number) {
    this.fd = openSync(join(dir, JOURNAL_NAME), 'a', FILE_MODE);
    // A journal written by an older agent may have been created group- and world-readable.
    fchmodSync(this.fd, FILE_MODE);
    this.sizeBytes = initialSize;
  }

  /** Opens (creating if needed) the journal in `dir` and returns it with its current content. */
  static open(dir: string): { file: JournalFile; content: Buffer } {
    makeDirectories(dir);
    // A leftover rewrite is from a crash before its rename: the journal itself is still whole.
    rmSync(join(dir, REWRITE_NAME), { force: true });
    let content: Buffer;
    try {
      content = readFileSync(join(dir, JOURNAL_NAME));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      content = Buffer.alloc(0);
    }
    return { file: new JournalFile(dir, content.length), content };
  }

  get size(): number {
    return this.sizeBytes;
  }

  /** Appends all frames with one write and one fsync. */
  append(frames: Buffer[]): void {
    const bytes = Buffer.concat(frames);
    let written = 0;
    while (written < bytes.length) written += writeSync(this.fd, bytes, written, bytes.length - written);
    fsyncSync(this.fd);
    this.sizeBytes += bytes.length;
  }

  /** Replaces the whole journal: temp file, fsync, rename, fsync of the directory. A crash leaves the old or the new file, never a mix. */
  rewrite(frames: Buffer[]): void {
    const bytes = Buffer.concat(frames);
    const tempPath = join(this.dir, REWRITE_NAME);
    const tempFd = openSync(tempPath, 'w', FILE_MODE);
    try {
      let written = 0;
      while (written < bytes.length) written += writeSync(tempFd, bytes, written, bytes.length - written);
      fsyncSync(tempFd);
    } finally {
      closeSync(tempFd);
    }
    // Closed first because Windows refuses to replace a file that is open.
    closeSync(this.fd);
    try {
      renameSync(tempPath, join(this.dir, JOURNAL_NAME));
      this.sizeBytes = bytes.length;
      fsyncDirectory(this.dir);
    } finally {
      // Whichever file is in place now (the old one if the rename failed).
      this.fd = openSync(join(this.dir, JOURNAL_NAME), 'a', FILE_MODE);
    }
  }

  close(): void {
    closeSync(this.fd);
  }
}

function fsyncDirectory(dir: string): void {
  // Makes the rename itself durable. Windows cannot open a directory this way;
  // NTFS journals the rename's metadata itself.
  if (process.platform === 'win32') return;
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
