// The console's public routes: the login page and the steps of signing in.
//
//   GET  /login             e-mail and password; a button per single sign-on provider; an API key only while no user exists
//   POST /login             password (or, bootstrap, API key) -> a session at its next stage
//   GET|POST /login/password   choose a new password (after an owner's reset)
//   GET|POST /login/mfa-setup  set TOTP up (when the installation requires it)
//   GET|POST /login/mfa        a TOTP or recovery code
//   GET  /login/sso/:id     start single sign-on (state in the database and in a cookie of this browser) -> the provider
//   GET  /sso/callback      the provider's redirect back -> an active session
//
// The login forms carry a token paired with a short-lived cookie (login
// CSRF); the steps carry their session's CSRF token.
import type { Context, Hono } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { executeCommand, COMMANDS, type CommandServices } from '../admin/index.ts';
import { apiKeyHash, authenticateApiKey, authenticateUser } from '../auth/authenticate.ts';
import { newToken, sameToken, type ConsoleSessions } from '../auth/sessions.ts';
import { advance, signInWithPassword, twoFactorRequired, verifySecondFactor, type SignInDeps } from '../auth/sign-in.ts';
import { finishSsoSignIn, SSO_CALLBACK_PATH, startSsoSignIn } from '../auth/sso.ts';
import { totpUri } from '../auth/totp.ts';
import { toTallyError, type TallyError } from '../errors.ts';
import type { ConsoleSessionRecord, Storage } from '../storage/types.ts';
import { ContinuePage, LoginPage, MfaPage, MfaSetupPage, PasswordStepPage, RecoveryCodesPage } from './access.tsx';
import { BASE } from './layout.tsx';
import { isHttps, LOGIN_COOKIE, publicOrigin, requestMeta, safeNext, sameOrigin, SESSION_COOKIE, type ConsoleEnv } from './http.ts';

export interface SignInRouteDeps {
  storage: Pick<Storage, 'adminRead' | 'adminWrite' | 'users' | 'sessions' | 'audit'>;
  commands: CommandServices;
  sessions: ConsoleSessions;
  now: () => number;
  html: (c: Context, node: unknown, status?: ContentfulStatusCode) => Response | Promise<Response>;
}

const SSO_COOKIE = 'tally_console_sso';

const STAGE_PATHS = { password: 'password', mfa_setup: 'mfa-setup', mfa: 'mfa', active: null } as const;

export function signInRoutes(app: Hono<ConsoleEnv>, deps: SignInRouteDeps): void {
  const { storage, sessions, html } = deps;
  const signIn: SignInDeps = { storage, sessions, now: deps.now };

  const setSession = (c: Context, token: string) => setCookie(c, SESSION_COOKIE, token, {
    path: BASE, httpOnly: true, sameSite: 'Strict', secure: isHttps(c), maxAge: Math.floor(sessions.policy.maxAgeMs / 1000),
  });

  const loginForm = async (c: Context, status: ContentfulStatusCode, opts: { next?: string; error?: string; notice?: string } = {}) => {
    const token = newToken();
    setCookie(c, LOGIN_COOKIE, token, { path: `${BASE}/login`, httpOnly: true, sameSite: 'Strict', secure: isHttps(c), maxAge: 3600 });
    const [providers, users] = await Promise.all([storage.users.listSsoProviders(null), storage.users.countActiveUsers()]);
    return html(c, <LoginPage csrfToken={token} next={safeNext(opts.next)} error={opts.error} notice={opts.notice}
      providers={providers.filter((p) => p.disabledAtMs === null)} keyLogin={users === 0} />, status);
  };

  /** Where a session at this stage goes next. */
  const stageRedirect = (c: Context, stage: ConsoleSessionRecord['stage'], next: string) =>
    c.redirect(STAGE_PATHS[stage] ? `${BASE}/login/${STAGE_PATHS[stage]}` : safeNext(next), 303);

  const refused = (c: Context, e: TallyError, next?: string) => {
    if (e.code === 'unauthorized') return loginForm(c, 401, { next, error: `${capital(e.message)}.` });
    if (e.code === 'rate_limited') return loginForm(c, 429, { next, error: `${capital(e.message)}.` });
    if (e.code === 'forbidden') return loginForm(c, 403, { next, error: `${capital(e.message)}.` });
    throw e;
  };

  app.get('/login', (c) => loginForm(c, 200, {
    next: c.req.query('next'),
    notice: c.req.query('loggedOut') ? 'You have signed out.' : c.req.query('expired') ? 'Your session ended; sign in again.' : undefined,
  }));

  app.post('/login', async (c) => {
    const body = await c.req.parseBody();
    const next = typeof body.next === 'string' ? body.next : undefined;
    if (!sameOrigin(c) || !sameToken(getCookie(c, LOGIN_COOKIE), typeof body._csrf === 'string' ? body._csrf : null)) {
      return loginForm(c, 403, { next, error: 'The login form expired or came from another site. Try again.' });
    }
    const meta = requestMeta(c);
    // A fresh session on every sign-in (no session fixation); the old one, if any, ends.
    const old = await sessions.resolve(getCookie(c, SESSION_COOKIE));
    if (old) await sessions.end(old.id);
    deleteCookie(c, LOGIN_COOKIE, { path: `${BASE}/login` });
    if (typeof body.key === 'string') {
      // Bootstrap: an API key signs in only while no user exists.
      if (await storage.users.countActiveUsers() > 0) return loginForm(c, 403, { next, error: 'API keys are for integrations: sign in with your e-mail address or single sign-on.' });
      try {
        const principal = await authenticateApiKey(storage, apiKeyHash(body.key));
        const { token } = await sessions.create({ apiKeyId: principal.keyId! }, 'active', meta);
        setSession(c, token);
        return c.redirect(safeNext(next), 303);
      } catch (err) {
        const e = toTallyError(err);
        if (e.code === 'unauthorized') return loginForm(c, 401, { next, error: 'That API key was not accepted. Check it and try again.' });
        if (e.code === 'forbidden') return loginForm(c, 403, { next, error: `${capital(e.message)}.` });
        throw e;
      }
    }
    try {
      const { token, session } = await signInWithPassword(signIn, String(body.email ?? ''), String(body.password ?? ''), meta);
      setSession(c, token);
      return stageRedirect(c, session.stage, next ?? '');
    } catch (err) {
      return refused(c, toTallyError(err), next);
    }
  });

  /** The session of a step: at that stage, with its user's principal; else back to the login page. */
  const stepSession = async (c: Context, stage: ConsoleSessionRecord['stage']) => {
    const session = await sessions.resolve(getCookie(c, SESSION_COOKIE));
    if (!session || session.stage !== stage || !session.userId) return null;
    const { user, principal } = await authenticateUser(storage, session.userId);
    return { session, user, principal };
  };
  const stepCsrf = async (c: Context, session: ConsoleSessionRecord) => {
    const body = await c.req.parseBody();
    return sameOrigin(c) && sameToken(session.csrfToken, typeof body._csrf === 'string' ? body._csrf : null) ? body : null;
  };
  const stepExpired = (c: Context) => loginForm(c, 401, { error: 'This sign-in expired; start again.' });

  app.get('/login/password', async (c) => {
    const step = await stepSession(c, 'password');
    return step ? html(c, <PasswordStepPage csrfToken={step.session.csrfToken} />) : stepExpired(c);
  });
  app.post('/login/password', async (c) => {
    const step = await stepSession(c, 'password');
    const body = step && await stepCsrf(c, step.session);
    if (!step || !body) return stepExpired(c);
    try {
      await executeCommand(COMMANDS.changeOwnPassword, deps.commands, step.principal, {}, { newPassword: String(body.newPassword ?? '') });
    } catch (err) {
      const e = toTallyError(err);
      if (e.code !== 'invalid_request') throw e;
      return html(c, <PasswordStepPage csrfToken={step.session.csrfToken} error={`${capital(e.message.replace(/^newPassword: /, ''))}.`} />, 400);
    }
    return stageRedirect(c, await advance(signIn, step.session, requestMeta(c)), '');
  });

  const setupPage = async (c: Context, step: NonNullable<Awaited<ReturnType<typeof stepSession>>>, error?: string) => {
    // The secret being set up is kept until confirmed, so a reload shows the same one.
    let secret = (await storage.users.userSecrets(step.user.id))?.totpSecret ?? null;
    if (!secret) secret = (await executeCommand(COMMANDS.beginTwoFactor, deps.commands, step.principal, {}, {})).secret;
    return html(c, <MfaSetupPage csrfToken={step.session.csrfToken} secret={secret} uri={totpUri(secret, step.user.email)} error={error}
      required={await twoFactorRequired(storage.users)} />, error ? 400 : 200);
  };
  app.get('/login/mfa-setup', async (c) => {
    const step = await stepSession(c, 'mfa_setup');
    return step ? setupPage(c, step) : stepExpired(c);
  });
  app.post('/login/mfa-setup', async (c) => {
    const step = await stepSession(c, 'mfa_setup');
    const body = step && await stepCsrf(c, step.session);
    if (!step || !body) return stepExpired(c);
    let codes: string[];
    try {
      codes = (await executeCommand(COMMANDS.confirmTwoFactor, deps.commands, step.principal, {}, { code: String(body.code ?? '') })).recoveryCodes;
    } catch (err) {
      const e = toTallyError(err);
      if (e.code !== 'invalid_request') throw e;
      return setupPage(c, step, 'That code is not the one the app shows now. Check the key and the phone\'s clock, and try again.');
    }
    const stage = await advance(signIn, step.session, requestMeta(c));
    return html(c, <RecoveryCodesPage codes={codes} next={STAGE_PATHS[stage] ? `${BASE}/login/${STAGE_PATHS[stage]}` : `${BASE}/overview`} />);
  });

  app.get('/login/mfa', async (c) => {
    const step = await stepSession(c, 'mfa');
    return step ? html(c, <MfaPage csrfToken={step.session.csrfToken} />) : stepExpired(c);
  });
  app.post('/login/mfa', async (c) => {
    const step = await stepSession(c, 'mfa');
    const body = step && await stepCsrf(c, step.session);
    if (!step || !body) return stepExpired(c);
    try {
      await verifySecondFactor(signIn, step.session, String(body.code ?? ''), requestMeta(c));
    } catch (err) {
      const e = toTallyError(err);
      if (e.code === 'unauthorized') return html(c, <MfaPage csrfToken={step.session.csrfToken} error="That code was not accepted. Try the current one." />, 401);
      return refused(c, e);
    }
    return c.redirect(`${BASE}/overview`, 303);
  });

  // Starts single sign-on. The state goes into the database (any collector may get the callback) AND into a
  // cookie of this browser, checked at the callback: a callback link made for someone else's sign-in (login CSRF)
  // signs nobody in. SameSite=Lax: the provider's redirect back is a top-level navigation from another site.
  app.get('/login/sso/:id', async (c) => {
    const next = c.req.query('next');
    const provider = await storage.users.getSsoProvider(c.req.param('id').slice(0, 64));
    if (!provider || provider.disabledAtMs !== null) return loginForm(c, 404, { next, error: 'That single sign-on provider is not configured.' });
    try {
      const { url, state } = await startSsoSignIn({ ...signIn, adminRead: storage.adminRead, outbound: deps.commands.outbound }, provider, publicOrigin(c), safeNext(next));
      setCookie(c, SSO_COOKIE, state, { path: SSO_CALLBACK_PATH, httpOnly: true, sameSite: 'Lax', secure: isHttps(c), maxAge: 600 });
      return c.redirect(url.href, 303);
    } catch (err) {
      const e = toTallyError(err);
      if (e.code === 'storage_unavailable' && e.message.includes('identity provider')) return loginForm(c, 502, { next, error: `${capital(e.message)}.` });
      throw e;
    }
  });

  app.get(SSO_CALLBACK_PATH.slice(BASE.length), async (c) => {
    // The URL as the provider was told it (the redirect URI), whatever proxy is in front.
    const url = new URL(c.req.url);
    const callback = new URL(publicOrigin(c) + url.pathname + url.search);
    const mine = sameToken(getCookie(c, SSO_COOKIE), url.searchParams.get('state'));
    deleteCookie(c, SSO_COOKIE, { path: SSO_CALLBACK_PATH });
    if (!mine) return loginForm(c, 401, { error: 'This sign-in was not started in this browser. Start again.' });
    try {
      const { token, user, next } = await finishSsoSignIn({ ...signIn, adminRead: storage.adminRead, outbound: deps.commands.outbound }, callback, requestMeta(c));
      setSession(c, token);
      return html(c, <ContinuePage next={safeNext(next)} name={user.name} />);
    } catch (err) {
      return refused(c, toTallyError(err));
    }
  });
}

/** A message as a sentence: a capital first letter (unless it starts with an address) and one full stop. */
const capital = (s: string) => (/^\S+@/.test(s) ? s : s.charAt(0).toUpperCase() + s.slice(1)).replace(/\.+$/, '');
