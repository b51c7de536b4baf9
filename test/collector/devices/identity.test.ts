// Re-enrolment identity decisions, as tables: the re-imaged, moved, cloned,
// look-alike and hostile cases beside the happy one.
import { describe, expect, it } from 'vitest';
import {
  ACTIVE_WINDOW_MS, SHARED_VALUE_DEVICES, decideEnrolment, hardwareEvidence, identifyingKeys, identityTreeRoot, isActiveNow, type IdentityCandidate,
} from '../../../collector/src/devices/identity.ts';

const NOW = Date.UTC(2026, 11, 7, 12);
const UUID_A = '4c4c4544-0042-3510-8052-b4c04f4d3232';
const UUID_B = '9b2f8c1e-77aa-4d3e-9f10-2b6c1a0e5d44';

const evidence = (over: Record<string, unknown> = {}, extra: { hostname?: string } = { hostname: 'pc-1' }) =>
  hardwareEvidence({ hardwareUuid: UUID_A, systemSerial: '5TQ2J93', macs: ['a4:bb:6d:11:22:33'], osMachineId: 'f1e2d3c4b5a6', ...over }, extra);

const candidate = (over: Partial<IdentityCandidate> & { deviceId: string }): IdentityCandidate => ({
  companyId: 'cust-1', strong: evidence().strong, weak: evidence().weak, connected: false, lastSeenAtMs: NOW - 3 * 86_400_000, mergedInto: null, ...over,
});

describe('hardware evidence', () => {
  it('keeps the cloud id, the SMBIOS UUID and the serial as strong; MACs, machine id and hostname as weak', () => {
    const e = hardwareEvidence({ hardwareUuid: UUID_A.toUpperCase(), systemSerial: ' 5TQ2J93 ', cloudInstanceId: 'aws:i-0abc12345def67890', macs: ['A4:BB:6D:11:22:33'], osMachineId: 'F1E2' }, { hostname: 'PC-1' });
    expect(e.strong).toEqual(['cloud:aws:i-0abc12345def67890', `uuid:${UUID_A}`, 'serial:5tq2j93']);
    expect(e.weak).toEqual(['macs:a4:bb:6d:11:22:33', 'machine-id:f1e2', 'hostname:pc-1']);
  });

  it.each([
    ['03000200-0400-0500-0006-000700080009'], ['03020100-0504-0706-0809-0a0b0c0d0e0f'], ['00000000-0000-0000-0000-000000000000'],
    ['FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF'], ['fefefefe-fefe-fefe-fefe-fefefefefefe'], ['not-a-uuid'],
  ])('drops the placeholder UUID %s, whatever the agent claims', (uuid) => {
    expect(hardwareEvidence({ hardwareUuid: uuid }).strong).toEqual([]);
  });

  it.each([['To Be Filled By O.E.M.'], ['Default string'], ['System Serial Number'], ['0000000'], ['XXXXXXXX'], ['  '], ['abc']])('drops the placeholder serial %j', (serial) => {
    expect(hardwareEvidence({ systemSerial: serial }).strong).toEqual([]);
  });
});

describe('enrolment decisions', () => {
  it('a machine whose agent state was wiped (re-image, reinstall) is the same device when it was quiet', () => {
    const d = decideEnrolment({ evidence: evidence({ osMachineId: 'new-after-reimage' }), tokenCompanyId: 'cust-1', candidates: [candidate({ deviceId: 'dev-1' })], nowMs: NOW });
    expect(d).toEqual({ kind: 'reuse', deviceId: 'dev-1', moved: false, evidence: ['serial:5tq2j93', `uuid:${UUID_A}`].sort() });
  });

  it("the same hardware with another customer's token is a move of the same device", () => {
    const d = decideEnrolment({ evidence: evidence(), tokenCompanyId: 'cust-2', candidates: [candidate({ deviceId: 'dev-1', companyId: 'cust-1' })], nowMs: NOW });
    expect(d).toMatchObject({ kind: 'reuse', deviceId: 'dev-1', moved: true });
  });

  it('the same hardware while its device runs (connected right now) is a new device flagged, never a reuse', () => {
    expect(decideEnrolment({ evidence: evidence(), tokenCompanyId: 'cust-1', candidates: [candidate({ deviceId: 'dev-1', connected: true })], nowMs: NOW }))
      .toMatchObject({ kind: 'new_possible_duplicate', of: ['dev-1'], why: 'active' });
    // Seen a moment ago but not connected: the agent was wiped and restarted at once. Same device.
    expect(decideEnrolment({ evidence: evidence(), tokenCompanyId: 'cust-1', candidates: [candidate({ deviceId: 'dev-1', lastSeenAtMs: NOW - 5_000 })], nowMs: NOW }))
      .toMatchObject({ kind: 'reuse' });
  });

  it('a device runs when connected here, or connected on another collector and recently seen (a dead collector\'s mark expires)', () => {
    expect(isActiveNow({ connectedHere: true, connectedSinceMs: null, lastSeenAtMs: null }, NOW)).toBe(true);
    expect(isActiveNow({ connectedHere: false, connectedSinceMs: NOW - 3_600_000, lastSeenAtMs: NOW - 60_000 }, NOW)).toBe(true);
    expect(isActiveNow({ connectedHere: false, connectedSinceMs: NOW - 3_600_000, lastSeenAtMs: NOW - ACTIVE_WINDOW_MS }, NOW)).toBe(false);
    expect(isActiveNow({ connectedHere: false, connectedSinceMs: null, lastSeenAtMs: NOW - 1_000 }, NOW)).toBe(false);
  });

  it('two machines with placeholder UUIDs and placeholder serials stay two devices', () => {
    const placeholder = (mac: string) => hardwareEvidence({ hardwareUuid: '03000200-0400-0500-0006-000700080009', systemSerial: 'To Be Filled By O.E.M.', macs: [mac] });
    const first = placeholder('a4:bb:6d:00:00:01');
    const d = decideEnrolment({ evidence: placeholder('a4:bb:6d:00:00:02'), tokenCompanyId: 'cust-1', nowMs: NOW,
      candidates: [{ deviceId: 'dev-1', companyId: 'cust-1', strong: first.strong, weak: first.weak, connected: false, lastSeenAtMs: null, mergedInto: null }] });
    expect(d).toEqual({ kind: 'new' });
  });

  it('weak hints alone (the same MACs or machine id) only flag a possible duplicate', () => {
    const weakOnly = hardwareEvidence({ macs: ['a4:bb:6d:11:22:33'], osMachineId: 'f1e2d3c4b5a6' }, { hostname: 'pc-1' });
    const d = decideEnrolment({ evidence: weakOnly, tokenCompanyId: 'cust-1', candidates: [candidate({ deviceId: 'dev-1' })], nowMs: NOW });
    expect(d).toEqual({ kind: 'new_possible_duplicate', of: ['dev-1'], evidence: ['machine-id:f1e2d3c4b5a6', 'macs:a4:bb:6d:11:22:33'], why: 'weak_match' });
  });

  it('the same hostname alone is nothing, and a container without hardware evidence falls back to a new device', () => {
    const hostnameOnly = hardwareEvidence({}, { hostname: 'pc-1' });
    expect(decideEnrolment({ evidence: hostnameOnly, tokenCompanyId: 'cust-1', candidates: [candidate({ deviceId: 'dev-1' })], nowMs: NOW })).toEqual({ kind: 'new' });
    const container = hardwareEvidence({ osMachineId: 'f1e2d3c4b5a6' }, { hostname: 'web-7f9c' });
    expect(decideEnrolment({ evidence: container, tokenCompanyId: 'cust-1', candidates: [candidate({ deviceId: 'dev-1' })], nowMs: NOW })).toEqual({ kind: 'new' });
  });

  it('evidence pointing at two devices, or contradicting itself, is ambiguous: a new device flagged with both', () => {
    const uuidOnly = hardwareEvidence({ hardwareUuid: UUID_A });
    const serialOnly = hardwareEvidence({ systemSerial: '5TQ2J93' });
    const two = decideEnrolment({ evidence: evidence(), tokenCompanyId: 'cust-1', nowMs: NOW, candidates: [
      candidate({ deviceId: 'dev-a', strong: uuidOnly.strong }), candidate({ deviceId: 'dev-b', strong: serialOnly.strong }),
    ] });
    expect(two).toMatchObject({ kind: 'new_possible_duplicate', of: ['dev-a', 'dev-b'], why: 'ambiguous' });
    const contradicting = decideEnrolment({ evidence: evidence(), tokenCompanyId: 'cust-1', nowMs: NOW, candidates: [
      candidate({ deviceId: 'dev-a', strong: [`uuid:${UUID_B}`, 'serial:5tq2j93'] }),
    ] });
    expect(contradicting).toMatchObject({ kind: 'new_possible_duplicate', of: ['dev-a'], why: 'ambiguous' });
    // A serial that differs beside a matching UUID (a chassis swapped, a BIOS re-flashed) does not contradict.
    const serialChanged = decideEnrolment({ evidence: evidence({ systemSerial: 'NEWSER01' }), tokenCompanyId: 'cust-1', nowMs: NOW, candidates: [candidate({ deviceId: 'dev-a' })] });
    expect(serialChanged).toMatchObject({ kind: 'reuse', deviceId: 'dev-a' });
  });

  it('a device merged into another is never itself reused', () => {
    const d = decideEnrolment({ evidence: evidence(), tokenCompanyId: 'cust-1', nowMs: NOW, candidates: [candidate({ deviceId: 'dup', mergedInto: 'dev-1' }), candidate({ deviceId: 'dev-1' })] });
    expect(d).toMatchObject({ kind: 'reuse', deviceId: 'dev-1' });
  });
});

describe('shared values', () => {
  it(`a key held by ${SHARED_VALUE_DEVICES} devices of the tree identifies none; below that it still does`, () => {
    const keys = ['serial:czc001xyz', 'macs:02:50:41:00:00:01', 'machine-id:golden'];
    const holders = new Map([['serial:czc001xyz', 1], ['macs:02:50:41:00:00:01', SHARED_VALUE_DEVICES], ['machine-id:golden', SHARED_VALUE_DEVICES - 1]]);
    expect(identifyingKeys(keys, holders)).toEqual(['serial:czc001xyz', 'machine-id:golden']);
    expect(identifyingKeys(keys, new Map())).toEqual(keys); // nobody holds them yet
  });
});

describe('the tree re-enrolment matches within', () => {
  it("is the subtree of the token company's parent partner, or the company itself at the top", () => {
    expect(identityTreeRoot(['dist', 'msp', 'cust'])).toBe('msp');
    expect(identityTreeRoot(['msp', 'cust'])).toBe('msp');
    expect(identityTreeRoot(['cust'])).toBe('cust');
  });
});
