import { describe, expect, it } from 'vitest';
import { backoffDelay } from '../../../agent/src/transport/backoff.ts';
import { agentEndpoint, isLoopbackHost } from '../../../agent/src/transport/url.ts';

describe('agentEndpoint', () => {
  it.each([
    ['collector.example:8443', 'ws://collector.example:8443/agent/v1/ws'],
    ['https://collector.example', 'wss://collector.example/agent/v1/ws'],
    ['http://127.0.0.1:8080/', 'ws://127.0.0.1:8080/agent/v1/ws'],
    ['wss://c.example/custom/path', 'wss://c.example/custom/path'],
  ])('%s -> %s', (input, expected) => {
    expect(agentEndpoint(input).href).toBe(expected);
  });

  it.each(['ftp://x', 'http://', '::::'])('refuses %s with a message', (input) => {
    expect(() => agentEndpoint(input)).toThrow(/collector URL/);
  });

  it('knows loopback hosts', () => {
    expect(['localhost', '127.0.0.1', '127.1.2.3', '[::1]'].every(isLoopbackHost)).toBe(true);
    expect(['10.0.0.1', 'collector.example', '128.0.0.1'].some(isLoopbackHost)).toBe(false);
  });
});

describe('backoffDelay', () => {
  const policy = { initialMs: 1000, maxMs: 60_000 };
  it('doubles per attempt, between half and all of the ceiling', () => {
    expect(backoffDelay(0, policy, () => 0)).toBe(500);
    expect(backoffDelay(0, policy, () => 1)).toBe(1000);
    expect(backoffDelay(3, policy, () => 0)).toBe(4000);
    expect(backoffDelay(3, policy, () => 1)).toBe(8000);
  });
  it('is capped at maxMs however many attempts failed', () => {
    expect(backoffDelay(10, policy, () => 1)).toBe(60_000);
    expect(backoffDelay(10_000, policy, () => 1)).toBe(60_000);
    expect(backoffDelay(10_000, policy, () => 0)).toBe(30_000);
  });
});
