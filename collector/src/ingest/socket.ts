// The agent WebSocket endpoint (/agent/v1/ws): ws in noServer mode, the
// upgrade authenticated before the handshake completes. This file only moves
// frames: protocol rules live in session.ts.
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import {
  AGENT_WS_PATH, CLOSE, encodeCollectorEnvelope, ErrorCode, UPGRADE_ERROR, UPGRADE_ERROR_HEADER, UPGRADE_ERROR_STATUS,
  type UpgradeErrorCode,
} from '../../../proto/index.ts';
import type { Logger } from '../../../common/log.ts';
import type { Metrics } from '../metrics.ts';
import type { Storage } from '../storage/types.ts';
import { AgentSession, type Reply } from './session.ts';
import type { IngestBatcher } from './batcher.ts';
import type { HelloBatcher } from './hello-batcher.ts';
import type { HelloReads } from './hello-reads.ts';
import { DisconnectMarks } from './disconnect-marks.ts';
import { authenticateUpgrade } from './upgrade-auth.ts';
import { LIMITS } from './validate.ts';
import { DEFAULT_LIMITS, KeyedRateLimiter, type AgentLimits } from './limits.ts';

export interface AgentSocketOptions {
  storage: Pick<Storage, 'enrolment' | 'ingest' | 'devices' | 'audit' | 'hooks'>;
  batcher: IngestBatcher;
  /** Group commit for hellos (absent: each hello commits on its own). */
  hellos?: HelloBatcher;
  /** Batched reads for upgrades and hellos (absent: each reads on its own). */
  reads?: HelloReads;
  logger: Logger;
  metrics: Metrics;
  now: () => number;
  /** How often the collector pings; a peer that missed one ping is dropped. */
  pingIntervalMs?: number;
  /** How long a new connection may take to send its hello. */
  helloTimeoutMs?: number;
  /** Frames queued for processing per connection before the socket is paused. */
  maxQueuedFrames?: number;
  limits?: Partial<AgentLimits>;
}

export interface AgentSockets {
  readonly connections: number;
  /** Closes every agent connection with 1001 and stops accepting new ones. */
  close(): Promise<void>;
}

const REASONS: Record<number, string> = { 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 429: 'Too Many Requests', 503: 'Service Unavailable' };

function writeHttpRefusal(socket: Duplex, code: UpgradeErrorCode, message: string, retryAfterSeconds = 0): void {
  const status = UPGRADE_ERROR_STATUS[code];
  const body = JSON.stringify({ error: { code, message } });
  socket.end(`HTTP/1.1 ${status} ${REASONS[status] ?? 'Error'}\r\nContent-Type: application/json\r\n${UPGRADE_ERROR_HEADER}: ${code}\r\n` +
    (retryAfterSeconds > 0 ? `Retry-After: ${retryAfterSeconds}\r\n` : '') +
    `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
}

export function attachAgentSockets(server: Server, opts: AgentSocketOptions): AgentSockets {
  const { storage, logger, metrics, now, batcher, hellos, reads } = opts;
  // Marks of connections closing together are cleared in one transaction (many agents dropping at once).
  const disconnects = new DisconnectMarks({ devices: storage.devices, logger });
  const pingIntervalMs = opts.pingIntervalMs ?? 30_000;
  const helloTimeoutMs = opts.helloTimeoutMs ?? 30_000;
  const maxQueued = opts.maxQueuedFrames ?? 8;
  const limits: AgentLimits = { ...DEFAULT_LIMITS, ...opts.limits };
  const enrolments = new KeyedRateLimiter(limits.enrolPerIp);
  const tokenEnrolments = new KeyedRateLimiter(limits.enrolPerToken);
  const authFailures = new KeyedRateLimiter(limits.authFailuresPerIp);
  const deviceFrames = new KeyedRateLimiter(limits.framesPerDevice);
  const bounds = { streams: limits.streamsPerDevice, maxEventBytes: limits.maxEventBytes, events: new KeyedRateLimiter(limits.eventsPerDevice) };
  const wss = new WebSocketServer({ noServer: true, maxPayload: LIMITS.maxFrameBytes, perMessageDeflate: false });
  const alive = new WeakMap<WebSocket, boolean>();
  // One live connection per device key: the welcomed connection of each device
  // (clone detection asks whether there is one), and the one connection of
  // each device key that is open but not yet welcomed. A newer connection
  // replaces the older in either place, so a key holds at most two sockets
  // however many it opens.
  const liveByDevice = new Map<string, WebSocket>();
  const pendingByDevice = new Map<string, WebSocket>();
  const isConnected = (deviceId: string) => liveByDevice.has(deviceId);
  const maxPerIp = limits.maxConnectionsPerIp ?? Math.max(1, Math.ceil(limits.maxConnections / 2));
  /** Sockets per source address, from the upgrade request until the TCP connection closes (refused or not). */
  const byIp = new Map<string, number>();
  /** Connections a newer one of their device took over: they leave the device's connection mark alone. */
  const replacedSockets = new WeakSet<WebSocket>();
  /** Closes an older connection of a device that a newer one took over. */
  const replace = (old: WebSocket, deviceId: string) => {
    metrics.connectionsReplaced.inc();
    logger.info('a newer connection of the device took over; the older one is closed', { deviceId });
    replacedSockets.add(old);
    if (old.readyState !== old.OPEN) return;
    old.send(encodeCollectorEnvelope({ error: { code: ErrorCode.CONNECTION_REPLACED, message: 'a newer connection of this device key took over this one' } }));
    old.close(CLOSE.replaced, 'connection_replaced');
  };
  const sessions = new Map<WebSocket, AgentSession>();
  let closing = false;
  // Connections still waiting for their hello, with when they must have sent it. One sweep for all of them: a timer
  // each was set and cleared 10,000 times at a restart. Every connection gets the same timeout, so insertion order is
  // deadline order and a sweep stops at the first connection still in time.
  const awaitingHello = new Map<WebSocket, number>();
  const helloSweep = setInterval(() => {
    const now = performance.now();
    for (const [ws, deadline] of awaitingHello) {
      if (deadline > now) break;
      awaitingHello.delete(ws);
      ws.close(CLOSE.timeout, 'hello_timeout');
    }
  }, Math.max(10, Math.min(1_000, helloTimeoutMs / 4)));
  helloSweep.unref();

  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    // Agents ask for the path itself: parsed only when it is something else (a query string, a typo).
    const path = req.url === AGENT_WS_PATH ? AGENT_WS_PATH : new URL(req.url ?? '/', 'http://collector').pathname;
    if (path !== AGENT_WS_PATH) {
      writeHttpRefusal(socket, UPGRADE_ERROR.notFound, `no WebSocket endpoint at ${path}`);
      return;
    }
    if (closing) {
      writeHttpRefusal(socket, UPGRADE_ERROR.shuttingDown, 'the collector is shutting down');
      return;
    }
    if (wss.clients.size >= limits.maxConnections) {
      metrics.upgradesRejected.inc({ code: UPGRADE_ERROR.tooManyConnections });
      metrics.connectionLimitRefusals.inc({ limit: 'total' });
      writeHttpRefusal(socket, UPGRADE_ERROR.tooManyConnections, 'this collector holds as many agents as it may; retry later or elsewhere');
      return;
    }
    const ip = req.socket.remoteAddress ?? 'unknown';
    // No one address holds every slot (nor its enrolments and refusals): counted until the TCP connection ends.
    const fromIp = byIp.get(ip) ?? 0;
    if (fromIp >= maxPerIp) {
      metrics.upgradesRejected.inc({ code: UPGRADE_ERROR.addressLimit });
      metrics.connectionLimitRefusals.inc({ limit: 'per_ip' });
      logger.warn('agent upgrade refused: this address holds as many connections as one address may', { remote: ip, limit: maxPerIp });
      writeHttpRefusal(socket, UPGRADE_ERROR.addressLimit, `this address holds ${maxPerIp} agent connections, as many as one address may; retry later`);
      return;
    }
    byIp.set(ip, fromIp + 1);
    socket.once('close', () => {
      const left = (byIp.get(ip) ?? 1) - 1;
      if (left > 0) byIp.set(ip, left);
      else byIp.delete(ip);
    });
    // Guessing credentials costs the guesser: after a few failures an address waits.
    if (authFailures.retryAfterSeconds(ip) > 0) {
      metrics.upgradesRejected.inc({ code: UPGRADE_ERROR.rateLimited });
      writeHttpRefusal(socket, UPGRADE_ERROR.rateLimited, 'too many refused credentials from this address', authFailures.retryAfterSeconds(ip));
      return;
    }
    const isEnrolment = /^Bearer\s+tet_/i.test(req.headers.authorization ?? '');
    if (isEnrolment && !enrolments.take(ip, now())) {
      metrics.upgradesRejected.inc({ code: UPGRADE_ERROR.rateLimited });
      writeHttpRefusal(socket, UPGRADE_ERROR.rateLimited, 'too many enrolments from this address', enrolments.retryAfterSeconds(ip));
      return;
    }
    authenticateUpgrade(req.headers.authorization, storage, now(), reads).then((auth) => {
      if (!auth.ok) {
        metrics.upgradesRejected.inc({ code: auth.code });
        if (auth.status === 401) authFailures.take(ip, now());
        logger.warn('agent upgrade refused', { code: auth.code, remote: ip });
        writeHttpRefusal(socket, auth.code, auth.message);
        return;
      }
      if (socket.destroyed) return;
      if (auth.principal.kind === 'enrolment' && !tokenEnrolments.take(auth.principal.tokenId, now())) {
        metrics.upgradesRejected.inc({ code: UPGRADE_ERROR.rateLimited });
        writeHttpRefusal(socket, UPGRADE_ERROR.rateLimited, 'too many enrolments with this token; retry later', tokenEnrolments.retryAfterSeconds(auth.principal.tokenId));
        return;
      }
      wss.handleUpgrade(req, socket, head, (ws) => onConnection(ws, new AgentSession(auth.principal, { storage, batcher, hellos, reads, disconnects, logger, metrics, now, isConnected, bounds }), req));
    }, (err) => {
      logger.error('upgrade failed', { err });
      writeHttpRefusal(socket, UPGRADE_ERROR.internal, 'internal error');
    });
  };

  const onConnection = (ws: WebSocket, session: AgentSession, req: IncomingMessage) => {
    metrics.agentConnections.inc();
    sessions.set(ws, session);
    const keyOf = session.deviceId; // a device key's connection (an enrolment's has no device yet)
    if (keyOf) {
      const older = pendingByDevice.get(keyOf);
      if (older) replace(older, keyOf);
      pendingByDevice.set(keyOf, ws);
    }
    alive.set(ws, true);
    const remote = req.socket.remoteAddress;
    let greeted: string | null = null;
    let queued = 0;
    let chain: Promise<void> = Promise.resolve();
    awaitingHello.set(ws, performance.now() + helloTimeoutMs);

    const deliver = (reply: Reply) => {
      if (ws.readyState !== ws.OPEN) return;
      // A peer that stops reading our acks would make us buffer without end: drop it.
      if (ws.bufferedAmount > limits.maxBufferedBytes) {
        logger.warn('agent does not read its acknowledgements; dropped', { deviceId: session.deviceId, remote });
        ws.terminate();
        return;
      }
      for (const env of reply.send) ws.send(encodeCollectorEnvelope(env));
      if (reply.close) ws.close(reply.close.code, reply.close.reason);
    };

    ws.on('pong', () => alive.set(ws, true));
    ws.on('message', (data, isBinary) => {
      if (!isBinary) {
        metrics.frameErrors.inc({ code: 'text_frame' });
        deliver({ send: [{ error: { code: ErrorCode.BAD_FRAME, message: 'frames must be binary protobuf' } }], close: { code: CLOSE.badFrame, reason: 'bad_frame' } });
        return;
      }
      const bytes = Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data as ArrayBuffer);
      // Per device, not per connection: reconnecting does not buy a fresh allowance.
      if (greeted && !deviceFrames.take(greeted, now())) {
        metrics.frameErrors.inc({ code: 'rate_limited' });
        deliver({ send: [{ error: { code: ErrorCode.RATE_LIMITED, message: 'too many frames from this device; slow down (nothing of this frame was stored)' } }],
          close: { code: CLOSE.rateLimited, reason: 'rate_limited' } });
        return;
      }
      // Frames of one connection are handled strictly in order, and the
      // socket stops reading while too many wait: memory per agent is bounded.
      if (++queued >= maxQueued) ws.pause();
      const started = performance.now();
      chain = chain.then(async () => {
        const reply = await session.handleFrame(bytes);
        const welcome = reply.send.find((e) => e.welcome)?.welcome;
        if (welcome?.deviceId && !greeted && ws.readyState === ws.OPEN) {
          greeted = welcome.deviceId;
          awaitingHello.delete(ws);
          if (keyOf && pendingByDevice.get(keyOf) === ws) pendingByDevice.delete(keyOf);
          const older = liveByDevice.get(greeted);
          if (older && older !== ws) replace(older, greeted);
          liveByDevice.set(greeted, ws);
        }
        metrics.ingestSeconds.observe((performance.now() - started) / 1000);
        deliver(reply);
      }).finally(() => {
        if (--queued < maxQueued / 2 && ws.isPaused) ws.resume();
      });
    });
    ws.on('error', (err) => logger.warn('agent socket error', { err, deviceId: session.deviceId, remote }));
    ws.on('close', (code, reason) => {
      awaitingHello.delete(ws);
      if (keyOf && pendingByDevice.get(keyOf) === ws) pendingByDevice.delete(keyOf);
      if (greeted && liveByDevice.get(greeted) === ws) liveByDevice.delete(greeted);
      // A replaced connection leaves the device's connection mark to the one that replaced it.
      if (replacedSockets.has(ws)) session.wasReplaced();
      metrics.agentConnections.dec();
      sessions.delete(ws);
      session.disconnected().catch((err) => logger.warn('could not clear the connection mark', { err, deviceId: session.deviceId }));
      logger.debug('agent disconnected', { deviceId: session.deviceId, code, reason: reason.toString() });
    });
  };

  const pinger = setInterval(() => {
    for (const ws of wss.clients) {
      if (!alive.get(ws)) {
        ws.terminate();
        continue;
      }
      alive.set(ws, false);
      ws.ping();
    }
  }, pingIntervalMs);
  pinger.unref();

  server.on('upgrade', onUpgrade);
  return {
    get connections() {
      return wss.clients.size;
    },
    close: async () => {
      closing = true;
      clearInterval(pinger);
      clearInterval(helloSweep);
      server.off('upgrade', onUpgrade);
      const marks = [...sessions.values()].map((s) => s.takeMark()).filter((m) => m !== null);
      for (const ws of wss.clients) ws.close(CLOSE.goingAway, 'shutting_down');
      if (marks.length) {
        await storage.devices.markDisconnectedMany(marks).catch((err) => logger.warn('could not clear the connection marks at shutdown; they age out', { err, count: marks.length }));
      }
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      await disconnects.drain(); // connections that closed just before: their marks are written before the store closes
    },
  };
}
