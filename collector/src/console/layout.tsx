// The page frame: landmarks, skip link, header with the signed-in key and
// the logout form. Assets come from /console/assets only (CSP 'self').
import type { Child, FC } from 'hono/jsx';

export const BASE = '/console';

import type { Permission } from '../auth/roles.ts';

/** Who is looking, as the pages need it (built from the request's principal). */
export interface Viewer {
  /** The user's name, or the key's label. */
  label: string;
  /** 'user' for a person; 'api_key' for a key session (bootstrap). */
  kind: 'user' | 'api_key';
  /** The signed-in user's id (null for a key session). */
  userId: string | null;
  /** The role, as a label. */
  roleLabel: string;
  /** True when the principal may change nothing (a read-only key). */
  readOnly: boolean;
  /** The principal's company name, or null for the whole installation. */
  companyName: string | null;
  /** The principal's company id, or null for the whole installation. */
  homeCompanyId: string | null;
  /** What the principal may do: pages show a form only where the command would be allowed. */
  can: readonly Permission[];
  csrfToken: string;
}

export interface Crumb {
  label: string;
  href?: string;
}

export const Layout: FC<{ title: string; viewer?: Viewer | null; crumbs?: Crumb[]; children?: Child }> = ({ title, viewer, crumbs, children }) => (
  <html lang="en">
    <head>
      <meta charset="utf-8" />
      <meta name="viewport" content="width=device-width, initial-scale=1" />
      <meta name="color-scheme" content="light" />
      <title>{`${title} · Tally console`}</title>
      <link rel="icon" href={`${BASE}/assets/favicon.svg`} type="image/svg+xml" />
      <link rel="stylesheet" href={`${BASE}/assets/console.css`} />
      <script src={`${BASE}/assets/console.js`} defer></script>
    </head>
    <body>
      <a class="skip-link" href="#main">Skip to main content</a>
      <header class="site-header">
        <a class="brand" href={viewer ? `${BASE}/overview` : `${BASE}/login`}>Tally <span>console</span></a>
        {viewer ? (
          <nav aria-label="Main">
            <ul class="nav-list">
              <li><a href={`${BASE}/overview`}>Overview</a></li>
              <li><a href={`${BASE}/companies`}>Companies</a></li>
              {viewer.can.includes('users.read') || viewer.can.includes('users.write') ? <li><a href={`${BASE}/users`}>Users</a></li> : null}
              <li><a href={`${BASE}/keys`}>API keys</a></li>
              {viewer.can.includes('users.read') || viewer.can.includes('users.write') ? <li><a href={`${BASE}/sign-in`}>Sign-in</a></li> : null}
              {viewer.kind === 'user' ? <li><a href={`${BASE}/account`}>Account</a></li> : null}
              <li><a href={`${BASE}/duplicates`}>Possible duplicates</a></li>
              <li><a href={`${BASE}/webhooks`}>Webhooks and alerts</a></li>
              {viewer.homeCompanyId === null ? <li><a href={`${BASE}/psa`}>PSA sync</a></li> : null}
            </ul>
          </nav>
        ) : null}
        {viewer ? (
          <div class="viewer">
            <span class="viewer-key" id="viewer">
              {viewer.kind === 'user' ? <>Signed in as <strong>{viewer.label}</strong> · {viewer.roleLabel}</> : <>Key <strong>{viewer.label}</strong></>}
              {viewer.companyName ? <> for {viewer.companyName}</> : <> (installation)</>}
              {viewer.readOnly ? <span class="badge badge-muted">read-only</span> : null}
            </span>
            <form method="post" action={`${BASE}/logout`} class="inline-form">
              <input type="hidden" name="_csrf" value={viewer.csrfToken} />
              <button type="submit" class="button button-small">Log out</button>
            </form>
          </div>
        ) : null}
      </header>
      {crumbs && crumbs.length ? (
        <nav aria-label="Breadcrumb" class="breadcrumb">
          <ol>
            {crumbs.map((c, i) => (
              <li>{c.href && i < crumbs.length - 1 ? <a href={c.href}>{c.label}</a> : <span aria-current={i === crumbs.length - 1 ? 'page' : undefined}>{c.label}</span>}</li>
            ))}
          </ol>
        </nav>
      ) : null}
      <main id="main" tabindex={-1}>
        {children}
      </main>
      <footer class="site-footer">
        <p>Tally usage metering · times are UTC · figures from the billing engine</p>
      </footer>
    </body>
  </html>
);

/** Renders a page as a full HTML document. */
export function documentHtml(node: unknown): string {
  return `<!DOCTYPE html>${String(node)}`;
}
