// The events Tally publishes to webhooks, and the one function that publishes
// them. Publishing writes the event to the outbox (webhook_events) with the
// store it is given: inside a command's unit of work that is the command's
// transaction, so the event exists exactly when the change does. Delivery is
// the worker's (delivery.ts), never the publisher's: a slow or dead receiver
// never slows an enrolment or a month close.
import { randomUUID } from 'node:crypto';
import type { DeviceHistoryEntry, DeviceHistoryKind, HookStore } from '../storage/types.ts';

export const EVENT_TYPES = [
  'device.enrolled',
  'device.re_enrolled',
  'device.moved',
  'device.retired',
  'device.uninstalled',
  'device.clone_detected',
  'device.possible_duplicate',
  'month.closing',
  'month.finalized',
  'adjustment.created',
  'psa.sync_failed',
  'alert.raised',
  'alert.cleared',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** Only test-send uses it: never fanned out to other endpoints. */
export const TEST_EVENT = 'webhook.test';

export interface TallyEvent {
  type: EventType | typeof TEST_EVENT;
  /** The company the event concerns: decides which scoped endpoints get it. null: installation endpoints only (a month covers every company). */
  companyId: string | null;
  data: Record<string, unknown>;
  /** Publish at most once per key (a month's closing, an alert): repeated passes publish nothing new. */
  dedupeKey?: string;
  /** The enrolment token behind an enrolment (the enrolment-burst alert counts these). */
  tokenId?: string;
}

/** What the PSA sync calls when a push fails for good (issue 19's connectors). */
export interface PsaSyncFailed {
  /** The company whose line failed; null when the connection's sync as a whole stopped (installation endpoints get it). */
  companyId: string | null;
  /** The stable error code the sync stopped with (psa_auth_failed, psa_unavailable, ...). */
  code?: string;
  connector: string;
  month: string;
  /** What failed: the PSA's answer or the error, without credentials. */
  error: string;
  /** How many lines were pushed before it failed (a retried sync resumes after them). */
  pushedLines?: number;
}

/** The one publish function: writes the event to the outbox. Returns its message id, or null when its dedupe key was published already. */
export async function publishEvent(hooks: Pick<HookStore, 'publish'>, event: TallyEvent, atMs: number): Promise<string | null> {
  const id = `msg_${randomUUID().replaceAll('-', '')}`;
  const stored = await hooks.publish({
    id, type: event.type, companyId: event.companyId, dedupeKey: event.dedupeKey ?? null, tokenId: event.tokenId ?? null, data: event.data, atMs,
  });
  return stored ? id : null;
}

export const publishPsaSyncFailed = (hooks: Pick<HookStore, 'publish'>, f: PsaSyncFailed, atMs: number) =>
  publishEvent(hooks, { type: 'psa.sync_failed', companyId: f.companyId, data: { ...f } }, atMs);

/** The body a receiver gets (Standard Webhooks: type, timestamp, data). */
export function eventBody(e: { type: string; atMs: number; data: Record<string, unknown>; companyId: string | null }): string {
  return JSON.stringify({ type: e.type, timestamp: new Date(e.atMs).toISOString(), data: { companyId: e.companyId, ...e.data } });
}

/**
 * Whether an endpoint gets an event: its filter names the type (or is empty),
 * and its scope covers the event's company. `companyPath` is the event
 * company's path from the root (ids); an endpoint of a partner covers its
 * subtree, so a partner never sees another partner's events.
 */
export function endpointWants(endpoint: { companyId: string | null; eventTypes: readonly string[]; disabledAtMs: number | null },
  event: { type: string; companyId: string | null }, companyPath: readonly string[] | null): boolean {
  if (endpoint.disabledAtMs !== null || event.type === TEST_EVENT) return false;
  if (endpoint.eventTypes.length && !endpoint.eventTypes.includes(event.type)) return false;
  if (endpoint.companyId === null) return true;
  return event.companyId !== null && companyPath !== null && companyPath.includes(endpoint.companyId);
}

const HISTORY_EVENTS: Partial<Record<DeviceHistoryKind, EventType>> = {
  enrolled: 'device.enrolled', re_enrolled: 'device.re_enrolled', moved: 'device.moved', retired: 'device.retired',
  uninstalled: 'device.uninstalled', possible_duplicate: 'device.possible_duplicate',
};

/**
 * Publishes the device-history entries that are events (enrolled,
 * re-enrolled, moved, retired, uninstalled, possible duplicate) as events of
 * `companyId`; other kinds are left out. The history is where every device
 * change is written already, so this is the one hook for all of them.
 */
export async function publishDeviceHistory(hooks: Pick<HookStore, 'publish'>, entries: readonly DeviceHistoryEntry[], companyId: string): Promise<void> {
  for (const h of entries) {
    const type = HISTORY_EVENTS[h.kind];
    if (!type) continue;
    const tokenId = typeof h.details.tokenId === 'string' ? h.details.tokenId : undefined;
    await publishEvent(hooks, { type, companyId, tokenId, data: { ...h.details, deviceId: h.deviceId, actor: h.actor } }, h.atMs);
  }
}
