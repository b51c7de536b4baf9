// The tests' independent oracle for the billing reads: everything the pure
// core needs for a month, every row at once, from plain SQL of its own on a
// connection of its own, sharing nothing with the stores' code but the row
// mappings (what an unknown fact bills as, how a subscription reads back).
// The collector streams a month with monthDevicePage and reads the rest with
// billingContext; the tests check both against this. Not production code: a
// month of a million endpoints does not fit in memory this way.
import Database from 'better-sqlite3';
import type pg from 'pg';
import type { BillingUser, Company as BillingCompany, XdrCategory } from '../../collector/src/billing/index.ts';
import { parseJsonArray, toCompany, toDeviceDay, toSubscriptionVersion, type CompanyRow, type VersionRow } from '../../collector/src/storage/rows.ts';
import type { BillingInputs } from '../../collector/src/storage/types.ts';

export interface BillingOracle {
  /** Everything the pure core needs for UTC days [fromDay, toDay), read at once. */
  billingInputs(month: string, fromDay: number, toDay: number): Promise<BillingInputs>;
  close(): Promise<void>;
}

/** Runs one statement with `?` placeholders and returns its rows. */
type Query = (text: string, params?: unknown[]) => Promise<Record<string, unknown>[]>;

interface DayRow {
  device_id: string; company_id: string; utc_day: number; awake_seconds: number; virtual: boolean | number | null; role: string | null;
  platform: string | null; modules: string | string[]; im_tier: string | null; user_id: string | null; ownership: string | null; uninstalled_at: number | null; retired_at: number | null;
}

async function readInputs(query: Query, month: string, fromDay: number, toDay: number): Promise<BillingInputs> {
  const rows = (await query('SELECT * FROM companies ORDER BY path') as unknown as CompanyRow[]).map(toCompany);
  const names = new Map(rows.map((c) => [c.id, c.name]));
  const companies: BillingCompany[] = rows.map((c) => ({
    id: c.id, name: c.name, type: c.type, parentId: c.parentId, registeredAtMs: c.registeredAtMs, inactiveSinceMs: c.inactiveSinceMs,
    path: c.path.map((id) => names.get(id) ?? id), ...(c.externalId ? { externalId: c.externalId } : {}),
  }));
  const users = new Map<string, BillingUser & { groupIds: string[] }>();
  for (const r of await query('SELECT u.id, u.company_id, m.group_id FROM users u LEFT JOIN user_group_members m ON m.user_id = u.id') as { id: string; company_id: string; group_id: string | null }[]) {
    let user = users.get(r.id);
    if (!user) users.set(r.id, (user = { userId: r.id, companyId: r.company_id, groupIds: [], primaryDeviceId: null }));
    if (r.group_id !== null) user.groupIds.push(r.group_id);
  }
  for (const u of users.values()) u.groupIds.sort();
  const subscriptions = (await query('SELECT * FROM subscription_versions ORDER BY subscription_id, version') as unknown as VersionRow[]).map(toSubscriptionVersion);
  const xdrSensorDeployments = (await query('SELECT company_id, category FROM xdr_deployments WHERE month = ?', [month]) as { company_id: string; category: XdrCategory }[])
    .map((x) => ({ companyId: x.company_id, month, category: x.category }));
  const days = await query(`SELECT dd.device_id, dd.company_id, dd.utc_day, dd.awake_seconds, dd.virtual, dd.role, dd.platform, dd.modules,
      dd.im_tier, dd.user_id, dd.ownership, d.uninstalled_at, d.retired_at
    FROM device_days dd JOIN devices d ON d.id = dd.device_id WHERE dd.utc_day >= ? AND dd.utc_day < ?`, [fromDay, toDay]) as unknown as DayRow[];
  const deviceDays = days.map((r) => toDeviceDay({
    deviceId: r.device_id, companyId: r.company_id, utcDay: Number(r.utc_day), awakeSeconds: Number(r.awake_seconds),
    // SQLite: 0/1 and JSON text; PostgreSQL: BOOLEAN and TEXT[].
    virtual: r.virtual === null ? null : r.virtual === true || r.virtual === 1, role: r.role, platform: r.platform,
    modules: Array.isArray(r.modules) ? r.modules : parseJsonArray(r.modules), imTier: r.im_tier, userId: r.user_id, ownership: r.ownership,
    uninstalledAtMs: r.uninstalled_at === null ? null : Number(r.uninstalled_at),
    retiredAtMs: r.retired_at === null ? null : Number(r.retired_at),
  }));
  return { companies, subscriptions, deviceDays, xdrSensorDeployments, users: [...users.values()] };
}

/** The oracle over a SQLite file, on its own read-only connection (each read is one implicit snapshot per statement; tests write nothing meanwhile). */
export function sqliteBillingOracle(path: string): BillingOracle {
  const db = new Database(path, { readonly: true });
  const query: Query = async (text, params = []) => db.prepare(text).all(...params) as Record<string, unknown>[];
  return {
    billingInputs: (month, fromDay, toDay) => readInputs(query, month, fromDay, toDay),
    close: async () => {
      db.close();
    },
  };
}

const INT8_OID = 20;

/** The oracle over a PostgreSQL database, on a pool of the test's (pg's default parsers: BIGINT columns are read as numbers here). */
export function postgresBillingOracle(pool: pg.Pool): BillingOracle {
  const query: Query = async (text, params = []) => {
    let n = 0;
    const result = await pool.query(text.replace(/\?/g, () => `$${++n}`), params);
    const bigints = result.fields.filter((f) => f.dataTypeID === INT8_OID).map((f) => f.name);
    for (const row of result.rows) for (const k of bigints) if (row[k] !== null) row[k] = Number(row[k]);
    return result.rows;
  };
  return {
    billingInputs: (month, fromDay, toDay) => readInputs(query, month, fromDay, toDay),
    close: async () => {},
  };
}

/** One oracle read of a SQLite file. */
export async function sqliteBillingInputs(path: string, month: string, fromDay: number, toDay: number): Promise<BillingInputs> {
  const oracle = sqliteBillingOracle(path);
  try {
    return await oracle.billingInputs(month, fromDay, toDay);
  } finally {
    await oracle.close();
  }
}
