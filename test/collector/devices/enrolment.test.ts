// One machine, one bill, on the real agent endpoint (loopback sockets, real
// SQLite): re-enrolment of a wiped machine, a move with another customer's
// token, look-alikes and placeholders, token limits, record-day bounds and
// uninstall semantics, each refused case beside its legitimate one.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ErrorCode, utcDayOf, type IIdentity } from '../../../proto/index.ts';
import { MAX_DAYS_BEFORE_ENROLMENT } from '../../../collector/src/devices/record-bounds.ts';
import { SHARED_VALUE_DEVICES } from '../../../collector/src/devices/identity.ts';
import { startTestCollector, type TestCollector } from '../../helpers/collector.ts';
import { connectOk, connectRaw, type RawAgent } from '../../helpers/raw-agent.ts';
import { rest, restOk } from '../../helpers/http.ts';

const DAY = 86_400_000;
const DELL = { hardwareUuid: '4c4c4544-0042-3510-8052-b4c04f4d3232', systemSerial: '5TQ2J93', macs: ['a4:bb:6d:11:22:33'] };

let c: TestCollector;
let clock: number;
let key: string;
const ids: Record<string, string> = {};

async function token(companyId: string, body: Record<string, unknown> = {}): Promise<string> {
  return (await restOk(c.url, key, 'POST', `/companies/${companyId}/enrolment-tokens`, body)).token;
}

/** An agent's hello; `firstRunMs` as the agent reports it (0: an older agent that does not). */
const hello = (identity: IIdentity, instanceId: string, firstRunMs = clock - DAY) =>
  ({ hello: { agentVersion: '2.0', instanceId, firstRunMs, facts: { hostname: `pc-${instanceId}`, identity, hardware: { manufacturer: 'Dell Inc.' } } } });

async function enrol(secret: string, identity: IIdentity, instanceId: string, firstRunMs?: number): Promise<{ agent: RawAgent; deviceId: string; deviceKey: string }> {
  const agent = await connectOk(c.wsUrl, secret);
  agent.send(hello(identity, instanceId, firstRunMs));
  const reply = await agent.next();
  if (!reply.welcome) throw new Error(`no welcome: ${JSON.stringify(reply)}`);
  return { agent, deviceId: reply.welcome.deviceId!, deviceKey: reply.welcome.deviceKey! };
}

beforeEach(async () => {
  clock = Date.UTC(2026, 10, 14, 12);
  c = await startTestCollector({ now: () => clock, sockets: { limits: { enrolPerToken: { capacity: 8, perMinute: 1 } } } });
  key = await c.apiKey();
  ids.partner = (await restOk(c.url, key, 'POST', '/companies', { name: 'MSP', type: 'partner' })).id;
  for (const name of ['dental', 'legal']) {
    ids[name] = (await restOk(c.url, key, 'POST', '/companies', { name, type: 'customer', parentId: ids.partner })).id;
    await restOk(c.url, key, 'POST', `/companies/${ids[name]}/subscriptions`, { productType: 'endpoint_security', effectiveFrom: '2026-10-01T00:00:00Z' });
  }
  ids.other = (await restOk(c.url, key, 'POST', '/companies', { name: 'Other MSP', type: 'partner' })).id;
  ids.elsewhere = (await restOk(c.url, key, 'POST', '/companies', { name: 'elsewhere', type: 'customer', parentId: ids.other })).id;
});
afterEach(async () => {
  await c.dispose();
});

const usage = (agent: RawAgent, seq: number, day: number, seconds = 600) =>
  agent.send({ usage: { records: [{ header: { stream: 'usage/s', seq }, utcDay: day, awakeSeconds: seconds, bootId: 'b' }] } });

describe('re-enrolment continuity', () => {
  it('a wiped machine (new agent state, same hardware) enrolling again is the same device: new key, the old one refused, audited', async () => {
    const dental = await token(ids.dental);
    const first = await enrol(dental, DELL, 'inst-1');
    usage(first.agent, 1, utcDayOf(clock));
    expect((await first.agent.next()).ack?.seqs).toEqual([1]);
    await first.agent.close();
    // The agent's state directory is wiped (re-image, reinstall, corrupt credentials.json) and it starts again at once.
    const second = await enrol(dental, { ...DELL, osMachineId: 'new-after-reimage' }, 'inst-2');
    expect(second.deviceId).toBe(first.deviceId);
    expect(second.deviceKey).not.toBe(first.deviceKey);
    const old = await connectRaw(c.wsUrl, first.deviceKey);
    expect(old).toMatchObject({ ok: false, status: 401, code: 'invalid_device_key' });
    const devices = (await restOk(c.url, key, 'GET', '/devices')).devices;
    expect(devices).toHaveLength(1);
    expect(devices[0]).toMatchObject({ id: first.deviceId, enrolments: 2, status: 'active' });
    const history = (await restOk(c.url, key, 'GET', `/devices/${first.deviceId}/history`)).history.map((h: { kind: string }) => h.kind);
    expect(history).toEqual(['enrolled', 're_enrolled']);
    const audit = (await restOk(c.url, key, 'GET', '/audit')).entries.map((e: { action: string }) => e.action);
    expect(audit).toContain('device.re_enrol');
    await second.agent.close();
  });

  it("the same hardware with another customer's token of the same partner is a move: one device, billed once, at the new customer", async () => {
    const first = await enrol(await token(ids.dental), DELL, 'inst-1');
    usage(first.agent, 1, utcDayOf(clock) - 3);
    await first.agent.next();
    await first.agent.close();
    const moved = await enrol(await token(ids.legal), DELL, 'inst-2');
    expect(moved.deviceId).toBe(first.deviceId);
    usage(moved.agent, 1, utcDayOf(clock));
    await moved.agent.next();
    const monthly = await restOk(c.url, key, 'GET', '/usage/monthly?month=2026-11');
    const row = (id: string) => monthly.rows.find((r: { companyId: string }) => r.companyId === id);
    expect(row(ids.legal).own.endpointUsage).toBe(1);
    expect(row(ids.dental).own.endpointUsage).toBe(0);
    expect(row(ids.partner).total.endpointUsage).toBe(1);
    expect((await restOk(c.url, key, 'GET', `/devices/${first.deviceId}/history`)).history.map((h: { kind: string }) => h.kind)).toEqual(['enrolled', 're_enrolled', 'moved']);
    await moved.agent.close();
  });

  it("another partner's token on the same hardware is a new device there: identity never reaches across partners", async () => {
    const first = await enrol(await token(ids.dental), DELL, 'inst-1');
    await first.agent.close();
    const there = await enrol(await token(ids.elsewhere), DELL, 'inst-2');
    expect(there.deviceId).not.toBe(first.deviceId);
    await there.agent.close();
  });

  it('two machines with placeholder UUIDs and serials stay two devices (all-zero, all-F and the common firmware default)', async () => {
    const dental = await token(ids.dental);
    const seen = new Set<string>();
    const placeholders = ['03000200-0400-0500-0006-000700080009', '00000000-0000-0000-0000-000000000000', 'FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF'];
    for (const [i, uuid] of placeholders.entries()) {
      for (const n of [1, 2]) {
        const a = await enrol(dental, { hardwareUuid: uuid, systemSerial: 'To Be Filled By O.E.M.', macs: [`a4:bb:6d:00:0${i}:0${n}`] }, `p${i}-${n}`);
        seen.add(a.deviceId);
        await a.agent.close();
      }
    }
    expect(seen.size).toBe(6);
    expect((await restOk(c.url, key, 'GET', '/devices/duplicates')).duplicates).toEqual([]);
  });

  it(`a value ${SHARED_VALUE_DEVICES} machines share (a golden image's machine id, a VPN adapter's MAC) stops matching: 12 clones stay 12 devices, flags stop growing, a re-image still finds its machine by serial`, async () => {
    const image = (n: number) => ({ systemSerial: `CZC00${n}XYZ`, macs: ['02:50:41:00:00:01'], osMachineId: 'a1b2c3d4e5f60718293a4b5c6d7e8f90' });
    const ids12: string[] = [];
    let secret = '';
    for (let n = 1; n <= 12; n++) {
      if (n % 6 === 1) secret = await token(ids.dental); // the test's token rate: 8 at once
      const a = await enrol(secret, image(n), `img-${n}`);
      ids12.push(a.deviceId);
      await a.agent.close();
    }
    expect(new Set(ids12).size).toBe(12);
    // The first eight are flagged with each other (weak evidence in common); from the ninth on the values identify nobody.
    const pairs = (await restOk(c.url, key, 'GET', '/devices/duplicates')).duplicates;
    expect(pairs).toHaveLength((SHARED_VALUE_DEVICES * (SHARED_VALUE_DEVICES - 1)) / 2);
    const flagged = new Set(pairs.flatMap((p: { devices: { id: string }[] }) => p.devices.map((d) => d.id)));
    expect(ids12.filter((id) => flagged.has(id))).toEqual(ids12.slice(0, SHARED_VALUE_DEVICES));
    // Machine 3 re-imaged (a new agent state, the same serial): the same device, still.
    const again = await enrol(await token(ids.dental), image(3), 'img-3-reimaged');
    expect(again.deviceId).toBe(ids12[2]);
    await again.agent.close();
  });

  it('the same hardware while its device is connected is a new device, flagged as a possible duplicate; a clone with the key is still refused', async () => {
    const dental = await token(ids.dental);
    const original = await enrol(dental, DELL, 'inst-1');
    const twin = await enrol(dental, DELL, 'inst-2');
    expect(twin.deviceId).not.toBe(original.deviceId);
    const dups = (await restOk(c.url, key, 'GET', '/devices/duplicates')).duplicates;
    expect(dups).toHaveLength(1);
    expect(dups[0]).toMatchObject({ why: 'active', evidence: expect.arrayContaining([`uuid:${DELL.hardwareUuid}`]) });
    expect(dups[0].devices.map((d: { id: string }) => d.id).sort()).toEqual([original.deviceId, twin.deviceId].sort());
    const clone = await connectOk(c.wsUrl, original.deviceKey);
    clone.send(hello({ hardwareUuid: '9b2f8c1e-77aa-4d3e-9f10-2b6c1a0e5d44', macs: ['00:50:56:aa:bb:cc'] }, 'inst-1'));
    expect((await clone.next()).error?.code).toBe(ErrorCode.CLONE_DETECTED);
    await Promise.all([original.agent.close(), twin.agent.close()]);
  });
});

describe('enrolment token limits', () => {
  it('refuses enrolments past the token\'s limit (re-enrolments count), audits the limit once, and shows the count', async () => {
    const limited = await token(ids.dental, { maxEnrolments: 2 });
    const a = await enrol(limited, DELL, 'inst-1');
    await a.agent.close();
    const again = await enrol(limited, DELL, 'inst-2'); // a re-enrolment: counted
    await again.agent.close();
    // Refused at the upgrade once the count is spent...
    expect(await connectRaw(c.wsUrl, limited)).toMatchObject({ ok: false, status: 403, code: 'token_exhausted' });
    // ...and at the hello for a connection that got past the upgrade before the last slot went (two at once).
    const raced = await token(ids.dental, { maxEnrolments: 1 });
    const [x, y] = await Promise.all([connectOk(c.wsUrl, raced), connectOk(c.wsUrl, raced)]);
    x.send(hello({ hardwareUuid: '9b2f8c1e-77aa-4d3e-9f10-2b6c1a0e5d44' }, 'x'));
    y.send(hello({ hardwareUuid: '1c2f8c1e-77aa-4d3e-9f10-2b6c1a0e5d45' }, 'y'));
    const answers = await Promise.all([x.next(), y.next()]);
    expect(answers.filter((r) => r.welcome)).toHaveLength(1);
    expect(answers.find((r) => r.error)?.error?.code).toBe(ErrorCode.TOKEN_EXHAUSTED);
    await Promise.all([x.close(), y.close()]);
    const listed = (await restOk(c.url, key, 'GET', `/companies/${ids.dental}/enrolment-tokens`)).enrolmentTokens.find((t: { maxEnrolments: number }) => t.maxEnrolments === 2);
    expect(listed).toMatchObject({ enrolments: 2, maxEnrolments: 2, limitReachedAt: new Date(clock).toISOString() });
    const limitAudits = (await restOk(c.url, key, 'GET', '/audit')).entries.filter((e: { action: string }) => e.action === 'enrolment_token.limit_reached');
    expect(limitAudits).toHaveLength(2); // once per token, when its last enrolment was taken
    expect((await restOk(c.url, key, 'GET', '/devices')).devices).toHaveLength(2);
  });

  it('a token revoked, or expired, between the upgrade and the hello enrols nothing (INVALID_TOKEN, 4403); a valid one still does', async () => {
    const created = await restOk(c.url, key, 'POST', `/companies/${ids.dental}/enrolment-tokens`, {});
    const pending = await connectOk(c.wsUrl, created.token);
    await rest(c.url, key, 'DELETE', `/enrolment-tokens/${created.id}`);
    pending.send(hello(DELL, 'late'));
    expect((await pending.next()).error?.code).toBe(ErrorCode.INVALID_TOKEN);
    expect(await pending.closed).toMatchObject({ code: 4403 });
    const expiring = await restOk(c.url, key, 'POST', `/companies/${ids.dental}/enrolment-tokens`, { expiresInDays: 1 });
    const slow = await connectOk(c.wsUrl, expiring.token);
    clock += 2 * DAY;
    slow.send(hello(DELL, 'slow'));
    expect((await slow.next()).error?.code).toBe(ErrorCode.INVALID_TOKEN);
    expect((await restOk(c.url, key, 'GET', '/devices')).devices).toHaveLength(0);
    const fine = await enrol(await token(ids.dental), DELL, 'fine');
    await fine.agent.close();
    expect((await restOk(c.url, key, 'GET', '/devices')).devices).toHaveLength(1);
  });

  it('holds each token to its enrolment rate: a burst past it waits (429, Retry-After) while another token is not held up', async () => {
    const busy = await token(ids.dental);
    for (let i = 0; i < 8; i++) (await enrol(busy, { macs: [`a4:bb:6d:00:00:0${i}`] }, `b-${i}`)).agent.cut();
    const refused = await connectRaw(c.wsUrl, busy);
    expect(refused).toMatchObject({ ok: false, status: 429, code: 'rate_limited' });
    const other = await enrol(await token(ids.legal), DELL, 'calm');
    await other.agent.close();
  });
});

describe('record-day bounds', () => {
  it("refuses usage for days before the agent's first run, accepts from that day on, and counts the refusals", async () => {
    const a = await enrol(await token(ids.dental), DELL, 'inst-1', clock - 2 * DAY);
    usage(a.agent, 1, utcDayOf(clock) - 5);
    const refused = await a.agent.next();
    expect(refused.ack?.rejected?.[0]).toMatchObject({ seq: 1, code: ErrorCode.OUT_OF_RANGE });
    expect(refused.ack?.rejected?.[0]?.message).toMatch(/before this agent's first run/);
    usage(a.agent, 2, utcDayOf(clock) - 2);
    expect((await a.agent.next()).ack?.seqs).toEqual([2]);
    const metrics = await (await fetch(`${c.url}/metrics`)).text();
    expect(metrics).toMatch(/tally_usage_records_total\{outcome="out_of_range"\} 1/);
    const days = (await restOk(c.url, key, 'GET', '/usage?month=2026-11')).devices;
    expect(days).toEqual([expect.objectContaining({ activeDays: 1, awakeSeconds: 600 })]);
    await a.agent.close();
  });

  it(`refuses usage more than ${MAX_DAYS_BEFORE_ENROLMENT} days before enrolment from an agent that does not say its first run`, async () => {
    const a = await enrol(await token(ids.dental), DELL, 'inst-1', 0);
    usage(a.agent, 1, utcDayOf(clock) - MAX_DAYS_BEFORE_ENROLMENT - 1);
    expect((await a.agent.next()).ack?.rejected?.[0]?.code).toBe(ErrorCode.OUT_OF_RANGE);
    usage(a.agent, 2, utcDayOf(clock) - MAX_DAYS_BEFORE_ENROLMENT);
    expect((await a.agent.next()).ack?.seqs).toEqual([2]);
    await a.agent.close();
  });
});

describe('uninstall semantics', () => {
  const uninstall = (agent: RawAgent, seq: number, occurredAtMs: number) =>
    agent.send({ events: { events: [{ header: { stream: 'events/s', seq }, occurredAtMs, uninstalled: { reason: 'removed' } }] } });

  it('refuses an uninstall without a time, before enrolment or in the future (also beyond what a date can hold); takes one within the device\'s life', async () => {
    const a = await enrol(await token(ids.dental), DELL, 'inst-1');
    for (const [seq, at] of [[1, 0], [2, clock - 10 * DAY], [3, clock + DAY], [5, Number.MAX_SAFE_INTEGER], [6, -Number.MAX_SAFE_INTEGER]] as const) {
      uninstall(a.agent, seq, at);
      expect((await a.agent.next()).ack?.rejected?.[0]).toMatchObject({ seq, code: ErrorCode.OUT_OF_RANGE });
    }
    expect((await restOk(c.url, key, 'GET', '/devices')).devices[0].status).toBe('active');
    uninstall(a.agent, 4, clock + 60_000);
    expect((await a.agent.next()).ack?.seqs).toEqual([4]);
    expect((await restOk(c.url, key, 'GET', '/devices')).devices[0]).toMatchObject({ status: 'uninstalled', uninstalledAt: new Date(clock + 60_000).toISOString() });
    await a.agent.close();
  });

  it('usage for a later day clears the uninstall (a reinstall or a rolled-back uninstall); usage of the same day does not', async () => {
    const dental = await token(ids.dental);
    const a = await enrol(dental, DELL, 'inst-1');
    uninstall(a.agent, 1, clock + 60_000);
    await a.agent.next();
    usage(a.agent, 1, utcDayOf(clock));
    await a.agent.next();
    expect((await restOk(c.url, key, 'GET', '/devices')).devices[0].status).toBe('uninstalled');
    await a.agent.close();
    clock += DAY;
    const back = await connectOk(c.wsUrl, a.deviceKey);
    back.send(hello(DELL, 'inst-1'));
    await back.next();
    usage(back, 2, utcDayOf(clock));
    await back.next();
    const [device] = (await restOk(c.url, key, 'GET', '/devices')).devices;
    expect(device).toMatchObject({ status: 'active', uninstalledAt: null });
    const kinds = (await restOk(c.url, key, 'GET', `/devices/${a.deviceId}/history`)).history.map((h: { kind: string }) => h.kind);
    expect(kinds).toEqual(['enrolled', 'uninstalled', 'reinstalled']);
    await back.close();
  });
});

describe('retired devices', () => {
  it("refuse the device's key with device_retired; bringing it back accepts it again", async () => {
    const a = await enrol(await token(ids.dental), DELL, 'inst-1');
    await a.agent.close();
    await restOk(c.url, key, 'POST', `/devices/${a.deviceId}/retire`, {});
    expect(await connectRaw(c.wsUrl, a.deviceKey)).toMatchObject({ ok: false, status: 403, code: 'device_retired' });
    expect((await restOk(c.url, key, 'GET', '/devices')).devices[0]).toMatchObject({ status: 'retired' });
    expect((await rest(c.url, key, 'POST', `/devices/${a.deviceId}/retire`, {})).body.error.code).toBe('conflict');
    await restOk(c.url, key, 'POST', `/devices/${a.deviceId}/retire`, { retired: false });
    const back = await connectRaw(c.wsUrl, a.deviceKey);
    expect(back.ok).toBe(true);
    if (back.ok) await back.agent.close();
  });
});
