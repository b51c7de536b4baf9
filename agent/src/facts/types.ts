// Types shared by the facts adapters (which collect) and the normaliser (which
// decides). Adapters only ever produce RawFacts: strings as the OS gave them.
// Every judgement (is this a VM? is this serial a placeholder? who is the
// primary user?) happens in pure code over RawFacts, so it is table-testable
// with fixtures on any OS.
import type { Systeminformation } from 'systeminformation';

export type Platform = 'linux' | 'darwin' | 'windows';

// ---------------------------------------------------------------- raw sources (injectable)

/** Outcome of running an external command. A process that ran and exited non-zero is still `ok`. */
export type CommandResult =
  | { ok: true; stdout: string; exitCode: number }
  | { ok: false; reason: string };

/**
 * Runs one external command without a shell. Implementations must bound the
 * run time and never throw: a missing tool, a permission error or a timeout
 * becomes `{ ok: false, reason }`.
 */
export type CommandRunner = (command: string, args: readonly string[]) => Promise<CommandResult>;

/** Runs one PowerShell script, bounded in time, never throwing (Windows only). */
export type PowerShellRunner = (script: string) => Promise<CommandResult>;

export type ReadResult = { ok: true; text: string } | { ok: false; reason: 'missing' | 'denied' | string };

/** Read access to a filesystem (the real one under a root, or a fixture). Never throws. */
export interface SourceReader {
  readText(path: string): Promise<ReadResult>;
  /** undefined when the path does not exist or cannot be inspected. */
  stat(path: string): Promise<{ mtimeMs: number } | undefined>;
}

/** The subset of systeminformation the adapters use; fixtures provide recorded results. */
export interface SystemInfoSource {
  system(): Promise<Systeminformation.SystemData>;
  baseboard(): Promise<Systeminformation.BaseboardData>;
  chassis(): Promise<Systeminformation.ChassisData>;
  osInfo(): Promise<Systeminformation.OsData>;
  cpu(): Promise<Systeminformation.CpuData>;
  mem(): Promise<Systeminformation.MemData>;
  networkInterfaces(): Promise<Systeminformation.NetworkInterfacesData[] | Systeminformation.NetworkInterfacesData>;
  users(): Promise<Systeminformation.UserData[]>;
}

/** Reads the OS machine id (default: node-machine-id, original value). May reject. */
export type MachineIdReader = () => Promise<string>;

/** Everything an adapter reads from. Tests pass fixtures; production passes defaultSources(). */
export interface AdapterSources {
  reader: SourceReader;
  run: CommandRunner;
  si: SystemInfoSource;
  readMachineId: MachineIdReader;
  /** Windows only. */
  powerShell?: PowerShellRunner;
  /** os.hostname(); injectable so fixtures carry the recorded host name. */
  hostname: () => string;
  /** Wall clock, for sources that print dates without a year or "now" sessions. */
  now: () => number;
  /** Upper bound for any single source (command, file, systeminformation call). */
  timeoutMs: number;
}

export interface AdapterOptions {
  /** Directory holding one marker per installed product module; per-OS default when absent. */
  modulesDir?: string;
}

export type FactsAdapter = (sources: AdapterSources, options: AdapterOptions) => Promise<RawFacts>;

// ---------------------------------------------------------------- raw facts (what adapters return)

export interface RawNic {
  name: string;
  mac: string;
  internal: boolean;
  /** systeminformation's guess from the MAC's vendor prefix (VMware, Hyper-V, VirtualBox...). */
  hypervisorOui: boolean;
  addresses: string[];
}

/** One interactive sign-in, already keyed by a stable user id by the adapter. */
export interface RawSession {
  userId: string;
  signInMs: number;
  /** Undefined while the session is still open. */
  signOutMs?: number;
}

/** Directory membership. `known: false` when no source could be read (join state then stays empty). */
export interface RawJoin {
  known: boolean;
  /** Active Directory domain or Kerberos realm. */
  domain?: string;
  /** Azure AD (Entra ID) tenant id or name. */
  azureAdTenant?: string;
  evidence: string[];
}

/** SMBIOS strings that can name a cloud and carry its instance id (read locally, never over the network). */
export interface CloudHints {
  systemVendor?: string;
  productName?: string;
  productVersion?: string;
  productUuid?: string;
  productSerial?: string;
  biosVendor?: string;
  boardAssetTag?: string;
  chassisAssetTag?: string;
}

export interface RawModulePresence {
  /** false when the modules dir itself is missing or unreadable: presence is unknown. */
  probed: boolean;
  dir: string;
  present: { name: string; sinceMs?: number }[];
}

/** Facts every platform reports the same way (mostly from systeminformation). */
export interface RawCommon {
  hostname: string;
  os: { name: string; version: string; build: string; arch: string; kernel: string };
  manufacturer: string;
  model: string;
  cpuModel: string;
  cpuCores: number;
  memoryBytes: number;
  /** SMBIOS chassis type name or number as the source gave it. */
  chassis: string;
  hardwareUuid: string;
  systemSerial: string;
  baseboardSerial: string;
  osMachineId: string;
  nics: RawNic[];
  sessions: RawSession[];
  join: RawJoin;
  cloudHints: CloudHints;
  /** What MDM enrolment says about ownership, when it says anything. */
  mdmOwnership?: { ownership: 'corporate' | 'personal'; evidence: string };
  modules: RawModulePresence;
  /** Degraded sources: "command last: not found", "file ...: denied", timeouts. */
  notes: string[];
}

export type DmiKey =
  | 'sys_vendor'
  | 'product_name'
  | 'product_version'
  | 'product_uuid'
  | 'product_serial'
  | 'board_vendor'
  | 'board_serial'
  | 'board_asset_tag'
  | 'bios_vendor'
  | 'chassis_vendor'
  | 'chassis_type'
  | 'chassis_asset_tag';

export interface LinuxSignals {
  dockerenv: boolean;
  containerenv: boolean;
  /** `container=` from /proc/1/environ or /run/systemd/container. */
  pid1Container?: string;
  cgroup?: string;
  osrelease?: string;
  dmi: Partial<Record<DmiKey, string>>;
  cpuinfoHypervisorFlag: boolean;
  /** available_clocksource: kvm-clock, hyperv_clocksource_*, xen exist only in guests of those hypervisors. */
  clocksources?: string;
  sysHypervisorType?: string;
  /** `systemd-detect-virt --vm` output when the tool exists: it can read the CPUID vendor leaf, we cannot. */
  detectVirtVm?: string;
  /** CHASSIS= from /etc/machine-info (an administrator's explicit setting). */
  machineInfoChassis?: string;
  /** Chassis line of `hostnamectl status`. */
  hostnamectlChassis?: string;
}

export interface DarwinSignals {
  hvVmmPresent?: string;
  hwModel?: string;
  ioregModel?: string;
  ioregManufacturer?: string;
}

export interface WindowsSignals {
  manufacturer?: string;
  model?: string;
  productType?: number;
  operatingSystemSku?: number;
  /** Recorded as evidence only: it is true on physical hosts that run Hyper-V. */
  hypervisorPresent?: boolean;
  chassisAssetTag?: string;
  baseboardAssetTag?: string;
}

export type RawFacts =
  | { platform: 'linux'; common: RawCommon; linux: LinuxSignals }
  | { platform: 'darwin'; common: RawCommon; darwin: DarwinSignals }
  | { platform: 'windows'; common: RawCommon; windows: WindowsSignals };

// ---------------------------------------------------------------- normalised facts

export type VirtualizationCategory = 'vm' | 'container' | '';

export interface Virtualization {
  /** null: no source could tell (e.g. WMI and the registry both unreadable); sent as no Virtualization at all. */
  virtual: boolean | null;
  /** Hypervisor or container by name ("kvm", "aws", "docker"...); '' on physical. */
  kind: string;
  category: VirtualizationCategory;
  evidence: string[];
}

export interface RoleVerdict {
  /** 'unknown' when no source could tell; sent as an empty role, which the collector reads as unknown. */
  role: 'server' | 'workstation' | 'unknown';
  evidence: string[];
}

export interface IdentityEvidence {
  hardwareUuid: string | null;
  systemSerial: string | null;
  baseboardSerial: string | null;
  osMachineId: string | null;
  /** Physical NICs, lower case, sorted. */
  macs: string[];
  cloudInstanceId: string | null;
}

export interface DeviceIdentity extends IdentityEvidence {
  agentInstanceId: string;
}

import type { ModuleName } from '../../../common/modules.ts';

export type { ModuleName };

export type RetentionTier = '' | '90d' | '180d' | '1y';
export type ModuleSource = 'policy' | 'present' | 'policy+present';

export interface ModuleState {
  name: ModuleName;
  installed: boolean;
  tier: RetentionTier;
  /** When the module was installed (or removed), ms since epoch; 0 if unknown. */
  changedAtMs: number;
  source: ModuleSource;
}

export interface UserBinding {
  userId: string;
  primary: boolean;
  lastSignInMs: number;
}

export type Ownership = 'corporate' | 'personal' | '';

export interface DeviceFacts {
  platform: Platform;
  hostname: string;
  agentVersion: string;
  os: { platform: Platform; name: string; version: string; build: string; arch: string; kernel: string };
  identity: DeviceIdentity;
  virtualization: Virtualization;
  role: RoleVerdict;
  hardware: {
    manufacturer: string;
    model: string;
    cpuModel: string;
    cpuCores: number;
    memoryBytes: number;
    chassis: string;
  };
  modules: ModuleState[];
  users: UserBinding[];
  joinState: string;
  ipAddresses: string[];
  ownership: Ownership;
  ownershipEvidence: string;
  collectedAtMs: number;
  /** Sources that degraded (missing tools, permissions, timeouts). Volatile: excluded from the facts hash. */
  notes: string[];
}
