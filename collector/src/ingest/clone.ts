// Clone detection. A device key belongs to one machine; the hardware it is
// presented from is fingerprinted from the agent's identity evidence. Pure.
import { createHash } from 'node:crypto';
import type { IIdentity } from '../../../proto/index.ts';

/** How recently the key's own machine must have been seen for a mismatch to count as a clone. */
export const CLONE_WINDOW_MS = 15 * 60_000;

/**
 * Hardware, not software: SMBIOS UUID, serials, physical MACs, cloud
 * instance id. The OS machine id and the agent instance id are left out on
 * purpose: a disk clone copies both. null when nothing hardware-bound is known
 * (containers): then no verdict is possible.
 */
export function hardwareFingerprint(identity: IIdentity | null | undefined): string | null {
  if (!identity) return null;
  const parts = [
    identity.hardwareUuid?.trim().toLowerCase() ?? '',
    identity.systemSerial?.trim() ?? '',
    identity.baseboardSerial?.trim() ?? '',
    [...(identity.macs ?? [])].map((m) => m.trim().toLowerCase()).filter(Boolean).sort().join(','),
    identity.cloudInstanceId?.trim() ?? '',
  ];
  if (parts.every((p) => p === '')) return null;
  return createHash('sha256').update(parts.join('|')).digest('hex');
}

export type HardwareVerdict =
  | { kind: 'same' }
  /** First sighting, or nothing to compare: remember it. */
  | { kind: 'record' }
  /** Different hardware, and the key's machine has been quiet: a replaced board or a migrated VM. */
  | { kind: 'changed' }
  /** Different hardware while the key's machine is active: the newcomer is a clone. */
  | { kind: 'clone' };

export function judgeHardware(input: {
  stored: string | null;
  presented: string | null;
  /** The device is connected right now on another session. */
  connectedElsewhere: boolean;
  lastSeenAtMs: number | null;
  nowMs: number;
}): HardwareVerdict {
  if (input.presented === null) return { kind: 'same' };
  if (input.stored === null) return { kind: 'record' };
  if (input.stored === input.presented) return { kind: 'same' };
  const recentlyActive = input.lastSeenAtMs !== null && input.nowMs - input.lastSeenAtMs < CLONE_WINDOW_MS;
  return input.connectedElsewhere || recentlyActive ? { kind: 'clone' } : { kind: 'changed' };
}
