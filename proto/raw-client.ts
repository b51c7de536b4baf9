// One raw protocol client: a real WebSocket, real protobuf frames, bearer auth
// on the upgrade, and nothing of the agent's logic (no outbox, no reconnects,
// no backoff). The simulator, the benchmarks and the tests all speak to the
// collector through it; the fuzz suites add their malformed frames with
// sendRaw. Every wait is bounded.
//
// It lives in proto/ because it depends on nothing but `ws` and the protocol's
// own codec, so sim/, bench/ and test/ import it downwards without the tests
// depending on the simulator. It is deliberately not re-exported from
// proto/index.ts: the agent and the collector never load it, and the agent's
// bundle does not contain it.
import type { Socket } from 'node:net';
import WebSocket from 'ws';
import {
  decodeCollectorEnvelope, encodeAgentEnvelope, MAX_FRAME_BYTES, upgradeErrorCode,
  type CollectorEnvelope,
} from './index.ts';

export type AgentEnvelopeInput = Parameters<typeof encodeAgentEnvelope>[0];

/** The collector answered the upgrade with HTTP instead of a WebSocket. */
export class UpgradeRefused extends Error {
  constructor(
    readonly status: number,
    /** The X-Tally-Error code (UPGRADE_ERROR), if the answer carried one. */
    readonly code: string | undefined,
    /** The answer's body (at most 4 KiB), usually `{"error":{"code","message"}}`. */
    readonly body: string,
  ) {
    const said = messageOf(body);
    super(`upgrade refused: HTTP ${status} ${code ?? ''}`.trim() + (said ? ` (${said})` : ''));
    this.name = 'UpgradeRefused';
  }
}

/** The message of a `{"error":{"message"}}` body, else the start of the body as it is. */
function messageOf(body: string): string {
  try {
    const said = JSON.parse(body)?.error?.message;
    if (typeof said === 'string') return said;
  } catch {
    // not JSON: fall through to the raw text
  }
  return body.trim().slice(0, 200);
}

/** The connection is gone (code and reason of the close), or the collector sent a frame that does not decode (code 0). */
export class ConnectionClosed extends Error {
  constructor(readonly code: number, readonly reason: string) {
    super(`connection closed by the collector: ${code} ${reason}`.trim());
    this.name = 'ConnectionClosed';
  }
}

export interface RawConnectOptions {
  /** Bound on the TCP connect and the upgrade (default 10 s). */
  timeoutMs?: number;
  /** Source address on loopback, to spread many sockets over more ephemeral ports. */
  localAddress?: string;
}

type Waiter = { resolve: (e: CollectorEnvelope) => void; reject: (err: Error) => void; timer: NodeJS.Timeout };

export class RawConnection {
  /** Settles when the socket is closed, with the close code and reason (1006 when the TCP connection just ended). */
  readonly closed: Promise<{ code: number; reason: string }>;
  private readonly inbox: CollectorEnvelope[] = [];
  private readonly waiters: Waiter[] = [];
  private closedWith: ConnectionClosed | null = null;

  private constructor(readonly ws: WebSocket, private readonly socket: Socket | null) {
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      let env: CollectorEnvelope;
      try {
        if (!isBinary) throw new Error('text frame');
        env = decodeCollectorEnvelope(data);
      } catch (err) {
        this.fail(new ConnectionClosed(0, `undecodable frame from collector: ${(err as Error).message}`));
        return;
      }
      const w = this.waiters.shift();
      if (w) {
        clearTimeout(w.timer);
        w.resolve(env);
      } else {
        this.inbox.push(env);
      }
    });
    this.closed = new Promise((resolve) => ws.on('close', (code, reason) => {
      const r = reason.toString();
      this.fail(new ConnectionClosed(code, r));
      resolve({ code, reason: r });
    }));
    ws.on('error', () => { /* the close event follows */ });
  }

  private fail(err: ConnectionClosed): void {
    if (!this.closedWith) this.closedWith = err;
    for (const w of this.waiters.splice(0)) {
      clearTimeout(w.timer);
      w.reject(err);
    }
  }

  /**
   * Opens the agent WebSocket at `url` with `Authorization: Bearer <secret>`
   * (no header when secret is null). Rejects with UpgradeRefused when the
   * collector answers with HTTP, or with the socket's error.
   */
  static open(url: string | URL, secret: string | null, opts: RawConnectOptions = {}): Promise<RawConnection> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, {
        headers: secret !== null ? { authorization: `Bearer ${secret}` } : {},
        perMessageDeflate: false,
        handshakeTimeout: opts.timeoutMs ?? 10_000,
        maxPayload: MAX_FRAME_BYTES,
        ...(opts.localAddress ? { localAddress: opts.localAddress } : {}),
      });
      let settled = false;
      const done = (err: Error | null, conn?: RawConnection) => {
        if (settled) return;
        settled = true;
        if (err) {
          ws.terminate();
          reject(err);
        } else resolve(conn!);
      };
      ws.once('unexpected-response', (_req, res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          if (body.length < 4096) body += chunk;
        });
        const refused = () => done(new UpgradeRefused(res.statusCode ?? 0, upgradeErrorCode(res.headers), body.slice(0, 4096)));
        res.once('end', refused);
        res.once('error', refused);
        res.once('close', refused);
      });
      let socket: Socket | null = null;
      ws.once('upgrade', (res) => { socket = res.socket as Socket; });
      ws.once('error', (err) => done(err));
      ws.once('open', () => done(null, new RawConnection(ws, socket)));
    });
  }

  get open(): boolean {
    return this.ws.readyState === WebSocket.OPEN;
  }

  /** Encodes and sends one envelope. Throws ConnectionClosed once the close was seen: a frame never vanishes unnoticed there. */
  send(env: AgentEnvelopeInput): void {
    this.sendRaw(encodeAgentEnvelope(env));
  }

  /** Sends bytes as they are (a binary frame), or a string as a text frame: for malformed input on purpose. */
  sendRaw(data: Uint8Array | string): void {
    if (this.closedWith) throw this.closedWith;
    this.ws.send(data);
  }

  /**
   * The next frame from the collector, within timeoutMs. Frames that arrived
   * before the close are still handed out; after them it rejects with
   * ConnectionClosed at once.
   */
  next(timeoutMs = 5_000): Promise<CollectorEnvelope> {
    const queued = this.inbox.shift();
    if (queued) return Promise.resolve(queued);
    if (this.closedWith) return Promise.reject(this.closedWith);
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        resolve, reject,
        timer: setTimeout(() => {
          const i = this.waiters.indexOf(waiter);
          if (i >= 0) this.waiters.splice(i, 1);
          reject(new Error(`no frame from the collector within ${timeoutMs} ms`));
        }, timeoutMs),
      };
      this.waiters.push(waiter);
    });
  }

  /** Closes cleanly (1000) and waits, at most timeoutMs, for the close to finish. */
  async close(timeoutMs = 2_000): Promise<void> {
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

  /**
   * Drops the TCP connection with a reset: unlike cut(), nothing is left in
   * TIME_WAIT on this side. A load generator that binds its own source
   * addresses needs it: tens of thousands of TIME_WAIT ports make every
   * later bind search the range (client CPU for the same connects went from
   * 1.6 s to 5 s from one benchmark round to the next).
   */
  reset(): void {
    if (this.socket && !this.socket.destroyed) this.socket.resetAndDestroy();
    this.ws.terminate();
  }
}
