// Admin reads (listings, usage, facts) and key/token writes, for both backends.
import type { Expression, Kysely, SqlBool } from 'kysely';
import { parseFacts, toCompany, toListing } from '../rows.ts';
import type {
  AdminReadStore, AdminWriteStore, ApiKeyListing, ApiKeyRecord, Company, DeviceCursor, DeviceFactsRecord, DeviceListing, DeviceMonthUsage, DevicePageQuery,
  EnrolmentTokenListing, ListOptions, Page,
} from '../types.ts';
import { sql } from './kysely.ts';
import { statement, writing, type SqlContext } from './context.ts';
import { isTrue } from './dialect.ts';
import type { Database } from './schema.ts';
import type { Role } from '../../auth/roles.ts';

/** Keeps the rows of the companies in `companyIds` (an API key's scope); null or undefined: every company. */
export const inScope = (ctx: SqlContext, column: string, companyIds: readonly string[] | null | undefined) =>
  <Q extends { where(condition: Expression<SqlBool>): Q }>(q: Q): Q => (companyIds ? q.where(ctx.dialect.inList(column, companyIds)) : q);

/** A page of at most `limit` items: one more row was read to know whether another page follows. */
const pageOf = <T>(rows: T[], limit: number, key: (item: T) => string): Page<T> => {
  const items = rows.slice(0, limit);
  return { items, next: rows.length > limit ? key(items[items.length - 1]) : null };
};

// The device's user: an admin's binding when there is one (user_assigned), else the one its agent reported.
const deviceListings = (db: Kysely<Database>) => db.selectFrom('devices as d').innerJoin('companies as c', 'c.id', 'd.company_id')
  .leftJoin('users as u', (join) => join.on(sql<SqlBool>`u.id = CASE WHEN d.user_assigned = TRUE THEN d.assigned_user_id ELSE d.reported_user_id END`))
  .select(['d.id', 'd.hostname', 'd.company_id', 'c.name as company_name', 'd.enrolled_at', 'd.last_seen_at', 'd.uninstalled_at',
    'd.clone_suspected_at', 'd.agent_version', 'd.last_enrolled_at', 'd.first_run_at', 'd.retired_at', 'd.merged_into', 'd.enrolments',
    'u.id as user_id', 'u.external_id as user_external_id', 'u.display_name as user_display_name', 'd.user_assigned']);

/**
 * The devices page's statement: a range of the devices_name index (hostname,
 * id) from the cursor on, with the filters as conditions the database checks
 * row by row on that range (activity through device_days' primary key), and
 * one row beyond the page to know whether another follows.
 */
export function deviceListPageQuery(ctx: SqlContext, db: Kysely<Database>, q: DevicePageQuery) {
  const activity = (fromDay: number, toDay: number) => sql<SqlBool>`EXISTS (SELECT 1 FROM device_days dd WHERE dd.device_id = d.id
    AND dd.utc_day >= ${fromDay} AND dd.utc_day < ${toDay} AND dd.awake_seconds > 0)`;
  const status = q.status;
  const companies = q.companyIds;
  return deviceListings(db).where('d.merged_into', 'is', null)
    // One company: devices_company_name is the page's range. Several: the walk goes along devices_name and checks the
    // company of each row; on SQLite the unary + keeps the planner from reading every device of the companies and
    // sorting them all for each page (PostgreSQL's planner weighs the ORDER BY ... LIMIT itself).
    .$if(companies !== null && companies.length === 1, (qb) => qb.where('d.company_id', '=', companies![0]))
    .$if(companies !== null && companies.length !== 1, (qb) => qb.where(ctx.dialect.name === 'sqlite'
      ? sql<SqlBool>`+d.company_id IN (SELECT value FROM json_each(${JSON.stringify(companies)}))`
      : ctx.dialect.inList('d.company_id', companies!)))
    .$if(q.after !== null, (qb) => qb.where(sql<SqlBool>`(d.hostname, d.id) > (${q.after!.hostname}, ${q.after!.id})`))
    .$if(q.platform !== undefined, (qb) => qb.where(sql.ref('d.platform'), '=', q.platform!))
    .$if(q.virtual !== undefined, (qb) => qb.where(q.virtual ? sql<SqlBool>`d.virtual = TRUE` : sql<SqlBool>`d.virtual = FALSE`))
    .$if(q.activeAfterMs !== undefined, (qb) => qb.where(sql<SqlBool>`COALESCE(d.last_seen_at, d.enrolled_at) > ${q.activeAfterMs!}`))
    .$if(status?.is === 'uninstalled', (qb) => qb.where('d.uninstalled_at', 'is not', null))
    .$if(status?.is === 'clone_suspected', (qb) => qb.where('d.clone_suspected_at', 'is not', null))
    .$if(status?.is === 'inactive', (qb) => qb.where('d.uninstalled_at', 'is', null).where(sql<SqlBool>`NOT ${activity(status!.fromDay, status!.toDay)}`))
    .$if(status?.is === 'active', (qb) => qb.where('d.uninstalled_at', 'is', null).where('d.clone_suspected_at', 'is', null)
      .where(activity(status!.fromDay, status!.toDay)))
    .orderBy('d.hostname').orderBy('d.id').limit(q.limit + 1);
}

const keyRecord = (r: { id: string; label: string; company_id: string | null; read_only: boolean | 0 | 1; role: string | null; created_by_user_id: string | null }): ApiKeyRecord => ({
  id: r.id, label: r.label, companyId: r.company_id, readOnly: isTrue(r.read_only), role: r.role as Role | null, createdByUserId: r.created_by_user_id,
});

export function sqlAdminStores(ctx: SqlContext): { adminRead: AdminReadStore; adminWrite: AdminWriteStore } {
  const adminRead: AdminReadStore = {
    listCompanies: () => statement(ctx, async (db): Promise<Company[]> =>
      (await db.selectFrom('companies').selectAll().orderBy('path').execute()).map(toCompany)),
    listDevices: ({ after, limit, companyIds, includeMerged }: ListOptions) => statement(ctx, async (db): Promise<Page<DeviceListing>> => {
      const rows = await deviceListings(db).where('d.id', '>', after ?? '').$call(inScope(ctx, 'd.company_id', companyIds))
        .$if(!includeMerged, (q) => q.where('d.merged_into', 'is', null))
        .orderBy('d.id').limit(limit + 1).execute();
      return pageOf(rows.map(toListing), limit, (d) => d.id);
    }),
    deviceListPage: (q: DevicePageQuery) => statement(ctx, async (db): Promise<{ items: DeviceListing[]; next: DeviceCursor | null }> => {
      const rows = await deviceListPageQuery(ctx, db, q).execute();
      const items = rows.slice(0, q.limit).map(toListing);
      const last = items.at(-1);
      return { items, next: rows.length > q.limit && last ? { hostname: last.hostname, id: last.id } : null };
    }),
    getDevice: (id: string) => statement(ctx, async (db): Promise<DeviceListing | null> => {
      const r = await deviceListings(db).where('d.id', '=', id).executeTakeFirst();
      return r ? toListing(r) : null;
    }),
    usageForDays: (fromDay: number, toDay: number, { after, limit, companyIds }: ListOptions) => statement(ctx, async (db): Promise<Page<DeviceMonthUsage>> => {
      const rows = await db.selectFrom('device_days as dd').innerJoin('devices as d', 'd.id', 'dd.device_id')
        .select((eb) => ['dd.device_id', 'd.hostname', eb.fn.max('dd.company_id').as('company_id'), eb.fn.sum<number>('dd.awake_seconds').as('awake_seconds'),
          eb.fn.sum<number>(eb.case().when('dd.awake_seconds', '>', 0).then(eb.lit(1)).else(eb.lit(0)).end()).as('active_days')])
        .where('dd.utc_day', '>=', fromDay).where('dd.utc_day', '<', toDay).where('dd.device_id', '>', after ?? '')
        .$call(inScope(ctx, 'dd.company_id', companyIds))
        .groupBy(['dd.device_id', 'd.hostname']).orderBy('dd.device_id').limit(limit + 1).execute();
      return pageOf(rows.map((r) => ({
        deviceId: r.device_id, hostname: r.hostname, companyId: r.company_id, awakeSeconds: Number(r.awake_seconds), activeDays: Number(r.active_days),
      })), limit, (u) => u.deviceId);
    }),
    deviceFacts: (deviceIds: readonly string[]) => statement(ctx, async (db): Promise<DeviceFactsRecord[]> => {
      // One list parameter carries any number of ids (no bound-parameter limit to chunk around).
      const rows = await db.selectFrom('devices').select(['id', 'hostname', 'facts_json']).where(ctx.dialect.inList('id', [...new Set(deviceIds)])).execute();
      return rows.map((r) => ({ deviceId: r.id, hostname: r.hostname, facts: parseFacts(r.facts_json) }));
    }),
  };

  const adminWrite: AdminWriteStore = {
    createApiKey: (i) => statement(ctx, async (db) => {
      await db.insertInto('api_keys').values({
        id: i.id, key_hash: i.keyHash, label: i.label, company_id: i.companyId, read_only: i.readOnly, created_at: i.nowMs, role: i.role ?? null,
        created_by_user_id: i.createdByUserId ?? null,
      }).execute();
    }),
    findApiKey: (keyHash: string) => statement(ctx, async (db): Promise<ApiKeyRecord | null> => {
      const r = await db.selectFrom('api_keys').select(['id', 'label', 'company_id', 'read_only', 'role', 'created_by_user_id']).where('key_hash', '=', keyHash)
        .where('revoked_at', 'is', null).executeTakeFirst();
      return r ? keyRecord(r) : null;
    }),
    getApiKey: (id: string) => statement(ctx, async (db): Promise<ApiKeyRecord | null> => {
      const r = await db.selectFrom('api_keys').select(['id', 'label', 'company_id', 'read_only', 'role', 'created_by_user_id']).where('id', '=', id)
        .where('revoked_at', 'is', null).executeTakeFirst();
      return r ? keyRecord(r) : null;
    }),
    createEnrolmentToken: (i: { id: string; companyId: string; tokenHash: string; expiresAtMs: number | null; maxEnrolments?: number | null; nowMs: number }) => statement(ctx, async (db) => {
      await db.insertInto('enrolment_tokens').values({
        id: i.id, token_hash: i.tokenHash, company_id: i.companyId, created_at: i.nowMs, expires_at: i.expiresAtMs, max_enrolments: i.maxEnrolments ?? null,
      }).execute();
    }),
    listApiKeys: (companyIds: readonly string[] | null) => statement(ctx, async (db): Promise<ApiKeyListing[]> =>
      (await db.selectFrom('api_keys').select(['id', 'label', 'company_id', 'read_only', 'role', 'created_by_user_id', 'created_at', 'revoked_at'])
        .$call(inScope(ctx, 'company_id', companyIds)).orderBy('created_at').orderBy('id').execute())
        .map((r) => ({ ...keyRecord(r), createdAtMs: r.created_at, revokedAtMs: r.revoked_at }))),
    revokeApiKey: (id: string, nowMs: number) => statement(ctx, async (db) =>
      (await db.updateTable('api_keys').set({ revoked_at: nowMs }).where('id', '=', id).where('revoked_at', 'is', null).executeTakeFirst()).numUpdatedRows === 1n),
    listEnrolmentTokens: (companyIds: readonly string[] | null) => statement(ctx, async (db): Promise<EnrolmentTokenListing[]> =>
      (await db.selectFrom('enrolment_tokens').select(['id', 'company_id', 'created_at', 'expires_at', 'revoked_at', 'max_enrolments', 'enrolments', 'limit_hit_at'])
        .$call(inScope(ctx, 'company_id', companyIds)).orderBy('created_at').orderBy('id').execute())
        .map((r) => ({
          id: r.id, companyId: r.company_id, createdAtMs: r.created_at, expiresAtMs: r.expires_at, revokedAtMs: r.revoked_at,
          maxEnrolments: r.max_enrolments, enrolments: Number(r.enrolments), limitHitAtMs: r.limit_hit_at,
        }))),
    revokeEnrolmentToken: (id: string, nowMs: number) => statement(ctx, async (db) =>
      (await db.updateTable('enrolment_tokens').set({ revoked_at: nowMs }).where('id', '=', id).where('revoked_at', 'is', null).executeTakeFirst())
        .numUpdatedRows === 1n),
  };
  return { adminRead, adminWrite };
}
