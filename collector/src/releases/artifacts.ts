// The release artifacts a collector serves to its agents: files in one
// directory, each named by its SHA-256, written only after the hash and size
// check out. Agents verify them again (and the manifest's signature) before
// installing; this store only keeps a collector from serving what an admin
// did not mean to publish.
import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { makeDirectories } from '../../../common/directories.ts';
import { TallyError } from '../errors.ts';

export const SHA256_HEX = /^[0-9a-f]{64}$/;

export class ReleaseArtifacts {
  constructor(readonly dir: string, readonly maxBytes = 1024 * 1024 * 1024) {}

  path(sha256: string): string {
    if (!SHA256_HEX.test(sha256)) throw new TallyError('invalid_request', 'an artifact is named by its SHA-256: 64 lower-case hex digits', { field: 'sha256' });
    return join(this.dir, sha256);
  }

  has(sha256: string, size: number): boolean {
    const p = this.path(sha256);
    return existsSync(p) && statSync(p).size === size;
  }

  /** Stores a stream as the artifact `sha256`; refused (and nothing kept) unless its bytes hash to it. */
  async put(sha256: string, body: Readable | ReadableStream<Uint8Array>): Promise<{ sha256: string; size: number }> {
    const final = this.path(sha256);
    makeDirectories(this.dir);
    const tmp = join(this.dir, `.upload-${randomUUID()}`);
    const hash = createHash('sha256');
    let size = 0;
    const limit = this.maxBytes;
    const source = body instanceof Readable ? body : Readable.fromWeb(body as import('node:stream/web').ReadableStream<Uint8Array>);
    try {
      await pipeline(source, async function* (chunks: AsyncIterable<Buffer>) {
        for await (const chunk of chunks) {
          size += chunk.length;
          if (size > limit) throw new TallyError('payload_too_large', `artifact larger than ${limit} bytes`);
          hash.update(chunk);
          yield chunk;
        }
      }, createWriteStream(tmp, { mode: 0o644 }));
      const actual = hash.digest('hex');
      if (actual !== sha256) throw new TallyError('invalid_request', `the uploaded bytes hash to ${actual}, not ${sha256}`, { field: 'sha256' });
      renameSync(tmp, final);
      return { sha256, size };
    } finally {
      rmSync(tmp, { force: true });
    }
  }

  /** Copies a local file in (the CLI's publish). */
  putFile(sha256: string, file: string): Promise<{ sha256: string; size: number }> {
    return this.put(sha256, createReadStream(file));
  }

  open(sha256: string): { stream: Readable; size: number } | null {
    const p = this.path(sha256);
    if (!existsSync(p)) return null;
    return { stream: createReadStream(p), size: statSync(p).size };
  }
}
