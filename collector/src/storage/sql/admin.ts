// Admin reads (listings, usage, facts) and key/token writes, for both backends.
import type { Expression, Kysely, SqlBool } from 'kysely';
import { parseFacts, toCompany, toListing } from '../rows.ts';
import type {
  AdminReadStore, AdminWriteStore, ApiKeyListing, ApiKeyRecord, Company, DeviceFactsRecord, DeviceListing, DeviceMonthUsage, EnrolmentTokenListing,
  ListOptions, Page,
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
