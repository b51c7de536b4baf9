import { describe, expect, it } from 'vitest';
import { MAX_SECONDS_PER_RECORD, planFold } from '../../../agent/src/outbox/fold.ts';

const rec = (seq: number, utcDay: number, bootId: string, awakeSeconds: number, recordedAtMs = seq) => ({
  header: { stream: 'usage/x', seq },
  utcDay,
  bootId,
  awakeSeconds,
  recordedAtMs,
});

describe('planFold', () => {
  it('sums records of the same day and boot, and leaves single records alone', () => {
    const plan = planFold([rec(1, 10, 'a', 5), rec(2, 10, 'a', 7, 99), rec(3, 10, 'b', 1), rec(4, 11, 'a', 2), rec(5, 10, 'a', 1, 50)]);
    expect(plan.replacedSeqs.sort()).toEqual([1, 2, 5]);
    expect(plan.folded).toEqual([{ utcDay: 10, bootId: 'a', awakeSeconds: 13, recordedAtMs: 99 }]);
  });

  it('splits a total above one day of seconds into plausible records without losing any', () => {
    const plan = planFold([rec(1, 10, 'a', 80_000), rec(2, 10, 'a', 20_000)]);
    expect(plan.folded.map((r) => r.awakeSeconds)).toEqual([MAX_SECONDS_PER_RECORD, 100_000 - MAX_SECONDS_PER_RECORD]);
  });

  it('plans nothing for an empty or fold-free input', () => {
    expect(planFold([])).toEqual({ replacedSeqs: [], folded: [] });
    expect(planFold([rec(1, 10, 'a', 5), rec(2, 11, 'a', 5)])).toEqual({ replacedSeqs: [], folded: [] });
  });
});
