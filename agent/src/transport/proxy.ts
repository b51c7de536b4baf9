// Which HTTP(S) proxy, if any, carries the connection to the collector, and
// the agent that tunnels through it (HTTP CONNECT, so TLS runs end to end
// between the agent and the collector: the pinned CA is still what verifies
// the collector's certificate, and the proxy sees only an encrypted stream).
//
//   explicit   --proxy / TALLY_PROXY / config "proxy" / managed ProxyUrl:
//              http(s)://[user:password@]host:port, used as it is
//   direct     the same setting as "direct": no proxy, whatever the environment says
//   (unset)    the usual environment: HTTPS_PROXY for wss://, HTTP_PROXY for
//              ws://, ALL_PROXY as fallback, NO_PROXY exceptions (comma or
//              space list, domain suffixes, "*", host:port), lower case first
import { HttpsProxyAgent } from 'https-proxy-agent';
import { getProxyForUrl } from 'proxy-from-env';

export type ProxySetting = { kind: 'explicit'; url: URL } | { kind: 'direct' } | { kind: 'environment' };

export class ProxySettingError extends Error {
  readonly code = 'INVALID_PROXY';
}

/** Parses the proxy setting as an admin writes it. */
export function parseProxySetting(text: string | undefined): ProxySetting {
  if (text === undefined) return { kind: 'environment' };
  const value = text.trim();
  if (/^(direct|none)$/i.test(value)) return { kind: 'direct' };
  return { kind: 'explicit', url: parseProxyUrl(value) };
}

function parseProxyUrl(value: string): URL {
  let url: URL;
  try {
    // "proxy.corp:3128" is what people type; it means an HTTP proxy.
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `http://${value}`);
  } catch {
    throw new ProxySettingError(`proxy ${JSON.stringify(redactProxyText(value))} is not a URL; expected e.g. http://proxy.corp:3128 or http://user:password@proxy.corp:3128, or "direct"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ProxySettingError(`proxy scheme ${url.protocol} is not supported; use an HTTP proxy (http:// or https://)`);
  }
  if (!url.hostname) throw new ProxySettingError(`proxy ${redactProxy(url)} has no host`);
  return url;
}

/** The proxy for a connection to `target` (ws:// or wss://), or null for a direct connection. */
export function proxyFor(target: URL, setting: ProxySetting): URL | null {
  if (setting.kind === 'direct') return null;
  if (setting.kind === 'explicit') return setting.url;
  // proxy-from-env picks the variable by scheme: a WebSocket is HTTP(S) on the wire.
  const asHttp = new URL(target.href);
  asHttp.protocol = target.protocol === 'wss:' ? 'https:' : 'http:';
  const fromEnv = getProxyForUrl(asHttp.href);
  if (!fromEnv) return null;
  try {
    return parseProxyUrl(fromEnv);
  } catch (err) {
    throw new ProxySettingError(`proxy from the environment (HTTPS_PROXY / HTTP_PROXY / ALL_PROXY): ${(err as Error).message}`);
  }
}

/** An http.Agent that opens every connection as a CONNECT tunnel through `proxy` (credentials in its URL go as Basic auth). */
export function tunnelAgent(proxy: URL): HttpsProxyAgent<string> {
  return new HttpsProxyAgent(proxy.href, { keepAlive: false });
}

/** The proxy URL for logs and `status`: the password never leaves the machine's settings. */
export function redactProxy(url: URL): string {
  if (!url.password) return url.href;
  const copy = new URL(url.href);
  copy.password = '***';
  return copy.href;
}

function redactProxyText(text: string): string {
  return text.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');
}

/** The setting as a person reads it (for `status` and `doctor`). */
export function describeProxy(target: URL, setting: ProxySetting): string {
  const proxy = proxyFor(target, setting);
  if (!proxy) return setting.kind === 'direct' ? 'direct (proxy setting "direct")' : 'direct';
  return `${redactProxy(proxy)} (${setting.kind === 'explicit' ? 'proxy setting' : 'environment'})`;
}
