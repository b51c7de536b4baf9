// Boundary validation with zod: a bad body or query is a 400 invalid_request
// whose message names the field, never a 500 and never a partial write.
import type { Context } from 'hono';
import { z } from 'zod';
import { ApiError } from './errors.ts';

function describe(error: z.ZodError): string {
  return error.issues.slice(0, 5).map((i) => `${i.path.length ? i.path.join('.') : 'body'}: ${i.message}`).join('; ');
}

/** Bodies above this are refused before parsing. */
export const MAX_BODY_BYTES = 256 * 1024;

export async function jsonBody<S extends z.ZodType>(c: Context, schema: S): Promise<z.infer<S>> {
  const length = Number(c.req.header('content-length') ?? '0');
  if (length > MAX_BODY_BYTES) throw new ApiError(413, 'invalid_request', `request body larger than ${MAX_BODY_BYTES} bytes`);
  let raw: unknown;
  try {
    const text = await c.req.text();
    if (text.length > MAX_BODY_BYTES) throw new ApiError(413, 'invalid_request', `request body larger than ${MAX_BODY_BYTES} bytes`);
    raw = text.trim() === '' ? {} : JSON.parse(text);
  } catch (err) {
    if (err instanceof ApiError) throw err;
    throw new ApiError(400, 'invalid_request', `body is not valid JSON: ${(err as Error).message}`);
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw new ApiError(400, 'invalid_request', describe(parsed.error));
  return parsed.data;
}

export function queryParams<S extends z.ZodType>(c: Context, schema: S): z.infer<S> {
  const parsed = schema.safeParse(c.req.query());
  if (!parsed.success) throw new ApiError(400, 'invalid_request', describe(parsed.error));
  return parsed.data;
}

export const monthParam = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'expected YYYY-MM (a UTC calendar month)')
  // The billing core knows months from 1970 on; refuse the rest here, as a 400, not deeper down.
  .refine((m) => Number(m.slice(0, 4)) >= 1970, 'expected a month from 1970-01 on');
export const productTypeParam = z.enum(['endpoint_security', 'edr']);
export const idParam = z.string().min(1).max(64);
export const isoInstant = z.string().datetime({ offset: true, message: 'expected an ISO 8601 date-time, e.g. 2026-11-01T00:00:00Z' });
