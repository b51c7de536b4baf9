// What the surfaces read about PSA sync (REST, JSON-RPC, CLI, console): the
// connection as it may be shown (secrets masked), the mappings with the
// companies and SKUs still unmapped, suggestions from the PSA's company
// list, and the reconciliation (the dry run with drift flags) as JSON or CSV.
import { csvLine } from '../reports/csv.ts';
import { UNLICENSED_SKU } from '../reports/psa.ts';
import { TallyError } from '../errors.ts';
import type { AdminReadStore, AuditStore, PsaConnectionRecord, PsaStore } from '../storage/types.ts';
import { monthContaining } from '../billing/index.ts';
import { PLAN_CSV_HEADERS, openConnector, planSync, suggestCompanies, tallyLines, type PsaServices, type SyncPlan } from './sync.ts';
import { PSA_KINDS, type PsaKind } from './types.ts';

export interface PsaViewDeps {
  psa: PsaServices | undefined;
  stores: { psa: PsaStore; audit: AuditStore; adminRead: Pick<AdminReadStore, 'listCompanies'> };
  now: () => number;
}

export function psaKind(value: string | undefined): PsaKind {
  if (!PSA_KINDS.includes(value as PsaKind)) throw new TallyError('invalid_request', `kind: expected one of ${PSA_KINDS.join(', ')}`, { field: 'kind' });
  return value as PsaKind;
}

function services(deps: PsaViewDeps): PsaServices {
  if (!deps.psa) throw new TallyError('internal', 'PSA sync is not available here');
  return deps.psa;
}

/** A connection as every surface shows it: never the credentials, only the identifiers and masks made when it was saved. */
export const connectionJson = (c: PsaConnectionRecord) => ({
  kind: c.kind, baseUrl: c.baseUrl, credentials: c.shown, syncHours: c.syncHours,
  lastSyncAt: c.lastSyncAtMs === null ? null : new Date(c.lastSyncAtMs).toISOString(), lastSyncStatus: c.lastSyncStatus,
  updatedAt: new Date(c.updatedAtMs).toISOString(),
});

export async function listConnections(deps: PsaViewDeps) {
  return { connections: (await deps.stores.psa.listConnections()).map(connectionJson) };
}

/** The connection, its mappings, and what is still unmapped in `month` (default: the current one). */
export async function psaOverview(deps: PsaViewDeps, kind: PsaKind, month?: string) {
  const conn = await deps.stores.psa.getConnection(kind);
  if (!conn) throw new TallyError('not_found', `no ${kind} connection is set up`, { field: 'kind' });
  const m = month ?? monthContaining(deps.now()).id;
  const [companyMaps, productMaps, lines, companies] = await Promise.all([
    deps.stores.psa.listCompanyMaps(kind), deps.stores.psa.listProductMaps(kind), tallyLines(services(deps).reader, m), deps.stores.adminRead.listCompanies(),
  ]);
  const mappedCompanies = new Set(companyMaps.map((c) => c.companyId));
  const mappedSkus = new Set(productMaps.map((p) => p.sku));
  const skusInUse = new Set([...lines.values()].flatMap((c) => [...c.skus.entries()].filter(([sku, q]) => sku !== UNLICENSED_SKU && q.billable > 0).map(([sku]) => sku)));
  return {
    connection: connectionJson(conn), month: m,
    companyMappings: companyMaps.map(({ kind: _k, ...rest }) => ({ ...rest, updatedAt: new Date(rest.updatedAtMs).toISOString() })),
    productMappings: productMaps.map(({ kind: _k, ...rest }) => ({ ...rest, updatedAt: new Date(rest.updatedAtMs).toISOString() })),
    /** Companies with billable usage this month and no mapping; every other company without one after them. */
    unmappedCompanies: companies.filter((c) => !mappedCompanies.has(c.id))
      .map((c) => ({ id: c.id, name: c.name, billableThisMonth: [...(lines.get(c.id)?.skus.entries() ?? [])].some(([sku, q]) => sku !== UNLICENSED_SKU && q.billable > 0) }))
      .sort((a, b) => Number(b.billableThisMonth) - Number(a.billableThisMonth) || a.name.localeCompare(b.name)),
    unmappedSkus: [...skusInUse].filter((s) => !mappedSkus.has(s)).sort(),
  };
}

/** The PSA's companies, and the suggested match of each unmapped Tally company (by normalized name), for the admin to confirm. */
export async function psaSuggestions(deps: PsaViewDeps, kind: PsaKind) {
  const connector = await openConnector(services(deps), deps.stores.psa, kind);
  const [psaCompanies, maps, companies] = await Promise.all([connector.listCompanies(), deps.stores.psa.listCompanyMaps(kind), deps.stores.adminRead.listCompanies()]);
  const mapped = new Set(maps.map((m) => m.companyId));
  return { psaCompanies, suggestions: suggestCompanies(companies.filter((c) => !mapped.has(c.id)), psaCompanies) };
}

/** A PSA company's agreements and the PSA's products: what a mapping is chosen from. */
export async function psaCatalog(deps: PsaViewDeps, kind: PsaKind, psaCompanyId: string | undefined) {
  const connector = await openConnector(services(deps), deps.stores.psa, kind);
  return { agreements: psaCompanyId ? await connector.listAgreements(psaCompanyId) : [], products: await connector.listProducts() };
}

export async function psaReconciliation(deps: PsaViewDeps, kind: PsaKind, month: string): Promise<SyncPlan> {
  return planSync({ psa: services(deps), stores: deps.stores, nowMs: deps.now(), actor: 'read' }, kind, month);
}

export function planCsv(plan: SyncPlan): string {
  let out = csvLine(PLAN_CSV_HEADERS);
  for (const r of plan.rows) {
    out += csvLine([plan.month, r.companyId, r.companyName, r.sku, r.psaCompanyId ?? '', r.agreementId ?? '', r.productId ?? '', r.tally, r.usage, r.psa ?? '', r.lastPushed ?? '', r.change, r.action, r.flags.join(' ')]);
  }
  return out;
}

/**
 * The console overview's "Last PSA sync" per company: when Tally last wrote
 * or confirmed one of its PSA lines; failed when a connection's latest sync
 * failed after that.
 */
export function psaSyncStatus(store: Pick<PsaStore, 'lastLedgerWrites' | 'listConnections'>) {
  return {
    async lastSyncs(companyIds: readonly string[]): Promise<ReadonlyMap<string, { atMs: number; ok: boolean }>> {
      const [writes, connections] = await Promise.all([store.lastLedgerWrites(companyIds), store.listConnections()]);
      const lastFailure = Math.max(0, ...connections.filter((c) => c.lastSyncStatus?.startsWith('failed') && c.lastSyncAtMs !== null).map((c) => c.lastSyncAtMs!));
      return new Map([...writes].map(([id, atMs]) => [id, { atMs, ok: lastFailure <= atMs }]));
    },
  };
}
