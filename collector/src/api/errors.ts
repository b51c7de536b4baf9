// JSON error bodies with stable codes: { "error": { "code", "message" } }.
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

export type ApiErrorCode =
  | 'unauthorized' | 'forbidden' | 'not_found' | 'invalid_request' | 'conflict' | 'month_not_closable' | 'already_finalized'
  | 'month_not_open' | 'month_too_large' | 'storage_unavailable' | 'internal';

export function apiError(c: Context, status: ContentfulStatusCode, code: ApiErrorCode, message: string) {
  return c.json({ error: { code, message } }, status);
}

/** Thrown by handlers and validators; app.onError turns it into the JSON answer. */
export class ApiError extends Error {
  constructor(readonly status: ContentfulStatusCode, readonly code: ApiErrorCode, message: string) {
    super(message);
  }
}
