// Signing a person in to the console: a password (then, as the user and the
// installation require, a new password, TOTP setup, or a TOTP or recovery
// code), or single sign-on (sso.ts). Each step is a stage of one database
// session (auth/sessions.ts), so any collector can take the next step.
//
// Failed passwords and codes count per user in the database (all collectors
// together); at LOCKOUT.maxFailures in a row the user is locked for
// LOCKOUT.lockMs (rate_limited), and an owner's password reset unlocks.
// An unknown address, a disabled user and a wrong password answer alike.
// Every sign-in, failure, lockout and sign-out lands in the audit log.
import { TallyError } from '../errors.ts';
import type { AdminUser, AuditStore, ConsoleSessionRecord, SessionStage, SessionStore, UserStore } from '../storage/types.ts';
import { verifyPassword } from './passwords.ts';
import type { ConsoleSessions } from './sessions.ts';
import { looksLikeRecoveryCode, recoveryCodeHash, verifyTotp } from './totp.ts';

export const LOCKOUT = { maxFailures: 5, lockMs: 15 * 60_000 };

export const TWO_FACTOR_REQUIRED_SETTING = 'two_factor_required';

export interface SignInDeps {
  storage: { users: UserStore; audit: AuditStore; sessions: SessionStore };
  sessions: ConsoleSessions;
  now: () => number;
}

export interface RequestMeta {
  userAgent: string;
  address: string;
}

const NOT_ACCEPTED = 'that e-mail address and password were not accepted';

export async function twoFactorRequired(users: Pick<UserStore, 'getSetting'>): Promise<boolean> {
  return (await users.getSetting(TWO_FACTOR_REQUIRED_SETTING)) === 'true';
}

/** What is left to do before a user's session is active. */
export async function nextStage(deps: Pick<SignInDeps, 'storage'>, user: AdminUser): Promise<SessionStage> {
  if (user.mustChangePassword) return 'password';
  if (user.totpEnabled) return 'mfa';
  if (user.hasPassword && (await twoFactorRequired(deps.storage.users))) return 'mfa_setup';
  return 'active';
}

/** The audit entry of a sign-in event (not an admin command: nobody is signed in yet). */
export function auditSignIn(deps: Pick<SignInDeps, 'storage' | 'now'>, user: Pick<AdminUser, 'id' | 'companyId'>, action: string, details: Record<string, unknown>) {
  return deps.storage.audit.append({
    atMs: deps.now(), actor: `user:${user.id}`, userId: user.id, action, targetType: 'admin_user', targetId: user.id, companyId: user.companyId, details,
  });
}

function lockedError(until: number): TallyError {
  return new TallyError('rate_limited', `too many failed attempts: this user is locked until ${new Date(until).toISOString().slice(0, 16).replace('T', ' ')} UTC (an owner can reset the password to unlock it)`);
}

/** Counts a failure; locks the user at the limit. */
async function failed(deps: SignInDeps, user: AdminUser, what: string, meta: RequestMeta): Promise<void> {
  const at = deps.now();
  const { failedLogins, lockedUntilMs } = await deps.storage.users.recordLoginFailure(user.id, at, LOCKOUT);
  await auditSignIn(deps, user, 'session.sign_in_failed', { reason: what, address: meta.address, failedLogins });
  if (lockedUntilMs !== null && lockedUntilMs > at && failedLogins === LOCKOUT.maxFailures) await auditSignIn(deps, user, 'user.locked', { until: new Date(lockedUntilMs).toISOString() });
}

/**
 * Email and password: a session at the user's next stage, or unauthorized
 * (anything wrong), rate_limited (locked) or forbidden (company inactive).
 */
export async function signInWithPassword(deps: SignInDeps, email: string, password: string, meta: RequestMeta): Promise<{ token: string; session: ConsoleSessionRecord; user: AdminUser }> {
  const user = await deps.storage.users.findUserByEmail(email.trim().toLowerCase().slice(0, 254));
  const secrets = user ? await deps.storage.users.userSecrets(user.id) : null;
  if (user && user.lockedUntilMs !== null && user.lockedUntilMs > deps.now()) throw lockedError(user.lockedUntilMs);
  // Always one argon2 verification, so an unknown address takes as long as a wrong password.
  const ok = await verifyPassword(secrets?.passwordHash ?? null, password.slice(0, 1024));
  if (!user || user.disabledAtMs !== null || !ok) {
    if (user && user.disabledAtMs === null && secrets?.passwordHash) await failed(deps, user, 'password', meta);
    throw new TallyError('unauthorized', NOT_ACCEPTED);
  }
  return startSession(deps, user, 'password', meta);
}

/** A session for a user who proved who they are (password, or single sign-on). */
export async function startSession(deps: SignInDeps, user: AdminUser, method: 'password' | 'sso', meta: RequestMeta) {
  await deps.storage.users.updateUser(user.id, { failedLogins: 0, lockedUntilMs: null });
  const stage = method === 'sso' ? 'active' : await nextStage(deps, user);
  const { token, session, ended } = await deps.sessions.create({ userId: user.id }, stage, meta);
  if (stage === 'active') await signedIn(deps, user, method, meta, ended);
  return { token, session, user };
}

async function signedIn(deps: SignInDeps, user: AdminUser, method: string, meta: RequestMeta, ended = 0) {
  await deps.storage.users.updateUser(user.id, { lastLoginAtMs: deps.now() });
  await auditSignIn(deps, user, 'session.sign_in', { method, address: meta.address, userAgent: meta.userAgent.slice(0, 200), ...(ended ? { oldestSessionsEnded: ended } : {}) });
}

/** After a step (new password, TOTP set up), moves the session on to the next stage. */
export async function advance(deps: SignInDeps, session: ConsoleSessionRecord, meta: RequestMeta): Promise<SessionStage> {
  const user = await deps.storage.users.getUser(session.userId!);
  if (!user || user.disabledAtMs !== null) throw new TallyError('unauthorized', 'this user is disabled or no longer exists');
  let stage = await nextStage(deps, user);
  // The code was just proven while setting TOTP up: no second prompt for it.
  if (stage === 'mfa' && session.stage === 'mfa_setup') stage = 'active';
  await deps.sessions.advance(session, stage);
  if (stage === 'active') await signedIn(deps, user, 'password', meta);
  return stage;
}

/** The TOTP code (or a recovery code) of a session at stage 'mfa'. */
export async function verifySecondFactor(deps: SignInDeps, session: ConsoleSessionRecord, code: string, meta: RequestMeta): Promise<void> {
  const user = await deps.storage.users.getUser(session.userId!);
  if (!user || user.disabledAtMs !== null) throw new TallyError('unauthorized', 'this user is disabled or no longer exists');
  if (user.lockedUntilMs !== null && user.lockedUntilMs > deps.now()) {
    await deps.sessions.end(session.id);
    throw lockedError(user.lockedUntilMs);
  }
  const secrets = (await deps.storage.users.userSecrets(user.id))!;
  const text = code.trim().slice(0, 40);
  const ok = looksLikeRecoveryCode(text)
    ? await deps.storage.users.useRecoveryCode(user.id, recoveryCodeHash(text))
    : secrets.totpSecret !== null && verifyTotp(secrets.totpSecret, text, deps.now());
  if (!ok) {
    await failed(deps, user, 'second factor', meta);
    const now = await deps.storage.users.getUser(user.id);
    if (now?.lockedUntilMs && now.lockedUntilMs > deps.now()) {
      await deps.sessions.end(session.id);
      throw lockedError(now.lockedUntilMs);
    }
    throw new TallyError('unauthorized', 'that code was not accepted');
  }
  if (looksLikeRecoveryCode(text)) await auditSignIn(deps, user, 'user.recovery_code_used', {});
  await deps.storage.users.updateUser(user.id, { failedLogins: 0 });
  await deps.sessions.advance(session, 'active');
  await signedIn(deps, user, 'password+totp', meta);
}
