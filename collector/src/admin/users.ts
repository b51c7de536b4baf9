// Commands on who has access: admin users (people), their passwords, second
// factor and sessions, single sign-on providers, and the installation's
// sign-in settings. A principal only hands out what it has: a role its own
// covers (roleCovers), inside its own scope. Users out of scope answer
// not_found like users that do not exist. Passwords, TOTP secrets and client
// secrets never reach an audit entry.
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Principal } from '../auth/principal.ts';
import { checkPasswordRule, hashPassword, temporaryPassword, verifyPassword } from '../auth/passwords.ts';
import { ROLES, roleCovers, type Role } from '../auth/roles.ts';
import { TWO_FACTOR_REQUIRED_SETTING } from '../auth/sign-in.ts';
import { newRecoveryCodes, newTotpSecret, recoveryCodeHash, totpUri, verifyTotp } from '../auth/totp.ts';
import { forbidden, invalid, TallyError } from '../errors.ts';
import type { AdminStores, AdminUser, SsoMapping } from '../storage/types.ts';
import { defineCommand } from './command.ts';
import { idParam, nameParam, nothing } from './schemas.ts';


const email = z.string().trim().toLowerCase().max(254).regex(/^[^\s@]+@[^\s@]+\.[^\s@]+$/, 'expected an e-mail address');
const role = z.enum(ROLES);
const password = z.string().max(1024);
const userTarget = z.object({ userId: idParam }).strict();

const userNotFound = (id: string) => new TallyError('not_found', `user ${id} does not exist`, { field: 'userId' });

/** The user, if the principal's scope holds it (installation users: installation principals only); not_found otherwise. */
export async function visibleUser(stores: Pick<AdminStores, 'users'>, principal: Principal, userId: string): Promise<AdminUser> {
  const user = await stores.users.getUser(userId);
  const visible = user && (user.companyId === null ? principal.scope.isInstallation : principal.scope.canSee(user.companyId));
  if (!user || !visible) throw userNotFound(userId);
  return user;
}

/** A principal hands out only a role its own covers, for a company in its scope (null: the installation, for installation principals). */
function mayGrant(principal: Principal, granted: Role, companyId: string | null, field = 'companyId'): void {
  if (companyId === null) principal.scope.requireInstallation('an installation-wide user');
  else principal.scope.company(companyId, field);
  if (!roleCovers(principal.role, granted)) throw forbidden(`the ${principal.role.replace('_', ' ')} role cannot hand out the ${granted.replace('_', ' ')} role`);
}

/** The person acting, for commands on one's own account (never an API key). */
async function self(stores: Pick<AdminStores, 'users'>, principal: Principal): Promise<AdminUser> {
  if (principal.kind !== 'user' || !principal.userId) throw forbidden('only a signed-in user has an account to change');
  const user = await stores.users.getUser(principal.userId);
  if (!user) throw new TallyError('unauthorized', 'this user no longer exists');
  return user;
}

const publicUser = (u: AdminUser) => ({
  id: u.id, email: u.email, name: u.name, role: u.role, companyId: u.companyId, local: u.hasPassword, sso: u.ssoProviderId !== null,
  twoFactor: u.totpEnabled, disabled: u.disabledAtMs !== null,
});

export const CreateUserInput = z.object({
  email,
  name: nameParam,
  role,
  /** null: the whole installation (installation principals only). */
  companyId: idParam.nullable().default(null),
  /** Omitted: a temporary password is made and shown once; the user sets their own at the first sign-in. */
  password: password.optional(),
}).strict();

export const createUser = defineCommand({
  name: 'user.create',
  summary: 'Create an admin user (a person) with a role in a scope; a temporary password is shown once',
  permission: 'users.write',
  target: nothing,
  input: CreateUserInput,
  async run({ principal, stores, nowMs }, _t, input) {
    mayGrant(principal, input.role, input.companyId);
    if (input.password !== undefined) checkPasswordRule(input.password);
    const given = input.password ?? temporaryPassword();
    const id = randomUUID();
    await stores.users.createUser({
      id, email: input.email, name: input.name, role: input.role, companyId: input.companyId, passwordHash: await hashPassword(given),
      mustChangePassword: input.password === undefined, ssoProviderId: null, ssoSubject: null, createdBy: principal.actor, nowMs,
    });
    const user = (await stores.users.getUser(id))!;
    return {
      result: { ...publicUser(user), ...(input.password === undefined ? { temporaryPassword: given } : {}) },
      audit: { targetType: 'admin_user', targetId: id, companyId: input.companyId, details: { email: input.email, name: input.name, role: input.role } },
    };
  },
});

export const UpdateUserInput = z.object({
  name: nameParam.optional(),
  role: role.optional(),
  companyId: idParam.nullable().optional(),
  /** true: the user can no longer sign in, their sessions and keys stop working; false: enabled again. */
  disabled: z.boolean().optional(),
}).strict();

export const updateUser = defineCommand({
  name: 'user.update',
  summary: "Change a user's name, role or scope, or disable / enable them",
  permission: 'users.write',
  target: userTarget,
  input: UpdateUserInput,
  async run({ principal, stores, nowMs }, { userId }, input) {
    const user = await visibleUser(stores, principal, userId);
    if (userId === principal.userId && (input.role !== undefined || input.companyId !== undefined || input.disabled !== undefined)) {
      throw forbidden('nobody changes their own role or scope or disables themselves (ask another owner)');
    }
    // The user as they are must be within what the principal may hand out, and so must what they become.
    mayGrant(principal, user.role, user.companyId, 'userId');
    mayGrant(principal, input.role ?? user.role, input.companyId === undefined ? user.companyId : input.companyId);
    await stores.users.updateUser(userId, {
      name: input.name, role: input.role, companyId: input.companyId,
      disabledAtMs: input.disabled === undefined ? undefined : input.disabled ? nowMs : null,
    });
    if (input.disabled === true || input.role !== undefined || input.companyId !== undefined) await stores.sessions.deleteSessionsOf({ userId });
    const updated = (await stores.users.getUser(userId))!;
    const action = input.disabled === true ? 'user.disable' : input.disabled === false ? 'user.enable' : 'user.update';
    return { result: publicUser(updated), audit: { action, targetType: 'admin_user', targetId: userId, companyId: updated.companyId, details: input } };
  },
});

export const resetPassword = defineCommand({
  name: 'user.reset_password',
  summary: "Reset a user's password (a temporary one, shown once, changed at the next sign-in); unlocks them; optionally removes their second factor",
  permission: 'users.write',
  target: userTarget,
  input: z.object({ password: password.optional(), resetTwoFactor: z.boolean().default(false) }).strict(),
  async run({ principal, stores }, { userId }, input) {
    const user = await visibleUser(stores, principal, userId);
    mayGrant(principal, user.role, user.companyId, 'userId');
    if (input.password !== undefined) checkPasswordRule(input.password);
    const given = input.password ?? temporaryPassword();
    await stores.users.updateUser(userId, {
      passwordHash: await hashPassword(given), mustChangePassword: true, failedLogins: 0, lockedUntilMs: null,
      ...(input.resetTwoFactor ? { totpSecret: null, totpEnabledAtMs: null, recoveryCodeHashes: [] } : {}),
    });
    const ended = await stores.sessions.deleteSessionsOf({ userId });
    return {
      result: { id: userId, email: user.email, temporaryPassword: given, sessionsEnded: ended },
      audit: { targetType: 'admin_user', targetId: userId, companyId: user.companyId, details: { resetTwoFactor: input.resetTwoFactor, sessionsEnded: ended } },
    };
  },
});

export const endUserSessions = defineCommand({
  name: 'user.end_sessions',
  summary: "End every console session of a user (sign them out everywhere)",
  permission: 'users.write',
  target: userTarget,
  input: nothing,
  async run({ principal, stores }, { userId }) {
    const user = await visibleUser(stores, principal, userId);
    const ended = await stores.sessions.deleteSessionsOf({ userId });
    return { result: { id: userId, sessionsEnded: ended }, audit: { targetType: 'admin_user', targetId: userId, companyId: user.companyId, details: { sessionsEnded: ended } } };
  },
});

// ------------------------------------------------------------------ one's own account

export const changeOwnPassword = defineCommand({
  name: 'account.change_password',
  summary: 'Change one\'s own password (the current one is needed, except right after a reset)',
  permission: 'account.write',
  target: nothing,
  input: z.object({ currentPassword: password.optional(), newPassword: password }).strict(),
  async run({ principal, stores }, _t, input) {
    const user = await self(stores, principal);
    const secrets = (await stores.users.userSecrets(user.id))!;
    if (!user.mustChangePassword) {
      if (input.currentPassword === undefined || !(await verifyPassword(secrets.passwordHash, input.currentPassword))) {
        throw invalid('currentPassword', 'the current password is not right');
      }
    }
    checkPasswordRule(input.newPassword, 'newPassword');
    if (await verifyPassword(secrets.passwordHash, input.newPassword)) throw invalid('newPassword', 'choose a password other than the current one');
    await stores.users.updateUser(user.id, { passwordHash: await hashPassword(input.newPassword), mustChangePassword: false });
    return { result: { id: user.id }, audit: { targetType: 'admin_user', targetId: user.id, companyId: user.companyId } };
  },
});

export const beginTwoFactor = defineCommand({
  name: 'account.begin_two_factor',
  summary: 'Start setting up TOTP: a new secret to put in an authenticator app (not in force until confirmed with a code)',
  permission: 'account.write',
  target: nothing,
  input: nothing,
  async run({ principal, stores }) {
    const user = await self(stores, principal);
    if (user.totpEnabled) throw new TallyError('conflict', 'two-factor authentication is already on; an owner can reset it');
    const secret = newTotpSecret();
    await stores.users.updateUser(user.id, { totpSecret: secret });
    return { result: { secret, uri: totpUri(secret, user.email) }, audit: { targetType: 'admin_user', targetId: user.id, companyId: user.companyId } };
  },
});

export const confirmTwoFactor = defineCommand({
  name: 'account.enable_two_factor',
  summary: 'Turn TOTP on with a code from the authenticator app; returns ten recovery codes, shown once',
  permission: 'account.write',
  target: nothing,
  input: z.object({ code: z.string().trim().max(20) }).strict(),
  async run({ principal, stores, nowMs }, _t, input) {
    const user = await self(stores, principal);
    if (user.totpEnabled) throw new TallyError('conflict', 'two-factor authentication is already on');
    const secrets = (await stores.users.userSecrets(user.id))!;
    if (!secrets.totpSecret) throw new TallyError('conflict', 'start the setup first: there is no secret to confirm');
    if (!verifyTotp(secrets.totpSecret, input.code, nowMs)) throw invalid('code', 'that code is not the one the authenticator shows now');
    const codes = newRecoveryCodes();
    await stores.users.updateUser(user.id, { totpEnabledAtMs: nowMs, recoveryCodeHashes: codes.map(recoveryCodeHash) });
    return { result: { recoveryCodes: codes }, audit: { targetType: 'admin_user', targetId: user.id, companyId: user.companyId } };
  },
});

export const endOwnSessions = defineCommand({
  name: 'account.end_sessions',
  summary: 'Sign out everywhere: end every console session of one\'s own',
  permission: 'account.write',
  target: nothing,
  input: nothing,
  async run({ principal, stores }) {
    const user = await self(stores, principal);
    const ended = await stores.sessions.deleteSessionsOf({ userId: user.id });
    return { result: { sessionsEnded: ended }, audit: { targetType: 'admin_user', targetId: user.id, companyId: user.companyId, details: { sessionsEnded: ended } } };
  },
});

// ------------------------------------------------------------------ single sign-on and settings

const mapping = z.object({ value: z.string().trim().min(1).max(200), role, companyId: idParam.nullable().default(null) }).strict();
const issuer = z.string().trim().url('expected the issuer URL, e.g. https://login.example.com/tenant/v2.0').max(500)
  .refine((u) => /^https:\/\//.test(u) || /^http:\/\/(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:\d+)?(\/|$)/.test(u), 'the issuer must be https (plain http only on loopback)');

export const SsoProviderInput = z.object({
  name: nameParam,
  issuer,
  clientId: z.string().trim().min(1).max(500),
  clientSecret: z.string().min(1).max(2000),
  /** The ID token claim whose values map to a role (e.g. "groups", "roles"); a string or a list of strings. */
  claim: z.string().trim().min(1).max(100),
  mappings: z.array(mapping).min(1).max(100),
  /** null: for the whole installation (installation principals only); else a partner in scope. */
  companyId: idParam.nullable().default(null),
}).strict();

/** Every mapping grants a role the principal covers, in a company inside the provider's scope. */
function checkMappings(principal: Principal, providerCompanyId: string | null, mappings: readonly SsoMapping[]): void {
  mappings.forEach((m, i) => {
    const companyId = m.companyId ?? providerCompanyId;
    mayGrant(principal, m.role, companyId, `mappings.${i}.companyId`);
    if (providerCompanyId !== null && !principal.scope.companies.get(companyId!)?.path.includes(providerCompanyId)) {
      throw new TallyError('not_found', `company ${companyId} does not exist`, { field: `mappings.${i}.companyId` });
    }
  });
}

const publicProvider = (p: { id: string; companyId: string | null; name: string; issuer: string; clientId: string; claim: string; mappings: SsoMapping[]; disabledAtMs?: number | null }) => ({
  id: p.id, companyId: p.companyId, name: p.name, issuer: p.issuer, clientId: p.clientId, claim: p.claim, mappings: p.mappings, disabled: (p.disabledAtMs ?? null) !== null,
});

export const createSsoProvider = defineCommand({
  name: 'sso_provider.create',
  summary: 'Configure single sign-on with an OpenID Connect provider, for the installation or a partner',
  permission: 'users.write',
  target: nothing,
  input: SsoProviderInput,
  async run({ principal, stores, nowMs }, _t, input) {
    if (input.companyId === null) principal.scope.requireInstallation('single sign-on for the whole installation');
    else if (principal.scope.company(input.companyId).type !== 'partner') throw invalid('companyId', 'single sign-on is configured for the installation or a partner');
    checkMappings(principal, input.companyId, input.mappings);
    const id = randomUUID();
    await stores.users.createSsoProvider({ id, ...input, createdAtMs: nowMs });
    const { clientSecret: _secret, ...shown } = input;
    return { result: publicProvider({ id, ...input }), audit: { targetType: 'sso_provider', targetId: id, companyId: input.companyId, details: shown } };
  },
});

export const updateSsoProvider = defineCommand({
  name: 'sso_provider.update',
  summary: 'Change or disable a single sign-on provider',
  permission: 'users.write',
  target: z.object({ providerId: idParam }).strict(),
  input: SsoProviderInput.omit({ companyId: true }).partial().extend({ disabled: z.boolean().optional() }).strict(),
  async run({ principal, stores, nowMs }, { providerId }, input) {
    const p = await stores.users.getSsoProvider(providerId);
    if (!p || !(p.companyId === null ? principal.scope.isInstallation : principal.scope.canSee(p.companyId))) {
      throw new TallyError('not_found', `single sign-on provider ${providerId} does not exist`, { field: 'providerId' });
    }
    checkMappings(principal, p.companyId, input.mappings ?? p.mappings);
    const { disabled, ...rest } = input;
    await stores.users.updateSsoProvider(providerId, { ...rest, ...(disabled === undefined ? {} : { disabledAtMs: disabled ? nowMs : null }) }, nowMs);
    const { clientSecret: _secret, ...shown } = input;
    return { result: publicProvider((await stores.users.getSsoProvider(providerId))!), audit: { targetType: 'sso_provider', targetId: providerId, companyId: p.companyId, details: shown } };
  },
});

export const setSignInSettings = defineCommand({
  name: 'sign_in_settings.set',
  summary: 'Installation sign-in settings: require two-factor authentication of every local user',
  permission: 'users.write',
  target: nothing,
  input: z.object({ twoFactorRequired: z.boolean() }).strict(),
  async run({ principal, stores }, _t, input) {
    principal.scope.requireInstallation('sign-in settings');
    await stores.users.setSetting(TWO_FACTOR_REQUIRED_SETTING, input.twoFactorRequired ? 'true' : 'false');
    return { result: input, audit: { targetType: 'settings', targetId: 'sign_in', companyId: null, details: input } };
  },
});
