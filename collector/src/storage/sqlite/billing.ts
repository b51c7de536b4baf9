// Billing inputs for a month, and the month closing: finalized snapshots,
// the late-data marks, and the append-only adjustment log.
import type Database from 'better-sqlite3';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { BillingUser, Company as BillingCompany, DeviceDay, XdrCategory } from '../../billing/index.ts';
import { DEVICE_PAGE_COLUMNS, groupDevicePage, toDeviceDay as toSharedDeviceDay } from '../rows.ts';
import {
  StorageError, type BillingContext, type BillingInputs, type BillingStore, type MonthAdjustment, type MonthDevicePageQuery, type MonthDeviceRows, type MonthSnapshot,
} from '../types.ts';
import { guard } from './guard.ts';
import { parseJsonArray, toCompany, type CompanyRow } from './rows.ts';
import { toSubscriptionVersion } from './tenancy.ts';

interface DayRow {
  device_id: string; company_id: string; utc_day: number; awake_seconds: number; virtual: number | null; role: string | null;
  platform: string | null; modules: string; im_tier: string | null; user_id: string | null; ownership: string | null; uninstalled_at: number | null;
}

/**
 * Decodes SQLite's encodings (0/1, JSON text); the defaults live in ../rows.ts.
 * `modulesCache` shares one parsed array per distinct module set: a month has
 * millions of rows but only a handful of module sets.
 */
export function toDeviceDay(r: DayRow, modulesCache?: Map<string, string[]>): DeviceDay {
  let modules = modulesCache?.get(r.modules);
  if (!modules) {
    modules = parseJsonArray(r.modules);
    modulesCache?.set(r.modules, modules);
  }
  return toSharedDeviceDay({
    deviceId: r.device_id, companyId: r.company_id, utcDay: r.utc_day, awakeSeconds: r.awake_seconds,
    virtual: r.virtual === null ? null : r.virtual === 1, role: r.role, platform: r.platform, modules,
    imTier: r.im_tier, userId: r.user_id, ownership: r.ownership, uninstalledAtMs: r.uninstalled_at,
  });
}

/**
 * A page of devices by id (their primary key), then each device's rows of the
 * range by the device_days primary key (device_id, utc_day): one seek per
 * device, in key order, however many other months the table holds. LEFT JOIN
 * keeps devices without rows, so the page's end is known.
 */
const devicePageSql = (where: string) => `SELECT ${DEVICE_PAGE_COLUMNS}
  FROM (SELECT id, company_id, uninstalled_at FROM devices WHERE ${where} ORDER BY id LIMIT @limit) d
  LEFT JOIN device_days dd ON dd.device_id = d.id AND dd.utc_day >= @fromDay AND dd.utc_day < @toDay
  ORDER BY d.id, dd.utc_day`;

const pack = (s: MonthSnapshot) => gzipSync(Buffer.from(JSON.stringify(s)));
const unpack = (b: Buffer) => JSON.parse(gunzipSync(b).toString('utf8')) as MonthSnapshot;

export function sqliteBillingStore(db: Database.Database): BillingStore {
  const stmt = {
    companies: db.prepare('SELECT * FROM companies ORDER BY path'),
    versions: db.prepare('SELECT * FROM subscription_versions ORDER BY subscription_id, version'),
    days: db.prepare(`SELECT dd.device_id, dd.company_id, dd.utc_day, dd.awake_seconds, dd.virtual, dd.role, dd.platform, dd.modules,
        dd.im_tier, dd.user_id, dd.ownership, d.uninstalled_at
      FROM device_days dd JOIN devices d ON d.id = dd.device_id WHERE dd.utc_day >= ? AND dd.utc_day < ?`),
    pageAll: db.prepare(devicePageSql('id > @after')).raw(true),
    pageOfCompany: db.prepare(devicePageSql('id > @after AND company_id = @companyId')).raw(true),
    pageOfIds: db.prepare(devicePageSql('id > @after AND id IN (SELECT value FROM json_each(@ids))')).raw(true),
    xdr: db.prepare('SELECT company_id, category FROM xdr_deployments WHERE month = ?'),
    users: db.prepare(`SELECT u.id, u.company_id, (SELECT group_concat(group_id) FROM user_group_members m WHERE m.user_id = u.id) AS group_ids FROM users u`),
    finalized: db.prepare('SELECT * FROM finalized_months WHERE month = ?'),
    finalizedList: db.prepare('SELECT month, finalized_at, hash FROM finalized_months ORDER BY month'),
    insertFinalized: db.prepare('INSERT INTO finalized_months (month, finalized_at, hash, snapshot) VALUES (?, ?, ?, ?)'),
    lateMonths: db.prepare('SELECT month FROM months_with_late_data ORDER BY month'),
    clearLate: db.prepare('DELETE FROM months_with_late_data WHERE month = ? AND since < ?'),
    markLateIfWritten: db.prepare(`INSERT INTO months_with_late_data (month, since)
      SELECT @month, @nowMs WHERE EXISTS (SELECT 1 FROM device_days WHERE utc_day >= @fromDay AND utc_day < @toDay AND last_at >= @sinceMs)
      ON CONFLICT (month) DO UPDATE SET since = MAX(since, excluded.since)`),
    insertAdjustment: db.prepare(`INSERT INTO month_adjustments (month, created_at, hash_before, hash_after, lines, snapshot) VALUES (?, ?, ?, ?, ?, ?)`),
    adjustments: db.prepare('SELECT id, month, created_at, hash_before, hash_after, lines FROM month_adjustments WHERE month = ? ORDER BY id'),
    latestAdjustment: db.prepare('SELECT snapshot FROM month_adjustments WHERE month = ? ORDER BY id DESC LIMIT 1'),
    unbilledCount: db.prepare('SELECT COUNT(*) AS n FROM unbilled_late_usage'),
    currentHash: db.prepare(`SELECT COALESCE((SELECT hash_after FROM month_adjustments WHERE month = @month ORDER BY id DESC LIMIT 1),
      (SELECT hash FROM finalized_months WHERE month = @month)) AS hash`),
  };

  // Row by row (iterate, not all): the raw rows are never all in memory at once.
  const readDeviceDays = (fromDay: number, toDay: number): DeviceDay[] => {
    const modulesCache = new Map<string, string[]>();
    const out: DeviceDay[] = [];
    for (const r of stmt.days.iterate(fromDay, toDay) as IterableIterator<DayRow>) out.push(toDeviceDay(r, modulesCache));
    return out;
  };

  const contextOf = (month: string): BillingContext => {
    const rows = (stmt.companies.all() as CompanyRow[]).map(toCompany);
    const names = new Map(rows.map((c) => [c.id, c.name]));
    const companies: BillingCompany[] = rows.map((c) => ({
      id: c.id, name: c.name, type: c.type, parentId: c.parentId, registeredAtMs: c.registeredAtMs, inactiveSinceMs: c.inactiveSinceMs,
      // The report's Path column shows where the company sits in the tree, by name.
      path: c.path.map((id) => names.get(id) ?? id),
      ...(c.externalId ? { externalId: c.externalId } : {}),
    }));
    const users: BillingUser[] = (stmt.users.all() as { id: string; company_id: string; group_ids: string | null }[]).map((u) => ({
      userId: u.id, companyId: u.company_id, groupIds: u.group_ids ? u.group_ids.split(',').sort() : [], primaryDeviceId: null,
    }));
    return {
      companies,
      subscriptions: (stmt.versions.all() as Parameters<typeof toSubscriptionVersion>[0][]).map(toSubscriptionVersion),
      xdrSensorDeployments: (stmt.xdr.all(month) as { company_id: string; category: XdrCategory }[]).map((x) => ({ companyId: x.company_id, month, category: x.category })),
      users,
    };
  };
  const contextTx = db.transaction(contextOf);
  const inputsTx = db.transaction((month: string, fromDay: number, toDay: number): BillingInputs =>
    ({ ...contextOf(month), deviceDays: readDeviceDays(fromDay, toDay) }));

  const devicePage = (q: MonthDevicePageQuery): { devices: MonthDeviceRows[]; next: string | null } => {
    const params = { after: q.after ?? '', limit: q.limit, fromDay: q.fromDay, toDay: q.toDay, companyId: q.currentCompanyId, ids: JSON.stringify(q.deviceIds ?? []) };
    const statement = q.deviceIds ? stmt.pageOfIds : q.currentCompanyId !== undefined ? stmt.pageOfCompany : stmt.pageAll;
    // One parsed array per distinct module set: a month has millions of rows but a handful of sets.
    const modulesCache = new Map<string, string[]>();
    return groupDevicePage(statement.all(params) as unknown[][], q.limit, {
      virtual: (v) => (v === null ? null : v === 1),
      modules: (text) => {
        let modules = modulesCache.get(text as string);
        if (!modules) modulesCache.set(text as string, (modules = parseJsonArray(text as string)));
        return modules;
      },
    });
  };

  const saveAdjustmentTx = db.transaction((i: { month: string; hashBefore: string; lines: MonthAdjustment['lines']; snapshot: MonthSnapshot; nowMs: number; lateDataBeforeMs: number }): MonthAdjustment => {
    if (!stmt.finalized.get(i.month)) throw new StorageError('not_found', `month ${i.month} is not finalized`);
    // The log is a chain: each adjustment starts from the previous one's
    // figures. One computed from stale figures (another collector, or an
    // overlapping run, adjusted the month meanwhile) would fork it.
    const current = (stmt.currentHash.get({ month: i.month }) as { hash: string | null }).hash;
    if (current !== i.hashBefore) throw new StorageError('conflict', `month ${i.month} changed since this adjustment was computed (current hash ${current})`);
    const r = stmt.insertAdjustment.run(i.month, i.nowMs, i.hashBefore, i.snapshot.hash, JSON.stringify(i.lines), pack(i.snapshot));
    stmt.clearLate.run(i.month, i.lateDataBeforeMs);
    return { id: Number(r.lastInsertRowid), month: i.month, createdAtMs: i.nowMs, hashBefore: i.hashBefore, hashAfter: i.snapshot.hash, lines: i.lines };
  });

  return {
    billingInputs: guard((month: string, fromDay: number, toDay: number) => inputsTx(month, fromDay, toDay)),
    billingContext: guard((month: string) => contextTx(month)),
    monthDevicePage: guard((query: MonthDevicePageQuery) => devicePage(query)),
    getFinalizedMonth: guard((month: string) => {
      const r = stmt.finalized.get(month) as { finalized_at: number; snapshot: Buffer } | undefined;
      return r ? { snapshot: unpack(r.snapshot), finalizedAtMs: r.finalized_at } : null;
    }),
    listFinalizedMonths: guard(() => (stmt.finalizedList.all() as { month: string; finalized_at: number; hash: string }[])
      .map((r) => ({ month: r.month, finalizedAtMs: r.finalized_at, hash: r.hash }))),
    saveFinalizedMonth: guard((snapshot: MonthSnapshot, nowMs: number) => {
      try {
        stmt.insertFinalized.run(snapshot.month, nowMs, snapshot.hash, pack(snapshot));
      } catch (err) {
        if (String((err as { code?: string }).code).startsWith('SQLITE_CONSTRAINT')) throw new StorageError('conflict', `month ${snapshot.month} is already finalized`);
        throw err;
      }
    }),
    monthsWithLateData: guard(() => (stmt.lateMonths.all() as { month: string }[]).map((r) => r.month)),
    saveAdjustment: guard((i: { month: string; hashBefore: string; lines: MonthAdjustment['lines']; snapshot: MonthSnapshot; nowMs: number; lateDataBeforeMs: number }) => saveAdjustmentTx(i)),
    clearLateMark: guard((month: string, lateDataBeforeMs: number): void => {
      stmt.clearLate.run(month, lateDataBeforeMs);
    }),
    markLateIfWrittenSince: guard((month: string, fromDay: number, toDay: number, sinceMs: number, nowMs: number) =>
      stmt.markLateIfWritten.run({ month, fromDay, toDay, sinceMs, nowMs }).changes > 0),
    listAdjustments: guard((month: string) => (stmt.adjustments.all(month) as { id: number; month: string; created_at: number; hash_before: string; hash_after: string; lines: string }[])
      .map((r) => ({ id: r.id, month: r.month, createdAtMs: r.created_at, hashBefore: r.hash_before, hashAfter: r.hash_after, lines: JSON.parse(r.lines) }))),
    currentSnapshot: guard((month: string) => {
      const adj = stmt.latestAdjustment.get(month) as { snapshot: Buffer } | undefined;
      if (adj) return unpack(adj.snapshot);
      const r = stmt.finalized.get(month) as { snapshot: Buffer } | undefined;
      return r ? unpack(r.snapshot) : null;
    }),
    countUnbilledLateRecords: guard(() => (stmt.unbilledCount.get() as { n: number }).n),
  };
}
