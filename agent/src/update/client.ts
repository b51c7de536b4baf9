// The updater's HTTPS client: the collector's update endpoints, with the
// device key, through the configured proxy (a CONNECT tunnel, so TLS still
// runs end to end and the pinned CA still verifies the collector), bounded in
// time and size. Artifacts come from the collector only.
import { createHash } from 'node:crypto';
import { createWriteStream, renameSync, rmSync } from 'node:fs';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { tunnelAgent } from '../transport/proxy.ts';

export interface CollectorHttp {
  /** The agent WebSocket URL; the update endpoints live beside it. */
  collectorUrl: URL;
  deviceKey: string;
  ca?: Buffer;
  proxy: URL | null;
}

export class UpdateHttpError extends Error {
  constructor(message: string, readonly status: number | null = null) {
    super(message);
  }
}

/** ws(s)://host[:port]/prefix/agent/v1/ws -> http(s)://host[:port]/prefix/agent/v1/<path>. */
export function updateUrl(collectorUrl: URL, path: string): URL {
  const u = new URL(collectorUrl.href);
  u.protocol = u.protocol === 'wss:' ? 'https:' : 'http:';
  const [pathname, query] = path.split('?', 2);
  u.pathname = u.pathname.replace(/\/ws\/?$/, '') + pathname;
  u.search = query ? `?${query}` : '';
  return u;
}

function get(http: CollectorHttp, url: URL, timeoutMs: number): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = request(url, {
      method: 'GET', headers: { authorization: `Bearer ${http.deviceKey}`, 'user-agent': 'tally-agent-updater' },
      ...(http.ca ? { ca: http.ca } : {}), ...(http.proxy ? { agent: tunnelAgent(http.proxy) } : {}), timeout: timeoutMs,
    }, resolve);
    req.on('timeout', () => req.destroy(new UpdateHttpError(`no answer from ${url.host} within ${timeoutMs} ms`)));
    req.on('error', (err) => reject(err instanceof UpdateHttpError ? err : new UpdateHttpError(`${url.host}: ${err.message}`)));
    req.end();
  });
}

async function refusal(res: IncomingMessage): Promise<UpdateHttpError> {
  let text = '';
  for await (const chunk of res) if (text.length < 4000) text += chunk;
  let reason = text.slice(0, 300);
  try {
    const e = (JSON.parse(text) as { error?: { code?: string; message?: string } }).error;
    if (e) reason = `${e.code}: ${e.message}`;
  } catch {
    // not JSON: the text itself
  }
  return new UpdateHttpError(`HTTP ${res.statusCode}: ${reason}`, res.statusCode ?? null);
}

export async function getJson(http: CollectorHttp, path: string, timeoutMs = 30_000): Promise<unknown> {
  const res = await get(http, updateUrl(http.collectorUrl, path), timeoutMs);
  if (res.statusCode !== 200) throw await refusal(res);
  let text = '';
  for await (const chunk of res) {
    text += chunk;
    if (text.length > 1_000_000) throw new UpdateHttpError('update answer larger than 1 MB');
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new UpdateHttpError('update answer is not JSON');
  }
}

/**
 * Downloads an artifact to `file`: refused (and nothing left behind) when
 * the collector sends more bytes than the manifest's size, fewer, or bytes
 * that do not hash to its SHA-256.
 */
export async function download(http: CollectorHttp, artifact: { sha256: string; size: number }, file: string, timeoutMs = 15 * 60_000): Promise<void> {
  const res = await get(http, updateUrl(http.collectorUrl, `/artifacts/${artifact.sha256}`), timeoutMs);
  if (res.statusCode !== 200) throw await refusal(res);
  const tmp = `${file}.partial`;
  const hash = createHash('sha256');
  let size = 0;
  const out = createWriteStream(tmp, { mode: 0o600 });
  try {
    for await (const chunk of res as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > artifact.size) throw new UpdateHttpError(`artifact is larger than the ${artifact.size} bytes its manifest says`);
      hash.update(chunk);
      if (!out.write(chunk)) await new Promise<void>((r) => out.once('drain', () => r()));
    }
    await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
    if (size !== artifact.size) throw new UpdateHttpError(`artifact is ${size} bytes, its manifest says ${artifact.size}`);
    const actual = hash.digest('hex');
    if (actual !== artifact.sha256) throw new UpdateHttpError(`artifact hashes to ${actual}, its manifest says ${artifact.sha256}`);
    renameSync(tmp, file);
  } catch (err) {
    out.destroy();
    res.destroy();
    rmSync(tmp, { force: true });
    throw err;
  }
}
