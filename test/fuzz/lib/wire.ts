// Protobuf wire-format mutation for the fuzz suites. Valid envelopes are
// parsed into a field tree (without the schema), mutated the way a broken
// agent, a bit-flipping network or an attacker would (field numbers, wire
// types, length prefixes, huge varints, blown-up repeated fields), encoded
// again, and then mutated once more at the byte level.
import { encodeAgentEnvelope, MAX_FRAME_BYTES, utcDayOf, type IAgentEvent, type IDeviceFacts, type IUsageRecord } from '../../../proto/index.ts';
import type { Rng } from './rng.ts';

export interface WireField {
  no: number;
  wt: number;
  /** Varint bytes (wt 0), 8 bytes (wt 1), payload (wt 2), 4 bytes (wt 5); empty for groups (3, 4). */
  data: Uint8Array;
  /** The payload parsed as a message, when it parses (wt 2 only). */
  sub?: WireField[] | null;
  /** data already carries a length prefix that does not match the payload (a lying length). */
  lie?: boolean;
}

/** Frames handed to the collector stay below its 1 MiB limit unless a test wants otherwise. */
export const FRAME_CAP = MAX_FRAME_BYTES - 64;

function readVarint(buf: Uint8Array, pos: number): { value: number; end: number } | null {
  let value = 0;
  let mul = 1;
  for (let i = 0; i < 10; i++) {
    if (pos + i >= buf.length) return null;
    const b = buf[pos + i];
    value += (b & 0x7f) * mul;
    mul *= 128;
    if ((b & 0x80) === 0) return { value, end: pos + i + 1 };
  }
  return null;
}

/** Parses a message without its schema; null if the bytes are not a clean sequence of fields. */
export function parseFields(buf: Uint8Array): WireField[] | null {
  const out: WireField[] = [];
  let pos = 0;
  while (pos < buf.length) {
    const tag = readVarint(buf, pos);
    if (!tag || tag.value > 0xffffffff) return null;
    pos = tag.end;
    const no = Math.floor(tag.value / 8);
    const wt = tag.value % 8;
    if (no === 0) return null;
    switch (wt) {
      case 0: {
        const v = readVarint(buf, pos);
        if (!v) return null;
        out.push({ no, wt, data: buf.subarray(pos, v.end) });
        pos = v.end;
        break;
      }
      case 1:
        if (pos + 8 > buf.length) return null;
        out.push({ no, wt, data: buf.subarray(pos, pos + 8) });
        pos += 8;
        break;
      case 2: {
        const len = readVarint(buf, pos);
        if (!len || len.end + len.value > buf.length) return null;
        out.push({ no, wt, data: buf.subarray(len.end, len.end + len.value) });
        pos = len.end + len.value;
        break;
      }
      case 5:
        if (pos + 4 > buf.length) return null;
        out.push({ no, wt, data: buf.subarray(pos, pos + 4) });
        pos += 4;
        break;
      default:
        return null;
    }
  }
  return out;
}

export function varint(n: number | bigint): number[] {
  const out: number[] = [];
  if (typeof n === 'number' && Number.isSafeInteger(n) && n >= 0) {
    while (n >= 128) {
      out.push((n % 128) | 0x80);
      n = Math.floor(n / 128);
    }
    out.push(n);
    return out;
  }
  let v = BigInt.asUintN(64, BigInt(n));
  do {
    let b = Number(v & 0x7fn);
    v >>= 7n;
    if (v > 0n) b |= 0x80;
    out.push(b);
  } while (v > 0n);
  return out;
}

/** A growable byte buffer. */
class ByteSink {
  private buf = new Uint8Array(256);
  size = 0;
  private room(n: number): void {
    if (this.size + n <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < this.size + n) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.buf.subarray(0, this.size));
    this.buf = next;
  }
  varint(n: number): void {
    this.room(10);
    while (n >= 128) {
      this.buf[this.size++] = (n % 128) | 0x80;
      n = Math.floor(n / 128);
    }
    this.buf[this.size++] = n;
  }
  push(bytes: ArrayLike<number>): void {
    this.room(bytes.length);
    this.buf.set(bytes, this.size);
    this.size += bytes.length;
  }
  finish(): Uint8Array {
    return this.buf.subarray(0, this.size);
  }
}

/** Encodes a (possibly mutated) field tree; stops adding fields once the frame cap is passed. */
export function encodeFields(fields: WireField[]): Uint8Array {
  const sink = new ByteSink();
  for (const f of fields) {
    sink.varint(f.no * 8 + f.wt);
    if (f.lie) {
      sink.push(f.data);
    } else if (f.sub) {
      const data = encodeFields(f.sub);
      if (f.wt === 2) sink.varint(data.length);
      sink.push(data);
    } else if (f.wt === 2) {
      sink.varint(f.data.length);
      sink.push(f.data);
    } else if (f.wt !== 3 && f.wt !== 4) {
      sink.push(f.data);
    }
    if (sink.size > FRAME_CAP) break;
  }
  return sink.finish();
}

const HUGE_VARINTS: number[][] = [
  varint(2n ** 64n - 1n), // uint64 max
  varint(2n ** 53n + 1n), // just above a safe integer
  varint(2n ** 53n - 1n), // the largest safe integer
  varint(2n ** 32n), // above uint32
  varint(2n ** 31n), // int32 overflow
  varint(-1), // int32/int64 -1 (10 bytes)
  varint(-(2n ** 63n)), // int64 min
  [0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01], // 11 bytes: over-long
  [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f], // 10th byte above 1
  [0x80, 0x80, 0x00], // non-canonical zero
  [0xff, 0xff, 0xff, 0xff, 0x0f], // uint32 max
  [0x80], // unterminated
  varint(0),
];

const FIELD_NUMBERS = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 15, 16, 19, 99, 2047, 2048, 19000, 536870911];

function pickField(rng: Rng, fields: WireField[]): WireField | undefined {
  return fields.length ? fields[rng.int(fields.length)] : undefined;
}

function subOf(f: WireField): WireField[] | null {
  if (f.wt !== 2 || f.lie) return null;
  if (f.sub === undefined) {
    const parsed = f.data.length ? parseFields(f.data) : null;
    f.sub = parsed && parsed.length ? parsed : null;
  }
  return f.sub;
}

/** One structural mutation somewhere in the tree (in place). Returns a short name for statistics. */
export function mutateTree(rng: Rng, fields: WireField[], depth = 0): string {
  // Descend into a sub-message half of the time, when there is one.
  const nested = fields.filter((f) => subOf(f));
  if (nested.length && depth < 6 && rng.chance(0.55)) return mutateTree(rng, subOf(rng.pick(nested))!, depth + 1);
  const f = pickField(rng, fields);
  switch (rng.int(12)) {
    case 0:
      if (!f) break;
      f.no = rng.chance(0.5) ? rng.pick(FIELD_NUMBERS) : Math.max(0, f.no + rng.range(-2, 2));
      return 'field_number';
    case 1:
      if (!f) break;
      f.wt = rng.int(8);
      return 'wire_type';
    case 2:
      if (!f) break;
      f.wt = 0;
      f.sub = null;
      f.lie = false;
      f.data = Uint8Array.from(rng.pick(HUGE_VARINTS));
      return 'huge_varint';
    case 3: {
      // Repeated field blown up: the same field many times over.
      if (!f) break;
      const times = rng.chance(0.04) ? rng.range(4_990, 5_010) : rng.range(2, 64);
      const size = encodeFields([f]).length;
      const n = Math.max(1, Math.min(times, Math.floor(FRAME_CAP / 2 / Math.max(1, size))));
      fields.splice(fields.indexOf(f), 0, ...Array.from({ length: n }, () => ({ ...f })));
      return 'repeat';
    }
    case 4:
      if (!f) break;
      fields.splice(fields.indexOf(f), 1);
      return 'drop';
    case 5: {
      // A random field from nowhere.
      const wt = rng.pick([0, 1, 2, 3, 4, 5]);
      const data = wt === 0 ? Uint8Array.from(rng.pick(HUGE_VARINTS)) : wt === 1 ? rng.bytes(8) : wt === 5 ? rng.bytes(4) : wt === 2 ? rng.bytes(rng.int(40)) : new Uint8Array(0);
      fields.splice(rng.int(fields.length + 1), 0, { no: rng.pick(FIELD_NUMBERS), wt, data, sub: null });
      return 'insert_field';
    }
    case 6: {
      if (!f || f.wt !== 2) break;
      // A string or payload replaced: random bytes (often invalid UTF-8), long text, or empty.
      const r = rng.int(4);
      f.sub = null;
      f.lie = false;
      f.data = r === 0 ? rng.bytes(rng.int(64)) : r === 1 ? new TextEncoder().encode('x'.repeat(rng.pick([127, 128, 129, 511, 512, 513, 4096, 70_000]))) : r === 2 ? new Uint8Array(0) : new TextEncoder().encode(rng.pick(['\u0000', '\ud7ff\ue000', '💥', 'usage/a', 'é'.repeat(200)]));
      return 'payload';
    }
    case 7: {
      if (fields.length < 2) break;
      const i = rng.int(fields.length);
      const j = rng.int(fields.length);
      [fields[i], fields[j]] = [fields[j], fields[i]];
      return 'swap';
    }
    case 8: {
      // Length prefix that lies: the payload stays, its declared length changes.
      if (!f || f.wt !== 2) break;
      const data = f.sub ? encodeFields(f.sub) : f.data;
      const lie = rng.pick([data.length + 1, data.length - 1, data.length + rng.range(2, 100), 0, 2 ** 31 - 1, 2 ** 32 + data.length, Number.MAX_SAFE_INTEGER]);
      f.wt = 2;
      f.lie = true;
      f.sub = null;
      f.data = Uint8Array.from([...varint(Math.max(0, lie)), ...data]);
      return 'length_prefix';
    }
    case 9: {
      // Groups: an unmatched start or end, or a field wrapped in a group.
      const no = f?.no ?? rng.pick(FIELD_NUMBERS);
      if (rng.chance(0.5)) fields.splice(rng.int(fields.length + 1), 0, { no, wt: rng.pick([3, 4]), data: new Uint8Array(0), sub: null });
      else if (f) fields.splice(fields.indexOf(f), 1, { no: f.no, wt: 3, data: new Uint8Array(0), sub: null }, f, { no: f.no, wt: 4, data: new Uint8Array(0), sub: null });
      return 'group';
    }
    case 10: {
      if (!f || f.wt !== 0) break;
      const v = rng.pick([0, 1, 2, 127, 128, 18_261, 18_262, 86_399, 86_400, 86_401, 2 ** 31 - 1, 2 ** 32 - 1]);
      f.data = Uint8Array.from(varint(rng.chance(0.5) ? v : utcDayOf(Date.now()) + rng.range(-3, 3)));
      return 'varint_value';
    }
    default: {
      if (!f) break;
      const copy = { ...f };
      fields.splice(rng.int(fields.length + 1), 0, copy);
      return 'duplicate';
    }
  }
  return 'noop';
}

/** Byte-level damage on an encoded frame. */
export function mutateBytes(rng: Rng, bytes: Uint8Array): Uint8Array {
  const b = Uint8Array.from(bytes);
  const at = () => rng.int(b.length + 1);
  switch (rng.int(9)) {
    case 0: {
      const flips = rng.range(1, 4);
      for (let i = 0; i < flips && b.length; i++) b[rng.int(b.length)] ^= 1 << rng.int(8);
      return b;
    }
    case 1:
      if (b.length) b[rng.int(b.length)] = rng.next() & 0xff;
      return b;
    case 2:
      return b.subarray(0, rng.int(b.length)); // truncation
    case 3: {
      const i = at();
      return concat(b.subarray(0, i), rng.bytes(rng.range(1, 16)), b.subarray(i));
    }
    case 4: {
      const i = at();
      return concat(b.subarray(0, i), b.subarray(Math.min(b.length, i + rng.range(1, 16))));
    }
    case 5: {
      const i = at();
      const j = Math.min(b.length, i + rng.range(1, 32));
      return concat(b.subarray(0, j), b.subarray(i, j), b.subarray(j));
    }
    case 6:
      return concat(b, rng.bytes(rng.range(1, 8)));
    case 7:
      return concat(rng.bytes(rng.range(1, 4)), b);
    default: {
      // A huge varint spliced in where a value was.
      const i = at();
      return concat(b.subarray(0, i), Uint8Array.from(rng.pick(HUGE_VARINTS)), b.subarray(Math.min(b.length, i + rng.range(0, 5))));
    }
  }
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}

// ---------------------------------------------------------------- valid frames to start from

export const STREAMS = ['usage/a', 'usage/b', 'usage/6f1c0d2e', 'inv/a', 'ev/a'];

export function facts(rng: Rng): IDeviceFacts {
  return {
    identity: { hardwareUuid: rng.chance(0.5) ? '4c4c4544-0047-3010-8051-b4c04f4e4d32' : '', macs: ['aa:bb:cc:dd:ee:ff'], osMachineId: 'm' + rng.int(1000), agentInstanceId: 'inst' },
    hostname: rng.pick(['laptop-1', 'SRV-DC01', '', '  ', 'h'.repeat(300)]),
    os: { platform: rng.pick(['linux', 'darwin', 'windows', 'beos']), name: 'Ubuntu', version: '24.04', arch: 'x64' },
    virtualization: { virtual: rng.chance(0.3), kind: 'kvm', category: 'vm', evidence: ['dmi'] },
    role: { role: rng.pick(['server', 'workstation', '']), evidence: ['os'] },
    hardware: { manufacturer: 'Dell', model: 'XPS', cpuCores: rng.int(64), memoryBytes: rng.int(2 ** 40), chassis: 'laptop' },
    modules: [{ name: rng.pick(['antimalware', 'edr_sensor', 'integrity_monitoring', 'unknown']), installed: rng.chance(0.8), tier: rng.pick(['', '90d', '1y', 'x']), changedAtMs: 1_700_000_000_000, source: 'policy' }],
    users: [{ userId: rng.pick(['S-1-5-21-1', 'alice@corp', '', ' ']), primary: rng.chance(0.5), lastSignInMs: 1_700_000_000_000 }],
    joinState: 'workgroup',
    ipAddresses: ['10.0.0.1'],
    ownership: rng.pick(['corporate', 'personal', '']),
  };
}

export function usageRecord(rng: Rng, today: number): IUsageRecord {
  const day = rng.chance(0.9) ? today - rng.int(40) + (rng.chance(0.1) ? 1 : 0) : rng.pick([0, 100, 18_261, 18_262, today + 2, -1]);
  const seconds = rng.chance(0.9) ? rng.int(3_600) : rng.pick([0, 86_399, 86_400, 86_401, 100_000]);
  return {
    header: { stream: rng.pick(STREAMS), seq: rng.chance(0.95) ? rng.range(1, 60) : rng.pick([0, 2 ** 53 - 1, 2 ** 53 + 2]) },
    utcDay: day, awakeSeconds: seconds, bootId: rng.chance(0.95) ? 'boot-' + rng.int(4) : 'b'.repeat(129), recordedAtMs: 1_700_000_000_000,
  };
}

function event(rng: Rng): IAgentEvent {
  const header = { stream: rng.pick(STREAMS), seq: rng.range(1, 60) };
  switch (rng.int(4)) {
    case 0: return { header, occurredAtMs: 1_700_000_000_000, uninstalled: { reason: 'user' } };
    case 1: return { header, occurredAtMs: 1_700_000_000_000, moduleChanged: { module: { name: 'edr_sensor', installed: true } } };
    case 2: return { header, occurredAtMs: 1_700_000_000_000, userSignedIn: { user: { userId: 'alice@corp', primary: true } } };
    default: return { header, occurredAtMs: 1_700_000_000_000 };
  }
}

export type FrameKind = 'hello' | 'inventory' | 'usage' | 'events';

/** A valid encoded AgentEnvelope of the given kind. */
export function validFrame(rng: Rng, kind: FrameKind, today: number): Uint8Array {
  const floors = () => (rng.chance(0.3) ? [{ stream: rng.pick(STREAMS), oldestUnackedSeq: rng.range(0, 40) }] : []);
  switch (kind) {
    case 'hello':
      return encodeAgentEnvelope({ hello: { agentVersion: '0.1.0', instanceId: rng.chance(0.9) ? 'inst-' + rng.int(1e6) : '', facts: rng.chance(0.9) ? facts(rng) : undefined } });
    case 'inventory':
      return encodeAgentEnvelope({ inventory: { header: { stream: rng.pick(STREAMS), seq: rng.range(1, 60) }, facts: rng.chance(0.95) ? facts(rng) : undefined } });
    case 'usage':
      return encodeAgentEnvelope({ usage: { records: Array.from({ length: rng.range(0, 8) }, () => usageRecord(rng, today)), floors: floors() } });
    case 'events':
      return encodeAgentEnvelope({ events: { events: Array.from({ length: rng.range(0, 6) }, () => event(rng)), floors: floors() } });
  }
}

/** A mutated frame of the given kind: 0..4 structural mutations, then maybe byte damage. */
export function mutatedFrame(rng: Rng, kind: FrameKind, today: number): Uint8Array {
  const valid = validFrame(rng, kind, today);
  if (rng.chance(0.08)) return valid;
  let bytes = valid;
  const structural = rng.int(5);
  if (structural) {
    const tree = parseFields(valid)!;
    for (let i = 0; i < structural; i++) mutateTree(rng, tree);
    bytes = encodeFields(tree);
  }
  if (!structural || rng.chance(0.4)) {
    const n = rng.range(1, 3);
    for (let i = 0; i < n; i++) bytes = mutateBytes(rng, bytes);
  }
  return bytes.length > FRAME_CAP ? bytes.subarray(0, FRAME_CAP) : bytes;
}

/** Frames that start from nothing: random bytes, or random fields (tag soup). */
export function randomFrame(rng: Rng): Uint8Array {
  if (rng.chance(0.5)) return rng.bytes(rng.chance(0.9) ? rng.int(64) : rng.int(4096));
  const fields: WireField[] = [];
  const n = rng.range(1, 12);
  for (let i = 0; i < n; i++) mutateTree(rng, fields);
  // Wrap some in a known body field so the decoder goes one level in.
  const body = encodeFields(fields);
  return rng.chance(0.5) ? Uint8Array.from([...varint(rng.range(1, 5) * 8 + 2), ...varint(body.length), ...body]) : body;
}
