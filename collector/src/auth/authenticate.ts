// The one authentication boundary: a credential in, a principal out, or a
// TallyError (unauthorized, forbidden). REST, JSON-RPC and the console call
// these and nothing else. Credentials: an API key (integrations), or a
// console session (a user, or during bootstrap an API key), turned into a
// principal here on every request, so a disabled user, a revoked key or an
// inactive company stops working at once.
import { TallyError } from '../errors.ts';
import type { AdminReadStore, AdminUser, AdminWriteStore, ApiKeyRecord, ConsoleSessionRecord, UserStore } from '../storage/types.ts';
import type { Principal } from './principal.ts';
import { roleCovers, type Role } from './roles.ts';
import { Scope } from './scope.ts';
import { hashSecret, looksLikeSecret } from './secrets.ts';

export type AuthStores = {
  adminRead: Pick<AdminReadStore, 'listCompanies'>;
  adminWrite: Pick<AdminWriteStore, 'findApiKey'>;
  users: Pick<UserStore, 'getUser'>;
};

/**
 * The API key in an Authorization header: `Bearer <key>`, or HTTP Basic with
 * the key as user name and an empty password (what GravityZone-style
 * integrations send, also to the download links the partner API hands out).
 */
export function apiKeyFromHeader(authorization: string | undefined): string | null {
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  if (bearer) return looksLikeSecret('api_key', bearer[1]) ? bearer[1] : null;
  const basic = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(authorization ?? '');
  if (!basic) return null;
  const user = Buffer.from(basic[1], 'base64').toString('utf8').split(':')[0];
  return looksLikeSecret('api_key', user) ? user : null;
}

/** The hash an API key is stored under, or null when the text cannot be a key. */
export const apiKeyHash = (secret: string | null | undefined): string | null =>
  secret && looksLikeSecret('api_key', secret.trim()) ? hashSecret(secret.trim()) : null;

/** A key's role: its own, or for keys from before roles owner (auditor when read-only). */
export const keyRole = (key: Pick<ApiKeyRecord, 'role' | 'readOnly'>): Role => key.role ?? (key.readOnly ? 'auditor' : 'owner');

export function keyPrincipal(key: ApiKeyRecord, scope: Scope): Principal {
  return {
    actor: `api-key:${key.id}`, kind: 'api_key', keyId: key.id, userId: key.createdByUserId, role: keyRole(key), scope,
    label: key.label || key.id.slice(0, 8),
  };
}

export function userPrincipal(user: AdminUser, scope: Scope): Principal {
  return { actor: `user:${user.id}`, kind: 'user', keyId: null, userId: user.id, role: user.role, scope, label: user.name || user.email };
}

/** Whether `scope` (a user's) contains the company (null: the installation). */
const scopeContains = (scope: Scope, companyId: string | null): boolean => (companyId === null ? scope.isInstallation : scope.canSee(companyId));

/**
 * The principal of a stored API key (by its hash). Unknown or revoked:
 * unauthorized. The key's company, or one above it, inactive: forbidden
 * ("The customer will not be able to login to the service", seed 000).
 * A key created by a user never does more than that user may today: it
 * stops working when its creator is disabled, loses the role it handed out,
 * or no longer sees the key's company.
 */
export async function authenticateApiKey(stores: AuthStores, keyHash: string | null): Promise<Principal> {
  const key = keyHash ? await stores.adminWrite.findApiKey(keyHash) : null;
  if (!key) throw new TallyError('unauthorized', 'send Authorization: Bearer <API key> (or Basic with the key as user name); create one with `tally-collector apikey create`');
  return principalOfKey(stores, key);
}

async function principalOfKey(stores: AuthStores, key: ApiKeyRecord): Promise<Principal> {
  const companies = await stores.adminRead.listCompanies();
  const scope = Scope.of(companies, key.companyId);
  if (scope.loginRefused) throw new TallyError('forbidden', 'the company this API key belongs to is inactive');
  if (key.createdByUserId !== null) {
    const creator = await stores.users.getUser(key.createdByUserId);
    const creatorScope = creator ? Scope.of(companies, creator.companyId) : null;
    if (!creator || creator.disabledAtMs !== null || !creatorScope || creatorScope.loginRefused) {
      throw new TallyError('forbidden', 'the user who created this API key is disabled or no longer exists');
    }
    if (!roleCovers(creator.role, keyRole(key)) || !scopeContains(creatorScope, key.companyId)) {
      throw new TallyError('forbidden', "this API key's role or scope is larger than its creator's today");
    }
  }
  return keyPrincipal(key, scope);
}

/** The principal of a signed-in user: disabled or gone is unauthorized; an inactive company forbidden. */
export async function authenticateUser(stores: Pick<AuthStores, 'adminRead' | 'users'>, userId: string): Promise<{ user: AdminUser; principal: Principal }> {
  const user = await stores.users.getUser(userId);
  if (!user || user.disabledAtMs !== null) throw new TallyError('unauthorized', 'this user is disabled or no longer exists');
  const scope = await Scope.load(stores.adminRead, user.companyId);
  if (scope.loginRefused) throw new TallyError('forbidden', 'the company this user belongs to is inactive');
  return { user, principal: userPrincipal(user, scope) };
}

/**
 * The principal of a console session: its user's, or (sessions opened with
 * an API key while no user existed) the key's, authenticated again by its id.
 */
export async function authenticateSession(
  stores: AuthStores & { adminWrite: Pick<AdminWriteStore, 'getApiKey'>; users: Pick<UserStore, 'getUser' | 'countActiveUsers'> }, session: ConsoleSessionRecord,
): Promise<Principal> {
  if (session.userId !== null) return (await authenticateUser(stores, session.userId)).principal;
  const key = session.apiKeyId ? await stores.adminWrite.getApiKey(session.apiKeyId) : null;
  if (!key) throw new TallyError('unauthorized', 'the API key of this session was revoked');
  // Signing in to the console with a key is for bootstrap only: once a person exists, people sign in.
  if (await stores.users.countActiveUsers() > 0) throw new TallyError('unauthorized', 'the console takes API keys only until the first user exists; sign in as a user');
  return principalOfKey(stores, key);
}
