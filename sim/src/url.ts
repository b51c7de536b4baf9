// The one URL the simulator talks to. Nothing else is ever contacted.
// Normalisation and the transport rule are the protocol's (proto/endpoint.ts);
// the simulator is stricter than the agent on top: no credentials in the URL
// (they come from --token or --keys), and exactly the agent endpoint path.
import { AGENT_WS_PATH, agentEndpoint as protocolEndpoint, assertMayCarryDeviceKey } from '../../proto/index.ts';

/** Turns host:port, http(s)://host:port or ws(s)://host:port[/agent/v1/ws] into the agent endpoint URL. */
export function agentEndpoint(input: string): string {
  const u = protocolEndpoint(input);
  if (u.username || u.password) throw new Error('credentials in the URL are not accepted; use --token or --keys');
  assertMayCarryDeviceKey(u);
  if (u.pathname !== AGENT_WS_PATH) throw new Error(`the agent endpoint is ${AGENT_WS_PATH}, got ${u.pathname}`);
  u.search = '';
  return u.toString();
}
