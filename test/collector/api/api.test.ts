import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { utcDayOf } from '../../../proto/index.ts';
import { startTestCollector, type TestCollector } from '../../helpers/collector.ts';

const OPEN = { adjustableFromDay: 0 }; // no month finalized in these tests

let c: TestCollector;
let key: string;

beforeEach(async () => {
  c = await startTestCollector();
  key = await c.apiKey();
});
afterEach(async () => {
  await c.dispose();
});

describe('admin API authentication', () => {
  it.each(['/api/v1/devices', '/api/v1/companies', '/api/v1/usage?month=2026-11'])('%s is 401 without a key and with a wrong key', async (path) => {
    const none = await fetch(`${c.url}${path}`);
    expect(none.status).toBe(401);
    expect(((await none.json()) as any).error.code).toBe('unauthorized');
    const wrong = await c.api(path, 'tak_' + 'x'.repeat(43));
    expect(wrong.status).toBe(401);
  });

  it('healthz and metrics need no key', async () => {
    const h = await fetch(`${c.url}/healthz`);
    expect(await h.json()).toEqual({ status: 'ok', storage: 'sqlite' });
    const m = await (await fetch(`${c.url}/metrics`)).text();
    expect(m).toMatch(/^tally_agent_connections 0$/m);
    expect(m).toMatch(/tally_collector_process_resident_memory_bytes/);
  });

  it('unknown routes are 404 with a JSON error', async () => {
    const r = await c.api('/api/v1/nope', key);
    expect(r.status).toBe(404);
    expect(r.body.error.code).toBe('not_found');
  });
});

describe('admin API reads', () => {
  it('lists companies, devices and a month of usage', async () => {
    const { companyId } = await c.enrolmentToken('Contoso');
    const now = Date.now();
    await c.storage.enrolment.enrolDevice({ deviceId: 'dev-1', companyId, keyHash: 'h1', instanceId: 'i1', hostname: 'ws-01', facts: null, agentVersion: '0.1.0', nowMs: now });
    await c.storage.ingest.ingestUsage('dev-1', companyId, [{ stream: 's', seq: 1, utcDay: utcDayOf(Date.UTC(2026, 9, 31)), awakeSeconds: 3600, bootId: 'b' },
      { stream: 's', seq: 2, utcDay: utcDayOf(Date.UTC(2026, 10, 2)), awakeSeconds: 1800, bootId: 'b' }], [], now, OPEN);

    const companies = await c.api('/api/v1/companies', key);
    expect(companies.body.companies).toEqual([expect.objectContaining({ id: companyId, name: 'Contoso', type: 'customer', active: true, parentId: null })]);

    const devices = await c.api('/api/v1/devices', key);
    expect(devices.body.devices).toEqual([expect.objectContaining({ id: 'dev-1', hostname: 'ws-01', companyId, companyName: 'Contoso' })]);
    expect(new Date(devices.body.devices[0].lastSeenAt).getTime()).toBe(now);

    const nov = await c.api('/api/v1/usage?month=2026-11', key);
    expect(nov.body).toEqual({ month: '2026-11', devices: [{ deviceId: 'dev-1', hostname: 'ws-01', companyId, awakeSeconds: 1800, activeDays: 1 }], next: null });
    const oct = await c.api('/api/v1/usage?month=2026-10', key);
    expect(oct.body.devices[0].awakeSeconds).toBe(3600);
    const dec = await c.api('/api/v1/usage?month=2026-12', key);
    expect(dec.body.devices).toEqual([]);
  });

  it.each(['', 'month=2026-13', 'month=26-11', 'month=2026-11&limit=0', 'month=2026-11&limit=abc'])('usage with "%s" is 400 invalid_request', async (qs) => {
    const r = await c.api(`/api/v1/usage?${qs}`, key);
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('invalid_request');
  });
});
