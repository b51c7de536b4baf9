// One logical link to the collector: connects, says hello, keeps the socket
// alive, and reconnects with capped backoff and jitter whenever it drops.
// It knows nothing of records: the agent runtime decides what to send, and
// learns of welcomes, acks and disconnects through callbacks.
import WebSocket from 'ws';
import {
  CLOSE, decodeCollectorEnvelope, encodeAgentEnvelope, MAX_FRAME_BYTES, upgradeErrorCode,
  type CollectorEnvelope, type IAck, type IHello, type IWelcome,
} from '../../../proto/index.ts';
import type { Logger } from '../../../common/log.ts';
import { backoffDelay, DEFAULT_BACKOFF, type BackoffPolicy } from './backoff.ts';
import { classifyHttpRefusal, classifySocketError, type ConnectFailure } from './failure.ts';
import { redactProxy, tunnelAgent } from './proxy.ts';

export type Credentials = { kind: 'device'; deviceKey: string } | { kind: 'enrolment'; token: string };

/** What to do after the collector refused the upgrade. */
export type RefusalDecision = 'retry' | 'retry-slowly';

export interface ConnectionHandlers {
  /** The collector accepted our hello. Sending is possible from now on. */
  onWelcome(welcome: IWelcome): void;
  onAck(ack: IAck): void;
  /** The socket is gone; anything sent and not acknowledged may or may not have arrived. */
  onDisconnected(info: { code: number; reason: string }): void;
  /** The upgrade was refused with an HTTP status and a stable code (X-Tally-Error). */
  onRefused(info: { status: number; code: string; message: string }): RefusalDecision;
  /** The collector found that this machine presents another machine's device key (close 4409). No reconnect follows. */
  onCloneDetected?(): void;
  /** A connection attempt failed, with the reason (also logged at warn). */
  onConnectFailure?(failure: ConnectFailure): void;
}

export interface ConnectionOptions {
  url: URL;
  credentials: () => Credentials;
  hello: () => IHello;
  handlers: ConnectionHandlers;
  logger: Logger;
  backoff?: BackoffPolicy;
  random?: () => number;
  /** Ping period; a collector silent for two periods is considered gone. */
  pingIntervalMs?: number;
  connectTimeoutMs?: number;
  /** Extra TLS options for wss (a pinned CA). */
  ca?: string | Buffer;
  /** HTTP(S) proxy to tunnel through (CONNECT); null or absent for a direct connection. */
  proxy?: URL | null;
}

/** The same failure again within this time is counted, not logged again. */
const REPEAT_LOG_MS = 60_000;

export class CollectorConnection {
  private ws: WebSocket | null = null;
  private welcomed = false;
  private attempt = 0;
  private stopped = true;
  private retryTimer: NodeJS.Timeout | null = null;
  private pingTimer: NodeJS.Timeout | null = null;
  private lastHeardMs = 0;
  private slowRetry = false;
  private failedThisAttempt = false;
  private lastLogged: { key: string; atMs: number; repeats: number } | null = null;

  constructor(private readonly opts: ConnectionOptions) {}

  get ready(): boolean {
    return this.welcomed && this.ws?.readyState === WebSocket.OPEN;
  }

  /** Bytes queued in the socket and not yet written: the sender's backpressure signal. */
  get bufferedAmount(): number {
    return this.ws?.bufferedAmount ?? 0;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.connect();
  }

  /** Closes the link and cancels reconnects. Resolves when the socket is closed. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    const ws = this.ws;
    if (!ws || ws.readyState === WebSocket.CLOSED) return;
    await new Promise<void>((resolve) => {
      const t = setTimeout(() => {
        ws.terminate();
        resolve();
      }, 2_000);
      ws.once('close', () => {
        clearTimeout(t);
        resolve();
      });
      ws.close(1000, 'agent_stopping');
    });
  }

  /** Sends one envelope if the link is ready; returns false (and sends nothing) otherwise. */
  send(envelope: Parameters<typeof encodeAgentEnvelope>[0]): boolean {
    if (!this.ready) return false;
    this.ws!.send(encodeAgentEnvelope(envelope));
    return true;
  }

  private connect(): void {
    if (this.stopped) return;
    const creds = this.opts.credentials();
    const secret = creds.kind === 'device' ? creds.deviceKey : creds.token;
    const { logger } = this.opts;
    const ws = new WebSocket(this.opts.url, {
      headers: { authorization: `Bearer ${secret}` },
      handshakeTimeout: this.opts.connectTimeoutMs ?? 15_000,
      perMessageDeflate: false,
      maxPayload: MAX_FRAME_BYTES,
      ca: this.opts.ca,
      // TLS still runs end to end through the tunnel, verified against `ca`.
      agent: this.opts.proxy ? tunnelAgent(this.opts.proxy) : undefined,
    });
    this.ws = ws;
    this.welcomed = false;
    this.slowRetry = false;
    this.failedThisAttempt = false;

    ws.on('unexpected-response', (_req, res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        if (body.length < 4096) body += chunk;
      });
      res.on('end', () => {
        let message = body;
        try {
          message = JSON.parse(body).error?.message ?? body;
        } catch {
          // not JSON: keep the raw text
        }
        const tallyCode = upgradeErrorCode(res.headers);
        const failure = classifyHttpRefusal(res.statusCode ?? 0, tallyCode, message.slice(0, 300));
        this.reportFailure(failure, { status: res.statusCode });
        const verdict = this.opts.handlers.onRefused({ status: res.statusCode ?? 0, code: failure.code, message });
        // Answers that did not come from a collector (a proxy's) are retried on the normal backoff.
        this.slowRetry = tallyCode !== undefined && verdict === 'retry-slowly';
        ws.terminate();
      });
    });
    ws.on('open', () => {
      this.lastHeardMs = Date.now();
      ws.send(encodeAgentEnvelope({ hello: this.opts.hello() }));
      this.startPinging(ws);
    });
    ws.on('message', (data: Buffer, isBinary) => {
      this.lastHeardMs = Date.now();
      if (!isBinary) return;
      let env: CollectorEnvelope;
      try {
        env = decodeCollectorEnvelope(data);
      } catch (err) {
        logger.warn('undecodable frame from collector', { err });
        return;
      }
      this.onEnvelope(env);
    });
    ws.on('pong', () => (this.lastHeardMs = Date.now()));
    ws.on('ping', () => (this.lastHeardMs = Date.now()));
    ws.on('error', (err) => {
      if (this.welcomed) {
        logger.debug('collector socket error', { err });
        return;
      }
      this.reportFailure(classifySocketError(err as Error & { code?: string }, Boolean(this.opts.proxy)), {});
    });
    ws.on('close', (code, reasonBuf) => {
      const reason = reasonBuf.toString();
      if (this.pingTimer) clearInterval(this.pingTimer);
      this.pingTimer = null;
      const wasWelcomed = this.welcomed;
      this.welcomed = false;
      if (this.ws === ws) this.ws = null;
      if (wasWelcomed) this.opts.handlers.onDisconnected({ code, reason });
      if (code === CLOSE.clone) {
        // Reconnecting with the same key would only be refused again: the owner decides what comes next.
        this.stopped = true;
        this.opts.logger.warn('the collector says this machine is a clone of an enrolled device', { reason });
        this.opts.handlers.onCloneDetected?.();
        return;
      }
      // 4403: the company is inactive; 4400: we sent something the collector
      // refuses, which a quick retry will not fix; 4410: another process holds
      // our key's connection, and a quick retry would only take turns with it.
      // All retry slowly.
      if (code === CLOSE.forbidden || code === CLOSE.badFrame || code === CLOSE.replaced) this.slowRetry = true;
      this.scheduleReconnect();
    });
  }

  /**
   * Logs why an attempt failed, at warn: once per reason and code, then again
   * only when it changes or a minute later with the number of repeats, so an
   * agent that cannot reach its collector for days writes a few lines an hour.
   */
  private reportFailure(failure: ConnectFailure, extra: Record<string, unknown>): void {
    if (this.failedThisAttempt) return; // an HTTP refusal is followed by a socket error: one failure
    this.failedThisAttempt = true;
    this.opts.handlers.onConnectFailure?.(failure);
    const key = `${failure.reason}/${failure.code}`;
    const now = Date.now();
    const last = this.lastLogged;
    if (last && last.key === key && now - last.atMs < REPEAT_LOG_MS) {
      last.repeats++;
      return;
    }
    this.opts.logger.warn('cannot connect to the collector', {
      reason: failure.reason, code: failure.code, ...extra, message: failure.message, hint: failure.hint,
      collector: this.opts.url.href, ...(this.opts.proxy ? { proxy: redactProxy(this.opts.proxy) } : {}),
      ...(last && last.key === key ? { repeatsSinceLastLine: last.repeats } : {}),
    });
    this.lastLogged = { key, atMs: now, repeats: 0 };
  }

  private onEnvelope(env: CollectorEnvelope): void {
    if (env.welcome) {
      this.welcomed = true;
      this.attempt = 0;
      this.lastLogged = null;
      this.opts.handlers.onWelcome(env.welcome);
    } else if (env.ack) {
      this.opts.handlers.onAck(env.ack);
    } else if (env.error) {
      this.opts.logger.warn('collector reported an error', { code: env.error.code, message: env.error.message });
    }
  }

  private startPinging(ws: WebSocket): void {
    const period = this.opts.pingIntervalMs ?? 30_000;
    this.pingTimer = setInterval(() => {
      if (Date.now() - this.lastHeardMs > 2 * period) {
        this.opts.logger.warn('collector stopped answering; reconnecting', { silentMs: Date.now() - this.lastHeardMs });
        ws.terminate();
        return;
      }
      if (ws.readyState === WebSocket.OPEN) ws.ping();
    }, period);
    this.pingTimer.unref();
  }

  private scheduleReconnect(): void {
    if (this.stopped || this.retryTimer) return;
    const policy = this.opts.backoff ?? DEFAULT_BACKOFF;
    const delay = this.slowRetry ? policy.maxMs : backoffDelay(this.attempt++, policy, this.opts.random);
    this.opts.logger.info('reconnecting', { inMs: delay });
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.connect();
    }, delay);
  }
}
