// The fuzz oracle: what the collector must answer to a frame and what it
// must store, computed from the frame alone with the collector's own decoder
// and validators (validateUsageRecord, validateFloors, boundFacts), and a
// model of one device's stored state (receipts, floors, device-days, events)
// and of the record bounds its session holds (first run, enrolment).
// The reply and the database are then compared with it, frame by frame.
import type Database from 'better-sqlite3';
import { CLOSE, ErrorCode, decodeAgentEnvelope, type AgentEnvelope, type CollectorEnvelope } from '../../../proto/index.ts';
import { LIMITS, boundFacts, hostnameOf, validateFloors, validateUsageRecord } from '../../../collector/src/ingest/validate.ts';
import type { Reply } from '../../../collector/src/ingest/session.ts';
import { CLOCK_SKEW_MS, EARLIEST_FIRST_RUN_MS, MAX_DAYS_BEFORE_ENROLMENT } from '../../../collector/src/devices/record-bounds.ts';
import { sqliteDedupeMarks } from '../../collector/storage/dedupe-marks.ts';

type Sent = Reply['send'][number];

export interface Expectation {
  /** What kind of answer: a refusal that closes, an error that does not, acks, or a welcome. */
  outcome: 'bad_frame' | 'unknown_message' | 'protocol_violation' | 'too_large' | 'welcome' | 'enrolled' | 'acks' | 'invalid_header';
  closeCode?: number;
  errorCode?: ErrorCode;
  /** For acks: accepted (stream, seq) in order, and how many records are refused (rejected in the ack or counted as unaddressable). */
  accepted?: string[];
  refused?: number;
  /** True when the frame may change what is stored. */
  mayStore: boolean;
  hostname?: string;
  /** For a hello: the first run it reports, when it is a believable instant (else null). */
  firstRunAtMs?: number | null;
}

/** seq first: a number never holds the separator, a fuzzed stream might. */
const key = (stream: string, seq: number) => `${seq}:${stream}`;
const unkey = (k: string): [string, number] => {
  const i = k.indexOf(':');
  return [k.slice(i + 1), Number(k.slice(0, i))];
};

const DAY_MS = 86_400_000;

/** What one device has stored, as the collector must have it. */
export class DeviceModel {
  /** The lane's devices enrol at the suite's fixed instant. */
  constructor(readonly enrolledAtMs: number) {}
  receipts = new Set<string>();
  /** The first run on record: the first believable one a hello reported (later hellos never move it). */
  firstRunAtMs: number | null = null;
  /** Usage before this UTC day is refused OUT_OF_RANGE by the lane's session (its bounds date from its last hello). */
  earliestDay = -Infinity;
  floors = new Map<string, number>();
  days = new Map<number, number>();
  events = new Set<string>();
  hostname: string | null = null;
  storedRecords = 0;

  /** A hello was welcomed; `onLaneSession`: on the session the lane sends its usage on, whose bounds it renews. */
  noteHello(firstRunAtMs: number | null, onLaneSession: boolean): void {
    this.firstRunAtMs ??= firstRunAtMs;
    if (!onLaneSession) return;
    const byEnrolment = Math.floor(this.enrolledAtMs / DAY_MS) - MAX_DAYS_BEFORE_ENROLMENT;
    this.earliestDay = Math.max(byEnrolment, this.firstRunAtMs === null ? -Infinity : Math.floor(this.firstRunAtMs / DAY_MS));
  }

  private floorOf(stream: string): number {
    return this.floors.get(stream) ?? 0;
  }

  applyUsage(env: AgentEnvelope, nowMs: number): Expectation {
    const records = env.usage!.records ?? [];
    if (records.length > LIMITS.maxRecordsPerBatch) return { outcome: 'too_large', closeCode: CLOSE.badFrame, errorCode: ErrorCode.FRAME_TOO_LARGE, mayStore: false };
    const accepted: string[] = [];
    let refused = 0;
    const floorsBefore = new Map(this.floors);
    for (const r of records) {
      const v = validateUsageRecord(r, nowMs);
      if (!v.ok) {
        refused++;
        continue;
      }
      const { stream, seq, utcDay, awakeSeconds } = v.value;
      if (utcDay < this.earliestDay) {
        refused++; // OUT_OF_RANGE: before the first run, or long before enrolment
        continue;
      }
      accepted.push(key(stream, seq));
      // Settled (below the floor the agent reported) or already received: acknowledged, changes nothing.
      if (seq < (floorsBefore.get(stream) ?? 0) || this.receipts.has(key(stream, seq))) continue;
      this.receipts.add(key(stream, seq));
      this.days.set(utcDay, Math.min(LIMITS.secondsPerDay, (this.days.get(utcDay) ?? 0) + awakeSeconds));
      this.storedRecords++;
    }
    for (const f of validateFloors(env.usage!.floors)) this.raiseFloor(f.stream, f.oldestUnackedSeq);
    return { outcome: 'acks', accepted, refused, mayStore: true };
  }

  private raiseFloor(stream: string, floor: number): void {
    this.floors.set(stream, Math.max(this.floorOf(stream), floor));
    for (const k of [...this.receipts]) {
      const [s, seq] = unkey(k);
      if (s === stream && seq < floor) this.receipts.delete(k);
    }
  }

  applyInventory(env: AgentEnvelope): Expectation {
    const inv = env.inventory!;
    const stream = inv.header?.stream;
    const seq = inv.header?.seq;
    if (!stream || stream.length > LIMITS.maxStreamLength || typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 1) {
      return { outcome: 'invalid_header', errorCode: ErrorCode.INVALID_RECORD, mayStore: false };
    }
    const facts = boundFacts(inv.facts);
    if (!facts) return { outcome: 'acks', accepted: [], refused: 1, mayStore: false };
    if (!(seq < this.floorOf(stream) || this.receipts.has(key(stream, seq)))) {
      this.receipts.add(key(stream, seq));
      if (facts.hostname?.trim()) this.hostname = facts.hostname.trim().slice(0, 255);
    }
    return { outcome: 'acks', accepted: [key(stream, seq)], refused: 0, mayStore: true };
  }

  applyEvents(env: AgentEnvelope, nowMs: number): Expectation {
    const events = env.events!.events ?? [];
    if (events.length > LIMITS.maxRecordsPerBatch) return { outcome: 'too_large', closeCode: CLOSE.badFrame, errorCode: ErrorCode.FRAME_TOO_LARGE, mayStore: false };
    const accepted: string[] = [];
    let refused = 0;
    for (const e of events) {
      const stream = e.header?.stream;
      const seq = e.header?.seq;
      if (!stream || stream.length > LIMITS.maxStreamLength || typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 1) continue;
      if (e.kind == null) {
        refused++;
        continue;
      }
      // An uninstall must lie within the device's life: from its enrolment (less the clock skew) to now (plus the skew).
      const at = typeof e.occurredAtMs === 'number' && Number.isSafeInteger(e.occurredAtMs) ? e.occurredAtMs : 0;
      if (e.kind === 'uninstalled' && (at < this.enrolledAtMs - CLOCK_SKEW_MS || at > nowMs + CLOCK_SKEW_MS)) {
        refused++;
        continue;
      }
      accepted.push(key(stream, seq));
      this.events.add(key(stream, seq));
    }
    return { outcome: 'acks', accepted, refused, mayStore: true };
  }
}

export function tryDecode(bytes: Uint8Array): AgentEnvelope | null {
  try {
    return decodeAgentEnvelope(bytes);
  } catch {
    return null;
  }
}

/**
 * The expectation for one frame on a session. `greeted`: the session has had
 * its hello (device sessions only); `enrolment`: the session was opened with
 * an enrolment token and has not enrolled yet.
 */
export function expect(bytes: Uint8Array, s: { greeted: boolean; enrolment: boolean; model: DeviceModel | null; nowMs: number }): Expectation {
  const env = tryDecode(bytes);
  if (!env) return { outcome: 'bad_frame', closeCode: CLOSE.badFrame, errorCode: ErrorCode.BAD_FRAME, mayStore: false };
  const body = env.body;
  if (body !== 'hello' && body !== 'usage' && body !== 'inventory' && body !== 'events') {
    return { outcome: 'unknown_message', closeCode: CLOSE.badFrame, errorCode: ErrorCode.UNKNOWN_MESSAGE, mayStore: false };
  }
  if (body === 'hello') {
    const facts = boundFacts(env.hello!.facts);
    if (s.enrolment) {
      if (!(env.hello!.instanceId ?? '').slice(0, LIMITS.maxStreamLength)) {
        return { outcome: 'protocol_violation', closeCode: CLOSE.badFrame, errorCode: ErrorCode.PROTOCOL_VIOLATION, mayStore: false };
      }
      return { outcome: 'enrolled', mayStore: true, hostname: hostnameOf(facts) };
    }
    // Welcome, or (clone detection) a refusal when the hello shows other hardware than
    // the device's while the device is active: the lane applies the hostname and first run on a welcome only.
    const firstRun = env.hello!.firstRunMs;
    const believable = typeof firstRun === 'number' && Number.isSafeInteger(firstRun) && firstRun >= EARLIEST_FIRST_RUN_MS && firstRun <= s.nowMs + CLOCK_SKEW_MS;
    return { outcome: 'welcome', mayStore: true, hostname: hostnameOf(facts), firstRunAtMs: believable ? firstRun : null };
  }
  if (!s.greeted || s.enrolment || !s.model) return { outcome: 'protocol_violation', closeCode: CLOSE.badFrame, errorCode: ErrorCode.PROTOCOL_VIOLATION, mayStore: false };
  if (body === 'usage') return s.model.applyUsage(env, s.nowMs);
  if (body === 'inventory') return s.model.applyInventory(env);
  return s.model.applyEvents(env, s.nowMs);
}

/** Clone detection's answer to a hello: CLONE_DETECTED, close 4409, nothing else. */
export function isCloneRefusal(send: { error?: { code?: ErrorCode | null } | null }[], close: number | undefined): boolean {
  const clone = (ErrorCode as unknown as Record<string, number>).CLONE_DETECTED ?? 12;
  return close === CLOSE.clone && send.length === 1 && send[0].error?.code === clone;
}

/** Compares a reply with the expectation; returns a description of the difference, or null. */
export function checkReply(exp: Expectation, send: Sent[] | CollectorEnvelope[], close: number | undefined): string | null {
  const errors = send.filter((e) => e.error).map((e) => e.error!.code);
  const acks = send.filter((e) => e.ack).map((e) => e.ack!);
  const welcome = send.find((e) => e.welcome)?.welcome;
  switch (exp.outcome) {
    case 'bad_frame':
    case 'unknown_message':
    case 'protocol_violation':
    case 'too_large':
      if (close !== exp.closeCode) return `expected close ${exp.closeCode}, got ${close}`;
      if (errors.length !== 1 || errors[0] !== exp.errorCode || acks.length || welcome) return `expected only error ${exp.errorCode}, got ${JSON.stringify(send)}`;
      return null;
    case 'invalid_header':
      if (close !== undefined) return `expected no close, got ${close}`;
      if (errors.length !== 1 || errors[0] !== exp.errorCode || acks.length) return `expected only error ${exp.errorCode}, got ${JSON.stringify(send)}`;
      return null;
    case 'welcome':
      if (isCloneRefusal(send, close)) return null;
    // falls through
    case 'enrolled':
      if (close !== undefined || !welcome || errors.length) return `expected a welcome, got ${JSON.stringify(send)} close ${close}`;
      if (exp.outcome === 'enrolled' && !/^tdk_/.test(welcome.deviceKey ?? '')) return 'enrolment without a device key';
      if (exp.outcome === 'welcome' && welcome.deviceKey) return 'a device key was issued again';
      return null;
    case 'acks': {
      if (close !== undefined) return `expected no close, got ${close}`;
      const got = acks.flatMap((a) => (a.seqs ?? []).map((q) => key(a.stream ?? '', Number(q))));
      const rejected = acks.reduce((n, a) => n + (a.rejected?.length ?? 0), 0);
      const unaddressable = send.filter((e) => e.error?.code === ErrorCode.INVALID_RECORD).map((e) => Number(/^(\d+) record/.exec(e.error!.message ?? '')?.[1] ?? 0)).reduce((a, b) => a + b, 0);
      if (errors.some((c) => c !== ErrorCode.INVALID_RECORD)) return `unexpected error ${JSON.stringify(send)}`;
      const want = [...exp.accepted!].sort();
      if (JSON.stringify([...got].sort()) !== JSON.stringify(want)) return `acknowledged ${JSON.stringify(got)}, expected ${JSON.stringify(exp.accepted)}`;
      if (rejected + unaddressable !== exp.refused) return `refused ${rejected}+${unaddressable}, expected ${exp.refused}`;
      return null;
    }
  }
}

/** Reads one device's stored state back, for comparison with its model. */
export class StoredState {
  private q: Record<string, Database.Statement>;
  constructor(private readonly db: Database.Database) {
    this.q = {
      agg: db.prepare(`SELECT
        (SELECT count(*) FROM device_days WHERE device_id = @d) AS dayRows,
        (SELECT total(awake_seconds) FROM device_days WHERE device_id = @d) AS seconds,
        (SELECT count(*) FROM device_events WHERE device_id = @d) AS events,
        (SELECT total(floor % 1000003) FROM stream_floors WHERE device_id = @d) AS floorSum`),
      days: db.prepare('SELECT utc_day AS d, awake_seconds AS s FROM device_days WHERE device_id = ? ORDER BY utc_day'),
      // A stream's row also holds its stored run (migration 0005); only a raised floor is a floor.
      floors: db.prepare('SELECT stream, floor FROM stream_floors WHERE device_id = ? AND floor > 0'),
      events: db.prepare('SELECT stream, seq FROM device_events WHERE device_id = ?'),
      hostname: db.prepare('SELECT hostname FROM devices WHERE id = ?'),
      devices: db.prepare('SELECT count(*) AS n FROM devices'),
    };
  }

  deviceCount(): number {
    return (this.q.devices.get() as { n: number }).n;
  }

  /** Cheap check after every frame: counts and sums. */
  quick(deviceId: string, m: DeviceModel): string | null {
    const a = this.q.agg.get({ d: deviceId }) as Record<string, number>;
    // The dedupe marks as the store means them: the stored runs plus receipt rows.
    const marks = sqliteDedupeMarks(this.db, deviceId);
    a.receipts = marks.length;
    a.receiptSum = marks.reduce((n, r) => n + (r.seq % 1000003) + Buffer.byteLength(r.stream), 0);
    let seconds = 0;
    for (const s of m.days.values()) seconds += s;
    let receiptSum = 0;
    for (const k of m.receipts) {
      const [s, q] = unkey(k);
      receiptSum += (q % 1000003) + Buffer.byteLength(s);
    }
    let floorSum = 0;
    for (const f of m.floors.values()) floorSum += f % 1000003;
    const want = { dayRows: m.days.size, seconds, receipts: m.receipts.size, receiptSum, events: m.events.size, floorSum };
    for (const k of Object.keys(want) as (keyof typeof want)[]) {
      if (a[k] !== want[k]) return `stored ${k} ${a[k]}, expected ${want[k]}`;
    }
    return null;
  }

  /**
   * Full check: every row. `probe`: a stream the test itself sends zero-second
   * records on (over a socket, whether a probe sent right after a refused frame
   * was processed is not known): its receipts and zero-second days are left out.
   */
  full(deviceId: string, m: DeviceModel, probe?: string): string | null {
    const keepDay = ([, s]: [unknown, number]) => probe === undefined || s > 0;
    const days = Object.fromEntries((this.q.days.all(deviceId) as { d: number; s: number }[]).map((r): [number, number] => [r.d, r.s]).filter(keepDay));
    const wantDays = Object.fromEntries([...m.days].sort((a, b) => a[0] - b[0]).filter(keepDay));
    if (JSON.stringify(days) !== JSON.stringify(wantDays)) return `device_days ${JSON.stringify(days)} != ${JSON.stringify(wantDays)}`;
    const receipts = sqliteDedupeMarks(this.db, deviceId).filter((r) => r.stream !== probe).map((r) => key(r.stream, r.seq)).sort();
    if (JSON.stringify(receipts) !== JSON.stringify([...m.receipts].sort())) return 'receipts differ';
    const floors = Object.fromEntries((this.q.floors.all(deviceId) as { stream: string; floor: number }[]).map((r) => [r.stream, r.floor]));
    if (JSON.stringify(floors, Object.keys(floors).sort()) !== JSON.stringify(Object.fromEntries(m.floors), [...m.floors.keys()].sort())) return 'floors differ';
    const events = (this.q.events.all(deviceId) as { stream: string; seq: number }[]).map((r) => key(r.stream, r.seq)).sort();
    if (JSON.stringify(events) !== JSON.stringify([...m.events].sort())) return 'events differ';
    if (m.hostname !== null) {
      const h = (this.q.hostname.get(deviceId) as { hostname: string }).hostname;
      if (h !== m.hostname) return `hostname ${JSON.stringify(h)} != ${JSON.stringify(m.hostname)}`;
    }
    return null;
  }
}
