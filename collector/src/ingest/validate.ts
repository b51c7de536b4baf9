// Validation of decoded agent frames. Pure: `nowMs` is an argument. A record
// that fails is rejected on its own (with a stable code) and never takes the
// good records of its batch down with it.
import { ErrorCode, MAX_FRAME_BYTES, type IDeviceFacts, type IUsageRecord, type IStreamFloor } from '../../../proto/index.ts';
import type { StreamFloorInput, UsageRecordInput } from '../storage/types.ts';

export const LIMITS = {
  /** ws maxPayload: frames above this are refused by the socket before decoding. */
  maxFrameBytes: MAX_FRAME_BYTES,
  maxRecordsPerBatch: 5_000,
  maxStreamLength: 128,
  maxBootIdLength: 128,
  maxStringLength: 512,
  maxListLength: 256,
  secondsPerDay: 86_400,
  /** 2020-01-01: nothing older is plausible for this product. */
  minUtcDay: 18_262,
};

export type Valid<T> = { ok: true; value: T } | { ok: false; code: ErrorCode; message: string };

const MS_PER_DAY = 86_400_000;

function isSafeSeq(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 1;
}

function validStream(s: unknown): s is string {
  return typeof s === 'string' && s.length > 0 && s.length <= LIMITS.maxStreamLength;
}

export function validateUsageRecord(r: IUsageRecord, nowMs: number): Valid<UsageRecordInput> {
  const bad = (message: string): Valid<UsageRecordInput> => ({ ok: false, code: ErrorCode.INVALID_RECORD, message });
  const stream = r.header?.stream;
  const seq = r.header?.seq;
  if (!validStream(stream)) return bad('header.stream must be 1..128 characters');
  if (!isSafeSeq(seq)) return bad('header.seq must be an integer from 1 to 2^53-1');
  const day = r.utcDay ?? 0;
  // One day of slack for agents whose clock runs ahead of ours.
  const latestDay = Math.floor(nowMs / MS_PER_DAY) + 1;
  if (!Number.isInteger(day) || day < LIMITS.minUtcDay || day > latestDay) {
    return bad(`utc_day ${day} is outside ${LIMITS.minUtcDay}..${latestDay}`);
  }
  const seconds = r.awakeSeconds ?? 0;
  if (!Number.isInteger(seconds) || seconds < 0 || seconds > LIMITS.secondsPerDay) {
    return bad(`awake_seconds ${seconds} is outside 0..86400`);
  }
  const bootId = r.bootId ?? '';
  if (bootId.length > LIMITS.maxBootIdLength) return bad('boot_id is longer than 128 characters');
  return { ok: true, value: { stream, seq, utcDay: day, awakeSeconds: seconds, bootId } };
}

export function validateFloors(floors: IStreamFloor[] | null | undefined): StreamFloorInput[] {
  // A bad floor is ignored, never fatal: floors only let us forget receipts sooner.
  return (floors ?? [])
    .filter((f) => validStream(f.stream) && isSafeSeq(f.oldestUnackedSeq))
    .map((f) => ({ stream: f.stream as string, oldestUnackedSeq: f.oldestUnackedSeq as number }));
}

/**
 * Facts are descriptive, so oversized strings and lists are cut to bounds
 * rather than refused: a device with an odd hostname must still be billed.
 * Returns a plain copy, detached from the decoder's message objects.
 */
export function boundFacts(facts: IDeviceFacts | null | undefined): IDeviceFacts | null {
  if (!facts) return null;
  const bound = (v: unknown, depth: number): unknown => {
    if (depth > 6) return undefined;
    if (typeof v === 'string') return v.length > LIMITS.maxStringLength ? v.slice(0, LIMITS.maxStringLength) : v;
    if (Array.isArray(v)) return v.slice(0, LIMITS.maxListLength).map((x) => bound(x, depth + 1));
    if (v && typeof v === 'object' && !(v instanceof Uint8Array)) {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) {
        if (k.startsWith('$')) continue; // protobufjs bookkeeping ($unknowns)
        out[k] = bound(x, depth + 1);
      }
      return out;
    }
    return v;
  };
  return bound(facts, 0) as IDeviceFacts;
}

export function hostnameOf(facts: IDeviceFacts | null): string {
  const h = facts?.hostname?.trim();
  return h ? h.slice(0, 255) : 'unknown';
}
