// The audit log: append-only, newest first when read.
import type pg from 'pg';
import type { AuditEntry, AuditStore } from '../types.ts';
import { guard } from './db.ts';

interface AuditRow { id: number; at: number; actor: string; action: string; target_type: string; target_id: string; company_id: string | null; details: string }

export function postgresAuditStore(pool: pg.Pool): AuditStore {
  return {
    append: guard(async (e: Omit<AuditEntry, 'id'>): Promise<void> => {
      await pool.query(`INSERT INTO audit_log (at, actor, action, target_type, target_id, company_id, details) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [e.atMs, e.actor, e.action, e.targetType, e.targetId, e.companyId, JSON.stringify(e.details ?? {})]);
    }),
    list: guard(async ({ companyIds, beforeId, limit }: { companyIds: readonly string[] | null; beforeId: number | null; limit: number }): Promise<AuditEntry[]> =>
      (await pool.query<AuditRow>(`SELECT * FROM audit_log
        WHERE ($1::bigint IS NULL OR id < $1) AND ($2::text[] IS NULL OR company_id = ANY($2::text[]))
        ORDER BY id DESC LIMIT $3`, [beforeId, companyIds ? [...companyIds] : null, limit])).rows.map((r) => ({
        id: r.id, atMs: r.at, actor: r.actor, action: r.action, targetType: r.target_type, targetId: r.target_id, companyId: r.company_id,
        details: JSON.parse(r.details),
      }))),
  };
}
