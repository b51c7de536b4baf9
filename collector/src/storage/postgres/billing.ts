// Billing inputs for a month, and the month closing: finalized snapshots,
// the late-data marks, and the append-only adjustment log.
import type pg from 'pg';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { BillingUser, Company as BillingCompany, DeviceDay, XdrCategory } from '../../billing/index.ts';
import { DEVICE_PAGE_COLUMNS, groupDevicePage, toCompany, toDeviceDay, toSubscriptionVersion, type CompanyRow, type VersionRow } from '../rows.ts';
import {
  StorageError, type BillingContext, type BillingInputs, type BillingStore, type MonthAdjustment, type MonthDevicePageQuery, type MonthSnapshot,
} from '../types.ts';
import { guard, inTransaction, pgCode, UNIQUE_VIOLATION, type Queryable } from './db.ts';

interface DayRow {
  device_id: string; company_id: string; utc_day: number; awake_seconds: number; virtual: boolean | null; role: string | null;
  platform: string | null; modules: string[]; im_tier: string | null; user_id: string | null; ownership: string | null; uninstalled_at: number | null;
}

const pack = (s: MonthSnapshot) => gzipSync(Buffer.from(JSON.stringify(s)));
const unpack = (b: Buffer) => JSON.parse(gunzipSync(b).toString('utf8')) as MonthSnapshot;

/** The month's current hash: its latest adjustment's, else the finalized one; null if not finalized. */
async function currentHash(q: Queryable, month: string): Promise<string | null> {
  const r = await q.query<{ hash: string }>(`SELECT COALESCE(
      (SELECT hash_after FROM month_adjustments WHERE month = $1 ORDER BY id DESC LIMIT 1),
      (SELECT hash FROM finalized_months WHERE month = $1)) AS hash`, [month]);
  return r.rows[0]?.hash ?? null;
}

const dayOf = (r: DayRow): DeviceDay => toDeviceDay({
  deviceId: r.device_id, companyId: r.company_id, utcDay: r.utc_day, awakeSeconds: r.awake_seconds, virtual: r.virtual, role: r.role,
  platform: r.platform, modules: r.modules, imTier: r.im_tier, userId: r.user_id, ownership: r.ownership, uninstalledAtMs: r.uninstalled_at,
});

async function contextOf(q: Queryable, month: string): Promise<BillingContext> {
  const rows = (await q.query<CompanyRow>('SELECT * FROM companies ORDER BY path')).rows.map(toCompany);
  const names = new Map(rows.map((c) => [c.id, c.name]));
  const companies: BillingCompany[] = rows.map((c) => ({
    id: c.id, name: c.name, type: c.type, parentId: c.parentId, registeredAtMs: c.registeredAtMs, inactiveSinceMs: c.inactiveSinceMs,
    // The report's Path column shows where the company sits in the tree, by name.
    path: c.path.map((id) => names.get(id) ?? id),
    ...(c.externalId ? { externalId: c.externalId } : {}),
  }));
  const users: BillingUser[] = (await q.query<{ id: string; company_id: string; group_ids: string[] }>(
    'SELECT u.id, u.company_id, ARRAY(SELECT m.group_id FROM user_group_members m WHERE m.user_id = u.id ORDER BY m.group_id) AS group_ids FROM users u')).rows
    .map((u) => ({ userId: u.id, companyId: u.company_id, groupIds: u.group_ids, primaryDeviceId: null }));
  const subscriptions = (await q.query<VersionRow>('SELECT * FROM subscription_versions ORDER BY subscription_id, version')).rows.map(toSubscriptionVersion);
  const xdrSensorDeployments = (await q.query<{ company_id: string; category: XdrCategory }>('SELECT company_id, category FROM xdr_deployments WHERE month = $1', [month])).rows
    .map((x) => ({ companyId: x.company_id, month, category: x.category }));
  return { companies, subscriptions, xdrSensorDeployments, users };
}

export function postgresBillingStore(pool: pg.Pool): BillingStore {
  return {
    // REPEATABLE READ: the companies, subscriptions and device-days are read
    // from one snapshot, as SQLite's single read transaction does, even while
    // other collectors keep ingesting.
    billingInputs: (month: string, fromDay: number, toDay: number) => inTransaction(pool, async (q): Promise<BillingInputs> => {
      await q.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY');
      const context = await contextOf(q, month);
      const deviceDays = (await q.query<DayRow>(`SELECT dd.device_id, dd.company_id, dd.utc_day, dd.awake_seconds, dd.virtual, dd.role, dd.platform, dd.modules,
          dd.im_tier, dd.user_id, dd.ownership, d.uninstalled_at
        FROM device_days dd JOIN devices d ON d.id = dd.device_id WHERE dd.utc_day >= $1 AND dd.utc_day < $2`, [fromDay, toDay])).rows
        .map(dayOf);
      return { ...context, deviceDays };
    }),
    billingContext: (month: string) => inTransaction(pool, async (q) => {
      await q.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY');
      return contextOf(q, month);
    }),
    monthDevicePage: guard(async (query: MonthDevicePageQuery) => {
      const params: unknown[] = [query.after ?? '', query.limit, query.fromDay, query.toDay];
      let where = 'id > $1';
      if (query.deviceIds) where += ` AND id = ANY($${params.push([...query.deviceIds])}::text[])`;
      else if (query.currentCompanyId !== undefined) where += ` AND company_id = $${params.push(query.currentCompanyId)}`;
      // Devices by their primary key, then each one's rows by the device_days key (device_id, utc_day).
      // Device ids are COLLATE "C": byte order, the same as SQLite and the billing core (compareIds).
      const rows = (await pool.query<unknown[]>({
        text: `SELECT ${DEVICE_PAGE_COLUMNS}
          FROM (SELECT id, company_id, uninstalled_at FROM devices WHERE ${where} ORDER BY id LIMIT $2) d
          LEFT JOIN device_days dd ON dd.device_id = d.id AND dd.utc_day >= $3 AND dd.utc_day < $4
          ORDER BY d.id, dd.utc_day`,
        values: params,
        rowMode: 'array',
      })).rows;
      return groupDevicePage(rows, query.limit, { virtual: (v) => v as boolean | null, modules: (v) => v as string[] });
    }),
    getFinalizedMonth: guard(async (month: string) => {
      const r = (await pool.query<{ finalized_at: number; snapshot: Buffer }>('SELECT finalized_at, snapshot FROM finalized_months WHERE month = $1', [month])).rows[0];
      return r ? { snapshot: unpack(r.snapshot), finalizedAtMs: r.finalized_at } : null;
    }),
    listFinalizedMonths: guard(async () => (await pool.query<{ month: string; finalized_at: number; hash: string }>(
      'SELECT month, finalized_at, hash FROM finalized_months ORDER BY month')).rows
      .map((r) => ({ month: r.month, finalizedAtMs: r.finalized_at, hash: r.hash }))),
    saveFinalizedMonth: guard(async (snapshot: MonthSnapshot, nowMs: number) => {
      // The primary key decides a race between collectors: the loser waits for
      // the winner's commit, then fails here with a unique violation.
      try {
        await pool.query('INSERT INTO finalized_months (month, finalized_at, hash, snapshot) VALUES ($1, $2, $3, $4)', [snapshot.month, nowMs, snapshot.hash, pack(snapshot)]);
      } catch (err) {
        if (pgCode(err) === UNIQUE_VIOLATION) throw new StorageError('conflict', `month ${snapshot.month} is already finalized`);
        throw err;
      }
    }),
    monthsWithLateData: guard(async () => (await pool.query<{ month: string }>('SELECT month FROM months_with_late_data ORDER BY month')).rows.map((r) => r.month)),
    saveAdjustment: (i: { month: string; hashBefore: string; lines: MonthAdjustment['lines']; snapshot: MonthSnapshot; nowMs: number; lateDataBeforeMs: number }) => inTransaction(pool, async (q): Promise<MonthAdjustment> => {
      // Locking the finalized row serializes adjustments of one month across collectors.
      const finalized = await q.query('SELECT 1 FROM finalized_months WHERE month = $1 FOR UPDATE', [i.month]);
      if (finalized.rowCount === 0) throw new StorageError('not_found', `month ${i.month} is not finalized`);
      // The log is a chain: each adjustment starts from the previous one's
      // figures. One computed from stale figures (another collector adjusted
      // the month meanwhile) would fork it.
      const current = await currentHash(q, i.month);
      if (current !== i.hashBefore) throw new StorageError('conflict', `month ${i.month} changed since this adjustment was computed (current hash ${current})`);
      const r = await q.query<{ id: number }>(`INSERT INTO month_adjustments (month, created_at, hash_before, hash_after, lines, snapshot)
        VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`, [i.month, i.nowMs, i.hashBefore, i.snapshot.hash, JSON.stringify(i.lines), pack(i.snapshot)]);
      await q.query('DELETE FROM months_with_late_data WHERE month = $1 AND since < $2', [i.month, i.lateDataBeforeMs]);
      return { id: r.rows[0].id, month: i.month, createdAtMs: i.nowMs, hashBefore: i.hashBefore, hashAfter: i.snapshot.hash, lines: i.lines };
    }),
    clearLateMark: guard(async (month: string, lateDataBeforeMs: number): Promise<void> => {
      await pool.query('DELETE FROM months_with_late_data WHERE month = $1 AND since < $2', [month, lateDataBeforeMs]);
    }),
    markLateIfWrittenSince: guard(async (month: string, fromDay: number, toDay: number, sinceMs: number, nowMs: number) =>
      ((await pool.query(`INSERT INTO months_with_late_data (month, since)
        SELECT $1, $2 WHERE EXISTS (SELECT 1 FROM device_days WHERE utc_day >= $3 AND utc_day < $4 AND last_at >= $5)
        ON CONFLICT (month) DO UPDATE SET since = GREATEST(months_with_late_data.since, excluded.since)`, [month, nowMs, fromDay, toDay, sinceMs])).rowCount ?? 0) > 0),
    listAdjustments: guard(async (month: string) => (await pool.query<{ id: number; month: string; created_at: number; hash_before: string; hash_after: string; lines: string }>(
      'SELECT id, month, created_at, hash_before, hash_after, lines FROM month_adjustments WHERE month = $1 ORDER BY id', [month])).rows
      .map((r) => ({ id: r.id, month: r.month, createdAtMs: r.created_at, hashBefore: r.hash_before, hashAfter: r.hash_after, lines: JSON.parse(r.lines) }))),
    currentSnapshot: guard(async (month: string) => {
      const r = (await pool.query<{ snapshot: Buffer }>(`SELECT snapshot FROM (
          (SELECT snapshot, 0 AS rank, id FROM month_adjustments WHERE month = $1 ORDER BY id DESC LIMIT 1)
          UNION ALL (SELECT snapshot, 1 AS rank, 0 AS id FROM finalized_months WHERE month = $1)
        ) s ORDER BY rank LIMIT 1`, [month])).rows[0];
      return r ? unpack(r.snapshot) : null;
    }),
    countUnbilledLateRecords: guard(async () => (await pool.query<{ n: number }>('SELECT COUNT(*) AS n FROM unbilled_late_usage')).rows[0].n),
  };
}
