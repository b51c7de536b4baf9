// Per-device bounds on the agent endpoint, over real sockets against real
// SQLite: new stream names beyond --max-streams-per-device, events larger than
// --max-event-bytes and events beyond --events-per-device are each refused with
// a stable code in the ack, while the rest of the same frame is stored and the
// connection stays up. Each is counted in /metrics.
import { afterEach, describe, expect, it } from 'vitest';
import { ErrorCode, utcDayOf } from '../../../proto/index.ts';
import { RawConnection } from '../../../proto/raw-client.ts';
import { startTestCollector, type TestCollector } from '../../helpers/collector.ts';

let c: TestCollector;
afterEach(async () => {
  await c.dispose();
});

const day = () => utcDayOf(Date.now());
const rec = (stream: string, seq: number) => ({ header: { stream, seq }, utcDay: day(), awakeSeconds: 100, bootId: 'b' });
const metric = async (name: string) => {
  const text = await (await fetch(`${c.url}/metrics`)).text();
  return Number(new RegExp(`^${name.replace(/[{}]/g, (m) => `\\${m}`)} (\\S+)$`, 'm').exec(text)?.[1] ?? 0);
};
const stored = async () => (await c.storage.adminRead.usageForDays(day(), day() + 1, { after: null, limit: 10 })).items.reduce((n, d) => n + d.awakeSeconds, 0);

async function enrolled(): Promise<{ agent: RawConnection; key: string; deviceId: string }> {
  const { token } = await c.enrolmentToken();
  const agent = await RawConnection.open(c.wsUrl, token);
  agent.send({ hello: { agentVersion: '1', instanceId: 'inst-1', facts: { hostname: 'pc-1' } } });
  const w = (await agent.next()).welcome!;
  return { agent, key: w.deviceKey!, deviceId: w.deviceId! };
}

/** The ack(s) of one frame, by stream. */
async function acks(agent: RawConnection, streams: number) {
  const out = new Map<string, { seqs: number[]; rejected: { seq: number; code: number }[] }>();
  for (let i = 0; i < streams; i++) {
    const a = (await agent.next()).ack!;
    out.set(a.stream!, { seqs: (a.seqs ?? []).map(Number), rejected: (a.rejected ?? []).map((r) => ({ seq: Number(r.seq), code: r.code! })) });
  }
  return out;
}

describe('streams per device', () => {
  it('refuses records of a new stream over the bound with TOO_MANY_STREAMS; the frame\'s other records are stored, also after a reconnect', async () => {
    c = await startTestCollector({ sockets: { limits: { streamsPerDevice: { max: 3, windowMs: 30 * 86_400_000 } } } });
    const { agent, key } = await enrolled();
    agent.send({ usage: { records: [rec('s1', 1), rec('s2', 1), rec('s3', 1)] } });
    expect([...(await acks(agent, 3)).values()].map((a) => a.seqs)).toEqual([[1], [1], [1]]);
    // A fourth name: refused for good, record by record; s1's record in the same frame is stored.
    agent.send({ usage: { records: [rec('s1', 2), rec('s4', 1), rec('s4', 2)] } });
    const a = await acks(agent, 2);
    expect(a.get('s1')).toEqual({ seqs: [2], rejected: [] });
    expect(a.get('s4')).toEqual({ seqs: [], rejected: [{ seq: 1, code: ErrorCode.TOO_MANY_STREAMS }, { seq: 2, code: ErrorCode.TOO_MANY_STREAMS }] });
    expect(await stored()).toBe(400);
    // Events and inventories on new names are held to the same bound.
    agent.send({ events: { events: [{ header: { stream: 'e9', seq: 1 }, occurredAtMs: Date.now(), userSignedIn: { user: { userId: 'u' } } }] } });
    expect((await acks(agent, 1)).get('e9')!.rejected[0].code).toBe(ErrorCode.TOO_MANY_STREAMS);
    agent.send({ inventory: { header: { stream: 'inv', seq: 1 }, facts: { hostname: 'pc-1' } } });
    expect((await acks(agent, 1)).get('inv')!.rejected[0].code).toBe(ErrorCode.TOO_MANY_STREAMS);
    agent.close();
    // A new connection buys no fresh allowance; the device's own streams still work.
    const again = await RawConnection.open(c.wsUrl, key);
    again.send({ hello: { agentVersion: '1', instanceId: 'inst-1', facts: { hostname: 'pc-1' } } });
    await again.next();
    again.send({ usage: { records: [rec('s4', 3), rec('s2', 2)] } });
    const b = await acks(again, 2);
    expect(b.get('s4')!.rejected.map((r) => r.code)).toEqual([ErrorCode.TOO_MANY_STREAMS]);
    expect(b.get('s2')!.seqs).toEqual([2]);
    expect(await stored()).toBe(500);
    expect(await metric('tally_agent_bound_refusals_total{reason="too_many_streams"}')).toBe(5);
    again.close();
  });
});

describe('events per device', () => {
  it('refuses an event larger than the bound with EVENT_TOO_LARGE and stores the others of its frame', async () => {
    c = await startTestCollector({ sockets: { limits: { maxEventBytes: 300 } } });
    const { agent, deviceId } = await enrolled();
    const ev = (seq: number, reason: string) => ({ header: { stream: 'ev', seq }, occurredAtMs: Date.now(), uninstalled: { reason } });
    agent.send({ events: { events: [ev(1, 'x'.repeat(400)), ev(2, 'msiexec /x')] } });
    const a = (await acks(agent, 1)).get('ev')!;
    expect(a).toEqual({ seqs: [2], rejected: [{ seq: 1, code: ErrorCode.EVENT_TOO_LARGE }] });
    const device = (await c.storage.adminRead.listDevices({ after: null, limit: 10 })).items.find((d) => d.id === deviceId)!;
    expect(device.uninstalledAtMs).not.toBeNull(); // the small one was stored and acted on
    expect(await metric('tally_agent_bound_refusals_total{reason="event_too_large"}')).toBe(1);
    agent.close();
  });

  it('refuses events beyond the device\'s allowance with TOO_MANY_EVENTS; usage is unaffected', async () => {
    c = await startTestCollector({ sockets: { limits: { eventsPerDevice: { capacity: 3, perMinute: 1 } } } });
    const { agent } = await enrolled();
    const ev = (seq: number) => ({ header: { stream: 'ev', seq }, occurredAtMs: Date.now(), userSignedIn: { user: { userId: `u${seq}` } } });
    agent.send({ events: { events: [1, 2, 3, 4, 5].map(ev) } });
    const a = (await acks(agent, 1)).get('ev')!;
    expect(a.seqs).toEqual([1, 2, 3]);
    expect(a.rejected).toEqual([{ seq: 4, code: ErrorCode.TOO_MANY_EVENTS }, { seq: 5, code: ErrorCode.TOO_MANY_EVENTS }]);
    agent.send({ usage: { records: [rec('u', 1)] } });
    expect((await acks(agent, 1)).get('u')!.seqs).toEqual([1]);
    expect(await stored()).toBe(100);
    expect(await metric('tally_agent_bound_refusals_total{reason="too_many_events"}')).toBe(2);
    agent.close();
  });
});
