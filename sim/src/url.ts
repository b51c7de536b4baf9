// The one URL the simulator talks to. Nothing else is ever contacted.
import { isIP } from 'node:net';

export const AGENT_WS_PATH = '/agent/v1/ws';

function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '');
  if (h === 'localhost') return true;
  if (isIP(h) === 4) return h.startsWith('127.');
  return h === '::1';
}

/** Turns http(s)://host:port or ws(s)://host:port[/agent/v1/ws] into the agent endpoint URL. */
export function agentEndpoint(input: string): string {
  let u: URL;
  try {
    u = new URL(input);
  } catch {
    throw new Error(`not a URL: ${JSON.stringify(input)}`);
  }
  if (u.protocol === 'http:') u.protocol = 'ws:';
  else if (u.protocol === 'https:') u.protocol = 'wss:';
  if (u.protocol !== 'ws:' && u.protocol !== 'wss:') throw new Error(`expected http(s):// or ws(s)://, got ${u.protocol}`);
  if (u.username || u.password) throw new Error('credentials in the URL are not accepted; use --token or --keys');
  if (u.protocol === 'ws:' && !isLoopback(u.hostname)) throw new Error(`plain ws:// is allowed only to a loopback address (device keys travel in the upgrade); use wss:// for ${u.hostname}`);
  if (u.pathname === '/' || u.pathname === '') u.pathname = AGENT_WS_PATH;
  if (u.pathname !== AGENT_WS_PATH) throw new Error(`the agent endpoint is ${AGENT_WS_PATH}, got ${u.pathname}`);
  u.search = '';
  u.hash = '';
  return u.toString();
}
