// The console's pages on who has access (after the session middleware):
//
//   GET  /account                 one's own account: password, two-factor, where one is signed in
//   GET|POST /account/two-factor  set TOTP up (a new secret; confirmed with a code; recovery codes shown once)
//   GET  /users                   admin users (users.read), with forms for owners
//   GET  /keys                    API keys (read), with forms for owners
//   GET  /sign-in                 single sign-on providers and sign-in settings (users.read)
//
// The forms on these pages are console actions (actions.ts) that run the
// admin commands; a page shows a form only where its command is allowed.
import type { Context, Hono } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { COMMANDS, executeCommand, type CommandServices } from '../admin/index.ts';
import { keyRole } from '../auth/authenticate.ts';
import { requirePermission } from '../auth/principal.ts';
import { ROLES, ROLE_LABELS, roleCovers } from '../auth/roles.ts';
import type { Scope } from '../auth/scope.ts';
import type { ConsoleSessions } from '../auth/sessions.ts';
import { SSO_CALLBACK_PATH } from '../auth/sso.ts';
import { twoFactorRequired } from '../auth/sign-in.ts';
import { totpUri } from '../auth/totp.ts';
import { forbidden, toTallyError } from '../errors.ts';
import type { Storage } from '../storage/types.ts';
import { AccountPage, KeysPage, MfaSetupPage, RecoveryCodesPage, SsoPage, UsersPage, type ScopeChoice } from './access.tsx';
import { publicOrigin, type ConsoleEnv } from './http.ts';
import { BASE } from './layout.tsx';

export interface AccessRouteDeps {
  storage: Pick<Storage, 'adminRead' | 'adminWrite' | 'users' | 'sessions'>;
  commands: CommandServices;
  sessions: ConsoleSessions;
  html: (c: Context, node: unknown, status?: ContentfulStatusCode) => Response | Promise<Response>;
}

/** The scopes a principal may hand out: the installation (installation principals only), then the companies it sees. */
function scopeChoices(scope: Scope): ScopeChoice[] {
  return [
    ...(scope.isInstallation ? [{ id: '', label: 'Installation (every company)' }] : []),
    ...scope.visibleCompanies().map((co) => ({ id: co.id, label: `${'— '.repeat(Math.max(0, co.path.length - 1))}${co.name} (${co.type})` })),
  ];
}

const names = (scope: Scope) => new Map(scope.visibleCompanies().map((co) => [co.id, co.name]));

export function accessPages(app: Hono<ConsoleEnv>, deps: AccessRouteDeps): void {
  const { storage, html } = deps;

  const me = (c: Context<ConsoleEnv>) => {
    const p = c.get('principal');
    if (p.kind !== 'user' || !p.userId) throw forbidden('only a signed-in user has an account page (this session was opened with an API key)');
    return p;
  };

  app.get('/account', async (c) => {
    const principal = me(c);
    const user = (await storage.users.getUser(principal.userId!))!;
    const scope = c.get('scope');
    const scopeLabel = user.companyId === null ? 'the whole installation' : `${scope.companies.get(user.companyId)?.name ?? user.companyId} and everything below it`;
    return html(c, <AccountPage viewer={c.get('viewer')} user={user} sessions={await deps.sessions.list(user.id)} currentSessionId={c.get('session').id} scopeLabel={scopeLabel} />);
  });

  const setupPage = async (c: Context<ConsoleEnv>, error?: string) => {
    const principal = me(c);
    const user = (await storage.users.getUser(principal.userId!))!;
    if (user.totpEnabled) return c.redirect(`${BASE}/account`, 303);
    let secret = (await storage.users.userSecrets(user.id))?.totpSecret ?? null;
    if (!secret) secret = (await executeCommand(COMMANDS.beginTwoFactor, deps.commands, principal, {}, {})).secret;
    return html(c, <MfaSetupPage csrfToken={c.get('session').csrfToken} secret={secret} uri={totpUri(secret, user.email)} error={error}
      required={await twoFactorRequired(storage.users)} action={`${BASE}/account/two-factor`} />, error ? 400 : 200);
  };
  app.get('/account/two-factor', (c) => setupPage(c));
  app.post('/account/two-factor', async (c) => {
    const body = await c.req.parseBody();
    try {
      const { recoveryCodes } = await executeCommand(COMMANDS.confirmTwoFactor, deps.commands, me(c), {}, { code: String(body.code ?? '') });
      return html(c, <RecoveryCodesPage codes={recoveryCodes} next={`${BASE}/account`} viewer={c.get('viewer')} />);
    } catch (err) {
      const e = toTallyError(err);
      if (e.code !== 'invalid_request') throw e;
      return setupPage(c, 'That code is not the one the app shows now. Check the key and the phone\'s clock, and try again.');
    }
  });

  app.get('/users', async (c) => {
    const principal = c.get('principal');
    requirePermission(principal, 'users.read');
    const scope = c.get('scope');
    return html(c, <UsersPage viewer={c.get('viewer')} users={await storage.users.listUsers(scope.companyIds())} scopeNames={names(scope)}
      choices={scopeChoices(scope)} grantable={ROLES.filter((r) => roleCovers(principal.role, r))} />);
  });

  app.get('/keys', async (c) => {
    const principal = c.get('principal');
    requirePermission(principal, 'read');
    const scope = c.get('scope');
    const keys = await storage.adminWrite.listApiKeys(scope.companyIds());
    const creators = new Map<string, string>();
    for (const id of new Set(keys.map((k) => k.createdByUserId).filter((x): x is string => x !== null))) {
      const u = await storage.users.getUser(id);
      if (u) creators.set(id, u.name || u.email);
    }
    return html(c, <KeysPage viewer={c.get('viewer')} keys={keys.map((k) => ({ ...k, roleLabel: ROLE_LABELS[keyRole(k)] }))} scopeNames={names(scope)}
      choices={scopeChoices(scope)} grantable={ROLES.filter((r) => roleCovers(principal.role, r))} creators={creators} />);
  });

  app.get('/sign-in', async (c) => {
    const principal = c.get('principal');
    requirePermission(principal, 'users.read');
    const scope = c.get('scope');
    const providers = (await storage.users.listSsoProviders(scope.companyIds())).filter((p) => p.companyId !== null || scope.isInstallation);
    return html(c, <SsoPage viewer={c.get('viewer')} providers={providers} scopeNames={names(scope)} choices={scopeChoices(scope)}
      grantable={ROLES.filter((r) => roleCovers(principal.role, r))} twoFactorRequired={await twoFactorRequired(storage.users)}
      callbackUrl={publicOrigin(c) + SSO_CALLBACK_PATH} />);
  });
}
