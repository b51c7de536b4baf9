// A loopback TCP proxy that can cut every connection in the middle of a
// frame: the next chunk from the client is forwarded only half, then both
// sides are destroyed, as a network that fails mid-write would.
import net from 'node:net';

export interface CuttingProxy {
  port: number;
  /** The next client chunk is forwarded only in part, then the connection dies. */
  cutNextChunk(): void;
  cuts: number;
  close(): Promise<void>;
}

export async function startCuttingProxy(targetPort: number): Promise<CuttingProxy> {
  let armed = false;
  const sockets = new Set<net.Socket>();
  const state = { cuts: 0 };
  const server = net.createServer((client) => {
    const upstream = net.connect(targetPort, '127.0.0.1');
    sockets.add(client);
    sockets.add(upstream);
    const kill = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('data', (chunk: Buffer) => {
      if (armed && chunk.length > 1) {
        armed = false;
        state.cuts++;
        upstream.write(chunk.subarray(0, Math.floor(chunk.length / 2)), () => setTimeout(kill, 20));
        return;
      }
      upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => client.write(chunk));
    client.on('error', kill);
    upstream.on('error', kill);
    client.on('close', () => {
      upstream.destroy();
      sockets.delete(client);
    });
    upstream.on('close', () => {
      client.destroy();
      sockets.delete(upstream);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    port: (server.address() as net.AddressInfo).port,
    cutNextChunk: () => {
      armed = true;
    },
    get cuts() {
      return state.cuts;
    },
    close: () => new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    }),
  };
}
