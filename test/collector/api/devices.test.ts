// GET /api/v1/devices as the README promises it: status, the user binding
// (an admin's, else the agent's) and the operating system, for the key's
// scope or one company's subtree (?companyId=). Real collector on loopback.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCollector, type TestCollector } from '../../helpers/collector.ts';
import { restOk } from '../../helpers/http.ts';
import { NOW, seed, type Seeded } from '../console/seed.ts';

let col: TestCollector;
let data: Seeded;

beforeAll(async () => {
  col = await startTestCollector({ now: () => NOW });
  data = await seed(col.storage);
}, 60_000);
afterAll(async () => col?.dispose());

describe('GET /api/v1/devices', () => {
  it('gives each device its status, user binding and operating system', async () => {
    const { devices } = await restOk(col.url, data.keys.installation, 'GET', `/devices?companyId=${data.alpha}`);
    const byHost = new Map((devices as any[]).map((d) => [d.hostname, d]));
    expect(byHost.get('alpha-ws1')).toMatchObject({
      status: 'active', companyId: data.alpha,
      user: { externalId: 'dana@alpha.example', displayName: 'Dana Smile', boundBy: 'admin' },
      os: { platform: 'windows', name: 'Windows 11 Pro 23H2' },
    });
    expect(byHost.get('alpha-vs1')).toMatchObject({ user: null, os: { platform: 'linux', name: 'Ubuntu 24.04' } });
    expect(byHost.get('alpha-gone')!.status).toBe('uninstalled');
    expect(byHost.get('alpha-clone')!.status).toBe('clone_suspected');
    // ?companyId= keeps that company's subtree: nothing of Beta Law or the other partner.
    expect(new Set((devices as any[]).map((d) => d.companyId))).toEqual(new Set([data.alpha]));
    const north = (await restOk(col.url, data.keys.installation, 'GET', `/devices?companyId=${data.north}`)).devices as any[];
    expect(new Set(north.map((d) => d.companyName))).toEqual(new Set(['Alpha Dental', 'Beta Law']));
  });
});
