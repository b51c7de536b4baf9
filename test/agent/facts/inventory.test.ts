import { describe, expect, it } from 'vitest';
import { factsFingerprint, factsToJson, INVENTORY_MAX_AGE_MS, shouldSendInventory, toProtoDeviceFacts } from '../../../agent/src/facts/inventory.ts';
import { normalizeFacts } from '../../../agent/src/facts/normalize.ts';
import { selectAdapter } from '../../../agent/src/facts/select.ts';
import type { DeviceFacts } from '../../../agent/src/facts/types.ts';
import { v1 } from '../../../proto/index.ts';
import { loadFixture } from './fixture-sources.ts';

async function awsFacts(): Promise<DeviceFacts> {
  const { fixture, sources } = await loadFixture('aws-nitro');
  const raw = await selectAdapter('linux').collect(sources, {});
  return normalizeFacts({ raw, agentVersion: '1.0.0', agentInstanceId: 'iid', now: Date.parse(fixture.recordedAt), previousModules: { modules: [] }, activity: { users: {} } }).facts;
}

describe('proto conversion', () => {
  it('round-trips through DeviceFacts encoding with absent ids as empty strings', async () => {
    const facts = await awsFacts();
    const proto = toProtoDeviceFacts(facts);
    expect(v1.DeviceFacts.verify(proto)).toBeNull();
    const decoded = v1.DeviceFacts.toObject(v1.DeviceFacts.decode(v1.DeviceFacts.encode(proto).finish()), { defaults: true });
    expect(decoded.identity).toMatchObject({ cloudInstanceId: 'aws:i-0a1b2c3d4e5f67890', baseboardSerial: '', agentInstanceId: 'iid' });
    expect(decoded.virtualization).toMatchObject({ virtual: true, kind: 'aws', category: 'vm' });
    expect(decoded.role.role).toBe('server');
    expect(decoded.modules.map((m: { name: string }) => m.name)).toEqual(['antimalware', 'edr_sensor', 'integrity_monitoring']);
  });
});

describe('facts --json', () => {
  it('leads with the verdicts and carries the evidence', async () => {
    const json = factsToJson(await awsFacts());
    expect(json).toMatchObject({ virtual: true, hypervisor: 'aws', role: 'server', identity: { cloudInstanceId: 'aws:i-0a1b2c3d4e5f67890' } });
    expect(json.evidence.virtualization).toContain('board_asset_tag: i-0a1b2c3d4e5f67890');
    expect(JSON.parse(JSON.stringify(json))).toEqual(json);
  });
});

describe('inventory policy', () => {
  it('fingerprint ignores volatile fields and follows real changes', async () => {
    const facts = await awsFacts();
    const base = factsFingerprint(facts);
    const volatile: DeviceFacts = {
      ...facts,
      collectedAtMs: facts.collectedAtMs + 3_600_000,
      notes: ['command last: timed out after 5000 ms'],
      ipAddresses: ['10.9.9.9'],
      users: facts.users.map((u) => ({ ...u, lastSignInMs: u.lastSignInMs + 1 })),
      identity: { ...facts.identity, macs: [...facts.identity.macs] },
    };
    expect(factsFingerprint(volatile)).toBe(base);
    // Key order must not matter.
    const reordered = Object.fromEntries(Object.entries(facts).reverse()) as DeviceFacts;
    expect(factsFingerprint(reordered)).toBe(base);
    expect(factsFingerprint({ ...facts, hostname: 'renamed' })).not.toBe(base);
    expect(factsFingerprint({ ...facts, modules: facts.modules.slice(1) })).not.toBe(base);
    expect(factsFingerprint({ ...facts, users: facts.users.map((u) => ({ ...u, primary: !u.primary })) })).not.toBe(base);
  });

  it('sends first, on change, daily, and after a clock jump backwards', () => {
    const t = 1_714_000_000_000;
    expect(shouldSendInventory(undefined, 'a', t)).toEqual({ send: true, reason: 'first' });
    expect(shouldSendInventory({ fingerprint: 'a', sentAtMs: t }, 'b', t + 1)).toEqual({ send: true, reason: 'changed' });
    expect(shouldSendInventory({ fingerprint: 'a', sentAtMs: t }, 'a', t + INVENTORY_MAX_AGE_MS - 1)).toEqual({ send: false, reason: 'unchanged' });
    expect(shouldSendInventory({ fingerprint: 'a', sentAtMs: t }, 'a', t + INVENTORY_MAX_AGE_MS)).toEqual({ send: true, reason: 'daily' });
    expect(shouldSendInventory({ fingerprint: 'a', sentAtMs: t }, 'a', t - 1)).toEqual({ send: true, reason: 'clock-moved-back' });
  });
});
