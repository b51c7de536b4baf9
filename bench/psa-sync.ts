// npx tsx bench/psa-sync.ts [--companies N]
// What PSA sync costs over the PSA export it replaces: the same month's
// billable lines read for the export (baseline), then a first sync to the
// ConnectWise emulator on loopback (every line created), then a repeated sync
// (every line read, nothing written). Figures with ratios to the baseline
// measured in the same run; SQLite; loopback only.
import { parseArgs } from 'node:util';
import { COMMANDS } from '../collector/src/admin/index.ts';
import { tallyLines, type SyncOutcome } from '../collector/src/psa/sync.ts';
import { BACKENDS, DAY, OCT_1, connectAndMap, world } from '../test/collector/psa/fixture.ts';

const { values } = parseArgs({ options: { companies: { type: 'string' } } });
const n = Number(values.companies ?? '200');
const w = await world(BACKENDS[0]);
try {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const c = await w.seed.company(`Bench ${i}`, { type: 'customer', atMs: OCT_1 - 60 * DAY, subscription: { effectiveFromMs: OCT_1 - 30 * DAY } });
    for (let d = 0; d < 5; d++) {
      const dev = await w.seed.device(c.id, { atMs: OCT_1 });
      await w.seed.awakeDays(dev, c.id, [3, 4].map((x) => ({ dayMs: OCT_1 + x * DAY, seconds: 3600 })));
    }
    w.cw.companies.push({ id: 1000 + i, name: `Bench ${i}` });
    w.cw.agreements.push({ id: 20000 + i, name: `Bench ${i} MSA`, company: { id: 1000 + i }, cancelledFlag: false, agreementStatus: 'Active' });
    ids.push(c.id);
  }
  await connectAndMap(w, 'connectwise');
  for (let i = 0; i < n; i++) await w.run(COMMANDS.setPsaMapping, { kind: 'connectwise' }, { companyId: ids[i], psaCompanyId: String(1000 + i), agreementId: String(20000 + i) });
  const time = async <T>(f: () => Promise<T>) => {
    const t0 = performance.now();
    const r = await f();
    return { ms: performance.now() - t0, r };
  };
  const base = await time(() => tallyLines(w.reader, '2026-10'));
  const first = await time(() => w.run(COMMANDS.runPsaSync, { kind: 'connectwise' }, { month: '2026-10' }) as Promise<SyncOutcome>);
  const again = await time(() => w.run(COMMANDS.runPsaSync, { kind: 'connectwise' }, { month: '2026-10' }) as Promise<SyncOutcome>);
  const lines = first.r.written;
  const fmt = (label: string, ms: number) => process.stdout.write(`${label.padEnd(44)} ${ms.toFixed(0).padStart(7)} ms  ${(ms / lines).toFixed(2).padStart(6)} ms/line  x${(ms / base.ms).toFixed(1)} of the export read\n`);
  process.stdout.write(`PSA sync, ${n + 2} mapped companies, ${lines} lines, SQLite, ConnectWise emulator on loopback\n`);
  fmt('baseline: billable lines read (PSA export)', base.ms);
  fmt(`first sync (${first.r.written} written)`, first.ms);
  fmt(`repeated sync (${again.r.written} written, all read)`, again.ms);
} finally {
  await w.close();
}
