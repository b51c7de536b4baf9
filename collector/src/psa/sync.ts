// PSA sync: what Tally bills (the billable quantities of the PSA export,
// reports/psa.ts, licence state respected) made to be what the PSA bills.
//
// plan() compares, per company and SKU, Tally's billable quantity, the PSA's
// quantity now and the ledger (what Tally last made the PSA hold), and says
// what a sync would do and what looks wrong (drift flags). The dry run and
// the reconciliation are plan(); run() carries the plan out line by line:
//
// - Open month (and a finalized month whose final quantities are not in
//   yet): the PSA line is set to the billable quantity, effective the
//   month's first day. Read, compare, write: a line already right is not
//   written, so a repeated sync writes nothing.
// - Finalized month whose final quantities are in (or whose line a later
//   month has since been synced to): a difference (late data became an
//   adjustment in Tally) goes through the PSA's own correction mechanism.
//   The adjustment's marker is stored (pending) before it is sent; a run
//   that finds one pending asks the PSA whether it arrived before sending it
//   again, so a lost answer never bills twice.
// - A line edited by hand in the PSA since Tally set it is not overwritten
//   unless asked (overwrite); a cancelled agreement is never written.
//
// Each write is recorded in the ledger as soon as the PSA answers, and
// audited with what was sent and what the PSA answered. When the PSA stops
// answering (retries spent) the run stops; the next one resumes from the
// ledger. Unlicensed activity is shown, never pushed. User-billing units
// (TALLY-USER, TALLY-USER-STANDALONE-DEVICE: the core's user-based usage)
// come with the endpoint security lines, as in the PSA export, and are synced
// like any SKU.
import { createHash } from 'node:crypto';
import type { Logger } from '../../../common/log.ts';
import { monthContaining, parseMonth, type ProductType } from '../billing/index.ts';
import { TallyError } from '../errors.ts';
import { UNLICENSED_SKU, psaLines } from '../reports/psa.ts';
import type { AuditStore, PsaLedgerEntry, PsaStore, AdminReadStore } from '../storage/types.ts';
import type { MonthReader } from '../usage/index.ts';
import type { ConnectorFactory } from './connectors.ts';
import { PsaKey, requireKey } from './secrets.ts';
import { PsaError, type PsaConnector, type PsaKind, type PsaLineState } from './types.ts';

export interface PsaServices {
  /** The admin's credentials key; null when none is configured (psa_key_missing on use). */
  key: PsaKey | null;
  reader: Pick<MonthReader, 'endpointReport' | 'view' | 'userUsageSummary'>;
  connectors: ConnectorFactory;
  logger: Logger;
  /** Counts pushes by outcome (metrics). */
  onPush?: (kind: PsaKind, outcome: 'written' | 'adjusted' | 'failed') => void;
  /** A sync stopped (the PSA stopped answering or refused the credentials): for the "PSA sync failed" event. */
  onSyncFailed?: (info: { kind: PsaKind; month: string; code: string; message: string; written: number; adjusted: number }) => void;
}

export type PlanAction = 'none' | 'set' | 'create' | 'adjust';

export type DriftFlag =
  | 'hand_edited' | 'agreement_cancelled' | 'company_unmapped' | 'product_unmapped' | 'unlicensed_activity'
  | 'line_missing' | 'pending_adjustment' | 'month_missed';

export interface PlanRow {
  companyId: string;
  companyName: string;
  sku: string;
  psaCompanyId: string | null;
  agreementId: string | null;
  productId: string | null;
  /** What Tally bills (the billable quantity); for unlicensed activity, 0. */
  tally: number;
  /** Activity as the report counts it (for unlicensed activity: the endpoints). */
  usage: number;
  /** The PSA's quantity now; null when not read (unmapped). */
  psa: number | null;
  /** What Tally last made the PSA hold for this month; null before the first sync. */
  lastPushed: number | null;
  /** What the sync would change: the PSA's quantity to tally (set/create), or the difference it would adjust by. */
  change: number;
  action: PlanAction;
  flags: DriftFlag[];
}

export interface SyncPlan {
  kind: PsaKind;
  month: string;
  monthStatus: string;
  finalized: boolean;
  rows: PlanRow[];
}

export interface SyncOutcome extends SyncPlan {
  dryRun: boolean;
  written: number;
  adjusted: number;
  unchanged: number;
  failed: { companyId: string; sku: string; code: string; message: string }[];
}

interface Deps {
  psa: PsaServices;
  stores: { psa: PsaStore; audit: AuditStore; adminRead: Pick<AdminReadStore, 'listCompanies'> };
  nowMs: number;
  actor: string;
  userId?: string | null;
}

const PRODUCT_TYPES: ProductType[] = ['endpoint_security', 'edr'];

/** Tally's lines of a month: per company, per SKU, billable and usage. */
export async function tallyLines(reader: PsaServices['reader'], month: string): Promise<Map<string, { name: string; skus: Map<string, { billable: number; usage: number }> }>> {
  const out = new Map<string, { name: string; skus: Map<string, { billable: number; usage: number }> }>();
  // User-based usage is not per product type: its lines come with endpoint security's, as in the PSA export.
  const users = new Map((await reader.userUsageSummary(month)).report.companies.map((c) => [c.companyId, c]));
  for (const productType of PRODUCT_TYPES) {
    const { report } = await reader.endpointReport(month, productType);
    for (const row of report.rows) {
      const unlicensed = new Map<string, number>();
      for (const l of psaLines({ row, pathText: '', depth: 0, externalId: null }, productType, users.get(row.companyId))) {
        let c = out.get(l.companyId);
        if (!c) out.set(l.companyId, (c = { name: l.companyName, skus: new Map() }));
        if (l.sku === UNLICENSED_SKU) {
          unlicensed.set(l.sku, (unlicensed.get(l.sku) ?? 0) + l.quantity);
          continue;
        }
        c.skus.set(l.sku, { billable: l.billableQuantity, usage: l.quantity });
      }
      // A company without a subscription is in both reports with the same unlicensed endpoints: counted once.
      const q = unlicensed.get(UNLICENSED_SKU);
      if (q) {
        const skus = out.get(row.companyId)!.skus;
        const prev = skus.get(UNLICENSED_SKU)?.usage ?? 0;
        skus.set(UNLICENSED_SKU, { billable: 0, usage: Math.max(prev, q) });
      }
    }
  }
  return out;
}

export async function openConnector(psa: PsaServices, store: Pick<PsaStore, 'getConnection'>, kind: PsaKind): Promise<PsaConnector> {
  const conn = await store.getConnection(kind);
  if (!conn) throw new TallyError('not_found', `no ${kind} connection is set up (psa.connection.set)`, { field: 'kind' });
  const creds = requireKey(psa.key).decrypt(kind, conn.encryptedCredentials);
  return psa.connectors(kind, conn.baseUrl, creds);
}

const lastDay = (month: string) => {
  const m = parseMonth(month);
  return new Date(m.endMs - 1).toISOString().slice(0, 10);
};
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

interface Working {
  row: PlanRow;
  ledger: PsaLedgerEntry | null;
  state: PsaLineState | null;
  /** A later month was synced to this line: this month's corrections are adjustments. */
  later: boolean;
}

async function buildPlan(deps: Deps, kind: PsaKind, month: string, connector: PsaConnector, opts: { overwrite: boolean; visible?: (companyId: string) => boolean }): Promise<{ plan: SyncPlan; work: Working[] }> {
  const view = await deps.psa.reader.view(month);
  if (view.status === 'future') throw new TallyError('invalid_request', `${month} has not started`, { field: 'month' });
  const finalized = view.status === 'finalized';
  const [lines, companyMaps, productMaps, ledger, later, companies] = await Promise.all([
    tallyLines(deps.psa.reader, month), deps.stores.psa.listCompanyMaps(kind), deps.stores.psa.listProductMaps(kind),
    deps.stores.psa.ledger(kind, month), deps.stores.psa.ledger(kind, month, { later: true }), deps.stores.adminRead.listCompanies(),
  ]);
  const names = new Map(companies.map((c) => [c.id, c.name]));
  const cmap = new Map(companyMaps.map((m) => [m.companyId, m]));
  const pmap = new Map(productMaps.map((m) => [m.sku, m]));
  const ledgerOf = new Map(ledger.map((e) => [`${e.companyId}|${e.sku}`, e]));
  const laterOf = new Set(later.map((e) => `${e.companyId}|${e.sku}`));
  // Every company and SKU Tally bills this month, and every one synced before (a quantity that fell to nothing is pushed as 0).
  const keys = new Map<string, { companyId: string; sku: string }>();
  for (const [companyId, c] of lines) for (const sku of c.skus.keys()) keys.set(`${companyId}|${sku}`, { companyId, sku });
  for (const e of ledger) keys.set(`${e.companyId}|${e.sku}`, { companyId: e.companyId, sku: e.sku });
  const today = isoDay(deps.nowMs);
  const onDate = monthContaining(deps.nowMs).id === month ? today : lastDay(month);

  const work: Working[] = [];
  for (const { companyId, sku } of [...keys.values()].sort((a, b) => a.companyId.localeCompare(b.companyId) || a.sku.localeCompare(b.sku))) {
    if (opts.visible && !opts.visible(companyId)) continue;
    const line = lines.get(companyId)?.skus.get(sku) ?? { billable: 0, usage: 0 };
    const cm = cmap.get(companyId) ?? null;
    const pm = pmap.get(sku) ?? null;
    const entry = ledgerOf.get(`${companyId}|${sku}`) ?? null;
    const row: PlanRow = {
      companyId, companyName: lines.get(companyId)?.name ?? names.get(companyId) ?? companyId, sku,
      psaCompanyId: cm?.psaCompanyId ?? null, agreementId: cm?.agreementId ?? null, productId: pm?.productId ?? null,
      tally: line.billable, usage: line.usage, psa: null, lastPushed: entry?.quantity ?? null, change: 0, action: 'none', flags: [],
    };
    const w: Working = { row, ledger: entry, state: null, later: laterOf.has(`${companyId}|${sku}`) };
    work.push(w);
    if (sku === UNLICENSED_SKU) {
      row.flags.push('unlicensed_activity');
      if (!cm) row.flags.push('company_unmapped');
      continue;
    }
    if (!cm) row.flags.push('company_unmapped');
    if (!pm) row.flags.push('product_unmapped');
    if (!cm || !pm) continue;
    const state = await connector.readLine({ agreementId: cm.agreementId, productId: pm.productId }, onDate);
    w.state = state;
    row.psa = state.quantity;
    if (state.cancelled) row.flags.push('agreement_cancelled');
    if (!state.lineId && line.billable > 0) row.flags.push('line_missing');
    if (entry?.pendingMarker) row.flags.push('pending_adjustment');
    // Hand edits: the PSA no longer holds what Tally set, on a line no later month has moved on.
    if (entry && !w.later && !(finalized && entry.final) && state.quantity !== entry.quantity) row.flags.push('hand_edited');
    if (state.cancelled) continue;
    if (finalized && (entry?.final || w.later)) {
      if (!entry) {
        row.flags.push('month_missed');
        continue;
      }
      const delta = line.billable - entry.quantity;
      row.change = delta;
      if (delta !== 0 || entry.pendingMarker) row.action = 'adjust';
      continue;
    }
    row.change = line.billable - state.quantity;
    if (row.change === 0) continue;
    if (row.flags.includes('hand_edited') && !opts.overwrite) continue;
    row.action = state.lineId ? 'set' : 'create';
  }
  return { plan: { kind, month, monthStatus: view.status, finalized, rows: work.map((w) => w.row) }, work };
}

/** The dry run and the reconciliation: what a sync would do now, with drift flags. Writes nothing. */
export async function planSync(deps: Deps, kind: PsaKind, month: string, opts: { overwrite?: boolean; visible?: (companyId: string) => boolean } = {}): Promise<SyncPlan> {
  const connector = await openConnector(deps.psa, deps.stores.psa, kind);
  return (await buildPlan(deps, kind, month, connector, { overwrite: opts.overwrite ?? false, visible: opts.visible })).plan;
}

const markerOf = (month: string, e: PsaLedgerEntry, to: number) =>
  `tally-adj:${month}:${createHash('sha256').update(`${e.kind}|${e.companyId}|${e.sku}|${e.quantity}|${to}|${e.updatedAtMs}`).digest('hex').slice(0, 12)}`;

/** How long a sync holds its connection's lease; a run still going then is refused nothing, but another may start (a crashed holder never blocks for longer). */
export const SYNC_LEASE_MS = 30 * 60_000;

export async function runSync(deps: Deps, kind: PsaKind, month: string, opts: { dryRun: boolean; overwrite: boolean }): Promise<SyncOutcome> {
  if (opts.dryRun) return runSyncHeld(deps, kind, month, opts);
  // One writing sync per connection at a time, on every collector: two at once would both send the same adjustment.
  const until = deps.nowMs + SYNC_LEASE_MS;
  if (!(await deps.stores.psa.getConnection(kind))) throw new TallyError('not_found', `no ${kind} connection is set up (psa.connection.set)`, { field: 'kind' });
  if (!(await deps.stores.psa.claimSync(kind, deps.nowMs, until))) throw new TallyError('conflict', `a ${kind} sync is already running; try again when it has finished`);
  try {
    return await runSyncHeld(deps, kind, month, opts);
  } finally {
    await deps.stores.psa.releaseSync(kind, until);
  }
}

async function runSyncHeld(deps: Deps, kind: PsaKind, month: string, opts: { dryRun: boolean; overwrite: boolean }): Promise<SyncOutcome> {
  const connector = await openConnector(deps.psa, deps.stores.psa, kind);
  const { plan, work } = await buildPlan(deps, kind, month, connector, { overwrite: opts.overwrite });
  const outcome: SyncOutcome = { ...plan, dryRun: opts.dryRun, written: 0, adjusted: 0, unchanged: 0, failed: [] };
  if (opts.dryRun) return outcome;
  const today = isoDay(deps.nowMs);
  const effectiveDate = `${month}-01`;
  const audit = (companyId: string, sku: string, action: string, details: unknown) => deps.stores.audit.append({
    atMs: deps.nowMs, actor: deps.actor, userId: deps.userId ?? null, action, targetType: 'psa_line', targetId: `${kind}:${companyId}:${sku}`, companyId, details,
  });
  let stopped: PsaError | TallyError | null = null;
  for (const w of work) {
    const { row, state } = w;
    if (!state || !row.agreementId || !row.productId) continue;
    const ref = { agreementId: row.agreementId, productId: row.productId };
    const base: PsaLedgerEntry = w.ledger ?? {
      kind, month, companyId: row.companyId, sku: row.sku, agreementId: ref.agreementId, productId: ref.productId, lineId: state.lineId,
      quantity: state.quantity, final: false, adjusted: 0, pendingMarker: null, pendingDelta: null, updatedAtMs: deps.nowMs,
    };
    try {
      if (row.action === 'set' || row.action === 'create') {
        const r = await connector.writeQuantity(ref, row.tally, effectiveDate, state);
        await deps.stores.psa.putLedger({ ...base, agreementId: ref.agreementId, productId: ref.productId, lineId: r.lineId || state.lineId, quantity: row.tally, final: plan.finalized, updatedAtMs: deps.nowMs });
        await audit(row.companyId, row.sku, 'psa.push', { month, sku: row.sku, from: state.quantity, to: row.tally, effectiveDate, exchanges: r.exchanges });
        deps.psa.onPush?.(kind, 'written');
        outcome.written++;
      } else if (row.action === 'adjust' && w.ledger) {
        let e = w.ledger;
        if (e.pendingMarker) {
          // A push whose answer was lost: ask the PSA before sending it again.
          const arrived = await connector.hasAdjustment(ref, e.pendingMarker);
          if (!arrived) {
            const r = await connector.applyAdjustment(ref, e.pendingDelta ?? 0, { month, marker: e.pendingMarker, today });
            await audit(row.companyId, row.sku, 'psa.adjust', { month, sku: row.sku, delta: e.pendingDelta, marker: e.pendingMarker, resumed: true, exchanges: r.exchanges });
            deps.psa.onPush?.(kind, 'adjusted');
            outcome.adjusted++;
          }
          e = { ...e, quantity: e.quantity + (e.pendingDelta ?? 0), adjusted: e.adjusted + (e.pendingDelta ?? 0), pendingMarker: null, pendingDelta: null, final: true, updatedAtMs: deps.nowMs };
          await deps.stores.psa.putLedger(e);
        }
        const delta = row.tally - e.quantity;
        if (delta !== 0) {
          const marker = markerOf(month, e, row.tally);
          await deps.stores.psa.putLedger({ ...e, pendingMarker: marker, pendingDelta: delta });
          const r = await connector.applyAdjustment(ref, delta, { month, marker, today });
          await deps.stores.psa.putLedger({ ...e, quantity: row.tally, adjusted: e.adjusted + delta, pendingMarker: null, pendingDelta: null, final: true, updatedAtMs: deps.nowMs + 1 });
          await audit(row.companyId, row.sku, 'psa.adjust', { month, sku: row.sku, from: e.quantity, to: row.tally, delta, marker, exchanges: r.exchanges });
          deps.psa.onPush?.(kind, 'adjusted');
          outcome.adjusted++;
        }
      } else {
        outcome.unchanged++;
        // Nothing to write; the ledger learns what the PSA holds when it already equals Tally (and that the month's final figures are in).
        if (row.psa === row.tally && !row.flags.includes('agreement_cancelled') && row.sku !== UNLICENSED_SKU
          && (!w.ledger || w.ledger.quantity !== row.tally || w.ledger.final !== plan.finalized || w.ledger.lineId !== state.lineId) && !(w.ledger?.final)) {
          await deps.stores.psa.putLedger({ ...base, lineId: state.lineId, quantity: row.tally, final: plan.finalized, updatedAtMs: deps.nowMs });
        }
      }
    } catch (err) {
      deps.psa.onPush?.(kind, 'failed');
      const code = err instanceof PsaError || err instanceof TallyError ? err.code : 'internal';
      const message = err instanceof Error ? err.message : String(err);
      outcome.failed.push({ companyId: row.companyId, sku: row.sku, code, message });
      await audit(row.companyId, row.sku, 'psa.push_failed', { month, sku: row.sku, code, message });
      // A line the PSA refuses does not stop the others; a PSA that stopped answering (or refuses the credentials) stops the run.
      if (err instanceof PsaError && err.code === 'psa_rejected') continue;
      stopped = err instanceof PsaError || err instanceof TallyError ? err : new TallyError('internal', 'internal error', { cause: err });
      break;
    }
  }
  const status = stopped ? `failed: ${stopped.message}` : outcome.failed.length ? `partial: ${outcome.failed.length} line(s) refused` : 'ok';
  await deps.stores.psa.recordSync(kind, deps.nowMs, status);
  if (stopped) {
    deps.psa.logger.warn('psa sync stopped', { kind, month, code: stopped.code, written: outcome.written, adjusted: outcome.adjusted });
    deps.psa.onSyncFailed?.({ kind, month, code: stopped.code, message: stopped.message, written: outcome.written, adjusted: outcome.adjusted });
    const code = stopped instanceof PsaError ? stopped.code : stopped.code;
    throw new TallyError(code, `${kind} sync of ${month} stopped after ${outcome.written} write(s) and ${outcome.adjusted} adjustment(s): ${stopped.message}. What was written is recorded; run the sync again to resume.`);
  }
  return outcome;
}

/** Lower case, accents and punctuation gone, legal-form suffixes dropped: what two spellings of a company name share. */
export function normalizeName(name: string): string {
  const words = name.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/&/g, ' and ').replace(/[^a-z0-9]+/g, ' ').trim().split(' ');
  const SUFFIXES = new Set(['inc', 'incorporated', 'llc', 'ltd', 'limited', 'gmbh', 'ag', 'sa', 'sas', 'sarl', 'srl', 'bv', 'nv', 'plc', 'corp', 'corporation', 'co', 'company', 'pty', 'the']);
  while (words.length > 1 && SUFFIXES.has(words[words.length - 1])) words.pop();
  if (words.length > 1 && words[0] === 'the') words.shift();
  return words.join(' ');
}

export interface CompanySuggestion {
  companyId: string;
  companyName: string;
  psaCompanyId: string;
  psaCompanyName: string;
  match: 'exact' | 'similar';
}

/** Suggested PSA companies for Tally companies: the one PSA company with the same normalized name, else the one sharing most words (at least half). The admin confirms. */
export function suggestCompanies(tally: readonly { id: string; name: string }[], psa: readonly { id: string; name: string }[]): CompanySuggestion[] {
  const byName = new Map<string, { id: string; name: string }[]>();
  for (const p of psa) byName.set(normalizeName(p.name), [...(byName.get(normalizeName(p.name)) ?? []), p]);
  const out: CompanySuggestion[] = [];
  for (const t of tally) {
    const n = normalizeName(t.name);
    const exact = byName.get(n);
    if (exact?.length === 1) {
      out.push({ companyId: t.id, companyName: t.name, psaCompanyId: exact[0].id, psaCompanyName: exact[0].name, match: 'exact' });
      continue;
    }
    // Two PSA companies with the same name: the admin chooses; a suggestion would be a coin toss.
    if (exact && exact.length > 1) continue;
    const words = new Set(n.split(' '));
    let best: { p: { id: string; name: string }; score: number } | null = null;
    for (const p of psa) {
      const pw = new Set(normalizeName(p.name).split(' '));
      const common = [...words].filter((w) => pw.has(w)).length;
      const score = common / new Set([...words, ...pw]).size;
      if (score >= 0.5 && (!best || score > best.score)) best = { p, score };
    }
    if (best) out.push({ companyId: t.id, companyName: t.name, psaCompanyId: best.p.id, psaCompanyName: best.p.name, match: 'similar' });
  }
  return out;
}

export const PLAN_CSV_HEADERS = ['month', 'company_id', 'company_name', 'sku', 'psa_company_id', 'agreement_id', 'product_id', 'tally_quantity', 'usage', 'psa_quantity', 'last_pushed', 'change', 'action', 'flags'] as const;
