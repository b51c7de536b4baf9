// What the agent's link does on each close code and on a refused upgrade,
// against a scripted WebSocket server on loopback: slow retry, normal
// backoff, or no reconnect at all (a clone).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { silentLogger } from '../../../common/log.ts';
import { CollectorConnection, type ConnectionHandlers } from '../../../agent/src/transport/connection.ts';
import { AGENT_WS_PATH, CLOSE, encodeCollectorEnvelope, UPGRADE_ERROR, UPGRADE_ERROR_HEADER, UPGRADE_ERROR_STATUS } from '../../../proto/index.ts';

// Normal backoff after a welcome: 20 ms; slow retry: the ceiling, 1 s.
const BACKOFF = { initialMs: 20, maxMs: 1_000 };

let server: Server;
let url: URL;
/** Connection times per device key, as the server saw them. */
const connects = new Map<string, number[]>();

beforeAll(async () => {
  server = createServer((_req, res) => res.writeHead(404).end());
  const wss = new WebSocketServer({ noServer: true });
  server.on('upgrade', (req, socket, head) => {
    // The agent may drop a refused or closing connection first (its stop() in each test): a reset on this raw
    // socket is expected, and without a listener it would be an uncaught ECONNRESET in whichever test runs next.
    socket.on('error', () => {});
    const key = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '';
    (connects.get(key) ?? connects.set(key, []).get(key)!).push(performance.now());
    const refused = /^tdk_refused_(\w+)$/.exec(key)?.[1];
    if (refused) {
      const status = refused === 'bare' ? 502 : UPGRADE_ERROR_STATUS[refused as keyof typeof UPGRADE_ERROR_STATUS];
      const header = refused === 'bare' ? '' : `${UPGRADE_ERROR_HEADER}: ${refused}\r\n`;
      const body = refused === 'bare' ? 'bad gateway' : JSON.stringify({ error: { code: refused, message: 'told you so' } });
      socket.end(`HTTP/1.1 ${status} No\r\n${header}Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
      return;
    }
    const closeWith = Number(/^tdk_close_(\d+)$/.exec(key)?.[1]);
    wss.handleUpgrade(req, socket, head, (ws) => ws.once('message', () => {
      ws.send(encodeCollectorEnvelope({ welcome: { deviceId: key } }));
      setTimeout(() => ws.close(closeWith, 'scripted'), 10);
    }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = new URL(`ws://127.0.0.1:${(server.address() as AddressInfo).port}${AGENT_WS_PATH}`);
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

function link(key: string, handlers: Partial<ConnectionHandlers> = {}): CollectorConnection {
  return new CollectorConnection({
    url, credentials: () => ({ kind: 'device', deviceKey: key }), hello: () => ({ agentVersion: 'test' }), logger: silentLogger,
    backoff: BACKOFF, random: () => 1,
    handlers: { onWelcome: () => {}, onAck: () => {}, onDisconnected: () => {}, onRefused: () => 'retry', ...handlers },
  });
}

/** The delay between the first two connections of `key`. */
async function reconnectDelay(key: string, handlers: Partial<ConnectionHandlers> = {}): Promise<number | null> {
  const conn = link(key, handlers);
  conn.start();
  const deadline = performance.now() + BACKOFF.maxMs + 500;
  while ((connects.get(key)?.length ?? 0) < 2 && performance.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  await conn.stop();
  const [first, second] = connects.get(key) ?? [];
  return second === undefined ? null : second - first;
}

describe('the agent link on a close code', () => {
  it.concurrent.each([
    ['badFrame', CLOSE.badFrame],
    ['forbidden', CLOSE.forbidden],
  ])('%s (%i): retries slowly, after the backoff ceiling', async (_name, code) => {
    const delay = await reconnectDelay(`tdk_close_${code}`);
    expect(delay).not.toBeNull();
    expect(delay!).toBeGreaterThanOrEqual(BACKOFF.maxMs);
  });

  it.concurrent.each([
    ['internal', CLOSE.internal],
    ['rateLimited', CLOSE.rateLimited],
    ['timeout', CLOSE.timeout],
    ['goingAway', CLOSE.goingAway],
  ])('%s (%i): reconnects on the normal backoff', async (_name, code) => {
    const delay = await reconnectDelay(`tdk_close_${code}`);
    expect(delay).not.toBeNull();
    expect(delay!).toBeLessThan(BACKOFF.maxMs / 2);
  });

  it.concurrent('clone (4409): tells its owner and never reconnects with that key', async () => {
    let told = 0;
    const delay = await reconnectDelay(`tdk_close_${CLOSE.clone}`, { onCloneDetected: () => told++ });
    expect(delay).toBeNull();
    expect(told).toBe(1);
  });
});

describe('the agent link on a refused upgrade', () => {
  it.concurrent('hands the X-Tally-Error code, the status and the message to its owner', async () => {
    const seen: unknown[] = [];
    const delay = await reconnectDelay(`tdk_refused_${UPGRADE_ERROR.companyInactive}`, { onRefused: (info) => (seen.push(info), 'retry-slowly') });
    expect(seen[0]).toEqual({ status: 403, code: 'company_inactive', message: 'told you so' });
    expect(delay!).toBeGreaterThanOrEqual(BACKOFF.maxMs);
  });

  it.concurrent('without the header (a proxy answered), the code is http_<status>', async () => {
    const seen: { code: string }[] = [];
    await reconnectDelay('tdk_refused_bare', { onRefused: (info) => (seen.push(info), 'retry') });
    expect(seen[0]).toMatchObject({ status: 502, code: 'http_502', message: 'bad gateway' });
  });
});
