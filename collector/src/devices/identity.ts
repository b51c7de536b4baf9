// Which machine is enrolling? Identity is evidence, not one id (DESIGN.md):
// a device is a machine, not an enrolment. Pure: the evidence a hello
// carries, the evidence on record for devices of the same partner tree, and
// the clock in; a decision out. Storage and the socket apply it.
//
// Evidence order, strongest first:
//   1. cloud instance id (the platform's own, read from local SMBIOS)
//   2. SMBIOS system UUID, unless a firmware placeholder
//   3. system serial, unless a placeholder
// Weak hints, never proof on their own: the physical MAC set, the OS
// machine id (a disk clone copies it), the hostname.
import type { IIdentity } from '../../../proto/index.ts';
import { cleanHardwareUuid, cleanIdentifier } from '../../../common/hardware-ids.ts';

export interface HardwareEvidence {
  /** Keys that identify one machine: 'cloud:…', 'uuid:…', 'serial:<vendor>:…'. */
  readonly strong: readonly string[];
  /** Hints shared by look-alikes: 'macs:…', 'machine-id:…', 'hostname:…'. */
  readonly weak: readonly string[];
}

/**
 * A connection mark (devices.connected_since) left by a collector that died
 * is believed only this long after the device's last sign of life.
 */
export const ACTIVE_WINDOW_MS = 15 * 60_000;

/**
 * Whether a device's agent runs right now: a connection open on this
 * collector, or a connection mark of another collector that the device's
 * recent activity confirms. A wiped agent restarted at once is not active
 * (its old connection closed); a second OS on the same hardware is.
 */
export function isActiveNow(c: { connectedHere: boolean; connectedSinceMs: number | null; lastSeenAtMs: number | null }, nowMs: number): boolean {
  if (c.connectedHere) return true;
  return c.connectedSinceMs !== null && c.lastSeenAtMs !== null && nowMs - c.lastSeenAtMs < ACTIVE_WINDOW_MS;
}

/**
 * The evidence of a hello's identity facts. The collector re-cleans every
 * value (placeholders and fillers are dropped whatever the agent says), so a
 * buggy or hostile agent cannot make thousands of machines one device.
 */
export function hardwareEvidence(identity: IIdentity | null | undefined, extra: { hostname?: string | null } = {}): HardwareEvidence {
  const strong: string[] = [];
  const weak: string[] = [];
  const cloud = (identity?.cloudInstanceId ?? '').trim().toLowerCase();
  if (/^(aws|azure|gcp):[a-z0-9-]{6,80}$/.test(cloud)) strong.push(`cloud:${cloud}`);
  const uuid = cleanHardwareUuid(identity?.hardwareUuid);
  if (uuid) strong.push(`uuid:${uuid}`);
  // Not keyed with the vendor: an agent's first hello (before its full facts) does not know it yet.
  const serial = cleanIdentifier(identity?.systemSerial);
  if (serial && serial.length >= 4 && serial.length <= 128) strong.push(`serial:${serial.toLowerCase()}`);
  const macs = [...new Set((identity?.macs ?? []).map((m) => m.trim().toLowerCase()).filter((m) => /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/.test(m)))].sort();
  if (macs.length) weak.push(`macs:${macs.join(',')}`);
  const machineId = cleanIdentifier(identity?.osMachineId)?.toLowerCase();
  if (machineId) weak.push(`machine-id:${machineId}`);
  const hostname = (extra.hostname ?? '').trim().toLowerCase();
  if (hostname && hostname !== 'localhost') weak.push(`hostname:${hostname}`);
  return { strong, weak };
}

/**
 * A value on record for this many devices of one partner tree identifies
 * none of them: a placeholder no list knows yet, the fixed MAC of a VPN or
 * container adapter, the machine id of a golden image cloned without
 * sysprep. It is kept on record but neither matches nor flags: otherwise
 * every newcomer carrying it would be a "possible duplicate" of hundreds
 * of machines (and each enrolment would cost as much as the tree is big).
 */
export const SHARED_VALUE_DEVICES = 8;

/**
 * The keys of `keys` that may identify a machine: those held by fewer than
 * SHARED_VALUE_DEVICES devices of the tree (`holders` counts them, up to
 * the threshold).
 */
export function identifyingKeys(keys: readonly string[], holders: ReadonlyMap<string, number>): string[] {
  return keys.filter((k) => (holders.get(k) ?? 0) < SHARED_VALUE_DEVICES);
}

/** A device of the same partner tree whose evidence on record overlaps the newcomer's. */
export interface IdentityCandidate {
  readonly deviceId: string;
  readonly companyId: string;
  readonly strong: readonly string[];
  readonly weak: readonly string[];
  /** A live agent connection for the device right now (isActiveNow). */
  readonly connected: boolean;
  readonly lastSeenAtMs: number | null;
  /** Merged into another device: never reused itself (its survivor is the candidate). */
  readonly mergedInto: string | null;
}

export type EnrolmentDecision =
  /** Nothing on record looks like this machine (or it has no hardware evidence at all: containers). */
  | { readonly kind: 'new' }
  /**
   * The machine is known and quiet: the same device goes on (new key, the old
   * one revoked, history continuous). `moved` when the token is another
   * company's: the device moves there from now on.
   */
  | { readonly kind: 'reuse'; readonly deviceId: string; readonly moved: boolean; readonly evidence: readonly string[] }
  /**
   * A new device, flagged as a possible duplicate of the candidates for an
   * admin to merge or dismiss: never billed twice silently, never merged
   * on a guess.
   */
  | { readonly kind: 'new_possible_duplicate'; readonly of: readonly string[]; readonly evidence: readonly string[]; readonly why: 'weak_match' | 'ambiguous' | 'active' };

export function decideEnrolment(input: {
  evidence: HardwareEvidence;
  tokenCompanyId: string;
  candidates: readonly IdentityCandidate[];
  nowMs: number;
}): EnrolmentDecision {
  const { evidence, candidates, nowMs } = input;
  const live = candidates.filter((c) => c.mergedInto === null);
  const strongSet = new Set(evidence.strong);
  const strongMatches = live.filter((c) => c.strong.some((k) => strongSet.has(k)));
  if (strongMatches.length > 0) {
    // Two machines on record each share a different strong key with the newcomer, or the
    // firmware's own ids contradict (the same serial with another UUID or cloud instance):
    // no rule can pick. A serial that differs is not enough: it is the weakest strong key.
    const contradicted = (c: IdentityCandidate) => {
      const kinds = new Map(evidence.strong.map((k) => [kindOf(k), k]));
      return c.strong.some((k) => kindOf(k) !== 'serial' && kinds.has(kindOf(k)) && kinds.get(kindOf(k)) !== k);
    };
    const shared = (c: IdentityCandidate) => c.strong.filter((k) => strongSet.has(k)).sort();
    if (strongMatches.length > 1 || contradicted(strongMatches[0])) {
      return { kind: 'new_possible_duplicate', of: ids(strongMatches), evidence: [...new Set(strongMatches.flatMap(shared))].sort(), why: 'ambiguous' };
    }
    const match = strongMatches[0];
    if (match.connected) return { kind: 'new_possible_duplicate', of: [match.deviceId], evidence: shared(match), why: 'active' };
    return { kind: 'reuse', deviceId: match.deviceId, moved: match.companyId !== input.tokenCompanyId, evidence: shared(match) };
  }
  // No strong evidence in common. Weak hints only flag, and only when the newcomer has hardware
  // evidence at all (MACs or strong keys): a container with a hostname is not a duplicate of anything.
  const hasHardware = evidence.strong.length > 0 || evidence.weak.some((k) => k.startsWith('macs:'));
  if (!hasHardware) return { kind: 'new' };
  const weakSet = new Set(evidence.weak.filter((k) => !k.startsWith('hostname:')));
  const weakMatches = live.filter((c) => c.weak.some((k) => weakSet.has(k)));
  if (weakMatches.length === 0) return { kind: 'new' };
  return { kind: 'new_possible_duplicate', of: ids(weakMatches), evidence: [...new Set(weakMatches.flatMap((c) => c.weak.filter((k) => weakSet.has(k))))].sort(), why: 'weak_match' };
}

const kindOf = (key: string) => key.slice(0, key.indexOf(':'));
const ids = (cs: readonly IdentityCandidate[]) => cs.map((c) => c.deviceId).sort();

/**
 * The partner tree re-enrolment matches within: the subtree of the token
 * company's parent partner (the customer itself when it has none). A machine
 * moves between customers of one partner; across partners it is a new
 * device flagged as a possible duplicate, never taken from another MSP's
 * tree on evidence an agent reports.
 */
export function identityTreeRoot(companyPath: readonly string[]): string {
  return companyPath.length >= 2 ? companyPath[companyPath.length - 2] : companyPath[0];
}
