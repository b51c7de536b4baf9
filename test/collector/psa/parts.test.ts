// The PSA sync's parts on their own: the credentials cipher (wrong key,
// tampering, a ciphertext moved to another PSA), Retry-After, the HTTP
// client's retry rules (429 always, 5xx only when safe to repeat), paging
// that would send the credentials to another host, name suggestions, and
// the scheduled sync (due, not due, the finalized previous month first).
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { autotaskConnector } from '../../../collector/src/psa/autotask.ts';
import { PsaHttp, retryAfterMs } from '../../../collector/src/psa/http.ts';
import { runDuePsaSyncs } from '../../../collector/src/psa/schedule.ts';
import { PsaKey, redactCredentials } from '../../../collector/src/psa/secrets.ts';
import { normalizeName, suggestCompanies } from '../../../collector/src/psa/sync.ts';
import { TallyError } from '../../../collector/src/errors.ts';
import { BACKENDS, DAY, ENDPOINT_SKU, NOV_1, connectAndMap, psaQuantity, world, type World } from './fixture.ts';
import { LOOPBACK_ALLOWED } from '../../helpers/outbound.ts';

const key = PsaKey.parse('11'.repeat(32));
const servers: { close(): void }[] = [];
afterEach(() => servers.splice(0).forEach((s) => s.close()));

/** A server answering each request with the next of `replies` (status, headers, body), recording what came. */
async function scripted(replies: { status: number; headers?: Record<string, string>; body?: unknown }[]) {
  const seen: { method: string; url: string; headers: Record<string, unknown> }[] = [];
  const server = createServer((req, res) => {
    seen.push({ method: req.method!, url: req.url!, headers: req.headers });
    const r = replies[Math.min(seen.length - 1, replies.length - 1)];
    res.writeHead(r.status, { 'content-type': 'application/json', ...r.headers });
    res.end(JSON.stringify(r.body ?? {}));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push(server);
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, seen };
}

describe('PSA credentials at rest', () => {
  it('round-trips under the key, and refuses another key, a tampered ciphertext and another PSA', () => {
    const creds = { userName: 'u', secret: 's3cret', integrationCode: 'IC' };
    const stored = key.encrypt('autotask', creds);
    expect(stored).toMatch(/^v1:[0-9a-f]{16}:/);
    expect(stored).not.toContain('s3cret');
    expect(key.encrypt('autotask', creds)).not.toBe(stored);
    expect(key.decrypt('autotask', stored)).toEqual(creds);
    const code = (f: () => unknown) => { try { f(); } catch (e) { return (e as TallyError).code; } return 'ok'; };
    expect(code(() => PsaKey.parse('22'.repeat(32)).decrypt('autotask', stored))).toBe('psa_key_invalid');
    const parts = stored.split(':');
    const flipped = Buffer.from(parts[4], 'base64');
    flipped[0] ^= 1;
    expect(code(() => key.decrypt('autotask', [...parts.slice(0, 4), flipped.toString('base64')].join(':')))).toBe('psa_key_invalid');
    expect(code(() => key.decrypt('halopsa', stored))).toBe('psa_key_invalid');
    expect(PsaKey.parse(Buffer.alloc(32, 0x11).toString('base64')).fingerprint).toBe(key.fingerprint);
    expect(code(() => PsaKey.parse('00'.repeat(16)))).toBe('psa_key_invalid');
    expect(code(() => PsaKey.fromSources({}, '/nonexistent/psa.key'))).toBe('psa_key_missing');
    expect(PsaKey.fromSources({}, undefined)).toBeNull();
    expect(redactCredentials('connectwise', { companyId: 'c', publicKey: 'p', privateKey: 'x', clientId: 'id' })).toEqual({ companyId: 'c', publicKey: 'p', privateKey: '********', clientId: 'id' });
  });
});

describe('PSA HTTP', () => {
  it('reads Retry-After as seconds or an HTTP date', () => {
    expect(retryAfterMs('3')).toBe(3000);
    expect(retryAfterMs(new Date(1_000_000 + 5000).toUTCString(), 1_000_000)).toBe(5000);
    expect(retryAfterMs('soon')).toBeNull();
    expect(retryAfterMs(null)).toBeNull();
  });

  it('retries a 429 after its Retry-After, retries a GET on 5xx a bounded number of times, never a create', async () => {
    const s = await scripted([{ status: 429, headers: { 'retry-after': '0' } }, { status: 503 }, { status: 200, body: { ok: 1 } }]);
    const retries: unknown[] = [];
    const http = new PsaHttp({ outbound: LOOPBACK_ALLOWED, baseUrl: s.url, headers: () => ({ 'x-secret': 'h' }), backoffMs: 1, onRetry: (i) => retries.push(i.status) });
    expect((await http.request('GET', 'a')).json).toEqual({ ok: 1 });
    expect(retries).toEqual([429, 503]);
    const down = await scripted([{ status: 500 }]);
    const http2 = new PsaHttp({ outbound: LOOPBACK_ALLOWED, baseUrl: down.url, headers: () => ({}), backoffMs: 1, attempts: 3 });
    await expect(http2.request('GET', 'a')).rejects.toMatchObject({ code: 'psa_unavailable', status: 500 });
    expect(down.seen).toHaveLength(3);
    await expect(http2.request('POST', 'create', { q: 1 })).rejects.toMatchObject({ code: 'psa_unavailable' });
    expect(down.seen).toHaveLength(4);
    const slow = await scripted([{ status: 429, headers: { 'retry-after': '3600' } }]);
    await expect(new PsaHttp({ outbound: LOOPBACK_ALLOWED, baseUrl: slow.url, headers: () => ({}) }).request('GET', 'a')).rejects.toMatchObject({ code: 'psa_unavailable', status: 429 });
    expect(slow.seen).toHaveLength(1);
    const refused = await scripted([{ status: 422, body: { message: 'bad' } }]);
    await expect(new PsaHttp({ outbound: LOOPBACK_ALLOWED, baseUrl: refused.url, headers: () => ({}) }).request('POST', 'x', {})).rejects.toMatchObject({ code: 'psa_rejected' });
  });

  it('does not follow an Autotask next page to another host (the credentials would go with it)', async () => {
    const other = await scripted([{ status: 200, body: { items: [], pageDetails: {} } }]);
    const s = await scripted([{ status: 200, body: { items: [{ id: 1, companyName: 'A' }], pageDetails: { nextPageUrl: `${other.url}Companies/query/next?paging=x` } } }]);
    const at = autotaskConnector(s.url, { userName: 'u', secret: 'SECRET', integrationCode: 'IC' }, { outbound: LOOPBACK_ALLOWED });
    await expect(at.listCompanies()).rejects.toMatchObject({ code: 'psa_rejected' });
    expect(other.seen).toHaveLength(0);
  });
});

describe('company suggestions', () => {
  it('match normalized names, then names sharing most words; never a guess between two equal names', () => {
    expect(normalizeName('The Acme Corp., Inc.')).toBe('acme');
    expect(normalizeName('Müller & Söhne GmbH')).toBe('muller and sohne');
    const tally = [{ id: 't1', name: 'ACME Corp' }, { id: 't2', name: 'Globex Northern Division' }, { id: 't3', name: 'Twin' }, { id: 't4', name: 'Nothing Alike' }];
    const psa = [{ id: 'p1', name: 'Acme Corporation' }, { id: 'p2', name: 'Globex Northern' }, { id: 'p3', name: 'Twin LLC' }, { id: 'p4', name: 'Twin Ltd' }];
    expect(suggestCompanies(tally, psa).map((s) => [s.companyId, s.psaCompanyId, s.match])).toEqual([['t1', 'p1', 'exact'], ['t2', 'p2', 'similar']]);
  });
});

const sqlite = BACKENDS[0];
describe('scheduled PSA sync', () => {
  let w: World;
  afterEach(async () => { await w?.close(); });

  it('syncs connections whose period has passed: the finalized previous month first, then the open one', async () => {
    w = await world(sqlite);
    await connectAndMap(w, 'connectwise');
    await connectAndMap(w, 'halopsa');
    await w.run((await import('../../../collector/src/admin/index.ts')).COMMANDS.setPsaConnection, { kind: 'halopsa' },
      { baseUrl: w.halo.base, credentials: (await import('./fixture.ts')).CREDS.halopsa, syncHours: 0 });
    expect(await runDuePsaSyncs(w.commands, w.logger)).toEqual(['connectwise:2026-10']);
    expect(psaQuantity(w, 'connectwise', 'acme', ENDPOINT_SKU)).toBe(3);
    expect(w.halo.writes).toHaveLength(0);
    // Not due again within its 24 hours.
    w.clock.now += 3_600_000;
    expect(await runDuePsaSyncs(w.commands, w.logger)).toEqual([]);
    // November: October is finalized with a late endpoint; the schedule pushes its final quantity, then syncs November.
    const late = await w.seed.device(w.acme.id, { atMs: Date.UTC(2026, 9, 1) });
    await w.seed.awake(late, w.acme.id, Date.UTC(2026, 9, 25), 7200);
    w.clock.now = NOV_1 + 4 * DAY;
    await w.closer.closeMonth('2026-10');
    expect(await runDuePsaSyncs(w.commands, w.logger)).toEqual(['connectwise:2026-10', 'connectwise:2026-11']);
    expect(w.cw.line(9001, 700)!.quantity).toBe(4);
    const audit = await w.storage.audit.list({ companyIds: null, beforeId: null, limit: 100 });
    expect(audit.find((a) => a.action === 'psa.sync.run')!.actor).toBe('system:psa-sync');
  });
});
