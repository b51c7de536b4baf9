// The one authentication boundary: a credential in, a principal out, or a
// TallyError (unauthorized, forbidden). REST, JSON-RPC and the console call
// these and nothing else; the console's session only remembers which key
// signed in, and is turned into a principal here on every request.
import { TallyError } from '../errors.ts';
import type { AdminReadStore, AdminWriteStore, ApiKeyRecord } from '../storage/types.ts';
import type { Principal } from './principal.ts';
import { Scope } from './scope.ts';
import { hashSecret, looksLikeSecret } from './secrets.ts';

export type AuthStores = { adminRead: Pick<AdminReadStore, 'listCompanies'>; adminWrite: Pick<AdminWriteStore, 'findApiKey'> };

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

export function keyPrincipal(key: ApiKeyRecord, scope: Scope): Principal {
  return {
    actor: `api-key:${key.id}`, kind: 'api_key', keyId: key.id, role: key.readOnly ? 'auditor' : 'owner', scope,
    label: key.label || key.id.slice(0, 8),
  };
}

/**
 * The principal of a stored API key (by its hash). Unknown or revoked:
 * unauthorized. The key's company, or one above it, inactive: forbidden
 * ("The customer will not be able to login to the service", seed 000).
 */
export async function authenticateApiKey(stores: AuthStores, keyHash: string | null): Promise<Principal> {
  const key = keyHash ? await stores.adminWrite.findApiKey(keyHash) : null;
  if (!key) throw new TallyError('unauthorized', 'send Authorization: Bearer <API key> (or Basic with the key as user name); create one with `tally-collector apikey create`');
  const scope = await Scope.load(stores.adminRead, key.companyId);
  if (scope.loginRefused) throw new TallyError('forbidden', 'the company this API key belongs to is inactive');
  return keyPrincipal(key, scope);
}
