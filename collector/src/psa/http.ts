// HTTP for connectors: JSON over fetch with a timeout, 429 honoured with its
// Retry-After (capped), 5xx and network errors retried a bounded number of
// times with backoff, 401/403 a clear psa_auth_failed. Request headers (where
// the credentials are) are never logged or kept; what is kept for the audit
// is the method, the path, the body sent and the body answered.
import { OutboundAddressError, PUBLIC_INTERNET_ONLY, outboundRequest, type OutboundPolicy, type OutboundResponse } from '../outbound.ts';
import { PsaError, type PsaExchange } from './types.ts';

export interface PsaHttpOptions {
  baseUrl: string;
  /** Headers for every request (credentials): used, never logged. */
  headers: () => Promise<Record<string, string>> | Record<string, string>;
  /** Attempts per request, the first included (default 4). */
  attempts?: number;
  /** Longest wait a Retry-After may ask for before the request gives up (default 30 s). */
  maxRetryAfterMs?: number;
  /** Backoff before the n-th retry of a 5xx: base * 2^(n-1) (default 200 ms). */
  backoffMs?: number;
  timeoutMs?: number;
  /** Which addresses the PSA may have (default: public internet addresses only; outbound.ts). */
  outbound?: OutboundPolicy;
  /** Called before each retry (metrics, logs: the status and the wait, nothing else). */
  onRetry?: (info: { status: number | null; waitMs: number; path: string }) => void;
  /** Called on a 401 once, before the request is retried (an expired OAuth token); true when new headers are worth a retry. */
  onUnauthorized?: () => Promise<boolean>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Retry-After in seconds or as an HTTP date (RFC 9110 10.2.3). */
export function retryAfterMs(header: string | null, nowMs = Date.now()): number | null {
  if (!header) return null;
  const s = Number(header.trim());
  if (Number.isFinite(s) && s >= 0) return s * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? null : Math.max(0, at - nowMs);
}

export class PsaHttp {
  private readonly outbound: OutboundPolicy;

  constructor(private readonly opts: PsaHttpOptions) {
    this.outbound = opts.outbound ?? PUBLIC_INTERNET_ONLY;
  }

  /**
   * One request. A 429 is retried whatever the method (the PSA refused it
   * without doing it). A 5xx or a lost connection is retried only when the
   * request is idempotent (GET, PUT, PATCH, DELETE, or a POST the caller
   * marks so, such as a query): a create retried after an answer was lost
   * could be done twice. A non-idempotent failure goes up at once; the sync
   * then resumes from its ledger, reading the PSA before writing again.
   */
  async request(method: string, path: string, body?: unknown, extra: { form?: Record<string, string>; auth?: boolean; idempotent?: boolean } = {}): Promise<{ status: number; json: unknown; exchange: PsaExchange }> {
    const idempotent = extra.idempotent ?? method !== 'POST';
    const attempts = this.opts.attempts ?? 4;
    const url = new URL(path.replace(/^\//, ''), this.opts.baseUrl.endsWith('/') ? this.opts.baseUrl : this.opts.baseUrl + '/');
    let retriedAuth = false;
    let lastError: PsaError | null = null;
    for (let attempt = 1; attempt <= attempts; attempt++) {
      const headers: Record<string, string> = { accept: 'application/json', ...(extra.auth === false ? {} : await this.opts.headers()) };
      let payload: string | undefined;
      if (extra.form) {
        headers['content-type'] = 'application/x-www-form-urlencoded';
        payload = new URLSearchParams(extra.form).toString();
      } else if (body !== undefined) {
        headers['content-type'] = 'application/json';
        payload = JSON.stringify(body);
      }
      let res: OutboundResponse;
      try {
        // Redirects are not followed: the request and its credentials go to the configured URL's address only.
        res = await outboundRequest(this.outbound, url, { method, headers, body: payload, timeoutMs: this.opts.timeoutMs ?? 30_000 });
      } catch (err) {
        // A refused address is the connection's setting, not the PSA's silence: never retried.
        if (err instanceof OutboundAddressError) throw new PsaError('psa_address_refused', `${method} ${url.host}: ${err.message}`);
        lastError = new PsaError('psa_unavailable', `${method} ${url.pathname}: ${(err as Error).name === 'TimeoutError' ? 'timed out' : 'connection failed'}`);
        if (!idempotent) throw lastError;
        if (attempt < attempts) await this.wait(null, this.backoff(attempt), url.pathname);
        continue;
      }
      const text = res.text;
      let json: unknown = null;
      try {
        json = text ? JSON.parse(text) : null;
      } catch {
        json = text.slice(0, 500);
      }
      const exchange: PsaExchange = { method, path: url.pathname + url.search, sent: extra.form ? '(form)' : body ?? null, status: res.status, answered: json };
      if (res.status >= 200 && res.status < 300) return { status: res.status, json, exchange };
      if (res.status >= 300 && res.status < 400) {
        throw new PsaError('psa_rejected', `the PSA answered ${method} ${url.pathname} with a redirect (${res.status}${res.header('location') ? ` to ${res.header('location')}` : ''}); redirects are not followed: set the connection's URL to where the API is`, res.status);
      }
      if (res.status === 401 && !retriedAuth && this.opts.onUnauthorized && extra.auth !== false) {
        retriedAuth = true;
        if (await this.opts.onUnauthorized()) {
          attempt--;
          continue;
        }
      }
      if (res.status === 401 || res.status === 403) throw new PsaError('psa_auth_failed', `the PSA refused the credentials (${res.status} on ${method} ${url.pathname})`, res.status);
      if (res.status === 429) {
        const wait = retryAfterMs(res.header('retry-after')) ?? this.backoff(attempt);
        lastError = new PsaError('psa_unavailable', `the PSA is rate limiting (429 on ${method} ${url.pathname})`, 429);
        if (wait > (this.opts.maxRetryAfterMs ?? 30_000)) throw lastError;
        if (attempt < attempts) await this.wait(429, wait, url.pathname);
        continue;
      }
      if (res.status >= 500) {
        lastError = new PsaError('psa_unavailable', `the PSA failed (${res.status} on ${method} ${url.pathname})`, res.status);
        if (!idempotent) throw lastError;
        if (attempt < attempts) await this.wait(res.status, this.backoff(attempt), url.pathname);
        continue;
      }
      throw new PsaError('psa_rejected', `the PSA refused ${method} ${url.pathname} (${res.status}): ${summarize(json)}`, res.status);
    }
    throw lastError ?? new PsaError('psa_unavailable', `${method} ${path} failed`);
  }

  /** A read (a POST query included): retried on 5xx. */
  async json<T>(method: string, path: string, body?: unknown): Promise<T> {
    return (await this.request(method, path, body, { idempotent: true })).json as T;
  }

  private backoff(attempt: number): number {
    return (this.opts.backoffMs ?? 200) * 2 ** (attempt - 1);
  }

  private async wait(status: number | null, waitMs: number, path: string): Promise<void> {
    this.opts.onRetry?.({ status, waitMs, path });
    await sleep(waitMs);
  }
}

function summarize(json: unknown): string {
  const text = typeof json === 'string' ? json : JSON.stringify(json);
  return (text ?? '').slice(0, 300);
}
