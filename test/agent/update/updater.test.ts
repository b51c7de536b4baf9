// The agent's updater against a real collector on loopback, with a fake
// package installer (it records what it would install): what it refuses and
// why (wrong key, no package to roll back to, a tampered artifact, a replayed
// or expired release), what it stages (verified downloads, the state file,
// the apply process handed its arguments), and the apply process's watchdog:
// confirmed by the new version, or rolled back at its deadline.
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../common/log.ts';
import { generateReleaseKeyPair, parsePublicKey, parsePublicKeys, signManifest, type ReleaseManifest, type SignedManifest } from '../../../common/release-manifest.ts';
import { hashSecret, newSecret } from '../../../collector/src/auth/secrets.ts';
import { applyUpdate } from '../../../agent/src/update/apply.ts';
import type { PackageInstaller } from '../../../agent/src/update/installer.ts';
import { confirmReport, readUpdateState, writeUpdateState } from '../../../agent/src/update/state.ts';
import { Updater } from '../../../agent/src/update/updater.ts';
import { startTestCollector, type TestCollector } from '../../helpers/collector.ts';
import { makeTestPki } from '../../helpers/tls.ts';
import { createProxy } from 'proxy';
import { createServer, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { AddressInfo } from 'node:net';
import { restOk } from '../../helpers/http.ts';

const key = generateReleaseKeyPair();
const other = generateReleaseKeyPair();
let c: TestCollector;
let admin: string;
let deviceKey: string;
const art = (text: string) => {
  const bytes = Buffer.from(text.repeat(5000));
  return { bytes, sha256: createHash('sha256').update(bytes).digest('hex') };
};
const v1 = art('one ');
const v2 = art('two ');

function signed(version: string, sequence: number, a: { bytes: Buffer; sha256: string }, over: Partial<ReleaseManifest> = {}): SignedManifest {
  return signManifest({
    schema: 1, version, channel: 'stable', sequence, createdAt: new Date().toISOString(), expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
    artifacts: { 'linux-x64-deb': { name: `tally-agent_${version}_amd64.deb`, size: a.bytes.length, sha256: a.sha256 } }, ...over,
  }, key.privateKeyPem);
}

async function publish(s: SignedManifest, a: { bytes: Buffer; sha256: string }) {
  await fetch(`${c.url}/api/v1/release-artifacts/${a.sha256}`, { method: 'PUT', headers: { authorization: `Bearer ${admin}` }, body: a.bytes });
  await restOk(c.url, admin, 'POST', '/releases', { signed: s });
  await restOk(c.url, admin, 'POST', `/releases/${s.manifest.sequence}/rollout`, { percent: 100 });
}

interface FakeInstaller extends PackageInstaller {
  installed: { file: string; rollbackFrom?: string; bytes: string }[];
  launched: string[][];
}
function fakeInstaller(): FakeInstaller {
  const f: FakeInstaller = {
    platform: 'linux-x64-deb', packageRestartsService: true, installed: [], launched: [],
    async install(file, o) {
      f.installed.push({ file, rollbackFrom: o.rollbackFrom, bytes: createHash('sha256').update(readFileSync(file)).digest('hex') });
    },
    async launchDetached(argv) {
      f.launched.push(argv);
    },
  };
  return f;
}

function updater(stateDir: string, installer: PackageInstaller, o: { version?: string; keys?: string; now?: () => number } = {}) {
  const exe = join(stateDir, '..', 'fake-agent');
  writeFileSync(exe, '#!/bin/sh\n');
  return new Updater({
    stateDir, agentVersion: o.version ?? '1.0.0', keys: parsePublicKeys(o.keys ?? key.publicKey), channel: 'stable', checkIntervalMs: 3_600_000, reportDeadlineSeconds: 1,
    installer, logger: silentLogger, selfCommand: [exe], now: o.now,
    http: () => ({ collectorUrl: new URL(c.wsUrl), deviceKey, proxy: null }),
  });
}
const scratch = () => join(mkdtempSync(join(tmpdir(), 'tally-updater-')), 'state');

beforeAll(async () => {
  c = await startTestCollector({ releaseKeys: [parsePublicKey(key.publicKey)] });
  admin = await c.apiKey();
  const { companyId } = await c.enrolmentToken('Updated Co');
  deviceKey = newSecret('device_key');
  await c.storage.enrolment.enrolDevice({ deviceId: randomUUID(), companyId, keyHash: hashSecret(deviceKey), instanceId: 'i', hostname: 'pc', facts: null, agentVersion: '1.0.0', nowMs: Date.now() });
  await publish(signed('2.0.0', 2, v2), v2);
});
afterAll(async () => {
  await c.dispose();
});

describe('the agent updater', () => {
  it('refuses without a package of the running version to roll back to, and says how to fix it', async () => {
    const dir = scratch();
    const inst = fakeInstaller();
    expect(await updater(dir, inst).checkOnce()).toBe('refused');
    expect(readUpdateState(dir).last).toMatchObject({ outcome: 'refused', version: '2.0.0', reason: expect.stringMatching(/no package of the running version 1\.0\.0 .*publish release 1\.0\.0/) });
    expect(inst.launched).toEqual([]);
    expect(readUpdateState(dir).highestSequence).toBe(0);
  });

  it('refuses a release signed by a key it does not pin, and one that has expired', async () => {
    const dir = scratch();
    expect(await updater(dir, fakeInstaller(), { keys: other.publicKey }).checkOnce()).toBe('refused');
    expect(readUpdateState(dir).last?.reason).toMatch(/^unknown_key: /);
    // Two days on, the one-day manifest has expired (freeze).
    expect(await updater(dir, fakeInstaller(), { now: () => Date.now() + 2 * 86_400_000 }).checkOnce()).toBe('refused');
    expect(readUpdateState(dir).last?.reason).toMatch(/^expired: /);
  });

  it('stages a verified update, hands it to the apply process, and the watchdog confirms it when the new version reports', async () => {
    // The running version's release, published after 2.0.0: sequence 1 is below 2 and refused; the admin signs it again as 3.
    await expect(publish(signed('1.0.0', 1, v1), v1)).rejects.toThrow(/409/);
    await publish(signed('1.0.0', 3, v1), v1);
    // Sequence 3 (1.0.0) is now the newest for everyone: the device on 1.0.0 is offered nothing.
    const dir = scratch();
    const inst = fakeInstaller();
    expect(await updater(dir, inst).checkOnce()).toBe('none');
    await restOk(c.url, admin, 'POST', '/releases/3/pause', {});
    // Paused: 2.0.0 is the newest offered again, and 1.0.0's signed release is the package kept aside.
    expect(await updater(dir, inst).checkOnce()).toBe('staged');
    const state = readUpdateState(dir);
    expect(state).toMatchObject({ highestSequence: 2, pending: { sequence: 2, fromVersion: '1.0.0', toVersion: '2.0.0', phase: 'staged' }, current: { version: '1.0.0', sequence: 3 } });
    const sha = (f: string) => createHash('sha256').update(readFileSync(f)).digest('hex');
    expect(sha(state.pending!.newPackage)).toBe(v2.sha256);
    expect(sha(state.pending!.previousPackage)).toBe(v1.sha256);
    expect(inst.launched).toHaveLength(1);
    expect(inst.launched[0].slice(-4)).toEqual(['update', 'apply', '--state-dir', dir]);
    expect(inst.launched[0][0]).toBe(join(dir, 'update', 'runner', 'fake-agent'));
    // Busy while under way: no second update.
    expect(await updater(dir, inst).checkOnce()).toBe('busy');

    // The apply process: installs, then the new version reports (confirmed.json) before the deadline.
    const applying = applyUpdate({ stateDir: dir, installer: inst, logger: silentLogger, pollMs: 20 });
    await new Promise((r) => setTimeout(r, 100));
    new Updater({ ...updaterOpts(dir), agentVersion: '2.0.0', installer: inst }).welcomed();
    expect(await applying).toBe('updated');
    expect(inst.installed.map((i) => i.bytes)).toEqual([v2.sha256]);
    expect(readUpdateState(dir)).toMatchObject({ pending: null, current: { version: '2.0.0', sequence: 2 }, last: { outcome: 'updated' }, failed: [] });
    expect(existsSync(state.pending!.previousPackage)).toBe(false);

    // A replay of release 2 to an agent back on 1.0.0 with this state: refused, it is not above what was accepted.
    const replay = readUpdateState(dir);
    writeUpdateState(dir, { ...replay, current: null });
    expect(await updater(dir, inst).checkOnce()).toBe('refused');
    expect(readUpdateState(dir).last?.reason).toMatch(/^replayed_sequence: /);
  });

  it('rolls back at the deadline when the new version never reports, and never installs that release again', async () => {
    const dir = scratch();
    const inst = fakeInstaller();
    expect(await updater(dir, inst).checkOnce()).toBe('staged');
    const { pending } = readUpdateState(dir);
    // A confirmation from another release does not count.
    confirmReport(dir, 99, '2.0.0', Date.now());
    expect(await applyUpdate({ stateDir: dir, installer: inst, logger: silentLogger, pollMs: 20 })).toBe('rolled_back');
    expect(inst.installed).toEqual([
      { file: pending!.newPackage, rollbackFrom: undefined, bytes: v2.sha256 },
      { file: pending!.previousPackage, rollbackFrom: pending!.newPackage, bytes: v1.sha256 },
    ]);
    const after = readUpdateState(dir);
    expect(after).toMatchObject({ pending: null, failed: [2], current: { version: '1.0.0' }, last: { outcome: 'rolled_back', version: '2.0.0', reason: expect.stringMatching(/did not report to the collector within 1 s/) } });
    expect(readdirSync(join(dir, 'update', 'packages'))).toEqual([pending!.previousPackage.split('/').pop()]);
    // Offered again: refused, by name.
    expect(await updater(dir, inst).checkOnce()).toBe('refused');
    expect(readUpdateState(dir).last?.reason).toMatch(/rolled back here before/);
    expect(inst.launched).toHaveLength(1);
    // A second apply finds nothing to do.
    expect(await applyUpdate({ stateDir: dir, installer: inst, logger: silentLogger })).toBe('nothing');
  });

  it('refuses an artifact whose bytes are not the signed ones, and leaves nothing behind', async () => {
    const dir = scratch();
    // Someone with access to the collector's disk swaps the file: same size, other bytes.
    const file = join(c.dir, 'releases', v2.sha256);
    const original = readFileSync(file);
    writeFileSync(file, Buffer.from(original).fill(0x41));
    try {
      expect(await updater(dir, fakeInstaller()).checkOnce()).toBe('failed');
    } finally {
      writeFileSync(file, original);
    }
    expect(readUpdateState(dir).last?.reason).toMatch(/download of tally-agent_2\.0\.0_amd64\.deb: artifact hashes to [0-9a-f]{64}, its manifest says/);
    expect(readdirSync(join(dir, 'update', 'packages')).filter((f) => f.includes('2.0.0'))).toEqual([]);
    expect(readUpdateState(dir).pending).toBeNull();
    rmSync(dir, { recursive: true, force: true });
  });
});

describe('the agent updater through an HTTP proxy, over TLS with a pinned CA', () => {
  it('checks and downloads through the proxy (CONNECT, with its credentials) and verifies the collector with the pinned CA', async () => {
    const pki = makeTestPki();
    const tlsCollector = await startTestCollector({ releaseKeys: [parsePublicKey(key.publicKey)], tls: { cert: pki.cert, key: pki.key } });
    const proxy = createProxy(createServer());
    const tunnels: string[] = [];
    const user = (req: IncomingMessage) => Buffer.from((req.headers['proxy-authorization'] ?? '').split(' ')[1] ?? '', 'base64').toString();
    proxy.authenticate = (req) => user(req) === 'alice:s3cret';
    proxy.on('connect', (req: IncomingMessage) => {
      if (user(req) === 'alice:s3cret') tunnels.push(req.url ?? '');
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
    try {
      const tlsAdmin = await tlsCollector.apiKey();
      const put = async (s: SignedManifest, a: { bytes: Buffer; sha256: string }) => {
        const call = (method: string, path: string, body: unknown) => new Promise<number>((resolve, reject) => {
          const req = httpsRequest(`https://localhost:${tlsCollector.port}/api/v1${path}`, { method, ca: pki.caCert, headers: { authorization: `Bearer ${tlsAdmin}`, 'content-type': 'application/json' } }, (res) => {
            res.resume();
            res.on('end', () => resolve(res.statusCode ?? 0));
          });
          req.on('error', reject);
          req.end(Buffer.isBuffer(body) ? body : JSON.stringify(body));
        });
        expect(await call('PUT', `/release-artifacts/${a.sha256}`, a.bytes)).toBe(201);
        expect(await call('POST', '/releases', { signed: s })).toBe(201);
        expect(await call('POST', `/releases/${s.manifest.sequence}/rollout`, { percent: 100 })).toBe(200);
      };
      await put(signed('1.0.0', 1, v1), v1);
      await put(signed('2.0.0', 2, v2), v2);
      const { companyId } = await tlsCollector.enrolmentToken('Proxied Co');
      const tlsDeviceKey = newSecret('device_key');
      await tlsCollector.storage.enrolment.enrolDevice({ deviceId: randomUUID(), companyId, keyHash: hashSecret(tlsDeviceKey), instanceId: 'p', hostname: 'pc', facts: null, agentVersion: '1.0.0', nowMs: Date.now() });
      const proxyUrl = new URL(`http://alice:s3cret@127.0.0.1:${(proxy.address() as AddressInfo).port}`);
      const through = (ca: Buffer | undefined, proxyTo: URL) => new Updater({
        ...updaterOpts(scratch()), installer: fakeInstaller(), selfCommand: [join(tlsCollector.dir, 'tally.db')],
        http: () => ({ collectorUrl: new URL(tlsCollector.wsUrl), deviceKey: tlsDeviceKey, ca, proxy: proxyTo }),
      });
      // Without the pinned CA the collector's certificate is not trusted: the check fails, nothing is staged.
      const untrusted = through(undefined, proxyUrl);
      await expect(untrusted.checkOnce()).rejects.toThrow(/certificate/);
      // Wrong proxy credentials: refused by the proxy.
      await expect(through(pki.caCert, new URL(proxyUrl.href.replace('s3cret', 'wrong'))).checkOnce()).rejects.toThrow();
      tunnels.length = 0;
      const u = through(pki.caCert, proxyUrl);
      expect(await u.checkOnce()).toBe('staged');
      // The check and both downloads (the new package, the one kept aside) went through the tunnel.
      expect(tunnels).toEqual(Array(3).fill(`localhost:${tlsCollector.port}`));
    } finally {
      await new Promise((r) => proxy.close(r));
      await tlsCollector.dispose();
      rmSync(pki.dir, { recursive: true, force: true });
    }
  });
});

function updaterOpts(stateDir: string) {
  return {
    stateDir, agentVersion: '1.0.0', keys: parsePublicKeys(key.publicKey), channel: 'stable' as const, checkIntervalMs: 3_600_000, reportDeadlineSeconds: 1,
    installer: fakeInstaller(), logger: silentLogger, selfCommand: ['/bin/true'], http: () => null,
  };
}
