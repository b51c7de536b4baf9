// Companies, user groups, users, device bindings, subscriptions, XDR sensors.
import type pg from 'pg';
import type { SubscriptionVersion, XdrCategory } from '../../billing/index.ts';
import { toCompany, toSubscriptionVersion, type CompanyRow, type VersionRow } from '../rows.ts';
import { StorageError, type Company, type CompanyType, type TenancyStore, type UserGroupRecord, type UserRecord } from '../types.ts';
import { guard, inTransaction, pgCode, UNIQUE_VIOLATION, type Queryable } from './db.ts';

interface UserRow { id: string; company_id: string; external_id: string; display_name: string | null; last_active_at: number | null; group_ids: string[] }

const toUser = (r: UserRow): UserRecord => ({
  id: r.id, companyId: r.company_id, externalId: r.external_id, displayName: r.display_name, groupIds: r.group_ids, lastActiveAtMs: r.last_active_at,
});

/** Users with their group ids, sorted in byte order like every other listing. */
const USER_SELECT = `SELECT u.id, u.company_id, u.external_id, u.display_name, u.last_active_at,
    ARRAY(SELECT m.group_id FROM user_group_members m WHERE m.user_id = u.id ORDER BY m.group_id) AS group_ids
  FROM users u`;

async function company(q: Queryable, id: string, lock = false): Promise<Company> {
  const r = await q.query<CompanyRow>(`SELECT * FROM companies WHERE id = $1${lock ? ' FOR UPDATE' : ''}`, [id]);
  if (r.rowCount === 0) throw new StorageError('not_found', `company ${id} does not exist`);
  return toCompany(r.rows[0]);
}

export function postgresTenancyStore(pool: pg.Pool): TenancyStore {
  return {
    createCompany: (i: { id: string; name: string; type: CompanyType; parentId: string | null; externalId: string | null; nowMs: number }) => inTransaction(pool, async (q) => {
      let path = i.id;
      if (i.parentId !== null) {
        const parent = await company(q, i.parentId);
        // "Partners are the ones who enable license entitlements ... to Customer companies": only partners have children.
        if (parent.type !== 'partner') throw new StorageError('conflict', `company ${parent.id} is a customer; only partners have companies below them`);
        path = [...parent.path, i.id].join('/');
      }
      const r = await q.query<CompanyRow>(`INSERT INTO companies (id, name, type, parent_id, path, registered_at, external_id)
        VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (id) DO NOTHING RETURNING *`, [i.id, i.name, i.type, i.parentId, path, i.nowMs, i.externalId]);
      if (r.rowCount === 0) throw new StorageError('conflict', `company ${i.id} already exists`);
      return toCompany(r.rows[0]);
    }),
    getCompany: guard(async (id: string) => {
      const r = await pool.query<CompanyRow>('SELECT * FROM companies WHERE id = $1', [id]);
      return r.rows[0] ? toCompany(r.rows[0]) : null;
    }),
    updateCompany: (id: string, patch: { name?: string; externalId?: string | null }) => inTransaction(pool, async (q) => {
      await company(q, id, true);
      if (patch.name !== undefined) await q.query('UPDATE companies SET name = $2 WHERE id = $1', [id, patch.name]);
      if (patch.externalId !== undefined) await q.query('UPDATE companies SET external_id = $2 WHERE id = $1', [id, patch.externalId]);
      return company(q, id);
    }),
    setCompanyActive: (id: string, active: boolean, nowMs: number) => inTransaction(pool, async (q) => {
      // Locked: two admins inactivating at once keep the first instant, as on SQLite.
      const c = await company(q, id, true);
      if (active && !c.active) await q.query('UPDATE companies SET inactive_since = NULL WHERE id = $1', [id]);
      if (!active && c.active) await q.query('UPDATE companies SET inactive_since = $2 WHERE id = $1', [id, nowMs]);
      return company(q, id);
    }),
    createUserGroup: (i: { id: string; companyId: string; name: string; nowMs: number }) => inTransaction(pool, async (q): Promise<UserGroupRecord> => {
      await company(q, i.companyId);
      try {
        // A savepoint is not needed: the conflict ends the unit of work anyway.
        await q.query('INSERT INTO user_groups (id, company_id, name, created_at) VALUES ($1, $2, $3, $4)', [i.id, i.companyId, i.name, i.nowMs]);
      } catch (err) {
        if (pgCode(err) === UNIQUE_VIOLATION) throw new StorageError('conflict', `a user group named ${JSON.stringify(i.name)} already exists in this company`);
        throw err;
      }
      return { id: i.id, companyId: i.companyId, name: i.name };
    }),
    listUserGroups: guard(async (companyId: string) => (await pool.query<{ id: string; company_id: string; name: string }>(
      'SELECT id, company_id, name FROM user_groups WHERE company_id = $1 ORDER BY name', [companyId])).rows
      .map((g) => ({ id: g.id, companyId: g.company_id, name: g.name }))),
    upsertUser: (i: { id: string; companyId: string; externalId: string; displayName: string | null; nowMs: number }) => inTransaction(pool, async (q) => {
      await company(q, i.companyId);
      await q.query(`INSERT INTO users (id, company_id, external_id, display_name, created_at) VALUES ($1, $2, $3, $4, $5)
        ON CONFLICT (company_id, external_id) DO UPDATE SET display_name = COALESCE(EXCLUDED.display_name, users.display_name)`,
      [i.id, i.companyId, i.externalId, i.displayName, i.nowMs]);
      return toUser((await q.query<UserRow>(`${USER_SELECT} WHERE u.company_id = $1 AND u.external_id = $2`, [i.companyId, i.externalId])).rows[0]);
    }),
    listUsers: guard(async (companyId: string) => (await pool.query<UserRow>(`${USER_SELECT} WHERE u.company_id = $1 ORDER BY u.external_id`, [companyId])).rows.map(toUser)),
    addGroupMember: (groupId: string, userId: string, nowMs: number) => inTransaction(pool, async (q) => {
      const g = (await q.query<{ company_id: string }>('SELECT company_id FROM user_groups WHERE id = $1', [groupId])).rows[0];
      const u = (await q.query<{ company_id: string }>('SELECT company_id FROM users WHERE id = $1', [userId])).rows[0];
      if (!g) throw new StorageError('not_found', `user group ${groupId} does not exist`);
      if (!u) throw new StorageError('not_found', `user ${userId} does not exist`);
      if (g.company_id !== u.company_id) throw new StorageError('conflict', 'a user can only join groups of its own company');
      await q.query('INSERT INTO user_group_members (group_id, user_id, added_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [groupId, userId, nowMs]);
    }),
    assignDeviceUser: (deviceId: string, userId: string | null) => inTransaction(pool, async (q) => {
      const d = (await q.query<{ company_id: string }>('SELECT company_id FROM devices WHERE id = $1 FOR UPDATE', [deviceId])).rows[0];
      if (!d) throw new StorageError('not_found', `device ${deviceId} does not exist`);
      if (userId !== null) {
        const u = (await q.query<{ company_id: string }>('SELECT company_id FROM users WHERE id = $1', [userId])).rows[0];
        if (!u) throw new StorageError('not_found', `user ${userId} does not exist`);
        if (u.company_id !== d.company_id) throw new StorageError('conflict', 'a device can only be bound to a user of its own company');
      }
      await q.query('UPDATE devices SET assigned_user_id = $2, user_assigned = true WHERE id = $1', [deviceId, userId]);
    }),
    addSubscriptionVersion: (v: SubscriptionVersion, nowMs: number) => inTransaction(pool, async (q) => {
      await company(q, v.companyId);
      // Versions of one subscription are numbered 1..n; two admins adding one
      // at once would both pick n+1. Serialize per subscription.
      await q.query("SELECT pg_advisory_xact_lock(hashtext('tally.subscription:' || $1))", [v.subscriptionId]);
      const last = (await q.query<{ v: number | null; f: number | null; c: string | null }>(
        'SELECT MAX(version) AS v, MAX(effective_from) AS f, MIN(company_id) AS c FROM subscription_versions WHERE subscription_id = $1', [v.subscriptionId])).rows[0];
      if (last.c !== null && last.c !== v.companyId) throw new StorageError('conflict', `subscription ${v.subscriptionId} belongs to company ${last.c}`);
      if (last.f !== null && v.effectiveFromMs < last.f) {
        throw new StorageError('conflict', `a new version of subscription ${v.subscriptionId} cannot take effect before the current one (${new Date(last.f).toISOString()})`);
      }
      const { subscriptionId, companyId, effectiveFromMs, effectiveUntilMs, ...terms } = v;
      await q.query(`INSERT INTO subscription_versions (subscription_id, version, company_id, effective_from, effective_until, terms, created_at)
        VALUES ($1, $2, $3, $4, $5, $6, $7)`, [subscriptionId, (last.v ?? 0) + 1, companyId, effectiveFromMs, effectiveUntilMs ?? null, JSON.stringify(terms), nowMs]);
    }),
    listSubscriptionVersions: guard(async (companyId: string | null) => (companyId === null
      ? await pool.query<VersionRow>('SELECT * FROM subscription_versions ORDER BY subscription_id, version')
      : await pool.query<VersionRow>('SELECT * FROM subscription_versions WHERE company_id = $1 ORDER BY subscription_id, version', [companyId])
    ).rows.map(toSubscriptionVersion)),
    recordXdrDeployment: (i: { companyId: string; month: string; category: XdrCategory; nowMs: number }) => inTransaction(pool, async (q) => {
      await company(q, i.companyId);
      await q.query('INSERT INTO xdr_deployments (company_id, month, category, recorded_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING',
        [i.companyId, i.month, i.category, i.nowMs]);
    }),
  };
}
