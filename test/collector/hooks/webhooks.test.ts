// Outbound webhooks end to end, on SQLite and PostgreSQL: endpoints made
// through the API, events published by real admin commands, the collector's
// own delivery worker POSTing to a real HTTP receiver on 127.0.0.1, and every
// signature checked with the standardwebhooks package's own Webhook.verify.
import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basicAuth } from '../../helpers/http.ts';
import { pollUntil } from '../../helpers/processes.ts';
import { Seeder } from '../../helpers/seed.ts';
import { OutboundPolicy } from '../../../collector/src/outbound.ts';
import { BACKENDS, Receiver, startHookCollector, type HookCollector } from './harness.ts';

for (const backend of BACKENDS) {
  describe.skipIf(!backend.run)(`webhooks (${backend.name})`, () => {
    let c: HookCollector;
    let rx: Receiver;
    const ids = {} as Record<'partnerA' | 'a1' | 'a2' | 'partnerB' | 'b1' | 'devA' | 'devB', string>;
    let partnerAKey: string;

    beforeAll(async () => {
      c = await startHookCollector(backend);
      rx = await new Receiver().start();
      const seed = new Seeder(c.storage);
      const at = Date.now() - 86_400_000;
      ids.partnerA = (await seed.company('Partner A', { type: 'partner', atMs: at })).id;
      ids.a1 = (await seed.company('A1 Dental', { parentId: ids.partnerA, atMs: at })).id;
      ids.a2 = (await seed.company('A2 Legal', { parentId: ids.partnerA, atMs: at })).id;
      ids.partnerB = (await seed.company('Partner B', { type: 'partner', atMs: at })).id;
      ids.b1 = (await seed.company('B1 Bakery', { parentId: ids.partnerB, atMs: at })).id;
      ids.devA = await seed.device(ids.a1, { atMs: at, hostname: 'a1-pc' });
      ids.devB = await seed.device(ids.b1, { atMs: at, hostname: 'b1-pc' });
      partnerAKey = await c.keyFor(ids.partnerA);
    }, 30_000);

    afterAll(async () => {
      await rx?.stop();
      await c?.dispose();
    });

    const create = async (body: Record<string, unknown>, key?: string) => {
      const r = await c.call('POST', '/webhooks', body, key);
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      return r.body as { id: string; secret: string; companyId: string | null };
    };
    const log = async (id: string) => (await c.call('GET', `/webhooks/${id}/deliveries`)).body as {
      deliveries: { status: string; attempts: number; eventType: string }[];
      attempts: { attempt: number; outcome: string; statusCode: number | null; durationMs: number; at: string }[];
    };

    it('shows a secret once, never again; refuses URLs that are not http(s) or carry credentials', async () => {
      const ep = await create({ url: rx.answer('/once'), description: 'PSA bridge', eventTypes: ['device.enrolled'] });
      expect(ep.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
      expect(ep.companyId).toBeNull();
      const listed = await c.call('GET', '/webhooks');
      expect(JSON.stringify(listed.body)).not.toContain(ep.secret);
      expect(JSON.stringify(listed.body)).not.toContain('"secret"');
      expect(JSON.stringify((await c.call('GET', `/webhooks/${ep.id}`)).body)).not.toContain('secret');
      expect(JSON.stringify(await c.storage.audit.list({ companyIds: null, beforeId: null, limit: 50 }))).not.toContain(ep.secret.slice(6));
      for (const url of ['ftp://127.0.0.1/x', 'file:///etc/passwd', 'javascript:alert(1)', 'http://user:pw@127.0.0.1/x', 'not a url']) {
        const r = await c.call('POST', '/webhooks', { url });
        expect(r.status, url).toBe(400);
        expect(r.body.error).toMatchObject({ code: 'invalid_request', field: 'url' });
      }
      // A partner's key makes endpoints in its own subtree only, never installation-wide ones.
      expect((await c.call('POST', '/webhooks', { url: rx.answer('/x'), companyId: null }, partnerAKey)).body.error.code).toBe('forbidden');
      expect((await c.call('POST', '/webhooks', { url: rx.answer('/x'), companyId: ids.b1 }, partnerAKey)).body.error.code).toBe('not_found');
      expect((await c.call('DELETE', `/webhooks/${ep.id}`)).status).toBe(204);
    });

    let signed: { secret: string; request: { headers: Record<string, string>; body: string } };

    it('signs per Standard Webhooks; filters by type; a partner endpoint never gets another partner\'s events', async () => {
      const epA = await create({ url: rx.answer('/partner-a'), eventTypes: ['device.retired'] }, partnerAKey);
      expect(epA.companyId).toBe(ids.partnerA);
      const epB = await create({ url: rx.answer('/partner-b'), companyId: ids.partnerB });
      const epMoves = await create({ url: rx.answer('/moves-only'), eventTypes: ['device.moved'] });

      expect((await c.call('POST', `/devices/${ids.devA}/retire`, {})).status).toBe(200);
      await pollUntil(async () => rx.at('/partner-a').length === 1, 5_000, 'partner A gets its retire event');
      const got = rx.at('/partner-a')[0];
      signed = { secret: epA.secret, request: got };
      const payload = new Webhook(epA.secret).verify(got.body, got.headers) as { type: string; timestamp: string; data: Record<string, unknown> };
      expect(payload).toMatchObject({ type: 'device.retired', data: { deviceId: ids.devA, companyId: ids.a1 } });
      expect(got.headers['webhook-id']).toMatch(/^msg_[0-9a-f]{32}$/);
      expect(got.headers['content-type']).toBe('application/json');

      // Retiring it again is refused: the command wrote nothing, so no event either.
      const before = (await c.storage.hooks.listEvents({ companyIds: null, limit: 100 })).length;
      expect((await c.call('POST', `/devices/${ids.devA}/retire`, {})).status).toBe(409);
      expect((await c.storage.hooks.listEvents({ companyIds: null, limit: 100 })).length).toBe(before);

      expect((await c.call('POST', `/devices/${ids.devB}/retire`, {})).status).toBe(200);
      await pollUntil(async () => rx.at('/partner-b').length === 1, 5_000, 'partner B gets its own retire event');
      expect(new Webhook(epB.secret).verify(rx.at('/partner-b')[0].body, rx.at('/partner-b')[0].headers)).toMatchObject({ data: { deviceId: ids.devB } });
      // Both events were fanned out by now (B's came after A's): A got exactly its own, the type filter kept the rest away.
      await pollUntil(async () => (await c.storage.hooks.undispatchedEvents(10)).length === 0, 5_000, 'every event dispatched');
      expect(rx.at('/partner-a')).toHaveLength(1);
      expect(rx.at('/partner-b')).toHaveLength(1);
      expect(rx.at('/moves-only')).toHaveLength(0);
      expect((await log(epB.id)).deliveries.map((d) => d.eventType)).toEqual(['device.retired']);
      expect((await log(epMoves.id)).deliveries).toEqual([]);

      // Partner A's key sees its own endpoint only; another's answers exactly like one that does not exist.
      const mine = (await c.call('GET', '/webhooks', undefined, partnerAKey)).body.webhooks as { id: string }[];
      expect(mine.map((w) => w.id)).toEqual([epA.id]);
      const other = await c.call('GET', `/webhooks/${epB.id}`, undefined, partnerAKey);
      const madeUp = await c.call('GET', '/webhooks/no-such-endpoint', undefined, partnerAKey);
      expect(other.status).toBe(404);
      expect(other.body.error.message.replace(epB.id, 'X')).toBe(madeUp.body.error.message.replace('no-such-endpoint', 'X'));
      for (const id of [epA.id, epB.id, epMoves.id]) await c.call('DELETE', `/webhooks/${id}`);
    });

    it('the verifier rejects a tampered body, a tampered signature and the wrong secret', () => {
      const { secret, request } = signed;
      const wh = new Webhook(secret);
      expect(() => wh.verify(request.body, request.headers)).not.toThrow();
      expect(() => wh.verify(request.body.replace('device.retired', 'device.enrolled'), request.headers)).toThrow(WebhookVerificationError);
      const sig = request.headers['webhook-signature'];
      const flipped = sig.slice(0, 3) + (sig[3] === 'A' ? 'B' : 'A') + sig.slice(4);
      expect(() => wh.verify(request.body, { ...request.headers, 'webhook-signature': flipped })).toThrow(WebhookVerificationError);
      expect(() => new Webhook(`whsec_${Buffer.alloc(32, 7).toString('base64')}`).verify(request.body, request.headers)).toThrow(WebhookVerificationError);
    });

    it('retries 500 then 200 (delivered once), gives up on a receiver that never answers, never follows a redirect', async () => {
      const flaky = await create({ url: rx.answer('/flaky', 500, 200), eventTypes: ['device.moved'] });
      const hang = await create({ url: rx.answer('/hang', 'hang'), eventTypes: ['device.moved'] });
      const redirect = await create({ url: rx.answer('/redirect', { redirect: '/followed' }), eventTypes: ['device.moved'] });
      const moved = await c.call('POST', `/devices/${ids.devB}/move`, { companyId: ids.a2 });
      expect(moved.status, JSON.stringify(moved.body)).toBe(200);

      await pollUntil(async () => (await log(flaky.id)).deliveries[0]?.status === 'delivered', 5_000, 'flaky delivered');
      const f = await log(flaky.id);
      expect(f.deliveries).toMatchObject([{ status: 'delivered', attempts: 2, eventType: 'device.moved' }]);
      expect(f.attempts.map((a) => [a.attempt, a.outcome, a.statusCode])).toEqual([[2, 'delivered', 200], [1, 'http_error', 500]]);
      // Backoff: the retry waited at least the first backoff step (50 ms here).
      expect(Date.parse(f.attempts[0].at) - Date.parse(f.attempts[1].at)).toBeGreaterThanOrEqual(50);
      const flakyRequests = rx.at('/flaky');
      expect(flakyRequests).toHaveLength(2);
      // The same message id on the retry: a receiver deduplicates on it.
      expect(flakyRequests[0].headers['webhook-id']).toBe(flakyRequests[1].headers['webhook-id']);
      expect(new Webhook(flaky.secret).verify(flakyRequests[1].body, flakyRequests[1].headers)).toMatchObject({ type: 'device.moved', data: { deviceId: ids.devB, from: ids.b1, to: ids.a2 } });

      await pollUntil(async () => (await log(hang.id)).deliveries[0]?.status === 'failed', 8_000, 'hanging receiver given up');
      const h = await log(hang.id);
      expect(h.deliveries).toMatchObject([{ status: 'failed', attempts: 3 }]);
      expect(h.attempts.map((a) => a.outcome)).toEqual(['timeout', 'timeout', 'timeout']);
      for (const a of h.attempts) expect(a.durationMs).toBeGreaterThanOrEqual(380);

      await pollUntil(async () => (await log(redirect.id)).deliveries[0]?.status === 'failed', 5_000, 'redirecting receiver given up');
      expect((await log(redirect.id)).attempts.map((a) => [a.outcome, a.statusCode])).toEqual([['redirect', 302], ['redirect', 302], ['redirect', 302]]);
      expect(rx.at('/followed')).toHaveLength(0);
      // A delivery that failed for good is not tried again.
      await new Promise((r) => setTimeout(r, 300));
      expect(rx.at('/hang')).toHaveLength(3);

      const metrics = await (await fetch(`${c.url}/metrics`)).text();
      expect(metrics).toMatch(/tally_webhook_attempts_total\{outcome="timeout"\} 3/);
      expect(metrics).toMatch(/tally_webhook_deliveries_total\{status="failed"\} 2/);
      expect(metrics).toMatch(/tally_webhook_events_total\{type="device.moved"\} 1/);
      for (const id of [flaky.id, hang.id, redirect.id]) await c.call('DELETE', `/webhooks/${id}`);
    }, 20_000);

    it('test-send posts a signed webhook.test now and reports the answer; JSON-RPC manages endpoints too', async () => {
      const ok = await create({ url: rx.answer('/test-ok', 200) });
      const r = await c.call('POST', `/webhooks/${ok.id}/test`, {});
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ delivered: true, outcome: 'delivered', statusCode: 200 });
      expect(new Webhook(ok.secret).verify(rx.at('/test-ok')[0].body, rx.at('/test-ok')[0].headers)).toMatchObject({ type: 'webhook.test' });
      const down = await create({ url: rx.answer('/test-500', 503) });
      expect((await c.call('POST', `/webhooks/${down.id}/test`, {})).body).toMatchObject({ delivered: false, outcome: 'http_error', statusCode: 503 });
      // Disabled: refused; updated filters show in the listing.
      expect((await c.call('PATCH', `/webhooks/${down.id}`, { enabled: false, eventTypes: ['alert.raised'] })).body).toMatchObject({ enabled: false, eventTypes: ['alert.raised'] });
      expect((await c.call('POST', `/webhooks/${down.id}/test`, {})).body.error).toMatchObject({ code: 'invalid_request', field: 'endpointId' });

      const rpc = async (method: string, params: unknown) => (await (await fetch(`${c.url}/api/v1.0/jsonrpc/webhooks`, {
        method: 'POST', headers: { authorization: basicAuth(partnerAKey), 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
      })).json()) as { result?: any; error?: { code: number; data: { code: string; param?: string } } };
      const made = await rpc('createWebhook', { url: rx.answer('/rpc'), eventTypes: ['alert.raised'] });
      expect(made.result).toMatchObject({ companyId: ids.partnerA, eventTypes: ['alert.raised'] });
      expect(made.result.secret).toMatch(/^whsec_/);
      const listed = await rpc('getWebhooks', {});
      expect(listed.result.map((w: { id: string }) => w.id)).toEqual([made.result.id]);
      expect(JSON.stringify(listed.result)).not.toContain(made.result.secret);
      expect((await rpc('createWebhook', { url: 'gopher://127.0.0.1/' })).error?.data).toMatchObject({ code: 'invalid_request', param: 'url' });
      expect((await rpc('deleteWebhook', { endpointId: made.result.id })).result).toEqual({ id: made.result.id });
    });
  });
}

describe.skipIf(!BACKENDS[0].run)('webhooks to addresses outside the public internet (SQLite)', () => {
  let c: HookCollector;
  let rx: Receiver;
  beforeAll(async () => {
    // The collector's default: public internet addresses only (no --outbound-allow).
    c = await startHookCollector(BACKENDS[0], { outbound: new OutboundPolicy() });
    rx = await new Receiver().start();
  }, 30_000);
  afterAll(async () => {
    await rx?.stop();
    await c?.dispose();
  });

  it('a partner cannot make the collector POST to loopback, a private network or the cloud metadata address: refused at the socket, logged with the reason', async () => {
    const partner = (await new Seeder(c.storage).company('Partner P', { type: 'partner', atMs: Date.now() - 86_400_000 })).id;
    const key = await c.keyFor(partner);
    for (const url of [rx.answer('/inside'), 'http://localhost:9/x', 'http://169.254.169.254/latest/meta-data/', 'http://[::1]:9/x', 'http://10.0.0.5/x']) {
      const made = await c.call('POST', '/webhooks', { url }, key);
      expect(made.status, url).toBe(201);
      const sent = await c.call('POST', `/webhooks/${made.body.id}/test`, {}, key);
      expect(sent.body, url).toMatchObject({ delivered: false, outcome: 'network_error', statusCode: null, error: expect.stringMatching(/^refused: .* not public internet addresses.*--outbound-allow CIDR/) });
    }
    expect(rx.at('/inside')).toHaveLength(0);
  });
});
