// One device key, two machines: the newcomer is refused as a clone while the
// key's own machine is active, flagged, and never billed on that key.
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ErrorCode, utcDayOf } from '../../../proto/index.ts';
import { silentLogger } from '../../../common/log.ts';
import { CLONE_WINDOW_MS, hardwareFingerprint, judgeHardware } from '../../../collector/src/ingest/clone.ts';
import { AwakeMeter, systemClocks } from '../../../agent/src/meter/index.ts';
import { Outbox } from '../../../agent/src/outbox/index.ts';
import { AgentRuntime } from '../../../agent/src/runtime.ts';
import { loadCredentials } from '../../../agent/src/credentials.ts';
import { connectOk } from '../../helpers/raw-agent.ts';
import { startTestCollector, type TestCollector } from '../../helpers/collector.ts';
import { pollUntil } from '../../helpers/processes.ts';

const ORIGINAL = { hardwareUuid: '4c4c4544-0042-3510-8052-b4c04f4e3232', systemSerial: 'B5R2NN2', macs: ['3c:52:82:11:22:33'] };
const CLONE = { hardwareUuid: '564d8f2a-1b7e-9c3d-5e6f-7a8b9c0d1e2f', systemSerial: 'VMware-56 4d 8f 2a', macs: ['00:50:56:aa:bb:cc'] };

describe('hardware fingerprint and verdict', () => {
  it('ignores the OS machine id and agent instance id (a disk clone copies both) and needs some hardware evidence', () => {
    expect(hardwareFingerprint({ osMachineId: 'x', agentInstanceId: 'y' })).toBeNull();
    expect(hardwareFingerprint({ ...ORIGINAL, osMachineId: 'a' })).toBe(hardwareFingerprint({ ...ORIGINAL, osMachineId: 'b' }));
    expect(hardwareFingerprint(ORIGINAL)).not.toBe(hardwareFingerprint(CLONE));
    expect(hardwareFingerprint({ ...ORIGINAL, macs: [...ORIGINAL.macs].reverse(), hardwareUuid: ORIGINAL.hardwareUuid.toUpperCase() })).toBe(hardwareFingerprint(ORIGINAL));
  });

  const now = 10_000_000;
  it.each([
    [{ stored: null, presented: 'a', connectedElsewhere: false, lastSeenAtMs: null }, 'record'],
    [{ stored: 'a', presented: null, connectedElsewhere: true, lastSeenAtMs: now }, 'same'],
    [{ stored: 'a', presented: 'a', connectedElsewhere: true, lastSeenAtMs: now }, 'same'],
    [{ stored: 'a', presented: 'b', connectedElsewhere: true, lastSeenAtMs: now - 2 * CLONE_WINDOW_MS }, 'clone'],
    [{ stored: 'a', presented: 'b', connectedElsewhere: false, lastSeenAtMs: now - CLONE_WINDOW_MS + 1 }, 'clone'],
    [{ stored: 'a', presented: 'b', connectedElsewhere: false, lastSeenAtMs: now - CLONE_WINDOW_MS }, 'changed'],
  ] as const)('%j -> %s', (input, kind) => {
    expect(judgeHardware({ ...input, nowMs: now }).kind).toBe(kind);
  });
});

describe('clone detection on the agent endpoint', () => {
  let c: TestCollector;
  beforeEach(async () => {
    c = await startTestCollector();
  });
  afterEach(async () => {
    await c.dispose();
  });

  it('refuses the key from different hardware while the original is connected, flags the device, stores nothing from the clone', async () => {
    const { token } = await c.enrolmentToken();
    const original = await connectOk(c.wsUrl, token);
    original.send({ hello: { agentVersion: '1', instanceId: 'inst', facts: { hostname: 'pc-1', identity: ORIGINAL } } });
    const { deviceId, deviceKey } = (await original.next()).welcome!;

    const clone = await connectOk(c.wsUrl, deviceKey!);
    clone.send({ hello: { agentVersion: '1', instanceId: 'inst', facts: { hostname: 'pc-1', identity: CLONE } } });
    expect((await clone.next()).error!.code).toBe(ErrorCode.CLONE_DETECTED);
    expect((await clone.closed).code).toBe(4409);

    const listed = (await c.storage.adminRead.getDevice(deviceId!))!;
    expect(listed.cloneSuspectedAtMs).not.toBeNull();
    // The original carries on, and is the only one billed on the key.
    original.send({ usage: { records: [{ header: { stream: 'u', seq: 1 }, utcDay: utcDayOf(Date.now()), awakeSeconds: 300, bootId: 'b' }] } });
    expect((await original.next()).ack!.seqs).toEqual([1]);
    const page = await c.storage.adminRead.usageForDays(0, 1e6, { after: null, limit: 10 });
    expect(page.items.map((i) => [i.deviceId, i.awakeSeconds])).toEqual([[deviceId, 300]]);
    original.close();
  });

  it('takes different hardware long after the original went quiet as a hardware change, not a clone', async () => {
    let now = Date.now();
    await c.dispose();
    c = await startTestCollector({ now: () => now });
    const { token } = await c.enrolmentToken();
    const first = await connectOk(c.wsUrl, token);
    first.send({ hello: { agentVersion: '1', instanceId: 'inst', facts: { identity: ORIGINAL } } });
    const { deviceId, deviceKey } = (await first.next()).welcome!;
    first.close();
    await first.closed;
    now += CLONE_WINDOW_MS + 60_000;
    const moved = await connectOk(c.wsUrl, deviceKey!);
    moved.send({ hello: { agentVersion: '1', instanceId: 'inst', facts: { identity: CLONE } } });
    expect((await moved.next()).welcome!.deviceId).toBe(deviceId);
    expect((await c.storage.adminRead.getDevice(deviceId!))!.cloneSuspectedAtMs).toBeNull();
    moved.close();
  });

  it('tells the agent runtime, which stops reconnecting with the copied key', async () => {
    const { token } = await c.enrolmentToken();
    const dirA = mkdtempSync(join(tmpdir(), 'tally-orig-'));
    const dirB = mkdtempSync(join(tmpdir(), 'tally-clone-'));
    const runtimes: AgentRuntime[] = [];
    try {
      const make = (dir: string, identity: object, onCloneDetected?: () => void) => {
        mkdirSync(join(dir, 'outbox'), { recursive: true });
        const r = new AgentRuntime({
          stateDir: dir, collectorUrl: new URL(c.wsUrl), enrolmentToken: token, usageIntervalMs: 3_600_000, agentVersion: 't', instanceId: 'same',
          facts: () => ({ hostname: 'pc', identity }), meter: new AwakeMeter({ clocks: systemClocks, bootId: 'b' }),
          outbox: Outbox.open(join(dir, 'outbox')), logger: silentLogger, onCloneDetected, connection: { backoff: { initialMs: 20, maxMs: 100 } },
        });
        runtimes.push(r);
        return r;
      };
      make(dirA, ORIGINAL).start();
      await pollUntil(async () => loadCredentials(dirA), 5000, 'original enrolled');
      // The disk is cloned: the copy carries the original's credentials.
      cpSync(join(dirA, 'credentials.json'), join(dirB, 'credentials.json'));
      let detected = 0;
      make(dirB, CLONE, () => detected++).start();
      await pollUntil(async () => detected > 0, 5000, 'clone detection');
      await new Promise((r) => setTimeout(r, 300));
      expect(detected).toBe(1); // no reconnect loop with the copied key
    } finally {
      for (const r of runtimes) await r.stop(50);
      rmSync(dirA, { recursive: true, force: true });
      rmSync(dirB, { recursive: true, force: true });
    }
  });
});
