// The ingest baseline: the least a server must do for the same frames. ws,
// protobufjs decode, usage records gathered in memory and written once a
// second in one better-sqlite3 transaction (receipt + device-day upsert per
// record, WAL, synchronous=FULL as the collector), acks sent after the
// commit. Auth: the device key looked up in a Map. No validation, metrics,
// clone checks or attributes. Also serves as the bare ws server of the
// connections benchmark (--bare: accept, answer hello, hold).
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import { WebSocketServer, type WebSocket } from 'ws';
import { decodeAgentEnvelope, encodeCollectorEnvelope, MAX_FRAME_BYTES } from '../proto/index.ts';

const bare = process.argv.includes('--bare');
const dbPath = process.argv[2];
let keys = new Map<string, number>();

const WELCOME = Buffer.from(encodeCollectorEnvelope({ welcome: { deviceId: 'bench', serverTimeMs: 0, companyId: 'bench' } }));

interface Pending { ws: WebSocket; device: number; stream: string; seqs: number[]; records: { day: number; seconds: number; seq: number }[] }
let pending: Pending[] = [];

function setupDb() {
  const db = new Database(dbPath);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec(`CREATE TABLE IF NOT EXISTS device_days (device_id INTEGER NOT NULL, utc_day INTEGER NOT NULL, awake_seconds INTEGER NOT NULL, PRIMARY KEY (device_id, utc_day)) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS receipts (device_id INTEGER NOT NULL, stream TEXT NOT NULL, seq INTEGER NOT NULL, PRIMARY KEY (device_id, stream, seq)) WITHOUT ROWID;`);
  const receipt = db.prepare('INSERT OR IGNORE INTO receipts (device_id, stream, seq) VALUES (?, ?, ?)');
  const upsert = db.prepare(`INSERT INTO device_days (device_id, utc_day, awake_seconds) VALUES (?, ?, ?)
    ON CONFLICT (device_id, utc_day) DO UPDATE SET awake_seconds = MIN(86400, awake_seconds + excluded.awake_seconds)`);
  const flushTx = db.transaction((batch: Pending[]) => {
    for (const p of batch) {
      for (const r of p.records) {
        if (receipt.run(p.device, p.stream, r.seq).changes) upsert.run(p.device, r.day, r.seconds);
      }
    }
  });
  setInterval(() => {
    if (!pending.length) return;
    const batch = pending;
    pending = [];
    flushTx(batch);
    for (const p of batch) {
      if (p.ws.readyState === p.ws.OPEN) p.ws.send(encodeCollectorEnvelope({ ack: { stream: p.stream, seqs: p.seqs } }));
    }
  }, 1000);
}

const server = createServer((_req, res) => res.writeHead(404).end());
const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false, maxPayload: MAX_FRAME_BYTES });
server.on('upgrade', (req, socket, head) => {
  const m = /^Bearer\s+(\S+)$/.exec(req.headers.authorization ?? '');
  const device = m ? (bare ? 0 : keys.get(createHash('sha256').update(m[1]).digest('hex'))) : undefined;
  if (device === undefined) {
    socket.end('HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
    return;
  }
  wss.handleUpgrade(req, socket, head, (ws) => {
    ws.on('message', (data: Buffer) => {
      if (bare) {
        ws.send(WELCOME);
        return;
      }
      const env = decodeAgentEnvelope(data);
      if (env.hello) ws.send(WELCOME);
      else if (env.usage) {
        const recs = env.usage.records ?? [];
        const stream = recs[0]?.header?.stream ?? '';
        pending.push({ ws, device, stream, seqs: recs.map((r) => Number(r.header!.seq)), records: recs.map((r) => ({ day: r.utcDay ?? 0, seconds: r.awakeSeconds ?? 0, seq: Number(r.header!.seq) })) });
      }
    });
    ws.on('error', () => undefined);
  });
});

process.on('message', (m: { type: string; keyHashes?: string[] }) => {
  if (m.type === 'keys') {
    keys = new Map(m.keyHashes!.map((h, i) => [h, i]));
    if (!bare) setupDb();
    server.listen(0, '127.0.0.1', () => process.send!({ type: 'listening', port: (server.address() as { port: number }).port }));
  }
});
process.on('disconnect', () => process.exit(0));
process.on('SIGTERM', () => process.exit(0));
