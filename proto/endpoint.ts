// Where agents connect, and over what. Pure: no I/O, no Node modules, so the
// agent, the collector, the simulator and the tests share one definition.

/** The path of the agent WebSocket on a collector. */
export const AGENT_WS_PATH = '/agent/v1/ws';

/** Why a collector URL was refused. Stable: callers map it to their own error (a CLI exit, a test). */
export type CollectorUrlErrorCode =
  /** The text does not parse as a URL, even with ws:// put in front. */
  | 'not_a_url'
  /** A scheme other than ws, wss, http or https. */
  | 'unsupported_scheme'
  /** Plain ws:// to a host that is not loopback: a device key would cross the network in clear text. */
  | 'insecure_transport';

export class CollectorUrlError extends Error {
  constructor(readonly code: CollectorUrlErrorCode, message: string) {
    super(message);
    this.name = 'CollectorUrlError';
  }
}

const SCHEMES: Record<string, 'ws:' | 'wss:'> = { 'http:': 'ws:', 'https:': 'wss:', 'ws:': 'ws:', 'wss:': 'wss:' };

/**
 * The collector URL as people type it (`host:port`, `http://`, `https://`,
 * `ws://`, `wss://`, with or without a path) to the agent WebSocket endpoint:
 * http becomes ws and https wss, a missing scheme means ws://, an empty path
 * becomes AGENT_WS_PATH (another path is kept, for a collector behind a
 * reverse proxy), the fragment is dropped. Does not judge the transport: see
 * assertMayCarryDeviceKey.
 */
export function agentEndpoint(input: string): URL {
  const text = input.trim();
  let url: URL;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `ws://${text}`);
  } catch {
    throw new CollectorUrlError('not_a_url', `collector URL ${JSON.stringify(input)} is not a URL; expected e.g. wss://collector.example:8443`);
  }
  const scheme = SCHEMES[url.protocol];
  if (!scheme) throw new CollectorUrlError('unsupported_scheme', `collector URL scheme ${url.protocol} is not supported; use ws://, wss://, http:// or https://`);
  url.protocol = scheme;
  if (url.pathname === '' || url.pathname === '/') url.pathname = AGENT_WS_PATH;
  url.hash = '';
  return url;
}

/** Loopback hosts: the only ones a device key may travel to without TLS. Takes URL.hostname (IPv6 with or without brackets). */
export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h);
}

/**
 * The transport rule: a device key or enrolment token travels in the upgrade
 * (`Authorization: Bearer`), so it goes only over wss:// (TLS, certificate
 * verified) or plain ws:// to a loopback address.
 */
export function mayCarryDeviceKey(endpoint: URL): boolean {
  return endpoint.protocol === 'wss:' || (endpoint.protocol === 'ws:' && isLoopbackHost(endpoint.hostname));
}

/** Throws CollectorUrlError('insecure_transport') when mayCarryDeviceKey says no. */
export function assertMayCarryDeviceKey(endpoint: URL): void {
  if (mayCarryDeviceKey(endpoint)) return;
  throw new CollectorUrlError('insecure_transport',
    `refusing to send credentials over plain ws:// to ${endpoint.hostname}; use wss:// (plain ws:// is allowed to a loopback address only)`);
}
