// Companies, user groups, users, device bindings, subscriptions, XDR sensors, for both backends.
import type { Kysely } from 'kysely';
import type { SubscriptionVersion, XdrCategory } from '../../billing/index.ts';
import { toCompany, toSubscriptionVersion } from '../rows.ts';
import { StorageError, type Company, type CompanyType, type TenancyStore, type UserGroupRecord, type UserRecord } from '../types.ts';
import { identityTreeRoot } from '../../devices/identity.ts';
import { sql } from './kysely.ts';
import { statement, writing, type SqlContext } from './context.ts';
import { jsonArray } from './dialect.ts';
import type { Database } from './schema.ts';

export function sqlTenancyStore(ctx: SqlContext): TenancyStore {
  const { dialect } = ctx;

  /** The company, locked for the rest of the transaction when asked (PostgreSQL); not_found if there is none. */
  const company = async (db: Kysely<Database>, id: string, lock = false): Promise<Company> => {
    const query = db.selectFrom('companies').selectAll().where('id', '=', id);
    const r = await (lock ? dialect.forUpdate(query) : query).executeTakeFirst();
    if (!r) throw new StorageError('not_found', `company ${id} does not exist`);
    return toCompany(r);
  };

  /** Users with their group ids, sorted like every other listing. */
  const users = (db: Kysely<Database>) => db.selectFrom('users as u')
    .select(['u.id', 'u.company_id', 'u.external_id', 'u.display_name', 'u.last_active_at', dialect.groupIdsOf('u.id').as('group_ids')]);
  const toUser = (r: { id: string; company_id: string; external_id: string; display_name: string | null; last_active_at: number | null; group_ids: unknown }): UserRecord => ({
    id: r.id, companyId: r.company_id, externalId: r.external_id, displayName: r.display_name, groupIds: jsonArray(r.group_ids).sort(), lastActiveAtMs: r.last_active_at,
  });

  return {
    createCompany: (i: { id: string; name: string; type: CompanyType; parentId: string | null; externalId: string | null; nowMs: number }) => writing(ctx, async (db) => {
      let path = i.id;
      if (i.parentId !== null) {
        const parent = await company(db, i.parentId);
        // "Partners are the ones who enable license entitlements ... to Customer companies": only partners have children.
        if (parent.type !== 'partner') throw new StorageError('conflict', `company ${parent.id} is a customer; only partners have companies below them`);
        path = [...parent.path, i.id].join('/');
      }
      const r = await db.insertInto('companies')
        .values({ id: i.id, name: i.name, type: i.type, parent_id: i.parentId, path, registered_at: i.nowMs, external_id: i.externalId })
        .onConflict((oc) => oc.column('id').doNothing()).returningAll().executeTakeFirst();
      if (!r) throw new StorageError('conflict', `company ${i.id} already exists`);
      return toCompany(r);
    }),
    getCompany: (id: string) => statement(ctx, async (db) => {
      const r = await db.selectFrom('companies').selectAll().where('id', '=', id).executeTakeFirst();
      return r ? toCompany(r) : null;
    }),
    updateCompany: (id: string, patch: { name?: string; externalId?: string | null }) => writing(ctx, async (db) => {
      await company(db, id, true);
      if (patch.name !== undefined) await db.updateTable('companies').set({ name: patch.name }).where('id', '=', id).execute();
      if (patch.externalId !== undefined) await db.updateTable('companies').set({ external_id: patch.externalId }).where('id', '=', id).execute();
      return company(db, id);
    }),
    setCompanyActive: (id: string, active: boolean, nowMs: number) => writing(ctx, async (db) => {
      // Locked: two admins inactivating at once keep the first instant.
      const c = await company(db, id, true);
      // A reactivation keeps the period it ends: a month recomputed later (late data, a move) still bills none of it.
      const periods = active && !c.active && c.inactiveSinceMs !== null && c.inactiveSinceMs < nowMs
        ? JSON.stringify([...c.inactivePeriods, { fromMs: c.inactiveSinceMs, untilMs: nowMs }]) : undefined;
      if (active !== c.active) await db.updateTable('companies').set({ inactive_since: active ? null : nowMs, ...(periods ? { inactive_periods: periods } : {}) }).where('id', '=', id).execute();
      return company(db, id);
    }),
    moveCompany: (i: { id: string; parentId: string | null; moveId: string; nowMs: number }) => writing(ctx, async (db) => {
      // Locked in a fixed order (the company, then the parent): two moves at once cannot build a loop.
      const moved = await company(db, i.id, true);
      let path = [moved.id];
      if (i.parentId !== null) {
        const parent = await company(db, i.parentId, true);
        if (parent.type !== 'partner') throw new StorageError('conflict', `company ${parent.id} is a customer; only partners have companies below them`);
        if (parent.path.includes(moved.id)) throw new StorageError('conflict', 'a company cannot move under itself or a company below it');
        path = [...parent.path, moved.id];
      }
      if (moved.parentId === i.parentId) return moved;
      const from = moved.path.join('/');
      const to = path.join('/');
      // The company and its whole subtree: the old path prefix becomes the new one.
      await db.updateTable('companies')
        .set({ path: sql<string>`${to} || substr(path, ${from.length + 1})` })
        .where((eb) => eb.or([eb('path', '=', from), eb(sql<string>`substr(path, 1, ${from.length + 1})`, '=', `${from}/`)]))
        .execute();
      await db.updateTable('companies').set({ parent_id: i.parentId }).where('id', '=', moved.id).execute();
      await db.insertInto('company_moves').values({ id: i.moveId, company_id: moved.id, from_parent_id: moved.parentId, to_parent_id: i.parentId, moved_at: i.nowMs }).execute();
      // Hardware evidence is kept per partner tree (devices/identity.ts): the company's own devices follow it.
      const [oldRoot, newRoot] = [identityTreeRoot(moved.path), identityTreeRoot(path)];
      if (oldRoot !== newRoot) {
        await db.updateTable('device_hardware_ids').set({ tree_root: newRoot }).where('tree_root', '=', oldRoot)
          .where('device_id', 'in', db.selectFrom('devices').select('id').where('company_id', '=', moved.id)).execute();
      }
      return company(db, moved.id);
    }),
    createUserGroup: (i: { id: string; companyId: string; name: string; nowMs: number }) => writing(ctx, async (db): Promise<UserGroupRecord> => {
      await company(db, i.companyId);
      // DO NOTHING instead of failing: a failed statement would end a PostgreSQL unit of work this call is part of.
      const r = await db.insertInto('user_groups').values({ id: i.id, company_id: i.companyId, name: i.name, created_at: i.nowMs })
        .onConflict((oc) => oc.doNothing()).executeTakeFirst();
      if (r.numInsertedOrUpdatedRows !== 1n) throw new StorageError('conflict', `a user group named ${JSON.stringify(i.name)} already exists in this company`);
      return { id: i.id, companyId: i.companyId, name: i.name };
    }),
    listUserGroups: (companyId: string) => statement(ctx, async (db) =>
      (await db.selectFrom('user_groups').select(['id', 'company_id', 'name']).where('company_id', '=', companyId).orderBy('name').execute())
        .map((g) => ({ id: g.id, companyId: g.company_id, name: g.name }))),
    upsertUser: (i: { id: string; companyId: string; externalId: string; displayName: string | null; nowMs: number }) => writing(ctx, async (db) => {
      await company(db, i.companyId);
      await db.insertInto('users').values({ id: i.id, company_id: i.companyId, external_id: i.externalId, display_name: i.displayName, created_at: i.nowMs })
        .onConflict((oc) => oc.columns(['company_id', 'external_id'])
          .doUpdateSet((eb) => ({ display_name: eb.fn.coalesce('excluded.display_name', 'users.display_name') })))
        .execute();
      return toUser(await users(db).where('u.company_id', '=', i.companyId).where('u.external_id', '=', i.externalId).executeTakeFirstOrThrow());
    }),
    listUsers: (companyId: string) => statement(ctx, async (db) =>
      (await users(db).where('u.company_id', '=', companyId).orderBy('u.external_id').execute()).map(toUser)),
    addGroupMember: (groupId: string, userId: string, nowMs: number) => writing(ctx, async (db) => {
      const g = await db.selectFrom('user_groups').select('company_id').where('id', '=', groupId).executeTakeFirst();
      const u = await db.selectFrom('users').select('company_id').where('id', '=', userId).executeTakeFirst();
      if (!g) throw new StorageError('not_found', `user group ${groupId} does not exist`);
      if (!u) throw new StorageError('not_found', `user ${userId} does not exist`);
      if (g.company_id !== u.company_id) throw new StorageError('conflict', 'a user can only join groups of its own company');
      await db.insertInto('user_group_members').values({ group_id: groupId, user_id: userId, added_at: nowMs }).onConflict((oc) => oc.doNothing()).execute();
    }),
    assignDeviceUser: (deviceId: string, userId: string | null) => writing(ctx, async (db) => {
      const d = await dialect.forUpdate(db.selectFrom('devices').select('company_id').where('id', '=', deviceId)).executeTakeFirst();
      if (!d) throw new StorageError('not_found', `device ${deviceId} does not exist`);
      if (userId !== null) {
        const u = await db.selectFrom('users').select('company_id').where('id', '=', userId).executeTakeFirst();
        if (!u) throw new StorageError('not_found', `user ${userId} does not exist`);
        if (u.company_id !== d.company_id) throw new StorageError('conflict', 'a device can only be bound to a user of its own company');
      }
      await db.updateTable('devices').set({ assigned_user_id: userId, user_assigned: true }).where('id', '=', deviceId).execute();
    }),
    addSubscriptionVersion: (v: SubscriptionVersion, nowMs: number) => writing(ctx, async (db) => {
      await company(db, v.companyId);
      // Versions of one subscription are numbered 1..n; two admins adding one
      // at once would both pick n+1. Serialize per subscription.
      await dialect.serialize(db, `tally.subscription:${v.subscriptionId}`);
      const last = await db.selectFrom('subscription_versions')
        .select((eb) => [eb.fn.max('version').as('v'), eb.fn.max('effective_from').as('f'), eb.fn.min('company_id').as('c')])
        .where('subscription_id', '=', v.subscriptionId).executeTakeFirstOrThrow();
      if (last.c !== null && last.c !== v.companyId) throw new StorageError('conflict', `subscription ${v.subscriptionId} belongs to company ${last.c}`);
      if (last.f !== null && v.effectiveFromMs < last.f) {
        throw new StorageError('conflict', `a new version of subscription ${v.subscriptionId} cannot take effect before the current one (${new Date(last.f).toISOString()})`);
      }
      const { subscriptionId, companyId, effectiveFromMs, effectiveUntilMs, ...terms } = v;
      await db.insertInto('subscription_versions').values({
        subscription_id: subscriptionId, version: (last.v ?? 0) + 1, company_id: companyId, effective_from: effectiveFromMs,
        effective_until: effectiveUntilMs ?? null, terms: JSON.stringify(terms), created_at: nowMs,
      }).execute();
    }),
    listSubscriptionVersions: (companyId: string | null) => statement(ctx, async (db) =>
      (await db.selectFrom('subscription_versions').selectAll().$if(companyId !== null, (q) => q.where('company_id', '=', companyId!))
        .orderBy('subscription_id').orderBy('version').execute()).map(toSubscriptionVersion)),
    recordXdrDeployment: (i: { companyId: string; month: string; category: XdrCategory; nowMs: number }) => writing(ctx, async (db) => {
      await company(db, i.companyId);
      await db.insertInto('xdr_deployments').values({ company_id: i.companyId, month: i.month, category: i.category, recorded_at: i.nowMs })
        .onConflict((oc) => oc.doNothing()).execute();
    }),
  };
}
