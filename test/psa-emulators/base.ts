// What the three PSA emulators share: a real HTTP server on 127.0.0.1 (port
// chosen by the system), a log of requests (method, path, body; never the
// headers), and injected faults (429 with Retry-After, 5xx) on the requests
// a test chooses, after a number of them have passed.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Fault {
  status: number;
  /** Seconds, sent as Retry-After. */
  retryAfter?: number;
  /** Which requests the fault applies to (default: every one). */
  match?: (method: string, path: string) => boolean;
  /** Matching requests let through before the fault starts. */
  skip?: number;
  /** How many matching requests fail. */
  times: number;
  /** The request is carried out, then answered with the fault (an answer lost on the way back). */
  applyThenFail?: boolean;
}

export interface Reply {
  status: number;
  json?: unknown;
  headers?: Record<string, string>;
}

export interface Request {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: unknown;
  rawBody: string;
}

export const isWrite = (method: string) => method !== 'GET';

export abstract class Emulator {
  private server: Server | null = null;
  url = '';
  readonly log: { method: string; path: string; body: unknown; status: number }[] = [];
  private faults: Fault[] = [];

  /** The requests that changed something (POST/PATCH/PUT/DELETE answered 2xx), query POSTs left out. */
  get writes() {
    return this.log.filter((r) => isWrite(r.method) && r.status < 300 && !/\/(query|token)(\?|$)/.test(r.path));
  }

  inject(fault: Fault): void {
    this.faults.push({ ...fault });
  }

  protected abstract handle(req: Request): Reply | Promise<Reply>;

  async start(): Promise<string> {
    this.server = createServer((req, res) => void this.serve(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.url;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => {
      if (!this.server) return resolve();
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const rawBody = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://x');
    let body: unknown = null;
    if (rawBody && (req.headers['content-type'] ?? '').includes('json')) {
      try {
        body = JSON.parse(rawBody);
      } catch {
        return this.send(res, req.method ?? 'GET', url.pathname, null, { status: 400, json: { message: 'malformed JSON' } });
      }
    }
    const method = req.method ?? 'GET';
    const fault = this.faults.find((f) => f.times > 0 && (!f.match || f.match(method, url.pathname)) && (f.skip === undefined || f.skip-- <= 0));
    if (fault) {
      fault.times--;
      if (fault.applyThenFail) await this.handle({ method, path: url.pathname, query: url.searchParams, headers: req.headers, body, rawBody });
      return this.send(res, method, url.pathname, body, {
        status: fault.status, json: { message: fault.status === 429 ? 'rate limit exceeded' : 'internal error' },
        headers: fault.retryAfter !== undefined ? { 'retry-after': String(fault.retryAfter) } : {},
      });
    }
    let reply: Reply;
    try {
      reply = await this.handle({ method, path: url.pathname, query: url.searchParams, headers: req.headers, body, rawBody });
    } catch (err) {
      reply = { status: 500, json: { message: (err as Error).message } };
    }
    this.send(res, method, url.pathname + url.search, body, reply);
  }

  private send(res: ServerResponse, method: string, path: string, body: unknown, reply: Reply): void {
    this.log.push({ method, path, body, status: reply.status });
    res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
    res.end(reply.json === undefined ? '' : JSON.stringify(reply.json));
  }
}

/** A page of a list: 1-based page number, bounded size. */
export function pageOf<T>(items: readonly T[], page: number, size: number): T[] {
  return items.slice((page - 1) * size, page * size);
}

export const notFound = (what: string): Reply => ({ status: 404, json: { code: 'NotFound', message: `${what} not found` } });
export const badRequest = (message: string): Reply => ({ status: 400, json: { code: 'InvalidObject', message } });
