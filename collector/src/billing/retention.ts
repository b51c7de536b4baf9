// Listing retention (seed 000), independent of billing.
//
// "inactive records are retained temporarily before permanent deletion,
// completely independent of billing status:
//   Inactive Devices: Remain visible in the dashboard for 90 days before automatic removal.
//   Inactive Users: Remain visible in the dashboard for 150 days before automatic removal."
// DESIGN.md: "retention purges never delete finalized records", so billing
// records are never purged.

import { BillingInputError } from './errors.ts';
import { DAY_MS } from './period.ts';

export const INACTIVE_DEVICE_VISIBLE_DAYS = 90;
export const INACTIVE_USER_VISIBLE_DAYS = 150;

export type RetainedRecord =
  | { readonly kind: 'device'; readonly lastActivityMs: number }
  | { readonly kind: 'user'; readonly lastActivityMs: number }
  | { readonly kind: 'billing_record' };

export interface RetentionDecision {
  readonly visible: boolean;
  /** When the record leaves listings and may be purged; null = never. */
  readonly removeAtMs: number | null;
}

/** Visible while less than 90 (device) / 150 (user) days have passed since the last activity. */
export function listingRetention(record: RetainedRecord, nowMs: number): RetentionDecision {
  if (!Number.isFinite(nowMs)) throw new BillingInputError('INVALID_INPUT', `now must be finite, got ${nowMs}`);
  if (record.kind === 'billing_record') return { visible: true, removeAtMs: null };
  if (!Number.isFinite(record.lastActivityMs)) {
    throw new BillingInputError('INVALID_INPUT', `lastActivityMs must be finite, got ${record.lastActivityMs}`);
  }
  const days = record.kind === 'device' ? INACTIVE_DEVICE_VISIBLE_DAYS : INACTIVE_USER_VISIBLE_DAYS;
  const removeAtMs = record.lastActivityMs + days * DAY_MS;
  return { visible: nowMs < removeAtMs, removeAtMs };
}
