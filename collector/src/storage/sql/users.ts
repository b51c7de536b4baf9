// Admin users, sign-in settings, single sign-on providers, and console
// sessions, for both backends. Sessions live here (not in one collector's
// memory) so every collector on the database knows them and a restart keeps
// them.
import type { Selectable } from 'kysely';
import type { Role } from '../../auth/roles.ts';
import {
  StorageError, type AdminUser, type AdminUserPatch, type AdminUserSecrets, type ConsoleSessionRecord, type NewAdminUser, type SessionStage, type SessionStore,
  type SsoLoginState, type SsoMapping, type SsoProvider, type UserStore,
} from '../types.ts';
import { inScope } from './admin.ts';
import { statement, writing, type SqlContext } from './context.ts';
import { isTrue } from './dialect.ts';
import type { AdminUsersTable, ConsoleSessionsTable, SsoProvidersTable } from './schema.ts';

const toUser = (r: Selectable<AdminUsersTable>): AdminUser => ({
  id: r.id, email: r.email, name: r.name, role: r.role as Role, companyId: r.company_id, hasPassword: r.password_hash !== null,
  mustChangePassword: isTrue(r.must_change_password), totpEnabled: r.totp_enabled_at !== null, ssoProviderId: r.sso_provider_id,
  failedLogins: r.failed_logins, lockedUntilMs: r.locked_until, createdAtMs: r.created_at, createdBy: r.created_by, disabledAtMs: r.disabled_at,
  lastLoginAtMs: r.last_login_at,
});

const toSession = (r: Selectable<ConsoleSessionsTable>): ConsoleSessionRecord => ({
  id: r.id, userId: r.user_id, apiKeyId: r.api_key_id, stage: r.stage as SessionStage, csrfToken: r.csrf_token, createdAtMs: r.created_at,
  lastUsedAtMs: r.last_used_at, userAgent: r.user_agent, address: r.address,
});

const toProvider = (r: Selectable<SsoProvidersTable>): SsoProvider => ({
  id: r.id, companyId: r.company_id, name: r.name, issuer: r.issuer, clientId: r.client_id, clientSecret: r.client_secret, claim: r.claim,
  mappings: JSON.parse(r.mappings) as SsoMapping[], createdAtMs: r.created_at, updatedAtMs: r.updated_at, disabledAtMs: r.disabled_at,
});

export function sqlUserStore(ctx: SqlContext): UserStore {
  const one = (column: 'id' | 'email', value: string) => statement(ctx, async (db) => {
    const r = await db.selectFrom('admin_users').selectAll().where(column, '=', value).executeTakeFirst();
    return r ? toUser(r) : null;
  });
  return {
    countActiveUsers: () => statement(ctx, async (db) =>
      Number((await db.selectFrom('admin_users').select((eb) => eb.fn.countAll<number>().as('n')).where('disabled_at', 'is', null).executeTakeFirstOrThrow()).n)),
    createUser: (u: NewAdminUser) => statement(ctx, async (db) => {
      const inserted = await db.insertInto('admin_users').values({
        id: u.id, email: u.email, name: u.name, role: u.role, company_id: u.companyId, password_hash: u.passwordHash, must_change_password: u.mustChangePassword,
        sso_provider_id: u.ssoProviderId, sso_subject: u.ssoSubject, created_at: u.nowMs, created_by: u.createdBy,
      }).onConflict((oc) => oc.doNothing()).executeTakeFirst();
      if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) !== 1) throw new StorageError('conflict', `a user with the e-mail address ${u.email} already exists`);
    }),
    getUser: (id: string) => one('id', id),
    findUserByEmail: (email: string) => one('email', email.trim().toLowerCase()),
    findUserBySso: (providerId: string, subject: string) => statement(ctx, async (db) => {
      const r = await db.selectFrom('admin_users').selectAll().where('sso_provider_id', '=', providerId).where('sso_subject', '=', subject).executeTakeFirst();
      return r ? toUser(r) : null;
    }),
    userSecrets: (id: string) => statement(ctx, async (db): Promise<AdminUserSecrets | null> => {
      const r = await db.selectFrom('admin_users').select(['password_hash', 'totp_secret', 'recovery_codes']).where('id', '=', id).executeTakeFirst();
      return r ? { passwordHash: r.password_hash, totpSecret: r.totp_secret, recoveryCodeHashes: JSON.parse(r.recovery_codes) as string[] } : null;
    }),
    listUsers: (companyIds: readonly string[] | null) => statement(ctx, async (db) =>
      (await db.selectFrom('admin_users').selectAll().$call(inScope(ctx, 'company_id', companyIds)).orderBy('email').execute()).map(toUser)),
    updateUser: (id: string, p: AdminUserPatch) => statement(ctx, async (db) => {
      const set: Record<string, unknown> = {};
      if (p.name !== undefined) set.name = p.name;
      if (p.role !== undefined) set.role = p.role;
      if (p.companyId !== undefined) set.company_id = p.companyId;
      if (p.disabledAtMs !== undefined) set.disabled_at = p.disabledAtMs;
      if (p.passwordHash !== undefined) set.password_hash = p.passwordHash;
      if (p.mustChangePassword !== undefined) set.must_change_password = p.mustChangePassword;
      if (p.totpSecret !== undefined) set.totp_secret = p.totpSecret;
      if (p.totpEnabledAtMs !== undefined) set.totp_enabled_at = p.totpEnabledAtMs;
      if (p.recoveryCodeHashes !== undefined) set.recovery_codes = JSON.stringify(p.recoveryCodeHashes);
      if (p.failedLogins !== undefined) set.failed_logins = p.failedLogins;
      if (p.lockedUntilMs !== undefined) set.locked_until = p.lockedUntilMs;
      if (p.lastLoginAtMs !== undefined) set.last_login_at = p.lastLoginAtMs;
      if (Object.keys(set).length === 0) return (await db.selectFrom('admin_users').select('id').where('id', '=', id).executeTakeFirst()) !== undefined;
      return (await db.updateTable('admin_users').set(set).where('id', '=', id).executeTakeFirst()).numUpdatedRows === 1n;
    }),
    recordLoginFailure: (id: string, nowMs: number, policy: { maxFailures: number; lockMs: number }) => statement(ctx, async (db) => {
      // One statement: two collectors counting failures of the same user at once both count.
      const r = await db.updateTable('admin_users')
        .set((eb) => ({
          failed_logins: eb('failed_logins', '+', 1),
          locked_until: eb.case().when('failed_logins', '>=', policy.maxFailures - 1).then(nowMs + policy.lockMs).else(eb.ref('locked_until')).end(),
        }))
        .where('id', '=', id).returning(['failed_logins', 'locked_until']).executeTakeFirst();
      return { failedLogins: r?.failed_logins ?? 0, lockedUntilMs: r?.locked_until ?? null };
    }),
    useRecoveryCode: (id: string, codeHash: string) => writing(ctx, async (db) => {
      const r = await ctx.dialect.forUpdate(db.selectFrom('admin_users').select('recovery_codes').where('id', '=', id)).executeTakeFirst();
      if (!r) return false;
      const codes = JSON.parse(r.recovery_codes) as string[];
      if (!codes.includes(codeHash)) return false;
      await db.updateTable('admin_users').set({ recovery_codes: JSON.stringify(codes.filter((c) => c !== codeHash)) }).where('id', '=', id).execute();
      return true;
    }),
    getSetting: (name: string) => statement(ctx, async (db) =>
      (await db.selectFrom('auth_settings').select('value').where('name', '=', name).executeTakeFirst())?.value ?? null),
    setSetting: (name: string, value: string) => statement(ctx, async (db) => {
      await db.insertInto('auth_settings').values({ name, value }).onConflict((oc) => oc.column('name').doUpdateSet({ value })).execute();
    }),
    createSsoProvider: (p: Omit<SsoProvider, 'updatedAtMs' | 'disabledAtMs'>) => statement(ctx, async (db) => {
      await db.insertInto('sso_providers').values({
        id: p.id, company_id: p.companyId, name: p.name, issuer: p.issuer, client_id: p.clientId, client_secret: p.clientSecret, claim: p.claim,
        mappings: JSON.stringify(p.mappings), created_at: p.createdAtMs, updated_at: p.createdAtMs,
      }).execute();
    }),
    updateSsoProvider: (id, p, nowMs) => statement(ctx, async (db) => {
      const set: Record<string, unknown> = { updated_at: nowMs };
      if (p.name !== undefined) set.name = p.name;
      if (p.issuer !== undefined) set.issuer = p.issuer;
      if (p.clientId !== undefined) set.client_id = p.clientId;
      if (p.clientSecret !== undefined) set.client_secret = p.clientSecret;
      if (p.claim !== undefined) set.claim = p.claim;
      if (p.mappings !== undefined) set.mappings = JSON.stringify(p.mappings);
      if (p.disabledAtMs !== undefined) set.disabled_at = p.disabledAtMs;
      return (await db.updateTable('sso_providers').set(set).where('id', '=', id).executeTakeFirst()).numUpdatedRows === 1n;
    }),
    getSsoProvider: (id: string) => statement(ctx, async (db) => {
      const r = await db.selectFrom('sso_providers').selectAll().where('id', '=', id).executeTakeFirst();
      return r ? toProvider(r) : null;
    }),
    listSsoProviders: (companyIds: readonly string[] | null) => statement(ctx, async (db) =>
      (await db.selectFrom('sso_providers').selectAll().$call(inScope(ctx, 'company_id', companyIds)).orderBy('created_at').orderBy('id').execute()).map(toProvider)),
  };
}

export function sqlSessionStore(ctx: SqlContext): SessionStore {
  return {
    createSession: (s) => writing(ctx, async (db) => {
      const owner = s.userId !== null ? { column: 'user_id' as const, id: s.userId } : { column: 'api_key_id' as const, id: s.apiKeyId! };
      // One owner's sign-ins at a time, so two collectors never both keep the limit's last place.
      await ctx.dialect.serialize(db, `tally.sessions:${owner.column}:${owner.id}`);
      await db.insertInto('console_sessions').values({
        id: s.id, token_hash: s.tokenHash, user_id: s.userId, api_key_id: s.apiKeyId, stage: s.stage, csrf_token: s.csrfToken, created_at: s.createdAtMs,
        last_used_at: s.lastUsedAtMs, user_agent: s.userAgent, address: s.address,
      }).execute();
      const mine = await db.selectFrom('console_sessions').select('id').where(owner.column, '=', owner.id)
        .orderBy('created_at', 'desc').orderBy('id', 'desc').execute();
      const surplus = mine.slice(Math.max(1, s.maxPerOwner)).map((r) => r.id).filter((id) => id !== s.id);
      if (surplus.length) await db.deleteFrom('console_sessions').where(ctx.dialect.inList('id', surplus)).execute();
      return surplus.length;
    }),
    findSession: (tokenHash: string) => statement(ctx, async (db) => {
      const r = await db.selectFrom('console_sessions').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
      return r ? toSession(r) : null;
    }),
    touchSession: (id: string, nowMs: number, stage?: SessionStage) => statement(ctx, async (db) => {
      await db.updateTable('console_sessions').set({ last_used_at: nowMs, ...(stage ? { stage } : {}) }).where('id', '=', id).execute();
    }),
    deleteSession: (id: string) => statement(ctx, async (db) => {
      await db.deleteFrom('console_sessions').where('id', '=', id).execute();
    }),
    deleteSessionsOf: (owner, keep = null) => statement(ctx, async (db) => {
      const q = 'userId' in owner
        ? db.deleteFrom('console_sessions').where('user_id', '=', owner.userId)
        : db.deleteFrom('console_sessions').where('api_key_id', '=', owner.apiKeyId);
      return Number((await q.$if(keep !== null, (x) => x.where('id', '<>', keep!)).executeTakeFirst()).numDeletedRows);
    }),
    listSessions: (userId: string) => statement(ctx, async (db) =>
      (await db.selectFrom('console_sessions').selectAll().where('user_id', '=', userId).orderBy('created_at', 'desc').execute()).map(toSession)),
    sweep: (idleBefore: number, createdBefore: number, ssoBefore: number) => statement(ctx, async (db) => {
      const r = await db.deleteFrom('console_sessions').where((eb) => eb.or([eb('last_used_at', '<', idleBefore), eb('created_at', '<', createdBefore)])).executeTakeFirst();
      await db.deleteFrom('sso_logins').where('created_at', '<', ssoBefore).execute();
      return Number(r.numDeletedRows);
    }),
    saveSsoLogin: (s: SsoLoginState) => statement(ctx, async (db) => {
      await db.insertInto('sso_logins').values({ state: s.state, provider_id: s.providerId, code_verifier: s.codeVerifier, nonce: s.nonce, next: s.next, created_at: s.createdAtMs })
        .execute();
    }),
    takeSsoLogin: (state: string) => statement(ctx, async (db) => {
      // DELETE ... RETURNING: of two callbacks with one state, only one gets it.
      const r = await db.deleteFrom('sso_logins').where('state', '=', state).returningAll().executeTakeFirst();
      return r ? { state: r.state, providerId: r.provider_id, codeVerifier: r.code_verifier, nonce: r.nonce, next: r.next, createdAtMs: r.created_at } : null;
    }),
  };
}
