import { mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  cleanHardwareUuid,
  cleanIdentifier,
  cleanMachineId,
  compareHardware,
  decideStartupIdentity,
  DEVICE_KEY_FILE,
  GOLDEN_IMAGE_MARKER,
  INSTANCE_ID_FILE,
  loadOrCreateInstanceId,
  physicalMacs,
  PLACEHOLDER_STRINGS,
  prepareGoldenImage,
  resetIdentity,
} from '../../../agent/src/facts/identity.ts';
import type { IdentityEvidence, RawNic } from '../../../agent/src/facts/types.ts';

const stateDir = () => mkdtemp(join(tmpdir(), 'tally-facts-'));
const ids = (...values: string[]) => {
  const queue = [...values];
  return () => queue.shift()!;
};

describe('placeholders never reach identity', () => {
  it.each([
    '00000000-0000-0000-0000-000000000000',
    'FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF',
    'FEFEFEFE-FEFE-FEFE-FEFE-FEFEFEFEFEFE',
    'fefefefe-1234-5678-9abc-def012345678',
    '03000200-0400-0500-0006-000700080009',
    '03020100-0504-0706-0809-0A0B0C0D0E0F',
    '11111111-1111-1111-1111-111111111111',
    'aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa',
    'Not Settable',
    '',
  ])('rejects the hardware UUID %j', (uuid) => {
    expect(cleanHardwareUuid(uuid)).toBeNull();
  });

  it('keeps a real UUID, lower-cased', () => {
    expect(cleanHardwareUuid(' 4C4C4544-0046-5A10-8051-B8C04F335933\n')).toBe('4c4c4544-0046-5a10-8051-b8c04f335933');
    // One digit off a filler is an id (however unlikely).
    expect(cleanHardwareUuid('11111111-1111-1111-1111-111111111112')).toBe('11111111-1111-1111-1111-111111111112');
  });

  it.each(['Default string', 'To be filled by O.E.M.', 'System Serial Number', '-', '', '   ', '0000000000', 'XXXXXXXX', 'Not Specified'])(
    'rejects the serial %j',
    (serial) => {
      expect(cleanIdentifier(serial)).toBeNull();
    },
  );

  it('no placeholder survives, whatever its case and padding (property)', () => {
    const placeholder = fc.constantFrom(...[...PLACEHOLDER_STRINGS]);
    const recase = fc.tuple(placeholder, fc.boolean(), fc.constantFrom('', ' ', '\n', '\t ')).map(([p, upper, pad]) => `${pad}${upper ? p.toUpperCase() : p}${pad}`);
    fc.assert(fc.property(recase, (value) => cleanIdentifier(value) === null));
  });

  it('a machine id equal to the host name is node-machine-id\'s fallback, not an id', () => {
    expect(cleanMachineId('web-01\n', 'WEB-01')).toBeNull();
    expect(cleanMachineId('8f1c2d3e4b5a69788796a5b4c3d2e1f0', 'web-01')).toBe('8f1c2d3e4b5a69788796a5b4c3d2e1f0');
  });
});

describe('physical MACs', () => {
  const nic = (name: string, mac: string, extra: Partial<RawNic> = {}): RawNic => ({ name, mac, internal: false, hypervisorOui: false, addresses: [], ...extra });

  it('keeps real NICs, drops loopback, bridges, docker, veth, randomised and hypervisor host adapters', () => {
    const nics = [
      nic('eth0', 'A4-C3-F0-85-3B-7E'),
      nic('lo', '00:00:00:00:00:00', { internal: true }),
      nic('docker0', '02:42:9f:3a:11:22'),
      nic('br-1a2b', '3c:a6:f6:00:00:01'),
      nic('veth12', '8e:3f:1a:2b:3c:4d'),
      nic('wlan0', 'da:a1:19:00:00:01'), // privacy (random, locally administered)
      nic('vmnet8', '00:50:56:c0:00:08', { hypervisorOui: true }),
      nic('Ethernet 2', '00:50:56:c0:00:01', { hypervisorOui: true }),
      nic('eth0', 'a4:c3:f0:85:3b:7e'),
    ];
    expect(physicalMacs(nics, false)).toEqual(['a4:c3:f0:85:3b:7e']);
  });

  it('inside a VM the hypervisor-prefixed NIC is the machine\'s own', () => {
    expect(physicalMacs([nic('ens192', '00:50:56:9a:00:01', { hypervisorOui: true })], true)).toEqual(['00:50:56:9a:00:01']);
  });
});

const evidence = (over: Partial<IdentityEvidence> = {}): IdentityEvidence => ({
  hardwareUuid: '4c4c4544-0046-5a10-8051-b8c04f335933',
  systemSerial: '8FZQ3Y3',
  baseboardSerial: null,
  osMachineId: 'aaaa',
  macs: ['a4:c3:f0:85:3b:7e'],
  cloudInstanceId: null,
  ...over,
});

describe('compareHardware', () => {
  it('the same hardware with a new NIC added is the same machine', () => {
    expect(compareHardware(evidence(), evidence({ macs: ['a4:c3:f0:85:3b:7e', '00:11:22:33:44:55'] })).verdict).toBe('same');
  });
  it('a clone keeps the OS machine id but gets a new SMBIOS UUID: different', () => {
    const result = compareHardware(evidence(), evidence({ hardwareUuid: '5f7c9a1e-3b2d-4c6e-8f0a-1b2c3d4e5f60' }));
    expect(result.verdict).toBe('different');
    expect(result.evidence[0]).toContain('hardwareUuid');
  });
  it('without any hardware evidence, the OS machine id is the fallback; without that, indeterminate', () => {
    const bare = { hardwareUuid: null, systemSerial: null, macs: [] };
    expect(compareHardware(evidence(bare), evidence({ ...bare, osMachineId: 'bbbb' })).verdict).toBe('different');
    expect(compareHardware(evidence({ ...bare, osMachineId: null }), evidence({ ...bare, osMachineId: null })).verdict).toBe('indeterminate');
  });
});

describe('identity state', () => {
  it('creates the instance id once and keeps it', async () => {
    const dir = await stateDir();
    expect(await loadOrCreateInstanceId(dir, ids('first', 'second'))).toBe('first');
    expect(await loadOrCreateInstanceId(dir, ids('second'))).toBe('first');
    expect((await readFile(join(dir, INSTANCE_ID_FILE), 'utf8')).trim()).toBe('first');
  });

  it('resetIdentity drops instance id, device key and per-device history, then creates a new id', async () => {
    const dir = await stateDir();
    await loadOrCreateInstanceId(dir, ids('old'));
    await writeFile(join(dir, DEVICE_KEY_FILE), 'dk_123');
    await writeFile(join(dir, 'modules.json'), '{"modules":[]}');
    await writeFile(join(dir, 'unrelated.json'), '{}');
    const result = await resetIdentity(dir, ids('new'));
    expect(result).toEqual({ previousInstanceId: 'old', instanceId: 'new' });
    expect((await readdir(dir)).sort()).toEqual([INSTANCE_ID_FILE, 'unrelated.json']);
  });
});

describe('golden image', () => {
  it('without a marker: proceed with the (new or existing) instance id', async () => {
    const dir = await stateDir();
    expect(await decideStartupIdentity(dir, evidence(), ids('id-1'))).toEqual({ action: 'proceed', instanceId: 'id-1', evidence: [] });
  });

  it('the template itself (same hardware) does not enrol, and keeps its marker', async () => {
    const dir = await stateDir();
    await loadOrCreateInstanceId(dir, ids('template-id'));
    await writeFile(join(dir, DEVICE_KEY_FILE), 'dk_template');
    await prepareGoldenImage(dir, evidence(), 1_000);
    expect(await readdir(dir)).toEqual([GOLDEN_IMAGE_MARKER]); // identity dropped before capture
    const decision = await decideStartupIdentity(dir, evidence(), ids('never'));
    expect(decision.action).toBe('hold-template');
    expect(await readdir(dir)).toEqual([GOLDEN_IMAGE_MARKER]);
  });

  it('a clone (different hardware) drops the template identity, gets its own, removes the marker and enrols', async () => {
    const dir = await stateDir();
    await prepareGoldenImage(dir, evidence(), 1_000);
    // Something wrote the template's id and key after preparation (e.g. an agent start before capture).
    await writeFile(join(dir, INSTANCE_ID_FILE), 'template-id\n');
    await writeFile(join(dir, DEVICE_KEY_FILE), 'dk_template');
    const clone = evidence({ hardwareUuid: '5f7c9a1e-3b2d-4c6e-8f0a-1b2c3d4e5f60', systemSerial: 'VMware-56 4d', macs: ['00:50:56:9a:00:02'] });
    const decision = await decideStartupIdentity(dir, clone, ids('clone-id'));
    expect(decision).toMatchObject({ action: 'enrol-clone', instanceId: 'clone-id' });
    expect((await readdir(dir)).sort()).toEqual([INSTANCE_ID_FILE]);
    // The next start is an ordinary one.
    expect(await decideStartupIdentity(dir, clone, ids('unused'))).toMatchObject({ action: 'proceed', instanceId: 'clone-id' });
  });

  it('an unreadable marker holds rather than enrolling a possible template', async () => {
    const dir = await stateDir();
    await writeFile(join(dir, GOLDEN_IMAGE_MARKER), 'not json');
    expect((await decideStartupIdentity(dir, evidence())).action).toBe('hold-template');
  });
});
