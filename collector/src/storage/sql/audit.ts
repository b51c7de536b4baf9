// The audit log, for both backends: append-only, newest first when read.
import type { AuditEntry, AuditStore } from '../types.ts';
import { inScope } from './admin.ts';
import { statement, type SqlContext } from './context.ts';

export function sqlAuditStore(ctx: SqlContext): AuditStore {
  return {
    append: (e) => statement(ctx, async (db) => {
      await db.insertInto('audit_log').values({
        user_id: e.userId ?? null, at: e.atMs, actor: e.actor, action: e.action, target_type: e.targetType, target_id: e.targetId, company_id: e.companyId, details: JSON.stringify(e.details ?? {}),
      }).execute();
    }),
    list: ({ companyIds, beforeId, limit }: { companyIds: readonly string[] | null; beforeId: number | null; limit: number }) => statement(ctx, async (db): Promise<AuditEntry[]> =>
      (await db.selectFrom('audit_log').selectAll().$if(beforeId !== null, (q) => q.where('id', '<', beforeId!)).$call(inScope(ctx, 'company_id', companyIds))
        .orderBy('id', 'desc').limit(limit).execute()).map((r) => ({
        id: r.id, atMs: r.at, actor: r.actor, userId: r.user_id, action: r.action, targetType: r.target_type, targetId: r.target_id, companyId: r.company_id,
        details: JSON.parse(r.details),
      }))),
  };
}
