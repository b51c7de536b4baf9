// Pages of signing in and of who has access: the login page (e-mail and
// password, single sign-on buttons, an API key only while no user exists),
// the steps of signing in (new password, TOTP setup, TOTP code), one's own
// account (password, two-factor, sessions), users, API keys, single sign-on
// and the sign-in settings. Pure rendering: the routes gather the data.
import type { FC } from 'hono/jsx';
import { ROLES, ROLE_LABELS, ROLE_SUMMARIES, type Role } from '../auth/roles.ts';
import type { AdminUser, ApiKeyListing, ConsoleSessionRecord, SsoProvider } from '../storage/types.ts';
import { BASE, Layout, type Viewer } from './layout.tsx';
import { ActionForm } from './pages.tsx';

const utc = (ms: number | null | undefined): string => (ms === null || ms === undefined ? '—' : new Date(ms).toISOString().replace('T', ' ').slice(0, 16) + ' UTC');

export interface ScopeChoice {
  /** '' for the installation. */
  id: string;
  label: string;
}

const Alerts: FC<{ error?: string | null; notice?: string | null }> = ({ error, notice }) => (
  <>
    {error ? <p class="alert alert-error" role="alert" id="login-error">{error}</p> : null}
    {notice ? <p class="alert alert-info" role="status" id="login-notice">{notice}</p> : null}
  </>
);

// ------------------------------------------------------------------ login

export const LoginPage: FC<{
  csrfToken: string; next: string; error?: string | null; notice?: string | null; providers: readonly Pick<SsoProvider, 'id' | 'name'>[]; keyLogin: boolean;
}> = ({ csrfToken, next, error, notice, providers, keyLogin }) => (
  <Layout title="Sign in">
    <section class="card login-card" aria-labelledby="login-title">
      <h1 id="login-title">Sign in to the Tally console</h1>
      <Alerts error={error} notice={notice} />
      {providers.length ? (
        <div class="sso-list">
          {/* Links, not forms: the browser goes on to the provider, which CSP form-action 'self' would stop after a form post. */}
          <ul class="button-row">
            {providers.map((p) => (
              <li><a class="button" role="button" href={`${BASE}/login/sso/${encodeURIComponent(p.id)}?next=${encodeURIComponent(next)}`}>Sign in with {p.name}</a></li>
            ))}
          </ul>
          <p class="hint">Or with your Tally e-mail address and password:</p>
        </div>
      ) : null}
      <form method="post" action={`${BASE}/login`} class="stack">
        <input type="hidden" name="_csrf" value={csrfToken} />
        <input type="hidden" name="next" value={next} />
        <label for="email">E-mail address</label>
        <input id="email" name="email" type="email" autocomplete="username" required aria-invalid={error ? 'true' : undefined} />
        <label for="password">Password</label>
        <input id="password" name="password" type="password" autocomplete="current-password" required />
        <button type="submit" class="button">Sign in</button>
      </form>
      {keyLogin ? (
        <details class="key-login" open>
          <summary>First sign-in: use an API key</summary>
          <p>No user exists yet. Sign in with an admin API key (<code>tak_…</code>) to create the first owner under <em>Users</em>, or create one with
            <code>tally-collector user create</code>. Once a user exists the console takes people only; keys stay for integrations.</p>
          <form method="post" action={`${BASE}/login`} class="stack">
            <input type="hidden" name="_csrf" value={csrfToken} />
            <input type="hidden" name="next" value={next} />
            <label for="api-key">API key</label>
            <input id="api-key" name="key" type="password" autocomplete="off" spellcheck={false} required aria-describedby="api-key-hint" />
            <p id="api-key-hint" class="hint">Create one with <code>tally-collector apikey create</code>. The key is not stored in your browser: the console keeps a session for it.</p>
            <button type="submit" class="button">Log in</button>
          </form>
        </details>
      ) : null}
    </section>
  </Layout>
);

const StepForm: FC<{ action: string; csrfToken: string; children?: unknown; button: string }> = ({ action, csrfToken, children, button }) => (
  <form method="post" action={`${BASE}/login/${action}`} class="stack">
    <input type="hidden" name="_csrf" value={csrfToken} />
    {children as never}
    <button type="submit" class="button">{button}</button>
  </form>
);

export const PasswordStepPage: FC<{ csrfToken: string; error?: string | null }> = ({ csrfToken, error }) => (
  <Layout title="Choose a password">
    <section class="card login-card" aria-labelledby="step-title">
      <h1 id="step-title">Choose your own password</h1>
      <p>Your password was set by an owner. Choose one only you know: at least 12 characters.</p>
      <Alerts error={error} />
      <StepForm action="password" csrfToken={csrfToken} button="Save and continue">
        <label for="new-password">New password</label>
        <input id="new-password" name="newPassword" type="password" autocomplete="new-password" minlength={12} required />
      </StepForm>
    </section>
  </Layout>
);

export const MfaSetupPage: FC<{ csrfToken: string; secret: string; uri: string; error?: string | null; required: boolean; action?: string }> = ({ csrfToken, secret, uri, error, required, action }) => (
  <Layout title="Set up two-factor authentication">
    <section class="card login-card" aria-labelledby="step-title">
      <h1 id="step-title">Set up two-factor authentication</h1>
      <p>{required ? 'This installation requires a second factor. ' : ''}Add this key to an authenticator app (Microsoft or Google Authenticator, 1Password, ...), then type the 6-digit code it shows.</p>
      <dl class="facts">
        <dt>Key</dt><dd><code id="totp-secret">{secret}</code></dd>
        <dt>Or as a link</dt><dd><code id="totp-uri">{uri}</code></dd>
      </dl>
      <Alerts error={error} />
      {action ? (
        <form method="post" action={action} class="stack">
          <input type="hidden" name="_csrf" value={csrfToken} />
          <label for="totp-code">Code from the app</label>
          <input id="totp-code" name="code" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9 ]{6,7}" required />
          <button type="submit" class="button">Turn on</button>
        </form>
      ) : (
        <StepForm action="mfa-setup" csrfToken={csrfToken} button="Turn on and continue">
          <label for="totp-code">Code from the app</label>
          <input id="totp-code" name="code" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9 ]{6,7}" required />
        </StepForm>
      )}
    </section>
  </Layout>
);

export const MfaPage: FC<{ csrfToken: string; error?: string | null }> = ({ csrfToken, error }) => (
  <Layout title="Two-factor authentication">
    <section class="card login-card" aria-labelledby="step-title">
      <h1 id="step-title">Two-factor authentication</h1>
      <p>Type the 6-digit code your authenticator app shows, or one of your recovery codes.</p>
      <Alerts error={error} />
      <StepForm action="mfa" csrfToken={csrfToken} button="Verify">
        <label for="mfa-code">Code</label>
        <input id="mfa-code" name="code" autocomplete="one-time-code" required />
      </StepForm>
    </section>
  </Layout>
);

export const RecoveryCodesPage: FC<{ codes: readonly string[]; next: string; viewer?: Viewer | null }> = ({ codes, next, viewer }) => (
  <Layout title="Recovery codes" viewer={viewer}>
    <section class="card login-card" aria-labelledby="codes-title">
      <h1 id="codes-title">Two-factor authentication is on</h1>
      <p>Keep these recovery codes somewhere safe. Each one signs you in once without your phone. They are shown only now.</p>
      <ul class="recovery-codes" id="recovery-codes">{codes.map((c) => <li><code>{c}</code></li>)}</ul>
      <p><a class="button" href={next} id="continue">Continue</a></p>
    </section>
  </Layout>
);

/** After single sign-on: a same-site page that moves on, so the SameSite=Strict session cookie is sent with the next request. */
export const ContinuePage: FC<{ next: string; name: string }> = ({ next, name }) => (
  <html lang="en">
    <head>
      <meta charset="utf-8" />
      <meta http-equiv="refresh" content={`0;url=${next}`} />
      <title>Signed in · Tally console</title>
      <link rel="stylesheet" href={`${BASE}/assets/console.css`} />
    </head>
    <body>
      <main id="main"><p class="card login-card">Signed in as {name}. <a href={next} id="continue">Continue</a></p></main>
    </body>
  </html>
);

// ------------------------------------------------------------------ account

export const AccountPage: FC<{ viewer: Viewer; user: AdminUser; sessions: readonly ConsoleSessionRecord[]; currentSessionId: string; scopeLabel: string }> =
  ({ viewer, user, sessions, currentSessionId, scopeLabel }) => (
    <Layout title="Your account" viewer={viewer} crumbs={[{ label: 'Your account' }]}>
      <h1>Your account</h1>
      <section class="card" aria-labelledby="me-title">
        <h2 id="me-title">{user.name}</h2>
        <dl class="facts">
          <dt>E-mail</dt><dd id="account-email">{user.email}</dd>
          <dt>Role</dt><dd id="account-role">{ROLE_LABELS[user.role]} — {ROLE_SUMMARIES[user.role]}</dd>
          <dt>Scope</dt><dd>{scopeLabel}</dd>
          <dt>Signs in with</dt><dd>{user.ssoProviderId ? 'single sign-on' : 'password'}{user.totpEnabled ? ' and an authenticator app' : ''}</dd>
        </dl>
      </section>
      {user.hasPassword ? (
        <section class="card" aria-labelledby="pw-title">
          <h2 id="pw-title">Password and two-factor authentication</h2>
          <ActionForm viewer={viewer} action="change-password" label="Change password" fields={{}}>
            <label>Current password <input name="currentPassword" type="password" autocomplete="current-password" required /></label>{' '}
            <label>New password <input name="newPassword" type="password" autocomplete="new-password" minlength={12} required /></label>{' '}
          </ActionForm>
          {user.totpEnabled ? <p>Two-factor authentication is on. An owner can reset it if you lose your phone.</p>
            : <p><a class="button" href={`${BASE}/account/two-factor`} id="setup-two-factor">Set up two-factor authentication</a></p>}
        </section>
      ) : null}
      <section class="card" aria-labelledby="sessions-title">
        <h2 id="sessions-title">Where you are signed in</h2>
        <table class="data-table compact" id="session-table">
          <thead><tr><th scope="col">Signed in</th><th scope="col">Last used</th><th scope="col">Browser</th><th scope="col">Address</th></tr></thead>
          <tbody>
            {sessions.map((s) => (
              <tr data-session={s.id}>
                <td>{utc(s.createdAtMs)}{s.id === currentSessionId ? <span class="badge badge-muted">this browser</span> : null}</td>
                <td>{utc(s.lastUsedAtMs)}</td><td>{s.userAgent.slice(0, 80)}</td><td>{s.address}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <ActionForm viewer={viewer} action="sign-out-everywhere" label="Sign out everywhere" danger fields={{}} confirm="End every session of yours, this one too?" />
      </section>
    </Layout>
  );

// ------------------------------------------------------------------ users

const RoleSelect: FC<{ name: string; selected?: Role; allowed: readonly Role[]; id?: string }> = ({ name, selected, allowed, id }) => (
  <select name={name} id={id}>
    {ROLES.filter((r) => allowed.includes(r)).map((r) => <option value={r} selected={r === selected}>{ROLE_LABELS[r]}</option>)}
  </select>
);

const ScopeSelect: FC<{ name: string; choices: readonly ScopeChoice[]; id?: string }> = ({ name, choices, id }) => (
  <select name={name} id={id}>{choices.map((c) => <option value={c.id}>{c.label}</option>)}</select>
);

export const UsersPage: FC<{
  viewer: Viewer; users: readonly AdminUser[]; scopeNames: ReadonlyMap<string, string>; choices: readonly ScopeChoice[]; grantable: readonly Role[];
}> = ({ viewer, users, scopeNames, choices, grantable }) => {
  const write = viewer.can.includes('users.write');
  return (
    <Layout title="Users" viewer={viewer} crumbs={[{ label: 'Users' }]}>
      <h1>Users</h1>
      <section class="card" aria-labelledby="roles-title">
        <h2 id="roles-title">Roles</h2>
        <dl class="facts">{ROLES.map((r) => <><dt>{ROLE_LABELS[r]}</dt><dd>{ROLE_SUMMARIES[r]}</dd></>)}</dl>
      </section>
      <section class="card" aria-labelledby="users-title">
        <h2 id="users-title">People who can sign in</h2>
        <div class="table-scroll" role="region" aria-labelledby="users-title" tabindex={0}>
          <table class="data-table" id="users-table">
            <thead><tr><th scope="col">Name</th><th scope="col">E-mail</th><th scope="col">Role</th><th scope="col">Scope</th><th scope="col">Sign-in</th><th scope="col">Last sign-in</th>{write ? <th scope="col">Actions</th> : null}</tr></thead>
            <tbody>
              {users.map((u) => (
                <tr data-user={u.email}>
                  <td>{u.name}{u.disabledAtMs !== null ? <span class="badge badge-warn">disabled</span> : null}{u.lockedUntilMs !== null && u.lockedUntilMs > Date.now() ? <span class="badge badge-warn">locked</span> : null}</td>
                  <td>{u.email}</td><td>{ROLE_LABELS[u.role]}</td><td>{u.companyId === null ? 'Installation' : scopeNames.get(u.companyId) ?? u.companyId}</td>
                  <td>{u.ssoProviderId ? 'single sign-on' : 'password'}{u.totpEnabled ? ' + TOTP' : ''}</td><td>{utc(u.lastLoginAtMs)}</td>
                  {write ? (
                    <td class="user-actions">
                      {u.id === viewer.userId ? <span class="muted">you</span> : (
                        <>
                          <ActionForm viewer={viewer} action="user-role" label="Set role" fields={{ userId: u.id }}><RoleSelect name="role" selected={u.role} allowed={grantable} /></ActionForm>
                          {u.disabledAtMs === null
                            ? <ActionForm viewer={viewer} action="user-disable" label="Disable" danger fields={{ userId: u.id, disabled: 'true' }} confirm={`Disable ${u.email}? Their sessions and keys stop working.`} />
                            : <ActionForm viewer={viewer} action="user-disable" label="Enable" fields={{ userId: u.id, disabled: 'false' }} />}
                          <ActionForm viewer={viewer} action="user-reset-password" label="Reset password" fields={{ userId: u.id }}
                            confirm={`Reset the password of ${u.email}? They get a temporary one and are signed out.`}>
                            <label><input type="checkbox" name="resetTwoFactor" value="true" /> and two-factor</label>{' '}
                          </ActionForm>
                          <ActionForm viewer={viewer} action="user-sign-out" label="Sign out everywhere" fields={{ userId: u.id }} />
                        </>
                      )}
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
      {write ? (
        <section class="card" aria-labelledby="new-user-title">
          <h2 id="new-user-title">Add a user</h2>
          <p>The new user gets a temporary password, shown once, and chooses their own at the first sign-in. People who sign in through single sign-on are created when they first sign in.</p>
          <form method="post" action={`${BASE}/actions/user-create`} class="stack" data-action="user-create">
            <input type="hidden" name="_csrf" value={viewer.csrfToken} />
            <label for="new-user-name">Name</label><input id="new-user-name" name="name" required />
            <label for="new-user-email">E-mail address</label><input id="new-user-email" name="email" type="email" required />
            <label for="new-user-role">Role</label><RoleSelect name="role" allowed={grantable} id="new-user-role" />
            <label for="new-user-scope">Scope</label><ScopeSelect name="companyId" choices={choices} id="new-user-scope" />
            <button type="submit" class="button">Add user</button>
          </form>
        </section>
      ) : null}
    </Layout>
  );
};

// ------------------------------------------------------------------ keys

export const KeysPage: FC<{ viewer: Viewer; keys: readonly (ApiKeyListing & { roleLabel: string })[]; scopeNames: ReadonlyMap<string, string>; choices: readonly ScopeChoice[]; grantable: readonly Role[]; creators: ReadonlyMap<string, string> }> =
  ({ viewer, keys, scopeNames, choices, grantable, creators }) => {
    const write = viewer.can.includes('keys.write');
    return (
      <Layout title="API keys" viewer={viewer} crumbs={[{ label: 'API keys' }]}>
        <h1>API keys</h1>
        <p>Keys are for integrations (PSA, RMM, scripts). A key never does more than the person who created it: it stops working when they are disabled or lose that role.</p>
        <section class="card" aria-labelledby="keys-title">
          <h2 id="keys-title">Keys</h2>
          <table class="data-table" id="keys-table">
            <thead><tr><th scope="col">Label</th><th scope="col">Role</th><th scope="col">Scope</th><th scope="col">Created by</th><th scope="col">Created</th><th scope="col">State</th>{write ? <th scope="col">Actions</th> : null}</tr></thead>
            <tbody>
              {keys.map((k) => (
                <tr data-key={k.label}>
                  <td>{k.label}</td><td>{k.roleLabel}</td><td>{k.companyId === null ? 'Installation' : scopeNames.get(k.companyId) ?? k.companyId}</td>
                  <td>{k.createdByUserId ? creators.get(k.createdByUserId) ?? 'a user' : '—'}</td><td>{utc(k.createdAtMs)}</td>
                  <td>{k.revokedAtMs === null ? 'active' : `revoked ${utc(k.revokedAtMs)}`}</td>
                  {write ? <td>{k.revokedAtMs === null ? <ActionForm viewer={viewer} action="key-revoke" label="Revoke" danger fields={{ keyId: k.id }} confirm={`Revoke ${k.label}? Integrations using it stop at once.`} /> : null}</td> : null}
                </tr>
              ))}
            </tbody>
          </table>
        </section>
        {write ? (
          <section class="card" aria-labelledby="new-key-title">
            <h2 id="new-key-title">Create a key</h2>
            <form method="post" action={`${BASE}/actions/key-create`} class="stack" data-action="key-create">
              <input type="hidden" name="_csrf" value={viewer.csrfToken} />
              <label for="new-key-label">Label</label><input id="new-key-label" name="label" required />
              <label for="new-key-role">Role</label><RoleSelect name="role" allowed={grantable} id="new-key-role" />
              <label for="new-key-scope">Scope</label><ScopeSelect name="companyId" choices={choices} id="new-key-scope" />
              <button type="submit" class="button">Create key</button>
            </form>
          </section>
        ) : null}
      </Layout>
    );
  };

// ------------------------------------------------------------------ single sign-on

export const SsoPage: FC<{ viewer: Viewer; providers: readonly SsoProvider[]; scopeNames: ReadonlyMap<string, string>; choices: readonly ScopeChoice[]; grantable: readonly Role[]; twoFactorRequired: boolean; callbackUrl: string }> =
  ({ viewer, providers, scopeNames, choices, grantable, twoFactorRequired, callbackUrl }) => {
    const write = viewer.can.includes('users.write');
    return (
      <Layout title="Sign-in" viewer={viewer} crumbs={[{ label: 'Sign-in' }]}>
        <h1>Sign-in and single sign-on</h1>
        {viewer.homeCompanyId === null ? (
          <section class="card" aria-labelledby="settings-title">
            <h2 id="settings-title">Two-factor authentication</h2>
            <p id="two-factor-state">{twoFactorRequired ? 'Required: every user who signs in with a password sets up an authenticator app.' : 'Optional: each user may turn it on in their account.'}</p>
            {write ? <ActionForm viewer={viewer} action="sign-in-settings" label={twoFactorRequired ? 'Make optional' : 'Require for everyone'} fields={{ twoFactorRequired: twoFactorRequired ? 'false' : 'true' }} /> : null}
          </section>
        ) : null}
        <section class="card" aria-labelledby="providers-title">
          <h2 id="providers-title">OpenID Connect providers</h2>
          {providers.length === 0 ? <p class="muted">None configured.</p> : (
            <table class="data-table" id="providers-table">
              <thead><tr><th scope="col">Name</th><th scope="col">Issuer</th><th scope="col">Client id</th><th scope="col">For</th><th scope="col">Claim → role</th><th scope="col">State</th>{write ? <th scope="col">Actions</th> : null}</tr></thead>
              <tbody>
                {providers.map((p) => (
                  <tr>
                    <td>{p.name}</td><td><code>{p.issuer}</code></td><td><code>{p.clientId}</code></td><td>{p.companyId === null ? 'Installation' : scopeNames.get(p.companyId) ?? p.companyId}</td>
                    <td><ul class="plain">{p.mappings.map((m) => <li><code>{p.claim}</code> holds <code>{m.value}</code> → {ROLE_LABELS[m.role]}{m.companyId ? ` of ${scopeNames.get(m.companyId) ?? m.companyId}` : ''}</li>)}</ul></td>
                    <td>{p.disabledAtMs === null ? 'on' : 'off'}</td>
                    {write ? <td><ActionForm viewer={viewer} action="sso-enable" label={p.disabledAtMs === null ? 'Turn off' : 'Turn on'} fields={{ providerId: p.id, disabled: p.disabledAtMs === null ? 'true' : 'false' }} /></td> : null}
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
        {write ? (
          <section class="card" aria-labelledby="new-sso-title">
            <h2 id="new-sso-title">Add a provider</h2>
            <p>Register Tally as a web application at your identity provider (Entra ID, Okta, AD FS, Google, Keycloak, ...) with the redirect URI
              <code id="callback-url">{callbackUrl}</code>, then enter what it gives you. People whose claim holds none of the values below are refused.</p>
            <form method="post" action={`${BASE}/actions/sso-create`} class="stack" data-action="sso-create">
              <input type="hidden" name="_csrf" value={viewer.csrfToken} />
              <label for="sso-name">Name on the sign-in button</label><input id="sso-name" name="name" required />
              <label for="sso-issuer">Issuer URL</label><input id="sso-issuer" name="issuer" type="url" required />
              <label for="sso-client-id">Client id</label><input id="sso-client-id" name="clientId" required />
              <label for="sso-client-secret">Client secret</label><input id="sso-client-secret" name="clientSecret" type="password" required />
              <label for="sso-claim">Claim with the role (e.g. groups, roles)</label><input id="sso-claim" name="claim" value="groups" required />
              <label for="sso-scope">For</label><ScopeSelect name="companyId" choices={choices.filter((c) => c.id === '' || c.label.includes('(partner)'))} id="sso-scope" />
              <fieldset>
                <legend>Claim values and the role each gives (one per line: value = role, e.g. <code>tally-owners = owner</code>)</legend>
                <textarea name="mappings" rows={4} cols={50} id="sso-mappings" required placeholder={grantable.map((r) => `tally-${r.replace('_', '-')}s = ${r}`).join('\n')}></textarea>
              </fieldset>
              <button type="submit" class="button">Add provider</button>
            </form>
          </section>
        ) : null}
      </Layout>
    );
  };
