// The pure decider: RawFacts (+ the small persisted state and the config) in,
// DeviceFacts and the state to persist out. No I/O and no clock reads: `now`
// is an argument, so every rule is a table test over fixtures.
import { cleanIdentifier, identityEvidence } from './identity.ts';
import { currentModules, diffModules, parseModulesPolicy, type ModuleChangedEvent, type ModuleRecord, type ModulesConfig } from './modules.ts';
import { chassisName, darwinRole, linuxRole, windowsRole } from './role.ts';
import type { DeviceFacts, Ownership, RawFacts, RawJoin, RawNic, RoleVerdict, Virtualization } from './types.ts';
import { bindUsers, updateActivityTally, type ActivityTally } from './users.ts';
import { darwinVirtualization, linuxVirtualization, windowsVirtualization } from './virtualization.ts';

export interface NormalizeInput {
  raw: RawFacts;
  agentVersion: string;
  agentInstanceId: string;
  now: number;
  /** The `modules` section of the agent config. */
  modulesPolicy?: ModulesConfig;
  /** Ownership from the agent config; wins over what MDM enrolment suggests. */
  configuredOwnership?: 'corporate' | 'personal';
  previousModules: ModuleRecord;
  activity: ActivityTally;
}

export interface NormalizeOutput {
  facts: DeviceFacts;
  /** ModuleChanged events (without record header) to journal. */
  moduleEvents: ModuleChangedEvent[];
  /** State to persist once the events are journaled. */
  moduleRecord: ModuleRecord;
  activity: ActivityTally;
}

/** Per-OS verdicts; each rule lives with its OS's rules in virtualization.ts / role.ts. */
export function platformVerdicts(raw: RawFacts): { virtualization: Virtualization; role: RoleVerdict } {
  switch (raw.platform) {
    case 'linux': {
      const virtualization = linuxVirtualization(raw.linux);
      return { virtualization, role: linuxRole(raw.linux, virtualization) };
    }
    case 'darwin':
      return { virtualization: darwinVirtualization(raw.darwin), role: darwinRole() };
    case 'windows':
      return { virtualization: windowsVirtualization(raw.windows, raw.common.cloudHints), role: windowsRole(raw.windows) };
  }
}

export function normalizeFacts(input: NormalizeInput): NormalizeOutput {
  const { raw, now } = input;
  const c = raw.common;
  const { virtualization, role } = platformVerdicts(raw);

  const policy = parseModulesPolicy(input.modulesPolicy);
  const modules = diffModules(input.previousModules, currentModules(policy.modules, c.modules), now);
  const activity = updateActivityTally(input.activity, c.sessions, now);
  const ownership = decideOwnership(input.configuredOwnership, c.mdmOwnership);

  const facts: DeviceFacts = {
    platform: raw.platform,
    hostname: c.hostname.trim(),
    agentVersion: input.agentVersion,
    os: { platform: raw.platform, ...trimAll(c.os) },
    identity: { ...identityEvidence(raw, virtualization.virtual === true), agentInstanceId: input.agentInstanceId },
    virtualization,
    role,
    hardware: {
      // Vendor fields can hold the same placeholders as serials ("System manufacturer", "To be filled by O.E.M.").
      manufacturer: cleanIdentifier(c.manufacturer) ?? '',
      model: cleanIdentifier(c.model) ?? '',
      cpuModel: c.cpuModel.replace(/\s+/g, ' ').trim(),
      cpuCores: c.cpuCores,
      memoryBytes: c.memoryBytes,
      chassis: chassisName(c.chassis),
    },
    modules: modules.record.modules,
    users: bindUsers(activity),
    joinState: joinState(c.join),
    ipAddresses: ipAddresses(c.nics),
    ownership: ownership.ownership,
    ownershipEvidence: ownership.evidence,
    collectedAtMs: now,
    notes: [...c.notes, ...policy.problems],
  };
  return { facts, moduleEvents: modules.events, moduleRecord: modules.record, activity };
}

function trimAll<T extends Record<string, string>>(record: T): T {
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, v.trim()])) as T;
}

/** "domain:CORP", "azuread:<tenant>", both joined by ';' (hybrid), "workgroup", or '' when unknown. */
export function joinState(join: RawJoin): string {
  const parts = [join.domain ? `domain:${join.domain}` : '', join.azureAdTenant ? `azuread:${join.azureAdTenant}` : ''].filter(Boolean);
  if (parts.length > 0) return parts.join(';');
  return join.known ? 'workgroup' : '';
}

function decideOwnership(configured: NormalizeInput['configuredOwnership'], mdm: RawFacts['common']['mdmOwnership']): { ownership: Ownership; evidence: string } {
  if (configured) return { ownership: configured, evidence: 'config' };
  if (mdm) return { ownership: mdm.ownership, evidence: mdm.evidence };
  return { ownership: '', evidence: '' };
}

const PLUMBING_NIC = /^(lo\d*|docker\d*|br-|virbr|veth|cni|flannel|cali|vxlan|kube|podman|lxcbr|lxdbr)|vEthernet|Loopback/i;

/** Addresses of the machine's own interfaces; link-local and container plumbing say nothing about the device. */
function ipAddresses(nics: RawNic[]): string[] {
  const addresses = new Set<string>();
  for (const nic of nics) {
    if (nic.internal || PLUMBING_NIC.test(nic.name)) continue;
    for (const address of nic.addresses) {
      const a = address.trim().toLowerCase();
      if (a && !a.startsWith('fe80') && !a.startsWith('169.254.')) addresses.add(a);
    }
  }
  return [...addresses].sort();
}
