// Agent releases on the collector, on SQLite and PostgreSQL: an admin uploads
// an artifact and publishes its signed release (refused when unsigned by the
// configured key, expired, replayed or missing its artifact), sets a staged
// rollout (everyone, partners, companies; the most specific rule wins),
// pauses and resumes it; agents ask with their device key which release
// applies to them and download the artifact. Only installation-wide owners
// may do any of it. Real collector on loopback, real HTTP, real Ed25519 keys.
import { createHash, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateReleaseKeyPair, parsePublicKey, signManifest, type ReleaseManifest, type SignedManifest } from '../../../common/release-manifest.ts';
import { hashSecret, newSecret } from '../../../collector/src/auth/secrets.ts';
import { rolloutBucket } from '../../../collector/src/releases/select.ts';
import { openPostgresStorage } from '../../../collector/src/storage/postgres/index.ts';
import { openSqliteStorage } from '../../../collector/src/storage/sqlite/index.ts';
import type { Storage } from '../../../collector/src/storage/types.ts';
import { startTestCollector, type TestCollector } from '../../helpers/collector.ts';
import { rest, restOk } from '../../helpers/http.ts';
import { createTestDatabase, pgServerConfigured, pgTestSetting } from '../../helpers/postgres.ts';
import { shouldRun } from '../../helpers/requirements.ts';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const key = generateReleaseKeyPair();
const stranger = generateReleaseKeyPair();
const pg = pgTestSetting();
const backends = [
  { name: 'SQLite', skip: false, open: async () => ({ storage: openSqliteStorage({ path: join(mkdtempSync(join(tmpdir(), 'tally-rel-')), 't.db'), nowMs: Date.now() }) as Storage, drop: async () => {} }) },
  {
    name: 'PostgreSQL', skip: !shouldRun('agent releases on PostgreSQL', pgServerConfigured(pg)),
    open: async () => {
      const db = await createTestDatabase((pg as { url: string }).url);
      return { storage: await openPostgresStorage({ url: db.url, nowMs: Date.now() }) as Storage, drop: () => db.drop() };
    },
  },
];

const artifact = (text: string) => {
  const bytes = Buffer.from(text.repeat(1000));
  return { bytes, sha256: createHash('sha256').update(bytes).digest('hex') };
};

function release(version: string, sequence: number, art: { bytes: Buffer; sha256: string }, over: Partial<ReleaseManifest> = {}, signer = key.privateKeyPem): SignedManifest {
  return signManifest({
    schema: 1, version, channel: 'stable', sequence, createdAt: new Date().toISOString(), expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
    artifacts: { 'linux-x64-deb': { name: `tally-agent_${version}_amd64.deb`, size: art.bytes.length, sha256: art.sha256 } }, ...over,
  }, signer);
}

describe.each(backends.filter((b) => !b.skip))('agent releases on $name', (backend) => {
  let c: TestCollector;
  let drop: () => Promise<void>;
  let admin: string;
  const ids: Record<string, string> = {};
  const keys: Record<string, string> = {};
  const devices: { id: string; key: string; companyId: string }[] = [];
  const v2 = artifact('version two ');
  const v1 = artifact('version one ');
  const published: Record<string, SignedManifest> = {};

  const upload = (apiKey: string, a: { bytes: Buffer; sha256: string }, sha = a.sha256) =>
    fetch(`${c.url}/api/v1/release-artifacts/${sha}`, { method: 'PUT', headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/octet-stream' }, body: a.bytes });
  const ask = async (device: { key: string } | null, version = '1.0.0', channel = 'stable') => {
    const res = await fetch(`${c.url}/agent/v1/update?platform=linux-x64-deb&channel=${channel}&version=${version}`, { headers: device ? { authorization: `Bearer ${device.key}` } : {} });
    return { status: res.status, body: (await res.json()) as { release: SignedManifest | null; current: SignedManifest | null; error?: { code: string } } };
  };
  const offeredVersion = async (d: { key: string }) => (await ask(d)).body.release?.manifest.version ?? null;

  beforeAll(async () => {
    const opened = await backend.open();
    drop = opened.drop;
    c = await startTestCollector({ storage: opened.storage, releaseKeys: [parsePublicKey(key.publicKey)] });
    admin = await c.apiKey();
    ids.p1 = (await restOk(c.url, admin, 'POST', '/companies', { name: 'Partner One', type: 'partner' })).id;
    ids.c1 = (await restOk(c.url, admin, 'POST', '/companies', { name: 'Dental One', type: 'customer', parentId: ids.p1 })).id;
    ids.c1b = (await restOk(c.url, admin, 'POST', '/companies', { name: 'Dental One B', type: 'customer', parentId: ids.p1 })).id;
    ids.p2 = (await restOk(c.url, admin, 'POST', '/companies', { name: 'Partner Two', type: 'partner' })).id;
    ids.c2 = (await restOk(c.url, admin, 'POST', '/companies', { name: 'Law Two', type: 'customer', parentId: ids.p2 })).id;
    for (const [companyId, n] of [[ids.c1, 2], [ids.c1b, 2], [ids.c2, 60]] as const) {
      for (let i = 0; i < n; i++) {
        const d = { id: randomUUID(), key: newSecret('device_key'), companyId };
        await c.storage.enrolment.enrolDevice({ deviceId: d.id, companyId, keyHash: hashSecret(d.key), instanceId: d.id, hostname: `pc-${i}`, facts: null, agentVersion: '1.0.0', nowMs: Date.now() });
        devices.push(d);
      }
    }
    keys.billing = (await restOk(c.url, admin, 'POST', '/api-keys', { label: 'billing', role: 'billing_admin' })).key;
    keys.viewer = (await restOk(c.url, admin, 'POST', '/api-keys', { label: 'viewer', role: 'viewer' })).key;
    keys.p1Owner = (await restOk(c.url, admin, 'POST', '/api-keys', { label: 'p1 owner', companyId: ids.p1 })).key;
  }, 60_000);
  afterAll(async () => {
    await c?.dispose();
    await drop?.();
  });

  it('publishes a signed release whose artifact was uploaded, and refuses the rest with a reason', async () => {
    // The artifact must be uploaded first; bytes that do not hash to the name are not kept.
    expect((await rest(c.url, admin, 'POST', '/releases', { signed: release('2.0.0', 2, v2) })).body.error).toMatchObject({ code: 'invalid_request', message: expect.stringMatching(/has not been uploaded/) });
    const wrong = await upload(admin, v1, v2.sha256);
    expect(wrong.status).toBe(400);
    expect((await upload(admin, v2)).status).toBe(201);
    expect((await upload(admin, v1)).status).toBe(201);
    // Signed by a key the collector does not pin; tampered; expired; unsigned.
    const refused = async (signed: unknown) => (await rest(c.url, admin, 'POST', '/releases', { signed })).body.error.message as string;
    expect(await refused(release('2.0.0', 2, v2, {}, stranger.privateKeyPem))).toMatch(/unknown_key/);
    expect(await refused({ ...release('2.0.0', 2, v2), manifest: { ...release('2.0.0', 2, v2).manifest, version: '6.6.6' } })).toMatch(/bad_signature/);
    expect(await refused(release('2.0.0', 2, v2, { expiresAt: new Date(Date.now() - 1000).toISOString() }))).toMatch(/expired/);
    expect(await refused({ manifest: release('2.0.0', 2, v2).manifest })).toMatch(/unsigned/);

    expect(await restOk(c.url, admin, 'POST', '/releases', { signed: release('1.0.0', 1, v1) })).toMatchObject({ sequence: 1, version: '1.0.0', paused: false });
    published.two = release('2.0.0', 2, v2);
    expect(await restOk(c.url, admin, 'POST', '/releases', { signed: published.two })).toMatchObject({ sequence: 2, version: '2.0.0' });
    // A sequence is never reused, nor one below the highest.
    expect((await rest(c.url, admin, 'POST', '/releases', { signed: release('2.0.1', 2, v2) })).status).toBe(409);
    const listed = (await restOk(c.url, admin, 'GET', '/releases')).releases;
    expect(listed.map((r: any) => r.sequence)).toEqual([2, 1]);
    const audit = (await restOk(c.url, admin, 'GET', '/audit')).entries;
    expect(audit.filter((e: any) => e.action === 'release.publish').map((e: any) => e.targetId)).toEqual(['2', '1']);
  });

  it('offers a release to nobody until a rollout, then by the most specific rule; pause and resume', async () => {
    const c1 = devices.filter((d) => d.companyId === ids.c1);
    const c1b = devices.filter((d) => d.companyId === ids.c1b);
    const c2 = devices.filter((d) => d.companyId === ids.c2);
    expect(await offeredVersion(c1[0])).toBeNull();
    // Partner One, every device: its customers' devices are offered 2.0.0, Partner Two's are not.
    await restOk(c.url, admin, 'POST', '/releases/2/rollout', { companyIds: [ids.p1], percent: 100 });
    for (const d of [...c1, ...c1b]) expect(await offeredVersion(d)).toBe('2.0.0');
    expect(await offeredVersion(c2[0])).toBeNull();
    // A company rule beats its partner's: Dental One B held back.
    await restOk(c.url, admin, 'POST', '/releases/2/rollout', { companyIds: [ids.c1b], percent: 0 });
    expect(await offeredVersion(c1b[0])).toBeNull();
    expect(await offeredVersion(c1[0])).toBe('2.0.0');
    // Everyone else, 50 %: the devices whose bucket is below 50, the same ones each time.
    await restOk(c.url, admin, 'POST', '/releases/2/rollout', { percent: 50 });
    const offered = [];
    for (const d of c2) if (await offeredVersion(d)) offered.push(d.id);
    expect(offered.sort()).toEqual(c2.filter((d) => rolloutBucket(d.id) < 50).map((d) => d.id).sort());
    expect(offered.length).toBeGreaterThan(10);
    expect(offered.length).toBeLessThan(50);
    // The agent keeps the package of the version it runs aside: the collector sends its signed release too.
    const answer = await ask(c1[0]);
    expect(answer.body.current?.manifest.version).toBe('1.0.0');
    // Exactly what was published: agents verify the signature themselves.
    expect(answer.body.release).toEqual(published.two);
    // Already on 2.0.0: nothing to do.
    expect((await ask(c1[0], '2.0.0')).body.release).toBeNull();
    // Pause: nobody is offered it; resume: as before.
    expect(await restOk(c.url, admin, 'POST', '/releases/2/pause', {})).toMatchObject({ paused: true });
    for (const d of [c1[0], ...c2]) expect(await offeredVersion(d)).toBeNull();
    expect(await restOk(c.url, admin, 'POST', '/releases/2/resume', {})).toMatchObject({ paused: false });
    expect(await offeredVersion(c1[0])).toBe('2.0.0');
  });

  it('serves artifacts and answers only devices with a valid key', async () => {
    const d = devices[0];
    const res = await fetch(`${c.url}/agent/v1/artifacts/${v2.sha256}`, { headers: { authorization: `Bearer ${d.key}` } });
    expect(res.status).toBe(200);
    expect(createHash('sha256').update(Buffer.from(await res.arrayBuffer())).digest('hex')).toBe(v2.sha256);
    expect((await fetch(`${c.url}/agent/v1/artifacts/${v2.sha256}`)).status).toBe(401);
    expect((await fetch(`${c.url}/agent/v1/artifacts/${'e'.repeat(64)}`, { headers: { authorization: `Bearer ${d.key}` } })).status).toBe(404);
    expect((await ask(null)).status).toBe(401);
    expect((await ask({ key: newSecret('device_key') })).status).toBe(401);
    // An enrolment token is not a device.
    const token = (await restOk(c.url, admin, 'POST', `/companies/${ids.c1}/enrolment-tokens`, {})).token;
    expect((await ask({ key: token })).status).toBe(401);
    expect((await fetch(`${c.url}/agent/v1/update?platform=amiga-deb`, { headers: { authorization: `Bearer ${d.key}` } })).status).toBe(400);
  });

  it('leaves releases to installation-wide owners: other roles and partner owners are refused, and read only their own rules', async () => {
    for (const apiKey of [keys.billing, keys.viewer, keys.p1Owner]) {
      for (const [method, path, body] of [['POST', '/releases/2/pause', {}], ['POST', '/releases/2/rollout', { percent: 100 }], ['POST', '/releases', { signed: release('3.0.0', 3, v2) }]] as const) {
        const r = await rest(c.url, apiKey, method, path, body);
        expect(r.status, `${path}`).toBe(403);
        expect(r.body.error.code).toBe('forbidden');
      }
      expect((await upload(apiKey, v2)).status).toBe(403);
    }
    expect((await restOk(c.url, admin, 'GET', '/releases/2')).paused).toBe(false);
    // A partner reads the releases and the rules that concern its own tree (and the everyone rule), never another partner's.
    const asP1 = (await restOk(c.url, keys.p1Owner, 'GET', '/releases/2')).rollout.map((r: any) => r.companyId);
    expect(asP1.sort()).toEqual([null, ids.p1, ids.c1b].sort());
    await restOk(c.url, admin, 'POST', '/releases/2/rollout', { companyIds: [ids.c2], percent: 100 });
    expect(JSON.stringify(await restOk(c.url, keys.p1Owner, 'GET', '/releases'))).not.toContain(ids.c2);
    // An unknown release, an unknown company: not_found.
    expect((await rest(c.url, admin, 'POST', '/releases/99/pause', {})).status).toBe(404);
    expect((await rest(c.url, admin, 'POST', '/releases/2/rollout', { companyIds: ['no-such-company'], percent: 5 })).status).toBe(404);
  });
});
