// How the collector refuses a WebSocket upgrade: a plain HTTP answer (no
// WebSocket ever exists) with a status, a JSON body
// `{"error":{"code","message"}}`, and the code again in the X-Tally-Error
// header so a client can read it without parsing the body. The codes are
// stable; each has exactly one HTTP status.
//
// Each entry says what it means and what the agent (agent/src/runtime.ts,
// onRefused) does on it. "Normal backoff" doubles from the first retry up to
// the ceiling; "slowly" waits the ceiling every time.

/** The response header that carries the refusal code. */
export const UPGRADE_ERROR_HEADER = 'X-Tally-Error';

export const UPGRADE_ERROR = {
  /** 401: no `Authorization: Bearer <secret>`. Agent: retries slowly. */
  missingCredentials: 'missing_credentials',
  /** 401: unknown, revoked or expired enrolment token (or a secret of no known kind). Agent: retries slowly. */
  invalidToken: 'invalid_token',
  /**
   * 401: unknown device key (the collector's database was replaced, or the
   * device deleted). Agent: forgets the key and enrols again at once when it
   * has an enrolment token; otherwise retries slowly.
   */
  invalidDeviceKey: 'invalid_device_key',
  /** 403: the device's or the token's company is inactive. Agent: retries slowly. */
  companyInactive: 'company_inactive',
  /** 403: an admin retired this device: its key is refused for good. Agent: retries slowly (an admin may enrol it again). */
  deviceRetired: 'device_retired',
  /** 403: the enrolment token reached its limit of enrolments. Agent: retries slowly. */
  tokenExhausted: 'token_exhausted',
  /** 404: the upgrade asked for a path other than AGENT_WS_PATH. Agent: retries slowly. */
  notFound: 'not_found',
  /** 429: too many enrolments or refused credentials from this address; `Retry-After` says when. Agent: retries on its normal backoff. */
  rateLimited: 'rate_limited',
  /**
   * 429: this source address already holds as many agent connections as one
   * address may (--max-connections-per-ip), so no one address takes every
   * slot. Agent: retries on its normal backoff.
   */
  addressLimit: 'address_connection_limit',
  /** 503: this collector holds as many agents as it may. Agent: retries on its normal backoff. */
  tooManyConnections: 'too_many_connections',
  /** 503: the collector cannot reach its database. Agent: retries on its normal backoff. */
  storageUnavailable: 'storage_unavailable',
  /** 503: the collector is shutting down. Agent: retries slowly. */
  shuttingDown: 'shutting_down',
  /** 503: an unexpected failure while authenticating. Agent: retries slowly. */
  internal: 'internal',
} as const;

export type UpgradeErrorCode = (typeof UPGRADE_ERROR)[keyof typeof UPGRADE_ERROR];
export type UpgradeErrorStatus = 401 | 403 | 404 | 429 | 503;

/** The one HTTP status of each refusal code. */
export const UPGRADE_ERROR_STATUS: Readonly<Record<UpgradeErrorCode, UpgradeErrorStatus>> = {
  missing_credentials: 401,
  invalid_token: 401,
  invalid_device_key: 401,
  company_inactive: 403,
  device_retired: 403,
  token_exhausted: 403,
  not_found: 404,
  rate_limited: 429,
  address_connection_limit: 429,
  too_many_connections: 503,
  storage_unavailable: 503,
  shutting_down: 503,
  internal: 503,
};

/**
 * The refusal code of an HTTP answer to an upgrade, from its headers as Node
 * gives them (names lower-cased); undefined when the answer has none (not a
 * collector, or a proxy in between).
 */
export function upgradeErrorCode(headers: Readonly<Record<string, string | string[] | undefined>>): string | undefined {
  const value = headers[UPGRADE_ERROR_HEADER.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}
