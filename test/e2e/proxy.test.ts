// The real agent reaching a TLS collector through a real forward proxy (the
// `proxy` package, CONNECT and Basic auth) started on loopback: explicit
// proxy with credentials, HTTPS_PROXY with NO_PROXY, a wrong password (407),
// and the pinned CA still verifying the collector through the tunnel.
import { createServer, type IncomingMessage } from 'node:http';
import https from 'node:https';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createProxy } from 'proxy';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadCredentials } from '../../agent/src/credentials.ts';
import { AGENT_BIN, COLLECTOR_BIN, pollUntil, runCommand, startCollectorProcess, startProcess, type Proc } from '../helpers/processes.ts';
import { makeTestPki, type TestPki } from '../helpers/tls.ts';

let dir: string;
let pki: TestPki;
let collector: Proc & { url: string; port: number };
let apiKey: string;
let proxyPort: number;
let proxyServer: ReturnType<typeof createProxy>;
/** CONNECT targets the proxy let through, with the user that asked. */
const tunnels: { target: string; user: string }[] = [];
const running: Proc[] = [];

const basicUser = (req: IncomingMessage) => {
  const header = req.headers['proxy-authorization'] ?? '';
  const [scheme, value] = header.split(' ');
  return scheme === 'Basic' ? Buffer.from(value ?? '', 'base64').toString() : '';
};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tally-proxy-'));
  pki = makeTestPki();
  const db = join(dir, 'tally.db');
  apiKey = runCommand(COLLECTOR_BIN, ['apikey', 'create', '--init', '--db', db]);
  collector = await startCollectorProcess(db, ['--tls-cert', pki.certPath, '--tls-key', pki.keyPath]);
  proxyServer = createProxy(createServer());
  proxyServer.authenticate = (req) => basicUser(req) === 'alice:s3cret';
  proxyServer.on('connect', (req: IncomingMessage) => {
    if (basicUser(req) === 'alice:s3cret') tunnels.push({ target: req.url ?? '', user: 'alice' });
  });
  await new Promise<void>((resolve) => proxyServer.listen(0, '127.0.0.1', resolve));
  proxyPort = (proxyServer.address() as AddressInfo).port;
}, 60_000);
afterEach(async () => {
  for (const p of running.splice(0)) await p.stop('SIGKILL');
});
afterAll(async () => {
  await collector?.stop('SIGKILL');
  await new Promise((r) => proxyServer?.close(r));
  rmSync(dir, { recursive: true, force: true });
  rmSync(pki.dir, { recursive: true, force: true });
});

const collectorWss = () => `wss://localhost:${collector.port}`;
function token(company: string): string {
  return runCommand(COLLECTOR_BIN, ['token', 'create', '--company', company, '--init', '--db', join(dir, 'tally.db')]);
}
function agent(name: string, args: string[], env: Record<string, string> = {}): { proc: Proc; stateDir: string } {
  const stateDir = join(dir, name);
  const proc = startProcess(AGENT_BIN, ['run', '--collector', collectorWss(), '--state-dir', stateDir, '--interval', '1', '--token', token(name), ...args], {
    HTTPS_PROXY: '', https_proxy: '', HTTP_PROXY: '', http_proxy: '', ALL_PROXY: '', all_proxy: '', NO_PROXY: '', no_proxy: '', ...env,
  });
  running.push(proc);
  return { proc, stateDir };
}
/** The collector's API is HTTPS with the test CA. */
function companiesWithDevices(): Promise<string[]> {
  return new Promise((resolve, reject) => {
    https.get(`${collector.url}/api/v1/devices`, { ca: pki.caCert, headers: { authorization: `Bearer ${apiKey}` } }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve((JSON.parse(body) as { devices: { companyName: string }[] }).devices.map((d) => d.companyName)));
    }).on('error', reject);
  });
}

describe.sequential('the agent through an HTTP proxy', () => {
  it('enrols through an explicit proxy with Basic auth (CONNECT), TLS verified end to end with the pinned CA', async () => {
    const before = tunnels.length;
    const { proc, stateDir } = agent('explicit', ['--ca', pki.caCertPath, '--proxy', `http://alice:s3cret@127.0.0.1:${proxyPort}`]);
    await proc.waitForLog((l) => l.msg === 'enrolled', 30_000);
    expect(tunnels.slice(before)).toContainEqual({ target: `localhost:${collector.port}`, user: 'alice' });
    expect(loadCredentials(stateDir)?.collectorUrl).toBe(`${collectorWss()}/agent/v1/ws`);
    // The password never reaches the log.
    expect(proc.stderr()).not.toContain('s3cret');
    expect(await companiesWithDevices()).toContain('explicit');
  }, 60_000);

  it('takes HTTPS_PROXY from the environment, and NO_PROXY sends it direct', async () => {
    const before = tunnels.length;
    const viaEnv = agent('from-env', ['--ca', pki.caCertPath], { HTTPS_PROXY: `http://alice:s3cret@127.0.0.1:${proxyPort}` });
    await viaEnv.proc.waitForLog((l) => l.msg === 'enrolled', 30_000);
    expect(tunnels.length).toBeGreaterThan(before);
    const afterEnv = tunnels.length;
    const direct = agent('no-proxy', ['--ca', pki.caCertPath], { HTTPS_PROXY: `http://alice:s3cret@127.0.0.1:${proxyPort}`, NO_PROXY: 'example.org, localhost' });
    await direct.proc.waitForLog((l) => l.msg === 'enrolled', 30_000);
    expect(tunnels.length).toBe(afterEnv);
  }, 60_000);

  it('a wrong proxy password is logged at warn as a proxy failure (407), not as the collector refusing', async () => {
    const { proc, stateDir } = agent('bad-password', ['--ca', pki.caCertPath, '--proxy', `http://alice:wrong@127.0.0.1:${proxyPort}`]);
    const line = await proc.waitForLog((l) => l.msg === 'cannot connect to the collector', 30_000);
    expect(line).toMatchObject({ level: 'warn', reason: 'proxy', code: 'http_407', status: 407, proxy: `http://alice:***@127.0.0.1:${proxyPort}/` });
    expect(loadCredentials(stateDir)).toBeNull();
    expect(proc.stderr()).not.toContain('wrong');
  }, 60_000);

  it('the proxy does not weaken TLS: without the pinned CA the collector is not trusted and nothing is sent', async () => {
    const { proc, stateDir } = agent('no-ca', ['--proxy', `http://alice:s3cret@127.0.0.1:${proxyPort}`]);
    const line = await proc.waitForLog((l) => l.msg === 'cannot connect to the collector', 30_000);
    expect(line).toMatchObject({ level: 'warn', reason: 'tls' });
    expect(loadCredentials(stateDir)).toBeNull();
    expect(await companiesWithDevices()).not.toContain('no-ca');
  }, 60_000);

  it('doctor checks the path through the proxy: TCP to the proxy, CONNECT, TLS with the pinned CA; and names a wrong password', async () => {
    // Not spawnSync: the proxy runs in this process and must keep answering.
    const doctor = (proxy: string) => new Promise<{ stdout: string; stderr: string; status: number | null }>((resolve) => {
      const child = spawn(process.execPath, [AGENT_BIN, 'doctor', '--collector', collectorWss(), '--ca', pki.caCertPath, '--proxy', proxy, '--state-dir', dir, '--timeout', '10'],
        { env: { ...process.env, TALLY_AGENT_CONFIG: '' }, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d) => (stdout += d));
      child.stderr.on('data', (d) => (stderr += d));
      child.on('close', (status) => resolve({ stdout, stderr, status }));
    });
    const good = await doctor(`http://alice:s3cret@127.0.0.1:${proxyPort}`);
    expect(good.stdout).toMatch(/^ok +connect to proxy +TCP 127\.0\.0\.1:\d+ open$/m);
    expect(good.stdout).toMatch(/^ok +TLS and WebSocket upgrade through http:\/\/alice:\*\*\*@127\.0\.0\.1:\d+\/ .*the collector answered/m);
    expect(good.status).toBe(0);
    const bad = await doctor(`http://alice:wrong@127.0.0.1:${proxyPort}`);
    expect(bad.stdout).toMatch(/^FAIL +TLS and WebSocket upgrade through .* proxy \(http_407\)/m);
    expect(bad.status).toBe(1);
    expect(bad.stdout + bad.stderr).not.toContain('wrong@');
  }, 60_000);
});
