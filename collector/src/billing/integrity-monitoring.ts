// Integrity Monitoring data retention tiers.
//
// Seed 003: "If you upgrade your data retention add-on, you are going to be
// charged from the moment the data retention add-on was upgraded. However, if
// you downgrade your data retention add-on, you are going to be charged with
// the new data retention plan at the start of the following month. In
// addition, the endpoints that were offline before the last data retention
// change are going to be charged for the highest data retention add-on that
// was active during the month they were online."
//
// All three sentences are one rule: the billed tier at an instant t of the
// month is the highest tier configured at any moment of [month start, t]
// (a running maximum). An upgrade raises it at once; a downgrade cannot lower
// it before the month ends, and the next month starts from the tier then
// configured. A device is billed at the billed tier of the last instant it was
// online: a device last seen before an upgrade keeps the lower tier.
// Facts are per UTC day, so a device active on a day counts as online until
// that day's end (an upgrade later that day reaches it).

import type { Month } from './period.ts';
import { inForceAt, type VersionInForce } from './subscription.ts';
import type { RetentionTier } from './types.ts';

export const TIER_ORDER: readonly RetentionTier[] = ['none', '90d', '180d', '1y'];

export function higherTier(a: RetentionTier | null, b: RetentionTier | null): RetentionTier | null {
  if (a === null) return b;
  if (b === null) return a;
  return TIER_ORDER.indexOf(a) >= TIER_ORDER.indexOf(b) ? a : b;
}

/** The tier configured at an instant: the highest among versions in force with the add-on enabled. */
export function configuredTierAt(versions: readonly VersionInForce[], atMs: number): RetentionTier | null {
  let tier: RetentionTier | null = null;
  for (const interval of versions) {
    if (inForceAt(interval, atMs)) tier = higherTier(tier, interval.version.addOns.integrityMonitoring);
  }
  return tier;
}

/** The tier billed for a device last online at `lastOnlineMs` (clamped into the month). */
export function billedTierAt(versions: readonly VersionInForce[], month: Month, lastOnlineMs: number): RetentionTier | null {
  const until = Math.min(Math.max(lastOnlineMs, month.startMs), month.endMs - 1);
  // Every instant where the configured tier can change: month start and each version boundary inside [start, until].
  const instants = new Set<number>([month.startMs]);
  for (const { fromMs, untilMs } of versions) {
    if (fromMs > month.startMs && fromMs <= until) instants.add(fromMs);
    if (untilMs > month.startMs && untilMs <= until) instants.add(untilMs);
  }
  let billed: RetentionTier | null = null;
  for (const instant of instants) billed = higherTier(billed, configuredTierAt(versions, instant));
  return billed;
}
