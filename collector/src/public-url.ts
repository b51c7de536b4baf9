// The collector's public URL: the base of every link it hands out (report
// download links in the API, JSON-RPC's getDownloadLinks, scheduled report
// mail, the single sign-on redirect URI). It is configuration (--public-url,
// TALLY_PUBLIC_URL, config "publicUrl"), never taken from a request: the
// Host header is whatever the client sent, and a link built from
// `Host: attacker.example` sends the integration's API key to the attacker.
//
// Without a configured URL the default is the listen address as this process
// knows it: http(s)://HOST:PORT, a wildcard listen address (0.0.0.0, ::)
// replaced by the machine's host name. That is right for a collector reached
// directly; behind a proxy or a DNS name, configure --public-url.
import { hostname } from 'node:os';

export class PublicUrlError extends Error {}

/** Checks a configured public URL: http(s), no query, fragment or credentials; returned without a trailing slash. */
export function parsePublicUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new PublicUrlError(`public URL ${JSON.stringify(raw)} is not a URL; expected e.g. https://tally.msp.example`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new PublicUrlError(`public URL must be http:// or https://, got ${url.protocol}`);
  if (url.username || url.password) throw new PublicUrlError('public URL must not hold a user name or password');
  if (url.search || url.hash) throw new PublicUrlError('public URL must not hold a query or fragment');
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

/** The default when none is configured: the listen address, a wildcard one replaced by the machine's host name. */
export function defaultPublicUrl(o: { tls: boolean; host: string; port: number }, machine: () => string = hostname): string {
  const wildcard = o.host === '0.0.0.0' || o.host === '::' || o.host === '' || o.host === '[::]';
  const host = wildcard ? machine() : o.host;
  return `${o.tls ? 'https' : 'http'}://${host.includes(':') ? `[${host}]` : host}:${o.port}`;
}

/** A link under the public URL: `path` starts with '/'. */
export const publicLink = (base: string, path: string): string => base + path;
