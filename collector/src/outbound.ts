// Requests the collector makes to URLs an admin typed: webhook receivers and
// PSA APIs. Partner and customer admins may set those URLs, so without a
// check a tenant could point the collector at what only the collector can
// reach (its database port, a cloud metadata service, another tenant's
// internal PSA) and read the answers from the delivery log or the sync's
// error. Every such request therefore connects only to public internet
// addresses, unless the operator allows more networks (--outbound-allow).
//
// The check is made on the address actually connected to: the DNS lookup of
// the request itself is filtered (a name that resolves to a public address
// when the URL is saved and to 10.0.0.5 when it is used gains nothing), and a
// literal IP in the URL is checked before connecting. Redirects are never
// followed (a public receiver cannot bounce the request inward).
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { BlockList, isIP, type LookupFunction } from 'node:net';

/** Ranges that are not the public internet (IANA special-purpose registries), IPv4 then IPv6. */
const NOT_PUBLIC_V4: readonly [string, number][] = [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12], ['192.0.0.0', 24],
  ['192.0.2.0', 24], ['192.88.99.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['198.51.100.0', 24], ['203.0.113.0', 24], ['224.0.0.0', 4], ['240.0.0.0', 4],
];
const NOT_PUBLIC_V6: readonly [string, number][] = [
  ['::', 128], ['::1', 128], ['64:ff9b:1::', 48], ['100::', 64], ['2001::', 23], ['2001:db8::', 32], ['fc00::', 7], ['fe80::', 10], ['fec0::', 10], ['ff00::', 8],
];

/** The IPv4 address inside an IPv4-mapped (::ffff:a.b.c.d) or NAT64 (64:ff9b::a.b.c.d) IPv6 address, else null. */
function embeddedV4(ip: string): string | null {
  const m = /^(?:::ffff:|64:ff9b::)(?:(\d+\.\d+\.\d+\.\d+)|([0-9a-f]{1,4}):([0-9a-f]{1,4}))$/i.exec(ip);
  if (!m) return null;
  if (m[1]) return m[1];
  const hi = parseInt(m[2], 16);
  const lo = parseInt(m[3], 16);
  return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
}

export class OutboundAddressError extends Error {
  readonly code = 'ERR_OUTBOUND_ADDRESS';
  constructor(readonly host: string, readonly addresses: readonly string[]) {
    super(`${host} ${addresses.length === 1 && addresses[0] === host ? 'is' : `resolves only to ${addresses.join(', ')}, which are`} not public internet addresses; the collector's operator can allow that network with --outbound-allow CIDR`);
    this.name = 'OutboundAddressError';
  }
}

export class OutboundPolicy {
  private readonly notPublic = new BlockList();
  private readonly allowed = new BlockList();
  /** Keep-alive connections per policy (webhook deliveries to one receiver reuse them); each new one is looked up through `lookup`. */
  readonly agents = { http: new http.Agent({ keepAlive: true, maxSockets: 32 }), https: new https.Agent({ keepAlive: true, maxSockets: 32 }) };

  /** `allow`: CIDRs (10.0.0.0/8, fd00::/8, 127.0.0.1/32) the operator lets requests reach although they are not public. */
  constructor(readonly allow: readonly string[] = []) {
    for (const [a, p] of NOT_PUBLIC_V4) this.notPublic.addSubnet(a, p, 'ipv4');
    for (const [a, p] of NOT_PUBLIC_V6) this.notPublic.addSubnet(a, p, 'ipv6');
    for (const cidr of allow) {
      const { address, prefix, family } = parseCidr(cidr);
      this.allowed.addSubnet(address, prefix, family);
    }
  }

  /** From a comma-separated list of CIDRs; throws an Error naming the bad entry. */
  static parse(list: string | undefined): OutboundPolicy {
    const items = (list ?? '').split(',').map((s) => s.trim()).filter(Boolean);
    return new OutboundPolicy(items);
  }

  /** Whether a request may connect to this IP address. */
  permits(ip: string): boolean {
    const family = isIP(ip);
    if (family === 0) return false;
    const type = family === 4 ? 'ipv4' : 'ipv6';
    if (this.allowed.check(ip, type)) return true;
    const v4 = family === 6 ? embeddedV4(ip) : null;
    if (v4 !== null) return this.permits(v4);
    return !this.notPublic.check(ip, type);
  }

  /** Why a URL's literal IP host is refused (null when the host is a name, or an address that is permitted). */
  literalProblem(url: URL): OutboundAddressError | null {
    const host = url.hostname.replace(/^\[|\]$/g, '');
    return isIP(host) && !this.permits(host) ? new OutboundAddressError(host, [host]) : null;
  }

  /**
   * A fetch for libraries that take one (openid-client's customFetch): the
   * same rules, the answer buffered (at most 8 MiB), no redirect followed.
   */
  readonly fetch = async (input: string | URL, init: { method?: string; headers?: Record<string, string> | Headers; body?: unknown; signal?: AbortSignal } = {}): Promise<Response> => {
    const headers: Record<string, string> = {};
    new Headers(init.headers as ConstructorParameters<typeof Headers>[0]).forEach((v, k) => { headers[k] = v; });
    const body = init.body === undefined || init.body === null ? undefined : String(init.body); // strings and URLSearchParams (forms)
    const res = await outboundRequest(this, new URL(String(input)), { method: init.method ?? 'GET', headers, body, timeoutMs: 30_000 });
    const empty = res.status === 204 || res.status === 205 || res.status === 304;
    return new Response(empty ? null : res.text, { status: res.status, headers: res.headers });
  };

  /** A DNS lookup for sockets that returns only permitted addresses, and fails when none is. */
  readonly lookup: LookupFunction = (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (err, addresses: LookupAddress[]) => {
      if (err) return (callback as (e: Error | null, a: string | LookupAddress[], f?: number) => void)(err, options.all ? [] : '', 0);
      const ok = addresses.filter((a) => this.permits(a.address));
      const cb = callback as (e: Error | null, a: string | LookupAddress[], f?: number) => void;
      if (ok.length === 0) return cb(new OutboundAddressError(hostname, addresses.map((a) => a.address)), options.all ? [] : '', 0);
      if (options.all) cb(null, ok);
      else cb(null, ok[0].address, ok[0].family);
    });
  };
}

/**
 * The default: public internet addresses only. One instance, so every user of the default shares its
 * keep-alive connections instead of each PSA client or worker opening a pool of its own.
 */
export const PUBLIC_INTERNET_ONLY = new OutboundPolicy();

function parseCidr(cidr: string): { address: string; prefix: number; family: 'ipv4' | 'ipv6' } {
  const m = /^([^/]+)\/(\d{1,3})$/.exec(cidr);
  const family = m ? isIP(m[1]) : 0;
  const prefix = m ? Number(m[2]) : NaN;
  if (!m || family === 0 || prefix > (family === 4 ? 32 : 128)) {
    throw new Error(`not a network in CIDR form (address/prefix, e.g. 10.0.0.0/8 or fd00::/8): ${JSON.stringify(cidr)}`);
  }
  return { address: m[1], prefix, family: family === 4 ? 'ipv4' : 'ipv6' };
}

export interface OutboundResponse {
  status: number;
  /** A header's value (lower-case name), the first when repeated. */
  header(name: string): string | null;
  /** Every header, for a WHATWG Response (fetch). */
  headers: Headers;
  /** The body as text: at most maxBodyBytes are read (the rest is cut off). */
  text: string;
}

export interface OutboundRequest {
  method: string;
  headers?: Record<string, string>;
  body?: string;
  timeoutMs: number;
  /** Bytes of the answer kept (default 8 MiB); 0 reads none (the answer is discarded). */
  maxBodyBytes?: number;
}

/**
 * One HTTP(S) request under the policy: only permitted addresses, no
 * redirects followed (a 3xx is returned as it is), the whole exchange within
 * timeoutMs. Rejects with OutboundAddressError for a refused address, an
 * Error named TimeoutError when the time ran out, else the socket's error.
 */
export function outboundRequest(policy: OutboundPolicy, url: URL, req: OutboundRequest): Promise<OutboundResponse> {
  const literal = policy.literalProblem(url);
  if (literal) return Promise.reject(literal);
  const maxBody = req.maxBodyBytes ?? 8 * 1024 * 1024;
  const signal = AbortSignal.timeout(req.timeoutMs);
  const [client, agent] = url.protocol === 'https:' ? [https, policy.agents.https] as const : [http, policy.agents.http] as const;
  return new Promise<OutboundResponse>((resolve, reject) => {
    const fail = (err: Error) => {
      if (signal.aborted) {
        const timeout = new Error(`no answer within ${req.timeoutMs} ms`);
        timeout.name = 'TimeoutError';
        reject(timeout);
      } else reject(err);
    };
    const headers: Record<string, string> = { ...req.headers };
    if (req.body !== undefined) headers['content-length'] = String(Buffer.byteLength(req.body));
    const r = client.request(url, { method: req.method, headers, lookup: policy.lookup, signal, agent }, (res) => {
      const chunks: Buffer[] = [];
      let kept = 0;
      res.on('data', (chunk: Buffer) => {
        const part = chunk.subarray(0, maxBody - kept);
        chunks.push(part);
        kept += part.length;
        if (kept >= maxBody) res.destroy(); // enough: a hostile or broken server may send without end
      });
      const done = () => resolve({
        status: res.statusCode ?? 0,
        header: (name) => { const v = res.headers[name.toLowerCase()]; return v === undefined ? null : Array.isArray(v) ? v[0] : v; },
        headers: new Headers(Object.entries(res.headers).flatMap(([k, v]) => (v === undefined ? [] : Array.isArray(v) ? v.map((x): [string, string] => [k, x]) : [[k, v] as [string, string]]))),
        text: Buffer.concat(chunks).toString('utf8'),
      });
      res.on('end', done);
      res.on('close', () => (kept >= maxBody ? done() : undefined));
      res.on('error', (err) => (kept >= maxBody ? done() : fail(err)));
    });
    r.on('error', fail);
    r.end(req.body);
  });
}
