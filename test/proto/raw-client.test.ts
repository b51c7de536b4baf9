// The one raw protocol client, against a scripted WebSocket server on
// loopback: what a refusal, a close, a slow or broken collector look like to
// the simulator, the benchmarks and the tests that use it.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocketServer, type WebSocket } from 'ws';
import { AGENT_WS_PATH, CLOSE, decodeAgentEnvelope, encodeCollectorEnvelope, UPGRADE_ERROR_HEADER } from '../../proto/index.ts';
import { ConnectionClosed, RawConnection, UpgradeRefused } from '../../proto/raw-client.ts';

/** What the scripted server does with the next connection, by the secret it was given. */
type Script = (ws: WebSocket, req: IncomingMessage) => void;

let server: Server;
let url: string;
const scripts = new Map<string, Script>();
const seenAuthorization: (string | undefined)[] = [];

beforeAll(async () => {
  server = createServer((_req, res) => res.writeHead(404).end());
  const wss = new WebSocketServer({ noServer: true });
  server.on('upgrade', (req, socket, head) => {
    socket.on('error', () => {}); // a client that resets a refused upgrade must not become an uncaught ECONNRESET
    seenAuthorization.push(req.headers.authorization);
    const secret = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '';
    if (secret === 'refuse-json' || secret === 'refuse-text') {
      const body = secret === 'refuse-json' ? JSON.stringify({ error: { code: 'invalid_token', message: 'unknown enrolment token' } }) : 'go away';
      socket.end(`HTTP/1.1 401 Unauthorized\r\n${secret === 'refuse-json' ? `${UPGRADE_ERROR_HEADER}: invalid_token\r\n` : ''}` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => (scripts.get(secret) ?? (() => {}))(ws, req));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}${AGENT_WS_PATH}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const welcome = (id: string) => encodeCollectorEnvelope({ welcome: { deviceId: id } });

describe('RawConnection', () => {
  it('sends the secret as a bearer token, and no Authorization header without one', async () => {
    seenAuthorization.length = 0;
    const a = await RawConnection.open(url, 'tdk_secret');
    const b = await RawConnection.open(url, null);
    expect(seenAuthorization).toEqual(['Bearer tdk_secret', undefined]);
    await Promise.all([a.close(), b.close()]);
  });

  it('turns a refused upgrade into UpgradeRefused with the status, the X-Tally-Error code and the body', async () => {
    const err = await RawConnection.open(url, 'refuse-json').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UpgradeRefused);
    expect(err).toMatchObject({ status: 401, code: 'invalid_token', message: 'upgrade refused: HTTP 401 invalid_token (unknown enrolment token)' });
    expect(JSON.parse((err as UpgradeRefused).body).error.code).toBe('invalid_token');
    // Not a collector's answer: no code, the text as it came.
    await expect(RawConnection.open(url, 'refuse-text')).rejects.toMatchObject({ status: 401, code: undefined, body: 'go away', message: 'upgrade refused: HTTP 401 (go away)' });
  });

  it('hands out frames that came before the close, then rejects at once with the close code; sending after the close throws', async () => {
    scripts.set('close-after-two', (ws) => ws.once('message', () => {
      ws.send(welcome('d1'));
      ws.send(encodeCollectorEnvelope({ error: { message: 'no' } }));
      ws.close(CLOSE.badFrame, 'bad_frame');
    }));
    const c = await RawConnection.open(url, 'close-after-two');
    c.send({ hello: { agentVersion: 't' } });
    expect(await c.closed).toEqual({ code: CLOSE.badFrame, reason: 'bad_frame' });
    expect((await c.next()).welcome?.deviceId).toBe('d1');
    expect((await c.next()).error?.message).toBe('no');
    const t0 = performance.now();
    await expect(c.next(5_000)).rejects.toEqual(new ConnectionClosed(CLOSE.badFrame, 'bad_frame'));
    expect(performance.now() - t0).toBeLessThan(100);
    expect(() => c.send({ hello: {} })).toThrow(ConnectionClosed);
    expect(c.open).toBe(false);
  });

  it('rejects a waiting reader when the connection closes, instead of letting it time out', async () => {
    scripts.set('close-later', (ws) => setTimeout(() => ws.close(CLOSE.internal, 'storage_unavailable'), 50));
    const c = await RawConnection.open(url, 'close-later');
    const t0 = performance.now();
    await expect(c.next(5_000)).rejects.toMatchObject({ name: 'ConnectionClosed', code: CLOSE.internal, reason: 'storage_unavailable' });
    expect(performance.now() - t0).toBeLessThan(2_000);
  });

  it('bounds every wait: a silent collector times out, and a later frame goes to the next reader', async () => {
    let peer: WebSocket | undefined;
    scripts.set('silent', (ws) => (peer = ws));
    const c = await RawConnection.open(url, 'silent');
    await expect(c.next(50)).rejects.toThrow('no frame from the collector within 50 ms');
    const first = c.next();
    const second = c.next();
    peer!.send(welcome('one'));
    peer!.send(welcome('two'));
    expect([(await first).welcome?.deviceId, (await second).welcome?.deviceId]).toEqual(['one', 'two']);
    await c.close();
  });

  it('sends raw bytes and text frames as they are, for malformed input on purpose', async () => {
    const got: { binary: boolean; bytes: Buffer }[] = [];
    scripts.set('echo', (ws) => ws.on('message', (data: Buffer, isBinary) => got.push({ binary: isBinary, bytes: data })));
    const c = await RawConnection.open(url, 'echo');
    c.sendRaw(Uint8Array.from([0x0a, 0xff]));
    c.sendRaw('{"usage": 1}');
    c.send({ hello: { agentVersion: 'x' } });
    await expect.poll(() => got.length, { timeout: 2_000 }).toBe(3);
    expect(got[0]).toEqual({ binary: true, bytes: Buffer.from([0x0a, 0xff]) });
    expect(got[1]).toEqual({ binary: false, bytes: Buffer.from('{"usage": 1}') });
    expect(decodeAgentEnvelope(got[2].bytes).hello?.agentVersion).toBe('x');
    await c.close();
  });

  it('treats an undecodable frame from the collector as the end of the conversation (code 0), without throwing in an event handler', async () => {
    scripts.set('garbage', (ws) => ws.send(Buffer.from([0xff, 0xff, 0xff])));
    const c = await RawConnection.open(url, 'garbage');
    await expect(c.next(2_000)).rejects.toMatchObject({ name: 'ConnectionClosed', code: 0 });
    c.cut();
    expect((await c.closed).code).toBe(1006);
  });

  it('cut() closes with a FIN, reset() with a TCP reset (nothing left in TIME_WAIT by a load generator)', async () => {
    /** How the server's side of a connection ended: a clean end of stream, or a reset. */
    const endOnServer = (secret: string) => new Promise<string>((resolve) => {
      scripts.set(secret, (ws, req) => {
        const { socket } = req;
        socket.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? 'error'));
        socket.once('end', () => resolve('end'));
        ws.send(welcome('d'));
      });
    });
    const cutEnd = endOnServer('cut-me');
    const cut = await RawConnection.open(url, 'cut-me');
    await cut.next(2_000);
    cut.cut();
    expect(await cutEnd).toBe('end');

    const resetEnd = endOnServer('reset-me');
    const reset = await RawConnection.open(url, 'reset-me');
    await reset.next(2_000);
    reset.reset();
    expect(await resetEnd).toBe('ECONNRESET');
    expect((await reset.closed).code).toBe(1006);
    reset.reset(); // twice: nothing happens
  });
});
