// A fleet of raw-protocol agents for reconnect storms (test/e2e/reconnect-storm.test.ts
// and bench/storm.ts): each holds one connection with a device key, keeps its
// own usage sequence, and when the collector goes away reconnects on the
// agent's own backoff (agent/src/transport/backoff.ts: exponential, capped,
// equal jitter), says hello again and resends what it cannot be sure was
// stored. Every wait is bounded.
import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { backoffDelay, type BackoffPolicy } from '../../agent/src/transport/backoff.ts';
import { hashSecret, newSecret } from '../../collector/src/auth/secrets.ts';
import { openSqliteStorage } from '../../collector/src/storage/sqlite/index.ts';
import { utcDayOf } from '../../proto/index.ts';
import { RawConnection } from '../../proto/raw-client.ts';
import { seedCustomer } from './seed.ts';

export const SECONDS_PER_RECORD = 60;

/**
 * A collector database with one customer and `count` enrolled devices, written
 * in one transaction (enrolling thousands through the protocol would test
 * enrolment, not reconnects); returns their device keys.
 */
export async function seedDevices(path: string, count: number, nowMs = Date.now()): Promise<string[]> {
  const storage = openSqliteStorage({ path, nowMs });
  const company = await seedCustomer(storage, 'Storm Co', nowMs - 86_400_000);
  await storage.close();
  const db = new Database(path);
  const insert = db.prepare(`INSERT INTO devices (id, company_id, key_hash, instance_id, hostname, agent_version, enrolled_at, last_seen_at)
    VALUES (?, ?, ?, ?, ?, 'storm', ?, NULL)`);
  const keys: string[] = [];
  db.transaction(() => {
    for (let i = 0; i < count; i++) {
      const key = newSecret('device_key');
      keys.push(key);
      insert.run(randomUUID(), company.id, hashSecret(key), `inst-${i}`, `storm-${i}`, nowMs - 86_400_000);
    }
  })();
  db.close();
  return keys;
}

export class StormAgent {
  conn: RawConnection | null = null;
  deviceId = '';
  /** Welcomes received (1 after the first connect, 2 after one reconnect, ...). */
  welcomes = 0;
  /** Connection attempts that failed (refused, reset, collector down). */
  failedAttempts = 0;
  private nextSeq = 1;
  /** Seqs sent and not (yet) seen acknowledged: resent after a reconnect. */
  private readonly unacked = new Set<number>();
  /** Seqs acknowledged (the books: stored seconds must equal acked seqs x SECONDS_PER_RECORD). */
  readonly acked = new Set<number>();
  private readonly stream = `usage/${randomUUID()}`;

  constructor(private readonly url: string, private readonly key: string, private readonly index: number, private readonly localAddress: string) {}

  /** Connects and says hello, retrying on the agent's backoff until `deadline`. */
  async connect(deadline: number, backoff: BackoffPolicy): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        const c = await RawConnection.open(this.url, this.key, { timeoutMs: 20_000, localAddress: this.localAddress });
        c.send({ hello: { agentVersion: 'storm', instanceId: `inst-${this.index}`, facts: { hostname: `storm-${this.index}`, os: { platform: 'linux' } } } });
        const w = await c.next(20_000);
        if (!w.welcome) throw new Error(`no welcome: ${JSON.stringify(w.toJSON())}`);
        this.deviceId = w.welcome.deviceId!;
        this.welcomes++;
        this.conn = c;
        return;
      } catch (err) {
        this.failedAttempts++;
        const wait = backoffDelay(attempt, backoff);
        if (Date.now() + wait > deadline) throw new Error(`agent ${this.index} not connected by the deadline: ${(err as Error).message}`);
        await new Promise((r) => setTimeout(r, wait));
      }
    }
  }

  /**
   * Sends one new record plus every record not seen acknowledged, and also
   * `resendAcked` already acknowledged ones (an ack lost with the connection):
   * they must come back as duplicates, stored once.
   */
  async report(resendAcked = 0): Promise<void> {
    const c = this.conn!;
    const seqs = [...this.unacked, ...[...this.acked].slice(-resendAcked), this.nextSeq++];
    this.unacked.add(seqs[seqs.length - 1]);
    const day = utcDayOf(Date.now());
    c.send({ usage: { records: seqs.map((seq) => ({ header: { stream: this.stream, seq }, utcDay: day, awakeSeconds: SECONDS_PER_RECORD, bootId: 'storm' })) } });
    let want = seqs.length;
    while (want > 0) {
      const env = await c.next(30_000);
      if (env.error) throw new Error(`collector error ${env.error.code}: ${env.error.message}`);
      if (!env.ack) continue;
      for (const s of env.ack.seqs ?? []) {
        this.unacked.delete(Number(s));
        this.acked.add(Number(s));
      }
      want -= (env.ack.seqs?.length ?? 0) + (env.ack.rejected?.length ?? 0);
    }
  }
}

/** Runs `fn` over the items, `concurrency` at a time. */
export async function inParallel<T>(items: readonly T[], concurrency: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, async () => {
    while (next < items.length) await fn(items[next++]);
  }));
}
