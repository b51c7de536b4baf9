// The console's home page (issue 21): an MSP admin's day starts with every
// customer on one table: endpoints billed this month and the change against
// last month, unlicensed activity, possible duplicates, the last PSA sync;
// the partner's totals on top, the month's state beside them. Sortable by any
// column (on the server: links, so it works without the script).
import type { FC } from 'hono/jsx';
import type { CompanyUsageRow } from '../billing/index.ts';
import { PRODUCT_TYPE_LABELS } from '../reports/index.ts';
import type { MonthView } from '../usage/index.ts';
import { BASE, Layout, type Viewer } from './layout.tsx';
import { qs } from './pages.tsx';

/**
 * When each company was last synchronised with the MSP's PSA (issue 19 fills
 * it: the PSA connectors record their runs). Until then the console shows "—".
 */
export interface CompanySyncStatus {
  /** The latest sync per company id, for the ids given; companies never synchronised are left out. */
  lastSyncs(companyIds: readonly string[]): Promise<ReadonlyMap<string, { atMs: number; ok: boolean }>>;
}

/** No PSA sync yet: every company shows "—". */
export const NO_SYNC: CompanySyncStatus = { lastSyncs: async () => new Map() };

export interface OverviewRow {
  companyId: string;
  name: string;
  /** Names of the partners above it that the viewer sees, for context. */
  partner: string;
  active: boolean;
  billed: number;
  billedLastMonth: number;
  activeEndpoints: number;
  unlicensed: number;
  duplicates: number;
  lastSync: { atMs: number; ok: boolean } | null;
}

export const OVERVIEW_SORTS = ['name', 'billed', 'change', 'unlicensed', 'duplicates', 'sync'] as const;
export type OverviewSort = (typeof OVERVIEW_SORTS)[number];

/** The rows in the order asked for; figures biggest first, names A to Z, ties by name. */
export function sortOverview(rows: readonly OverviewRow[], sort: OverviewSort): OverviewRow[] {
  const key: Record<OverviewSort, (r: OverviewRow) => number> = {
    name: () => 0,
    billed: (r) => -r.billed,
    change: (r) => -Math.abs(r.billed - r.billedLastMonth),
    unlicensed: (r) => -r.unlicensed,
    duplicates: (r) => -r.duplicates,
    sync: (r) => r.lastSync?.atMs ?? Number.MAX_SAFE_INTEGER,
  };
  return [...rows].sort((a, b) => key[sort](a) - key[sort](b) || a.name.localeCompare(b.name) || a.companyId.localeCompare(b.companyId));
}

const utc = (ms: number) => new Date(ms).toISOString().replace('T', ' ').slice(0, 16) + ' UTC';
const signed = (n: number) => (n > 0 ? `+${n}` : String(n));

const STATE: Record<MonthView['status'], string> = {
  open: 'Open', closing: 'Closing (grace window for late data)', awaiting_finalization: 'Closing (awaiting finalization)', finalized: 'Finalized', future: 'Future',
};

export const OverviewPage: FC<{
  viewer: Viewer; month: string; lastMonth: string; product: 'endpoint_security' | 'edr'; view: MonthView; lastView: MonthView;
  totals: readonly CompanyUsageRow[]; rows: readonly OverviewRow[]; sort: OverviewSort; duplicatesTotal: number;
}> = ({ viewer, month, lastMonth, product, view, lastView, totals, rows, sort, duplicatesTotal }) => {
  const head = (key: OverviewSort, label: string, num = false) => (
    <th scope="col" class={num ? 'num' : undefined} aria-sort={sort === key ? (key === 'name' || key === 'sync' ? 'ascending' : 'descending') : undefined}>
      <a href={`${BASE}/overview${qs({ month, product, sort: key })}`} data-sort={key}>{label}</a>
    </th>
  );
  return (
    <Layout title="Overview" viewer={viewer} crumbs={[{ label: 'Overview' }]}>
      <h1>Overview <span class="subtitle">{month}, {PRODUCT_TYPE_LABELS[product]}</span></h1>
      <form method="get" action={`${BASE}/overview`} class="month-picker" aria-label="Month and product type">
        <input type="hidden" name="sort" value={sort} />
        <div class="field"><label for="month-input">Month</label><input id="month-input" type="month" name="month" value={month} required /></div>
        <div class="field"><label for="product-input">Product type</label>
          <select id="product-input" name="product">{(['endpoint_security', 'edr'] as const).map((p) => <option value={p} selected={p === product}>{PRODUCT_TYPE_LABELS[p]}</option>)}</select></div>
        <button type="submit" class="button">Show</button>
      </form>
      <section class="card" aria-labelledby="totals-title" id="overview-totals">
        <h2 id="totals-title">{totals.length === 1 ? totals[0].name : 'Your partners'}</h2>
        <dl class="facts">
          <dt>Month</dt><dd id="overview-month-state">{month}: {STATE[view.status]}{view.finalizedHash ? <> · hash <code class="hash">{view.finalizedHash.slice(0, 16)}…</code></> : null}; {lastMonth}: {STATE[lastView.status]}</dd>
        </dl>
        <div class="table-scroll" role="region" aria-label="Totals" tabindex={0}>
          <table class="data-table compact" id="overview-totals-table">
            <thead><tr><th scope="col">Partner</th><th scope="col" class="num">Billed endpoints</th><th scope="col" class="num">Active endpoints</th><th scope="col" class="num">Unlicensed (not billed)</th><th scope="col" class="num">Possible duplicates</th></tr></thead>
            <tbody>
              {totals.map((t) => (
                <tr data-company={t.companyId}>
                  <th scope="row"><a href={`${BASE}/companies/${encodeURIComponent(t.companyId)}${qs({ month, product })}`}>{t.name}</a></th>
                  <td class="num">{t.billable.total.billableEndpointUsage}</td><td class="num">{t.total.licensedEndpoints}</td>
                  <td class={`num${t.unlicensed.total.endpoints ? ' warn-cell' : ''}`}>{t.unlicensed.total.endpoints}</td>
                  <td class="num"><a href={`${BASE}/duplicates`}>{duplicatesTotal}</a></td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
      <section class="card" aria-labelledby="customers-title">
        <h2 id="customers-title">Customers</h2>
        <p class="muted">Billed: the customer's billable Endpoint Usage in {month} (its own use, days with a billable licence). Endpoints billed under another column of the report (a virtual server, for one) are in the usage table; the devices page marks every billed device. Change: against {lastMonth}. Select a column's title to sort.</p>
        <div class="table-scroll" role="region" aria-labelledby="customers-title" tabindex={0}>
          <table class="data-table" id="overview-table">
            <thead>
              <tr>
                {head('name', 'Customer')}<th scope="col">Partner</th>{head('billed', 'Billed endpoints', true)}{head('change', `Change vs ${lastMonth}`, true)}
                <th scope="col" class="num">Active endpoints</th>{head('unlicensed', 'Unlicensed (not billed)', true)}{head('duplicates', 'Possible duplicates', true)}
                <th scope="col">Month</th>{head('sync', 'Last PSA sync')}
              </tr>
            </thead>
            <tbody>
              {rows.length === 0 ? <tr><td colspan={9} class="empty">No customers.</td></tr> : rows.map((r) => (
                <tr data-company={r.companyId} class={r.unlicensed > 0 ? 'row-unlicensed' : undefined}>
                  <th scope="row"><a href={`${BASE}/companies/${encodeURIComponent(r.companyId)}${qs({ month, product })}`}>{r.name}</a>
                    {r.active ? null : <span class="badge badge-warn">Inactive</span>}</th>
                  <td>{r.partner || '—'}</td>
                  <td class="num" data-col="billed">{r.billed}</td>
                  <td class="num" data-col="change">{signed(r.billed - r.billedLastMonth)}</td>
                  <td class="num">{r.activeEndpoints}</td>
                  <td class="num" data-col="unlicensed">{r.unlicensed ? <a href={`${BASE}/companies/${encodeURIComponent(r.companyId)}/endpoints${qs({ month, product, column: 'unlicensed' })}`}>{r.unlicensed}</a> : 0}</td>
                  <td class="num" data-col="duplicates">{r.duplicates ? <a href={`${BASE}/duplicates`}>{r.duplicates}</a> : 0}</td>
                  <td>{STATE[view.status]}</td>
                  <td data-col="sync">{r.lastSync ? `${utc(r.lastSync.atMs)}${r.lastSync.ok ? '' : ' (failed)'}` : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
      <p><a href={`${BASE}/companies`}>The company tree</a></p>
    </Layout>
  );
};
