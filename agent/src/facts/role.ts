// Server or workstation: pure rules per OS.
import type { LinuxSignals, RoleVerdict, Virtualization, WindowsSignals } from './types.ts';

/** SMBIOS chassis type numbers (DSP0134 7.4.1) and their names. */
export const SMBIOS_CHASSIS_NAMES: Record<number, string> = {
  1: 'other', 2: 'unknown', 3: 'desktop', 4: 'low profile desktop', 5: 'pizza box', 6: 'mini tower', 7: 'tower',
  8: 'portable', 9: 'laptop', 10: 'notebook', 11: 'hand held', 12: 'docking station', 13: 'all in one',
  14: 'sub notebook', 15: 'space-saving', 16: 'lunch box', 17: 'main server chassis', 18: 'expansion chassis',
  19: 'sub chassis', 20: 'bus expansion chassis', 21: 'peripheral chassis', 22: 'raid chassis', 23: 'rack mount chassis',
  24: 'sealed-case pc', 25: 'multi-system chassis', 26: 'compact pci', 27: 'advanced tca', 28: 'blade',
  29: 'blade enclosure', 30: 'tablet', 31: 'convertible', 32: 'detachable', 33: 'iot gateway', 34: 'embedded pc',
  35: 'mini pc', 36: 'stick pc',
};

const WORKSTATION_CHASSIS = new Set([3, 4, 6, 7, 8, 9, 10, 13, 14, 15, 16, 30, 31, 32, 35, 36]);
const SERVER_CHASSIS = new Set([17, 23, 28, 29]);

/** hostnamectl / machine-info chassis words. "vm" and "container" say nothing about the role. */
const WORKSTATION_WORDS = new Set(['desktop', 'laptop', 'convertible', 'tablet', 'handset', 'watch']);

/** Chassis name for Hardware.chassis: SMBIOS number -> name, names lower-cased. */
export function chassisName(raw: string): string {
  const trimmed = raw.trim();
  if (/^\d+$/.test(trimmed)) return SMBIOS_CHASSIS_NAMES[Number(trimmed)] ?? '';
  return trimmed.toLowerCase();
}

/**
 * Linux: an administrator's CHASSIS= in /etc/machine-info wins; then the DMI
 * chassis type, but only on physical machines (hypervisors invent it: Hyper-V
 * and Azure report every VM as "Desktop"), then hostnamectl; default server.
 */
export function linuxRole(signals: LinuxSignals, virtualization: Virtualization): RoleVerdict {
  if (signals.machineInfoChassis) {
    const chassis = signals.machineInfoChassis.toLowerCase();
    const evidence = [`/etc/machine-info CHASSIS=${chassis}`];
    if (WORKSTATION_WORDS.has(chassis)) return { role: 'workstation', evidence };
    if (chassis === 'server') return { role: 'server', evidence };
  }
  const dmiType = Number(signals.dmi.chassis_type);
  if (Number.isInteger(dmiType) && dmiType > 0) {
    const evidence = [`chassis_type: ${dmiType} (${SMBIOS_CHASSIS_NAMES[dmiType] ?? 'unlisted'})`];
    if (virtualization.virtual) {
      // Recorded, not used.
    } else if (WORKSTATION_CHASSIS.has(dmiType)) {
      return { role: 'workstation', evidence };
    } else if (SERVER_CHASSIS.has(dmiType)) {
      return { role: 'server', evidence };
    }
  }
  if (signals.hostnamectlChassis) {
    const chassis = signals.hostnamectlChassis.toLowerCase();
    if (WORKSTATION_WORDS.has(chassis)) return { role: 'workstation', evidence: [`hostnamectl chassis: ${chassis}`] };
    if (chassis === 'server') return { role: 'server', evidence: [`hostnamectl chassis: ${chassis}`] };
  }
  const evidence = ['no workstation chassis: default server'];
  if (virtualization.virtual && signals.dmi.chassis_type) evidence.push(`chassis_type ${signals.dmi.chassis_type} ignored on ${virtualization.kind || 'virtual'} guest`);
  return { role: 'server', evidence };
}

/** Windows 10/11 Enterprise multi-session: ProductType 3 like a server, but a desktop OS for users. */
export const MULTI_SESSION_SKU = 175;

export function windowsRole(signals: WindowsSignals): RoleVerdict {
  const evidence = [`ProductType: ${signals.productType ?? '?'}`, `OperatingSystemSKU: ${signals.operatingSystemSku ?? '?'}`];
  if (signals.operatingSystemSku === MULTI_SESSION_SKU) return { role: 'workstation', evidence: [...evidence, 'multi-session SKU is a workstation'] };
  if (signals.productType === 1) return { role: 'workstation', evidence };
  if (signals.productType === 2 || signals.productType === 3) return { role: 'server', evidence };
  // ProductType unreadable (WMI and the registry both unanswered): unknown, never a guess billed as fact.
  return { role: 'unknown', evidence: [...evidence, 'ProductType unreadable (WMI and registry): unknown'] };
}

export function darwinRole(): RoleVerdict {
  return { role: 'workstation', evidence: ['macOS: workstation'] };
}
