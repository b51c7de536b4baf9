// Each OS adapter + the normaliser, fed with recorded outputs of that OS's
// real sources (see each fixture's "source" note).
import { describe, expect, it } from 'vitest';
import { normalizeFacts } from '../../../agent/src/facts/normalize.ts';
import { selectAdapter } from '../../../agent/src/facts/select.ts';
import type { DeviceFacts } from '../../../agent/src/facts/types.ts';
import { loadFixture } from './fixture-sources.ts';

async function factsOf(name: string, modulesPolicy?: Record<string, unknown>): Promise<{ facts: DeviceFacts; calls: string[] }> {
  const { fixture, sources, calls } = await loadFixture(name);
  const adapter = selectAdapter(fixture.platform === 'windows' ? 'win32' : fixture.platform);
  const raw = await adapter.collect(sources, {});
  const { facts } = normalizeFacts({
    raw,
    agentVersion: '1.2.3',
    agentInstanceId: 'instance-1',
    now: Date.parse(fixture.recordedAt),
    modulesPolicy: modulesPolicy as never,
    previousModules: { modules: [] },
    activity: { users: {} },
  });
  return { facts, calls };
}

const expectations: {
  fixture: string;
  virtual: boolean;
  kind: string;
  category: string;
  role: 'server' | 'workstation';
  joinState: string;
  os: Partial<DeviceFacts['os']>;
}[] = [
  { fixture: 'windows-11-laptop', virtual: false, kind: '', category: '', role: 'workstation', joinState: 'azuread:72f988bf-86f1-41af-91ab-2d7cd011db47', os: { name: 'Microsoft Windows 11 Enterprise', version: '23H2', build: '22631.3447' } },
  { fixture: 'windows-server-2022-hyperv', virtual: true, kind: 'hyperv', category: 'vm', role: 'server', joinState: 'domain:CORP', os: { build: '20348.2461' } },
  { fixture: 'windows-11-multisession-azure', virtual: true, kind: 'azure', category: 'vm', role: 'workstation', joinState: 'azuread:0e3c6b52-7d4a-4f19-8a2e-5b6c7d8e9f01', os: { name: 'Microsoft Windows 11 Enterprise multi-session' } },
  { fixture: 'macos-apple-silicon', virtual: false, kind: '', category: '', role: 'workstation', joinState: 'workgroup', os: { name: 'macOS', version: '14.4.1', build: '23E224', arch: 'arm64' } },
  { fixture: 'macos-vm', virtual: true, kind: 'apple', category: 'vm', role: 'workstation', joinState: 'workgroup', os: { version: '14.4' } },
  { fixture: 'ubuntu-desktop', virtual: false, kind: '', category: '', role: 'workstation', joinState: 'workgroup', os: { name: 'Ubuntu', version: '22.04.4 LTS', kernel: '6.5.0-28-generic' } },
  { fixture: 'ubuntu-server-kvm', virtual: true, kind: 'kvm', category: 'vm', role: 'server', joinState: 'domain:corp.contoso.com', os: { version: '24.04 LTS' } },
  { fixture: 'aws-nitro', virtual: true, kind: 'aws', category: 'vm', role: 'server', joinState: 'workgroup', os: { name: 'Amazon Linux' } },
  { fixture: 'docker-container', virtual: true, kind: 'docker', category: 'container', role: 'server', joinState: 'workgroup', os: { name: 'Debian GNU/Linux' } },
];

describe.each(expectations)('$fixture', (expected) => {
  it('classifies virtualization, role, join state and OS', async () => {
    const { facts } = await factsOf(expected.fixture);
    expect(facts.virtualization).toMatchObject({ virtual: expected.virtual, kind: expected.kind, category: expected.category });
    expect(facts.virtualization.evidence.length).toBeGreaterThan(0);
    expect(facts.role.role).toBe(expected.role);
    expect(facts.role.evidence.length).toBeGreaterThan(0);
    expect(facts.joinState).toBe(expected.joinState);
    expect(facts.os).toMatchObject(expected.os);
  });
});

describe('identity evidence from fixtures', () => {
  it('Windows laptop: real SMBIOS ids, physical NICs only (no Hyper-V vEthernet, no Wi-Fi Direct random MAC)', async () => {
    const { facts } = await factsOf('windows-11-laptop');
    expect(facts.identity).toMatchObject({
      hardwareUuid: '4c4c4544-0046-5a10-8051-b8c04f335933',
      systemSerial: '8FZQ3Y3',
      osMachineId: '4c4c4544-0046-3610-8052-b4c04f4d3933',
      macs: ['a4:c3:f0:85:3b:7e', 'c4:5a:b1:9e:22:10'],
      cloudInstanceId: null,
      agentInstanceId: 'instance-1',
    });
    expect(facts.virtualization.evidence).toContain('HypervisorPresent: true (not used)');
  });

  it('Windows Server with REG.exe blocked by policy: machine id absent, the reason kept as a note, no throw', async () => {
    const { facts } = await factsOf('windows-server-2022-hyperv');
    expect(facts.identity.osMachineId).toBeNull();
    expect(facts.notes.some((n) => n.startsWith('machine id:') && n.includes('Registry editing has been disabled'))).toBe(true);
    // Inside a Hyper-V guest the 00:15:5d NIC is the machine's own NIC.
    expect(facts.identity.macs).toEqual(['00:15:5d:01:2c:07']);
  });

  it('Azure: cloud instance id is the VM id from SMBIOS', async () => {
    const { facts } = await factsOf('windows-11-multisession-azure');
    expect(facts.identity.cloudInstanceId).toBe('azure:9e1b2c3d-4f5a-6b7c-8d9e-0f1a2b3c4d5e');
    expect(facts.role.evidence).toContain('multi-session SKU is a workstation');
  });

  it('AWS Nitro: instance id from board_asset_tag, locally administered ENI MAC excluded', async () => {
    const { facts } = await factsOf('aws-nitro');
    expect(facts.identity.cloudInstanceId).toBe('aws:i-0a1b2c3d4e5f67890');
    expect(facts.identity.macs).toEqual([]);
  });

  it('Ubuntu desktop with un-customised firmware: placeholders never reach identity', async () => {
    const { facts } = await factsOf('ubuntu-desktop');
    expect(facts.identity.hardwareUuid).toBeNull();
    expect(facts.identity.systemSerial).toBeNull();
    expect(facts.identity.baseboardSerial).toBe('220915581203456');
    expect(facts.hardware.model).toBe('');
    expect(facts.identity.macs).toEqual(['2c:4d:54:1a:2b:3c', 'b8:1e:a4:77:88:99']);
    expect(facts.ipAddresses).toEqual(['192.168.1.23']);
  });

  it('Docker container without /etc/machine-id: machine id stays absent instead of becoming the host name', async () => {
    const { facts } = await factsOf('docker-container');
    expect(facts.identity.osMachineId).toBeNull();
    expect(Object.values(facts.identity)).not.toContain('3f4e5a6b7c8d');
    expect(facts.identity.hardwareUuid).toBeNull();
    expect(facts.identity.systemSerial).toBeNull(); // systeminformation's '-'
    expect(facts.notes).toContain('file /proc/1/environ: denied');
  });

  it('macOS under Rosetta reports the hardware architecture, not the process architecture', async () => {
    const { facts } = await factsOf('macos-apple-silicon');
    expect(facts.os.arch).toBe('arm64');
    expect(facts.identity.macs).toEqual(['3c:a6:f6:12:34:56']);
    expect(facts.hardware.chassis).toBe('laptop');
  });
});

describe('users from fixtures', () => {
  it('Windows: SIDs of people only, primary is the most active', async () => {
    const { facts } = await factsOf('windows-11-multisession-azure');
    expect(facts.users.map((u) => u.userId)).toEqual([
      'S-1-12-1-2233445566-1122334455-2882400001-1029384756',
      'S-1-12-1-3344556677-2233445566-3993511112-2130495867',
    ]);
    expect(facts.users.filter((u) => u.primary)).toHaveLength(1);
  });

  it('Linux: uid@host for local accounts, directory users keep their realm, root and gdm are not people', async () => {
    const desktop = await factsOf('ubuntu-desktop');
    expect(desktop.facts.users).toEqual([
      { userId: '1000@anna-desktop', primary: true, lastSignInMs: Date.parse('2024-05-03T08:00:01+02:00') },
      { userId: '1001@anna-desktop', primary: false, lastSignInMs: Date.parse('2024-05-02T12:00:00+02:00') },
    ]);
    const server = await factsOf('ubuntu-server-kvm');
    expect(server.facts.users.map((u) => u.userId)).toEqual(['1000@app01', 'j.doe@corp.contoso.com']);
  });

  it('macOS: console and `last` users by uid; _mbsetupuser, root and reboot records ignored', async () => {
    const { facts } = await factsOf('macos-apple-silicon');
    expect(facts.users.map((u) => [u.userId, u.primary])).toEqual([
      ['501@annas-macbook-pro', true],
      ['502@annas-macbook-pro', false],
    ]);
    expect(facts.ownership).toBe('corporate');
    expect(facts.ownershipEvidence).toBe('mdm: enrolled via DEP');
  });
});

describe('modules from fixtures', () => {
  it('presence in the modules dir decides; policy-only modules are reported as not installed', async () => {
    const { facts } = await factsOf('aws-nitro', { antimalware: true, firewall: true, integrity_monitoring: { enabled: true, retention: '180d' } });
    const byName = Object.fromEntries(facts.modules.map((m) => [m.name, m]));
    expect(byName.antimalware).toMatchObject({ installed: true, source: 'policy+present' });
    expect(byName.edr_sensor).toMatchObject({ installed: true, source: 'present' });
    expect(byName.integrity_monitoring).toMatchObject({ installed: true, tier: '180d', changedAtMs: 1714300000000 });
    expect(byName.firewall).toMatchObject({ installed: false, source: 'policy', changedAtMs: 0 });
  });

  it('without a modules dir the policy decides', async () => {
    const { facts } = await factsOf('docker-container', { antimalware: true, container_protection: true, firewall: false });
    expect(facts.modules.map((m) => [m.name, m.installed, m.source])).toEqual([
      ['antimalware', true, 'policy'],
      ['container_protection', true, 'policy'],
    ]);
  });
});

describe('Windows sources', () => {
  it('sends the CIM queries through the PowerShell runner, and dsregcmd and the registry reads as plain commands', async () => {
    const { calls } = await factsOf('windows-11-laptop');
    expect(calls.filter((c) => c.includes('Get-CimInstance'))).toHaveLength(4);
    expect(calls.filter((c) => c.startsWith('reg query HKLM\\'))).toHaveLength(3);
    expect(calls).toContain('dsregcmd /status');
    expect(calls.some((c) => c.startsWith('powershell'))).toBe(false);
  });
});
