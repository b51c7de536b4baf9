// The endpoint rules every party shares: how a typed collector URL becomes
// the agent endpoint, and where a device key may travel.
import { describe, expect, it } from 'vitest';
import { AGENT_WS_PATH, CollectorUrlError, agentEndpoint, assertMayCarryDeviceKey, isLoopbackHost, mayCarryDeviceKey } from '../../proto/index.ts';

describe('agentEndpoint', () => {
  it.each([
    ['collector.example:8443', 'ws://collector.example:8443/agent/v1/ws'],
    ['https://collector.example', 'wss://collector.example/agent/v1/ws'],
    ['http://127.0.0.1:8080/', 'ws://127.0.0.1:8080/agent/v1/ws'],
    ['  wss://c.example:9443/agent/v1/ws#frag ', 'wss://c.example:9443/agent/v1/ws'],
    ['wss://c.example/custom/path', 'wss://c.example/custom/path'],
    ['[::1]:8080', 'ws://[::1]:8080/agent/v1/ws'],
  ])('%s -> %s', (input, expected) => {
    expect(agentEndpoint(input).href).toBe(expected);
  });

  it('uses the one agent path', () => {
    expect(AGENT_WS_PATH).toBe('/agent/v1/ws');
  });

  it.each([
    ['ftp://x', 'unsupported_scheme'],
    ['http://', 'not_a_url'],
    ['::::', 'not_a_url'],
  ])('refuses %s with a message and the code %s', (input, code) => {
    expect(() => agentEndpoint(input)).toThrow(/collector URL/);
    expect(() => agentEndpoint(input)).toThrow(expect.objectContaining({ name: 'CollectorUrlError', code }));
  });
});

describe('where a device key may travel', () => {
  it('knows loopback hosts', () => {
    expect(['localhost', '127.0.0.1', '127.1.2.3', '[::1]', '::1', 'LOCALHOST'].every(isLoopbackHost)).toBe(true);
    expect(['10.0.0.1', 'collector.example', '128.0.0.1', '127.0.0.1.example', '[::ffff:7f00:1]'].some(isLoopbackHost)).toBe(false);
  });

  it.each([
    ['wss://collector.example', true],
    ['ws://127.0.0.1:8080', true],
    ['ws://localhost:8080', true],
    ['ws://[::1]:8080', true],
    // URL parsing canonicalises other spellings of loopback before the rule sees them.
    ['ws://127.1:8080', true],
    ['ws://collector.example', false],
    ['ws://10.1.2.3:8080', false],
    ['http://192.168.1.10', false],
  ])('%s: %s', (input, allowed) => {
    const url = agentEndpoint(input);
    expect(mayCarryDeviceKey(url)).toBe(allowed);
    if (allowed) expect(() => assertMayCarryDeviceKey(url)).not.toThrow();
    else expect(() => assertMayCarryDeviceKey(url)).toThrow(new CollectorUrlError('insecure_transport', `refusing to send credentials over plain ws:// to ${url.hostname}; use wss:// (plain ws:// is allowed to a loopback address only)`));
  });
});
