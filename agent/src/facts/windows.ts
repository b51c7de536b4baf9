// Windows adapter: the registry through reg.exe (OS name and build, product
// type, BIOS vendor strings: no PowerShell needed), WMI/CIM through one
// short-lived PowerShell process per query (see windows-sources.ts), dsregcmd
// for domain and Azure AD join, node-machine-id for MachineGuid. Every source
// may be missing (PowerShell blocked by AppLocker/WDAC, killed by an EDR): the
// others still answer, and each missing one leaves a note. It decides nothing.
import { parseRegQuery } from '../managed/windows.ts';
import { commonFromSystemInformation, readSystemInformation } from './common.ts';
import { DEFAULT_MODULES_DIR, probeModules } from './modules.ts';
import { SourceProbe } from './sources.ts';
import type { AdapterOptions, AdapterSources, RawCommon, RawFacts, RawJoin, RawSession, WindowsSignals } from './types.ts';

/** The exact scripts the adapter runs; fixtures are keyed by these labels. */
export const WINDOWS_QUERIES = {
  computerSystem:
    'Get-CimInstance -ClassName Win32_ComputerSystem | Select-Object Manufacturer,Model,Domain,PartOfDomain,Workgroup,HypervisorPresent | ConvertTo-Json -Compress',
  operatingSystem:
    'Get-CimInstance -ClassName Win32_OperatingSystem | Select-Object Caption,Version,BuildNumber,ProductType,OperatingSystemSKU,OSArchitecture | ConvertTo-Json -Compress',
  hardware:
    '$p = Get-CimInstance -ClassName Win32_ComputerSystemProduct; $b = Get-CimInstance -ClassName Win32_BaseBoard; $e = @(Get-CimInstance -ClassName Win32_SystemEnclosure)[0]; '
    + '[pscustomobject]@{ UUID = $p.UUID; IdentifyingNumber = $p.IdentifyingNumber; BaseBoardSerial = $b.SerialNumber; ChassisTypes = @($e.ChassisTypes); ChassisAssetTag = $e.SMBIOSAssetTag; '
    + 'PhysicalCores = (Get-CimInstance -ClassName Win32_Processor | Measure-Object -Property NumberOfCores -Sum).Sum } | ConvertTo-Json -Compress',
  userProfiles:
    "Get-CimInstance -ClassName Win32_UserProfile -Filter 'Special=False' | Select-Object SID,LocalPath,LastUseTime,Loaded | ConvertTo-Json -Compress",
} as const;

export type WindowsQuery = keyof typeof WINDOWS_QUERIES;

/** Registry keys read with `reg query KEY /reg:64` (the 64-bit view whatever the process). */
export const WINDOWS_REGISTRY_KEYS = {
  currentVersion: 'HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion',
  productOptions: 'HKLM\\SYSTEM\\CurrentControlSet\\Control\\ProductOptions',
  bios: 'HKLM\\HARDWARE\\DESCRIPTION\\System\\BIOS',
} as const;

/** ProductOptions\\ProductType as Win32_OperatingSystem.ProductType numbers it. */
const PRODUCT_TYPES: Record<string, number> = { winnt: 1, lanmannt: 2, servernt: 3 };

export async function collectWindows(sources: AdapterSources, options: AdapterOptions): Promise<RawFacts> {
  const probe = new SourceProbe(sources);
  const hostname = sources.hostname();
  const modulesDir = options.modulesDir ?? DEFAULT_MODULES_DIR.windows;
  const query = (name: WindowsQuery) => probe.powerShell(name, WINDOWS_QUERIES[name]);
  const registry = async (name: keyof typeof WINDOWS_REGISTRY_KEYS) => {
    const out = await probe.command('reg', ['query', WINDOWS_REGISTRY_KEYS[name], '/reg:64']);
    return out === undefined ? {} : parseRegQuery(out);
  };

  const [snapshot, computerSystemJson, operatingSystemJson, hardwareJson, profilesJson, dsreg, currentVersion, productOptions, bios, machineId, modules] = await Promise.all([
    readSystemInformation(probe),
    query('computerSystem'),
    query('operatingSystem'),
    query('hardware'),
    query('userProfiles'),
    probe.command('dsregcmd', ['/status']),
    registry('currentVersion'),
    registry('productOptions'),
    registry('bios'),
    probe.machineId(),
    probeModules(probe, modulesDir, '\\'),
  ]);

  const computerSystem = parseJsonObject(computerSystemJson, 'Win32_ComputerSystem', probe);
  const operatingSystem = parseJsonObject(operatingSystemJson, 'Win32_OperatingSystem', probe);
  const hardware = parseJsonObject(hardwareJson, 'hardware', probe);
  const registration = parseDsregcmd(dsreg ?? '');

  const fromSi = commonFromSystemInformation(snapshot, hostname);
  const chassisTypes = Array.isArray(hardware?.ChassisTypes) ? hardware.ChassisTypes : [];
  const windows: WindowsSignals = {
    // CIM first; the registry's copy of the SMBIOS strings when PowerShell is blocked.
    manufacturer: stringOf(computerSystem?.Manufacturer) ?? stringOf(bios.SystemManufacturer) ?? stringOf(fromSi.manufacturer),
    model: stringOf(computerSystem?.Model) ?? stringOf(bios.SystemProductName) ?? stringOf(fromSi.model),
    productType: numberOf(operatingSystem?.ProductType) ?? PRODUCT_TYPES[String(productOptions.ProductType ?? '').toLowerCase()],
    operatingSystemSku: numberOf(operatingSystem?.OperatingSystemSKU),
    hypervisorPresent: typeof computerSystem?.HypervisorPresent === 'boolean' ? computerSystem.HypervisorPresent : undefined,
    chassisAssetTag: stringOf(hardware?.ChassisAssetTag) ?? snapshot.chassis?.assetTag,
    baseboardAssetTag: snapshot.baseboard?.assetTag,
  };
  const buildNumber = stringOf(operatingSystem?.BuildNumber) ?? stringOf(currentVersion.CurrentBuildNumber) ?? fromSi.os.build;
  const ubr = numberOf(currentVersion.UBR);

  const common: RawCommon = {
    ...fromSi,
    os: {
      name: stringOf(operatingSystem?.Caption) ?? stringOf(currentVersion.ProductName) ?? fromSi.os.name,
      // "23H2" is what admins recognise; the NT version stays in `kernel`.
      version: stringOf(currentVersion.DisplayVersion) ?? stringOf(operatingSystem?.Version) ?? fromSi.os.version,
      build: ubr !== undefined && buildNumber ? `${buildNumber}.${ubr}` : buildNumber,
      arch: fromSi.os.arch,
      kernel: stringOf(operatingSystem?.Version) ?? fromSi.os.kernel,
    },
    cpuCores: numberOf(hardware?.PhysicalCores) || fromSi.cpuCores,
    chassis: chassisTypes.length ? String(chassisTypes[0]) : fromSi.chassis,
    hardwareUuid: stringOf(hardware?.UUID) ?? fromSi.hardwareUuid,
    systemSerial: stringOf(hardware?.IdentifyingNumber) ?? fromSi.systemSerial,
    baseboardSerial: stringOf(hardware?.BaseBoardSerial) ?? fromSi.baseboardSerial,
    manufacturer: windows.manufacturer ?? '',
    model: windows.model ?? '',
    osMachineId: machineId ?? '',
    sessions: parseUserProfiles(profilesJson, probe),
    join: joinFromRegistration(registration, computerSystem, dsreg !== undefined),
    cloudHints: {
      systemVendor: windows.manufacturer,
      productName: windows.model,
      productUuid: stringOf(hardware?.UUID) ?? fromSi.hardwareUuid,
      productSerial: stringOf(hardware?.IdentifyingNumber) ?? fromSi.systemSerial,
      biosVendor: stringOf(bios.BIOSVendor),
      boardAssetTag: windows.baseboardAssetTag,
      chassisAssetTag: windows.chassisAssetTag,
    },
    mdmOwnership: ownershipFromRegistration(registration),
    modules,
    notes: probe.notes,
  };
  return { platform: 'windows', common, windows };
}

type JsonObject = Record<string, unknown>;

/** ConvertTo-Json prints an object for one result and an array for several. */
function parseJson(text: string | undefined, label: string, probe: SourceProbe): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text.trim().replace(/^\uFEFF/, ''));
  } catch {
    probe.note(`powershell ${label}: output is not JSON`);
    return undefined;
  }
}

function parseJsonObject(text: string | undefined, label: string, probe: SourceProbe): JsonObject | undefined {
  const value = parseJson(text, label, probe);
  const first = Array.isArray(value) ? value[0] : value;
  return first && typeof first === 'object' ? (first as JsonObject) : undefined;
}

const stringOf = (value: unknown) => (typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined);
const numberOf = (value: unknown) => (typeof value === 'number' ? value : typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : undefined);

/**
 * A DateTime as ConvertTo-Json writes it: Windows PowerShell 5.1 gives
 * "/Date(1714636800000)/", PowerShell 7 an ISO string; a raw CIM value is DMTF
 * "20240502080000.000000+120" (offset in minutes).
 */
export function parsePowerShellDate(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const msDate = value.match(/\/Date\((-?\d+)(?:[+-]\d{4})?\)\//);
  if (msDate) return Number(msDate[1]);
  const dmtf = value.match(/^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})\.\d{6}([+-])(\d{3})$/);
  if (dmtf) {
    const [, y, mo, d, h, mi, s, sign, offset] = dmtf;
    const utc = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
    return utc - (sign === '+' ? 1 : -1) * Number(offset) * 60_000;
  }
  const iso = Date.parse(value);
  return Number.isFinite(iso) ? iso : undefined;
}

/** Only people: local and AD accounts (S-1-5-21-…) and Azure AD accounts (S-1-12-1-…); service SIDs are skipped. */
const PERSON_SID = /^S-1-(5-21|12-1)-[\d-]+$/i;

export function parseUserProfiles(text: string | undefined, probe: SourceProbe): RawSession[] {
  const value = parseJson(text, 'Win32_UserProfile', probe);
  const profiles = (Array.isArray(value) ? value : value ? [value] : []) as JsonObject[];
  const sessions: RawSession[] = [];
  for (const profile of profiles) {
    const sid = stringOf(profile.SID);
    const lastUse = parsePowerShellDate(profile.LastUseTime);
    if (!sid || !PERSON_SID.test(sid) || lastUse === undefined) continue;
    // A loaded profile belongs to a signed-in user: the session is still open.
    sessions.push(profile.Loaded === true ? { userId: sid.toUpperCase(), signInMs: lastUse } : { userId: sid.toUpperCase(), signInMs: lastUse, signOutMs: lastUse });
  }
  return sessions;
}

/** `dsregcmd /status` prints "Key : Value" lines under boxed section headings. */
export function parseDsregcmd(text: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const match = line.match(/^\s*([A-Za-z][\w ]*?)\s*:\s*(.+?)\s*$/);
    if (match && !(match[1]! in fields)) fields[match[1]!] = match[2]!;
  }
  return fields;
}

function joinFromRegistration(registration: Record<string, string>, computerSystem: JsonObject | undefined, dsregRan: boolean): RawJoin {
  const evidence: string[] = [];
  let domain: string | undefined;
  let azureAdTenant: string | undefined;
  if (registration.DomainJoined === 'YES') {
    domain = registration.DomainName;
    evidence.push(`dsregcmd DomainJoined: YES (${domain ?? '?'})`);
  } else if (computerSystem?.PartOfDomain === true) {
    domain = stringOf(computerSystem.Domain);
    evidence.push(`Win32_ComputerSystem PartOfDomain: ${domain ?? '?'}`);
  }
  if (registration.AzureAdJoined === 'YES') {
    azureAdTenant = registration.TenantId ?? registration.TenantName;
    evidence.push(`dsregcmd AzureAdJoined: YES (${azureAdTenant ?? '?'})`);
  }
  const known = dsregRan || computerSystem !== undefined;
  if (known && !domain && !azureAdTenant) {
    const workgroup = stringOf(computerSystem?.Workgroup);
    evidence.push(`workgroup${workgroup ? ` ${workgroup}` : ''}`);
  }
  return { known, domain, azureAdTenant, evidence };
}

/**
 * Joined to the organisation's directory means the organisation owns the
 * device; "Azure AD registered" alone (WorkplaceJoined) is the BYOD path.
 */
function ownershipFromRegistration(registration: Record<string, string>): RawCommon['mdmOwnership'] {
  if (registration.AzureAdJoined === 'YES' || registration.DomainJoined === 'YES') return { ownership: 'corporate', evidence: 'dsregcmd: joined to organisation directory' };
  if (registration.WorkplaceJoined === 'YES') return { ownership: 'personal', evidence: 'dsregcmd: Azure AD registered only (BYOD)' };
  return undefined;
}
