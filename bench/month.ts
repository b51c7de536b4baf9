// Month: monthly usage (MonthReader.computeSnapshot, what monthlyReport
// computes for an open month) and the CSV export, over a month of
// device-day rows for N endpoints generated straight into a SQLite file.
// Time and peak memory of each in its own child process. Baseline: one
// plain scan of the same month's rows (the billing input query, iterated).
import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { existsSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { openSqliteStorage } from '../collector/src/storage/sqlite/index.ts';
import { rebuildAllStatements } from '../collector/src/storage/sql/summaries.ts';
import { parseMonthId } from '../sim/src/plan.ts';
import { Rng } from '../sim/src/rng.ts';
import { BENCH_DIR, measureChild, type ChildResult, type Figure } from './lib.ts';

// 3: with the device-month summaries (issue 22), rebuilt from the rows as the migration backfills them.
const GEN_VERSION = 3;
const DAY = 86_400_000;

export function benchMonth(): string {
  const d = new Date();
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - 1, 1)).toISOString().slice(0, 7);
}

/** Generates (or reuses) a database with `endpoints` devices and a month of their device-day rows. */
export async function generateMonthDb(endpoints: number, month: string): Promise<{ path: string; partnerId: string; rows: number; genMs: number; summariesMs: number }> {
  const path = join(BENCH_DIR, `month-v${GEN_VERSION}-${month}-${endpoints}.db`);
  const meta = `${path}.partner`;
  if (existsSync(path) && existsSync(meta)) {
    const db = new Database(path, { readonly: true });
    const partnerId = (db.prepare("SELECT id FROM companies WHERE type = 'partner'").get() as { id: string }).id;
    const rows = (db.prepare('SELECT COUNT(*) AS n FROM device_days').get() as { n: number }).n;
    db.close();
    return { path, partnerId, rows, genMs: 0, summariesMs: 0 };
  }
  const t0 = performance.now();
  const tmp = `${path}.tmp`;
  for (const f of [tmp, `${tmp}-wal`, `${tmp}-shm`]) rmSync(f, { force: true });
  const { firstDay, endDay } = parseMonthId(month);
  const monthStart = firstDay * DAY;
  const storage = openSqliteStorage({ path: tmp, nowMs: monthStart - 90 * DAY });
  const partner = await storage.tenancy.createCompany({ id: randomUUID(), name: 'Bench Partner', type: 'partner', parentId: null, externalId: null, nowMs: monthStart - 90 * DAY });
  const customers = Math.max(1, Math.round(endpoints / 200));
  const companyIds: string[] = [];
  for (let i = 0; i < customers; i++) {
    const c = await storage.tenancy.createCompany({ id: randomUUID(), name: `Customer ${i}`, type: 'customer', parentId: partner.id, externalId: null, nowMs: monthStart - 60 * DAY });
    companyIds.push(c.id);
    await storage.tenancy.addSubscriptionVersion({
      subscriptionId: randomUUID(), companyId: c.id, effectiveFromMs: monthStart - 60 * DAY, effectiveUntilMs: null,
      productType: 'endpoint_security', protectionModel: 'a_la_carte',
      addOns: { encryption: i % 2 === 0, patchManagement: i % 3 === 0, integrityMonitoring: null, containerProtection: false, ats: false, edr: i % 4 === 0, sve: false, xdr: [] },
      services: { mdrFoundations: false }, licenseType: 'monthly_subscription', trialEndsAtMs: null, trialConvertedAtMs: null,
      licenseKey: `KEY-${i}`, reservedSeats: null, minimumUsage: null, endDate: null, autoRenewal: false, attachment: { customer: true, userGroupIds: [] },
    }, monthStart - 60 * DAY);
  }
  await storage.close();

  const db = new Database(tmp);
  db.pragma('journal_mode = OFF');
  db.pragma('synchronous = OFF');
  db.pragma('cache_size = -262144');
  db.exec('DROP INDEX IF EXISTS device_days_day');
  const insDevice = db.prepare(`INSERT INTO devices (id, company_id, key_hash, instance_id, hostname, agent_version, facts_json, enrolled_at, last_seen_at,
      virtual, role, platform, modules) VALUES (?, ?, ?, ?, ?, 'bench', ?, ?, ?, ?, ?, ?, ?)`);
  const insDay = db.prepare(`INSERT INTO device_days (device_id, utc_day, company_id, awake_seconds, first_at, last_at, virtual, role, platform, modules, im_tier, user_id, ownership)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL, 'corporate')`);
  const rng = new Rng(endpoints);
  const MODULE_SETS = ['["antimalware"]', '["antimalware","firewall"]', '["antimalware","edr_sensor"]', '["antimalware","full_disk_encryption","patch_management"]'];
  let rows = 0;
  // Devices in id order, so the WITHOUT ROWID primary keys are appended, not scattered.
  const ids = Array.from({ length: endpoints }, () => randomUUID()).sort();
  const CHUNK = 20_000;
  for (let start = 0; start < endpoints; start += CHUNK) {
    db.transaction(() => {
      for (let i = start; i < Math.min(endpoints, start + CHUNK); i++) {
        const id = ids[i];
        const companyId = companyIds[i % customers];
        const server = rng.chance(0.15);
        const virtual = rng.chance(server ? 0.7 : 0.12) ? 1 : 0;
        const platform = server ? (rng.chance(0.5) ? 'linux' : 'windows') : rng.chance(0.8) ? 'windows' : 'darwin';
        const role = server ? 'server' : 'workstation';
        const modules = MODULE_SETS[rng.int(0, MODULE_SETS.length - 1)];
        const hostname = `host-${i}`;
        const facts = JSON.stringify({ hostname, os: { platform, name: platform === 'windows' ? 'Windows 11 Pro' : platform, version: '1' }, role: { role }, virtualization: { virtual: virtual === 1 } });
        insDevice.run(id, companyId, `bench-${id}`, id, hostname, facts, monthStart - 30 * DAY, endDay * DAY, virtual, role, platform, modules);
        for (let day = firstDay; day < endDay; day++) {
          const weekday = (day + 4) % 7;
          const active = server ? true : weekday !== 0 && weekday !== 6 && rng.chance(0.9);
          if (!active) continue;
          const seconds = server ? 86_400 : rng.int(3600, 36_000);
          insDay.run(id, day, companyId, seconds, day * DAY + 60_000, day * DAY + 80_000_000, virtual, role, platform, modules);
          rows++;
        }
      }
    })();
  }
  db.exec('CREATE INDEX device_days_day ON device_days(utc_day)');
  // The summaries, as migration 0009 backfills an existing database (the rows went in around the ingest path).
  const s0 = performance.now();
  db.transaction(() => { for (const text of rebuildAllStatements('sqlite')) db.prepare(text).run(); })();
  const summariesMs = performance.now() - s0;
  db.pragma('journal_mode = WAL');
  db.close();
  for (const f of [`${tmp}-wal`, `${tmp}-shm`]) rmSync(f, { force: true });
  renameSync(tmp, path);
  const { writeFileSync } = await import('node:fs');
  writeFileSync(meta, partner.id);
  return { path, partnerId: partner.id, rows, genMs: performance.now() - t0, summariesMs };
}

/** One measurement of bench/month-child.ts in its own process. */
const measure = (db: string, month: string, what: string, companyId: string, timeoutMs: number): Promise<ChildResult> =>
  measureChild('bench/month-child.ts', [db, month, what, companyId], timeoutMs);

export async function monthBench(o: { sizes: number[]; timeoutMs: number; largeTimeoutMs?: number }): Promise<Figure[]> {
  const month = benchMonth();
  const figures: Figure[] = [];
  const peaks: Record<'usage' | 'csv', number[]> = { usage: [], csv: [] };
  for (const n of o.sizes) {
    const gen = await generateMonthDb(n, month);
    process.stdout.write(`  [month] ${n.toLocaleString('en-US')} endpoints, ${gen.rows.toLocaleString('en-US')} device-day rows ${gen.genMs ? `generated in ${(gen.genMs / 1000).toFixed(0)} s` : '(cached)'}: ${gen.path}\n`);
    if (gen.summariesMs) figures.push({ bench: 'month', name: `${n} endpoints: device-month summaries built from the rows (the migration's backfill)`, value: gen.summariesMs / 1000, unit: 's', note: `${gen.rows} rows` });
    const scan = await measure(gen.path, month, 'scan', gen.partnerId, o.timeoutMs);
    if (!scan.ok) throw new Error(`month scan failed: ${scan.error}`);
    figures.push({ bench: 'month', name: `${n} endpoints: scan of the month's rows (baseline)`, value: scan.ms / 1000, unit: 's', note: `peak RSS ${(scan.maxRssKB / 1024).toFixed(0)} MB, ${gen.rows} rows` });
    let usageFailed = false;
    let usageTotal: unknown;
    for (const what of ['usage', 'usage-rows', 'csv', 'snapshot'] as const) {
      const label = {
        usage: 'monthly usage (monthlyReport, summary form, from the device-month summaries)', 'usage-rows': 'monthly usage from the device-day rows (before issue 22)',
        csv: 'CSV export (loadReportInput + writeReport)', snapshot: 'finalization snapshot (computeSnapshot, every line)',
      }[what];
      // The snapshot holds every endpoint line by design (finalization stores them): measured once, at the smaller size, for the record.
      if (what === 'snapshot' && n !== o.sizes[0]) continue;
      if (what === 'csv' && usageFailed) {
        figures.push({ bench: 'month', name: `${n} endpoints: ${label}`, value: 0, unit: 's', target: '<= 3x scan, flat memory', met: false, note: 'not run: it starts with the monthly usage that failed above' });
        continue;
      }
      const r = await measure(gen.path, month, what, gen.partnerId, n >= 1_000_000 ? (o.largeTimeoutMs ?? o.timeoutMs) : o.timeoutMs);
      const target = what === 'snapshot' || what === 'usage-rows' ? undefined : what === 'usage' ? '<= 0.1x scan' : '<= 3x scan';
      const limit = what === 'usage' ? 0.1 : 3;
      if (!r.ok) {
        usageFailed ||= what === 'usage';
        figures.push({ bench: 'month', name: `${n} endpoints: ${label}`, value: r.ms / 1000, unit: 's', target, met: target ? false : undefined,
          note: `FAILED: ${r.error}; RSS ${(r.maxRssKB / 1024).toFixed(0)} MB when it stopped; the scan took ${(scan.ms / 1000).toFixed(1)} s` });
        continue;
      }
      if (what === 'usage' || what === 'csv') peaks[what].push(r.maxRssKB);
      const ratio = r.ms / scan.ms;
      // Both readings of the month must agree (the property test proves it on small data; this checks it at size).
      if (what === 'usage') usageTotal = r.detail?.endpointUsage;
      const agrees = what === 'usage-rows' && r.detail?.endpointUsage !== usageTotal ? `DISAGREES with the summary form: ${String(r.detail?.endpointUsage)} vs ${String(usageTotal)}` : undefined;
      figures.push({ bench: 'month', name: `${n} endpoints: ${label} time`, value: r.ms / 1000, unit: 's', baseline: scan.ms / 1000, ratio, target, met: agrees ? false : target ? ratio <= limit : undefined,
        note: what === 'usage' || what === 'usage-rows' ? agrees ?? `partner's Endpoint Usage ${String(r.detail?.endpointUsage)}` : undefined });
      figures.push({ bench: 'month', name: `${n} endpoints: ${label} peak RSS`, value: r.maxRssKB * 1024, unit: 'bytes', baseline: scan.maxRssKB * 1024, ratio: r.maxRssKB / scan.maxRssKB });
    }
  }
  for (const what of ['usage', 'csv'] as const) {
    const p = peaks[what];
    if (p.length === o.sizes.length && p.length >= 2) {
      const growth = p[p.length - 1] / p[0];
      figures.push({ bench: 'month', name: `${what}: peak RSS growth ${o.sizes[0]} -> ${o.sizes.at(-1)} endpoints`, value: growth, unit: 'x', target: 'flat (< 1.5x)', met: growth < 1.5 });
    } else if (p.length < o.sizes.length) {
      figures.push({ bench: 'month', name: `${what}: peak RSS does not grow with endpoints`, value: 0, unit: 'x', target: 'flat', met: false, note: 'a run failed (see above)' });
    }
  }
  return figures;
}
