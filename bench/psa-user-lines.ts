// npx tsx bench/psa-user-lines.ts [--companies N]
// What the user-billing units add to the PSA lines (psa/sync.ts tallyLines):
// the two product types' endpoint reports (baseline: the lines before user
// units) against the user usage summary pass they now also read. SQLite,
// open month, ratios measured in the same run.
import { parseArgs } from 'node:util';
import { BACKENDS, DAY, OCT_1, world } from '../test/collector/psa/fixture.ts';

const { values } = parseArgs({ options: { companies: { type: 'string' } } });
const n = Number(values.companies ?? '200');
const w = await world(BACKENDS[0]);
try {
  for (let i = 0; i < n; i++) {
    const c = await w.seed.company(`Bench ${i}`, { type: 'customer', atMs: OCT_1 - 60 * DAY, subscription: { effectiveFromMs: OCT_1 - 30 * DAY } });
    const u = await w.storage.tenancy.upsertUser({ id: `u-${i}`, companyId: c.id, externalId: `u${i}`, displayName: null, nowMs: w.clock.now });
    for (let d = 0; d < 5; d++) {
      const dev = await w.seed.device(c.id, { atMs: OCT_1 });
      if (d < 2) await w.storage.tenancy.assignDeviceUser(dev, u.id);
      await w.seed.awakeDays(dev, c.id, [3, 4].map((x) => ({ dayMs: OCT_1 + x * DAY, seconds: 3600 })));
    }
  }
  const time = async (f: () => Promise<unknown>) => {
    const t0 = performance.now();
    for (let r = 0; r < 3; r++) await f();
    return (performance.now() - t0) / 3;
  };
  const reports = await time(async () => { await w.reader.endpointReport('2026-10', 'endpoint_security'); await w.reader.endpointReport('2026-10', 'edr'); });
  const users = await time(() => w.reader.userUsageSummary('2026-10'));
  console.log(`${n} companies, ${n * 5} endpoints: endpoint reports ${reports.toFixed(1)} ms (baseline), user usage summary ${users.toFixed(1)} ms (${(users / reports).toFixed(2)}x)`);
} finally {
  await w.close();
}
