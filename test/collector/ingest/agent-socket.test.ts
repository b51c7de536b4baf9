// The agent endpoint over real WebSockets on loopback against real SQLite.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AGENT_WS_PATH, ErrorCode, utcDayOf } from '../../../proto/index.ts';
import { connectOk, connectRaw, type RawAgent } from '../../helpers/raw-agent.ts';
import { startTestCollector, type TestCollector } from '../../helpers/collector.ts';

let c: TestCollector;
const today = () => utcDayOf(Date.now());

beforeEach(async () => {
  c = await startTestCollector();
});
afterEach(async () => {
  await c.dispose();
});

async function enrol(instanceId = 'inst-1', hostname = 'laptop-1'): Promise<{ agent: RawAgent; deviceId: string; deviceKey: string }> {
  const { token } = await c.enrolmentToken();
  const agent = await connectOk(c.wsUrl, token);
  agent.send({ hello: { agentVersion: '0.1.0', instanceId, facts: { hostname } } });
  const welcome = (await agent.next()).welcome!;
  return { agent, deviceId: welcome.deviceId!, deviceKey: welcome.deviceKey! };
}

const usage = (seq: number, seconds: number, stream = 'usage/a', day = today()) =>
  ({ header: { stream, seq }, utcDay: day, awakeSeconds: seconds, bootId: 'boot-1' });

describe('enrolment and authentication', () => {
  it('enrols with a token, issues a device key, and accepts the key on reconnect', async () => {
    const { agent, deviceId, deviceKey } = await enrol();
    expect(deviceKey).toMatch(/^tdk_/);
    agent.close();
    const again = await connectOk(c.wsUrl, deviceKey);
    again.send({ hello: { agentVersion: '0.1.1', instanceId: 'inst-1', facts: { hostname: 'laptop-1' } } });
    const welcome = (await again.next()).welcome!;
    expect(welcome.deviceId).toBe(deviceId);
    expect(welcome.deviceKey ?? '').toBe(''); // a key is issued once, at enrolment
    again.close();
    // Stored hashed: the clear key is nowhere in the database files.
    const files = readdirSync(c.dir).filter((f) => f.startsWith('tally.db')).map((f) => readFileSync(join(c.dir, f)).toString('latin1')).join('');
    expect(files).not.toContain(deviceKey);
  });

  it.each([
    ['no credentials', null, 401, 'missing_credentials'],
    ['a wrong token', 'tet_' + 'A'.repeat(43), 401, 'invalid_token'],
    ['a wrong device key', 'tdk_' + 'B'.repeat(43), 401, 'invalid_device_key'],
    ['garbage', 'hello', 401, 'invalid_token'],
  ])('refuses the upgrade with %s', async (_name, secret, status, code) => {
    const r = await connectRaw(c.wsUrl, secret);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.status).toBe(status);
      expect(r.code).toBe(code);
      expect(JSON.parse(r.body).error.code).toBe(code);
    }
  });

  it('refuses an expired enrolment token', async () => {
    const { token } = await c.enrolmentToken('Old Co', { expiresAtMs: Date.now() - 1 });
    const r = await connectRaw(c.wsUrl, token);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(JSON.parse(r.body).error.message).toMatch(/expired/);
  });

  it('answers 404 on other WebSocket paths', async () => {
    const { token } = await c.enrolmentToken();
    const r = await connectRaw(c.wsUrl.replace(AGENT_WS_PATH, '/elsewhere'), token);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.status).toBe(404);
  });
});

describe('usage', () => {
  it('acknowledges records only after they are stored, and a resend changes nothing', async () => {
    const { agent, deviceId } = await enrol();
    agent.send({ usage: { records: [usage(1, 300), usage(2, 300)] } });
    const ack = (await agent.next()).ack!;
    expect(ack.stream).toBe('usage/a');
    expect(ack.seqs).toEqual([1, 2]);
    agent.send({ usage: { records: [usage(1, 300), usage(2, 300), usage(3, 60)] } }); // ack lost, agent resends
    expect((await agent.next()).ack!.seqs).toEqual([1, 2, 3]);
    const key = await c.apiKey();
    const month = new Date().toISOString().slice(0, 7);
    const res = await c.api(`/api/v1/usage?month=${month}`, key);
    expect(res.body.devices).toEqual([{ deviceId, hostname: 'laptop-1', companyId: expect.any(String), awakeSeconds: 660, activeDays: 1 }]);
    agent.close();
  });

  it('rejects a bad record on its own and stores the good ones of the same batch', async () => {
    const { agent } = await enrol();
    agent.send({ usage: { records: [usage(1, 300), usage(2, 90_000), usage(3, 30, 'usage/a', 100)] } });
    const ack = (await agent.next()).ack!;
    expect(ack.seqs).toEqual([1]);
    expect(ack.rejected!.map((r) => [r.seq, r.code])).toEqual([[2, ErrorCode.INVALID_RECORD], [3, ErrorCode.INVALID_RECORD]]);
    expect(ack.rejected![0].message).toMatch(/awake_seconds 90000/);
    agent.close();
  });

  it('refuses usage before hello with PROTOCOL_VIOLATION and close code 4400', async () => {
    const { token } = await c.enrolmentToken();
    const agent = await connectOk(c.wsUrl, token);
    agent.send({ usage: { records: [usage(1, 300)] } });
    expect((await agent.next()).error!.code).toBe(ErrorCode.PROTOCOL_VIOLATION);
    expect((await agent.closed).code).toBe(4400);
  });
});

describe('bad frames', () => {
  it('closes with 4400 and BAD_FRAME on bytes that do not decode, without harming another agent', async () => {
    const good = await enrol('inst-good', 'good');
    const bad = await enrol('inst-bad', 'bad');
    bad.agent.sendRaw(Buffer.from([0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x01]));
    const err = (await bad.agent.next()).error!;
    expect(err.code).toBe(ErrorCode.BAD_FRAME);
    expect(err.message).toMatch(/does not decode/);
    expect((await bad.agent.closed).code).toBe(4400);
    good.agent.send({ usage: { records: [usage(1, 120)] } });
    expect((await good.agent.next()).ack!.seqs).toEqual([1]);
    good.agent.close();
  });

  it('closes with 4400 and UNKNOWN_MESSAGE on an envelope with an unknown body', async () => {
    const { agent } = await enrol();
    // Field 99, varint: a body type from a future protocol version.
    agent.sendRaw(Buffer.from([0x98, 0x06, 0x01]));
    expect((await agent.next()).error!.code).toBe(ErrorCode.UNKNOWN_MESSAGE);
    expect((await agent.closed).code).toBe(4400);
  });

  it('closes with 4400 on a text frame', async () => {
    const { agent } = await enrol();
    agent.sendRaw('{"usage": 1}');
    expect((await agent.next()).error!.code).toBe(ErrorCode.BAD_FRAME);
    expect((await agent.closed).code).toBe(4400);
  });

  it('closes with 1009 on a frame above the 1 MiB limit', async () => {
    const { agent } = await enrol();
    agent.sendRaw(Buffer.alloc((1 << 20) + 1, 0));
    expect((await agent.closed).code).toBe(1009);
  });

  it('closes with 4408 when no hello arrives in time', async () => {
    await c.dispose();
    c = await startTestCollector({ sockets: { helloTimeoutMs: 200 } });
    const { token } = await c.enrolmentToken();
    const agent = await connectOk(c.wsUrl, token);
    expect((await agent.closed).code).toBe(4408);
    // One that said hello in time is left alone by the sweep that closed the other.
    const { agent: greeted } = await enrol();
    await new Promise((r) => setTimeout(r, 600));
    expect(greeted.open).toBe(true);
    await greeted.close();
  });
});
