// Identity is evidence, not one id (see DESIGN.md). This file has two halves:
//  - pure cleaning of the raw evidence: placeholders never reach identity;
//  - the agent's own identity state in the state dir: the instance id, the
//    reset, and the golden-image decision taken at startup.
import { randomUUID } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { cloudFromSmbios } from './virtualization.ts';
import { MODULE_RECORD_FILE } from './modules.ts';
import { readJsonState, readTextState, removeState, writeFileAtomic, writeJsonState } from './state.ts';
import type { CloudHints, IdentityEvidence, RawFacts, RawNic } from './types.ts';
import { USER_ACTIVITY_FILE } from './users.ts';
import { INVENTORY_MARK_FILE } from './inventory.ts';

// ---------------------------------------------------------------- pure cleaning

/** Firmware defaults shipped un-customised by board vendors, shared by thousands of machines. */
export const PLACEHOLDER_UUIDS: ReadonlySet<string> = new Set([
  '00000000-0000-0000-0000-000000000000',
  'ffffffff-ffff-ffff-ffff-ffffffffffff',
  '03000200-0400-0500-0006-000700080009',
  '03020100-0504-0706-0809-0a0b0c0d0e0f',
]);

const UUID_SHAPE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** SMBIOS system UUID, lower case; null when absent or a placeholder. */
export function cleanHardwareUuid(raw: string | undefined): string | null {
  const value = (raw ?? '').trim().toLowerCase();
  if (!UUID_SHAPE.test(value)) return null;
  if (PLACEHOLDER_UUIDS.has(value) || value.startsWith('fefefefe')) return null;
  // One repeated digit (all zeros, all F, 11111111-…) is a filler, not an id.
  if (new Set(value.replace(/-/g, '')).size === 1) return null;
  return value;
}

/** Strings BIOS vendors leave in serial and asset fields (compared lower-case, trimmed). */
export const PLACEHOLDER_STRINGS: ReadonlySet<string> = new Set([
  '',
  '-',
  '.',
  '0',
  'n/a',
  'na',
  'none',
  'null',
  'unknown',
  'invalid',
  'default',
  'default string',
  'to be filled by o.e.m.',
  'to be filled by oem',
  'system serial number',
  'system product name',
  'chassis serial number',
  'base board serial number',
  'baseboard serial number',
  'serial number',
  'not specified',
  'not applicable',
  'not available',
  'oem',
  'o.e.m.',
  '0123456789',
  '123456789',
  '1234567890',
]);

/** A serial or other identifying string; null for placeholders and fillers ("0000000", "XXXXXXXX", "        "). */
export function cleanIdentifier(raw: string | undefined): string | null {
  const value = (raw ?? '').trim();
  if (PLACEHOLDER_STRINGS.has(value.toLowerCase())) return null;
  if (/^(.)\1*$/.test(value.replace(/[\s.-]/g, ''))) return null;
  return value;
}

/** OS machine id; null when absent or when it is really the host name (node-machine-id's Linux fallback). */
export function cleanMachineId(raw: string | undefined, hostname: string): string | null {
  const value = cleanIdentifier(raw)?.toLowerCase() ?? null;
  if (!value || value === hostname.trim().toLowerCase()) return null;
  return value;
}

/** Interfaces that are not a NIC of this machine: loopback, bridges, container and VPN plumbing, hypervisor host adapters. */
const NON_PHYSICAL_NIC = /^(lo\d*|docker\d*|br-|bridge\d*|virbr|veth|vnet|vmnet|vboxnet|tun|tap|wg|zt|utun|awdl|llw|anpi|ap\d|cni|flannel|cali|vxlan|kube|tailscale|podman|lxcbr|lxdbr|ppp)|vEthernet|Hyper-V Virtual|VMware Virtual|VirtualBox Host-Only|TAP-Windows|Wintun|WAN Miniport|Loopback|Teredo|isatap/i;

/**
 * MACs of physical NICs, lower case, sorted, unique. Locally administered
 * MACs (the 0x02 bit of the first octet) are random or software-assigned
 * (privacy MACs, containers, most cloud vNICs) and never identify hardware.
 * On a physical host, NICs with a hypervisor vendor prefix belong to VMs'
 * host adapters; inside a VM they are the machine's own NICs and are kept.
 */
export function physicalMacs(nics: RawNic[], deviceIsVirtual: boolean): string[] {
  const macs = new Set<string>();
  for (const nic of nics) {
    const mac = nic.mac.trim().toLowerCase().replace(/-/g, ':');
    if (!/^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/.test(mac)) continue;
    if (nic.internal || NON_PHYSICAL_NIC.test(nic.name)) continue;
    if (mac === '00:00:00:00:00:00' || mac === 'ff:ff:ff:ff:ff:ff') continue;
    if ((parseInt(mac.slice(0, 2), 16) & 0x02) !== 0) continue;
    if (nic.hypervisorOui && !deviceIsVirtual) continue;
    macs.add(mac);
  }
  return [...macs].sort();
}

/** Cloud instance id as the platform exposes it in local SMBIOS; never fetched over the network. */
export function cloudInstanceId(hints: CloudHints): string | null {
  const cloud = cloudFromSmbios(hints);
  if (!cloud) return null;
  if (cloud.kind === 'aws') {
    const tag = hints.boardAssetTag?.trim() ?? '';
    return /^i-[0-9a-f]{8,17}$/i.test(tag) ? `aws:${tag.toLowerCase()}` : null;
  }
  if (cloud.kind === 'azure') {
    // The VM unique id is the SMBIOS system UUID.
    const uuid = cleanHardwareUuid(hints.productUuid);
    return uuid ? `azure:${uuid}` : null;
  }
  // GCE: product_serial is "GoogleCloud-" followed by a per-instance hex id.
  const serial = hints.productSerial?.trim() ?? '';
  return /^GoogleCloud-[0-9A-F]+$/i.test(serial) ? `gcp:${serial.toLowerCase()}` : null;
}

export function identityEvidence(raw: RawFacts, deviceIsVirtual: boolean): IdentityEvidence {
  const c = raw.common;
  return {
    hardwareUuid: cleanHardwareUuid(c.hardwareUuid),
    systemSerial: cleanIdentifier(c.systemSerial),
    baseboardSerial: cleanIdentifier(c.baseboardSerial),
    osMachineId: cleanMachineId(c.osMachineId, c.hostname),
    macs: physicalMacs(c.nics, deviceIsVirtual),
    cloudInstanceId: cloudInstanceId(c.cloudHints),
  };
}

export type HardwareComparison = { verdict: 'same' | 'different' | 'indeterminate'; evidence: string[] };

/**
 * Pure: is `current` the machine `template` was recorded on? Only hardware
 * evidence counts: a clone carries the template's disk, so its OS machine id
 * is the template's until something resets it. The OS machine id is used
 * only when no hardware field can be compared (e.g. hardware with no
 * identifiers at all); with nothing comparable, the answer is indeterminate.
 */
export function compareHardware(template: IdentityEvidence, current: IdentityEvidence): HardwareComparison {
  const evidence: string[] = [];
  let compared = 0;
  for (const field of ['hardwareUuid', 'systemSerial', 'baseboardSerial', 'cloudInstanceId'] as const) {
    const before = template[field];
    const now = current[field];
    if (!before || !now) continue;
    compared++;
    if (before !== now) evidence.push(`${field}: ${before} -> ${now}`);
  }
  if (template.macs.length > 0 && current.macs.length > 0) {
    compared++;
    if (!template.macs.some((m) => current.macs.includes(m))) evidence.push(`macs: ${template.macs.join(',')} -> ${current.macs.join(',')}`);
  }
  if (compared === 0 && template.osMachineId && current.osMachineId) {
    compared++;
    if (template.osMachineId !== current.osMachineId) evidence.push(`osMachineId: ${template.osMachineId} -> ${current.osMachineId}`);
  }
  if (evidence.length > 0) return { verdict: 'different', evidence };
  if (compared === 0) return { verdict: 'indeterminate', evidence: ['no identity evidence present on both the template and this machine'] };
  return { verdict: 'same', evidence: [`${compared} identity field(s) match the template`] };
}

// ---------------------------------------------------------------- identity state

/** Files in the agent state dir. The transport must keep the collector's device key in DEVICE_KEY_FILE. */
export const INSTANCE_ID_FILE = 'instance-id';
export const DEVICE_KEY_FILE = 'credentials.json';
export const GOLDEN_IMAGE_MARKER = 'golden-image';

/** Per-device state that must not survive into a new identity (a clone's history is not the template's). */
const IDENTITY_BOUND_FILES = [INSTANCE_ID_FILE, DEVICE_KEY_FILE, MODULE_RECORD_FILE, USER_ACTIVITY_FILE, INVENTORY_MARK_FILE];

export async function readInstanceId(stateDir: string): Promise<string | undefined> {
  const value = (await readTextState(stateDir, INSTANCE_ID_FILE))?.trim();
  return value || undefined;
}

/**
 * When this agent installation first ran: the instance id file is written
 * once, at first run (and again only by a reset, which is a new identity),
 * so its modification time is that instant. The hello carries it; the
 * collector refuses usage for days before it. null when unknown.
 */
export async function readFirstRunMs(stateDir: string): Promise<number | null> {
  try {
    const { mtimeMs } = await stat(join(stateDir, INSTANCE_ID_FILE));
    return Number.isFinite(mtimeMs) && mtimeMs > 0 ? Math.floor(mtimeMs) : null;
  } catch {
    return null;
  }
}

/** The agent instance id, created at first run and kept in the state dir. */
export async function loadOrCreateInstanceId(stateDir: string, newId: () => string = randomUUID): Promise<string> {
  const existing = await readInstanceId(stateDir);
  if (existing) return existing;
  const id = newId();
  await writeFileAtomic(join(stateDir, INSTANCE_ID_FILE), `${id}\n`);
  return id;
}

/**
 * `tally-agent reset-identity`: forget the instance id, the device key, the
 * module and user history and any golden-image marker, then create a fresh
 * instance id. The next connection enrols as a new device.
 */
export async function resetIdentity(stateDir: string, newId: () => string = randomUUID): Promise<{ previousInstanceId?: string; instanceId: string }> {
  const previousInstanceId = await readInstanceId(stateDir);
  for (const file of [...IDENTITY_BOUND_FILES, GOLDEN_IMAGE_MARKER]) await removeState(stateDir, file);
  const instanceId = await loadOrCreateInstanceId(stateDir, newId);
  return { previousInstanceId, instanceId };
}

interface GoldenImageMarker {
  preparedAtMs: number;
  template: IdentityEvidence;
}

/**
 * Install mode for golden images: run on the template right before it is
 * captured. Drops any identity the template already has and records the
 * template's hardware evidence in the marker. The template then never enrols;
 * each clone sees different hardware at its first start and enrols as itself.
 */
export async function prepareGoldenImage(stateDir: string, template: IdentityEvidence, now: number = Date.now()): Promise<void> {
  for (const file of IDENTITY_BOUND_FILES) await removeState(stateDir, file);
  const marker: GoldenImageMarker = { preparedAtMs: now, template };
  await writeJsonState(stateDir, GOLDEN_IMAGE_MARKER, marker);
}

export type StartupIdentityDecision =
  /** No marker: carry on with this instance id (enrol if there is no device key yet). */
  | { action: 'proceed'; instanceId: string; evidence: string[] }
  /** This is the golden-image template: do not enrol and do not report. */
  | { action: 'hold-template'; evidence: string[] }
  /** A clone of a template: the template's identity was dropped; enrol with the new instance id. */
  | { action: 'enrol-clone'; instanceId: string; evidence: string[] };

/**
 * Call once at agent startup, before connecting, with the identity evidence
 * of this machine (collectIdentityEvidence()).
 */
export async function decideStartupIdentity(stateDir: string, current: IdentityEvidence, newId: () => string = randomUUID): Promise<StartupIdentityDecision> {
  const markerText = await readTextState(stateDir, GOLDEN_IMAGE_MARKER);
  if (markerText === undefined) {
    return { action: 'proceed', instanceId: await loadOrCreateInstanceId(stateDir, newId), evidence: [] };
  }
  const marker = await readJsonState<GoldenImageMarker>(stateDir, GOLDEN_IMAGE_MARKER);
  if (!marker?.template) {
    // Cannot tell template from clone: holding is reversible (reset-identity), a wrong enrolment is not.
    return { action: 'hold-template', evidence: ['golden-image marker unreadable; run reset-identity to enrol this machine'] };
  }
  const comparison = compareHardware(marker.template, current);
  if (comparison.verdict !== 'different') {
    return { action: 'hold-template', evidence: [`golden-image template (${comparison.verdict})`, ...comparison.evidence] };
  }
  for (const file of IDENTITY_BOUND_FILES) await removeState(stateDir, file);
  const instanceId = await loadOrCreateInstanceId(stateDir, newId);
  // Remove the marker last: a crash before this point repeats the (idempotent) re-identification.
  await removeState(stateDir, GOLDEN_IMAGE_MARKER);
  return { action: 'enrol-clone', instanceId, evidence: ['clone of golden image', ...comparison.evidence] };
}
