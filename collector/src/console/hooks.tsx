// The console's webhooks and alerts page (read): each endpoint with its scope,
// filter and state and its latest deliveries; each alert rule with what is
// raised now. Endpoints and rules are made and changed through the API, the
// JSON-RPC service or the CLI (a secret shown once needs a place that keeps
// it; a browser page is not one).
import type { Context, Hono } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { FC } from 'hono/jsx';
import { requirePermission } from '../auth/principal.ts';
import type { AlertRule, AlertState, HookStore, WebhookDelivery, WebhookEndpoint } from '../storage/types.ts';
import type { ConsoleEnv } from './http.ts';
import { Layout, type Viewer } from './layout.tsx';

const utc = (ms: number | null | undefined): string => (ms === null || ms === undefined ? '—' : new Date(ms).toISOString().replace('T', ' ').slice(0, 16) + ' UTC');

const STATUS_BADGE: Record<WebhookDelivery['status'], string> = { delivered: 'badge badge-status-active', pending: 'badge badge-warn', failed: 'badge badge-status-clone' };

const PARAM_TEXT: Record<string, (p: Record<string, number>) => string> = {
  endpoints_above: (p) => `active endpoints today above ${p.threshold}`,
  endpoints_below: (p) => `active endpoints yesterday below ${p.threshold}`,
  week_jump: (p) => `up more than ${p.percent} % on the same day last week`,
  week_drop: (p) => `down more than ${p.percent} % on the same day last week`,
  unlicensed: (p) => `${p.minEndpoints ?? 1} or more endpoints with unlicensed activity`,
  enrolment_burst: (p) => `${p.count} enrolments on one token within ${p.minutes} min`,
  forecast_over_reserved: (p) => `forecast above reserved seats${p.marginPercent ? ` + ${p.marginPercent} %` : ''}`,
};

export const HooksPage: FC<{
  viewer: Viewer; endpoints: readonly (WebhookEndpoint & { deliveries: WebhookDelivery[] })[]; rules: readonly (AlertRule & { raised: AlertState[] })[];
  scopeNames: ReadonlyMap<string, string>;
}> = ({ viewer, endpoints, rules, scopeNames }) => {
  const scopeOf = (id: string | null) => (id === null ? 'Installation' : scopeNames.get(id) ?? id);
  const raisedCount = rules.reduce((n, r) => n + r.raised.length, 0);
  return (
    <Layout title="Webhooks and alerts" viewer={viewer} crumbs={[{ label: 'Webhooks and alerts' }]}>
      <h1>Webhooks and alerts</h1>
      <p>Tally posts signed events (Standard Webhooks) to these endpoints and raises these alerts by webhook and e-mail.
        Create and change them with the API (<code>/api/v1/webhooks</code>, <code>/api/v1/companies/&#123;id&#125;/alert-rules</code>) or <code>tally-collector webhook</code> and <code>alert</code>.</p>
      <section class="card" aria-labelledby="alerts-title">
        <h2 id="alerts-title">Alert rules</h2>
        <p id="alerts-raised" class={raisedCount ? 'warning' : 'muted'}>{raisedCount ? `${raisedCount} alert${raisedCount === 1 ? ' is' : 's are'} raised now.` : 'Nothing is raised now.'}</p>
        {rules.length === 0 ? <p class="muted" id="no-rules">No alert rules.</p> : (
          <div class="table-scroll" role="region" aria-labelledby="alerts-title" tabindex={0}>
          <table class="data-table" id="rules-table">
            <thead><tr><th scope="col">Rule</th><th scope="col">For</th><th scope="col">Condition</th><th scope="col">E-mail</th><th scope="col">Raised now</th></tr></thead>
            <tbody>
              {rules.map((r) => (
                <tr data-rule={r.name}>
                  <td>{r.name}{r.disabledAtMs !== null ? <span class="badge badge-muted">disabled</span> : null}</td>
                  <td>{scopeOf(r.companyId)}</td>
                  <td>{(PARAM_TEXT[r.kind] ?? (() => r.kind))(r.params)}</td>
                  <td>{r.emailTo.length ? r.emailTo.join(', ') : '—'}</td>
                  <td>{r.raised.length === 0 ? <span class="muted">no</span> : r.raised.map((s) => (
                    <div><span class="badge badge-warn">raised {utc(s.raisedAtMs)}</span> {String(s.details.summary ?? summaryOf(s))}</div>
                  ))}</td>
                </tr>
              ))}
            </tbody>
          </table>
          </div>
        )}
      </section>
      <section class="card" aria-labelledby="endpoints-title">
        <h2 id="endpoints-title">Webhook endpoints</h2>
        {endpoints.length === 0 ? <p class="muted" id="no-endpoints">No webhook endpoints.</p> : (
          <div class="table-scroll" role="region" aria-labelledby="endpoints-title" tabindex={0}>
          <table class="data-table" id="endpoints-table">
            <thead><tr><th scope="col">URL</th><th scope="col">Scope</th><th scope="col">Events</th><th scope="col">State</th><th scope="col">Latest deliveries</th></tr></thead>
            <tbody>
              {endpoints.map((e) => (
                <tr data-endpoint={e.url}>
                  <td><code>{e.url}</code>{e.description ? <div class="muted">{e.description}</div> : null}</td>
                  <td>{scopeOf(e.companyId)}</td>
                  <td>{e.eventTypes.length ? e.eventTypes.join(', ') : 'every event'}</td>
                  <td>{e.disabledAtMs === null ? 'enabled' : `disabled ${utc(e.disabledAtMs)}`}</td>
                  <td>{e.deliveries.length === 0 ? <span class="muted">none yet</span> : e.deliveries.map((d) => (
                    <div><span class={STATUS_BADGE[d.status]}>{d.status}</span> {d.eventType} · {d.attempts} attempt{d.attempts === 1 ? '' : 's'} · {utc(d.createdAtMs)}</div>
                  ))}</td>
                </tr>
              ))}
            </tbody>
          </table>
          </div>
        )}
      </section>
    </Layout>
  );
};

const summaryOf = (s: AlertState) => Object.entries(s.details).map(([k, v]) => `${k} ${v}`).join(', ');

export function hookPages(app: Hono<ConsoleEnv>, deps: { hooks: HookStore; html: (c: Context, node: unknown, status?: ContentfulStatusCode) => Response | Promise<Response> }): void {
  app.get('/webhooks', async (c) => {
    requirePermission(c.get('principal'), 'read');
    const scope = c.get('scope');
    const endpoints = await Promise.all((await deps.hooks.listEndpoints(scope.companyIds())).map(async (e) => ({ ...e, deliveries: await deps.hooks.listDeliveries(e.id, 5) })));
    const rules = await Promise.all((await deps.hooks.listRules(scope.companyIds())).map(async (r) => ({ ...r, raised: await deps.hooks.alertStates(r.id) })));
    const scopeNames = new Map(scope.visibleCompanies().map((co) => [co.id, co.name]));
    return deps.html(c, <HooksPage viewer={c.get('viewer')} endpoints={endpoints} rules={rules} scopeNames={scopeNames} />);
  });
}
