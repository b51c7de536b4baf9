// Rate limits with token buckets: a burst up to `capacity`, then `perMinute`
// sustained. Keyed (per IP, per device) with a bounded number of keys, so an
// attacker rotating addresses cannot grow memory without end. Pure: the clock
// is passed in. And the agent endpoint's limits and bounds, with their defaults.
import type { StreamBound } from '../storage/types.ts';

export interface RateLimit {
  capacity: number;
  perMinute: number;
}

export class KeyedRateLimiter {
  private readonly buckets = new Map<string, { tokens: number; atMs: number }>();

  constructor(private readonly limit: RateLimit, private readonly maxKeys = 100_000) {}

  /** Takes one token for `key`; false when the key is over its limit. */
  take(key: string, nowMs: number): boolean {
    let b = this.buckets.get(key);
    if (b) {
      const refill = ((nowMs - b.atMs) / 60_000) * this.limit.perMinute;
      b.tokens = Math.min(this.limit.capacity, b.tokens + Math.max(0, refill));
      b.atMs = nowMs;
      // Re-insert so the Map's order is least recently used first.
      this.buckets.delete(key);
    } else {
      b = { tokens: this.limit.capacity, atMs: nowMs };
      if (this.buckets.size >= this.maxKeys) this.buckets.delete(this.buckets.keys().next().value!);
    }
    this.buckets.set(key, b);
    if (b.tokens < 1) return false;
    b.tokens -= 1;
    return true;
  }

  /** Seconds until `key` has a token again (for Retry-After). */
  retryAfterSeconds(key: string): number {
    const b = this.buckets.get(key);
    if (!b || b.tokens >= 1) return 0;
    return Math.ceil(((1 - b.tokens) / this.limit.perMinute) * 60);
  }

  get size(): number {
    return this.buckets.size;
  }
}

export interface AgentLimits {
  /** Open agent connections per collector process. */
  maxConnections: number;
  /**
   * Open agent connections (and upgrades in progress) per source address;
   * undefined: half of maxConnections, so no one address holds every slot.
   * A site with more agents behind one NAT address needs it raised.
   */
  maxConnectionsPerIp?: number;
  /** Enrolment attempts per source IP. */
  enrolPerIp: RateLimit;
  /** Enrolments per enrolment token: one leaked token cannot mint devices faster than this. */
  enrolPerToken: RateLimit;
  /** Refused credentials per source IP (guessing tokens or keys). */
  authFailuresPerIp: RateLimit;
  /** Usage/event/inventory frames per device. */
  framesPerDevice: RateLimit;
  /** A peer that does not read what we send is dropped beyond this many buffered bytes. */
  maxBufferedBytes: number;
  /** New stream names a device may start per window (usage, events and inventory streams alike). */
  streamsPerDevice: StreamBound;
  /** The largest event payload taken, as JSON bytes. */
  maxEventBytes: number;
  /** Events per device (stored or not: duplicates cost too). */
  eventsPerDevice: RateLimit;
}

export const DEFAULT_LIMITS: AgentLimits = {
  maxConnections: 18_000,
  // Generous on purpose: a whole office behind one NAT address enrols at once after a GPO push.
  enrolPerIp: { capacity: 1_000, perMinute: 600 },
  // A GPO or RMM push of one token to a whole fleet: 200 at once, then 60 a minute (2,000 machines in half an hour; the
  // others retry on their backoff, metering meanwhile). A leaked token mints no more than that; set --max-enrolments too.
  enrolPerToken: { capacity: 200, perMinute: 60 },
  authFailuresPerIp: { capacity: 100, perMinute: 30 },
  // An agent sends a frame every few minutes; a backlog after an outage goes in batches of hundreds of records.
  framesPerDevice: { capacity: 120, perMinute: 60 },
  maxBufferedBytes: 1 << 20,
  // The agent starts a usage, an events and an inventory stream per install (a new epoch after a damaged
  // outbox or a wiped state directory): 32 a month is ten reinstalls, and a hostile key inventing names stops there.
  streamsPerDevice: { max: 32, windowMs: 30 * 86_400_000 },
  // Events are small (an uninstall, a module change, a sign-in); facts are cut to 512-character strings already.
  maxEventBytes: 16 * 1024,
  // A terminal server may see a few hundred sign-ins a day; a backlog after an outage comes in a burst.
  eventsPerDevice: { capacity: 2_000, perMinute: 20 },
};
