// The usage page's daily chart agrees with its table (issue 21): a finalized
// month with active devices draws them (it drew 0 active endpoints), and an
// add-on a company has not enabled is not charted (Integrity Monitoring was
// charted at its peak while the table said "Not enabled"); where it is
// enabled it is. Over HTTP with a console session; the chart's figures are
// read from its data table (the same numbers the SVG draws).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IDeviceFacts } from '../../../proto/index.ts';
import { startTestCollector, type TestCollector } from '../../helpers/collector.ts';
import { consoleSession, type ConsoleClient } from '../../helpers/http.ts';
import { Seeder } from '../../helpers/seed.ts';

const DAY = 86_400_000;
let col: TestCollector;
let session: ConsoleClient;
const ids: Record<string, string> = {};
const now = new Date();
const lastMonth = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1));
const LAST = lastMonth.toISOString().slice(0, 7);

const facts = (hostname: string): IDeviceFacts => ({
  hostname, os: { platform: 'windows', name: 'Windows 11 Pro', version: '23H2' }, virtualization: { virtual: false }, role: { role: 'workstation' },
  modules: [{ name: 'antimalware', installed: true }, { name: 'integrity_monitoring', installed: true, tier: '90d' }],
}) as IDeviceFacts;

/** The chart's series of a usage page: label -> the figure of each day. */
async function chartOf(companyId: string): Promise<Map<string, number[]>> {
  const page = await session.get(`/console/companies/${companyId}?month=${LAST}`);
  expect(page.status).toBe(200);
  const table = /<details class="chart-data">[\s\S]*?<\/details>/.exec(page.text)![0];
  const labels = [.../<thead>([\s\S]*?)<\/thead>/.exec(table)![1].matchAll(/<th scope="col">([^<]*)<\/th>/g)].map((m) => m[1]).slice(1);
  const series = new Map(labels.map((l) => [l, [] as number[]]));
  for (const row of /<tbody>([\s\S]*?)<\/tbody>/.exec(table)![1].split('</tr>').filter((r) => r.includes('<td'))) {
    [...row.matchAll(/<td class="num">(\d+)<\/td>/g)].forEach((m, i) => series.get(labels[i])!.push(Number(m[1])));
  }
  return series;
}

describe('the usage chart agrees with the table', () => {
  beforeAll(async () => {
    col = await startTestCollector();
    const seed = new Seeder(col.storage);
    const at = lastMonth.getTime() - 30 * DAY;
    ids.partner = (await seed.company('North Partner', { type: 'partner', atMs: at })).id;
    // Both report integrity monitoring on their devices; only Baker has it enabled.
    ids.acme = (await seed.company('Acme Dental', { parentId: ids.partner, atMs: at, subscription: { effectiveFromMs: at } })).id;
    ids.baker = (await seed.company('Baker Legal', { parentId: ids.partner, atMs: at, subscription: { effectiveFromMs: at, addOns: { integrityMonitoring: '90d' } } })).id;
    for (const [company, n] of [[ids.acme, 3], [ids.baker, 2]] as const) {
      for (let i = 0; i < n; i++) {
        const id = await seed.device(company, { facts: facts(`${company.slice(0, 4)}-${i}`), atMs: at });
        // Days 1-10 of last month, 2 hours each.
        await seed.awakeDays(id, company, Array.from({ length: 10 }, (_, d) => ({ dayMs: lastMonth.getTime() + d * DAY, seconds: 7_200 })));
      }
    }
    await col.closer.closeMonth(LAST);
    session = await consoleSession(col.url, await col.apiKey());
  }, 30_000);
  afterAll(async () => {
    await col?.dispose();
  });

  it('draws a finalized month\'s active endpoints, day by day', async () => {
    expect((await session.get(`/console/companies/${ids.partner}?month=${LAST}`)).text).toMatch(/id="month-status">Finalized</);
    const partner = await chartOf(ids.partner);
    const active = partner.get('Active endpoints')!;
    expect(active.slice(0, 10)).toEqual(Array(10).fill(5));
    expect(active.slice(10).every((v) => v === 0)).toBe(true);
    expect((await chartOf(ids.acme)).get('Active endpoints')!.slice(0, 10)).toEqual(Array(10).fill(3));
  });

  it('charts an add-on only where it is enabled', async () => {
    // Acme has not enabled integrity monitoring: its table says Not enabled, and its chart shows none.
    const acmePage = (await session.get(`/console/companies/${ids.acme}?month=${LAST}`)).text;
    const cell = /<td[^>]*data-col="integrityMonitoringUsage"[^>]*>([\s\S]*?)<\/td>/.exec(acmePage)?.[1] ?? '';
    expect(cell.replace(/<[^>]+>/g, '').trim()).toBe('Not enabled');
    expect([...(await chartOf(ids.acme)).keys()].filter((k) => /Integrity/.test(k))).toEqual([]);
    // Baker has: charted with its two devices. The partner's chart counts Baker's, never Acme's.
    const im = (series: Map<string, number[]>) => [...series.entries()].find(([k]) => /Integrity/.test(k))?.[1] ?? [];
    expect(Math.max(...im(await chartOf(ids.baker)))).toBe(2);
    expect(Math.max(...im(await chartOf(ids.partner)))).toBe(2);
  });
});
