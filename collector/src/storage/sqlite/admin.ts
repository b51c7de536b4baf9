// Admin reads (listings, usage) and key/token writes.
import type Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import type {
  AdminReadStore, AdminWriteStore, ApiKeyListing, ApiKeyRecord, Company, DeviceFactsRecord, DeviceListing, DeviceMonthUsage, EnrolmentTokenListing, ListOptions, Page,
} from '../types.ts';
import { guard } from './guard.ts';
import { parseFacts, toCompany, toListing, type CompanyRow, type DeviceRow } from '../rows.ts';


const scopeParam = (companyIds: readonly string[] | null | undefined) => (companyIds ? JSON.stringify(companyIds) : null);

/** Ids per IN (...) query: far below SQLite's bound-parameter limit. */
const FACTS_CHUNK = 500;

export function sqliteAdminStores(db: Database.Database): { adminRead: AdminReadStore; adminWrite: AdminWriteStore } {
  const stmt = {
    companies: db.prepare('SELECT * FROM companies ORDER BY path'),
    companyById: db.prepare('SELECT * FROM companies WHERE id = ?'),
    companyByName: db.prepare("SELECT * FROM companies WHERE name = ? AND type = 'customer' ORDER BY registered_at LIMIT 1"),
    insertCompany: db.prepare("INSERT INTO companies (id, name, type, parent_id, path, registered_at) VALUES (?, ?, 'customer', NULL, ?, ?)"),
    // A scope arrives as a JSON array of company ids (NULL: every company): one statement for any size of scope.
    devicesPage: db.prepare(`SELECT d.id, d.hostname, d.company_id, c.name AS company_name, d.enrolled_at, d.last_seen_at, d.uninstalled_at, d.clone_suspected_at, d.agent_version
      FROM devices d JOIN companies c ON c.id = d.company_id
      WHERE d.id > @after AND (@scope IS NULL OR d.company_id IN (SELECT value FROM json_each(@scope)))
      ORDER BY d.id LIMIT @limit`),
    deviceById: db.prepare(`SELECT d.id, d.hostname, d.company_id, c.name AS company_name, d.enrolled_at, d.last_seen_at, d.uninstalled_at, d.clone_suspected_at, d.agent_version
      FROM devices d JOIN companies c ON c.id = d.company_id WHERE d.id = ?`),
    usagePage: db.prepare(`SELECT dd.device_id, d.hostname, MAX(dd.company_id) AS company_id, SUM(dd.awake_seconds) AS awake_seconds,
        SUM(CASE WHEN dd.awake_seconds > 0 THEN 1 ELSE 0 END) AS active_days
      FROM device_days dd JOIN devices d ON d.id = dd.device_id
      WHERE dd.utc_day >= @from AND dd.utc_day < @to AND dd.device_id > @after
        AND (@scope IS NULL OR dd.company_id IN (SELECT value FROM json_each(@scope)))
      GROUP BY dd.device_id ORDER BY dd.device_id LIMIT @limit`),
    listKeys: db.prepare(`SELECT id, label, company_id, read_only, created_at, revoked_at FROM api_keys
      WHERE @scope IS NULL OR company_id IN (SELECT value FROM json_each(@scope)) ORDER BY created_at, id`),
    revokeKey: db.prepare('UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL'),
    listTokens: db.prepare(`SELECT id, company_id, created_at, expires_at, revoked_at FROM enrolment_tokens
      WHERE @scope IS NULL OR company_id IN (SELECT value FROM json_each(@scope)) ORDER BY created_at, id`),
    revokeToken: db.prepare('UPDATE enrolment_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL'),
    insertApiKey: db.prepare('INSERT INTO api_keys (id, key_hash, label, company_id, read_only, created_at) VALUES (?, ?, ?, ?, ?, ?)'),
    apiKeyByHash: db.prepare('SELECT id, label, company_id, read_only FROM api_keys WHERE key_hash = ? AND revoked_at IS NULL'),
    insertToken: db.prepare('INSERT INTO enrolment_tokens (id, token_hash, company_id, created_at, expires_at) VALUES (?, ?, ?, ?, ?)'),
  };

  const ensureCompanyTx = db.transaction((name: string, nowMs: number): Company => {
    const existing = stmt.companyByName.get(name) as CompanyRow | undefined;
    if (existing) return toCompany(existing);
    const id = randomUUID();
    stmt.insertCompany.run(id, name, id, nowMs);
    return toCompany(stmt.companyById.get(id) as CompanyRow);
  });

  // One prepared statement per chunk size: a report asks for full chunks and one remainder.
  const factsStatements = new Map<number, Database.Statement>();
  const factsStatement = (n: number): Database.Statement => {
    let st = factsStatements.get(n);
    if (!st) factsStatements.set(n, (st = db.prepare(`SELECT id, hostname, facts_json FROM devices WHERE id IN (${Array(n).fill('?').join(', ')})`)));
    return st;
  };
  const adminRead: AdminReadStore = {
    listCompanies: guard((): Company[] => (stmt.companies.all() as CompanyRow[]).map(toCompany)),
    listDevices: guard(({ after, limit, companyIds }: ListOptions): Page<DeviceListing> => {
      const rows = stmt.devicesPage.all({ after: after ?? '', limit: limit + 1, scope: scopeParam(companyIds) }) as DeviceRow[];
      const items = rows.slice(0, limit).map(toListing);
      return { items, next: rows.length > limit ? items[items.length - 1].id : null };
    }),
    getDevice: guard((id: string): DeviceListing | null => {
      const r = stmt.deviceById.get(id) as DeviceRow | undefined;
      return r ? toListing(r) : null;
    }),
    usageForDays: guard((fromDay: number, toDay: number, { after, limit, companyIds }: ListOptions): Page<DeviceMonthUsage> => {
      const rows = stmt.usagePage.all({ from: fromDay, to: toDay, after: after ?? '', limit: limit + 1, scope: scopeParam(companyIds) }) as {
        device_id: string; hostname: string; company_id: string; awake_seconds: number; active_days: number;
      }[];
      const items = rows.slice(0, limit).map((r) => ({
        deviceId: r.device_id, hostname: r.hostname, companyId: r.company_id, awakeSeconds: r.awake_seconds, activeDays: r.active_days,
      }));
      return { items, next: rows.length > limit ? items[items.length - 1].deviceId : null };
    }),
    deviceFacts: guard((deviceIds: readonly string[]): DeviceFactsRecord[] => {
      const out: DeviceFactsRecord[] = [];
      const unique = [...new Set(deviceIds)];
      for (let i = 0; i < unique.length; i += FACTS_CHUNK) {
        const chunk = unique.slice(i, i + FACTS_CHUNK);
        for (const r of factsStatement(chunk.length).all(...chunk) as { id: string; hostname: string; facts_json: string | null }[]) {
          out.push({ deviceId: r.id, hostname: r.hostname, facts: parseFacts(r.facts_json) });
        }
      }
      return out;
    }),
  };

  const adminWrite: AdminWriteStore = {
    createApiKey: guard((i: { id: string; keyHash: string; label: string; companyId: string | null; readOnly: boolean; nowMs: number }): void => {
      stmt.insertApiKey.run(i.id, i.keyHash, i.label, i.companyId, i.readOnly ? 1 : 0, i.nowMs);
    }),
    findApiKey: guard((keyHash: string): ApiKeyRecord | null => {
      const r = stmt.apiKeyByHash.get(keyHash) as { id: string; label: string; company_id: string | null; read_only: number } | undefined;
      return r ? { id: r.id, label: r.label, companyId: r.company_id, readOnly: r.read_only === 1 } : null;
    }),
    ensureCustomerCompany: guard((name: string, nowMs: number) => ensureCompanyTx(name, nowMs)),
    createEnrolmentToken: guard((i: { id: string; companyId: string; tokenHash: string; expiresAtMs: number | null; nowMs: number }): void => {
      stmt.insertToken.run(i.id, i.tokenHash, i.companyId, i.nowMs, i.expiresAtMs);
    }),
    listApiKeys: guard((companyIds: readonly string[] | null): ApiKeyListing[] =>
      (stmt.listKeys.all({ scope: scopeParam(companyIds) }) as { id: string; label: string; company_id: string | null; read_only: number; created_at: number; revoked_at: number | null }[])
        .map((r) => ({ id: r.id, label: r.label, companyId: r.company_id, readOnly: r.read_only === 1, createdAtMs: r.created_at, revokedAtMs: r.revoked_at }))),
    revokeApiKey: guard((id: string, nowMs: number) => stmt.revokeKey.run(nowMs, id).changes === 1),
    listEnrolmentTokens: guard((companyIds: readonly string[] | null): EnrolmentTokenListing[] =>
      (stmt.listTokens.all({ scope: scopeParam(companyIds) }) as { id: string; company_id: string; created_at: number; expires_at: number | null; revoked_at: number | null }[])
        .map((r) => ({ id: r.id, companyId: r.company_id, createdAtMs: r.created_at, expiresAtMs: r.expires_at, revokedAtMs: r.revoked_at }))),
    revokeEnrolmentToken: guard((id: string, nowMs: number) => stmt.revokeToken.run(nowMs, id).changes === 1),
  };
  return { adminRead, adminWrite };
}
