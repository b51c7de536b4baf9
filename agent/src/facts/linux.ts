// Linux adapter: reads DMI, container markers, machine-id, wtmp (via `last`)
// and systeminformation, and returns them as RawFacts. It decides nothing.
// Every path is read through the SourceReader so tests can point it at a
// fixture tree.
import { readSystemInformation, commonFromSystemInformation } from './common.ts';
import { DEFAULT_MODULES_DIR, probeModules } from './modules.ts';
import { SourceProbe } from './sources.ts';
import type { AdapterOptions, AdapterSources, DmiKey, LinuxSignals, RawFacts, RawJoin, RawSession } from './types.ts';
import { NON_PERSON_LOGINS, sessionsFromCurrentUsers } from './users.ts';

const DMI_KEYS: readonly DmiKey[] = [
  'sys_vendor',
  'product_name',
  'product_version',
  'product_uuid',
  'product_serial',
  'board_vendor',
  'board_serial',
  'board_asset_tag',
  'bios_vendor',
  'chassis_vendor',
  'chassis_type',
  'chassis_asset_tag',
];

export async function collectLinux(sources: AdapterSources, options: AdapterOptions): Promise<RawFacts> {
  const probe = new SourceProbe(sources);
  const hostname = sources.hostname();
  const modulesDir = options.modulesDir ?? DEFAULT_MODULES_DIR.linux;

  const [snapshot, linux, machineId, passwd, lastOutput, join, modules] = await Promise.all([
    readSystemInformation(probe),
    readLinuxSignals(probe),
    readMachineId(probe),
    probe.file('/etc/passwd'),
    probe.command('last', ['--time-format', 'iso', '-w']),
    readJoin(probe),
    probeModules(probe, modulesDir, '/'),
  ]);

  const resolveUserId = linuxUserIdResolver(parsePasswd(passwd ?? ''), hostname, join.domain);
  const now = sources.now();
  const fromWtmp = lastOutput === undefined ? [] : parseLastIso(lastOutput, resolveUserId);
  // `who` (systeminformation users()) has minute-precision local times; wtmp's are exact.
  // It only adds users wtmp does not show signed in (e.g. wtmp rotated or not written).
  const openInWtmp = new Set(fromWtmp.filter((s) => s.signOutMs === undefined).map((s) => s.userId));
  const sessions: RawSession[] = [
    ...fromWtmp,
    ...sessionsFromCurrentUsers(snapshot.users, resolveUserId, now).filter((s) => !openInWtmp.has(s.userId)),
  ];

  const fromSi = commonFromSystemInformation(snapshot, hostname);
  const dmi = linux.dmi;
  return {
    platform: 'linux',
    linux,
    common: {
      ...fromSi,
      // DMI files are the primary source; systeminformation (dmidecode) fills gaps.
      manufacturer: dmi.sys_vendor ?? fromSi.manufacturer,
      model: dmi.product_name ?? fromSi.model,
      chassis: dmi.chassis_type ?? fromSi.chassis,
      hardwareUuid: dmi.product_uuid ?? fromSi.hardwareUuid,
      systemSerial: dmi.product_serial ?? fromSi.systemSerial,
      baseboardSerial: dmi.board_serial ?? fromSi.baseboardSerial,
      osMachineId: machineId ?? '',
      sessions,
      join,
      cloudHints: {
        systemVendor: dmi.sys_vendor,
        productName: dmi.product_name,
        productVersion: dmi.product_version,
        productUuid: dmi.product_uuid,
        productSerial: dmi.product_serial,
        biosVendor: dmi.bios_vendor,
        boardAssetTag: dmi.board_asset_tag,
        chassisAssetTag: dmi.chassis_asset_tag,
      },
      modules,
      notes: probe.notes,
    },
  };
}

async function readLinuxSignals(probe: SourceProbe): Promise<LinuxSignals> {
  const dmiValues = await Promise.all(DMI_KEYS.map((key) => probe.file(`/sys/class/dmi/id/${key}`)));
  const dmi: LinuxSignals['dmi'] = {};
  DMI_KEYS.forEach((key, i) => {
    const value = dmiValues[i]?.trim();
    if (value !== undefined) dmi[key] = value;
  });

  const [dockerenv, containerenv, environ, runSystemdContainer, cgroup, osrelease, cpuinfo, clocksources, hypervisorType, detectVirt, machineInfo, hostnamectl] =
    await Promise.all([
      probe.exists('/.dockerenv'),
      probe.exists('/run/.containerenv'),
      probe.file('/proc/1/environ'),
      probe.file('/run/systemd/container'),
      probe.file('/proc/1/cgroup'),
      probe.file('/proc/sys/kernel/osrelease'),
      probe.file('/proc/cpuinfo'),
      probe.file('/sys/devices/system/clocksource/clocksource0/available_clocksource'),
      probe.file('/sys/hypervisor/type'),
      probe.command('systemd-detect-virt', ['--vm']),
      probe.file('/etc/machine-info'),
      probe.command('hostnamectl', ['status']),
    ]);

  return {
    dockerenv,
    containerenv,
    pid1Container: containerFromEnviron(environ) ?? (runSystemdContainer?.trim() || undefined),
    cgroup,
    osrelease: osrelease?.trim(),
    dmi,
    cpuinfoHypervisorFlag: cpuinfo !== undefined && /^flags\s*:.*\bhypervisor\b/m.test(cpuinfo),
    clocksources: clocksources?.trim() || undefined,
    sysHypervisorType: hypervisorType?.trim() || undefined,
    detectVirtVm: detectVirt?.trim() || undefined,
    machineInfoChassis: machineInfo?.match(/^CHASSIS=["']?([\w-]+)/m)?.[1],
    hostnamectlChassis: hostnamectl?.match(/^\s*Chassis:\s*([\w-]+)/m)?.[1],
  };
}

/** `container=` of PID 1; /proc/1/environ is NUL-separated and readable by root only. */
export function containerFromEnviron(environ: string | undefined): string | undefined {
  if (!environ) return undefined;
  const entry = environ.split('\0').find((e) => e.startsWith('container='));
  return entry ? entry.slice('container='.length).trim() || undefined : undefined;
}

/**
 * The same files node-machine-id reads on Linux, but without its `|| hostname`
 * fallback: a missing machine-id must stay absent, not become the host name.
 */
async function readMachineId(probe: SourceProbe): Promise<string | undefined> {
  for (const path of ['/etc/machine-id', '/var/lib/dbus/machine-id']) {
    const value = (await probe.file(path))?.trim();
    if (value) return value;
  }
  return undefined;
}

async function readJoin(probe: SourceProbe): Promise<RawJoin> {
  const realms = await probe.command('realm', ['list', '--name-only']);
  const realm = realms?.split('\n').map((l) => l.trim()).find(Boolean);
  if (realm) return { known: true, domain: realm, evidence: [`realm list: ${realm}`] };
  const sssd = await probe.file('/etc/sssd/sssd.conf');
  const domain = sssd?.match(/^\s*domains\s*=\s*([^,\s]+)/m)?.[1];
  if (domain) return { known: true, domain, evidence: [`sssd.conf domains: ${domain}`] };
  // realm(1) missing and no sssd.conf is the normal state of an unjoined host.
  return { known: true, evidence: ['no realm or sssd domain'] };
}

export function parsePasswd(text: string): Map<string, number> {
  const users = new Map<string, number>();
  for (const line of text.split('\n')) {
    const [name, , uid] = line.split(':');
    if (name && uid !== undefined && /^\d+$/.test(uid)) users.set(name, Number(uid));
  }
  return users;
}

/**
 * Stable Linux user ids: local accounts are `uid@hostname` (a uid means
 * nothing off this host); directory accounts are `name@realm` (the realm makes
 * them the same person on every device). System accounts (uid < 1000, nobody)
 * are not people and are dropped.
 */
export function linuxUserIdResolver(passwd: Map<string, number>, hostname: string, realm: string | undefined) {
  const host = hostname.toLowerCase();
  return (name: string): string | undefined => {
    if (!name || NON_PERSON_LOGINS.has(name)) return undefined;
    const uid = passwd.get(name);
    if (uid !== undefined) return uid >= 1000 && uid !== 65534 ? `${uid}@${host}` : undefined;
    if (name.includes('@')) return name.toLowerCase();
    return `${name.toLowerCase()}@${(realm ?? host).toLowerCase()}`;
  };
}

const ISO_TIMESTAMP = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:[+-]\d{2}:?\d{2}|Z)/g;

/**
 * Parses util-linux `last --time-format iso -w`:
 *   alice    pts/0   10.0.0.5   2024-05-02T08:01:12+00:00 - 2024-05-02T17:30:45+00:00  (09:29)
 *   alice    tty2    tty2       2024-05-03T08:00:01+00:00   still logged in
 * Sessions ended by a crash or shutdown ("- crash", "- down") have no end
 * time; they count for their sign-in day only.
 */
export function parseLastIso(text: string, resolveUserId: (name: string) => string | undefined): RawSession[] {
  const sessions: RawSession[] = [];
  for (const line of text.split('\n')) {
    const name = line.split(/\s+/)[0];
    if (!name || line.startsWith('wtmp begins')) continue;
    const userId = resolveUserId(name);
    if (!userId) continue;
    const stamps = line.match(ISO_TIMESTAMP) ?? [];
    const signInMs = stamps[0] ? Date.parse(stamps[0]) : NaN;
    if (!Number.isFinite(signInMs)) continue;
    if (/still logged in/.test(line)) sessions.push({ userId, signInMs });
    else sessions.push({ userId, signInMs, signOutMs: stamps[1] ? Date.parse(stamps[1]) : signInMs });
  }
  return sessions;
}
