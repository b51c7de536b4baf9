// A bare protocol client for collector tests: real WebSocket on loopback,
// real protobuf frames, no agent logic in between.
import WebSocket from 'ws';
import { decodeCollectorEnvelope, encodeAgentEnvelope, type CollectorEnvelope } from '../../proto/index.ts';

export interface RawAgent {
  ws: WebSocket;
  send(env: Parameters<typeof encodeAgentEnvelope>[0]): void;
  sendRaw(bytes: Uint8Array | string): void;
  /** Next decoded frame from the collector (waits up to timeoutMs). */
  next(timeoutMs?: number): Promise<CollectorEnvelope>;
  closed: Promise<{ code: number; reason: string }>;
  close(): void;
}

export type ConnectResult = { ok: true; agent: RawAgent } | { ok: false; status: number; code: string | undefined; body: string };

export function connectRaw(url: string, secret: string | null): Promise<ConnectResult> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers: secret ? { authorization: `Bearer ${secret}` } : {} });
    const inbox: CollectorEnvelope[] = [];
    const waiters: ((e: CollectorEnvelope) => void)[] = [];
    ws.on('message', (data: Buffer) => {
      const env = decodeCollectorEnvelope(data);
      const w = waiters.shift();
      if (w) w(env);
      else inbox.push(env);
    });
    const closed = new Promise<{ code: number; reason: string }>((res) => ws.on('close', (code, reason) => res({ code, reason: reason.toString() })));
    ws.on('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ ok: false, status: res.statusCode ?? 0, code: res.headers['x-tally-error'] as string | undefined, body }));
    });
    ws.on('error', (err) => reject(err));
    ws.on('open', () => resolve({
      ok: true,
      agent: {
        ws,
        send: (env) => ws.send(encodeAgentEnvelope(env)),
        sendRaw: (bytes) => ws.send(bytes),
        next: (timeoutMs = 5000) => {
          const queued = inbox.shift();
          if (queued) return Promise.resolve(queued);
          return new Promise((res, rej) => {
            const t = setTimeout(() => rej(new Error('no frame from collector in time')), timeoutMs);
            waiters.push((e) => {
              clearTimeout(t);
              res(e);
            });
          });
        },
        closed,
        close: () => ws.close(),
      },
    }));
  });
}

export async function connectOk(url: string, secret: string): Promise<RawAgent> {
  const r = await connectRaw(url, secret);
  if (!r.ok) throw new Error(`upgrade refused: ${r.status} ${r.code} ${r.body}`);
  return r.agent;
}
