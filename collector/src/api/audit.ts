// The audit log of admin actions: who (which API key) changed what, when.
// Handlers call `audited` after the change succeeded; reads are scoped like
// everything else.
import type { Context } from 'hono';
import { Hono } from 'hono';
import { z } from 'zod';
import type { Storage } from '../storage/types.ts';
import type { ApiEnv } from './routes.ts';
import { iso } from './serialize.ts';
import { queryParams } from './validate.ts';

export interface AuditEvent {
  action: string;
  targetType: string;
  targetId: string;
  /** The company the change concerns; null for installation-wide changes. */
  companyId: string | null;
  details?: unknown;
}

export async function audited(c: Context<ApiEnv>, storage: Storage, now: () => number, e: AuditEvent): Promise<void> {
  await storage.audit.append({ ...e, atMs: now(), actor: `api-key:${c.get('apiKey').id}`, details: e.details ?? {} });
}

export const AuditQuery = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  before: z.coerce.number().int().min(1).optional(),
});

export function auditRoutes(storage: Storage) {
  const api = new Hono<ApiEnv>();
  api.get('/audit', async (c) => {
    const q = queryParams(c, AuditQuery);
    const entries = await storage.audit.list({ companyIds: c.get('scope').companyIds(), beforeId: q.before ?? null, limit: q.limit });
    return c.json({
      entries: entries.map((e) => ({ ...e, at: iso(e.atMs), atMs: undefined })),
      next: entries.length === q.limit ? entries[entries.length - 1].id : null,
    });
  });
  return api;
}
