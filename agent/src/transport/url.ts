// The collector URL as users type it (host:port, http://, ws://...) to the
// agent WebSocket endpoint.
export const AGENT_WS_PATH = '/agent/v1/ws';

export class CollectorUrlError extends Error {}

export function agentEndpoint(input: string): URL {
  const text = input.trim();
  let url: URL;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `ws://${text}`);
  } catch {
    throw new CollectorUrlError(`collector URL ${JSON.stringify(input)} is not a URL; expected e.g. wss://collector.example:8443`);
  }
  const scheme = ({ 'http:': 'ws:', 'https:': 'wss:', 'ws:': 'ws:', 'wss:': 'wss:' } as Record<string, string>)[url.protocol];
  if (!scheme) throw new CollectorUrlError(`collector URL scheme ${url.protocol} is not supported; use ws://, wss://, http:// or https://`);
  url.protocol = scheme;
  if (url.pathname === '' || url.pathname === '/') url.pathname = AGENT_WS_PATH;
  url.hash = '';
  return url;
}

/** Loopback hosts: the only ones a device key may travel to without TLS. */
export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h);
}
