// A JSON response written as it is read: for answers that hold a month's
// every line (includeDevices, user line items), which may be millions of
// lines (finalized months are rows, read a page at a time). The body is
// pulled: nothing is read from the database faster than the client takes it.
import type { Context } from 'hono';

/** Bytes gathered before a chunk is handed to the socket (a line is ~2 KB). */
const CHUNK_CHARS = 64 * 1024;

/**
 * `head` as JSON with its member `listKey` an array of `items`, each item
 * serialized with its member `subKey` an array of what `subItems(item)`
 * yields, then the members of `tail`: what JSON.stringify would give for
 * the same values held whole.
 */
export async function* jsonWithNestedLists<T extends object, S>(head: Record<string, unknown>, listKey: string, items: Iterable<T>,
  subKey: string, subItems: (item: T) => AsyncIterable<S>, tail: Record<string, unknown> = {}): AsyncGenerator<string> {
  const open = JSON.stringify({ ...head, [listKey]: undefined });
  let out = `${open.length > 2 ? `${open.slice(0, -1)},` : '{'}${JSON.stringify(listKey)}:[`;
  let first = true;
  for (const item of items) {
    const text = JSON.stringify({ ...item, [subKey]: undefined });
    out += `${first ? '' : ','}${text.length > 2 ? `${text.slice(0, -1)},` : '{'}${JSON.stringify(subKey)}:[`;
    first = false;
    let firstSub = true;
    for await (const sub of subItems(item)) {
      out += `${firstSub ? '' : ','}${JSON.stringify(sub)}`;
      firstSub = false;
      if (out.length >= CHUNK_CHARS) {
        yield out;
        out = '';
      }
    }
    out += ']}';
  }
  const close = JSON.stringify(tail);
  yield `${out}]${close.length > 2 ? `,${close.slice(1)}` : '}'}`;
}

/** Streams the chunks as an application/json body, pulled by the client. */
export function jsonStreamResponse(c: Context, chunks: AsyncGenerator<string>): Response {
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { value, done } = await chunks.next();
      if (done) controller.close();
      else controller.enqueue(encoder.encode(value));
    },
    async cancel() {
      await chunks.return(undefined);
    },
  });
  return c.body(body, 200, { 'content-type': 'application/json; charset=UTF-8' });
}
