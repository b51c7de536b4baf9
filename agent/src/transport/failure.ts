// Why a connection to the collector failed, in the few words an operator
// acts on: refused, dns, tls, unauthorized, proxy, timeout, reset, refused by
// the collector (with its stable code). Pure.

export type FailureReason = 'refused' | 'dns' | 'tls' | 'unauthorized' | 'forbidden' | 'proxy' | 'timeout' | 'reset' | 'collector' | 'other';

export interface ConnectFailure {
  reason: FailureReason;
  /** The error code or the collector's X-Tally-Error code. */
  code: string;
  message: string;
  /** What to do about it, for the log line and `doctor`. */
  hint: string;
}

const TLS_CODE = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ALTNAME|ERR_TLS|ERR_SSL|EPROTO|HOSTNAME_MISMATCH/;

/** A socket-level error (before any HTTP answer). `viaProxy`: the first hop was the proxy, so refused/DNS/timeouts are the proxy's. */
export function classifySocketError(err: Error & { code?: string }, viaProxy: boolean): ConnectFailure {
  const code = err.code ?? '';
  const message = err.message;
  if (TLS_CODE.test(code) || /certificate|tls|ssl/i.test(message) && !code.startsWith('E')) {
    return { reason: 'tls', code, message, hint: "cannot verify the collector's TLS certificate; not sending credentials (pin a private CA with --ca)" };
  }
  const hop = viaProxy ? 'the proxy' : 'the collector';
  if (code === 'ECONNREFUSED') return { reason: viaProxy ? 'proxy' : 'refused', code, message, hint: `${hop} refused the connection (is it running, is the port right?)` };
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_FAIL' || code === 'EAI_NONAME') {
    return { reason: viaProxy ? 'proxy' : 'dns', code, message, hint: `the name of ${hop} does not resolve (DNS)` };
  }
  if (code === 'ETIMEDOUT' || /timed? ?out/i.test(message)) return { reason: viaProxy ? 'proxy' : 'timeout', code: code || 'ETIMEDOUT', message, hint: `no answer from ${hop} in time (firewall?)` };
  if (code === 'ECONNRESET' || code === 'EPIPE') return { reason: 'reset', code, message, hint: 'the connection was cut (a proxy or firewall that inspects TLS?)' };
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH') return { reason: viaProxy ? 'proxy' : 'refused', code, message, hint: `${hop} is unreachable (routing)` };
  return { reason: 'other', code: code || 'error', message, hint: 'unexpected error' };
}

/** An HTTP answer to the upgrade instead of 101 (from the collector, or from the proxy when it refused the tunnel). */
export function classifyHttpRefusal(status: number, tallyCode: string | undefined, message: string): ConnectFailure {
  if (status === 407) return { reason: 'proxy', code: 'http_407', message: message || 'Proxy Authentication Required', hint: 'the proxy wants credentials: put them in the proxy URL (http://user:password@proxy:port)' };
  if (!tallyCode && (status === 403 || status === 502 || status === 503 || status === 504)) {
    // No X-Tally-Error: the answer did not come from a collector.
    return { reason: 'proxy', code: `http_${status}`, message, hint: 'an HTTP proxy or gateway refused the connection to the collector (allow-list the collector)' };
  }
  const code = tallyCode ?? `http_${status}`;
  if (status === 401) return { reason: 'unauthorized', code, message, hint: 'the collector refused our credentials (device key or enrolment token)' };
  if (status === 403) return { reason: 'forbidden', code, message, hint: "the collector refused this device's company (inactive?)" };
  return { reason: 'collector', code, message, hint: 'the collector refused the connection' };
}
