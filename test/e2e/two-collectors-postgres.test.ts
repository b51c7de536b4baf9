// Two real `tally-collector serve` processes on one PostgreSQL database, as
// behind a load balancer: agents enrol on either, a device moves between
// them, resends what one collector stored to the other, and even talks to
// both at once. Both collectors must then answer the same monthly usage, and
// it must be exactly what one collector would have counted.
import { shouldRun } from '../helpers/requirements.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AGENT_WS_PATH, utcDayOf } from '../../proto/index.ts';
import { createTestDatabase, pgServerConfigured, pgTestSetting, PG_URL_VAR, type TestDatabase } from '../helpers/postgres.ts';
import { COLLECTOR_BIN, runCommand, startCollectorProcess, type Proc } from '../helpers/processes.ts';
import { connectOk, type RawAgent } from '../helpers/raw-agent.ts';

const setting = pgTestSetting();

type Collector = Proc & { url: string; port: number };

const wsUrl = (c: Collector) => `ws://127.0.0.1:${c.port}${AGENT_WS_PATH}`;

const record = (seq: number, seconds: number, day: number) => ({ header: { stream: 'usage/main', seq }, utcDay: day, awakeSeconds: seconds, bootId: 'boot-1' });

/** Opens a session: enrolment with a token, or reconnection with the device key; resolves after the welcome. */
async function session(c: Collector, secret: string, hostname: string): Promise<{ agent: RawAgent; deviceId: string; deviceKey: string }> {
  const agent = await connectOk(wsUrl(c), secret);
  agent.send({ hello: { agentVersion: '0.1.0', instanceId: `inst-${hostname}`, facts: { hostname } } });
  const welcome = (await agent.next()).welcome!;
  return { agent, deviceId: welcome.deviceId!, deviceKey: welcome.deviceKey || secret };
}

/** Sends one usage batch and returns the acknowledged sequences. */
async function send(agent: RawAgent, records: ReturnType<typeof record>[], oldestUnackedSeq?: number): Promise<number[]> {
  agent.send({ usage: { records, floors: oldestUnackedSeq ? [{ stream: 'usage/main', oldestUnackedSeq }] : [] } });
  const ack = (await agent.next(10_000)).ack!;
  expect(ack.rejected ?? []).toEqual([]);
  return (ack.seqs ?? []).map(Number);
}

async function get(c: Collector, key: string, path: string): Promise<any> {
  const res = await fetch(`${c.url}${path}`, { headers: { authorization: `Bearer ${key}` } });
  expect(res.status, `${path} on ${c.url}`).toBe(200);
  return res.json();
}

// Outside CI without a server the suite is skipped with a warning; under CI a missing or
// unreachable server fails it (.ci/run starts one and sets TALLY_TEST_PG_URL).
const run = shouldRun('two collectors on one PostgreSQL database', pgServerConfigured(setting));

describe.skipIf(!run)('two collectors on one PostgreSQL database', () => {
  describe('two collectors on one PostgreSQL database', () => {
    let db: TestDatabase;
    const collectors: Collector[] = [];
    const agents: RawAgent[] = [];

    beforeAll(async () => {
      db = await createTestDatabase(setting.run ? setting.url : '');
    });
    afterAll(async () => {
      for (const a of agents) a.close();
      for (const c of collectors) await c.stop('SIGKILL');
      await db?.drop();
    });

    it('stores every record once whichever collector gets it, and both answer the same monthly usage', async () => {
      // Both start at the same moment on an empty database: one migrates, the other waits for it.
      // A runs PostgreSQL's default of two group commits at once, B is told to run three.
      const [a, b] = await Promise.all([startCollectorProcess(db.url), startCollectorProcess(db.url, ['--ingest-commits', '3'])]);
      collectors.push(a, b);
      const commitLimit = async (c: typeof a) => /^tally_ingest_group_commits_limit (\d+)$/m.exec(await (await fetch(`${c.url}/metrics`)).text())?.[1];
      expect([await commitLimit(a), await commitLimit(b)]).toEqual(['2', '3']);
      const key = runCommand(COLLECTOR_BIN, ['apikey', 'create', '--init', '--db', db.url]);
      const token = runCommand(COLLECTOR_BIN, ['token', 'create', '--company', 'Acme Dental', '--init', '--db', db.url]);
      const day = utcDayOf(Date.now());
      const month = new Date().toISOString().slice(0, 7);

      // laptop-1 enrols on A, moves to B (resending what A already stored), then back to A.
      const l1 = await session(a, token, 'laptop-1');
      agents.push(l1.agent);
      expect(await send(l1.agent, [record(1, 100, day), record(2, 100, day), record(3, 100, day)])).toEqual([1, 2, 3]);
      l1.agent.close();
      const l1b = await session(b, l1.deviceKey, 'laptop-1');
      agents.push(l1b.agent);
      expect(l1b.deviceId).toBe(l1.deviceId);
      // Acks for 1..3 were "lost": all five are acknowledged, only 4 and 5 are new.
      expect(await send(l1b.agent, [1, 2, 3, 4, 5].map((s) => record(s, 100, day)))).toEqual([1, 2, 3, 4, 5]);
      l1b.agent.close();
      const l1a = await session(a, l1.deviceKey, 'laptop-1');
      agents.push(l1a.agent);
      expect(await send(l1a.agent, [record(5, 100, day), record(6, 100, day)], 5)).toEqual([5, 6]);
      // Below the floor B's batch settled: a stray resend of seq 2 to B is a duplicate.
      const l1b2 = await session(b, l1.deviceKey, 'laptop-1');
      agents.push(l1b2.agent);
      expect(await send(l1b2.agent, [record(2, 100, day)])).toEqual([2]);

      // laptop-2 enrols on B; its resends go to A.
      const l2 = await session(b, token, 'laptop-2');
      agents.push(l2.agent);
      expect(await send(l2.agent, [record(1, 200, day), record(2, 200, day)])).toEqual([1, 2]);
      const l2a = await session(a, l2.deviceKey, 'laptop-2');
      agents.push(l2a.agent);
      expect(await send(l2a.agent, [record(1, 200, day), record(2, 200, day), record(3, 200, day)])).toEqual([1, 2, 3]);

      // server-1 is connected to both at once (its old socket still drains) and
      // the same batch reaches both collectors simultaneously; a second batch would pass a whole day.
      const s1 = await session(a, token, 'server-1');
      agents.push(s1.agent);
      const s1b = await session(b, s1.deviceKey, 'server-1');
      agents.push(s1b.agent);
      const batch = [record(1, 40_000, day), record(2, 40_000, day)];
      const both = await Promise.all([send(s1.agent, batch), send(s1b.agent, batch)]);
      expect(both).toEqual([[1, 2], [1, 2]]);
      await Promise.all([send(s1.agent, [record(3, 40_000, day)]), send(s1b.agent, [record(3, 40_000, day), record(4, 1, day)])]);

      // What one collector would count: each (device, seq) once, a day capped at 86,400 s.
      const expected = [
        { hostname: 'laptop-1', awakeSeconds: 600, activeDays: 1 },
        { hostname: 'laptop-2', awakeSeconds: 600, activeDays: 1 },
        { hostname: 'server-1', awakeSeconds: 86_400, activeDays: 1 },
      ];
      const [usageA, usageB] = await Promise.all([get(a, key, `/api/v1/usage?month=${month}`), get(b, key, `/api/v1/usage?month=${month}`)]);
      expect(usageA).toEqual(usageB);
      expect(usageA.devices.map((d: any) => ({ hostname: d.hostname, awakeSeconds: d.awakeSeconds, activeDays: d.activeDays }))
        .sort((x: any, y: any) => x.hostname.localeCompare(y.hostname))).toEqual(expected);

      // The monthly bill, with a subscription added through A, read from both.
      const companyId = usageA.devices[0].companyId;
      const sub = await fetch(`${a.url}/api/v1/companies/${companyId}/subscriptions`, {
        method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ productType: 'endpoint_security', effectiveFrom: `${month}-01T00:00:00Z` }),
      });
      expect(sub.status).toBe(201);
      const path = `/api/v1/usage/monthly?month=${month}&productType=endpoint_security`;
      const [monthlyA, monthlyB] = await Promise.all([get(a, key, path), get(b, key, path)]);
      expect(monthlyA).toEqual(monthlyB);
      const row = monthlyA.rows.find((r: any) => r.companyId === companyId);
      expect(row.own.endpointUsage).toBe(3);

      // Both schedulers ran at start and raced to finalize the month before
      // last: one won, the other saw a conflict and stayed quiet.
      const now = new Date();
      const monthBeforeLast = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 2, 1)).toISOString().slice(0, 7);
      const [viewA, viewB] = await Promise.all([get(a, key, `/api/v1/months/${monthBeforeLast}`), get(b, key, `/api/v1/months/${monthBeforeLast}`)]);
      expect(viewA).toEqual(viewB);
      expect(viewA).toMatchObject({ status: 'finalized', adjustments: [] });
      const finalizations = [...a.logs, ...b.logs].filter((l) => l.msg === 'month finalized' && l.month === monthBeforeLast);
      expect(finalizations).toHaveLength(1);
      expect([...a.logs, ...b.logs].filter((l) => l.level === 'error')).toEqual([]);
    });
  });
});
