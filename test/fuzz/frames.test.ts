// Agent frames, fuzzed straight through AgentSession.handleFrame against a
// real SQLite store and a real IngestBatcher (no network, so hundreds of
// thousands of frames fit in CI). Every message type, and raw bytes for the
// frame decoder, gets a fifth of FUZZ.runs frames (100,000 in all by
// default; `npm run fuzz` for 2,000,000) from a fixed seed. For each frame:
//   - handleFrame resolves (never throws) within a time bound;
//   - the reply is exactly what the oracle (the collector's own decoder and
//     validators, applied to the frame) says: refusal code and close code, or
//     the acknowledged and rejected records;
//   - the device's stored state equals the model: a refused frame stores
//     nothing, an accepted one stores exactly its valid, new records.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCode, encodeAgentEnvelope } from '../../proto/index.ts';
import type { Reply } from '../../collector/src/ingest/session.ts';
import { FUZZ, Rng } from './lib/rng.ts';
import { DeviceModel, checkReply, expect as expectFrame, isCloneRefusal } from './lib/oracle.ts';
import { NOW, TODAY, hex, startIngestHarness, type IngestHarness } from './lib/harness.ts';
import { facts, mutatedFrame, randomFrame, varint, type FrameKind } from './lib/wire.ts';

const LANES = 48;
const PER_KIND = Math.ceil(FUZZ.runs / 5);
/** A frame must be answered within this (generous on a loaded 2-core machine; typical is well under 10 ms). */
const ANSWER_BOUND_MS = 2_000;
/** Lanes start a new device this often, and compare every stored row of the old one. */
const DEVICE_FRAMES = 1_500;

let h: IngestHarness;
const tried: Record<string, number> = {};
const outcomes: Record<string, number> = {};
let slowest = { ms: 0, kind: '', outcome: '', bytes: 0 };
let storedRecords = 0;
let enrolled = 0;
let lanesDevices = 0;

beforeAll(async () => {
  h = await startIngestHarness();
});
afterAll(async () => {
  await h?.dispose();
  const total = Object.values(tried).reduce((a, b) => a + b, 0);
  console.log(`[fuzz] handleFrame: ${total} frames tried (seed ${FUZZ.seed}): ${JSON.stringify(tried)}; outcomes ${JSON.stringify(outcomes)}; ` +
    `${storedRecords} valid records stored from mutated frames; slowest answer ${slowest.ms.toFixed(1)} ms (${JSON.stringify(slowest)})`);
});

interface Failure { kind: string; lane: number; index: number; frame: string; problem: string }

async function timed(session: ReturnType<IngestHarness['session']>, bytes: Uint8Array, kind: string): Promise<{ reply: Reply | null; threw: unknown; ms: number }> {
  const t0 = performance.now();
  let reply: Reply | null = null;
  let threw: unknown = null;
  let timer: NodeJS.Timeout | undefined;
  try {
    reply = await Promise.race([
      session.handleFrame(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)),
      new Promise<never>((_, rej) => { timer = setTimeout(() => rej(new Error(`no answer within ${ANSWER_BOUND_MS} ms`)), ANSWER_BOUND_MS); }),
    ]);
  } catch (err) {
    threw = err;
  } finally {
    clearTimeout(timer);
  }
  const ms = performance.now() - t0;
  return { reply, threw, ms };
}

/** One lane: its own device and session, frames of one kind, checked one by one. */
async function lane(kind: FrameKind | 'raw', rng: Rng, frames: number, laneNo: number, failures: Failure[]): Promise<void> {
  const fail = (index: number, bytes: Uint8Array, problem: string) => {
    if (failures.length < 20) failures.push({ kind, lane: laneNo, index, frame: hex(bytes), problem });
  };
  let deviceId = '';
  let model = new DeviceModel(NOW);
  let session: ReturnType<IngestHarness['session']>;
  const freshDevice = async () => {
    if (deviceId) {
      const diff = h.state.full(deviceId, model);
      if (diff) fail(-1, new Uint8Array(0), `full comparison of ${deviceId}: ${diff}`);
      storedRecords += model.storedRecords;
    }
    deviceId = await h.newDevice();
    lanesDevices++;
    model = new DeviceModel(NOW);
    session = h.session({ kind: 'device', deviceId, companyId: h.companyId });
    const hello = encodeAgentEnvelope({ hello: { agentVersion: '0.1.0', instanceId: 'inst', facts: facts(rng) } });
    const exp = expectFrame(hello, { greeted: false, enrolment: false, model, nowMs: NOW });
    const r = await session.handleFrame(hello);
    const diff = checkReply(exp, r.send, r.close?.code) ?? (isCloneRefusal(r.send, r.close?.code) ? 'first hello refused as a clone' : null);
    if (diff) fail(-1, hello, `hello: ${diff}`);
    model.hostname = exp.hostname!;
    model.noteHello(null, true);
  };
  await freshDevice();
  for (let i = 0; i < frames; i++) {
    // Frames arrive from sockets, one I/O callback each: yield like that, so timers
    // (the batcher's group commit) run between frames as they do in the collector.
    await new Promise((r) => setImmediate(r));
    if (i > 0 && i % DEVICE_FRAMES === 0) await freshDevice();
    const bytes = kind === 'raw' ? randomFrame(rng) : mutatedFrame(rng, kind, TODAY);
    tried[kind] = (tried[kind] ?? 0) + 1;
    // Some frames go to a session that has not said hello (usage first...), some hellos to an enrolment session.
    const mode = kind === 'hello' && rng.chance(0.3) ? 'enrolment' : rng.chance(0.03) ? 'unGreeted' : 'greeted';
    const target = mode === 'greeted' ? session!
      : mode === 'enrolment' ? h.session({ kind: 'enrolment', tokenId: h.tokenId, companyId: h.companyId })
        : h.session({ kind: 'device', deviceId, companyId: h.companyId });
    const exp = expectFrame(bytes, { greeted: mode === 'greeted', enrolment: mode === 'enrolment', model, nowMs: NOW });
    const { reply, threw, ms } = await timed(target, bytes, kind);
    outcomes[exp.outcome] = (outcomes[exp.outcome] ?? 0) + 1;
    if (ms > slowest.ms) slowest = { ms, kind, outcome: exp.outcome, bytes: bytes.length };
    if (threw || !reply) {
      fail(i, bytes, `handleFrame threw or hung: ${String(threw)}`);
      continue;
    }
    const diff = checkReply(exp, reply.send, reply.close?.code);
    if (diff) fail(i, bytes, diff);
    if (exp.outcome === 'welcome') {
      if (isCloneRefusal(reply.send, reply.close?.code)) outcomes.clone_refused = (outcomes.clone_refused ?? 0) + 1;
      else {
        model.hostname = exp.hostname!;
        model.noteHello(exp.firstRunAtMs ?? null, mode === 'greeted');
      }
    }
    if (exp.outcome === 'enrolled') {
      enrolled++;
      const id = reply.send.find((e) => e.welcome)?.welcome?.deviceId;
      const row = id ? h.read.prepare('SELECT hostname FROM devices WHERE id = ?').get(id) as { hostname: string } | undefined : undefined;
      if (!row || row.hostname !== exp.hostname) fail(i, bytes, `enrolled device ${id} not stored as expected: ${JSON.stringify(row)}`);
    }
    const stored = h.state.quick(deviceId, model);
    if (stored) fail(i, bytes, `after ${exp.outcome}: ${stored}`);
    // One failure per lane is enough: what follows it on the same device would only repeat it.
    if (failures.some((f) => f.lane === laneNo)) return;
  }
  const diff = h.state.full(deviceId, model);
  if (diff) fail(frames, new Uint8Array(0), `final full comparison: ${diff}`);
  storedRecords += model.storedRecords;
}

async function fuzzKind(kind: FrameKind | 'raw', seedOffset: number): Promise<void> {
  const rng = new Rng(FUZZ.seed + seedOffset);
  const failures: Failure[] = [];
  const perLane = Math.ceil(PER_KIND / LANES);
  await Promise.all(Array.from({ length: LANES }, (_, n) => lane(kind, rng.fork(), Math.max(0, Math.min(perLane, PER_KIND - n * perLane)), n, failures)));
  const h0 = h.errorsLogged.length;
  // A failure first shows the errors the collector logged meanwhile (their cause, when it crashed).
  expect(failures, `seed ${FUZZ.seed + seedOffset}; reproduce with TALLY_FUZZ_SEED; errors logged: ${JSON.stringify(h.errorsLogged.slice(0, 3))}`).toEqual([]);
  expect(h0, JSON.stringify(h.errorsLogged.slice(0, 3))).toBe(0);
  await h.storage.ping(); // the store still answers (/healthz's check)
}

describe('AgentSession.handleFrame under mutated and random frames', () => {
  const timeout = Math.max(60_000, PER_KIND * 5);
  it(`usage batches: ${PER_KIND} mutated frames`, () => fuzzKind('usage', 1), timeout);
  it(`hello (device and enrolment sessions): ${PER_KIND} mutated frames`, () => fuzzKind('hello', 2), timeout);
  it(`inventory: ${PER_KIND} mutated frames`, () => fuzzKind('inventory', 3), timeout);
  it(`event batches: ${PER_KIND} mutated frames`, () => fuzzKind('events', 4), timeout);
  it(`raw decoder: ${PER_KIND} random frames (random bytes and random fields)`, () => fuzzKind('raw', 5), timeout);

  it('stores exactly the devices that enrolled, and nothing else', () => {
    const n = h.state.deviceCount();
    expect(n).toBe(lanesDevices + enrolled);
  });
});

describe('deeply nested input is refused early, in bounded time', () => {
  const groupStart = (field: number) => varint(field * 8 + 3);
  const groupEnd = (field: number) => varint(field * 8 + 4);
  const nestedGroups = (field: number, depth: number, closed: boolean) => {
    const s = groupStart(field);
    const e = groupEnd(field);
    const out = new Uint8Array(depth * (s.length + (closed ? e.length : 0)));
    for (let i = 0; i < depth; i++) out.set(s, i * s.length);
    if (closed) for (let i = 0; i < depth; i++) out.set(e, depth * s.length + i * e.length);
    return out;
  };
  const wrap = (field: number, inner: Uint8Array) => Uint8Array.from([...varint(field * 8 + 2), ...varint(inner.length), ...inner]);
  /** Length-delimited nesting of an unknown field, `depth` levels deep. */
  const nestedLengths = (field: number, depth: number) => {
    let inner: Uint8Array = new Uint8Array(0);
    const parts: number[][] = [];
    // Built inside out without copying a growing buffer each level.
    let len = 0;
    for (let i = 0; i < depth; i++) {
      const prefix = [...varint(field * 8 + 2), ...varint(len)];
      parts.push(prefix);
      len += prefix.length;
    }
    inner = new Uint8Array(len);
    let off = 0;
    for (let i = parts.length - 1; i >= 0; i--) {
      inner.set(parts[i], off);
      off += parts[i].length;
    }
    return inner;
  };
  const MIB = 1 << 20;
  const cases: [string, () => Uint8Array, ErrorCode][] = [
    ['100 closed unknown groups (at the limit)', () => nestedGroups(5, 99, true), ErrorCode.UNKNOWN_MESSAGE],
    ['102 closed unknown groups', () => nestedGroups(5, 102, true), ErrorCode.BAD_FRAME],
    ['10,000 closed unknown groups', () => nestedGroups(5, 10_000, true), ErrorCode.BAD_FRAME],
    ['1 MiB of unclosed group starts', () => nestedGroups(5, MIB - 16, false), ErrorCode.BAD_FRAME],
    ['1 MiB of group starts inside a usage batch', () => wrap(3, nestedGroups(1, (MIB >> 1) - 16, false)), ErrorCode.BAD_FRAME],
    ['1 MiB of group starts inside hello.facts', () => wrap(1, wrap(3, nestedGroups(7, (MIB >> 1) - 16, false))), ErrorCode.BAD_FRAME],
    ['200,000 levels of length-delimited unknown fields', () => nestedLengths(15, 200_000), ErrorCode.UNKNOWN_MESSAGE],
    ['length-delimited nesting inside a usage record', () => wrap(3, wrap(1, nestedLengths(9, 150_000))), ErrorCode.PROTOCOL_VIOLATION],
    ['1 MiB of end-group tags', () => new Uint8Array(MIB - 16).fill(0x2c), ErrorCode.BAD_FRAME],
    ['1 MiB of 10-byte varints in a known field', () => { const v = [0x18, ...varint(2n ** 64n - 1n)]; const n = Math.floor((MIB - 16) / v.length); const out = new Uint8Array(n * v.length); for (let i = 0; i < n; i++) out.set(v, i * v.length); return wrap(3, wrap(1, out.subarray(0, MIB - 64))); }, ErrorCode.BAD_FRAME],
  ];

  it.each(cases)('%s', async (_name, build, code) => {
    const bytes = build();
    expect(bytes.length).toBeLessThanOrEqual(MIB);
    const deviceId = await h.newDevice();
    const model = new DeviceModel(NOW);
    // Unreached sessions (no hello) answer PROTOCOL_VIOLATION to a body they could decode.
    const session = h.session({ kind: 'device', deviceId, companyId: h.companyId });
    const before = h.state.quick(deviceId, model);
    const t0 = performance.now();
    const reply = await session.handleFrame(Buffer.from(bytes));
    const ms = performance.now() - t0;
    console.log(`[fuzz] nested input "${_name}" (${bytes.length} bytes): ${ErrorCode[reply.send[0]?.error?.code ?? 0]} in ${ms.toFixed(1)} ms`);
    expect(reply.send.map((e) => e.error?.code)).toEqual([code]);
    expect(reply.close?.code).toBe(4400);
    expect(before).toBeNull();
    expect(h.state.quick(deviceId, model)).toBeNull();
    expect(ms).toBeLessThan(1_000);
  });
});
