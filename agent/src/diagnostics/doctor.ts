// `tally-agent doctor`: checks, in the order a connection needs them, that
// this machine can reach its collector, and says which step fails and why.
// State directory, name resolution and TCP to the first hop (the proxy if one
// is set, else the collector), then the WebSocket upgrade itself: through the
// proxy's CONNECT, with TLS verified as the agent verifies it (pinned CA or
// system store), presenting the device key when enrolled (never the
// enrolment token: a check must not enrol a device).
import { lookup } from 'node:dns/promises';
import { accessSync, constants, statSync } from 'node:fs';
import { connect } from 'node:net';
import WebSocket from 'ws';
import { loadCredentials } from '../credentials.ts';
import { classifyHttpRefusal, classifySocketError, type ConnectFailure } from '../transport/failure.ts';
import { redactProxy, tunnelAgent } from '../transport/proxy.ts';

export interface DoctorInput {
  stateDir: string;
  collectorUrl: URL;
  proxy: URL | null;
  proxyDescription: string;
  ca: Buffer | undefined;
  timeoutMs: number;
}

export interface Check {
  name: string;
  ok: boolean;
  detail: string;
  reason?: string;
}

export async function runDoctor(input: DoctorInput): Promise<Check[]> {
  const checks: Check[] = [];
  checks.push(checkStateDir(input.stateDir));
  const creds = loadCredentials(input.stateDir);
  const presentKey = creds !== null && creds.collectorUrl === input.collectorUrl.href;
  checks.push({ name: 'enrolment', ok: true, detail: presentKey ? `enrolled as device ${creds!.deviceId}` : creds ? `enrolled to another collector (${creds.collectorUrl}): will enrol here with a token` : 'not enrolled yet (needs an enrolment token)' });
  checks.push({ name: 'proxy', ok: true, detail: input.proxyDescription });

  const hop = input.proxy ?? input.collectorUrl;
  const hopName = input.proxy ? 'proxy' : 'collector';
  const host = hop.hostname.replace(/^\[|\]$/g, '');
  const port = Number(hop.port) || (hop.protocol === 'https:' || hop.protocol === 'wss:' ? 443 : 80);
  try {
    const addresses = await withTimeout(lookup(host, { all: true }), input.timeoutMs);
    checks.push({ name: `resolve ${hopName}`, ok: true, detail: `${host} -> ${addresses.map((a) => a.address).join(', ')}` });
  } catch (err) {
    checks.push(failed(`resolve ${hopName}`, classifySocketError(err as Error, Boolean(input.proxy))));
    return checks;
  }
  try {
    await withTimeout(tcpConnect(host, port), input.timeoutMs);
    checks.push({ name: `connect to ${hopName}`, ok: true, detail: `TCP ${host}:${port} open` });
  } catch (err) {
    checks.push(failed(`connect to ${hopName}`, classifySocketError(err as Error, Boolean(input.proxy))));
    return checks;
  }
  checks.push(await upgrade(input, presentKey ? creds!.deviceKey : null));
  return checks;
}

function checkStateDir(stateDir: string): Check {
  try {
    if (!statSync(stateDir).isDirectory()) return { name: 'state directory', ok: false, detail: `${stateDir} is not a directory`, reason: 'state_dir' };
    accessSync(stateDir, constants.R_OK | constants.W_OK);
    return { name: 'state directory', ok: true, detail: `${stateDir} is writable` };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return { name: 'state directory', ok: false, detail: `${stateDir}: ${code === 'ENOENT' ? 'does not exist yet (the agent creates it at its first start)' : (err as Error).message}`, reason: code === 'ENOENT' ? undefined : 'state_dir' };
  }
}

/** The WebSocket upgrade as the agent makes it; 101 (device key accepted) or the collector's 401 missing_credentials both prove the path. */
function upgrade(input: DoctorInput, deviceKey: string | null): Promise<Check> {
  const name = `${input.collectorUrl.protocol === 'wss:' ? 'TLS and ' : ''}WebSocket upgrade${input.proxy ? ` through ${redactProxy(input.proxy)}` : ''}`;
  return new Promise((resolve) => {
    let done = false;
    const finish = (check: Check) => {
      if (done) return;
      done = true;
      ws.terminate();
      resolve(check);
    };
    const ws = new WebSocket(input.collectorUrl, {
      headers: deviceKey ? { authorization: `Bearer ${deviceKey}` } : {},
      handshakeTimeout: input.timeoutMs, perMessageDeflate: false, ca: input.ca,
      agent: input.proxy ? tunnelAgent(input.proxy) : undefined,
    });
    ws.on('upgrade', () => finish({ name, ok: true, detail: `${input.collectorUrl.href}: device key accepted` }));
    ws.on('unexpected-response', (_req, res) => {
      const tallyCode = res.headers['x-tally-error'] === undefined ? undefined : String(res.headers['x-tally-error']);
      if (!deviceKey && res.statusCode === 401 && tallyCode === 'missing_credentials') {
        finish({ name, ok: true, detail: `${input.collectorUrl.href}: the collector answered (no credentials sent: not enrolled)` });
        return;
      }
      finish(failed(name, classifyHttpRefusal(res.statusCode ?? 0, tallyCode, '')));
    });
    ws.on('error', (err) => finish(failed(name, classifySocketError(err as Error & { code?: string }, false))));
  });
}

function failed(name: string, f: ConnectFailure): Check {
  return { name, ok: false, detail: `${f.reason} (${f.code}): ${f.message}${f.message ? '; ' : ''}${f.hint}`, reason: f.reason };
}

function tcpConnect(host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve();
    });
    socket.once('error', reject);
  });
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(Object.assign(new Error(`timed out after ${ms} ms`), { code: 'ETIMEDOUT' })), ms);
    promise.then((v) => { clearTimeout(t); resolve(v); }, (e) => { clearTimeout(t); reject(e); });
  });
}

export function formatChecks(checks: Check[]): string {
  return checks.map((c) => `${c.ok ? 'ok  ' : 'FAIL'}  ${c.name.padEnd(28)} ${c.detail}`).join('\n');
}
