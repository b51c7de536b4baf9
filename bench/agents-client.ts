// A benchmark load process: holds many simulated agents (one WebSocket each,
// device keys given by the parent), and either sends usage stop-and-wait as
// fast as acks come back (ingest) or stays idle after hello (connections).
// Driven by the parent over IPC: start -> ready -> go -> done.
// It speaks through the one raw client (proto/raw-client.ts) with no hot-path
// specialisation of its own: measured against the simulator's former client
// (500 connections, stop-and-wait frames of 4 records, a server that acks at
// once, 5 alternating 5 s runs each on the 2-core VM) it costs the same client
// CPU per ack, median 24.7 us against 24.9 us, so a copy would buy nothing.
import { createHash, randomUUID } from 'node:crypto';
import { RawConnection } from '../proto/raw-client.ts';

interface Start {
  type: 'start';
  url: string;
  keys: string[];
  mode: 'ingest' | 'idle';
  batch: number;
  firstDay: number;
  days: number;
  connectConcurrency: number;
}
interface Go { type: 'go'; measureFromMs: number; measureUntilMs: number }

const send = (m: unknown) => process.send!(m);

/** A UUID that is the same for the same key and purpose: a real agent presents the same machine and install at every connect. */
function stableUuid(key: string, purpose: string): string {
  const h = createHash('sha256').update(`${purpose}\u0000${key}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
let conns: RawConnection[] = [];
let start: Start;

async function connectAll(s: Start): Promise<void> {
  const t0 = Date.now();
  let next = 0;
  let failed = 0;
  let firstError = '';
  const out: (RawConnection | null)[] = new Array(s.keys.length).fill(null);
  const worker = async () => {
    while (next < s.keys.length) {
      const i = next++;
      try {
        // Spread over 8 loopback source addresses, as agents come from many: the collector caps connections per address.
        const c = await RawConnection.open(s.url, s.keys[i], { timeoutMs: 60_000, localAddress: `127.0.0.${1 + (i % 8)}` });
        // The same install and hardware at every connect of a key, as a real agent: a reconnect changes nothing stored but the hello itself.
        c.send({ hello: { agentVersion: 'bench', instanceId: stableUuid(s.keys[i], 'instance'), facts: { hostname: `bench-${i}`, identity: { hardwareUuid: stableUuid(s.keys[i], 'hardware'), macs: [] }, os: { platform: 'linux' } } } });
        const w = await c.next(60_000);
        if (!w.welcome) throw new Error(`no welcome: ${JSON.stringify(w.toJSON())}`);
        out[i] = c;
      } catch (err) {
        failed++;
        firstError ||= (err as Error).message;
      }
    }
  };
  await Promise.all(Array.from({ length: s.connectConcurrency }, worker));
  conns = out.filter((c): c is RawConnection => c !== null);
  send({ type: 'ready', connected: conns.length, failed, firstError, connectMs: Date.now() - t0 });
}

async function ingest(go: Go): Promise<void> {
  let ackedInWindow = 0, ackedTotal = 0, ackedSeconds = 0, errors = 0;
  let firstError = '';
  const latencies: number[] = [];
  const SECONDS = 30;
  const agent = async (c: RawConnection, i: number) => {
    const stream = `usage/${randomUUID()}`;
    let seq = 1;
    let day = i % start.days;
    // Start spread over the first 50 ms, not all in one tick.
    await new Promise((r) => setTimeout(r, (i % 50)));
    while (Date.now() < go.measureUntilMs) {
      const records = [];
      for (let k = 0; k < start.batch; k++) {
        records.push({ header: { stream, seq: seq + k }, utcDay: start.firstDay + day, awakeSeconds: SECONDS, bootId: 'bench-boot' });
        day = (day + 1) % start.days;
      }
      const t0 = performance.now();
      c.send({ usage: { records, floors: [{ stream, oldestUnackedSeq: seq }] } });
      let want = start.batch;
      while (want > 0) {
        const env = await c.next(60_000);
        if (env.error) throw new Error(`collector error ${env.error.code}: ${env.error.message}`);
        if (env.ack) want -= (env.ack.seqs?.length ?? 0) + (env.ack.rejected?.length ?? 0);
      }
      const now = Date.now();
      seq += start.batch;
      ackedTotal += start.batch;
      ackedSeconds += start.batch * SECONDS;
      if (now >= go.measureFromMs && now <= go.measureUntilMs) {
        ackedInWindow += start.batch;
        latencies.push(performance.now() - t0);
      }
    }
  };
  await Promise.all(conns.map((c, i) => agent(c, i).catch((err) => {
    errors++;
    firstError ||= (err as Error).message;
  })));
  send({ type: 'done', ackedInWindow, ackedTotal, ackedSeconds, latencies, errors, firstError });
}

process.on('message', (m: { type: string }) => {
  if (m.type === 'start') {
    start = m as Start;
    void connectAll(start).catch((err) => send({ type: 'error', message: (err as Error).message }));
  } else if (m.type === 'go') {
    if (start.mode === 'ingest') void ingest(m as Go).catch((err) => send({ type: 'error', message: (err as Error).message }));
  } else if (m.type === 'stop') {
    const open = conns.filter((c) => c.open).length;
    // A reset, not a close: no TIME_WAIT left behind on the source ports the next run binds.
    for (const c of conns) c.reset();
    send({ type: 'done', stillOpen: open });
    setTimeout(() => process.exit(0), 200);
  }
});
process.on('disconnect', () => process.exit(0));
// Loaded (tsx compiles this process's modules first: about a second of CPU): a parent may wait for every client to be
// loaded before starting any, so that no client's start-up runs beside the others' measured connects.
send({ type: 'loaded' });
