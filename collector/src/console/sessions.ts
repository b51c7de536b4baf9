// Console sessions: a random session id in an HttpOnly, SameSite=Strict
// cookie, mapped here (in memory) to the API key that logged in. The key
// itself never leaves the login request: the map keeps the key's id and the
// SHA-256 of the key (what the database stores anyway), so every request
// re-reads the key record and a revoked key stops working at once.
//
// Sessions expire after an idle period and after an absolute lifetime; the
// map holds at most `maxSessions` entries, evicting the least recently used.
// A collector restart logs everybody out (sessions are not shared between
// collectors: put the console behind sticky sessions, or log in again).
import { randomBytes, timingSafeEqual } from 'node:crypto';

export interface ConsoleSession {
  readonly id: string;
  readonly keyId: string;
  readonly keyHash: string;
  /** Per-session token every state-changing form carries (CSRF). */
  readonly csrfToken: string;
  readonly createdAtMs: number;
  lastUsedAtMs: number;
}

export interface SessionStoreOptions {
  /** Idle timeout (default 30 minutes). */
  idleMs?: number;
  /** Absolute lifetime (default 12 hours). */
  maxAgeMs?: number;
  /** Most sessions kept at once (default 1,000); the least recently used goes first. */
  maxSessions?: number;
  now?: () => number;
}

export const newToken = (): string => randomBytes(32).toString('base64url');

/** Constant-time comparison of two tokens (false when either is missing). */
export function sameToken(a: string | null | undefined, b: string | null | undefined): boolean {
  if (!a || !b) return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export class SessionStore {
  readonly idleMs: number;
  readonly maxAgeMs: number;
  readonly maxSessions: number;
  private readonly now: () => number;
  /** Insertion order is recency order: a touched session is moved to the end. */
  private readonly sessions = new Map<string, ConsoleSession>();

  constructor(opts: SessionStoreOptions = {}) {
    this.idleMs = opts.idleMs ?? 30 * 60_000;
    this.maxAgeMs = opts.maxAgeMs ?? 12 * 3_600_000;
    this.maxSessions = Math.max(1, opts.maxSessions ?? 1000);
    this.now = opts.now ?? Date.now;
  }

  get size(): number {
    return this.sessions.size;
  }

  create(keyId: string, keyHash: string): ConsoleSession {
    this.sweep();
    while (this.sessions.size >= this.maxSessions) {
      const oldest = this.sessions.keys().next().value as string;
      this.sessions.delete(oldest);
    }
    const at = this.now();
    const session: ConsoleSession = { id: newToken(), keyId, keyHash, csrfToken: newToken(), createdAtMs: at, lastUsedAtMs: at };
    this.sessions.set(session.id, session);
    return session;
  }

  /** The live session for this id, refreshed; null when unknown or expired. */
  get(id: string | null | undefined): ConsoleSession | null {
    if (!id) return null;
    const session = this.sessions.get(id);
    if (!session) return null;
    const at = this.now();
    if (this.expired(session, at)) {
      this.sessions.delete(id);
      return null;
    }
    session.lastUsedAtMs = at;
    this.sessions.delete(id);
    this.sessions.set(id, session);
    return session;
  }

  delete(id: string | null | undefined): void {
    if (id) this.sessions.delete(id);
  }

  /** Drops every session of a key (used when the key turns out revoked). */
  deleteForKey(keyId: string): void {
    for (const [id, s] of this.sessions) if (s.keyId === keyId) this.sessions.delete(id);
  }

  private expired(s: ConsoleSession, at: number): boolean {
    return at - s.lastUsedAtMs >= this.idleMs || at - s.createdAtMs >= this.maxAgeMs;
  }

  private sweep(): void {
    const at = this.now();
    for (const [id, s] of this.sessions) if (this.expired(s, at)) this.sessions.delete(id);
  }
}
