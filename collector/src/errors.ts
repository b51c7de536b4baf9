// The one error table. Every failure an admin can meet has a stable code;
// this table says what each code is on every surface: the HTTP status of the
// REST API, the JSON-RPC error code of the partner API, the title of the
// console's error page and the CLI's exit code. Surfaces render from it and
// from nothing else (toTallyError below is the one place the layers' own
// errors, storage, billing core and reports, become these codes).
import { BillingInputError } from './billing/index.ts';
import { ReportError } from './reports/options.ts';
import { StorageError } from './storage/types.ts';
import { PsaError } from './psa/types.ts';

export const ERROR_TABLE = {
  /** No credential, or one that is not (or no longer) valid. */
  unauthorized: { http: 401, rpc: -32003, exit: 2, title: 'Not signed in' },
  /** A valid credential that may not do this (read-only key, inactive company, installation-only action). */
  forbidden: { http: 403, rpc: -32001, exit: 2, title: 'Not allowed' },
  /** Does not exist, or is outside what the credential may see: the two answer alike (no existence oracle). */
  not_found: { http: 404, rpc: -32000, exit: 2, title: 'Not found' },
  /** The input does not validate; `field` names what is wrong. Nothing was written. */
  invalid_request: { http: 400, rpc: -32602, exit: 2, title: 'Bad request' },
  /** A body above the size limit. */
  payload_too_large: { http: 413, rpc: -32600, exit: 2, title: 'Request too large' },
  /** The request contradicts what is stored (duplicate name, a change inside a finalized month...). */
  conflict: { http: 409, rpc: -32004, exit: 3, title: 'Conflict' },
  month_not_closable: { http: 409, rpc: -32005, exit: 2, title: 'Month cannot be finalized yet' },
  already_finalized: { http: 409, rpc: -32006, exit: 3, title: 'Month already finalized' },
  month_not_open: { http: 409, rpc: -32007, exit: 2, title: 'Month not open' },
  /** A month above the size of its every-line form (see usage/month-reader.ts). */
  month_too_large: { http: 413, rpc: -32008, exit: 2, title: 'Month too large' },
  /** A limit on how fast or how much (per token, per tenant); retry later. */
  rate_limited: { http: 429, rpc: -32009, exit: 4, title: 'Too many requests' },
  /** The tenant (the partner a report is for) already has its most report jobs waiting or running; retry when some finish. */
  queue_full: { http: 429, rpc: -32011, exit: 4, title: 'Report queue full' },
  /** The database cannot be reached or refused the write; nothing was done. Retry later. */
  storage_unavailable: { http: 503, rpc: -32010, exit: 4, title: 'Database unavailable' },
  /** No PSA credentials key is configured (TALLY_PSA_KEY or a key file): credentials can be neither saved nor used. */
  psa_key_missing: { http: 503, rpc: -32011, exit: 2, title: 'PSA key missing' },
  /** The PSA credentials key is malformed, or not the key the credentials were saved under. */
  psa_key_invalid: { http: 503, rpc: -32012, exit: 2, title: 'PSA key does not fit' },
  /** The PSA refused the credentials (401/403, or the token request). Nothing was written. */
  psa_auth_failed: { http: 502, rpc: -32013, exit: 2, title: 'PSA refused the credentials' },
  /** The PSA did not answer, kept failing (5xx) or kept rate limiting past the retries. Retry later: a sync resumes. */
  psa_unavailable: { http: 502, rpc: -32014, exit: 4, title: 'PSA unavailable' },
  /** The PSA refused a request (4xx other than auth and rate limits). */
  psa_rejected: { http: 502, rpc: -32015, exit: 3, title: 'PSA refused the request' },
  /** The PSA connection's URL leads to an address that is not on the public internet, and the operator has not allowed that network (--outbound-allow). */
  psa_address_refused: { http: 422, rpc: -32016, exit: 2, title: 'PSA address not allowed' },
  internal: { http: 500, rpc: -32603, exit: 1, title: 'Something went wrong' },
} as const satisfies Record<string, { http: number; rpc: number; exit: number; title: string }>;

export type ErrorCode = keyof typeof ERROR_TABLE;

export const ERROR_CODES = Object.keys(ERROR_TABLE) as ErrorCode[];

/** An error every surface knows how to answer with. */
export class TallyError extends Error {
  readonly field: string | null;
  constructor(readonly code: ErrorCode, message: string, opts: { field?: string | null; cause?: unknown } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'TallyError';
    this.field = opts.field ?? null;
  }

  get http(): number {
    return ERROR_TABLE[this.code].http;
  }
}

export const notFound = (what: string, id: string) => new TallyError('not_found', `${what} ${id} does not exist`);
export const invalid = (field: string, message: string) => new TallyError('invalid_request', `${field}: ${message}`, { field });
export const forbidden = (message: string) => new TallyError('forbidden', message);
export const conflict = (message: string) => new TallyError('conflict', message);

/**
 * The layers below raise their own errors with their own stable codes; this
 * is the one place they become Tally codes. Anything unknown is `internal`
 * (the caller logs it; its message is never shown).
 */
export function toTallyError(err: unknown): TallyError {
  if (err instanceof TallyError) return err;
  if (err instanceof StorageError) {
    switch (err.code) {
      case 'not_found': return new TallyError('not_found', err.message, { cause: err });
      case 'conflict': return new TallyError('conflict', err.message, { cause: err });
      case 'storage_unavailable': return new TallyError('storage_unavailable', 'the collector cannot reach its database; retry later', { cause: err });
      default: return new TallyError('internal', 'internal error', { cause: err });
    }
  }
  if (err instanceof BillingInputError) {
    return err.code === 'MONTH_NOT_OPEN'
      ? new TallyError('month_not_open', err.message, { cause: err })
      : new TallyError('invalid_request', err.message, { cause: err });
  }
  if (err instanceof PsaError) return new TallyError(err.code, err.message, { cause: err });
  if (err instanceof ReportError) {
    if (err.code === 'unknown_company') return new TallyError('not_found', err.message, { field: 'companyId', cause: err });
    return new TallyError('invalid_request', `${err.message} (${err.code})`, { cause: err });
  }
  return new TallyError('internal', 'internal error', { cause: err });
}

/** Whether the error is the kind worth a log line with its stack (not an expected refusal). */
export const isUnexpected = (e: TallyError) => e.code === 'internal' || e.code === 'storage_unavailable';

/** The REST body: { "error": { "code", "message", "field"? } }. */
export function restErrorBody(e: TallyError): { error: { code: ErrorCode; message: string; field?: string } } {
  return { error: { code: e.code, message: e.message, ...(e.field ? { field: e.field } : {}) } };
}
