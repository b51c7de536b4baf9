// Outbound requests to admin-typed URLs (webhooks, PSA APIs, identity
// providers) reach public internet addresses only, unless the operator
// allows a network: checked on the address actually connected to, through
// real sockets on loopback.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { OutboundAddressError, OutboundPolicy, outboundRequest } from '../../collector/src/outbound.ts';
import { PsaHttp } from '../../collector/src/psa/http.ts';

const servers: Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await new Promise<void>((r) => { s.closeAllConnections(); s.close(() => r()); });
});

/** A server on 127.0.0.1 that counts the requests it got. */
async function server(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<{ port: number; hits: () => number }> {
  let hits = 0;
  const s = createServer((req, res) => { hits++; handler(req, res); });
  servers.push(s);
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  return { port: (s.address() as AddressInfo).port, hits: () => hits };
}

const LOOPBACK = new OutboundPolicy(['127.0.0.0/8']);

describe('OutboundPolicy', () => {
  it('permits public addresses and refuses loopback, private, link-local, shared, documentation and multicast ones, v4 and v6', () => {
    const p = new OutboundPolicy();
    for (const ip of ['8.8.8.8', '1.1.1.1', '93.184.216.34', '2606:4700:4700::1111', '2a00:1450:4001:80b::200e']) expect(p.permits(ip), ip).toBe(true);
    for (const ip of [
      '127.0.0.1', '127.8.9.10', '10.0.0.5', '172.16.0.1', '172.31.255.255', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0',
      '192.0.2.7', '198.18.0.1', '224.0.0.1', '255.255.255.255', '::1', '::', 'fd00::1', 'fe80::1', 'ff02::1', '2001:db8::1',
      // IPv4 inside IPv6: mapped and NAT64 forms of loopback and the metadata address.
      '::ffff:127.0.0.1', '::ffff:7f00:1', '::ffff:a9fe:a9fe', '64:ff9b::a00:1', '64:ff9b::10.0.0.1',
      'not-an-ip',
    ]) expect(p.permits(ip), ip).toBe(false);
    // Just outside the private ranges: public.
    for (const ip of ['172.32.0.1', '11.0.0.1', '100.128.0.1', '::ffff:8.8.8.8']) expect(p.permits(ip), ip).toBe(true);
  });

  it('permits what the operator allows, and only that', () => {
    const p = OutboundPolicy.parse(' 10.20.0.0/16 , fd00::/8 ');
    expect(p.allow).toEqual(['10.20.0.0/16', 'fd00::/8']);
    expect(p.permits('10.20.3.4')).toBe(true);
    expect(p.permits('10.21.0.1')).toBe(false);
    expect(p.permits('fd12::1')).toBe(true);
    expect(p.permits('::ffff:10.20.3.4')).toBe(true);
    expect(p.permits('127.0.0.1')).toBe(false);
    expect(OutboundPolicy.parse('').allow).toEqual([]);
    for (const bad of ['10.0.0.0', '10.0.0.0/33', 'fd00::/129', 'example.com/8', '10.0.0.0/x', '/8']) {
      expect(() => OutboundPolicy.parse(bad), bad).toThrow(/not a network in CIDR form/);
    }
  });
});

describe('outboundRequest', () => {
  it('refuses a loopback address given literally or by name before any byte is sent; the allowed network is reached', async () => {
    const rx = await server((_req, res) => res.end('ok'));
    const deny = new OutboundPolicy();
    for (const host of ['127.0.0.1', 'localhost', '[::ffff:127.0.0.1]']) {
      const err = await outboundRequest(deny, new URL(`http://${host}:${rx.port}/x`), { method: 'GET', timeoutMs: 2_000 }).catch((e) => e);
      expect(err, host).toBeInstanceOf(OutboundAddressError);
      expect(err.message).toMatch(/not public internet addresses; the collector's operator can allow that network with --outbound-allow CIDR/);
    }
    expect(rx.hits()).toBe(0);
    const res = await outboundRequest(LOOPBACK, new URL(`http://localhost:${rx.port}/x`), { method: 'GET', timeoutMs: 2_000 });
    expect([res.status, res.text]).toEqual([200, 'ok']);
    expect(rx.hits()).toBe(1);
  });

  it('does not follow a redirect (a permitted server cannot bounce the request elsewhere)', async () => {
    const inner = await server((_req, res) => res.end('secret'));
    const outer = await server((_req, res) => res.writeHead(302, { location: `http://127.0.0.1:${inner.port}/` }).end());
    const res = await outboundRequest(LOOPBACK, new URL(`http://127.0.0.1:${outer.port}/`), { method: 'POST', body: '{}', timeoutMs: 2_000 });
    expect(res.status).toBe(302);
    expect(res.header('location')).toBe(`http://127.0.0.1:${inner.port}/`);
    expect(inner.hits()).toBe(0);
  });

  it('keeps at most maxBodyBytes of an answer that never ends, and times out a server that never answers', async () => {
    const endless = await server((_req, res) => {
      res.writeHead(200);
      const chunk = Buffer.alloc(64 * 1024, 97);
      let sent = 0;
      const pump = () => { while (sent < 4_000 && res.write(chunk)) sent++; if (sent < 4_000) res.once('drain', pump); else res.end(); };
      pump();
    });
    const res = await outboundRequest(LOOPBACK, new URL(`http://127.0.0.1:${endless.port}/`), { method: 'GET', timeoutMs: 10_000, maxBodyBytes: 100_000 });
    expect(res.status).toBe(200);
    expect(res.text.length).toBe(100_000);
    const silent = await server(() => {});
    const started = Date.now();
    const err = await outboundRequest(LOOPBACK, new URL(`http://127.0.0.1:${silent.port}/`), { method: 'GET', timeoutMs: 300 }).catch((e) => e);
    expect(err.name).toBe('TimeoutError');
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('the fetch for libraries answers a WHATWG Response under the same rules', async () => {
    const rx = await server((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => res.writeHead(200, { 'content-type': 'application/json', 'x-seen': req.headers['content-type'] ?? '' }).end(JSON.stringify({ method: req.method, body })));
    });
    const res = await LOOPBACK.fetch(`http://127.0.0.1:${rx.port}/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ a: '1' }) });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-seen')).toBe('application/x-www-form-urlencoded');
    expect(await res.json()).toEqual({ method: 'POST', body: 'a=1' });
    await expect(new OutboundPolicy().fetch(`http://127.0.0.1:${rx.port}/token`)).rejects.toBeInstanceOf(OutboundAddressError);
    expect(rx.hits()).toBe(1);
  });
});

describe('PSA client under the policy', () => {
  it('a PSA on a refused address fails at once with psa_address_refused (never retried), and a redirect is refused, not followed', async () => {
    const psa = await server((_req, res) => res.end('[]'));
    const refused = new PsaHttp({ baseUrl: `http://127.0.0.1:${psa.port}/v4_6_release/apis/3.0`, headers: () => ({ authorization: 'Basic secret' }), backoffMs: 1 });
    await expect(refused.json('GET', 'company/companies')).rejects.toMatchObject({ code: 'psa_address_refused', message: expect.stringMatching(/127\.0\.0\.1.*--outbound-allow/) });
    expect(psa.hits()).toBe(0);
    const moved = await server((_req, res) => res.writeHead(301, { location: `http://127.0.0.1:${psa.port}/` }).end());
    const client = new PsaHttp({ baseUrl: `http://127.0.0.1:${moved.port}/api`, headers: () => ({ authorization: 'Basic secret' }), backoffMs: 1, outbound: LOOPBACK });
    await expect(client.json('GET', 'company/companies')).rejects.toMatchObject({ code: 'psa_rejected', message: expect.stringMatching(/redirect \(301 to http:\/\/127\.0\.0\.1:\d+\/\); redirects are not followed/) });
    expect(psa.hits()).toBe(0);
    const ok = new PsaHttp({ baseUrl: `http://127.0.0.1:${psa.port}/api`, headers: () => ({}), outbound: LOOPBACK });
    expect(await ok.json('GET', 'company/companies')).toEqual([]);
  });
});
