// The console's PSA page: each connected PSA with its last sync, the
// company and SKU mappings and what is still unmapped, and on request the
// reconciliation (Tally vs the PSA now, per company and SKU, with drift
// flags), with "Dry run" and "Sync now" for those who may (psa.write). The
// connection itself (credentials) is set over the API or the CLI, never in a
// browser form. Pure rendering; actions are admin commands (actions.ts).
import type { FC } from 'hono/jsx';
import type { SyncPlan } from '../psa/sync.ts';
import { BASE, Layout, type Viewer } from './layout.tsx';
import { ActionForm } from './pages.tsx';

const utc = (iso: string | null) => (iso === null ? '—' : iso.replace('T', ' ').slice(0, 16) + ' UTC');

export interface PsaConnectionView {
  kind: string;
  baseUrl: string;
  credentials: Record<string, string>;
  syncHours: number;
  lastSyncAt: string | null;
  lastSyncStatus: string | null;
}

export interface PsaOverviewView {
  month: string;
  companyMappings: { companyId: string; psaCompanyId: string; psaCompanyName: string; agreementId: string; agreementName: string }[];
  productMappings: { sku: string; productId: string; productName: string }[];
  unmappedCompanies: { id: string; name: string; billableThisMonth: boolean }[];
  unmappedSkus: string[];
}

const KIND_LABEL: Readonly<Record<string, string>> = { connectwise: 'ConnectWise PSA', autotask: 'Autotask', halopsa: 'HaloPSA' };
const FLAG_LABEL: Readonly<Record<string, string>> = {
  hand_edited: 'Edited by hand in the PSA', agreement_cancelled: 'Agreement cancelled', company_unmapped: 'Company not mapped', product_unmapped: 'SKU not mapped',
  unlicensed_activity: 'Unlicensed activity (never pushed)', line_missing: 'Not in the PSA yet', pending_adjustment: 'Adjustment awaiting confirmation', month_missed: 'Month never synced',
};
const ACTION_LABEL: Readonly<Record<string, string>> = { none: '—', set: 'Set quantity', create: 'Add line', adjust: 'Adjustment' };

export const PsaPage: FC<{
  viewer: Viewer; connections: readonly PsaConnectionView[]; kind: string | null; overview: PsaOverviewView | null; month: string;
  plan: SyncPlan | null; names: ReadonlyMap<string, string>;
}> = ({ viewer, connections, kind, overview, month, plan, names }) => {
  const can = viewer.can.includes('psa.write') && viewer.homeCompanyId === null;
  const here = `${BASE}/psa?kind=${encodeURIComponent(kind ?? '')}&month=${month}`;
  return (
    <Layout title="PSA sync" viewer={viewer} crumbs={[{ label: 'Overview', href: `${BASE}/overview` }, { label: 'PSA sync' }]}>
      <h1>PSA sync</h1>
      <p>Tally sets each customer's billable quantities in your PSA and checks them. Connect a PSA over the API or with <code>tally-collector psa connect</code>; credentials are stored encrypted and never shown.</p>
      {connections.length === 0 ? <p class="empty" id="no-psa">No PSA is connected yet.</p> : (
        <div class="table-scroll" role="region" aria-labelledby="psa-connections-caption" tabindex={0}>
          <table class="data-table" id="psa-connections">
            <caption id="psa-connections-caption">Connected PSAs</caption>
            <thead><tr><th scope="col">PSA</th><th scope="col">API</th><th scope="col">Synced every</th><th scope="col">Last sync</th><th scope="col">Result</th></tr></thead>
            <tbody>
              {connections.map((c) => (
                <tr data-kind={c.kind} aria-current={c.kind === kind ? 'true' : undefined}>
                  <td><a href={`${BASE}/psa?kind=${encodeURIComponent(c.kind)}&month=${month}`}>{KIND_LABEL[c.kind] ?? c.kind}</a></td>
                  <td><code>{c.baseUrl}</code></td>
                  <td>{c.syncHours > 0 ? `${c.syncHours} h` : 'on demand only'}</td>
                  <td>{utc(c.lastSyncAt)}</td>
                  <td class={c.lastSyncStatus && c.lastSyncStatus !== 'ok' ? 'warning' : undefined}>{c.lastSyncStatus ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {kind && overview ? (
        <>
          <section aria-labelledby="psa-mappings-title" class="card">
          <h2 id="psa-mappings-title">{KIND_LABEL[kind] ?? kind}: mappings</h2>
          <div class="table-scroll" role="region" aria-labelledby="psa-mappings-title" tabindex={0}>
            <table class="data-table" id="psa-company-mappings">
              <thead><tr><th scope="col">Tally company</th><th scope="col">PSA company</th><th scope="col">Agreement</th></tr></thead>
              <tbody>
                {overview.companyMappings.map((m) => (
                  <tr><td>{names.get(m.companyId) ?? m.companyId}</td><td>{m.psaCompanyName || m.psaCompanyId}</td><td>{m.agreementName || m.agreementId}</td></tr>
                ))}
              </tbody>
            </table>
          </div>
          <div class="table-scroll" role="region" aria-label="SKU mappings" tabindex={0}>
            <table class="data-table" id="psa-product-mappings">
              <thead><tr><th scope="col">Tally SKU</th><th scope="col">PSA product</th></tr></thead>
              <tbody>{overview.productMappings.map((m) => <tr><td><code>{m.sku}</code></td><td>{m.productName || m.productId}</td></tr>)}</tbody>
            </table>
          </div>
          <p id="psa-unmapped" class={overview.unmappedCompanies.some((c) => c.billableThisMonth) || overview.unmappedSkus.length ? 'warning' : 'muted'}>
            Not mapped: {overview.unmappedCompanies.filter((c) => c.billableThisMonth).map((c) => c.name).join(', ') || 'no company billed this month'}
            {overview.unmappedSkus.length ? `; SKUs ${overview.unmappedSkus.join(', ')}` : ''}.
          </p>
          </section>
          <form method="get" action={`${BASE}/psa`} class="inline-form">
            <input type="hidden" name="kind" value={kind} />
            <label>Month <input type="month" name="month" value={month} /></label>
            <input type="hidden" name="reconcile" value="1" />
            <button type="submit" class="button">Reconcile</button>
          </form>
          {plan ? <Reconciliation plan={plan} viewer={viewer} can={can} back={here} /> : null}
        </>
      ) : null}
    </Layout>
  );
};

const Reconciliation: FC<{ plan: SyncPlan; viewer: Viewer; can: boolean; back: string }> = ({ plan, viewer, can, back }) => {
  const drift = plan.rows.filter((r) => r.flags.some((f) => f !== 'line_missing')).length;
  const changes = plan.rows.filter((r) => r.action !== 'none').length;
  return (
    <section aria-labelledby="psa-reconciliation-title" class="card">
      <h2 id="psa-reconciliation-title">Reconciliation, {plan.month} ({plan.finalized ? 'finalized' : plan.monthStatus})</h2>
      <p id="psa-summary">{changes} line{changes === 1 ? '' : 's'} to write, {drift} flagged.</p>
      <div class="table-scroll" role="region" aria-labelledby="psa-reconciliation-title" tabindex={0}>
        <table class="data-table" id="psa-reconciliation">
          <thead><tr><th scope="col">Company</th><th scope="col">SKU</th><th scope="col" class="num">Tally</th><th scope="col" class="num">PSA now</th><th scope="col" class="num">Last pushed</th><th scope="col" class="num">Change</th><th scope="col">Sync would</th><th scope="col">Flags</th></tr></thead>
          <tbody>
            {plan.rows.map((r) => (
              <tr data-company={r.companyId} data-sku={r.sku} class={r.flags.some((f) => f !== 'line_missing') ? 'row-warning' : undefined}>
                <td>{r.companyName}</td><td><code>{r.sku}</code></td>
                <td class="num">{r.sku === 'TALLY-UNLICENSED-ENDPOINTS' ? `(${r.usage})` : r.tally}</td>
                <td class="num">{r.psa ?? '—'}</td><td class="num">{r.lastPushed ?? '—'}</td>
                <td class="num">{r.change > 0 ? `+${r.change}` : r.change}</td>
                <td>{ACTION_LABEL[r.action] ?? r.action}</td>
                <td>{r.flags.map((f) => FLAG_LABEL[f] ?? f).join('; ') || '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {can ? (
        <p>
          <ActionForm viewer={viewer} action="psa-sync" label="Sync now" fields={{ kind: plan.kind, month: plan.month, dryRun: 'false', back }}
            confirm={`Write ${plan.month}'s quantities to the PSA? Lines edited by hand are left alone.`} />
        </p>
      ) : null}
    </section>
  );
};
