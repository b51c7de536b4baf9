// Building blocks of the command schemas: one definition of an id, a month,
// an instant, shared by every command (and so by every surface).
import { z } from 'zod';

export const idParam = z.string().trim().min(1).max(64);
export const nameParam = z.string().trim().min(1).max(200);
export const monthParam = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'expected YYYY-MM (a UTC calendar month)')
  // The billing core knows months from 1970 on; refuse the rest here, as invalid_request, not deeper down.
  .refine((m) => Number(m.slice(0, 4)) >= 1970, 'expected a month from 1970-01 on');
export const productTypeParam = z.enum(['endpoint_security', 'edr']);
export const isoInstant = z.string().datetime({ offset: true, message: 'expected an ISO 8601 date-time, e.g. 2026-11-01T00:00:00Z' });
export const reportFormatParam = z.enum(['csv', 'xlsx', 'pdf', 'psa']);

/** A schema with nothing in it: for commands without a target or without input. */
export const nothing = z.object({}).strict();

/** The first problem of a failed parse as a field path and a message. */
export function firstIssue(error: z.ZodError, prefix?: string): { field: string; message: string } {
  const issue = error.issues[0];
  const path = [prefix, ...issue.path.map(String)].filter((p) => p !== undefined && p !== '').join('.');
  const more = error.issues.length > 1 ? ` (and ${error.issues.length - 1} more)` : '';
  return { field: path || 'body', message: `${path || 'body'}: ${issue.message}${more}` };
}
