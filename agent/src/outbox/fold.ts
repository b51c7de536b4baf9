import type { IUsageRecord } from '../../../proto/index.ts';

export const MAX_SECONDS_PER_RECORD = 86_400;

export interface FoldPlan {
  /** Sequences that disappear into a folded record. */
  replacedSeqs: number[];
  /** One record per (utcDay, bootId) group of two or more; headers are assigned by the caller. */
  folded: Array<Omit<IUsageRecord, 'header'>>;
}

/**
 * Plans how to fold usage records into per-day totals: records of the same
 * UTC day and boot become one record carrying their summed seconds.
 *
 * The caller must pass only records that have never been handed to the
 * transport. A record that was sent may already be stored by the collector
 * (its ack lost); folding it into a record with a new sequence would count
 * its seconds twice. Records are increments, so a sum loses nothing.
 */
export function planFold(neverSent: IUsageRecord[]): FoldPlan {
  const groups = new Map<string, IUsageRecord[]>();
  for (const record of neverSent) {
    const key = `${record.utcDay}\u0000${record.bootId}`;
    const group = groups.get(key);
    if (group) group.push(record);
    else groups.set(key, [record]);
  }
  const plan: FoldPlan = { replacedSeqs: [], folded: [] };
  for (const group of groups.values()) {
    if (group.length < 2) continue;
    plan.replacedSeqs.push(...group.map((r) => r.header!.seq as number));
    const recordedAtMs = Math.max(...group.map((r) => r.recordedAtMs as number));
    let seconds = group.reduce((sum, r) => sum + (r.awakeSeconds as number), 0);
    // A day can hold more than 86400 s after the wall clock was set back; keep
    // each record plausible on its own so the collector does not refuse it whole.
    while (seconds > 0) {
      const awakeSeconds = Math.min(seconds, MAX_SECONDS_PER_RECORD);
      plan.folded.push({ utcDay: group[0].utcDay, bootId: group[0].bootId, awakeSeconds, recordedAtMs });
      seconds -= awakeSeconds;
    }
  }
  return plan;
}
