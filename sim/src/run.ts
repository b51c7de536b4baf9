// Runs a plan against a collector: each simulated agent enrols (or uses its
// device key), says hello, and sends its frames stop-and-wait, as the real
// agent does (next frame when the previous one is acknowledged). Records
// what was sent and acknowledged, per device and day.
import { ErrorCode, utcDayOf, utcDayToIso, type CollectorEnvelope } from '../../proto/index.ts';
import { RawConnection, UpgradeRefused } from '../../proto/raw-client.ts';
import { SECONDS_PER_DAY, type Plan, type PlannedAgent, type PlannedRecord } from './plan.ts';
import { Rng } from './rng.ts';

export const SIM_AGENT_VERSION = 'tally-sim/0.1.0';

export interface RunOptions {
  /** Full agent endpoint URL, e.g. ws://127.0.0.1:8080/agent/v1/ws. */
  url: string;
  /** Enrolment token; or device keys by agent index (keys[i] for agent i). */
  token?: string;
  keys?: string[];
  mode: 'virtual' | 'realtime';
  concurrency: number;
  /** Realtime: seconds between reports; and how long to run. */
  reportEverySeconds: number;
  durationSeconds: number;
  /** Bound on any one wait for the collector (connect, welcome, ack). */
  frameTimeoutMs: number;
  /** Bound on the whole run. */
  deadlineMs: number;
  /** Called about once a second with progress. */
  onProgress?: (p: Progress) => void;
  /** Called when an agent enrolled and got its device key. */
  onEnrolled?: (index: number, deviceKey: string) => void;
  now?: () => number;
}

export interface Progress {
  agentsDone: number;
  agentsFailed: number;
  connected: number;
  recordsAcked: number;
  elapsedMs: number;
}

export interface AgentOutcome {
  index: number;
  hostname: string;
  deviceId: string | null;
  deviceKey: string | null;
  enrolled: boolean;
  clone: PlannedAgent['clone'];
  offline: PlannedAgent['offline'];
  framesSent: number;
  recordsAcked: number;
  recordsRejected: number;
  recordsResent: number;
  reconnects: number;
  /** The collector refused this agent's (copied) device key as a clone's; the agent enrolled as a new device. */
  cloneRefused: boolean;
  /** Connections of this agent another connection of its device key took over before its hello was answered (then it reconnected). */
  replacedBeforeWelcome: number;
  /** Awake seconds acknowledged, per UTC day (realtime mode fills it as it goes). */
  ackedByDay: Record<number, number>;
  error: string | null;
}

export interface SimResults {
  version: 1;
  seed: number;
  mode: 'virtual' | 'realtime';
  month: string;
  collector: string;
  startedAtMs: number;
  elapsedMs: number;
  totals: {
    agents: number; failed: number; enrolled: number; devices: number; frames: number; recordsAcked: number; recordsRejected: number;
    recordsResent: number; reconnects: number; ackedSeconds: number; recordsPerSecond: number;
  };
  ackLatencyMs: { count: number; p50: number; p90: number; p99: number; max: number };
  /** Per collector device: what it should hold (acknowledged seconds, merged over agents sharing a key, capped at a day's length). */
  devices: { deviceId: string; agents: number[]; awakeSeconds: number; byDay: Record<string, number> }[];
  agents: Omit<AgentOutcome, 'deviceKey' | 'ackedByDay'>[];
}

/** The collector said: this device key belongs to another, active machine (close 4409). */
export class CloneDetected extends Error {
  constructor(message: string) {
    super(`clone detected: ${message}`);
    this.name = 'CloneDetected';
  }
}

class Deferred<T> {
  promise: Promise<T>;
  resolve!: (v: T) => void;
  reject!: (e: unknown) => void;
  constructor() {
    this.promise = new Promise((res, rej) => {
      this.resolve = res;
      this.reject = rej;
    });
    this.promise.catch(() => undefined);
  }
}

export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

function describe(err: unknown): string {
  if (err instanceof UpgradeRefused) return `${err.message}`;
  return (err as Error)?.message ?? String(err);
}

/** How often one agent may be taken over before its welcome and reconnect (a real agent keeps trying, slowly). */
const MAX_REPLACED_BEFORE_WELCOME = 10;

export async function runPlan(plan: Plan, opts: RunOptions): Promise<SimResults> {
  const now = opts.now ?? Date.now;
  const started = now();
  const deadline = started + opts.deadlineMs;
  const keyOf = plan.agents.map(() => new Deferred<{ key: string; deviceId: string }>());
  const latencies: number[] = [];
  const outcomes: AgentOutcome[] = plan.agents.map((a) => ({
    index: a.index, hostname: a.profile.hostname, deviceId: null, deviceKey: null, enrolled: false, clone: a.clone, offline: a.offline,
    framesSent: 0, recordsAcked: 0, recordsRejected: 0, recordsResent: 0, reconnects: 0, cloneRefused: false, replacedBeforeWelcome: 0,
    ackedByDay: {}, error: null,
  }));
  let done = 0, failed = 0, connected = 0, acked = 0;
  const timeLeft = () => Math.max(1, Math.min(opts.frameTimeoutMs, deadline - now()));

  const connect = async (secret: string, agent: PlannedAgent, out: AgentOutcome): Promise<{ conn: RawConnection; welcome: CollectorEnvelope }> => {
    if (now() > deadline) throw new Error('run deadline reached');
    const conn = await RawConnection.open(opts.url, secret, { timeoutMs: timeLeft() });
    connected++;
    conn.ws.once('close', () => connected--);
    conn.send({ hello: { agentVersion: SIM_AGENT_VERSION, instanceId: agent.instanceId, facts: agent.facts } });
    const welcome = await conn.next(timeLeft());
    if (welcome.error?.code === ErrorCode.CONNECTION_REPLACED && out.replacedBeforeWelcome < MAX_REPLACED_BEFORE_WELCOME) {
      // Another connection of this device key took over before the hello was answered: a machine sharing the
      // key (a clone) connecting at the same moment. The agent reconnects after a pause (4410), and so does the
      // simulator; the clone's own hello is then judged and refused, or this one's, whichever came second.
      out.replacedBeforeWelcome++;
      await conn.close();
      await new Promise((r) => setTimeout(r, 50 + Math.floor(Math.random() * 200)));
      return connect(secret, agent, out);
    }
    if (welcome.error?.code === ErrorCode.CLONE_DETECTED) {
      await conn.close();
      throw new CloneDetected(welcome.error.message ?? '');
    }
    if (!welcome.welcome) throw new Error(`expected welcome, got ${JSON.stringify(welcome.toJSON())}`);
    if (welcome.welcome.deviceKey) {
      out.deviceKey = welcome.welcome.deviceKey;
      out.enrolled = true;
      opts.onEnrolled?.(agent.index, out.deviceKey);
    }
    out.deviceId = welcome.welcome.deviceId ?? null;
    return { conn, welcome };
  };

  /** Sends one usage frame and waits for its ack; returns false if the frame must be resent (connection lost). */
  const sendFrame = async (conn: RawConnection, agent: PlannedAgent, records: PlannedRecord[], out: AgentOutcome): Promise<void> => {
    const t0 = performance.now();
    conn.send({
      usage: {
        records: records.map((r) => ({ header: { stream: agent.stream, seq: r.seq }, utcDay: r.utcDay, awakeSeconds: r.awakeSeconds, bootId: r.bootId, recordedAtMs: now() })),
        floors: [{ stream: agent.stream, oldestUnackedSeq: records[0].seq }],
      },
    });
    out.framesSent++;
    const want = new Set(records.map((r) => r.seq));
    while (want.size) {
      const env = await conn.next(timeLeft());
      if (env.error) throw new Error(`collector error ${ErrorCode[env.error.code ?? 0]}: ${env.error.message}`);
      if (!env.ack || env.ack.stream !== agent.stream) continue;
      for (const s of env.ack.seqs ?? []) {
        if (!want.delete(Number(s))) continue;
        const r = records.find((x) => x.seq === Number(s))!;
        out.ackedByDay[r.utcDay] = (out.ackedByDay[r.utcDay] ?? 0) + r.awakeSeconds;
        out.recordsAcked++;
        acked++;
      }
      for (const rej of env.ack.rejected ?? []) {
        if (want.delete(Number(rej.seq))) out.recordsRejected++;
      }
    }
    latencies.push(performance.now() - t0);
  };

  const secretFor = async (agent: PlannedAgent): Promise<string> => {
    if (agent.clone?.kind === 'shared_key') return (await keyOf[agent.clone.of].promise).key;
    const key = opts.keys?.[agent.index];
    if (key) return key;
    if (!opts.token) throw new Error(`no enrolment token and no device key for agent ${agent.index}`);
    return opts.token;
  };

  /** First connection: enrols or authenticates; a clone refused on a copied key enrols as itself, as the agent does. */
  const firstConnect = async (agent: PlannedAgent, out: AgentOutcome): Promise<{ conn: RawConnection; secret: string }> => {
    let secret = await secretFor(agent);
    let conn: RawConnection;
    try {
      ({ conn } = await connect(secret, agent, out));
    } catch (err) {
      if (!(err instanceof CloneDetected) || !opts.token) throw err;
      out.cloneRefused = true;
      ({ conn } = await connect(opts.token, agent, out));
    }
    if (out.deviceKey) secret = out.deviceKey;
    if (out.deviceId) keyOf[agent.index].resolve({ key: secret, deviceId: out.deviceId });
    return { conn, secret };
  };

  const runVirtual = async (agent: PlannedAgent, out: AgentOutcome) => {
    let { conn, secret } = await firstConnect(agent, out);
    try {
      for (const frame of agent.frames) {
        if (frame.reconnectBefore) {
          await conn.close();
          ({ conn } = await connect(secret, agent, out));
          out.reconnects++;
        }
        if (frame.dropAfterSend) {
          // The network cuts the connection right after the frame left: the
          // agent never sees the ack, reconnects, and sends the same records again.
          conn.send({
            usage: {
              records: frame.records.map((r) => ({ header: { stream: agent.stream, seq: r.seq }, utcDay: r.utcDay, awakeSeconds: r.awakeSeconds, bootId: r.bootId })),
              floors: [{ stream: agent.stream, oldestUnackedSeq: frame.records[0].seq }],
            },
          });
          out.framesSent++;
          // Give the frame a moment to reach the collector, so the resend is a real duplicate most of the time.
          await new Promise((r) => setTimeout(r, 20));
          conn.cut();
          ({ conn } = await connect(secret, agent, out));
          out.reconnects++;
          out.recordsResent += frame.records.length;
        }
        await sendFrame(conn, agent, frame.records, out);
      }
    } finally {
      await conn.close();
    }
  };

  const runRealtime = async (agent: PlannedAgent, out: AgentOutcome) => {
    let { conn, secret } = await firstConnect(agent, out);
    const rng = new Rng(`${plan.options.seed}/realtime/${agent.index}`);
    const stopAt = Math.min(deadline, started + opts.durationSeconds * 1000);
    const every = opts.reportEverySeconds * 1000;
    // Spread the agents over the first interval, as real agents started at different times are.
    await new Promise((r) => setTimeout(r, Math.floor(rng.next() * every)));
    let seq = 1;
    const bootId = `rt-boot-${agent.index}`;
    try {
      while (now() + every <= stopAt) {
        await new Promise((r) => setTimeout(r, every));
        const awakeProbability = agent.profile.pattern === 'always_on' ? 1 : agent.profile.pattern === 'rare' ? 0.2 : 0.8;
        if (!rng.chance(awakeProbability)) continue;
        if (!conn.open) {
          ({ conn } = await connect(secret, agent, out));
          out.reconnects++;
        }
        await sendFrame(conn, agent, [{ seq: seq++, utcDay: utcDayOf(now()), awakeSeconds: opts.reportEverySeconds, bootId }], out);
      }
    } finally {
      await conn.close();
    }
  };

  let nextIndex = 0;
  const progressTimer = opts.onProgress ? setInterval(() => opts.onProgress!({ agentsDone: done, agentsFailed: failed, connected, recordsAcked: acked, elapsedMs: now() - started }), 1000) : null;
  progressTimer?.unref();
  const worker = async () => {
    while (nextIndex < plan.agents.length) {
      const agent = plan.agents[nextIndex++];
      const out = outcomes[agent.index];
      try {
        if (now() > deadline) throw new Error('run deadline reached before this agent started');
        await (opts.mode === 'virtual' ? runVirtual(agent, out) : runRealtime(agent, out));
      } catch (err) {
        out.error = describe(err);
        failed++;
        keyOf[agent.index].reject(new Error(`template agent ${agent.index} failed: ${out.error}`));
      }
      done++;
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(opts.concurrency, plan.agents.length)) }, worker));
  if (progressTimer) clearInterval(progressTimer);
  const elapsedMs = now() - started;
  return summarize(plan, opts, outcomes, latencies, started, elapsedMs);
}

function summarize(plan: Plan, opts: RunOptions, outcomes: AgentOutcome[], latencies: number[], startedAtMs: number, elapsedMs: number): SimResults {
  const byDevice = new Map<string, { agents: number[]; byDay: Map<number, number> }>();
  for (const o of outcomes) {
    if (!o.deviceId) continue;
    let d = byDevice.get(o.deviceId);
    if (!d) byDevice.set(o.deviceId, (d = { agents: [], byDay: new Map() }));
    d.agents.push(o.index);
    for (const [day, s] of Object.entries(o.ackedByDay)) d.byDay.set(Number(day), (d.byDay.get(Number(day)) ?? 0) + s);
  }
  const devices = [...byDevice].map(([deviceId, d]) => {
    const days = [...d.byDay].sort((a, b) => a[0] - b[0]).map(([day, s]) => [day, Math.min(SECONDS_PER_DAY, s)] as const);
    return {
      deviceId, agents: d.agents,
      awakeSeconds: days.reduce((n, [, s]) => n + s, 0),
      byDay: Object.fromEntries(days.map(([day, s]) => [utcDayToIso(day), s])),
    };
  }).sort((a, b) => (a.deviceId < b.deviceId ? -1 : 1));
  const sorted = [...latencies].sort((a, b) => a - b);
  const sum = (f: (o: AgentOutcome) => number) => outcomes.reduce((n, o) => n + f(o), 0);
  const recordsAcked = sum((o) => o.recordsAcked);
  const r1 = (x: number) => Math.round(x * 10) / 10;
  return {
    version: 1,
    seed: plan.options.seed,
    mode: opts.mode,
    month: plan.options.month,
    collector: opts.url,
    startedAtMs,
    elapsedMs,
    totals: {
      agents: outcomes.length, failed: outcomes.filter((o) => o.error).length, enrolled: outcomes.filter((o) => o.enrolled).length,
      devices: devices.length, frames: sum((o) => o.framesSent), recordsAcked, recordsRejected: sum((o) => o.recordsRejected),
      recordsResent: sum((o) => o.recordsResent), reconnects: sum((o) => o.reconnects), ackedSeconds: devices.reduce((n, d) => n + d.awakeSeconds, 0),
      recordsPerSecond: Math.round(recordsAcked / Math.max(0.001, elapsedMs / 1000)),
    },
    ackLatencyMs: { count: sorted.length, p50: r1(percentile(sorted, 50)), p90: r1(percentile(sorted, 90)), p99: r1(percentile(sorted, 99)), max: r1(sorted.at(-1) ?? 0) },
    devices,
    agents: outcomes.map(({ deviceKey: _k, ackedByDay: _d, ...rest }) => rest),
  };
}
