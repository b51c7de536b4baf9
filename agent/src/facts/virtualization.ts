// Physical or virtual, and which hypervisor or container. Pure functions over
// the raw signals, one per OS, following systemd-detect-virt's order on Linux:
// containers first (a container inside a VM is reported as the container),
// then cloud/hypervisor DMI strings, then the CPUID hypervisor flag, then
// /sys/hypervisor. Every verdict carries the strings it rests on.
import type { CloudHints, DarwinSignals, LinuxSignals, Virtualization, WindowsSignals } from './types.ts';

const PHYSICAL = (evidence: string[]): Virtualization => ({ virtual: false, kind: '', category: '', evidence });
const UNKNOWN = (evidence: string[]): Virtualization => ({ virtual: null, kind: '', category: '', evidence });
const vm = (kind: string, evidence: string[]): Virtualization => ({ virtual: true, kind, category: 'vm', evidence });
const container = (kind: string, evidence: string[]): Virtualization => ({ virtual: true, kind, category: 'container', evidence });

/** Azure stamps this asset tag on every VM's chassis (Hyper-V alone does not). */
export const AZURE_CHASSIS_ASSET_TAG = '7783-7084-3265-9085-8269-3286-77';

/**
 * Vendor/product substrings -> hypervisor, after systemd's dmi_vendor_table.
 * Order matters: clouds before the hypervisor they run on (Azure is Hyper-V,
 * AWS Nitro and GCP are KVM), specific before generic.
 */
const VENDOR_TABLE: readonly { match: RegExp; kind: string }[] = [
  { match: /^Amazon EC2\b|amazon/i, kind: 'aws' },
  { match: /^Google\b|Google Compute Engine/i, kind: 'gcp' },
  { match: /VMware|^VMW/i, kind: 'vmware' },
  { match: /innotek|VirtualBox/i, kind: 'virtualbox' },
  { match: /Parallels/i, kind: 'parallels' },
  { match: /^Xen\b|HVM domU/i, kind: 'xen' },
  { match: /^QEMU\b|^Standard PC \(/i, kind: 'qemu' },
  { match: /^KVM\b|OpenStack|KubeVirt|^Red Hat\b|^Nutanix\b|^AHV\b/i, kind: 'kvm' },
  { match: /^BHYVE\b/i, kind: 'bhyve' },
  { match: /^Bochs\b/i, kind: 'bochs' },
  { match: /Apple Virtualization|^VirtualMac/i, kind: 'apple' },
];

/** "Microsoft Corporation" + "Virtual Machine" is Hyper-V; Microsoft alone is a Surface. */
function isHyperVProduct(vendor: string | undefined, product: string | undefined): boolean {
  return /^Microsoft Corporation$/i.test(vendor ?? '') && /^Virtual Machine$/i.test(product ?? '');
}

export interface LabelledString {
  label: string;
  value: string | undefined;
}

/** First vendor-table hit over the labelled SMBIOS strings, with its evidence. */
export function matchHypervisorVendor(strings: LabelledString[]): { kind: string; evidence: string } | undefined {
  for (const { match, kind } of VENDOR_TABLE) {
    for (const { label, value } of strings) {
      if (value && match.test(value)) return { kind, evidence: `${label}: ${value}` };
    }
  }
  return undefined;
}

/** Clouds recognised from SMBIOS, shared by the Linux and Windows verdicts. */
export function cloudFromSmbios(hints: CloudHints): { kind: 'aws' | 'azure' | 'gcp'; evidence: string } | undefined {
  if (hints.chassisAssetTag === AZURE_CHASSIS_ASSET_TAG) return { kind: 'azure', evidence: `chassis_asset_tag: ${AZURE_CHASSIS_ASSET_TAG}` };
  if (/^i-[0-9a-f]{8,17}$/i.test(hints.boardAssetTag ?? '')) return { kind: 'aws', evidence: `board_asset_tag: ${hints.boardAssetTag}` };
  if (/^Amazon EC2$/i.test(hints.systemVendor ?? '') || /^Amazon EC2$/i.test(hints.biosVendor ?? ''))
    return { kind: 'aws', evidence: `vendor: Amazon EC2` };
  if (/^ec2/i.test(hints.productUuid ?? '') && /amazon|xen/i.test(`${hints.productVersion ?? ''} ${hints.biosVendor ?? ''}`))
    return { kind: 'aws', evidence: `product_uuid: ${hints.productUuid}` };
  if (/Google Compute Engine/i.test(hints.productName ?? '')) return { kind: 'gcp', evidence: `product_name: ${hints.productName}` };
  return undefined;
}

/** EC2 bare-metal instances (…metal) are physical servers with an EC2 identity. */
const isBareMetalInstance = (productName: string | undefined) => /\.metal(-\d+xl)?$/i.test(productName ?? '');

const CONTAINER_NAMES: Record<string, string> = {
  docker: 'docker',
  podman: 'podman',
  lxc: 'lxc',
  'lxc-libvirt': 'lxc',
  'systemd-nspawn': 'systemd-nspawn',
  oci: 'oci',
  wsl: 'wsl',
  proot: 'proot',
  pouch: 'pouch',
  rkt: 'rkt',
};

const CGROUP_CONTAINERS: readonly { match: RegExp; kind: string }[] = [
  { match: /\/docker[/-]|docker-\w+\.scope/, kind: 'docker' },
  { match: /libpod/, kind: 'podman' },
  { match: /\/kubepods/, kind: 'kubernetes' },
  { match: /\/lxc[./]|lxc\.payload/, kind: 'lxc' },
];

export function linuxContainer(signals: LinuxSignals): Virtualization | undefined {
  // WSL first, as systemd does: its kernel release names Microsoft.
  if (signals.osrelease && /microsoft|WSL/i.test(signals.osrelease)) return container('wsl', [`osrelease: ${signals.osrelease}`]);
  if (signals.pid1Container) {
    const kind = CONTAINER_NAMES[signals.pid1Container] ?? signals.pid1Container;
    return container(kind, [`pid1 container=${signals.pid1Container}`]);
  }
  if (signals.containerenv) return container('podman', ['/run/.containerenv exists']);
  if (signals.dockerenv) return container('docker', ['/.dockerenv exists']);
  for (const { match, kind } of CGROUP_CONTAINERS) {
    const line = signals.cgroup?.split('\n').find((l) => match.test(l));
    if (line) return container(kind, [`/proc/1/cgroup: ${line.trim()}`]);
  }
  return undefined;
}

export function linuxVirtualization(signals: LinuxSignals): Virtualization {
  const vmEvidence = linuxVmEvidence(signals);
  const inContainer = linuxContainer(signals);
  if (inContainer) {
    // Keep the host's VM evidence: the collector may want to know the container runs in a VM.
    return { ...inContainer, evidence: [...inContainer.evidence, ...vmEvidence.evidence] };
  }
  return vmEvidence.verdict;
}

/** Hypervisors whose DMI strings win even when they run on KVM (systemd's first DMI pass). */
const DMI_FIRST_KINDS = new Set(['aws', 'gcp', 'virtualbox', 'parallels', 'xen']);

/** Paravirtual clock sources only a guest of that hypervisor offers: our stand-in for the CPUID vendor leaf. */
const CLOCKSOURCE_HYPERVISORS: readonly { match: RegExp; kind: string }[] = [
  { match: /\bkvm-clock\b/, kind: 'kvm' },
  { match: /\bhyperv_clocksource/, kind: 'hyperv' },
  { match: /\bxen\b/, kind: 'xen' },
];

function linuxVmEvidence(signals: LinuxSignals): { verdict: Virtualization; evidence: string[] } {
  const dmi = signals.dmi;
  const found = (kind: string, evidence: string[]) => ({ verdict: vm(kind, evidence), evidence });
  const cpuEvidence = signals.cpuinfoHypervisorFlag ? ['cpuinfo: hypervisor flag'] : [];

  // 1. Clouds and hypervisors that must win over the KVM they may run on.
  const cloud = cloudFromSmbios({
    systemVendor: dmi.sys_vendor,
    productName: dmi.product_name,
    productVersion: dmi.product_version,
    productUuid: dmi.product_uuid,
    biosVendor: dmi.bios_vendor,
    boardAssetTag: dmi.board_asset_tag,
    chassisAssetTag: dmi.chassis_asset_tag,
  });
  if (cloud) {
    if (cloud.kind === 'aws' && isBareMetalInstance(dmi.product_name) && !signals.cpuinfoHypervisorFlag) {
      const evidence = [cloud.evidence, `product_name: ${dmi.product_name} (bare metal)`];
      return { verdict: PHYSICAL(evidence), evidence };
    }
    return found(cloud.kind, [cloud.evidence, ...cpuEvidence]);
  }
  const vendor = matchHypervisorVendor([
    { label: 'sys_vendor', value: dmi.sys_vendor },
    { label: 'product_name', value: dmi.product_name },
    { label: 'board_vendor', value: dmi.board_vendor },
    { label: 'bios_vendor', value: dmi.bios_vendor },
    { label: 'product_version', value: dmi.product_version },
  ]);
  if (vendor && DMI_FIRST_KINDS.has(vendor.kind)) return found(vendor.kind, [vendor.evidence, ...cpuEvidence]);

  // 2. What the CPU says (systemd reads the CPUID vendor leaf; we read what it causes).
  if (signals.cpuinfoHypervisorFlag) {
    const detected = signals.detectVirtVm && signals.detectVirtVm !== 'none' ? signals.detectVirtVm : undefined;
    if (detected) return found(normaliseSystemdVmName(detected), [...cpuEvidence, `systemd-detect-virt --vm: ${detected}`]);
    const clock = CLOCKSOURCE_HYPERVISORS.find(({ match }) => match.test(signals.clocksources ?? ''));
    if (clock) return found(clock.kind, [...cpuEvidence, `clocksource: ${signals.clocksources}`, ...(vendor ? [vendor.evidence] : [])]);
  }

  // 3. The remaining DMI strings.
  if (isHyperVProduct(dmi.sys_vendor, dmi.product_name)) {
    return found('hyperv', [`sys_vendor: ${dmi.sys_vendor}`, `product_name: ${dmi.product_name}`, ...cpuEvidence]);
  }
  if (vendor) return found(vendor.kind, [vendor.evidence, ...cpuEvidence]);

  // 4. A hypervisor nobody names (e.g. Firecracker exposes no DMI at all).
  if (signals.cpuinfoHypervisorFlag) return found('unknown', cpuEvidence);
  if (signals.sysHypervisorType) return found(signals.sysHypervisorType, [`/sys/hypervisor/type: ${signals.sysHypervisorType}`]);

  const evidence = [...(dmi.sys_vendor ? [`sys_vendor: ${dmi.sys_vendor}`] : []), 'cpuinfo: no hypervisor flag'];
  return { verdict: PHYSICAL(evidence), evidence: [] };
}

/** systemd names a few hypervisors differently from us. */
function normaliseSystemdVmName(name: string): string {
  return ({ amazon: 'aws', google: 'gcp', microsoft: 'hyperv', oracle: 'virtualbox' } as Record<string, string>)[name] ?? name;
}

/**
 * macOS: the kernel's own answer (kern.hv_vmm_present) decides virtual; the
 * model string names the hypervisor (VMware7,1, VirtualMac2,1, Parallels…).
 */
export function darwinVirtualization(signals: DarwinSignals): Virtualization {
  const evidence: string[] = [];
  if (signals.hvVmmPresent !== undefined) evidence.push(`kern.hv_vmm_present: ${signals.hvVmmPresent}`);
  const named = matchHypervisorVendor([
    { label: 'hw.model', value: signals.hwModel },
    { label: 'ioreg model', value: signals.ioregModel },
    { label: 'ioreg manufacturer', value: signals.ioregManufacturer },
  ]);
  if (named) evidence.push(named.evidence);
  else if (signals.hwModel) evidence.push(`hw.model: ${signals.hwModel}`);
  if (signals.hvVmmPresent === '1' || named) return vm(named?.kind ?? 'unknown', evidence);
  return PHYSICAL(evidence);
}

/**
 * Windows: Win32_ComputerSystem Manufacturer/Model. HypervisorPresent is only
 * evidence: it is true on a physical host with Hyper-V (or VBS) enabled.
 */
export function windowsVirtualization(signals: WindowsSignals, hints: CloudHints): Virtualization {
  const base = [`Manufacturer: ${signals.manufacturer ?? '?'}`, `Model: ${signals.model ?? '?'}`];
  const hypervisorNote = signals.hypervisorPresent === undefined ? [] : [`HypervisorPresent: ${signals.hypervisorPresent} (not used)`];
  const cloud = cloudFromSmbios(hints);
  if (cloud && !(cloud.kind === 'aws' && isBareMetalInstance(signals.model))) return vm(cloud.kind, [cloud.evidence, ...base, ...hypervisorNote]);
  if (isHyperVProduct(signals.manufacturer, signals.model)) return vm('hyperv', [...base, ...hypervisorNote]);
  const vendor = matchHypervisorVendor([
    { label: 'Manufacturer', value: signals.manufacturer },
    { label: 'Model', value: signals.model },
  ]);
  if (vendor) return vm(vendor.kind, [...base, ...hypervisorNote]);
  // Nothing read at all (WMI and the registry both unanswered): say so rather than guess physical.
  if (signals.manufacturer === undefined && signals.model === undefined) return UNKNOWN(['Manufacturer and Model unreadable (WMI and registry): unknown', ...hypervisorNote]);
  return PHYSICAL([...base, ...hypervisorNote]);
}
