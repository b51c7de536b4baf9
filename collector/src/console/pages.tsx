// The console's pages as hono/jsx components. Pure rendering: the routes
// gather the data (routes.tsx).
import type { Child, FC } from 'hono/jsx';
import {
  LICENCE_STATE_LABELS, UNLICENSED_REASONS, formatDay, type CompanyUsageRow, type DeviceExplanation, type LicenceSegment, type ProductType,
  type UnlicensedReason,
} from '../billing/index.ts';
import type { CompanyLicence } from '../admin/index.ts';
import {
  LICENSE_TYPE_LABELS, NOT_APPLICABLE, PRODUCT_TYPE_LABELS, RESERVED_SEATS_NOT_ENABLED, NOT_ENABLED, USAGE_COLUMN_SPECS, licenceText, usageCell,
  type EndpointInfo, type ReportCompany, type ReportModel,
} from '../reports/index.ts';
import type { Company } from '../storage/types.ts';
import type { MonthView } from '../usage/index.ts';
import type { ActionOutcome } from './actions.ts';
import { UsageChart } from './chart.tsx';
import { DEVICE_PAGE, OS_FILTERS, STATUS_LABELS, hours, type DailyChart, type DeviceFilters, type DeviceRow } from './data.ts';
import { BASE, Layout, type Crumb, type Viewer } from './layout.tsx';

export const qs = (params: Record<string, string | null | undefined>): string => {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== null && v !== undefined && v !== '') p.set(k, v);
  const s = p.toString();
  return s ? `?${s}` : '';
};

const utc = (ms: number | null | undefined): string => (ms === null || ms === undefined ? '—' : new Date(ms).toISOString().replace('T', ' ').slice(0, 16) + ' UTC');

export const COLUMN_HEADERS: Readonly<Record<string, string>> = Object.fromEntries([
  ...USAGE_COLUMN_SPECS.map((s) => [s.column, s.header]),
  ['billableEndpointUsage', 'Billable endpoint usage'],
  ['unlicensedEndpoints', 'Unlicensed endpoints'],
  ['unlicensed', 'Unlicensed endpoints (active, not billed)'],
]);

/** How the console names each unlicensed reason in a sentence ("3 on trial"). */
const UNLICENSED_PHRASES: Readonly<Record<UnlicensedReason, string>> = {
  trial: 'on trial',
  not_started: 'before their subscription started',
  ended: 'after their subscription ended',
  none: 'with no subscription',
  inactive: 'while the company (or a partner above it) was inactive',
};

const FIGURE_LABELS: Readonly<Record<string, string>> = { usage: 'Usage', billable: 'Billed', unlicensed: 'Unlicensed' };

/** 'Trial 1–14 Nov, Billable 15–30 Nov' from a month's licence segments (UTC days). */
export function licenceSegmentsText(segments: readonly LicenceSegment[]): string {
  if (segments.length === 0) return 'not recorded (finalized before licence states)';
  const day = (ms: number) => formatDay(Math.floor(ms / 86_400_000));
  return segments.map((x) => `${LICENCE_STATE_LABELS[x.state]} ${day(x.fromMs)} – ${day(x.untilMs - 1)}`).join(', ');
}

const MODULE_LABELS: Readonly<Record<string, string>> = {
  antimalware: 'Antimalware', advanced_threat_control: 'Advanced Threat Control', firewall: 'Firewall', content_control: 'Content Control',
  device_control: 'Device Control', network_attack_defense: 'Network Attack Defense', edr_sensor: 'EDR sensor', full_disk_encryption: 'Full Disk Encryption',
  patch_management: 'Patch Management', integrity_monitoring: 'Integrity Monitoring', container_protection: 'Container Protection',
  hyperdetect: 'HyperDetect', sandbox_analyzer: 'Sandbox Analyzer', central_scan: 'Central Scan',
};
const moduleList = (mods: readonly string[]) => (mods.length ? mods.map((m) => MODULE_LABELS[m] ?? m).join(', ') : '—');

// ------------------------------------------------------------------ actions

/** What the principal may change about this company: forms shown only where the command would be allowed. */
export const CompanyAdmin: FC<{ viewer: Viewer; company: Company; moveTargets?: readonly Company[] }> = ({ viewer, company, moveTargets = [] }) => {
  const tokens = viewer.can.includes('keys.write') && company.type === 'customer';
  const activity = viewer.can.includes('tenancy.write') && company.id !== viewer.homeCompanyId;
  // The top level is the installation's to give (the command refuses it to a partner's principal).
  const toTop = viewer.homeCompanyId === null && company.parentId !== null;
  const move = activity && (moveTargets.length > 0 || toTop);
  if (!tokens && !activity) return null;
  return (
    <section aria-labelledby="admin-title" class="card">
      <h2 id="admin-title">Administration</h2>
      <ul class="button-row">
        {tokens ? (
          <li>
            <ActionForm viewer={viewer} action="enrolment-token" label="Create enrolment token" fields={{ companyId: company.id }}>
              <label>Expires <select name="expiresInDays">
                <option value="30">in 30 days</option><option value="7">in 7 days</option><option value="365">in a year</option><option value="never">never</option>
              </select></label>{' '}
            </ActionForm>
          </li>
        ) : null}
        {activity ? (
          <li>
            {company.active
              ? <ActionForm viewer={viewer} action="company-active" label="Inactivate company" danger fields={{ companyId: company.id, active: 'false' }}
                  confirm={`Inactivate ${company.name}? Activity from now on is not billed and its agents and keys are refused; its data stays.`} />
              : <ActionForm viewer={viewer} action="company-active" label="Reactivate company" fields={{ companyId: company.id, active: 'true' }} />}
          </li>
        ) : null}
        {move ? (
          <li>
            <ActionForm viewer={viewer} action="company-move" label="Move company" fields={{ companyId: company.id }}
              confirm={`Move ${company.name} and every company below it? This month is reported under the new partner; finalized months keep their tree.`}>
              <label>under <select name="parentId" id="move-parent">
                {moveTargets.map((p) => <option value={p.id}>{p.name}</option>)}
                {toTop ? <option value="none">the top level (no partner)</option> : null}
              </select></label>{' '}
            </ActionForm>
          </li>
        ) : null}
      </ul>
    </section>
  );
};

export const ActionDonePage: FC<{ viewer: Viewer; outcome: ActionOutcome }> = ({ viewer, outcome }) => (
  <Layout title={outcome.title} viewer={viewer}>
    <section class="card" aria-labelledby="done-title">
      <h1 id="done-title">{outcome.title}</h1>
      <p id="done-message">{outcome.message}</p>
      {outcome.secret ? (
        <p><label for="done-secret">{outcome.secret.label}</label>
          <input id="done-secret" class="secret" readonly value={outcome.secret.value} size={Math.min(80, outcome.secret.value.length + 2)} /></p>
      ) : null}
      <p><a href={outcome.back} id="done-back">Back</a></p>
    </section>
  </Layout>
);

// ------------------------------------------------------------------ errors

export const ErrorPage: FC<{ viewer: Viewer | null; status: number; title: string; message: string; code?: string }> = ({ viewer, status, title, message, code }) => (
  <Layout title={title} viewer={viewer}>
    <section class="card" aria-labelledby="error-title">
      <h1 id="error-title">{title}</h1>
      <p id="error-message">{message}</p>
      <p class="muted">HTTP {status}{code ? <> · error code <code id="error-code">{code}</code></> : null}</p>
      <p><a href={viewer ? `${BASE}/companies` : `${BASE}/login`}>{viewer ? 'Back to companies' : 'Log in'}</a></p>
    </section>
  </Layout>
);

// ------------------------------------------------------------------ tree

export interface TreeNode {
  company: Company;
  children: TreeNode[];
  /** Matches the server-side search (false for ancestors kept for context). */
  match: boolean;
}

const TreeItems: FC<{ nodes: TreeNode[] }> = ({ nodes }) => (
  <>
    {nodes.map((n) => (
      <li data-name={n.company.name.toLowerCase()} class={n.match ? 'match' : undefined}>
        <span class="tree-item">
          <a href={`${BASE}/companies/${encodeURIComponent(n.company.id)}`}>{n.company.name}</a>
          <span class={`badge ${n.company.type === 'partner' ? 'badge-partner' : 'badge-customer'}`}>{n.company.type === 'partner' ? 'Partner' : 'Customer'}</span>
          {n.company.active ? null : <span class="badge badge-warn">Inactive</span>}
          <a class="tree-sub" href={`${BASE}/companies/${encodeURIComponent(n.company.id)}/devices`}>devices<span class="visually-hidden"> of {n.company.name}</span></a>
        </span>
        {n.children.length ? <ul><TreeItems nodes={n.children} /></ul> : null}
      </li>
    ))}
  </>
);

export const TreePage: FC<{ viewer: Viewer; roots: TreeNode[]; q: string; total: number; shown: number }> = ({ viewer, roots, q, total, shown }) => (
  <Layout title="Companies" viewer={viewer} crumbs={[{ label: 'Companies' }]}>
    <h1>Companies</h1>
    <form method="get" action={`${BASE}/companies`} class="search-form" role="search" aria-label="Companies">
      <label for="company-filter">Search companies</label>
      <div class="search-row">
        <input id="company-filter" name="q" type="search" value={q} autocomplete="off" aria-describedby="company-filter-help" aria-controls="company-tree" />
        <button type="submit" class="button">Search</button>
        {q ? <a href={`${BASE}/companies`} class="button button-secondary">Clear</a> : null}
      </div>
      <p id="company-filter-help" class="hint">Filters as you type; Search asks the server.</p>
    </form>
    <p id="company-filter-status" class="muted" role="status" aria-live="polite">
      {q ? `${shown} of ${total} companies match “${q}”.` : `${total} companies.`}
    </p>
    {roots.length ? (
      <ul id="company-tree" class="tree" aria-label="Company tree"><TreeItems nodes={roots} /></ul>
    ) : (
      <p id="company-tree" class="empty">No company matches.</p>
    )}
  </Layout>
);

// ------------------------------------------------------------------ shared bits

export const MonthPicker: FC<{ action: string; month: string; product: ProductType; extra?: Record<string, string>; label?: string; children?: Child }> = ({ action, month, product, extra, label, children }) => (
  <form method="get" action={action} class="month-picker" aria-label={label ?? 'Month and product type'}>
    {Object.entries(extra ?? {}).map(([k, v]) => <input type="hidden" name={k} value={v} />)}
    <div class="field">
      <label for="month-input">Month</label>
      <input id="month-input" type="month" name="month" value={month} required pattern="\d{4}-\d{2}" />
    </div>
    <div class="field">
      <label for="product-input">Product type</label>
      <select id="product-input" name="product">
        {(['endpoint_security', 'edr'] as const).map((p) => <option value={p} selected={p === product}>{PRODUCT_TYPE_LABELS[p]}</option>)}
      </select>
    </div>
    {children}
    <button type="submit" class="button">Show</button>
  </form>
);

export const CompanyTabs: FC<{ companyId: string; active: 'usage' | 'devices'; month: string; product: ProductType }> = ({ companyId, active, month, product }) => {
  const base = `${BASE}/companies/${encodeURIComponent(companyId)}`;
  return (
    <nav aria-label="Company pages" class="tabs">
      <ul>
        <li><a href={`${base}${qs({ month, product })}`} aria-current={active === 'usage' ? 'page' : undefined}>Usage</a></li>
        <li><a href={`${base}/devices${qs({ month, product })}`} aria-current={active === 'devices' ? 'page' : undefined}>Devices</a></li>
      </ul>
    </nav>
  );
};

const STATUS_TEXT: Record<MonthView['status'], string> = {
  open: 'Open: the month is running; figures change as agents report.',
  closing: 'Closing: the month has ended and late data is still accepted during the grace window before it is finalized.',
  awaiting_finalization: 'Awaiting finalization: the grace window has passed; the scheduler finalizes the month shortly.',
  finalized: 'Finalized: figures come from the month’s immutable snapshot, plus any adjustments below.',
  future: 'Future: the month has not started.',
};
const STATUS_LABEL: Record<MonthView['status'], string> = {
  open: 'Open', closing: 'Closing', awaiting_finalization: 'Closing (awaiting finalization)', finalized: 'Finalized', future: 'Future',
};

/** A form that runs one console action (actions.ts) with the session's CSRF token. */
export const ActionForm: FC<{ viewer: Viewer; action: string; fields: Record<string, string>; label: string; confirm?: string; danger?: boolean; children?: Child }> =
  ({ viewer, action, fields, label, confirm, danger, children }) => (
    <form method="post" action={`${BASE}/actions/${action}`} class="inline-form action-form" data-action={action} data-confirm={confirm}>
      <input type="hidden" name="_csrf" value={viewer.csrfToken} />
      {Object.entries(fields).map(([name, value]) => <input type="hidden" name={name} value={value} />)}
      {children}
      <button type="submit" class={danger ? 'button button-danger' : 'button'}>{label}</button>
    </form>
  );

export const MonthState: FC<{ view: MonthView; names: ReadonlyMap<string, string>; viewer?: Viewer; back?: string }> = ({ view, names, viewer, back }) => (
  <section aria-labelledby="month-state-title" class="card">
    <h2 id="month-state-title">Month state</h2>
    <p><span class={`badge badge-state-${view.status}`} id="month-status">{STATUS_LABEL[view.status]}</span> {STATUS_TEXT[view.status]}</p>
    {viewer && viewer.homeCompanyId === null && viewer.can.includes('months.write') && (view.status === 'awaiting_finalization' || view.status === 'closing') ? (
      <ActionForm viewer={viewer} action="month-close" label={view.status === 'closing' ? 'Finalize now (before the grace window ends)' : 'Finalize month'}
        fields={{ month: view.month, early: view.status === 'closing' ? 'true' : 'false', back: back ?? '' }}
        confirm={`Finalize ${view.month}? Its figures become immutable; late data becomes adjustments.`} />
    ) : null}
    {view.finalizedAtMs !== null ? (
      <dl class="facts">
        <dt>Finalized at</dt><dd>{utc(view.finalizedAtMs)}</dd>
        <dt>Finalized hash</dt><dd><code class="hash">{view.finalizedHash}</code></dd>
        <dt>Current hash</dt><dd><code class="hash">{view.currentHash}</code></dd>
      </dl>
    ) : null}
    <h3>Adjustments</h3>
    {view.adjustments.length === 0 ? <p class="muted" id="no-adjustments">No adjustments for this month.</p> : (
      <div class="table-scroll" role="region" aria-labelledby="adjustments-caption" tabindex={0}>
        <table class="data-table compact">
          <caption id="adjustments-caption">Late data that changed the finalized figures</caption>
          <thead><tr><th scope="col">Adjustment</th><th scope="col">Created</th><th scope="col">Company</th><th scope="col">Figure</th><th scope="col">Column</th><th scope="col">Finalized</th><th scope="col">Recomputed</th><th scope="col">Change</th></tr></thead>
          <tbody>
            {view.adjustments.flatMap((a) => (a.lines.length ? a.lines : [null]).map((l) => (
              <tr>
                <th scope="row">#{a.id}</th><td>{utc(a.createdAtMs)}</td>
                {l ? <>
                  <td>{names.get(l.companyId) ?? 'another company'}</td><td>{FIGURE_LABELS[l.figure ?? 'usage']}</td><td>{COLUMN_HEADERS[l.column] ?? l.column}</td>
                  <td class="num">{l.finalized}</td><td class="num">{l.recomputed}</td><td class="num">{l.delta > 0 ? `+${l.delta}` : l.delta}</td>
                </> : <td colspan={6} class="muted">no change for your companies</td>}
              </tr>
            )))}
          </tbody>
        </table>
      </div>
    )}
  </section>
);

// ------------------------------------------------------------------ usage

interface ColumnDef {
  key: string;
  header: string;
  cell: (c: ReportCompany) => Child;
  num?: boolean;
  /** Hidden until the admin shows it: an add-on column "Not enabled" for every company shown. */
  hiddenByDefault?: boolean;
}

/**
 * The company's licence: now (from the billing core's rule, as JSON-RPC
 * getLicenseInfo answers) and over the month shown (the report row's
 * segments).
 */
export const LicenceCard: FC<{ licence: CompanyLicence; row: CompanyUsageRow | null; month: string }> = ({ licence, row, month }) => (
  <section aria-labelledby="licence-title" class="card licence-card">
    <h2 id="licence-title">Licence</h2>
    <dl class="facts">
      <dt>Now</dt>
      <dd id="licence-now"><span class={`licence-state licence-state-${licence.state}`} data-state={licence.state}>{LICENCE_STATE_LABELS[licence.state]}</span>
        {licence.licenseType ? <> · {LICENSE_TYPE_LABELS[licence.licenseType]}</> : null}
        {licence.state === 'inactive' && licence.inactiveCompanyId && licence.inactiveCompanyId !== licence.companyId ? <> · a partner above it is inactive</> : null}
        {licence.state === 'billable' ? <> · activity is billed</> : <> · activity is shown, not billed</>}</dd>
      <dt>In {month}</dt>
      <dd id="licence-month">{row ? licenceSegmentsText(row.licence) : '—'}</dd>
    </dl>
  </section>
);

/** A visible warning when the company, or any company below it, had activity without a billable licence this month. */
export const UnlicensedWarning: FC<{ model: ReportModel; month: string; product: ProductType }> = ({ model, month, product }) => {
  const total = model.target.unlicensed.total;
  if (total.endpoints === 0) return null;
  const companies = model.companies.filter((c) => c.row.unlicensed.own.endpoints > 0);
  return (
    <section class="alert alert-warn card" role="alert" aria-labelledby="unlicensed-title" id="unlicensed-warning" data-unlicensed={total.endpoints}>
      <h2 id="unlicensed-title">Unlicensed activity: {total.endpoints} endpoint{total.endpoints === 1 ? '' : 's'} active in {month} without a billable licence – not billed</h2>
      <p>These endpoints ran the agent but no day of their activity had a billable licence, so they are in the usage columns and in no bill:
        {' '}{UNLICENSED_REASONS.filter((r) => total.byReason[r] > 0).map((r) => `${total.byReason[r]} ${UNLICENSED_PHRASES[r]}`).join('; ')}.</p>
      <ul id="unlicensed-companies">
        {companies.map((c) => (
          <li data-company={c.row.companyId}>
            <a href={`${BASE}/companies/${encodeURIComponent(c.row.companyId)}/endpoints${qs({ month, product, column: 'unlicensed' })}`}>{c.row.name}</a>
            {': '}{UNLICENSED_REASONS.filter((r) => c.row.unlicensed.own.byReason[r] > 0).map((r) => `${c.row.unlicensed.own.byReason[r]} ${UNLICENSED_PHRASES[r]}`).join('; ')}
          </li>
        ))}
      </ul>
    </section>
  );
};

export const UsagePage: FC<{
  viewer: Viewer; crumbs: Crumb[]; company: Company; month: string; product: ProductType; model: ReportModel | null;
  view: MonthView; chart: DailyChart; names: ReadonlyMap<string, string>; licence: CompanyLicence;
  /** Partners the company may be moved under (in scope, not itself or below it, not its parent now). */
  moveTargets?: readonly Company[];
}> = ({ viewer, crumbs, company, month, product, model, view, chart, names, licence, moveTargets }) => {
  const drill = (c: ReportCompany, column: string) =>
    `${BASE}/companies/${encodeURIComponent(c.row.companyId)}/endpoints${qs({ month, product, column })}`;
  const columns: ColumnDef[] = [
    { key: 'path', header: 'Path', cell: (c) => c.pathText },
    { key: 'companyType', header: 'Company type', cell: (c) => (c.row.companyType === 'partner' ? 'Partner' : 'Customer') },
    { key: 'licenseKey', header: 'License key', cell: (c) => c.row.licenseKey ?? NOT_APPLICABLE },
    { key: 'licenseType', header: 'License Type', cell: (c) => (c.row.licenseType ? LICENSE_TYPE_LABELS[c.row.licenseType] : NOT_APPLICABLE) },
    { key: 'month', header: 'Month', cell: (c) => c.row.month },
    ...USAGE_COLUMN_SPECS.map((spec): ColumnDef => ({
      key: spec.column, header: spec.header, num: true,
      hiddenByDefault: model ? model.companies.every((c) => usageCell(c.row, spec) === NOT_ENABLED) : false,
      cell: (c) => {
        const v = usageCell(c.row, spec);
        if (typeof v !== 'number') return <span class="muted">{v}</span>;
        return <a href={drill(c, spec.column)} data-drill={spec.column}>{v}<span class="visually-hidden"> – {spec.header} of {c.row.name}: show endpoints</span></a>;
      },
    })),
    { key: 'reservedSeats', header: 'Reserved Seats', num: true, cell: (c) => c.row.reservedSeats ?? RESERVED_SEATS_NOT_ENABLED },
    { key: 'subscriptionEndDate', header: 'Subscription End Date', cell: (c) => c.row.subscriptionEndDate ?? NOT_APPLICABLE },
    { key: 'autoRenewal', header: 'Subscription Auto-Renewal', cell: (c) => (c.row.autoRenewal ? 'Yes' : 'No') },
    { key: 'minimumUsage', header: 'Minimum Usage', num: true, cell: (c) => c.row.minimumUsage ?? NOT_ENABLED },
    { key: 'productType', header: 'Product Type', cell: (c) => (c.row.productType ? PRODUCT_TYPE_LABELS[c.row.productType] : NOT_APPLICABLE) },
    // What the licence made of the usage: billed endpoints, and activity without a billable licence (billing/licence.ts).
    { key: 'licence', header: 'Licence this month', cell: (c) => licenceText(c.row) },
    { key: 'billableEndpointUsage', header: 'Billable Endpoint Usage', num: true, cell: (c) => c.row.billable.total.billableEndpointUsage },
    {
      key: 'unlicensed', header: 'Unlicensed endpoints', num: true,
      cell: (c) => {
        const v = c.row.unlicensed.total.endpoints;
        return v === 0 ? v : <a href={drill(c, 'unlicensed')} data-drill="unlicensed">{v}<span class="visually-hidden"> – unlicensed endpoints of {c.row.name}: show them</span></a>;
      },
    },
  ];
  const exportBase = `${BASE}/companies/${encodeURIComponent(company.id)}/export`;
  return (
    <Layout title={`${company.name} – usage ${month}`} viewer={viewer} crumbs={crumbs}>
      <h1>{company.name} <span class="subtitle">usage, {month}</span></h1>
      <CompanyTabs companyId={company.id} active="usage" month={month} product={product} />
      <MonthPicker action={`${BASE}/companies/${encodeURIComponent(company.id)}`} month={month} product={product} />
      {model ? <UnlicensedWarning model={model} month={month} product={product} /> : null}
      <LicenceCard licence={licence} row={model?.target ?? null} month={month} />
      <MonthState view={view} names={names} viewer={viewer} back={`${BASE}/companies/${encodeURIComponent(company.id)}${qs({ month, product })}`} />
      <CompanyAdmin viewer={viewer} company={company} moveTargets={moveTargets} />
      <section aria-labelledby="usage-title" class="card">
        <div class="section-head">
          <h2 id="usage-title">Monthly License Usage</h2>
          <details class="column-toggles" id="column-toggles" hidden>
            <summary class="button button-secondary">Show/Hide Columns</summary>
            <fieldset>
              <legend>Columns to show</legend>
              <div class="toggle-grid">
                {columns.map((col) => (
                  <label><input type="checkbox" data-col={col.key} data-default-hidden={col.hiddenByDefault ? 'true' : undefined} checked={!col.hiddenByDefault} /> {col.header}</label>
                ))}
              </div>
              <button type="button" class="button button-small" id="columns-all">Show all</button>{' '}
              <button type="button" class="button button-small" id="columns-reset">Enabled columns only</button>
            </fieldset>
          </details>
        </div>
        {model ? (
          <>
            <p class="muted">{PRODUCT_TYPE_LABELS[product]} report · {model.finalized ? 'from the finalized snapshot' : 'computed live'} · each figure is the company’s own use plus every company below it; select a number to see its endpoints. The usage columns count activity; Billable Endpoint Usage counts only days with a billable licence; highlighted rows had activity without one.</p>
            <div class="table-scroll usage-scroll" role="region" aria-labelledby="usage-caption" tabindex={0}>
              <table class="data-table usage-table" id="usage-table">
                <caption id="usage-caption" class="visually-hidden">Monthly License Usage of {company.name} and the companies below it, {month}</caption>
                <thead>
                  <tr>
                    <th scope="col" class="sticky-col">Company</th>
                    {columns.map((col) => <th scope="col" data-col={col.key} class={[col.num ? 'num' : '', col.hiddenByDefault ? 'col-hidden' : ''].join(' ').trim() || undefined}>{col.header}</th>)}
                  </tr>
                </thead>
                <tbody>
                  {model.companies.map((c) => (
                    <tr data-company={c.row.companyId} class={c.row.unlicensed.total.endpoints > 0 ? 'row-unlicensed' : undefined}>
                      <th scope="row" class={`sticky-col depth-${Math.min(c.depth, 4)}`}>
                        <a href={`${BASE}/companies/${encodeURIComponent(c.row.companyId)}${qs({ month, product })}`}>{c.row.name}</a>
                      </th>
                      {columns.map((col) => <td data-col={col.key} class={[col.num ? 'num' : '', col.hiddenByDefault ? 'col-hidden' : ''].join(' ').trim() || undefined}>{col.cell(c)}</td>)}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </>
        ) : <p class="empty">No usage rows for this company in {month}.</p>}
      </section>
      <section aria-labelledby="chart-title" class="card">
        <h2 id="chart-title">Daily active endpoints and add-on usage</h2>
        <UsageChart chart={chart} id="usage-chart" />
      </section>
      <section aria-labelledby="export-title" class="card">
        <h2 id="export-title">Export</h2>
        <p class="muted">The report of {company.name} and everything below it, {month}, {PRODUCT_TYPE_LABELS[product]}.</p>
        <ul class="button-row">
          {(['csv', 'xlsx', 'pdf', 'psa'] as const).map((f) => (
            <li><a class="button" href={`${exportBase}/${f}${qs({ month, product })}`} download data-export={f}>{f === 'psa' ? 'PSA (CSV)' : f.toUpperCase()}<span class="visually-hidden"> export of the report</span></a></li>
          ))}
        </ul>
      </section>
    </Layout>
  );
};

// ------------------------------------------------------------------ drill-down

export interface DrillLine {
  companyId: string;
  companyName: string;
  deviceId: string;
  info: EndpointInfo | null;
  virtual: boolean;
  role: string;
  value: number;
  activeDays: number;
  awakeSeconds: number;
  note: string;
}

export const DrillPage: FC<{
  viewer: Viewer; crumbs: Crumb[]; company: Company; month: string; product: ProductType; column: string; figure: number | string; lines: DrillLine[];
}> = ({ viewer, crumbs, company, month, product, column, figure, lines }) => {
  const header = COLUMN_HEADERS[column] ?? column;
  const sum = lines.reduce((a, l) => a + l.value, 0);
  return (
    <Layout title={`${header} – ${company.name} ${month}`} viewer={viewer} crumbs={crumbs}>
      <h1>{header} <span class="subtitle">{company.name}, {month}</span></h1>
      <MonthPicker action={`${BASE}/companies/${encodeURIComponent(company.id)}/endpoints`} month={month} product={product} extra={{ column }} />
      <p id="drill-summary">
        Report figure: <strong id="drill-figure">{figure}</strong>. {lines.length} endpoint{lines.length === 1 ? '' : 's'} {column === 'unlicensed' ? 'active without a billable licence, not billed' : 'counted in this column'}
        {column === 'sveVdiHours' ? <>, {sum} hours in all</> : null}.
        {typeof figure === 'number' && figure !== sum ? <> The figure differs from the endpoints’ sum ({sum}) because the column is not a per-endpoint count (e.g. XDR usage follows licensed endpoints).</> : null}
      </p>
      <div class="table-scroll" role="region" aria-labelledby="drill-caption" tabindex={0}>
        <table class="data-table" id="drill-table">
          <caption id="drill-caption">Endpoints behind {header} of {company.name} and the companies below it</caption>
          <thead>
            <tr><th scope="col">Endpoint</th><th scope="col">Company</th><th scope="col">Type</th><th scope="col">OS</th><th scope="col" class="num">Counts</th>
              <th scope="col" class="num">Active days</th><th scope="col" class="num">Awake hours</th><th scope="col">Billing note</th></tr>
          </thead>
          <tbody>
            {lines.length === 0 ? <tr><td colspan={8} class="empty">No endpoint counted in this column.</td></tr> : lines.map((l) => (
              <tr data-device={l.deviceId}>
                <th scope="row"><a href={`${BASE}/devices/${encodeURIComponent(l.deviceId)}/explain${qs({ month, product })}`}>{l.info?.hostname || l.deviceId}</a>
                  <div class="muted small">{l.deviceId}</div></th>
                <td>{l.companyName}</td>
                <td>{l.virtual ? 'Virtual' : 'Physical'} {l.role === 'server' ? 'server' : 'workstation'}</td>
                <td>{l.info?.os || '—'}</td>
                <td class="num">{l.value}</td><td class="num">{l.activeDays}</td><td class="num">{hours(l.awakeSeconds)}</td>
                <td>{l.note}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p><a href={`${BASE}/companies/${encodeURIComponent(company.id)}${qs({ month, product })}`}>Back to the usage of {company.name}</a></p>
    </Layout>
  );
};

// ------------------------------------------------------------------ devices

/** A select of the devices page's filters: '' is any. */
const FilterSelect: FC<{ name: string; label: string; value: string | null; options: readonly (readonly [string, string])[] }> = ({ name, label, value, options }) => (
  <div class="field">
    <label for={`filter-${name}`}>{label}</label>
    <select id={`filter-${name}`} name={name}>
      <option value="">Any</option>
      {options.map(([v, text]) => <option value={v} selected={v === value}>{text}</option>)}
    </select>
  </div>
);

const utcShort = (ms: number | null) => (ms === null ? '—' : new Date(ms).toISOString().replace('T', ' ').slice(0, 16));
const deviceKind = (r: DeviceRow) => {
  const kind = r.virtual === null ? null : r.virtual ? 'Virtual' : 'Physical';
  const role = r.role === null ? null : r.role === 'server' ? 'server' : 'workstation';
  return kind && role ? `${kind} ${role}` : kind ?? (role ? role[0].toUpperCase() + role.slice(1) : '—');
};

export const DevicesPage: FC<{
  viewer: Viewer; crumbs: Crumb[]; company: Company; month: string; product: ProductType; rows: DeviceRow[]; next: string | null; after: string | null;
  filters: DeviceFilters; companies: readonly Company[]; scanned: number;
}> = ({ viewer, crumbs, company, month, product, rows, next, after, filters, companies, scanned }) => {
  const path = `${BASE}/companies/${encodeURIComponent(company.id)}/devices`;
  const kept = { month, product, company: filters.companyId, billed: filters.billed, status: filters.status, os: filters.os, kind: filters.kind };
  const filtered = Object.values(filters).some((v) => v !== null);
  return (
    <Layout title={`${company.name} – devices`} viewer={viewer} crumbs={crumbs}>
      <h1>{company.name} <span class="subtitle">devices</span></h1>
      <CompanyTabs companyId={company.id} active="devices" month={month} product={product} />
      <MonthPicker action={path} month={month} product={product} label="Month, product type and filters">
        {companies.length > 1
          ? <FilterSelect name="company" label="Company" value={filters.companyId} options={companies.map((co) => [co.id, co.name] as const)} />
          : null}
        <FilterSelect name="billed" label="Billed" value={filters.billed} options={[['yes', 'Billed'], ['no', 'Not billed']]} />
        <FilterSelect name="status" label="Status" value={filters.status} options={Object.entries(STATUS_LABELS)} />
        <FilterSelect name="os" label="OS" value={filters.os} options={Object.entries(OS_FILTERS)} />
        <FilterSelect name="kind" label="Physical / virtual" value={filters.kind} options={[['physical', 'Physical'], ['virtual', 'Virtual']]} />
      </MonthPicker>
      <p class="muted">Devices of {company.name} and the companies below it, by name. Awake hours, modules and Billed are those of {month}; inactive means no activity in {month} (not billed for it); User is the person the device belongs to now. A device with no activity for 90 days leaves this list; its bills stay.</p>
      {filtered ? <p class="muted" id="devices-filtered">Filtered: <a href={`${path}${qs({ month, product })}`}>show every device</a>.</p> : null}
      <div class="table-scroll" role="region" aria-labelledby="devices-caption" tabindex={0}>
        <table class="data-table compact devices-table" id="devices-table">
          <caption id="devices-caption" class="visually-hidden">Devices of {company.name}</caption>
          <thead>
            <tr><th scope="col">Device</th><th scope="col">Company</th><th scope="col">Type</th><th scope="col">Last seen (UTC)</th>
              <th scope="col" class="num">Awake h</th><th scope="col">Billed</th><th scope="col">Status</th><th scope="col">User</th><th scope="col">Modules</th></tr>
          </thead>
          <tbody>
            {rows.length === 0 ? <tr><td colspan={9} class="empty">{filtered ? 'No device matches.' : 'No devices.'}</td></tr> : rows.map((r) => (
              <tr data-device={r.device.id}>
                <th scope="row" title={`Device ${r.device.id}${r.hardwareId ? ` · hardware ${r.hardwareId}` : ''}`}>
                  <a href={`${BASE}/devices/${encodeURIComponent(r.device.id)}/explain${qs({ month, product })}`}>{r.device.hostname || r.device.id}</a>
                  {r.os ? <div class="muted small device-os">{r.os}</div> : null}
                </th>
                <td class="device-company">{r.device.companyName}</td>
                <td class="nowrap">{deviceKind(r)}</td>
                <td class="nowrap">{utcShort(r.device.lastSeenAtMs)}</td>
                <td class="num">{hours(r.awakeSeconds)}</td>
                <td data-billed={r.billed ? 'yes' : 'no'}>{r.billed ? 'Yes' : <>No<div class="muted small">{r.notBilledBecause}</div></>}</td>
                <td data-status={r.statuses.join(' ')}>{r.statuses.map((st) => <span class={`badge badge-status-${st}`}>{STATUS_LABELS[st]}</span>)}</td>
                <td class="device-user">{r.user ?? '—'}</td>
                <td class="modules">{moduleList(r.modules)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <nav aria-label="Pages of devices" class="pager">
        {after ? <a href={`${path}${qs(kept)}`}>First page</a> : null}
        {next ? <a href={`${path}${qs({ ...kept, after: next })}`} id="devices-next">Next page</a> : null}
        {next && rows.length < DEVICE_PAGE ? <span class="muted" id="devices-scanned">{scanned} devices checked for this page; the next page goes on from there.</span> : null}
      </nav>
    </Layout>
  );
};

// ------------------------------------------------------------------ explain

export const ExplainPage: FC<{
  viewer: Viewer; crumbs: Crumb[]; hostname: string; deviceId: string; companyName: string; month: string; product: ProductType;
  explanation: DeviceExplanation; names: ReadonlyMap<string, string>; users: ReadonlyMap<string, string>;
  /** The device's status, history and actions (device-pages.tsx). */
  lifecycle?: Child;
}> = ({ viewer, crumbs, hostname, deviceId, companyName, month, product, explanation: e, names, users, lifecycle }) => {
  const counted = e.columns.filter((c) => c.value > 0);
  return (
    <Layout title={`${hostname} – billing ${month}`} viewer={viewer} crumbs={crumbs}>
      <h1>{hostname} <span class="subtitle">billing explained, {month}</span></h1>
      <MonthPicker action={`${BASE}/devices/${encodeURIComponent(deviceId)}/explain`} month={month} product={product} />
      <dl class="facts card">
        <dt>Device id</dt><dd><code>{deviceId}</code></dd>
        <dt>Company</dt><dd>{companyName}</dd>
        <dt>Product type</dt><dd>{PRODUCT_TYPE_LABELS[product]}</dd>
        <dt>Billed</dt><dd id="explain-billed">{e.found ? (e.billedCompanyId ? `Yes, to ${names.get(e.billedCompanyId) ?? 'another company'}` : 'No') : 'No activity this month'}</dd>
        {e.unlicensed ? <><dt>Unlicensed</dt><dd id="explain-unlicensed" data-reason={e.unlicensed}>Active {UNLICENSED_PHRASES[e.unlicensed]} on its last active day, and on no day with a billable licence: shown, not billed</dd></> : null}
        <dt>Usage counted at</dt><dd>{e.countedCompanyId ? names.get(e.countedCompanyId) ?? 'another company' : '—'}</dd>
        <dt>Counted in</dt><dd>{counted.length ? counted.map((c) => COLUMN_HEADERS[c.column] ?? c.column).join(', ') : '—'}</dd>
      </dl>
      {lifecycle}
      {!e.found ? <p class="empty" id="explain-empty">The device has no activity in {month}: nothing is billed for it.</p> : (
        <>
          <section aria-labelledby="listed-title" class="card">
            <h2 id="listed-title">Where it is listed</h2>
            <ul>
              {e.listedAt.map((l) => <li><strong>{names.get(l.companyId) ?? 'another company'}</strong>: {/^(not )?billed/.test(l.note) ? l.note : `${l.billed ? 'billed here' : 'not billed here'} – ${l.note}`}</li>)}
            </ul>
          </section>
          <section aria-labelledby="columns-title" class="card">
            <h2 id="columns-title">Column by column</h2>
            <p class="muted">The usage columns (activity, whatever the licence), at the company where it was last active.
              {' '}Billed: {e.billableColumns.length ? e.billableColumns.filter((c) => c.value > 0).map((c) => `${COLUMN_HEADERS[c.column] ?? c.column} ${c.value}`).join(', ') || 'nothing' : 'nothing'}, over its days with a billable licence.</p>
            <div class="table-scroll" role="region" aria-labelledby="columns-caption" tabindex={0}>
              <table class="data-table" id="explain-columns">
                <caption id="columns-caption" class="visually-hidden">Why the device counts or not in each column</caption>
                <thead><tr><th scope="col">Column</th><th scope="col" class="num">Counts</th><th scope="col">Rule</th><th scope="col">Why</th></tr></thead>
                <tbody>
                  {e.columns.map((c) => (
                    <tr class={c.value > 0 ? 'counted' : undefined} data-column={c.column}>
                      <th scope="row">{COLUMN_HEADERS[c.column] ?? c.column}</th><td class="num">{c.value}</td><td><code>{c.rule}</code></td><td>{c.text}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </section>
          <section aria-labelledby="days-title" class="card">
            <h2 id="days-title">Day by day</h2>
            <div class="table-scroll" role="region" aria-labelledby="days-caption" tabindex={0}>
              <table class="data-table compact" id="explain-days">
                <caption id="days-caption" class="visually-hidden">The device's days in {month}</caption>
                <thead><tr><th scope="col">Day (UTC)</th><th scope="col">Company</th><th scope="col" class="num">Awake hours</th><th scope="col">Modules</th><th scope="col">User</th><th scope="col">Licence</th><th scope="col">Verdict</th></tr></thead>
                <tbody>
                  {e.days.map((d) => (
                    <tr class={d.verdict === 'counted' && !d.billable ? 'day-unlicensed' : undefined} data-licence={d.licence}>
                      <th scope="row">{d.date}</th><td>{names.get(d.companyId) ?? 'another company'}</td><td class="num">{hours(d.awakeSeconds)}</td>
                      <td class="modules">{moduleList(d.modules)}</td><td>{d.userId ? users.get(d.userId) ?? d.userId : '—'}</td>
                      <td class={`licence-state licence-state-${d.licence}`}>{LICENCE_STATE_LABELS[d.licence]}</td><td>{d.note}</td></tr>
                  ))}
                </tbody>
              </table>
            </div>
          </section>
        </>
      )}
    </Layout>
  );
};

