// Limits on the agent endpoint: connections, enrolments and refused
// credentials per address, frames per device.
import { afterEach, describe, expect, it } from 'vitest';
import { ErrorCode, utcDayOf } from '../../../proto/index.ts';
import { KeyedRateLimiter } from '../../../collector/src/ingest/limits.ts';
import { connectOk, connectRaw } from '../../helpers/raw-agent.ts';
import { startTestCollector, type TestCollector } from '../../helpers/collector.ts';

describe('KeyedRateLimiter', () => {
  it('allows a burst of `capacity`, then `perMinute` sustained, per key', () => {
    const l = new KeyedRateLimiter({ capacity: 3, perMinute: 60 });
    const t = 1_000_000;
    expect([1, 2, 3, 4].map(() => l.take('a', t))).toEqual([true, true, true, false]);
    expect(l.take('b', t)).toBe(true); // keys are independent
    expect(l.retryAfterSeconds('a')).toBe(1);
    expect(l.take('a', t + 999)).toBe(false);
    expect(l.take('a', t + 1000)).toBe(true); // one token a second at 60/min
    expect(l.take('a', t + 600_000)).toBe(true);
  });

  it('holds at most maxKeys keys, forgetting the least recently used', () => {
    const l = new KeyedRateLimiter({ capacity: 1, perMinute: 1 }, 100);
    for (let i = 0; i < 1000; i++) l.take(`ip-${i}`, 0);
    expect(l.size).toBe(100);
  });
});

describe('agent endpoint limits', () => {
  let c: TestCollector;
  afterEach(async () => {
    await c.dispose();
  });

  it('refuses connections beyond maxConnections with 503 too_many_connections', async () => {
    c = await startTestCollector({ sockets: { limits: { maxConnections: 2, maxConnectionsPerIp: 10 } } });
    const { token } = await c.enrolmentToken();
    const a = await connectOk(c.wsUrl, token);
    const b = await connectOk(c.wsUrl, token);
    const third = await connectRaw(c.wsUrl, token);
    expect(third.ok).toBe(false);
    if (!third.ok) expect([third.status, third.code]).toEqual([503, 'too_many_connections']);
    a.close();
    b.close();
  });

  it('limits enrolments per address with 429 and Retry-After', async () => {
    c = await startTestCollector({ sockets: { limits: { enrolPerIp: { capacity: 2, perMinute: 1 } } } });
    const { token } = await c.enrolmentToken();
    for (let i = 0; i < 2; i++) (await connectOk(c.wsUrl, token)).close();
    const refused = await connectRaw(c.wsUrl, token);
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect([refused.status, refused.code]).toEqual([429, 'rate_limited']);
  });

  it('makes an address that keeps guessing credentials wait, even with a good token afterwards', async () => {
    c = await startTestCollector({ sockets: { limits: { authFailuresPerIp: { capacity: 3, perMinute: 1 } } } });
    const { token } = await c.enrolmentToken();
    for (let i = 0; i < 3; i++) {
      const r = await connectRaw(c.wsUrl, 'tet_' + String(i).repeat(43));
      expect(r.ok || r.status).toBe(401);
    }
    const blocked = await connectRaw(c.wsUrl, token);
    expect(blocked.ok).toBe(false);
    if (!blocked.ok) expect(blocked.status).toBe(429);
  });

  it('limits frames per device: the frame over the limit is refused whole, with RATE_LIMITED and close 4429', async () => {
    c = await startTestCollector({ sockets: { limits: { framesPerDevice: { capacity: 3, perMinute: 1 } } } });
    const { token } = await c.enrolmentToken();
    const agent = await connectOk(c.wsUrl, token);
    agent.send({ hello: { agentVersion: '1', instanceId: 'i', facts: { hostname: 'h' } } });
    await agent.next();
    const day = utcDayOf(Date.now());
    for (let seq = 1; seq <= 3; seq++) {
      agent.send({ usage: { records: [{ header: { stream: 's', seq }, utcDay: day, awakeSeconds: 10, bootId: 'b' }] } });
      expect((await agent.next()).ack!.seqs).toEqual([seq]);
    }
    agent.send({ usage: { records: [{ header: { stream: 's', seq: 4 }, utcDay: day, awakeSeconds: 10, bootId: 'b' }] } });
    expect((await agent.next()).error!.code).toBe(ErrorCode.RATE_LIMITED);
    expect((await agent.closed).code).toBe(4429);
    const page = await c.storage.adminRead.usageForDays(day, day + 1, { after: null, limit: 10 });
    expect(page.items[0].awakeSeconds).toBe(30);
  });
});
