// Single sign-on with OpenID Connect: the authorization code flow with PKCE
// (S256), state and nonce, through openid-client (discovery, the token
// request, ID token validation: signature against the provider's JWKS,
// issuer, audience, expiry, nonce). Nothing of the protocol is written here.
//
// The sign-in under way (state, PKCE verifier, nonce) is kept in the
// database, so the provider's redirect may land on any collector; a state
// works once. The provider's ID token carries a claim (provider.claim: a
// string or a list of strings); the first mapping whose value it holds gives
// the user's role and scope. No mapping: the person is refused. A person
// signing in for the first time is created then (just in time); later
// sign-ins bring their role and scope up to date with the claim.
import { randomUUID } from 'node:crypto';
import * as oidc from 'openid-client';
import { TallyError } from '../errors.ts';
import { PUBLIC_INTERNET_ONLY, type OutboundPolicy } from '../outbound.ts';
import type { AdminReadStore, AdminUser, SsoMapping, SsoProvider } from '../storage/types.ts';
import { Scope } from './scope.ts';
import { auditSignIn, startSession, type RequestMeta, type SignInDeps } from './sign-in.ts';

export const SSO_CALLBACK_PATH = '/console/sso/callback';

/** How long a sign-in at the provider may take. */
export const SSO_LOGIN_MAX_MS = 10 * 60_000;

const LOOPBACK_HTTP = /^http:\/\/(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:\d+)?(\/|$)/;

export interface SsoDeps extends SignInDeps {
  adminRead: Pick<AdminReadStore, 'listCompanies'>;
  /** Which addresses a provider may have (partners configure their own; default: public internet addresses only). */
  outbound?: OutboundPolicy;
}

/** Discovered provider metadata, per provider version (a changed provider is discovered again). */
const configurations = new Map<string, Promise<oidc.Configuration>>();

function configuration(p: SsoProvider, outbound: OutboundPolicy): Promise<oidc.Configuration> {
  const key = `${p.id}:${p.updatedAtMs}:${outbound.allow.join(',')}`;
  let found = configurations.get(key);
  if (!found) {
    // Plain http only for a provider on this machine (tests, a local IdP); the provider's schema refuses it elsewhere.
    const insecure = LOOPBACK_HTTP.test(p.issuer);
    // Discovery, the JWKS and the token request all go through the outbound policy (the configuration keeps the fetch).
    found = oidc.discovery(new URL(p.issuer), p.clientId, p.clientSecret, undefined,
      { [oidc.customFetch]: outbound.fetch as oidc.CustomFetch, ...(insecure ? { execute: [oidc.allowInsecureRequests] } : {}) });
    found.catch(() => configurations.delete(key));
    configurations.set(key, found);
  }
  return found;
}

function unreachable(p: SsoProvider, err: unknown): TallyError {
  // openid-client wraps what failed underneath ("something went wrong"): the cause says why (a refused address, a TLS error).
  const cause = (err as { cause?: unknown }).cause;
  const why = cause instanceof Error && /something went wrong/i.test((err as Error).message) ? cause.message : (err as Error).message;
  return new TallyError('storage_unavailable', `the identity provider ${p.name} could not be reached or answered unexpectedly (${why})`, { cause: err });
}

/** Starts a sign-in: where to send the browser. */
export async function startSsoSignIn(deps: SsoDeps, provider: SsoProvider, origin: string, next: string): Promise<{ url: URL; state: string }> {
  if (provider.disabledAtMs !== null) throw new TallyError('not_found', `single sign-on provider ${provider.id} does not exist`);
  let config: oidc.Configuration;
  try {
    config = await configuration(provider, deps.outbound ?? PUBLIC_INTERNET_ONLY);
  } catch (err) {
    throw unreachable(provider, err);
  }
  const codeVerifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  await deps.storage.sessions.saveSsoLogin({ state, providerId: provider.id, codeVerifier, nonce, next, createdAtMs: deps.now() });
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: origin + SSO_CALLBACK_PATH, scope: 'openid email profile', response_type: 'code',
    code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier), code_challenge_method: 'S256', state, nonce,
  });
  return { url, state };
}

/** The values of the mapped claim: a string, or a list of strings (e.g. groups). */
export function claimValues(claims: Record<string, unknown>, claim: string): string[] {
  const v = claims[claim];
  if (typeof v === 'string') return [v];
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

/** The first mapping the claim holds, with the scope it gives; null: the person has no place in Tally. */
export function mappingFor(provider: Pick<SsoProvider, 'claim' | 'mappings' | 'companyId'>, claims: Record<string, unknown>): (SsoMapping & { companyId: string | null }) | null {
  const values = new Set(claimValues(claims, provider.claim));
  const m = provider.mappings.find((x) => values.has(x.value));
  return m ? { ...m, companyId: m.companyId ?? provider.companyId } : null;
}

/**
 * The provider's redirect back: checks state, exchanges the code (PKCE),
 * validates the ID token, maps the claim, creates or updates the user, and
 * opens an active session. Refusals are forbidden with a sentence for the
 * person; a failed exchange is unauthorized.
 */
export async function finishSsoSignIn(deps: SsoDeps, callbackUrl: URL, meta: RequestMeta): Promise<{ token: string; user: AdminUser; next: string }> {
  const state = callbackUrl.searchParams.get('state') ?? '';
  const pending = state ? await deps.storage.sessions.takeSsoLogin(state.slice(0, 200)) : null;
  if (!pending || deps.now() - pending.createdAtMs > SSO_LOGIN_MAX_MS) throw new TallyError('unauthorized', 'this sign-in expired or was already used; start again');
  const provider = await deps.storage.users.getSsoProvider(pending.providerId);
  if (!provider || provider.disabledAtMs !== null) throw new TallyError('unauthorized', 'this single sign-on provider is no longer configured');
  if (callbackUrl.searchParams.has('error')) {
    throw new TallyError('unauthorized', `the identity provider did not sign you in: ${callbackUrl.searchParams.get('error_description') || callbackUrl.searchParams.get('error')}`);
  }
  let claims: Record<string, unknown>;
  try {
    const config = await configuration(provider, deps.outbound ?? PUBLIC_INTERNET_ONLY);
    const tokens = await oidc.authorizationCodeGrant(config, callbackUrl, { pkceCodeVerifier: pending.codeVerifier, expectedState: pending.state, expectedNonce: pending.nonce, idTokenExpected: true });
    claims = { ...(tokens.claims() ?? {}) };
  } catch (err) {
    throw new TallyError('unauthorized', `the sign-in could not be completed with ${provider.name}: ${(err as Error).message}`, { cause: err });
  }
  const subject = String(claims.sub ?? '');
  const email = typeof claims.email === 'string' ? claims.email.trim().toLowerCase() : '';
  const mapping = mappingFor(provider, claims);
  const name = typeof claims.name === 'string' && claims.name.trim() ? claims.name.trim().slice(0, 200) : email;
  const refuse = async (reason: string, userId?: string) => {
    await deps.storage.audit.append({
      atMs: deps.now(), actor: `sso:${provider.id}`, userId: userId ?? null, action: 'session.sso_refused', targetType: 'sso_provider', targetId: provider.id,
      companyId: provider.companyId, details: { subject, email, reason, address: meta.address },
    });
    return new TallyError('forbidden', reason);
  };
  if (!mapping) throw await refuse(`${email || 'this account'} has no role in Tally: ${provider.name}'s "${provider.claim}" claim holds none of the values Tally maps to a role. Ask an owner to add one.`);
  const scope = Scope.of(await deps.adminRead.listCompanies(), mapping.companyId);
  if (mapping.companyId !== null && (!scope.companies.has(mapping.companyId) || scope.loginRefused)) throw await refuse('the company this sign-in maps to is inactive or no longer exists');
  let user = await deps.storage.users.findUserBySso(provider.id, subject);
  if (user && user.disabledAtMs !== null) throw await refuse(`${user.email} is disabled in Tally`, user.id);
  if (!user) {
    if (!email) throw await refuse(`${provider.name} sent no e-mail address; Tally needs one to create the user`);
    const id = randomUUID();
    try {
      await deps.storage.users.createUser({
        id, email, name, role: mapping.role, companyId: mapping.companyId, passwordHash: null, mustChangePassword: false, ssoProviderId: provider.id,
        ssoSubject: subject, createdBy: `sso:${provider.id}`, nowMs: deps.now(),
      });
    } catch (err) {
      if ((err as { code?: string }).code === 'conflict') throw await refuse(`a Tally user with the e-mail address ${email} already exists and signs in another way`);
      throw err;
    }
    user = (await deps.storage.users.getUser(id))!;
    await auditSignIn(deps, user, 'user.create', { via: 'sso', provider: provider.id, email, role: mapping.role, companyId: mapping.companyId });
  } else if (user.role !== mapping.role || user.companyId !== mapping.companyId || user.name !== name) {
    // The identity provider is the source of truth for people it signs in: each sign-in applies the claim's role and scope.
    await deps.storage.users.updateUser(user.id, { role: mapping.role, companyId: mapping.companyId, name });
    await auditSignIn(deps, user, 'user.update', { via: 'sso', role: mapping.role, companyId: mapping.companyId });
    user = (await deps.storage.users.getUser(user.id))!;
  }
  const { token } = await startSession(deps, user, 'sso', meta);
  return { token, user, next: pending.next };
}
