// PSA connections, mappings and the sync ledger, for both backends.
import type { PsaCompanyMap, PsaConnectionRecord, PsaLedgerEntry, PsaProductMap, PsaStore } from '../types.ts';
import { statement, type SqlContext } from './context.ts';
import { isTrue } from './dialect.ts';

const n = (v: unknown): number => Number(v);
const nOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

export function sqlPsaStore(ctx: SqlContext): PsaStore {
  const toConnection = (r: {
    kind: string; base_url: string; credentials: string; shown: string; sync_hours: number; last_sync_at: number | null; last_sync_status: string | null; created_at: number; updated_at: number;
  }): PsaConnectionRecord => ({
    kind: r.kind, baseUrl: r.base_url, encryptedCredentials: r.credentials, shown: JSON.parse(r.shown) as Record<string, string>, syncHours: n(r.sync_hours),
    lastSyncAtMs: nOrNull(r.last_sync_at), lastSyncStatus: r.last_sync_status, createdAtMs: n(r.created_at), updatedAtMs: n(r.updated_at),
  });
  return {
    getConnection: (kind) => statement(ctx, async (db) => {
      const r = await db.selectFrom('psa_connections').selectAll().where('kind', '=', kind).executeTakeFirst();
      return r ? toConnection(r) : null;
    }),
    listConnections: () => statement(ctx, async (db) => (await db.selectFrom('psa_connections').selectAll().orderBy('kind').execute()).map(toConnection)),
    putConnection: (c) => statement(ctx, async (db) => {
      const values = { base_url: c.baseUrl, credentials: c.encryptedCredentials, shown: JSON.stringify(c.shown), sync_hours: c.syncHours, updated_at: c.updatedAtMs };
      await db.insertInto('psa_connections').values({ kind: c.kind, ...values, created_at: c.updatedAtMs })
        .onConflict((oc) => oc.column('kind').doUpdateSet(values)).execute();
    }),
    recordSync: (kind, atMs, status) => statement(ctx, async (db) => {
      await db.updateTable('psa_connections').set({ last_sync_at: atMs, last_sync_status: status }).where('kind', '=', kind).execute();
    }),
    // One UPDATE: of two collectors claiming at once, the second re-checks the row after the first commits and matches nothing.
    claimSync: (kind, nowMs, untilMs) => statement(ctx, async (db) =>
      (await db.updateTable('psa_connections').set({ sync_lease_until: untilMs }).where('kind', '=', kind)
        .where((eb) => eb.or([eb('sync_lease_until', 'is', null), eb('sync_lease_until', '<=', nowMs)])).executeTakeFirst()).numUpdatedRows === 1n),
    releaseSync: (kind, untilMs) => statement(ctx, async (db) => {
      await db.updateTable('psa_connections').set({ sync_lease_until: null }).where('kind', '=', kind).where('sync_lease_until', '=', untilMs).execute();
    }),
    listCompanyMaps: (kind) => statement(ctx, async (db) =>
      (await db.selectFrom('psa_company_maps').selectAll().where('kind', '=', kind).orderBy('company_id').execute()).map((r): PsaCompanyMap => ({
        kind: r.kind, companyId: r.company_id, psaCompanyId: r.psa_company_id, psaCompanyName: r.psa_company_name, agreementId: r.agreement_id,
        agreementName: r.agreement_name, updatedAtMs: n(r.updated_at), updatedBy: r.updated_by,
      }))),
    putCompanyMap: (m) => statement(ctx, async (db) => {
      const values = { psa_company_id: m.psaCompanyId, psa_company_name: m.psaCompanyName, agreement_id: m.agreementId, agreement_name: m.agreementName, updated_at: m.updatedAtMs, updated_by: m.updatedBy };
      await db.insertInto('psa_company_maps').values({ kind: m.kind, company_id: m.companyId, ...values })
        .onConflict((oc) => oc.columns(['kind', 'company_id']).doUpdateSet(values)).execute();
    }),
    deleteCompanyMap: (kind, companyId) => statement(ctx, async (db) =>
      (await db.deleteFrom('psa_company_maps').where('kind', '=', kind).where('company_id', '=', companyId).executeTakeFirst()).numDeletedRows === 1n),
    listProductMaps: (kind) => statement(ctx, async (db) =>
      (await db.selectFrom('psa_product_maps').selectAll().where('kind', '=', kind).orderBy('sku').execute()).map((r): PsaProductMap => ({
        kind: r.kind, sku: r.sku, productId: r.product_id, productName: r.product_name, updatedAtMs: n(r.updated_at), updatedBy: r.updated_by,
      }))),
    putProductMap: (m) => statement(ctx, async (db) => {
      const values = { product_id: m.productId, product_name: m.productName, updated_at: m.updatedAtMs, updated_by: m.updatedBy };
      await db.insertInto('psa_product_maps').values({ kind: m.kind, sku: m.sku, ...values })
        .onConflict((oc) => oc.columns(['kind', 'sku']).doUpdateSet(values)).execute();
    }),
    deleteProductMap: (kind, sku) => statement(ctx, async (db) =>
      (await db.deleteFrom('psa_product_maps').where('kind', '=', kind).where('sku', '=', sku).executeTakeFirst()).numDeletedRows === 1n),
    ledger: (kind, month, opts = {}) => statement(ctx, async (db) =>
      (await db.selectFrom('psa_ledger').selectAll().where('kind', '=', kind).where('month', opts.later ? '>' : '=', month)
        .orderBy('month').orderBy('company_id').orderBy('sku').execute()).map((r): PsaLedgerEntry => ({
        kind: r.kind, month: r.month, companyId: r.company_id, sku: r.sku, agreementId: r.agreement_id, productId: r.product_id, lineId: r.line_id,
        quantity: n(r.quantity), final: isTrue(r.final), adjusted: n(r.adjusted), pendingMarker: r.pending_marker, pendingDelta: nOrNull(r.pending_delta),
        updatedAtMs: n(r.updated_at),
      }))),
    lastLedgerWrites: (companyIds) => statement(ctx, async (db) => {
      if (companyIds.length === 0) return new Map<string, number>();
      const rows = await db.selectFrom('psa_ledger').select(['company_id', (eb) => eb.fn.max('updated_at').as('at')])
        .where('company_id', 'in', [...companyIds]).groupBy('company_id').execute();
      return new Map(rows.map((r) => [r.company_id, Number(r.at)]));
    }),
    putLedger: (e: PsaLedgerEntry) => statement(ctx, async (db) => {
      const values = {
        agreement_id: e.agreementId, product_id: e.productId, line_id: e.lineId, quantity: e.quantity, final: e.final, adjusted: e.adjusted,
        pending_marker: e.pendingMarker, pending_delta: e.pendingDelta, updated_at: e.updatedAtMs,
      };
      await db.insertInto('psa_ledger').values({ kind: e.kind, month: e.month, company_id: e.companyId, sku: e.sku, ...values })
        .onConflict((oc) => oc.columns(['kind', 'month', 'company_id', 'sku']).doUpdateSet(values)).execute();
    }),
  };
}
