// Admin reads (listings, usage) and key/token writes.
import type Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import type { AdminReadStore, AdminWriteStore, ApiKeyRecord, Company, DeviceListing, DeviceMonthUsage, Page } from '../types.ts';
import { guard } from './guard.ts';
import { toCompany, type CompanyRow } from './rows.ts';

export function sqliteAdminStores(db: Database.Database): { adminRead: AdminReadStore; adminWrite: AdminWriteStore } {
  const stmt = {
    companies: db.prepare('SELECT * FROM companies ORDER BY path'),
    companyById: db.prepare('SELECT * FROM companies WHERE id = ?'),
    companyByName: db.prepare("SELECT * FROM companies WHERE name = ? AND type = 'customer' ORDER BY registered_at LIMIT 1"),
    insertCompany: db.prepare("INSERT INTO companies (id, name, type, parent_id, path, registered_at) VALUES (?, ?, 'customer', NULL, ?, ?)"),
    devicesPage: db.prepare(`SELECT d.id, d.hostname, d.company_id, c.name AS company_name, d.enrolled_at, d.last_seen_at, d.uninstalled_at, d.agent_version
      FROM devices d JOIN companies c ON c.id = d.company_id WHERE d.id > ? ORDER BY d.id LIMIT ?`),
    usagePage: db.prepare(`SELECT dd.device_id, d.hostname, d.company_id, SUM(dd.awake_seconds) AS awake_seconds,
        SUM(CASE WHEN dd.awake_seconds > 0 THEN 1 ELSE 0 END) AS active_days
      FROM device_days dd JOIN devices d ON d.id = dd.device_id
      WHERE dd.utc_day >= ? AND dd.utc_day < ? AND dd.device_id > ?
      GROUP BY dd.device_id ORDER BY dd.device_id LIMIT ?`),
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

  const adminRead: AdminReadStore = {
    listCompanies: guard((): Company[] => (stmt.companies.all() as CompanyRow[]).map(toCompany)),
    listDevices: guard(({ after, limit }: { after: string | null; limit: number }): Page<DeviceListing> => {
      const rows = stmt.devicesPage.all(after ?? '', limit + 1) as {
        id: string; hostname: string; company_id: string; company_name: string; enrolled_at: number; last_seen_at: number | null;
        uninstalled_at: number | null; agent_version: string;
      }[];
      const items = rows.slice(0, limit).map((r) => ({
        id: r.id, hostname: r.hostname, companyId: r.company_id, companyName: r.company_name,
        enrolledAtMs: r.enrolled_at, lastSeenAtMs: r.last_seen_at, uninstalledAtMs: r.uninstalled_at, agentVersion: r.agent_version,
      }));
      return { items, next: rows.length > limit ? items[items.length - 1].id : null };
    }),
    usageForDays: guard((fromDay: number, toDay: number, { after, limit }: { after: string | null; limit: number }): Page<DeviceMonthUsage> => {
      const rows = stmt.usagePage.all(fromDay, toDay, after ?? '', limit + 1) as {
        device_id: string; hostname: string; company_id: string; awake_seconds: number; active_days: number;
      }[];
      const items = rows.slice(0, limit).map((r) => ({
        deviceId: r.device_id, hostname: r.hostname, companyId: r.company_id, awakeSeconds: r.awake_seconds, activeDays: r.active_days,
      }));
      return { items, next: rows.length > limit ? items[items.length - 1].deviceId : null };
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
  };
  return { adminRead, adminWrite };
}
