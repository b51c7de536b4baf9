// macOS adapter: sysctl, ioreg, `last`, the console user, directory and MDM
// enrolment state, plus systeminformation. It decides nothing.
import { commonFromSystemInformation, readSystemInformation } from './common.ts';
import { DEFAULT_MODULES_DIR, probeModules } from './modules.ts';
import { SourceProbe } from './sources.ts';
import type { AdapterOptions, AdapterSources, RawCommon, RawFacts, RawJoin, RawSession } from './types.ts';
import { NON_PERSON_LOGINS } from './users.ts';

export async function collectDarwin(sources: AdapterSources, options: AdapterOptions): Promise<RawFacts> {
  const probe = new SourceProbe(sources);
  const hostname = sources.hostname();
  const modulesDir = options.modulesDir ?? DEFAULT_MODULES_DIR.darwin;

  const [snapshot, hvVmmPresent, hwModel, arm64, ioreg, machineId, lastOutput, consoleUser, userList, adConfig, enrollment, modules] =
    await Promise.all([
      readSystemInformation(probe),
      probe.command('sysctl', ['-n', 'kern.hv_vmm_present']),
      probe.command('sysctl', ['-n', 'hw.model']),
      // Under Rosetta the agent's own process arch is x64; the hardware is what we report.
      probe.command('sysctl', ['-n', 'hw.optional.arm64']),
      probe.command('ioreg', ['-rd1', '-c', 'IOPlatformExpertDevice']),
      probe.machineId(),
      probe.command('last', []),
      probe.command('stat', ['-f', '%Su', '/dev/console']),
      probe.command('dscl', ['.', '-list', '/Users', 'UniqueID']),
      probe.command('dsconfigad', ['-show']),
      probe.command('profiles', ['status', '-type', 'enrollment']),
      probeModules(probe, modulesDir, '/'),
    ]);

  const platformDevice = parseIoregPlatformDevice(ioreg ?? '');
  const resolveUserId = darwinUserIdResolver(parseDsclUniqueIds(userList ?? ''), hostname);
  const now = sources.now();
  const sessions: RawSession[] = parseDarwinLast(lastOutput ?? '', resolveUserId, now);
  const console = consoleUser?.trim();
  const consoleUserId = console ? resolveUserId(console) : undefined;
  // The console owner is signed in now even when `last` has aged out.
  if (consoleUserId && !sessions.some((s) => s.userId === consoleUserId && s.signOutMs === undefined)) sessions.push({ userId: consoleUserId, signInMs: now });

  const fromSi = commonFromSystemInformation(snapshot, hostname);
  const common: RawCommon = {
    ...fromSi,
    os: { ...fromSi.os, arch: arm64?.trim() === '1' ? 'arm64' : fromSi.os.arch },
    manufacturer: fromSi.manufacturer || platformDevice.manufacturer || '',
    model: platformDevice.model || hwModel?.trim() || fromSi.model,
    hardwareUuid: fromSi.hardwareUuid || platformDevice.uuid || '',
    systemSerial: fromSi.systemSerial || platformDevice.serial || '',
    osMachineId: machineId ?? '',
    sessions,
    join: parseDsconfigad(adConfig),
    // Macs carry no cloud instance id in SMBIOS (EC2 Mac instances are dedicated physical hosts).
    cloudHints: {},
    mdmOwnership: ownershipFromEnrollment(enrollment),
    modules,
    notes: probe.notes,
  };
  return {
    platform: 'darwin',
    common,
    darwin: {
      hvVmmPresent: hvVmmPresent?.trim() || undefined,
      hwModel: hwModel?.trim() || undefined,
      ioregModel: platformDevice.model,
      ioregManufacturer: platformDevice.manufacturer,
    },
  };
}

/**
 * `ioreg -rd1 -c IOPlatformExpertDevice` prints a property list like
 *   "model" = <"MacBookPro18,3">
 *   "IOPlatformUUID" = "6D3F6A3C-..."
 * Data properties are wrapped in <"...">, strings are plain quoted.
 */
export function parseIoregPlatformDevice(text: string): { model?: string; manufacturer?: string; uuid?: string; serial?: string } {
  const property = (key: string) => text.match(new RegExp(`"${key}" = <?"([^"]*)"`))?.[1];
  return {
    model: property('model'),
    manufacturer: property('manufacturer'),
    uuid: property('IOPlatformUUID'),
    serial: property('IOPlatformSerialNumber'),
  };
}

/** `dscl . -list /Users UniqueID`: "alice   501" per line. */
export function parseDsclUniqueIds(text: string): Map<string, number> {
  const users = new Map<string, number>();
  for (const line of text.split('\n')) {
    const match = line.trim().match(/^(\S+)\s+(-?\d+)$/);
    if (match) users.set(match[1]!, Number(match[2]));
  }
  return users;
}

/** Local macOS accounts start at uid 501; `_`-prefixed and low uids are system accounts. */
export function darwinUserIdResolver(uids: Map<string, number>, hostname: string) {
  const host = hostname.toLowerCase();
  return (name: string): string | undefined => {
    if (!name || name.startsWith('_') || NON_PERSON_LOGINS.has(name)) return undefined;
    const uid = uids.get(name);
    if (uid === undefined || uid < 500) return undefined;
    return `${uid}@${host}`;
  };
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * BSD `last` on macOS prints local wall-clock times without a year:
 *   alice     console                   Mon May  6 08:55 - 18:02  (09:07)
 *   alice     ttys000                   Tue May  7 09:14   still logged in
 * The year is the latest one that does not put the sign-in in the future.
 * The end is sign-in plus the printed duration "(hh:mm)" or "(d+hh:mm)".
 */
export function parseDarwinLast(text: string, resolveUserId: (name: string) => string | undefined, now: number): RawSession[] {
  const sessions: RawSession[] = [];
  const pattern = /^(\S+)\s+\S+.*?\s(Mon|Tue|Wed|Thu|Fri|Sat|Sun) (\w{3})\s+(\d{1,2}) (\d{2}):(\d{2})(.*)$/;
  for (const line of text.split('\n')) {
    const match = line.match(pattern);
    if (!match) continue;
    const userId = resolveUserId(match[1]!);
    if (!userId) continue;
    const month = MONTHS.indexOf(match[3]!);
    if (month < 0) continue;
    const signInMs = latestPastDate(now, match[2]!, month, Number(match[4]), Number(match[5]), Number(match[6]));
    if (signInMs === undefined) continue;
    const rest = match[7]!;
    if (/still logged in/.test(rest)) {
      sessions.push({ userId, signInMs });
      continue;
    }
    const duration = rest.match(/\((?:(\d+)\+)?(\d{2}):(\d{2})\)/);
    const durationMs = duration ? ((Number(duration[1] ?? 0) * 24 + Number(duration[2])) * 60 + Number(duration[3])) * 60_000 : 0;
    sessions.push({ userId, signInMs, signOutMs: signInMs + durationMs });
  }
  return sessions;
}

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/** The most recent year in which that local date is not in the future and falls on the printed weekday. */
function latestPastDate(now: number, weekday: string, month: number, day: number, hour: number, minute: number): number | undefined {
  const nowYear = new Date(now).getFullYear();
  let fallback: number | undefined;
  for (let year = nowYear; year >= nowYear - 7; year--) {
    const date = new Date(year, month, day, hour, minute);
    if (date.getTime() > now) continue;
    fallback ??= date.getTime();
    if (WEEKDAYS[date.getDay()] === weekday) return date.getTime();
  }
  return fallback;
}

/** `dsconfigad -show` prints "Active Directory Domain = corp.example.com" when bound, nothing otherwise. */
export function parseDsconfigad(text: string | undefined): RawJoin {
  if (text === undefined) return { known: false, evidence: ['dsconfigad unavailable'] };
  const domain = text.match(/^\s*Active Directory Domain\s*=\s*(\S+)/m)?.[1];
  if (domain) return { known: true, domain, evidence: [`dsconfigad: ${domain}`] };
  return { known: true, evidence: ['dsconfigad: not bound'] };
}

/**
 * `profiles status -type enrollment`. Automated Device Enrollment (DEP) is
 * only possible for devices the organisation bought: corporate. A BYOD "User
 * Enrollment" is personal. A plain user-approved enrolment says nothing.
 */
export function ownershipFromEnrollment(text: string | undefined): RawCommon['mdmOwnership'] {
  if (!text) return undefined;
  if (/Enrolled via DEP:\s*Yes/i.test(text)) return { ownership: 'corporate', evidence: 'mdm: enrolled via DEP' };
  if (/User Enrollment/i.test(text)) return { ownership: 'personal', evidence: 'mdm: user enrollment (BYOD)' };
  return undefined;
}
