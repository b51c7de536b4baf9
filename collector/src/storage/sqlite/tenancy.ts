// Companies, user groups, users, device bindings, subscriptions, XDR sensors.
import type Database from 'better-sqlite3';
import type { SubscriptionVersion, XdrCategory } from '../../billing/index.ts';
import { StorageError, type Company, type CompanyType, type TenancyStore, type UserGroupRecord, type UserRecord } from '../types.ts';
import { guard } from './guard.ts';
import { toCompany, type CompanyRow } from './rows.ts';
import { toSubscriptionVersion, type VersionRow } from '../rows.ts';

interface UserRow { id: string; company_id: string; external_id: string; display_name: string | null; last_active_at: number | null; group_ids: string | null }

const toUser = (r: UserRow): UserRecord => ({
  id: r.id, companyId: r.company_id, externalId: r.external_id, displayName: r.display_name,
  groupIds: r.group_ids ? r.group_ids.split(',').sort() : [], lastActiveAtMs: r.last_active_at,
});

export { toSubscriptionVersion };

export function sqliteTenancyStore(db: Database.Database): TenancyStore {
  const stmt = {
    companyById: db.prepare('SELECT * FROM companies WHERE id = ?'),
    insertCompany: db.prepare('INSERT INTO companies (id, name, type, parent_id, path, registered_at, external_id) VALUES (?, ?, ?, ?, ?, ?, ?)'),
    renameCompany: db.prepare('UPDATE companies SET name = ? WHERE id = ?'),
    setExternalId: db.prepare('UPDATE companies SET external_id = ? WHERE id = ?'),
    setInactive: db.prepare('UPDATE companies SET inactive_since = ? WHERE id = ?'),
    insertGroup: db.prepare('INSERT INTO user_groups (id, company_id, name, created_at) VALUES (?, ?, ?, ?)'),
    groupById: db.prepare('SELECT id, company_id, name FROM user_groups WHERE id = ?'),
    groupsOf: db.prepare('SELECT id, company_id, name FROM user_groups WHERE company_id = ? ORDER BY name'),
    insertUser: db.prepare(`INSERT INTO users (id, company_id, external_id, display_name, created_at) VALUES (?, ?, ?, ?, ?)
      ON CONFLICT (company_id, external_id) DO UPDATE SET display_name = COALESCE(excluded.display_name, users.display_name)`),
    userByExternal: db.prepare(`SELECT u.*, (SELECT group_concat(group_id) FROM user_group_members m WHERE m.user_id = u.id) AS group_ids
      FROM users u WHERE company_id = ? AND external_id = ?`),
    userById: db.prepare('SELECT id, company_id FROM users WHERE id = ?'),
    usersOf: db.prepare(`SELECT u.*, (SELECT group_concat(group_id) FROM user_group_members m WHERE m.user_id = u.id) AS group_ids
      FROM users u WHERE company_id = ? ORDER BY external_id`),
    addMember: db.prepare('INSERT OR IGNORE INTO user_group_members (group_id, user_id, added_at) VALUES (?, ?, ?)'),
    deviceById: db.prepare('SELECT id, company_id FROM devices WHERE id = ?'),
    assignUser: db.prepare('UPDATE devices SET assigned_user_id = ?, user_assigned = 1 WHERE id = ?'),
    lastVersion: db.prepare('SELECT MAX(version) AS v, MAX(effective_from) AS f, MIN(company_id) AS c FROM subscription_versions WHERE subscription_id = ?'),
    insertVersion: db.prepare(`INSERT INTO subscription_versions (subscription_id, version, company_id, effective_from, effective_until, terms, created_at)
      VALUES (?, ?, ?, ?, ?, ?, ?)`),
    versionsOf: db.prepare('SELECT * FROM subscription_versions WHERE company_id = ? ORDER BY subscription_id, version'),
    allVersions: db.prepare('SELECT * FROM subscription_versions ORDER BY subscription_id, version'),
    insertXdr: db.prepare('INSERT OR IGNORE INTO xdr_deployments (company_id, month, category, recorded_at) VALUES (?, ?, ?, ?)'),
  };

  const company = (id: string): Company => {
    const r = stmt.companyById.get(id) as CompanyRow | undefined;
    if (!r) throw new StorageError('not_found', `company ${id} does not exist`);
    return toCompany(r);
  };

  const createCompanyTx = db.transaction((i: { id: string; name: string; type: CompanyType; parentId: string | null; externalId: string | null; nowMs: number }) => {
    let path = i.id;
    if (i.parentId !== null) {
      const parent = company(i.parentId);
      // "Partners are the ones who enable license entitlements ... to Customer companies": only partners have children.
      if (parent.type !== 'partner') throw new StorageError('conflict', `company ${parent.id} is a customer; only partners have companies below them`);
      path = [...parent.path, i.id].join('/');
    }
    stmt.insertCompany.run(i.id, i.name, i.type, i.parentId, path, i.nowMs, i.externalId);
    return company(i.id);
  });

  const addVersionTx = db.transaction((v: SubscriptionVersion, nowMs: number) => {
    company(v.companyId);
    const last = stmt.lastVersion.get(v.subscriptionId) as { v: number | null; f: number | null; c: string | null };
    if (last.c !== null && last.c !== v.companyId) throw new StorageError('conflict', `subscription ${v.subscriptionId} belongs to company ${last.c}`);
    if (last.f !== null && v.effectiveFromMs < last.f) {
      throw new StorageError('conflict', `a new version of subscription ${v.subscriptionId} cannot take effect before the current one (${new Date(last.f).toISOString()})`);
    }
    const { subscriptionId, companyId, effectiveFromMs, effectiveUntilMs, ...terms } = v;
    stmt.insertVersion.run(subscriptionId, (last.v ?? 0) + 1, companyId, effectiveFromMs, effectiveUntilMs ?? null, JSON.stringify(terms), nowMs);
  });

  return {
    createCompany: guard((i) => {
      try {
        return createCompanyTx(i);
      } catch (err) {
        if ((err as { code?: string }).code === 'SQLITE_CONSTRAINT_PRIMARYKEY') throw new StorageError('conflict', `company ${i.id} already exists`);
        throw err;
      }
    }),
    getCompany: guard((id: string) => {
      const r = stmt.companyById.get(id) as CompanyRow | undefined;
      return r ? toCompany(r) : null;
    }),
    updateCompany: guard((id: string, patch: { name?: string; externalId?: string | null }) => {
      company(id);
      if (patch.name !== undefined) stmt.renameCompany.run(patch.name, id);
      if (patch.externalId !== undefined) stmt.setExternalId.run(patch.externalId, id);
      return company(id);
    }),
    setCompanyActive: guard((id: string, active: boolean, nowMs: number) => {
      const c = company(id);
      if (active && !c.active) stmt.setInactive.run(null, id);
      if (!active && c.active) stmt.setInactive.run(nowMs, id);
      return company(id);
    }),
    createUserGroup: guard((i: { id: string; companyId: string; name: string; nowMs: number }): UserGroupRecord => {
      company(i.companyId);
      try {
        stmt.insertGroup.run(i.id, i.companyId, i.name, i.nowMs);
      } catch (err) {
        if (String((err as { code?: string }).code).startsWith('SQLITE_CONSTRAINT')) throw new StorageError('conflict', `a user group named ${JSON.stringify(i.name)} already exists in this company`);
        throw err;
      }
      return { id: i.id, companyId: i.companyId, name: i.name };
    }),
    listUserGroups: guard((companyId: string) => (stmt.groupsOf.all(companyId) as { id: string; company_id: string; name: string }[])
      .map((g) => ({ id: g.id, companyId: g.company_id, name: g.name }))),
    upsertUser: guard((i: { id: string; companyId: string; externalId: string; displayName: string | null; nowMs: number }) => {
      company(i.companyId);
      stmt.insertUser.run(i.id, i.companyId, i.externalId, i.displayName, i.nowMs);
      return toUser(stmt.userByExternal.get(i.companyId, i.externalId) as UserRow);
    }),
    listUsers: guard((companyId: string) => (stmt.usersOf.all(companyId) as UserRow[]).map(toUser)),
    addGroupMember: guard((groupId: string, userId: string, nowMs: number) => {
      const g = stmt.groupById.get(groupId) as { company_id: string } | undefined;
      const u = stmt.userById.get(userId) as { company_id: string } | undefined;
      if (!g) throw new StorageError('not_found', `user group ${groupId} does not exist`);
      if (!u) throw new StorageError('not_found', `user ${userId} does not exist`);
      if (g.company_id !== u.company_id) throw new StorageError('conflict', 'a user can only join groups of its own company');
      stmt.addMember.run(groupId, userId, nowMs);
    }),
    assignDeviceUser: guard((deviceId: string, userId: string | null) => {
      const d = stmt.deviceById.get(deviceId) as { company_id: string } | undefined;
      if (!d) throw new StorageError('not_found', `device ${deviceId} does not exist`);
      if (userId !== null) {
        const u = stmt.userById.get(userId) as { company_id: string } | undefined;
        if (!u) throw new StorageError('not_found', `user ${userId} does not exist`);
        if (u.company_id !== d.company_id) throw new StorageError('conflict', 'a device can only be bound to a user of its own company');
      }
      stmt.assignUser.run(userId, deviceId);
    }),
    addSubscriptionVersion: guard((v: SubscriptionVersion, nowMs: number) => addVersionTx(v, nowMs)),
    listSubscriptionVersions: guard((companyId: string | null) =>
      ((companyId === null ? stmt.allVersions.all() : stmt.versionsOf.all(companyId)) as VersionRow[]).map(toSubscriptionVersion)),
    recordXdrDeployment: guard((i: { companyId: string; month: string; category: XdrCategory; nowMs: number }) => {
      company(i.companyId);
      stmt.insertXdr.run(i.companyId, i.month, i.category, i.nowMs);
    }),
  };
}
