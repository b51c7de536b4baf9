import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Outbox } from '../../../agent/src/outbox/outbox.ts';

export function tempDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'tally-outbox-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export const JOURNAL = 'journal.log';

/** Everything waiting in the outbox, as "stream#seq:content" strings, without disturbing it beyond an in-flight mark. */
export function waiting(outbox: Outbox): string[] {
  const batch = outbox.nextBatch(1_000_000);
  outbox.onDisconnected();
  return [
    ...batch.usage.map((r) => `${r.header!.stream}#${r.header!.seq}:${r.utcDay}/${r.bootId}/${r.awakeSeconds}`),
    ...batch.events.map((e) => `${e.header!.stream}#${e.header!.seq}:${JSON.stringify({ ...e, header: undefined })}`),
  ].sort();
}
