// Which proxy the collector connection takes: the explicit setting, "direct",
// or the usual environment variables with NO_PROXY exceptions.
import { afterEach, describe, expect, it } from 'vitest';
import { parseProxySetting, proxyFor, ProxySettingError, redactProxy } from '../../../agent/src/transport/proxy.ts';
import { classifyHttpRefusal, classifySocketError } from '../../../agent/src/transport/failure.ts';

const PROXY_VARS = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy', 'ALL_PROXY', 'all_proxy', 'NO_PROXY', 'no_proxy', 'WSS_PROXY', 'wss_proxy', 'WS_PROXY', 'ws_proxy'];
const saved = Object.fromEntries(PROXY_VARS.map((v) => [v, process.env[v]]));
afterEach(() => {
  for (const v of PROXY_VARS) {
    if (saved[v] === undefined) delete process.env[v];
    else process.env[v] = saved[v];
  }
});
function env(vars: Record<string, string>) {
  for (const v of PROXY_VARS) delete process.env[v];
  Object.assign(process.env, vars);
}
const viaEnv = (target: string) => proxyFor(new URL(target), { kind: 'environment' })?.href ?? null;

describe('proxy setting', () => {
  it('takes an explicit URL (scheme optional), "direct", or nothing (the environment)', () => {
    expect(parseProxySetting('http://proxy.corp:3128')).toEqual({ kind: 'explicit', url: new URL('http://proxy.corp:3128') });
    expect(parseProxySetting('proxy.corp:3128')).toEqual({ kind: 'explicit', url: new URL('http://proxy.corp:3128') });
    expect(parseProxySetting('DIRECT')).toEqual({ kind: 'direct' });
    expect(parseProxySetting(undefined)).toEqual({ kind: 'environment' });
    expect(() => parseProxySetting('socks5://proxy:1080')).toThrow(ProxySettingError);
    expect(() => parseProxySetting('http://us er:pa ss@')).toThrow(/"http:\/\/us er:\*\*\*@" is not a URL/);
  });

  it('never shows the password', () => {
    expect(redactProxy(new URL('http://alice:s3cret@proxy:3128'))).toBe('http://alice:***@proxy:3128/');
  });

  it('an explicit proxy and "direct" win over the environment', () => {
    env({ HTTPS_PROXY: 'http://env-proxy:1', NO_PROXY: '*' });
    expect(proxyFor(new URL('wss://collector.example'), parseProxySetting('http://mine:2'))?.href).toBe('http://mine:2/');
    expect(proxyFor(new URL('wss://collector.example'), parseProxySetting('direct'))).toBeNull();
  });

  it('wss:// uses HTTPS_PROXY, ws:// HTTP_PROXY, ALL_PROXY is the fallback, lower case first', () => {
    env({ HTTPS_PROXY: 'http://tls-proxy:3128', HTTP_PROXY: 'http://plain-proxy:3128' });
    expect(viaEnv('wss://collector.example/agent/v1/ws')).toBe('http://tls-proxy:3128/');
    expect(viaEnv('ws://collector.example/agent/v1/ws')).toBe('http://plain-proxy:3128/');
    env({ ALL_PROXY: 'http://all:1', https_proxy: 'http://lower:2', HTTPS_PROXY: 'http://upper:3' });
    expect(viaEnv('wss://collector.example')).toBe('http://lower:2/');
    expect(viaEnv('ws://collector.example')).toBe('http://all:1/');
    env({});
    expect(viaEnv('wss://collector.example')).toBeNull();
  });

  it.each([
    ['*', 'wss://collector.example', null],
    ['collector.example', 'wss://collector.example', null],
    ['other.example, collector.example', 'wss://collector.example', null],
    ['other.example collector.example', 'wss://collector.example', null],
    ['.corp.example', 'wss://collector.corp.example', null],
    ['*.corp.example', 'wss://collector.corp.example', null],
    ['corp.example', 'wss://collector.corp.example', 'http://p:1/'],
    ['collector.example:8443', 'wss://collector.example:8443', null],
    ['collector.example:8443', 'wss://collector.example', 'http://p:1/'],
    ['collector.example:443', 'wss://collector.example', null],
    ['', 'wss://collector.example', 'http://p:1/'],
  ])('NO_PROXY=%j for %s -> %s', (noProxy, target, expected) => {
    env({ HTTPS_PROXY: 'http://p:1', NO_PROXY: noProxy });
    expect(viaEnv(target)).toBe(expected);
  });
});

describe('connection failure reasons', () => {
  const err = (code: string, message = code) => Object.assign(new Error(message), { code });
  it.each([
    [err('ECONNREFUSED'), false, 'refused'],
    [err('ECONNREFUSED'), true, 'proxy'],
    [err('ENOTFOUND'), false, 'dns'],
    [err('EAI_AGAIN'), true, 'proxy'],
    [err('UNABLE_TO_VERIFY_LEAF_SIGNATURE'), true, 'tls'],
    [err('ERR_TLS_CERT_ALTNAME_INVALID'), false, 'tls'],
    [err('DEPTH_ZERO_SELF_SIGNED_CERT'), false, 'tls'],
    [err('ECONNRESET'), false, 'reset'],
    [new Error('Opening handshake has timed out'), false, 'timeout'],
  ])('%s (via proxy: %s) is %s', (error, viaProxy, reason) => {
    expect(classifySocketError(error, viaProxy).reason).toBe(reason);
  });

  it('tells the collector\'s refusals from a proxy\'s', () => {
    expect(classifyHttpRefusal(401, 'invalid_token', 'bad')).toMatchObject({ reason: 'unauthorized', code: 'invalid_token' });
    expect(classifyHttpRefusal(403, 'company_inactive', '')).toMatchObject({ reason: 'forbidden' });
    expect(classifyHttpRefusal(407, undefined, '')).toMatchObject({ reason: 'proxy', code: 'http_407' });
    expect(classifyHttpRefusal(403, undefined, 'Forbidden')).toMatchObject({ reason: 'proxy', code: 'http_403' });
    expect(classifyHttpRefusal(503, 'storage_unavailable', '')).toMatchObject({ reason: 'collector', code: 'storage_unavailable' });
  });
});
