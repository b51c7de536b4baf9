// In-process agents that speak the raw protocol exactly as the real agent
// does on delivery: every record gets its own (stream, seq), stays in the
// outbox until acknowledged, and is resent (with the oldest unacknowledged
// sequence as the floor) after any error, close or reconnect. Each agent keeps
// the books the reliability tests check against: what it metered (sent), what
// the collector acknowledged, and every error it was given.
import { ErrorCode, utcDayOf, type CollectorEnvelope } from '../../../proto/index.ts';
import { ConnectionClosed } from '../../../proto/raw-client.ts';
import { connectOk, connectRaw, type RawAgent } from '../../helpers/raw-agent.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class SimAgent {
  readonly stream: string;
  private nextSeq = 1;
  /** seq -> seconds, not yet acknowledged. */
  readonly outbox = new Map<number, number>();
  private readonly acked = new Set<number>();
  sentSeconds = 0;
  ackedSeconds = 0;
  /** Error codes and close codes the collector answered with, counted. */
  readonly answers: Record<string, number> = {};
  /** Acks naming sequences this agent never sent, or rejections: must stay empty. */
  readonly anomalies: string[] = [];
  private conn: RawAgent | null = null;
  private readonly day = utcDayOf(Date.now());
  private n = 0;

  private constructor(readonly name: string, readonly deviceId: string, private readonly key: string, private url: string) {
    this.stream = `usage/${deviceId}`;
  }

  static async enrol(url: string, token: string, name: string): Promise<SimAgent> {
    const a = await connectOk(url, token);
    a.send({ hello: { agentVersion: 'sim', instanceId: name, facts: { hostname: name } } });
    const w = (await a.next(10_000)).welcome!;
    a.close();
    return new SimAgent(name, w.deviceId!, w.deviceKey!, url);
  }

  setUrl(url: string): void {
    this.url = url;
  }

  private count(what: string): void {
    this.answers[what] = (this.answers[what] ?? 0) + 1;
  }

  drop(): void {
    this.conn?.cut();
    this.conn = null;
  }

  /** Meters one more record (1..40 s) into the outbox. */
  meter(): void {
    const seconds = 1 + ((this.n++ * 7919 + this.name.length * 31) % 40);
    this.outbox.set(this.nextSeq++, seconds);
    this.sentSeconds += seconds;
  }

  private async connect(): Promise<boolean> {
    try {
      const r = await connectRaw(this.url, this.key);
      if (!r.ok) {
        this.count(`http_${r.status}_${r.code}`);
        return false;
      }
      r.agent.send({ hello: { agentVersion: 'sim', instanceId: this.name, facts: { hostname: this.name } } });
      const reply = await this.reply(r.agent, 5_000);
      if (reply.env?.welcome) {
        this.conn = r.agent;
        return true;
      }
      this.noteFailure(reply);
      r.agent.cut();
      return false;
    } catch {
      this.count('connect_failed');
      return false;
    }
  }

  /** The next frame, or the close, or nothing within the timeout. */
  private async reply(a: RawAgent, timeoutMs: number): Promise<{ env?: CollectorEnvelope; close?: number }> {
    return a.next(timeoutMs).then((env) => ({ env }), (err) => (err instanceof ConnectionClosed && err.code ? { close: err.code } : {}));
  }

  private noteFailure(r: { env?: CollectorEnvelope; close?: number }): void {
    if (r.env?.error) this.count(ErrorCode[r.env.error.code ?? 0] ?? String(r.env.error.code));
    else if (r.close !== undefined) this.count(`close_${r.close}`);
    else this.count('no_answer');
  }

  /**
   * One delivery attempt: connect if needed, send every unacknowledged record
   * (up to 200), wait for the ack. On anything else the connection is dropped
   * and the records stay in the outbox for the next attempt.
   */
  async deliver(): Promise<void> {
    if (!this.outbox.size) return;
    if (!this.conn && !(await this.connect())) return;
    const conn = this.conn!;
    const seqs = [...this.outbox.keys()].sort((a, b) => a - b).slice(0, 200);
    try {
      conn.send({
        usage: {
          records: seqs.map((seq) => ({ header: { stream: this.stream, seq }, utcDay: this.day, awakeSeconds: this.outbox.get(seq)!, bootId: 'boot', recordedAtMs: Date.now() })),
          floors: [{ stream: this.stream, oldestUnackedSeq: seqs[0] }],
        },
      });
    } catch (err) {
      // Closed since the last delivery (the collector was killed, or closed it): counted as its close.
      if (!(err instanceof ConnectionClosed)) throw err;
      this.noteFailure({ close: err.code });
      this.drop();
      return;
    }
    const r = await this.reply(conn, 8_000);
    const ack = r.env?.ack;
    if (!ack) {
      this.noteFailure(r);
      // Whatever the collector says after an error (its close) is counted too.
      if (r.env?.error) this.noteFailure(await this.reply(conn, 1_000));
      this.drop();
      return;
    }
    if (ack.stream !== this.stream) this.anomalies.push(`ack for another stream ${ack.stream}`);
    for (const rej of ack.rejected ?? []) this.anomalies.push(`seq ${rej.seq} rejected: ${rej.message}`);
    for (const q of (ack.seqs ?? []).map(Number)) {
      const seconds = this.outbox.get(q);
      if (seconds !== undefined) {
        this.outbox.delete(q);
        this.acked.add(q);
        this.ackedSeconds += seconds;
      } else if (!this.acked.has(q)) {
        this.anomalies.push(`ack for seq ${q}, never sent`);
      }
    }
  }

  /** Meters and delivers every `intervalMs` until `stop()` returns true. */
  async run(stop: () => boolean, intervalMs: number): Promise<void> {
    while (!stop()) {
      this.meter();
      await this.deliver();
      await sleep(intervalMs * (0.5 + Math.random()));
    }
  }

  /** Delivers until nothing is left, or the deadline passes. */
  async drain(deadlineMs: number, intervalMs = 200): Promise<void> {
    while (this.outbox.size && Date.now() < deadlineMs) {
      await this.deliver();
      if (this.outbox.size) await sleep(intervalMs);
    }
    this.drop();
  }
}

/** Stored awake seconds per device, read straight from the collector's SQLite file. */
export async function storedSeconds(dbPath: string): Promise<Map<string, number>> {
  const { default: Database } = await import('better-sqlite3');
  const db = new Database(dbPath, { readonly: true, fileMustExist: true });
  try {
    const rows = db.prepare('SELECT device_id AS d, sum(awake_seconds) AS s FROM device_days GROUP BY device_id').all() as { d: string; s: number }[];
    return new Map(rows.map((r) => [r.d, r.s]));
  } finally {
    db.close();
  }
}

/** Every acknowledged second is stored (no ack without storage), and nothing beyond what was sent is. */
export function checkBooks(agents: SimAgent[], stored: Map<string, number>, mustEqual: boolean): string[] {
  const problems: string[] = [];
  for (const a of agents) {
    const s = stored.get(a.deviceId) ?? 0;
    if (s < a.ackedSeconds) problems.push(`${a.name}: acknowledged ${a.ackedSeconds} s but only ${s} s stored (acknowledged without storage)`);
    if (s > a.sentSeconds) problems.push(`${a.name}: ${s} s stored but only ${a.sentSeconds} s sent (counted twice)`);
    if (mustEqual && (s !== a.sentSeconds || a.ackedSeconds !== a.sentSeconds || a.outbox.size)) {
      problems.push(`${a.name}: sent ${a.sentSeconds} s, acknowledged ${a.ackedSeconds} s, stored ${s} s, ${a.outbox.size} records still unacknowledged`);
    }
    problems.push(...a.anomalies.map((x) => `${a.name}: ${x}`));
  }
  return problems;
}

export function sumAnswers(agents: SimAgent[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const a of agents) for (const [k, v] of Object.entries(a.answers)) out[k] = (out[k] ?? 0) + v;
  return out;
}
