// Writes a file atomically: into a temporary file beside it, flushed to disk,
// then renamed over the target. A reader never sees half a report, and a
// failed or interrupted run leaves the previous file (if any) untouched.
import { createWriteStream, type WriteStream } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';

export async function writeFileAtomically<T>(path: string, write: (out: WriteStream) => Promise<T>): Promise<T> {
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  // Readable by the service's user only: a report lists every customer's endpoints.
  const out = createWriteStream(temp, { flags: 'wx', mode: 0o600 });
  try {
    const result = await write(out);
    if (!out.writableFinished) {
      out.end();
      await new Promise<void>((resolve, reject) => out.once('finish', resolve).once('error', reject));
    }
    // The data must be on disk before the rename makes it visible.
    const handle = await open(temp, 'r+');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
    return result;
  } catch (err) {
    out.destroy();
    await rm(temp, { force: true });
    throw err;
  }
}
