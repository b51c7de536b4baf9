// The audit log of admin actions: who changed what, when. Written by the
// command runner (admin/command.ts); reads are scoped like everything else.
import { Hono } from 'hono';
import { z } from 'zod';
import type { AuditStore } from '../storage/types.ts';
import { iso } from './serialize.ts';
import { queryParams, read, type ApiEnv } from './http.ts';

export const AuditQuery = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  before: z.coerce.number().int().min(1).optional(),
});

export function auditRoutes(audit: Pick<AuditStore, 'list'>) {
  const api = new Hono<ApiEnv>();
  api.get('/audit', read('audit.read', async (c) => {
    const q = queryParams(c, AuditQuery);
    const entries = await audit.list({ companyIds: c.get('principal').scope.companyIds(), beforeId: q.before ?? null, limit: q.limit });
    return c.json({
      entries: entries.map((e) => ({ ...e, at: iso(e.atMs), atMs: undefined })),
      next: entries.length === q.limit ? entries[entries.length - 1].id : null,
    });
  }));
  return api;
}
