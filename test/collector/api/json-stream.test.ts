// The streamed JSON of a month's every line (api/json-stream.ts) is what
// JSON.stringify gives for the same values held whole: every shape, chunked
// anywhere.
import { describe, expect, it } from 'vitest';
import { jsonWithNestedLists } from '../../../collector/src/api/json-stream.ts';

async function text(chunks: AsyncGenerator<string>): Promise<string> {
  let out = '';
  for await (const c of chunks) out += c;
  return out;
}

async function* from<T>(items: readonly T[]) {
  yield* items;
}

describe('jsonWithNestedLists', () => {
  const big = 'x'.repeat(40_000);
  const cases: { name: string; head: Record<string, unknown>; items: { id: string; n?: number; lines?: unknown[] }[]; tail?: Record<string, unknown> }[] = [
    { name: 'rows with lines', head: { month: '2026-11', hash: null, finalized: true }, items: [{ id: 'a', n: 1, lines: [{ d: 1 }, { d: 'two "quoted"' }] }, { id: 'b', lines: [] }] },
    { name: 'no rows', head: { month: '2026-11' }, items: [] },
    { name: 'an empty head and an empty row', head: {}, items: [{ id: 'a' }] },
    { name: 'a tail after the list', head: { month: '2026-11' }, items: [{ id: 'a', lines: [1, 2] }], tail: { finalized: false } },
    { name: 'lines larger than a chunk', head: { m: 1 }, items: [{ id: 'a', lines: [big, big, big] }, { id: 'b', lines: [big] }] },
    { name: 'undefined members dropped', head: { month: '2026-11', gone: undefined }, items: [{ id: 'a', n: undefined, lines: [null] }] },
  ];
  it.each(cases)('$name', async ({ head, items, tail }) => {
    const whole = { ...head, rows: items.map((i) => ({ ...i, lines: i.lines ?? [] })), ...tail };
    const streamed = await text(jsonWithNestedLists(head, 'rows', items.map(({ lines: _l, ...i }) => i), 'lines',
      (i) => from(items.find((x) => x.id === i.id)!.lines ?? []), tail));
    expect(streamed).toBe(JSON.stringify(whole));
  });
});
