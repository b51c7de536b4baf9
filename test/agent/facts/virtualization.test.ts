// Verdict tables beyond the recorded fixtures: one row per hypervisor or
// container signal the rules know.
import { describe, expect, it } from 'vitest';
import { linuxRole, windowsRole } from '../../../agent/src/facts/role.ts';
import type { LinuxSignals } from '../../../agent/src/facts/types.ts';
import { darwinVirtualization, linuxVirtualization, windowsVirtualization } from '../../../agent/src/facts/virtualization.ts';

const linux = (over: Partial<LinuxSignals>): LinuxSignals => ({ dockerenv: false, containerenv: false, dmi: {}, cpuinfoHypervisorFlag: false, ...over });

describe('Linux, in systemd-detect-virt order', () => {
  it.each<[string, Partial<LinuxSignals>, string, string]>([
    ['WSL kernel', { osrelease: '5.15.146.1-microsoft-standard-WSL2', cpuinfoHypervisorFlag: true }, 'wsl', 'container'],
    ['podman', { containerenv: true }, 'podman', 'container'],
    ['pid1 container=lxc', { pid1Container: 'lxc' }, 'lxc', 'container'],
    ['kubernetes cgroup v1', { cgroup: '12:pids:/kubepods/burstable/pod1234/abcd\n' }, 'kubernetes', 'container'],
    ['VMware', { dmi: { sys_vendor: 'VMware, Inc.', product_name: 'VMware7,1' }, cpuinfoHypervisorFlag: true }, 'vmware', 'vm'],
    ['VirtualBox wins over the KVM it runs on', { dmi: { sys_vendor: 'innotek GmbH', product_name: 'VirtualBox' }, cpuinfoHypervisorFlag: true, clocksources: 'kvm-clock tsc' }, 'virtualbox', 'vm'],
    ['Hyper-V', { dmi: { sys_vendor: 'Microsoft Corporation', product_name: 'Virtual Machine', chassis_asset_tag: '1234' }, cpuinfoHypervisorFlag: true }, 'hyperv', 'vm'],
    ['Azure', { dmi: { sys_vendor: 'Microsoft Corporation', product_name: 'Virtual Machine', chassis_asset_tag: '7783-7084-3265-9085-8269-3286-77' } }, 'azure', 'vm'],
    ['GCP', { dmi: { sys_vendor: 'Google', product_name: 'Google Compute Engine' }, cpuinfoHypervisorFlag: true }, 'gcp', 'vm'],
    ['AWS Xen era', { dmi: { sys_vendor: 'Xen', product_version: '4.11.amazon', product_uuid: 'ec2e1916-9099-7caf-fd21-012345abcdef', bios_vendor: 'Xen' } }, 'aws', 'vm'],
    ['QEMU under KVM without systemd: kvm-clock names KVM', { dmi: { sys_vendor: 'QEMU' }, cpuinfoHypervisorFlag: true, clocksources: 'kvm-clock tsc acpi_pm' }, 'kvm', 'vm'],
    ['QEMU in pure emulation', { dmi: { sys_vendor: 'QEMU', product_name: 'Standard PC (i440FX + PIIX, 1996)' }, cpuinfoHypervisorFlag: true, clocksources: 'tsc acpi_pm' }, 'qemu', 'vm'],
    ['Parallels', { dmi: { sys_vendor: 'Parallels Software International Inc.', product_name: 'Parallels Virtual Platform' } }, 'parallels', 'vm'],
    ['Firecracker: no DMI, only CPUID', { cpuinfoHypervisorFlag: true }, 'unknown', 'vm'],
    ['Xen PV', { sysHypervisorType: 'xen' }, 'xen', 'vm'],
  ])('%s', (_label, signals, kind, category) => {
    const verdict = linuxVirtualization(linux(signals));
    expect(verdict).toMatchObject({ virtual: true, kind, category });
    expect(verdict.evidence.length).toBeGreaterThan(0);
  });

  it('physical hardware, and EC2 bare metal, are not virtual', () => {
    expect(linuxVirtualization(linux({ dmi: { sys_vendor: 'LENOVO', product_name: '21HD003QGE' } }))).toMatchObject({ virtual: false, kind: '' });
    const metal = linuxVirtualization(linux({ dmi: { sys_vendor: 'Amazon EC2', product_name: 'i3.metal', board_asset_tag: 'i-0123456789abcdef0' } }));
    expect(metal).toMatchObject({ virtual: false, kind: '' });
  });

  it('a container inside a VM is the container, and keeps the VM evidence', () => {
    const verdict = linuxVirtualization(linux({ dockerenv: true, dmi: { sys_vendor: 'VMware, Inc.' }, cpuinfoHypervisorFlag: true }));
    expect(verdict).toMatchObject({ kind: 'docker', category: 'container' });
    expect(verdict.evidence).toContain('sys_vendor: VMware, Inc.');
  });
});

describe('macOS', () => {
  it.each([
    ['VMware Fusion', { hvVmmPresent: '1', hwModel: 'VMware7,1' }, 'vmware'],
    ['Parallels', { hvVmmPresent: '1', hwModel: 'Parallels-ARM' }, 'parallels'],
    ['Virtualization.framework', { hvVmmPresent: '1', hwModel: 'VirtualMac2,1' }, 'apple'],
    ['unnamed hypervisor', { hvVmmPresent: '1', hwModel: 'Mac14,2' }, 'unknown'],
  ])('%s', (_label, signals, kind) => {
    expect(darwinVirtualization(signals)).toMatchObject({ virtual: true, kind, category: 'vm' });
  });
  it('a real Mac', () => {
    expect(darwinVirtualization({ hvVmmPresent: '0', hwModel: 'Mac14,2' })).toMatchObject({ virtual: false, kind: '' });
  });
});

describe('Windows', () => {
  it('HypervisorPresent alone (physical host running Hyper-V/VBS) is not a VM', () => {
    expect(windowsVirtualization({ manufacturer: 'LENOVO', model: '20XW0026GE', hypervisorPresent: true }, {})).toMatchObject({ virtual: false });
  });
  it.each([
    [{ manufacturer: 'VMware, Inc.', model: 'VMware7,1' }, 'vmware'],
    [{ manufacturer: 'innotek GmbH', model: 'VirtualBox' }, 'virtualbox'],
    [{ manufacturer: 'QEMU', model: 'Standard PC (Q35 + ICH9, 2009)' }, 'qemu'],
    [{ manufacturer: 'Amazon EC2', model: 't3.large' }, 'aws'],
  ])('%o is %s', (signals, kind) => {
    expect(windowsVirtualization(signals, {}).kind).toBe(kind);
  });
  it('roles: ProductType, with multi-session SKU 175 a workstation', () => {
    expect(windowsRole({ productType: 1 }).role).toBe('workstation');
    expect(windowsRole({ productType: 2 }).role).toBe('server');
    expect(windowsRole({ productType: 3, operatingSystemSku: 7 }).role).toBe('server');
    expect(windowsRole({ productType: 3, operatingSystemSku: 175 }).role).toBe('workstation');
  });
});

describe('Linux role', () => {
  const physical = { virtual: false, kind: '', category: '' as const, evidence: [] };
  const hyperv = { virtual: true, kind: 'hyperv', category: 'vm' as const, evidence: [] };
  it.each([[9, 'workstation'], [10, 'workstation'], [31, 'workstation'], [35, 'workstation'], [17, 'server'], [23, 'server'], [28, 'server'], [1, 'server'], [2, 'server']])(
    'chassis_type %i -> %s',
    (type, role) => {
      expect(linuxRole(linux({ dmi: { chassis_type: String(type) } }), physical).role).toBe(role);
    },
  );
  it('a Hyper-V guest claims chassis 3 (desktop); that is ignored', () => {
    expect(linuxRole(linux({ dmi: { chassis_type: '3' } }), hyperv).role).toBe('server');
  });
  it('an administrator\'s /etc/machine-info CHASSIS wins, hostnamectl comes after DMI', () => {
    expect(linuxRole(linux({ machineInfoChassis: 'laptop', dmi: { chassis_type: '23' } }), physical).role).toBe('workstation');
    expect(linuxRole(linux({ hostnamectlChassis: 'laptop' }), hyperv).role).toBe('workstation');
  });
});
