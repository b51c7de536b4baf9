// The admin web console under /console: server-rendered pages (hono/jsx), a
// small client script and a stylesheet, behind the same principals, roles and
// scopes as the admin API.
//
// Sign-in (sign-in.tsx): people sign in with an e-mail address and password
// (then a new password, TOTP setup or a TOTP code, as required) or through
// single sign-on (OpenID Connect). An API key signs in only while no user
// exists (bootstrap). The answer is a session cookie (HttpOnly,
// SameSite=Strict, Path=/console, Secure over HTTPS) holding a random token;
// the session lives in the database (auth/sessions.ts), so every collector on
// it knows it and a restart keeps it. Every request turns the session into a
// principal again (auth/authenticate.ts): a disabled user, a revoked key or
// an inactive company stops at once.
//
// Writes are console actions (actions.ts): forms that run the admin commands
// for the signed-in principal. Errors render from the one error table.
//
// CSRF: every state-changing form carries the session's token (_csrf) and
// POSTs with a foreign Origin are refused. The login forms have their own
// token, paired with a short-lived HttpOnly SameSite=Strict cookie.
//
// Every response carries a Content-Security-Policy that allows 'self' only.
import { readFileSync } from 'node:fs';
import { PassThrough, Readable } from 'node:stream';
import { Hono, type Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { monthContaining, type DeviceMonthLine, type ProductType } from '../billing/index.ts';
import { authenticateSession } from '../auth/authenticate.ts';
import { PERMISSIONS, ROLE_LABELS } from '../auth/roles.ts';
import { ConsoleSessions, sameToken, type SessionPolicy } from '../auth/sessions.ts';
import { can, type Principal } from '../auth/principal.ts';
import type { Scope } from '../auth/scope.ts';
import { companyLicence, executeCommand, visibleDevice, type CommandServices } from '../admin/index.ts';
import { ERROR_TABLE, TallyError, isUnexpected, toTallyError } from '../errors.ts';
import {
  REPORT_CONTENT_TYPES, REPORT_FILE_EXTENSIONS, ReportError, USAGE_COLUMN_SPECS, buildReportModel, listsEndpoints, loadReportInput,
  storageEndpointDirectory, usageCell, validateReportFormat, writeReport, validateReportOptions, type ReportModel,
} from '../reports/index.ts';
import type { Company, DeviceListing, Storage } from '../storage/types.ts';
import type { MonthReader } from '../usage/index.ts';
import type { Logger } from '../../../common/log.ts';
import { dailyChartOf, decodeCursor, deviceFiltersOf, deviceRows, encodeCursor, subtreeIds } from './data.ts';
import { BASE, documentHtml, type Crumb, type Viewer } from './layout.tsx';
import { ActionDonePage, DevicesPage, DrillPage, ErrorPage, ExplainPage, TreePage, UsagePage, type DrillLine, type TreeNode } from './pages.tsx';
import { CONSOLE_ACTIONS } from './actions.ts';
import { DeviceLifecycle, DuplicatesPage } from './device-pages.tsx';
import { accessPages } from './access-routes.tsx';
import { signInRoutes } from './sign-in.tsx';
import { LOGIN_COOKIE, SESSION_COOKIE, requestMeta, sameOrigin, type ConsoleEnv } from './http.ts';
import { NO_SYNC, OVERVIEW_SORTS, OverviewPage, sortOverview, type CompanySyncStatus, type OverviewRow, type OverviewSort } from './overview.tsx';
import { addMonths } from '../billing/index.ts';

export interface ConsoleDeps {
  storage: Pick<Storage, 'adminRead' | 'adminWrite' | 'tenancy' | 'devices' | 'users' | 'sessions' | 'audit'>;
  reader: MonthReader;
  commands: CommandServices;
  now: () => number;
  logger?: Logger;
  sessions?: Partial<SessionPolicy>;
  /** Each company's last PSA sync, for the overview (absent: "—" everywhere until PSA sync exists). */
  sync?: CompanySyncStatus;
}

export { SESSION_COOKIE, LOGIN_COOKIE };

export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self'", "font-src 'self'", "connect-src 'self'",
  "form-action 'self'", "frame-ancestors 'none'", "base-uri 'none'", "object-src 'none'",
].join('; ');

const asset = (name: string) => readFileSync(new URL(`./assets/${name}`, import.meta.url));
const ASSETS: Record<string, { body: Buffer; type: string }> = {
  'console.css': { body: asset('console.css'), type: 'text/css; charset=utf-8' },
  'console.js': { body: asset('console.js'), type: 'text/javascript; charset=utf-8' },
  'favicon.svg': { body: asset('favicon.svg'), type: 'image/svg+xml' },
};

const MONTH_RE = /^\d{4}-\d{2}$/;
const PRODUCTS: readonly ProductType[] = ['endpoint_security', 'edr'];
const USAGE_COLUMN_SET = new Set<string>(USAGE_COLUMN_SPECS.map((s) => s.column));
/** The drill-down of the unlicensed figure: endpoints active without a billable licence. */
const UNLICENSED_COLUMN = 'unlicensed';


export function consoleRoutes(deps: ConsoleDeps): Hono<ConsoleEnv> {
  const { storage, reader, now } = deps;
  const sessions = new ConsoleSessions(storage.sessions, now, deps.sessions);
  const app = new Hono<ConsoleEnv>();

  const html = (c: Context, node: unknown, status: ContentfulStatusCode = 200) => c.html(documentHtml(node), status);

  // Security headers on every console answer.
  app.use('*', async (c, next) => {
    await next();
    const h = c.res.headers;
    h.set('Content-Security-Policy', CONTENT_SECURITY_POLICY);
    h.set('X-Content-Type-Options', 'nosniff');
    h.set('X-Frame-Options', 'DENY');
    // same-origin, not no-referrer: with no-referrer Chrome sends "Origin: null" on form posts, and the Origin check needs the real one.
    h.set('Referrer-Policy', 'same-origin');
    h.set('Cross-Origin-Opener-Policy', 'same-origin');
    h.set('Cross-Origin-Resource-Policy', 'same-origin');
    if (!c.req.path.startsWith(`${BASE}/assets/`)) h.set('Cache-Control', 'no-store');
  });

  // Every error from the one table: its status, its title, and its message
  // (an unexpected one is logged and shown without detail).
  app.onError((err, c) => {
    const viewer = c.get('viewer') ?? null;
    const e = toTallyError(err);
    if (isUnexpected(e)) deps.logger?.error('console request failed', { err, path: c.req.path });
    const entry = ERROR_TABLE[e.code];
    const message = e.code === 'internal' ? 'The console could not show this page.'
      : e.code === 'not_found' ? `${e.message}. There is no such page, or it is outside what you may see.`
        : e.message;
    return html(c, <ErrorPage viewer={viewer} status={entry.http} title={entry.title} message={message} code={e.code} />, entry.http as ContentfulStatusCode);
  });

  // ---------------------------------------------------------------- public

  app.get('/assets/:name', (c) => {
    const a = ASSETS[c.req.param('name')];
    if (!a) return c.text('not found', 404);
    return c.body(new Uint8Array(a.body), 200, { 'Content-Type': a.type, 'Cache-Control': 'no-cache' });
  });

  // Sign-in (public), then the session middleware, then everything else.
  signInRoutes(app, { ...deps, sessions, html });

  app.use('*', async (c, next) => {
    const session = await sessions.resolve(getCookie(c, SESSION_COOKIE));
    const toLogin = (notice: 'expired' | null, status: ContentfulStatusCode = 401) => {
      if (c.req.method === 'GET' || c.req.method === 'HEAD') {
        const target = c.req.path + (new URL(c.req.url).search || '');
        return c.redirect(`${BASE}/login?${notice ? 'expired=1&' : ''}next=${encodeURIComponent(target.startsWith(BASE) ? target : `${BASE}/overview`)}`, 303);
      }
      return html(c, <ErrorPage viewer={null} status={status} title="Not signed in" message="Sign in again to continue." />, status);
    };
    if (!session) return toLogin(getCookie(c, SESSION_COOKIE) ? 'expired' : null);
    // A sign-in still under way: only its next step.
    if (session.stage !== 'active') return c.redirect(`${BASE}/login/${session.stage === 'mfa_setup' ? 'mfa-setup' : session.stage}`, 303);
    let principal: Principal;
    try {
      principal = await authenticateSession(storage, session);
    } catch (err) {
      const e = toTallyError(err);
      if (e.code !== 'unauthorized' && e.code !== 'forbidden') throw e;
      await sessions.end(session.id);
      deleteCookie(c, SESSION_COOKIE, { path: BASE });
      return toLogin('expired', e.code === 'forbidden' ? 403 : 401);
    }
    const scope = principal.scope;
    c.set('session', session);
    c.set('principal', principal);
    c.set('scope', scope);
    c.set('viewer', {
      label: principal.label, kind: principal.kind === 'user' ? 'user' : 'api_key', userId: principal.kind === 'user' ? principal.userId : null,
      roleLabel: ROLE_LABELS[principal.role],
      readOnly: !PERMISSIONS.some((p) => p !== 'read' && p !== 'audit.read' && p !== 'users.read' && p !== 'account.write' && can(principal, p)),
      companyName: scope.homeCompanyId ? scope.companies.get(scope.homeCompanyId)?.name ?? null : null, homeCompanyId: scope.homeCompanyId,
      can: PERMISSIONS.filter((p) => can(principal, p)), csrfToken: session.csrfToken,
    });
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') {
      const body = await c.req.parseBody();
      if (!sameOrigin(c) || !sameToken(session.csrfToken, typeof body._csrf === 'string' ? body._csrf : null)) {
        return html(c, <ErrorPage viewer={c.get('viewer')} status={403} title="Form refused" message="The form's security token is missing or wrong. Reload the page and try again." />, 403);
      }
    }
    await next();
  });

  app.post('/logout', async (c) => {
    const session = c.get('session');
    await sessions.end(session.id);
    const principal = c.get('principal');
    if (principal.kind === 'user') {
      await storage.audit.append({
        atMs: now(), actor: principal.actor, userId: principal.userId, action: 'session.sign_out', targetType: 'admin_user', targetId: principal.userId!,
        companyId: principal.scope.homeCompanyId, details: { address: requestMeta(c).address },
      });
    }
    deleteCookie(c, SESSION_COOKIE, { path: BASE });
    return c.redirect(`${BASE}/login?loggedOut=1`, 303);
  });

  accessPages(app, { ...deps, sessions, html });

  app.get('/', (c) => c.redirect(`${BASE}/overview`, 303));

  // ---------------------------------------------------------------- helpers

  const monthOf = (c: Context): string => {
    const q = c.req.query('month');
    if (q === undefined || q === '') return monthContaining(now()).id;
    if (!MONTH_RE.test(q)) throw new TallyError('invalid_request', 'month: expected YYYY-MM', { field: 'month' });
    return reader.month(q).id;
  };
  const productOf = (c: Context): ProductType => {
    const p = c.req.query('product');
    if (p === undefined || p === '') return 'endpoint_security';
    if (!(PRODUCTS as readonly string[]).includes(p)) throw new TallyError('invalid_request', 'product: expected endpoint_security or edr', { field: 'product' });
    return p as ProductType;
  };
  const visibleNames = (scope: Scope) => new Map([...scope.companies.values()].filter((co) => scope.canSee(co.id)).map((co) => [co.id, co.name]));
  const companyCrumbs = (scope: Scope, company: Company, tail?: string): Crumb[] => [
    { label: 'Companies', href: `${BASE}/companies` },
    ...company.path.filter((id) => id !== company.id && scope.canSee(id)).map((id) => ({ label: scope.companies.get(id)!.name, href: `${BASE}/companies/${encodeURIComponent(id)}` })),
    { label: company.name, href: `${BASE}/companies/${encodeURIComponent(company.id)}` },
    ...(tail ? [{ label: tail }] : []),
  ];
  // The month's rows in the summary form, endpoint lines read per company when a page lists them (as report files do).
  const reportModel = async (scope: Scope, companyId: string, month: string, product: ProductType) => {
    const { report, finalized, lines } = await reader.endpointReport(month, product);
    let model: ReportModel | null = null;
    try {
      model = buildReportModel({ report, finalized, lines, companies: [...scope.companies.values()] }, {
        companyId, month, productType: product, onlyEndpointDetails: false, onlyDirectCompanies: false, registeredBetween: null,
      });
    } catch (err) {
      if (!(err instanceof ReportError && err.code === 'unknown_company')) throw err;
    }
    return { report, model };
  };

  // ---------------------------------------------------------------- pages

  // The home page: every customer in the key's scope with this month's figures beside last month's.
  app.get('/overview', async (c) => {
    const scope = c.get('scope');
    const month = monthOf(c);
    const lastMonth = addMonths(reader.month(month), -1).id;
    const product = productOf(c);
    const sortParam = c.req.query('sort') ?? 'name';
    const sort: OverviewSort = (OVERVIEW_SORTS as readonly string[]).includes(sortParam) ? sortParam as OverviewSort : 'name';
    const [current, previous, view, lastView, pairs] = await Promise.all([
      reader.endpointReport(month, product), reader.endpointReport(lastMonth, product), reader.view(month), reader.view(lastMonth),
      storage.devices.listDuplicates(scope.companyIds()),
    ]);
    const before = new Map(previous.report.rows.map((r) => [r.companyId, r]));
    const visiblePairs = pairs.filter((p) => scope.canSee(p.companyA) && scope.canSee(p.companyB));
    const duplicatesOf = (id: string) => visiblePairs.filter((p) => p.companyA === id || p.companyB === id).length;
    const customers = current.report.rows.filter((r) => r.companyType === 'customer' && scope.canSee(r.companyId));
    const syncs = await (deps.sync ?? NO_SYNC).lastSyncs(customers.map((r) => r.companyId));
    const rows: OverviewRow[] = customers.map((r) => {
      const company = scope.companies.get(r.companyId);
      return {
        companyId: r.companyId, name: r.name, active: company?.active ?? true,
        partner: (company?.path ?? []).filter((id) => id !== r.companyId && scope.canSee(id)).map((id) => scope.companies.get(id)?.name ?? '').join(' / '),
        billed: r.billable.own.billableEndpointUsage, billedLastMonth: before.get(r.companyId)?.billable.own.billableEndpointUsage ?? 0,
        activeEndpoints: r.own.licensedEndpoints, unlicensed: r.unlicensed.own.endpoints, duplicates: duplicatesOf(r.companyId), lastSync: syncs.get(r.companyId) ?? null,
      };
    });
    // On top: the key's own company, or for the installation every company at the top of a tree.
    const totals = current.report.rows.filter((r) => (scope.homeCompanyId ? r.companyId === scope.homeCompanyId : r.parentId === null && r.companyType === 'partner'));
    return html(c, <OverviewPage viewer={c.get('viewer')} month={month} lastMonth={lastMonth} product={product} view={view} lastView={lastView}
      totals={totals} rows={sortOverview(rows, sort)} sort={sort} duplicatesTotal={visiblePairs.length} />);
  });

  app.get('/companies', (c) => {
    const scope = c.get('scope');
    const q = (c.req.query('q') ?? '').trim().slice(0, 200);
    const visible = [...scope.companies.values()].filter((co) => scope.canSee(co.id));
    const needle = q.toLowerCase();
    const matches = new Set(visible.filter((co) => !needle || co.name.toLowerCase().includes(needle) || co.id === q).map((co) => co.id));
    const keep = new Set<string>();
    for (const id of matches) for (const p of scope.companies.get(id)!.path) if (scope.canSee(p)) keep.add(p);
    const nodes = new Map<string, TreeNode>();
    for (const co of visible) if (keep.has(co.id)) nodes.set(co.id, { company: co, children: [], match: needle !== '' && matches.has(co.id) });
    const roots: TreeNode[] = [];
    for (const n of nodes.values()) {
      const parent = n.company.parentId ? nodes.get(n.company.parentId) : undefined;
      (parent ? parent.children : roots).push(n);
    }
    const byName = (a: TreeNode, b: TreeNode) => a.company.name.localeCompare(b.company.name) || a.company.id.localeCompare(b.company.id);
    const sortAll = (list: TreeNode[]) => { list.sort(byName); for (const n of list) sortAll(n.children); };
    sortAll(roots);
    return html(c, <TreePage viewer={c.get('viewer')} roots={roots} q={q} total={visible.length} shown={matches.size} />);
  });

  app.get('/companies/:id', async (c) => {
    const scope = c.get('scope');
    const company = scope.company(c.req.param('id'));
    const month = monthOf(c);
    const product = productOf(c);
    const [{ report, model }, view, licence] = await Promise.all([
      reportModel(scope, company.id, month, product),
      reader.view(month),
      companyLicence(storage, scope, company.id, now()),
    ]);
    // As the table counts: the shown companies' subtrees whose endpoints the report lists (listsEndpoints), add-ons where enabled.
    const rowsById = new Map(report.rows.map((r) => [r.companyId, r]));
    const covered = model ? model.coveredCompanyIds : subtreeIds(scope, company.id);
    const charted = new Set([...covered].filter((id) => rowsById.has(id) && listsEndpoints(rowsById.get(id)!) && scope.canSee(id)));
    // Read device by device: the month's rows are never all in memory.
    const chart = await dailyChartOf(month, reader.monthDevices(month), now(), charted, (feature, id) => rowsById.get(id)?.enabled[feature] === true);
    // Hashes cover every tenant; adjustment lines are shown for the key's companies only (as the API does).
    const scopedView = { ...view, adjustments: view.adjustments.map((a) => ({ ...a, lines: a.lines.filter((l) => scope.canSee(l.companyId)) })) };
    return html(c, <UsagePage viewer={c.get('viewer')} crumbs={companyCrumbs(scope, company)} company={company} month={month} product={product}
      model={model} view={scopedView} chart={chart} names={visibleNames(scope)} licence={licence}
      moveTargets={scope.visibleCompanies().filter((p) => p.type === 'partner' && p.id !== company.parentId && !p.path.includes(company.id))
        .sort((a, b) => a.name.localeCompare(b.name))} />);
  });

  app.get('/companies/:id/endpoints', async (c) => {
    const scope = c.get('scope');
    const company = scope.company(c.req.param('id'));
    const month = monthOf(c);
    const product = productOf(c);
    const column = c.req.query('column') ?? '';
    // A usage column, or 'unlicensed': the endpoints active without a billable licence.
    if (!USAGE_COLUMN_SET.has(column) && column !== UNLICENSED_COLUMN) {
      throw new TallyError('invalid_request', `column: expected one of ${[...USAGE_COLUMN_SET, UNLICENSED_COLUMN].join(', ')}`, { field: 'column' });
    }
    const spec = USAGE_COLUMN_SPECS.find((s) => s.column === column);
    const header = spec?.header ?? 'Unlicensed endpoints';
    const valueOf = (l: DeviceMonthLine) => (spec ? l.columns[spec.column] ?? 0 : l.unlicensed !== null ? 1 : 0);
    const { report, model } = await reportModel(scope, company.id, month, product);
    const raw: Omit<DrillLine, 'info'>[] = [];
    if (model) {
      for (const row of report.rows) {
        if (!model.coveredCompanyIds.has(row.companyId) || !scope.canSee(row.companyId)) continue;
        if (!listsEndpoints(row)) continue;
        for await (const l of model.lines.linesAt(row.companyId)) {
          const value = valueOf(l);
          if (value > 0) raw.push({ companyId: row.companyId, companyName: row.name, deviceId: l.deviceId, virtual: l.virtual, role: l.role, value, activeDays: l.activeDays, awakeSeconds: l.awakeSeconds, note: l.billingNote });
        }
      }
    }
    const infos = await storageEndpointDirectory(storage.adminRead).lookup(raw.map((l) => l.deviceId));
    const lines = raw.map((l) => ({ ...l, info: infos.get(l.deviceId) ?? null }))
      .sort((a, b) => a.companyName.localeCompare(b.companyName) || (a.info?.hostname ?? a.deviceId).localeCompare(b.info?.hostname ?? b.deviceId));
    const figure = model ? (spec ? usageCell(model.target, spec) : model.target.unlicensed.total.endpoints) : 0;
    return html(c, <DrillPage viewer={c.get('viewer')} crumbs={companyCrumbs(scope, company, header)} company={company} month={month} product={product}
      column={column} figure={figure} lines={lines} />);
  });

  app.get('/companies/:id/devices', async (c) => {
    const scope = c.get('scope');
    const company = scope.company(c.req.param('id'));
    const month = monthOf(c);
    const product = productOf(c);
    const filters = deviceFiltersOf((name) => c.req.query(name));
    const after = decodeCursor(c.req.query('after'));
    const subtree = subtreeIds(scope, company.id);
    // The company filter: one company of the page's subtree (and the companies below it); another is not there.
    const shown = filters.companyId === null ? company : scope.company(filters.companyId, 'company');
    if (!subtree.has(shown.id)) throw new TallyError('not_found', `company ${shown.id} does not exist`, { field: 'company' });
    // Only the rows of the page's devices are read.
    const { rows, next, scanned } = await deviceRows(storage, { companyIds: [...subtreeIds(scope, shown.id)], month, filters, after, nowMs: now() },
      (deviceIds) => reader.monthDevices(month, { deviceIds }), (deviceIds) => reader.billedDevices(month, deviceIds));
    const companies = scope.visibleCompanies().filter((co) => subtree.has(co.id)).sort((a, b) => a.name.localeCompare(b.name));
    return html(c, <DevicesPage viewer={c.get('viewer')} crumbs={companyCrumbs(scope, company, 'Devices')} company={company} month={month} product={product}
      rows={rows} next={next ? encodeCursor(next) : null} after={after ? c.req.query('after')! : null} filters={filters} companies={companies} scanned={scanned} />);
  });

  app.get('/devices/:id/explain', async (c) => {
    const scope = c.get('scope');
    const device = await visibleDevice(storage, scope, c.req.param('id'));
    const month = monthOf(c);
    const product = productOf(c);
    const explanation = await reader.explain(month, device.id, product);
    const company = scope.company(device.companyId);
    const users = new Map<string, string>();
    for (const companyId of new Set(explanation.days.filter((d) => d.userId && scope.canSee(d.companyId)).map((d) => d.companyId))) {
      for (const u of await storage.tenancy.listUsers(companyId)) users.set(u.id, u.displayName || u.externalId);
    }
    const [history, exclusions] = await Promise.all([storage.devices.history(device.id), storage.devices.exclusions([device.id])]);
    const now_ = now();
    const lifecycle = <DeviceLifecycle viewer={c.get('viewer')} device={device} history={history} names={visibleNames(scope)}
      exclusion={exclusions.find((e) => e.untilMs === null || e.untilMs > now_) ?? null}
      customers={scope.visibleCompanies().filter((co) => co.type === 'customer')} back={`${BASE}/devices/${encodeURIComponent(device.id)}/explain`} />;
    return html(c, <ExplainPage users={users} viewer={c.get('viewer')} crumbs={companyCrumbs(scope, company, device.hostname || device.id)} hostname={device.hostname || device.id}
      deviceId={device.id} companyName={company.name} month={month} product={product} explanation={explanation} names={visibleNames(scope)} lifecycle={lifecycle} />);
  });

  // Devices that look like one machine, in scope: both devices visible, as the API shows them.
  app.get('/duplicates', async (c) => {
    const scope = c.get('scope');
    const month = monthContaining(now()).id;
    const pairs = (await storage.devices.listDuplicates(scope.companyIds())).filter((p) => scope.canSee(p.companyA) && scope.canSee(p.companyB));
    const ids = [...new Set(pairs.flatMap((p) => [p.deviceA, p.deviceB]))];
    const billed = await reader.billedDevices(month, ids);
    const listed = new Map<string, DeviceListing>();
    for (const id of ids) {
      const d = await storage.adminRead.getDevice(id);
      if (d) listed.set(id, d);
    }
    const row = (id: string) => {
      const d = listed.get(id);
      return { id, hostname: d?.hostname ?? '', companyName: d ? scope.companies.get(d.companyId)?.name ?? '' : '', lastSeenAtMs: d?.lastSeenAtMs ?? null, billed: billed.has(id) };
    };
    return html(c, <DuplicatesPage viewer={c.get('viewer')} month={month}
      rows={pairs.map((p) => ({ devices: [row(p.deviceA), row(p.deviceB)], why: p.why, evidence: p.evidence, foundAtMs: p.foundAtMs }))} />);
  });

  // Report exports (collector/src/reports), scoped: the target must be visible, and a
  // visible company's subtree is always inside the key's scope.
  app.get('/companies/:id/export/:format', async (c) => {
    const scope = c.get('scope');
    const company = scope.company(c.req.param('id'));
    const format = validateReportFormat(c.req.param('format'));
    if (!format.ok) throw new TallyError('invalid_request', format.error.message, { field: 'format' });
    const options = validateReportOptions({ companyId: company.id, month: monthOf(c), productType: productOf(c) });
    if (!options.ok) throw new TallyError('invalid_request', options.error.message, { field: options.error.field });
    const input = await loadReportInput({ adminRead: storage.adminRead, reader, now }, options.value, format.value);
    const out = new PassThrough();
    writeReport(format.value, input, options.value, out).catch((err) => {
      deps.logger?.error('console export failed', { err, company: company.id, format: format.value });
      out.destroy(err instanceof Error ? err : new Error(String(err)));
    });
    const slug = company.name.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60) || 'company';
    const file = `tally-${slug}-${options.value.month}-${options.value.productType}${format.value === 'psa' ? '-psa' : ''}.${REPORT_FILE_EXTENSIONS[format.value]}`;
    return new Response(Readable.toWeb(out) as unknown as ReadableStream, {
      status: 200,
      headers: { 'Content-Type': REPORT_CONTENT_TYPES[format.value], 'Content-Disposition': `attachment; filename="${file}"` },
    });
  });

  // Console actions: a form runs one admin command for the signed-in principal
  // (CSRF and Origin were checked by the session middleware above).
  app.post('/actions/:action', async (c) => {
    const action = Object.hasOwn(CONSOLE_ACTIONS, c.req.param('action')) ? CONSOLE_ACTIONS[c.req.param('action')] : undefined;
    if (!action) throw new TallyError('not_found', `console action ${c.req.param('action')} does not exist`);
    const form: Record<string, string> = {};
    for (const [name, value] of Object.entries(await c.req.parseBody())) if (typeof value === 'string' && name !== '_csrf') form[name] = value;
    const { target, input } = action.fromForm(form);
    const result = await executeCommand(action.command, deps.commands, c.get('principal'), target, input);
    return html(c, <ActionDonePage viewer={c.get('viewer')} outcome={action.done(result as never, form)} />);
  });

  app.all('*', (c) => html(c, <ErrorPage viewer={c.get('viewer')} status={404} title="Not found" message="There is no such page in the console." />, 404));

  return app;
}
