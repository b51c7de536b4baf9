import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Outbox } from '../../../agent/src/outbox/outbox.ts';
import { JOURNAL, tempDir, waiting } from './helpers.ts';

// A small journal is built one entry per operation, so the file size after
// each operation marks the entry boundaries without reading the format. The
// journal is then cut, and separately damaged, at every byte offset.

interface Step {
  /** File size after the step: the end of its entry. */
  end: number;
  /** Records waiting after the step. */
  waiting: string[];
  /** Usage sequence numbers used up to and including the step. */
  usageSeqsUsed: number;
}

const day = 20_577;
let pristine: Buffer;
let steps: Step[];
let streams: { usage: string; events: string };

beforeAll(() => {
  const { dir, cleanup } = tempDir();
  try {
    const outbox = Outbox.open(dir);
    streams = outbox.streams();
    const size = () => readFileSync(join(dir, JOURNAL)).length;
    const snapshot = (): Step => {
      // waiting() reads via nextBatch, which journals a "sent" mark the first
      // time; take the snapshot without that side effect by reading a copy.
      const { dir: copyDir, cleanup: dropCopy } = tempDir();
      writeFileSync(join(copyDir, JOURNAL), readFileSync(join(dir, JOURNAL)));
      const copy = Outbox.open(copyDir);
      const state = { end: size(), waiting: waiting(copy), usageSeqsUsed };
      copy.close();
      dropCopy();
      return state;
    };
    let usageSeqsUsed = 0;
    steps = [snapshot()]; // the meta entry written at creation
    const run = (op: () => void) => {
      op();
      steps.push(snapshot());
    };
    const appendUsage = (utcDay: number, bootId: string, awakeSeconds: number) => () => {
      outbox.appendUsage([{ utcDay, bootId, awakeSeconds, recordedAtMs: awakeSeconds }]);
      usageSeqsUsed++;
    };
    run(appendUsage(day, 'b1', 60));
    run(appendUsage(day, 'b1', 61));
    run(() => outbox.appendEvent({ occurredAtMs: 3, uninstalled: { reason: 'test' } }));
    run(() => outbox.nextBatch(10)); // "sent" mark
    run(() => outbox.ack(streams.usage, [1], []));
    run(appendUsage(day + 1, 'b1', 62));
    run(() => outbox.ack(streams.events, [1], []));
    run(appendUsage(day + 1, 'b2', 63));
    outbox.close();
    pristine = readFileSync(join(dir, JOURNAL));
  } finally {
    cleanup();
  }
});

const u = (seq: number, rest: string) => `${streams.usage}#${seq}:${rest}`;

describe('journal fixture', () => {
  it('has one entry per step and the expected final content', () => {
    expect(steps).toHaveLength(9);
    expect(new Set(steps.map((s) => s.end)).size).toBe(9);
    expect(steps[8].end).toBe(pristine.length);
    expect(steps[8].waiting).toEqual([u(2, `${day}/b1/61`), u(3, `${day + 1}/b1/62`), u(4, `${day + 1}/b2/63`)]);
  });
});

describe('crash at any byte: the journal is cut short', () => {
  let dir: string;
  let cleanup: () => void;
  beforeAll(() => ({ dir, cleanup } = tempDir()));
  afterAll(() => cleanup());

  it('keeps every entry before the cut, drops the torn one, and starts a fresh epoch only when an entry was torn', () => {
    let offsetsChecked = 0;
    for (let cut = 0; cut <= pristine.length; cut++) {
      writeFileSync(join(dir, JOURNAL), pristine.subarray(0, cut));
      const outbox = Outbox.open(dir);
      const lastComplete = steps.filter((s) => s.end <= cut).at(-1);
      const expected = lastComplete?.waiting ?? [];
      expect(waiting(outbox), `cut at ${cut}`).toEqual(expected);

      const atBoundary = cut === 0 || steps.some((s) => s.end === cut);
      const [appended] = outbox.appendUsage([{ utcDay: day, bootId: 'after', awakeSeconds: 7, recordedAtMs: 9 }]);
      if (atBoundary && cut > 0) {
        // Clean cut: same epoch, and the sequence continues past every used one.
        expect(outbox.streams()).toEqual(streams);
        expect(appended.header!.seq).toBe(lastComplete!.usageSeqsUsed + 1);
      } else {
        // Torn entry, or a brand-new file: a fresh epoch can never collide with old sequences.
        expect(outbox.streams().usage).not.toBe(streams.usage);
        expect(appended.header!.seq).toBe(1);
      }
      outbox.close();

      // The recovered journal is whole again: everything, including the new record, reads back.
      const reopened = Outbox.open(dir);
      expect(waiting(reopened)).toEqual([...expected, `${reopened.streams().usage}#${appended.header!.seq}:${day}/after/7`].sort());
      reopened.close();
      offsetsChecked++;
    }
    expect(offsetsChecked).toBe(pristine.length + 1);
  });
});

describe('damage at any byte: one byte of the journal is flipped', () => {
  let dir: string;
  let cleanup: () => void;
  beforeAll(() => ({ dir, cleanup } = tempDir()));
  afterAll(() => cleanup());

  it('drops only the damaged entry, keeps intact entries after it, and brings back a settled record only if the last settled entry of its stream is lost', () => {
    const final = steps[8].waiting;
    const e1 = steps[3].waiting.find((w) => w.startsWith(streams.events))!;
    // What survives depends only on which entry the byte belongs to.
    const expectedWhenDamaged: Record<number, string[]> = {
      0: final, // meta: records still recovered by resynchronising on the next entry
      1: final, // u1, settled later anyway
      2: final.filter((w) => !w.startsWith(u(2, ''))), // u2 itself is lost
      3: final, // e1, settled later anyway
      4: final, // "sent" mark
      5: final, // ack of u1: the later settled entry's floors still say u1 is settled
      6: final.filter((w) => !w.startsWith(u(3, ''))), // u3 itself is lost
      // ack of e1, the last settled entry of its stream: e1 comes back and is resent; the
      // collector must ack it uncounted, being below the floor it was told (see README).
      7: [...final, e1].sort(),
      8: final.filter((w) => !w.startsWith(u(4, ''))), // u4 itself is lost (the tail)
    };
    let offsetsChecked = 0;
    for (let offset = 0; offset < pristine.length; offset++) {
      const damaged = Buffer.from(pristine);
      damaged[offset] ^= 0xff;
      writeFileSync(join(dir, JOURNAL), damaged);
      const entry = steps.findIndex((s) => offset < s.end);
      const outbox = Outbox.open(dir);
      expect(waiting(outbox), `byte ${offset} of entry ${entry}`).toEqual(expectedWhenDamaged[entry]);
      expect(outbox.streams().usage).not.toBe(streams.usage);
      outbox.close();
      offsetsChecked++;
    }
    expect(offsetsChecked).toBe(pristine.length);
  });
});
