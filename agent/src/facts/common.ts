// The part of collection that is the same call on every OS: systeminformation
// for hardware, OS, CPU, memory and NICs. Per-OS adapters add their own
// sources on top. Nothing here decides anything.
import type { Systeminformation } from 'systeminformation';
import type { SourceProbe } from './sources.ts';
import type { RawCommon, RawNic } from './types.ts';

export interface SystemInformationSnapshot {
  system?: Systeminformation.SystemData;
  baseboard?: Systeminformation.BaseboardData;
  chassis?: Systeminformation.ChassisData;
  osInfo?: Systeminformation.OsData;
  cpu?: Systeminformation.CpuData;
  mem?: Systeminformation.MemData;
  nics: RawNic[];
  users: Systeminformation.UserData[];
}

/** All systeminformation calls in parallel, each bounded by the probe's timeout. */
export async function readSystemInformation(probe: SourceProbe): Promise<SystemInformationSnapshot> {
  const [system, baseboard, chassis, osInfo, cpu, mem, nics, users] = await Promise.all([
    probe.systemInformation('system'),
    probe.systemInformation('baseboard'),
    probe.systemInformation('chassis'),
    probe.systemInformation('osInfo'),
    probe.systemInformation('cpu'),
    probe.systemInformation('mem'),
    probe.systemInformation('networkInterfaces'),
    probe.systemInformation('users'),
  ]);
  const nicList = nics === undefined ? [] : Array.isArray(nics) ? nics : [nics];
  return {
    system,
    baseboard,
    chassis,
    osInfo,
    cpu,
    mem,
    nics: nicList.map((n) => ({
      name: n.iface || n.ifaceName || '',
      mac: n.mac ?? '',
      internal: Boolean(n.internal),
      hypervisorOui: Boolean(n.virtual),
      addresses: [n.ip4, n.ip6].filter((a): a is string => Boolean(a)),
    })),
    users: Array.isArray(users) ? users : [],
  };
}

/** The OS-neutral part of RawCommon; adapters fill or override the rest. */
export function commonFromSystemInformation(
  snapshot: SystemInformationSnapshot,
  hostname: string,
): Omit<RawCommon, 'sessions' | 'join' | 'modules' | 'notes' | 'osMachineId' | 'cloudHints'> {
  const { system, baseboard, chassis, osInfo, cpu, mem } = snapshot;
  return {
    hostname,
    os: {
      name: osInfo?.distro ?? '',
      version: osInfo?.release ?? '',
      build: osInfo?.build ?? '',
      arch: osInfo?.arch ?? '',
      kernel: osInfo?.kernel ?? '',
    },
    manufacturer: system?.manufacturer ?? '',
    model: system?.model ?? '',
    cpuModel: [cpu?.manufacturer, cpu?.brand].filter(Boolean).join(' '),
    // Physical cores: stable when SMT is toggled, and what per-core licences count.
    cpuCores: cpu?.physicalCores || cpu?.cores || 0,
    memoryBytes: mem?.total ?? 0,
    chassis: chassis?.type ?? '',
    hardwareUuid: system?.uuid ?? '',
    systemSerial: system?.serial ?? '',
    baseboardSerial: baseboard?.serial ?? '',
    nics: snapshot.nics,
  };
}
