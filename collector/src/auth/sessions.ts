// Console sessions, kept in the database (storage SessionStore): every
// collector on the same database knows every session, and a restart keeps
// them. The browser holds a random 256-bit token in an HttpOnly cookie; the
// database keeps only its SHA-256 (a copy of the table signs nobody in).
//
// A session belongs to a user (or, before any user exists, to the API key
// that opened it). It ends after an idle period and after an absolute
// lifetime, and each owner holds at most `maxPerOwner` sessions: a new one
// ends that owner's oldest, never anybody else's (no shared pool one key
// holder can flush). A session is 'active' only once every step of signing
// in is done (a new password, two-factor setup or code); before that it
// grants nothing but the next step.
import { randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { ConsoleSessionRecord, SessionStage, SessionStore } from '../storage/types.ts';
import { hashSecret } from './secrets.ts';

export interface SessionPolicy {
  /** Idle timeout (default 30 minutes). */
  idleMs: number;
  /** Absolute lifetime (default 12 hours). */
  maxAgeMs: number;
  /** Sessions one user (or key) holds at once (default 10); the oldest of theirs ends first. */
  maxPerOwner: number;
  /** How long the steps of signing in may take (default 10 minutes). */
  signInStepMs: number;
}

export const DEFAULT_SESSION_POLICY: SessionPolicy = { idleMs: 30 * 60_000, maxAgeMs: 12 * 3_600_000, maxPerOwner: 10, signInStepMs: 10 * 60_000 };

/** Touch the session's last use at most this often: an idle clock with a one-minute grain, not a write per click. */
const TOUCH_EVERY_MS = 60_000;

export const newToken = (): string => randomBytes(32).toString('base64url');

/** Constant-time comparison of two tokens (false when either is missing). */
export function sameToken(a: string | null | undefined, b: string | null | undefined): boolean {
  if (!a || !b) return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

const TOKEN_RE = /^[A-Za-z0-9_-]{43}$/;

let sequence = 0;
/** Ids that sort in creation order (the instant, then this process's count), so "the oldest" is never a coin toss within one millisecond. */
const sessionId = (at: number): string => `${at.toString(36).padStart(9, '0')}-${(sequence++ % 36 ** 6).toString(36).padStart(6, '0')}-${randomUUID()}`;

export type SessionOwner = { userId: string } | { apiKeyId: string };

export class ConsoleSessions {
  readonly policy: SessionPolicy;

  constructor(private readonly store: SessionStore, private readonly now: () => number, policy: Partial<SessionPolicy> = {}) {
    this.policy = { ...DEFAULT_SESSION_POLICY, ...policy };
  }

  /** A new session: the token for the cookie (shown nowhere else) and the stored record. */
  async create(owner: SessionOwner, stage: SessionStage, meta: { userAgent: string; address: string }): Promise<{ token: string; session: ConsoleSessionRecord; ended: number }> {
    const token = newToken();
    const at = this.now();
    const session: ConsoleSessionRecord = {
      id: sessionId(at), userId: 'userId' in owner ? owner.userId : null, apiKeyId: 'apiKeyId' in owner ? owner.apiKeyId : null, stage,
      csrfToken: newToken(), createdAtMs: at, lastUsedAtMs: at, userAgent: meta.userAgent.slice(0, 300), address: meta.address.slice(0, 100),
    };
    const ended = await this.store.createSession({ ...session, tokenHash: hashSecret(token), maxPerOwner: this.policy.maxPerOwner });
    return { token, session, ended };
  }

  /** The live session of a cookie's token, its last use refreshed; null when unknown or expired (an expired one is deleted). */
  async resolve(token: string | null | undefined): Promise<ConsoleSessionRecord | null> {
    if (!token || !TOKEN_RE.test(token)) return null;
    const session = await this.store.findSession(hashSecret(token));
    if (!session) return null;
    const at = this.now();
    if (this.expired(session, at)) {
      await this.store.deleteSession(session.id);
      return null;
    }
    if (at - session.lastUsedAtMs >= TOUCH_EVERY_MS) {
      await this.store.touchSession(session.id, at);
      session.lastUsedAtMs = at;
    }
    return session;
  }

  expired(s: ConsoleSessionRecord, at: number): boolean {
    if (s.stage !== 'active' && at - s.createdAtMs >= this.policy.signInStepMs) return true;
    return at - s.lastUsedAtMs >= this.policy.idleMs || at - s.createdAtMs >= this.policy.maxAgeMs;
  }

  /** Moves a session to its next step of signing in (or to 'active'). */
  advance(session: ConsoleSessionRecord, stage: SessionStage): Promise<void> {
    return this.store.touchSession(session.id, this.now(), stage);
  }

  end(id: string): Promise<void> {
    return this.store.deleteSession(id);
  }

  endAll(owner: SessionOwner, keep: string | null = null): Promise<number> {
    return this.store.deleteSessionsOf(owner, keep);
  }

  list(userId: string): Promise<ConsoleSessionRecord[]> {
    return this.store.listSessions(userId);
  }

  /** Deletes what has expired (sessions are also checked one by one when used). */
  sweep(): Promise<number> {
    const at = this.now();
    return this.store.sweep(at - this.policy.idleMs, at - this.policy.maxAgeMs, at - this.policy.signInStepMs);
  }
}
