// One simulated agent's WebSocket: the real protocol (protobuf frames, bearer
// auth on the upgrade), promise-based, every wait bounded.
import WebSocket from 'ws';
import { decodeCollectorEnvelope, encodeAgentEnvelope, type CollectorEnvelope } from '../../proto/index.ts';

type AgentEnvelopeInput = Parameters<typeof encodeAgentEnvelope>[0];

export class UpgradeRefused extends Error {
  constructor(readonly status: number, readonly code: string | undefined) {
    super(`upgrade refused: HTTP ${status} ${code ?? ''}`.trim());
    this.name = 'UpgradeRefused';
  }
}

export class ConnectionClosed extends Error {
  constructor(readonly code: number, readonly reason: string) {
    super(`connection closed by the collector: ${code} ${reason}`.trim());
    this.name = 'ConnectionClosed';
  }
}

export interface ConnectOptions {
  timeoutMs: number;
  /** Source address on loopback, to spread many sockets over more ephemeral ports. */
  localAddress?: string;
}

export class SimConnection {
  private readonly inbox: CollectorEnvelope[] = [];
  private waiter: { resolve: (e: CollectorEnvelope) => void; reject: (err: Error) => void; timer: NodeJS.Timeout } | null = null;
  private closedWith: ConnectionClosed | null = null;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data: Buffer) => {
      let env: CollectorEnvelope;
      try {
        env = decodeCollectorEnvelope(data);
      } catch (err) {
        this.fail(new ConnectionClosed(0, `undecodable frame from collector: ${(err as Error).message}`));
        return;
      }
      const w = this.waiter;
      if (w) {
        this.waiter = null;
        clearTimeout(w.timer);
        w.resolve(env);
      } else {
        this.inbox.push(env);
      }
    });
    ws.on('close', (code, reason) => this.fail(new ConnectionClosed(code, reason.toString())));
    ws.on('error', () => { /* the close event follows */ });
  }

  private fail(err: ConnectionClosed): void {
    if (!this.closedWith) this.closedWith = err;
    const w = this.waiter;
    if (w) {
      this.waiter = null;
      clearTimeout(w.timer);
      w.reject(err);
    }
  }

  static open(url: string, secret: string, opts: ConnectOptions): Promise<SimConnection> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, {
        headers: { authorization: `Bearer ${secret}` }, perMessageDeflate: false, handshakeTimeout: opts.timeoutMs,
        ...(opts.localAddress ? { localAddress: opts.localAddress } : {}),
      });
      let settled = false;
      const done = (err: Error | null, conn?: SimConnection) => {
        if (settled) return;
        settled = true;
        if (err) {
          ws.terminate();
          reject(err);
        } else resolve(conn!);
      };
      ws.once('unexpected-response', (_req, res) => {
        res.resume();
        done(new UpgradeRefused(res.statusCode ?? 0, res.headers['x-tally-error'] as string | undefined));
      });
      ws.once('error', (err) => done(err));
      ws.once('open', () => done(null, new SimConnection(ws)));
    });
  }

  get open(): boolean {
    return this.ws.readyState === WebSocket.OPEN;
  }

  send(env: AgentEnvelopeInput): void {
    if (this.closedWith) throw this.closedWith;
    this.ws.send(encodeAgentEnvelope(env));
  }

  /** The next frame from the collector, within timeoutMs. */
  next(timeoutMs: number): Promise<CollectorEnvelope> {
    const queued = this.inbox.shift();
    if (queued) return Promise.resolve(queued);
    if (this.closedWith) return Promise.reject(this.closedWith);
    if (this.waiter) return Promise.reject(new Error('only one reader at a time'));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiter = null;
        reject(new Error(`no frame from the collector within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiter = { resolve, reject, timer };
    });
  }

  /** Closes cleanly and waits (bounded) for the close to finish. */
  async close(timeoutMs = 2000): Promise<void> {
    if (this.ws.readyState === WebSocket.CLOSED) return;
    await new Promise<void>((resolve) => {
      const t = setTimeout(() => {
        this.ws.terminate();
        resolve();
      }, timeoutMs);
      this.ws.once('close', () => {
        clearTimeout(t);
        resolve();
      });
      this.ws.close(1000, 'done');
    });
  }

  /** Drops the TCP connection at once, as a network cut would. */
  cut(): void {
    this.ws.terminate();
  }
}
