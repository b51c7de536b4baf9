// The audit log: append-only, newest first when read.
import type Database from 'better-sqlite3';
import type { AuditEntry, AuditStore } from '../types.ts';
import { guard } from './guard.ts';

interface AuditRow { id: number; at: number; actor: string; action: string; target_type: string; target_id: string; company_id: string | null; details: string }

export function sqliteAuditStore(db: Database.Database): AuditStore {
  const insert = db.prepare(`INSERT INTO audit_log (at, actor, action, target_type, target_id, company_id, details)
    VALUES (@atMs, @actor, @action, @targetType, @targetId, @companyId, @details)`);
  const page = db.prepare(`SELECT * FROM audit_log
    WHERE (@beforeId IS NULL OR id < @beforeId) AND (@scope IS NULL OR company_id IN (SELECT value FROM json_each(@scope)))
    ORDER BY id DESC LIMIT @limit`);
  return {
    append: guard((e: Omit<AuditEntry, 'id'>): void => {
      insert.run({ ...e, details: JSON.stringify(e.details ?? {}) });
    }),
    list: guard(({ companyIds, beforeId, limit }: { companyIds: readonly string[] | null; beforeId: number | null; limit: number }): AuditEntry[] =>
      (page.all({ beforeId, limit, scope: companyIds ? JSON.stringify(companyIds) : null }) as AuditRow[]).map((r) => ({
        id: r.id, atMs: r.at, actor: r.actor, action: r.action, targetType: r.target_type, targetId: r.target_id, companyId: r.company_id,
        details: JSON.parse(r.details),
      }))),
  };
}
