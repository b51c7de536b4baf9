// Admin reads (listings, usage) and key/token writes.
import type pg from 'pg';
import { randomUUID } from 'node:crypto';
import { parseFacts, toCompany, toListing, type CompanyRow, type DeviceRow } from '../rows.ts';
import type {
  AdminReadStore, AdminWriteStore, ApiKeyListing, ApiKeyRecord, Company, DeviceFactsRecord, DeviceListing, DeviceMonthUsage, EnrolmentTokenListing,
  ListOptions, Page,
} from '../types.ts';
import { guard, inTransaction } from './db.ts';


const DEVICE_SELECT = `SELECT d.id, d.hostname, d.company_id, c.name AS company_name, d.enrolled_at, d.last_seen_at, d.uninstalled_at, d.clone_suspected_at, d.agent_version
  FROM devices d JOIN companies c ON c.id = d.company_id`;

/** A scope is one text[] parameter (NULL: every company), whatever its size. */
const scopeParam = (companyIds: readonly string[] | null | undefined) => (companyIds ? [...companyIds] : null);

export function postgresAdminStores(pool: pg.Pool): { adminRead: AdminReadStore; adminWrite: AdminWriteStore } {
  const adminRead: AdminReadStore = {
    listCompanies: guard(async (): Promise<Company[]> => (await pool.query<CompanyRow>('SELECT * FROM companies ORDER BY path')).rows.map(toCompany)),
    listDevices: guard(async ({ after, limit, companyIds }: ListOptions): Promise<Page<DeviceListing>> => {
      const rows = (await pool.query<DeviceRow>(`${DEVICE_SELECT} WHERE d.id > $1 AND ($3::text[] IS NULL OR d.company_id = ANY($3::text[]))
        ORDER BY d.id LIMIT $2`, [after ?? '', limit + 1, scopeParam(companyIds)])).rows;
      const items = rows.slice(0, limit).map(toListing);
      return { items, next: rows.length > limit ? items[items.length - 1].id : null };
    }),
    getDevice: guard(async (id: string): Promise<DeviceListing | null> => {
      const r = (await pool.query<DeviceRow>(`${DEVICE_SELECT} WHERE d.id = $1`, [id])).rows[0];
      return r ? toListing(r) : null;
    }),
    usageForDays: guard(async (fromDay: number, toDay: number, { after, limit, companyIds }: ListOptions): Promise<Page<DeviceMonthUsage>> => {
      // SUM over INTEGER is BIGINT (parsed to a number); COUNT likewise.
      const rows = (await pool.query<{ device_id: string; hostname: string; company_id: string; awake_seconds: number; active_days: number }>(
        `SELECT dd.device_id, d.hostname, MAX(dd.company_id) AS company_id, SUM(dd.awake_seconds)::bigint AS awake_seconds,
            COUNT(*) FILTER (WHERE dd.awake_seconds > 0) AS active_days
          FROM device_days dd JOIN devices d ON d.id = dd.device_id
          WHERE dd.utc_day >= $1 AND dd.utc_day < $2 AND dd.device_id > $3
            AND ($5::text[] IS NULL OR dd.company_id = ANY($5::text[]))
          GROUP BY dd.device_id, d.hostname ORDER BY dd.device_id LIMIT $4`, [fromDay, toDay, after ?? '', limit + 1, scopeParam(companyIds)])).rows;
      const items = rows.slice(0, limit).map((r) => ({
        deviceId: r.device_id, hostname: r.hostname, companyId: r.company_id, awakeSeconds: r.awake_seconds, activeDays: r.active_days,
      }));
      return { items, next: rows.length > limit ? items[items.length - 1].deviceId : null };
    }),
    deviceFacts: guard(async (deviceIds: readonly string[]): Promise<DeviceFactsRecord[]> => {
      // One array parameter carries any number of ids (no bound-parameter limit to chunk around).
      const rows = (await pool.query<{ id: string; hostname: string; facts_json: string | null }>(
        'SELECT id, hostname, facts_json FROM devices WHERE id = ANY($1::text[])', [[...new Set(deviceIds)]])).rows;
      return rows.map((r) => ({ deviceId: r.id, hostname: r.hostname, facts: parseFacts(r.facts_json) }));
    }),
  };

  const adminWrite: AdminWriteStore = {
    createApiKey: guard(async (i: { id: string; keyHash: string; label: string; companyId: string | null; readOnly: boolean; nowMs: number }): Promise<void> => {
      await pool.query('INSERT INTO api_keys (id, key_hash, label, company_id, read_only, created_at) VALUES ($1, $2, $3, $4, $5, $6)',
        [i.id, i.keyHash, i.label, i.companyId, i.readOnly, i.nowMs]);
    }),
    findApiKey: guard(async (keyHash: string): Promise<ApiKeyRecord | null> => {
      const r = (await pool.query<{ id: string; label: string; company_id: string | null; read_only: boolean }>(
        'SELECT id, label, company_id, read_only FROM api_keys WHERE key_hash = $1 AND revoked_at IS NULL', [keyHash])).rows[0];
      return r ? { id: r.id, label: r.label, companyId: r.company_id, readOnly: r.read_only } : null;
    }),
    ensureCustomerCompany: (name: string, nowMs: number) => inTransaction(pool, async (q): Promise<Company> => {
      // Two collectors (or two `token create` runs) ensuring the same new
      // name at once must not create it twice: serialize on the name.
      await q.query("SELECT pg_advisory_xact_lock(hashtext('tally.company-name:' || $1))", [name]);
      const existing = (await q.query<CompanyRow>("SELECT * FROM companies WHERE name = $1 AND type = 'customer' ORDER BY registered_at LIMIT 1", [name])).rows[0];
      if (existing) return toCompany(existing);
      const id = randomUUID();
      const r = await q.query<CompanyRow>("INSERT INTO companies (id, name, type, parent_id, path, registered_at) VALUES ($1, $2, 'customer', NULL, $1, $3) RETURNING *", [id, name, nowMs]);
      return toCompany(r.rows[0]);
    }),
    createEnrolmentToken: guard(async (i: { id: string; companyId: string; tokenHash: string; expiresAtMs: number | null; nowMs: number }): Promise<void> => {
      await pool.query('INSERT INTO enrolment_tokens (id, token_hash, company_id, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)',
        [i.id, i.tokenHash, i.companyId, i.nowMs, i.expiresAtMs]);
    }),
    listApiKeys: guard(async (companyIds: readonly string[] | null): Promise<ApiKeyListing[]> => (await pool.query<{
      id: string; label: string; company_id: string | null; read_only: boolean; created_at: number; revoked_at: number | null;
    }>(`SELECT id, label, company_id, read_only, created_at, revoked_at FROM api_keys
      WHERE $1::text[] IS NULL OR company_id = ANY($1::text[]) ORDER BY created_at, id`, [scopeParam(companyIds)])).rows
      .map((r) => ({ id: r.id, label: r.label, companyId: r.company_id, readOnly: r.read_only, createdAtMs: r.created_at, revokedAtMs: r.revoked_at }))),
    revokeApiKey: guard(async (id: string, nowMs: number) =>
      (await pool.query('UPDATE api_keys SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL', [id, nowMs])).rowCount === 1),
    listEnrolmentTokens: guard(async (companyIds: readonly string[] | null): Promise<EnrolmentTokenListing[]> => (await pool.query<{
      id: string; company_id: string; created_at: number; expires_at: number | null; revoked_at: number | null;
    }>(`SELECT id, company_id, created_at, expires_at, revoked_at FROM enrolment_tokens
      WHERE $1::text[] IS NULL OR company_id = ANY($1::text[]) ORDER BY created_at, id`, [scopeParam(companyIds)])).rows
      .map((r) => ({ id: r.id, companyId: r.company_id, createdAtMs: r.created_at, expiresAtMs: r.expires_at, revokedAtMs: r.revoked_at }))),
    revokeEnrolmentToken: guard(async (id: string, nowMs: number) =>
      (await pool.query('UPDATE enrolment_tokens SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL', [id, nowMs])).rowCount === 1),
  };
  return { adminRead, adminWrite };
}
