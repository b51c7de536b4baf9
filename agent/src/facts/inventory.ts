// Facts as they leave the agent: the proto DeviceFacts for Hello/Inventory,
// the JSON of `tally-agent facts --json`, and the policy deciding when an
// Inventory is due (on change, and at least daily). All pure.
import { createHash } from 'node:crypto';
import type { IDeviceFacts } from '../../../proto/index.ts';
import { readJsonState, writeJsonState } from './state.ts';
import type { DeviceFacts } from './types.ts';

export function toProtoDeviceFacts(facts: DeviceFacts): IDeviceFacts {
  const id = facts.identity;
  return {
    identity: {
      hardwareUuid: id.hardwareUuid ?? '',
      systemSerial: id.systemSerial ?? '',
      baseboardSerial: id.baseboardSerial ?? '',
      osMachineId: id.osMachineId ?? '',
      macs: [...id.macs],
      cloudInstanceId: id.cloudInstanceId ?? '',
      agentInstanceId: id.agentInstanceId,
    },
    hostname: facts.hostname,
    os: { ...facts.os },
    // Unknown is said by leaving the verdict out (no Virtualization, an empty role): the collector reads both as unknown.
    virtualization: facts.virtualization.virtual === null ? null : { ...facts.virtualization, virtual: facts.virtualization.virtual, evidence: [...facts.virtualization.evidence] },
    role: { role: facts.role.role === 'unknown' ? '' : facts.role.role, evidence: [...facts.role.evidence] },
    hardware: { ...facts.hardware },
    modules: facts.modules.map((m) => ({ ...m })),
    users: facts.users.map((u) => ({ ...u })),
    joinState: facts.joinState,
    ipAddresses: [...facts.ipAddresses],
    ownership: facts.ownership,
  };
}

/** The document printed by `tally-agent facts --json`: verdicts first, then the evidence they rest on. */
export function factsToJson(facts: DeviceFacts) {
  return {
    hostname: facts.hostname,
    platform: facts.platform,
    agentVersion: facts.agentVersion,
    virtual: facts.virtualization.virtual,
    hypervisor: facts.virtualization.kind || null,
    virtualizationCategory: facts.virtualization.category || null,
    role: facts.role.role,
    identity: facts.identity,
    os: facts.os,
    hardware: facts.hardware,
    joinState: facts.joinState || null,
    ownership: facts.ownership || null,
    ipAddresses: facts.ipAddresses,
    users: facts.users.map((u) => ({ ...u, lastSignIn: u.lastSignInMs ? new Date(u.lastSignInMs).toISOString() : null })),
    modules: facts.modules.map((m) => ({ ...m, changedAt: m.changedAtMs ? new Date(m.changedAtMs).toISOString() : null })),
    evidence: {
      virtualization: facts.virtualization.evidence,
      role: facts.role.evidence,
      ownership: facts.ownershipEvidence || null,
    },
    notes: facts.notes,
    collectedAt: new Date(facts.collectedAtMs).toISOString(),
  };
}

export function formatFactsJson(facts: DeviceFacts): string {
  return JSON.stringify(factsToJson(facts), null, 2);
}

/**
 * Stable hash of the facts that matter for billing and recognition. Left out
 * as volatile: the collection time, degradation notes (a slow tool must not
 * look like new facts), IP addresses (DHCP, VPN, roaming) and users' last
 * sign-in times (every sign-in would otherwise be an inventory).
 */
export function factsFingerprint(facts: DeviceFacts): string {
  const { collectedAtMs: _collectedAt, notes: _notes, ipAddresses: _ips, users, ...stable } = facts;
  const material = { ...stable, users: users.map(({ userId, primary }) => ({ userId, primary })) };
  return createHash('sha256').update(canonicalJson(material)).digest('hex');
}

/** JSON with object keys sorted at every level, so equal facts always hash the same. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

export const INVENTORY_MAX_AGE_MS = 24 * 60 * 60 * 1000;

/** What was last sent (and acknowledged); kept by the caller, e.g. with load/saveInventoryMark. */
export interface InventoryMark {
  fingerprint: string;
  sentAtMs: number;
}

export type InventoryDecision = { send: true; reason: 'first' | 'changed' | 'daily' | 'clock-moved-back' } | { send: false; reason: 'unchanged' };

/** Pure: send when the facts changed, when the last one is a day old, and when nothing was ever sent. */
export function shouldSendInventory(last: InventoryMark | undefined, fingerprint: string, now: number, maxAgeMs = INVENTORY_MAX_AGE_MS): InventoryDecision {
  if (!last) return { send: true, reason: 'first' };
  if (last.fingerprint !== fingerprint) return { send: true, reason: 'changed' };
  // A clock set backwards would otherwise postpone the daily inventory by the size of the jump.
  if (now < last.sentAtMs) return { send: true, reason: 'clock-moved-back' };
  if (now - last.sentAtMs >= maxAgeMs) return { send: true, reason: 'daily' };
  return { send: false, reason: 'unchanged' };
}

export const INVENTORY_MARK_FILE = 'inventory-mark.json';

export async function loadInventoryMark(stateDir: string): Promise<InventoryMark | undefined> {
  const mark = await readJsonState<InventoryMark>(stateDir, INVENTORY_MARK_FILE);
  return mark && typeof mark.fingerprint === 'string' && typeof mark.sentAtMs === 'number' ? mark : undefined;
}

/** Call when the collector acknowledged the Inventory record, not when it was queued. */
export async function saveInventoryMark(stateDir: string, mark: InventoryMark): Promise<void> {
  await writeJsonState(stateDir, INVENTORY_MARK_FILE, mark);
}
