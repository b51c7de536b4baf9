// Writing a report to a Node Writable a piece at a time, honouring
// backpressure: a 100,000-endpoint report never sits whole in memory, and a
// slow reader (a file on a busy disk, an HTTP client) slows the writer down
// instead of growing a buffer.
import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';

/** Text is gathered into chunks of about this size before it is written: fewer, larger writes. */
export const SINK_CHUNK_CHARS = 64 * 1024;

/** Waits until `out` wants more data; fails if it errors or closes first (the reader went away). */
export function waitForDrain(out: Writable): Promise<void> {
  if (out.destroyed) return Promise.reject(new Error('the report output was closed before the report was complete'));
  if (!out.writableNeedDrain) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const done = (err?: Error) => {
      out.off('drain', onDrain);
      out.off('error', onError);
      out.off('close', onClose);
      if (err) reject(err);
      else resolve();
    };
    const onDrain = () => done();
    const onError = (err: Error) => done(err);
    const onClose = () => done(new Error('the report output was closed before the report was complete'));
    out.on('drain', onDrain);
    out.on('error', onError);
    out.on('close', onClose);
  });
}

export class TextSink {
  private buffer = '';

  constructor(private readonly out: Writable) {}

  async write(text: string): Promise<void> {
    this.buffer += text;
    if (this.buffer.length >= SINK_CHUNK_CHARS) await this.flush();
  }

  async flush(): Promise<void> {
    if (!this.buffer) return;
    const chunk = this.buffer;
    this.buffer = '';
    if (!this.out.write(chunk, 'utf8')) await waitForDrain(this.out);
  }

  /** Flushes, ends the stream and waits until everything reached it. */
  async end(): Promise<void> {
    await this.flush();
    this.out.end();
    await finished(this.out);
  }
}
