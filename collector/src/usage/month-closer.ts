// Closing months: finalizing a month (its every line stored immutably, as
// rows, with a content hash), and turning late data that reaches a finalized
// month into adjustments. Reads go through the MonthReader; the writes are
// the billing store's. Every pass is idempotent, so several collectors may
// all run it.
//
// A finalization (or an adjustment) is a month run (usage/month-rows.ts):
// the lines are written as the month is computed, a page at a time, under
// the run's id; read back in key order and hashed; then one short
// transaction makes the run the month's figures. A crash before that leaves
// the month as it was (open, or at its previous figures): the run is
// discarded later, and the next pass starts a new one.
import { addMonths, adjustmentLines, monthContaining, monthState, type AdjustmentLine, type MonthlyUsageReport, type ProductType } from '../billing/index.ts';
import type { Logger } from '../../../common/log.ts';
import type { Metrics } from '../metrics.ts';
import { TallyError } from '../errors.ts';
import { StorageError, type BillingStore, type MonthAdjustment } from '../storage/types.ts';
import { PRODUCT_TYPES, type MonthReader } from './month-reader.ts';
import type { HookStore } from '../storage/types.ts';
import { publishEvent } from '../hooks/events.ts';
import { hashMonthRun, MonthRunWriter, readStoredMonth, RUN_READ_PAGE, RUN_WRITE_LINES } from './month-rows.ts';

/** A run not written to for this long was left by a collector that stopped: it is discarded. */
export const STALE_RUN_MS = 15 * 60_000;

/** A month run written and sealed, not yet the month's figures. */
interface SealedRun {
  runId: string;
  hash: string;
  reports: Record<ProductType, MonthlyUsageReport>;
}

export interface MonthCloserOptions {
  reader: MonthReader;
  billing: Pick<BillingStore, 'markLateIfWrittenSince' | 'monthsWithLateData' | 'currentSnapshot' | 'clearLateMark' | 'saveAdjustment' | 'getFinalizedMonth'
    | 'startMonthRun' | 'writeMonthRunRows' | 'monthRunCompanyRows' | 'monthRunEndpointLines' | 'monthRunUserLines' | 'sealMonthRun'
    | 'publishFinalizedMonth' | 'discardMonthRun' | 'discardStaleMonthRuns'>;
  now: () => number;
  logger: Logger;
  /** Grace window after a month ends before it can be finalized (default 72 h). */
  graceHours: number;
  /** Where month.closing, month.finalized and adjustment.created events are published (the webhook outbox). */
  events?: Pick<HookStore, 'publish'>;
  /** Lines held before a write while a run is written (default RUN_WRITE_LINES). */
  runWriteLines?: number;
  /** Lines per page when a run is read back to be hashed (default RUN_READ_PAGE). */
  runPageLines?: number;
  metrics?: Pick<Metrics, 'monthRuns' | 'monthRunLines'>;
}

export class MonthCloser {
  constructor(private readonly opts: MonthCloserOptions) {}

  /**
   * Finalizes a month: computes every report and stores it as rows with its
   * hash, any size. Refused while the month is open; during the grace window
   * only when `early` is set (an admin who knows no late data is coming).
   */
  async closeMonth(monthId: string, opts: { early?: boolean } = {}): Promise<{ month: string; hash: string }> {
    const month = this.opts.reader.month(monthId);
    const state = monthState(month, this.opts.now(), this.opts.graceHours);
    if (state === 'open' || state === 'future') {
      throw new TallyError('month_not_closable', `${month.id} is ${state}: a month can be finalized only after it ends`);
    }
    if (state === 'closing' && !opts.early) {
      throw new TallyError('month_not_closable', `${month.id} is in its ${this.opts.graceHours} h grace window for late data; finalize early only on purpose`);
    }
    // Checked first so a second request answers at once (the publish below still decides a race).
    if (await this.opts.billing.getFinalizedMonth(month.id)) throw new TallyError('already_finalized', `${month.id} is already finalized`);
    const readFrom = this.opts.now();
    const run = await this.writeRun(month.id);
    try {
      await this.opts.billing.publishFinalizedMonth({ month: month.id, runId: run.runId, nowMs: this.opts.now() });
    } catch (err) {
      await this.discard(run.runId);
      if (err instanceof StorageError && err.code === 'conflict') throw new TallyError('already_finalized', `${month.id} is already finalized`);
      throw err;
    }
    // Usage stored while the month was computed is in neither the figures nor a
    // late-data mark (the month was not finalized yet when it came): mark it now,
    // so it becomes an adjustment instead of vanishing.
    if (await this.opts.billing.markLateIfWrittenSince(month.id, month.firstDay, month.endDay, readFrom, this.opts.now())) {
      this.opts.logger.info('usage arrived while the month was being finalized; it will become an adjustment', { month: month.id });
    }
    this.opts.metrics?.monthRuns.inc({ outcome: 'finalized' });
    this.opts.logger.info('month finalized', { month: month.id, hash: run.hash });
    if (this.opts.events) {
      await publishEvent(this.opts.events, { type: 'month.finalized', companyId: null, data: { month: month.id, hash: run.hash, early: opts.early ?? false }, dedupeKey: `month.finalized:${month.id}` }, this.opts.now());
    }
    return { month: month.id, hash: run.hash };
  }

  /** Turns late data that reached finalized months into adjustment lines (the recomputed figures stored as a run). */
  async processLateData(): Promise<MonthAdjustment[]> {
    await this.discardStaleRuns();
    const made: MonthAdjustment[] = [];
    for (const monthId of await this.opts.billing.monthsWithLateData()) {
      const figures = await this.opts.billing.currentSnapshot(monthId);
      if (!figures) continue;
      const current = await readStoredMonth(this.opts.billing, figures, this.opts.runPageLines ?? RUN_READ_PAGE);
      // Late data that arrives after this instant is not in the recomputation: its mark must survive.
      const readFrom = this.opts.now();
      const linesFrom = (recomputed: Record<ProductType, MonthlyUsageReport>): AdjustmentLine[] =>
        PRODUCT_TYPES.flatMap((productType) => adjustmentLines(monthId, current.reports[productType].rows, recomputed[productType].rows));
      // First the company rows alone (no line is written): most late data changes no figure
      // (more seconds for an endpoint already counted), and then nothing is written at all.
      const unchanged = async () => {
        this.opts.metrics?.monthRuns.inc({ outcome: 'unchanged' });
        await this.opts.billing.clearLateMark(monthId, readFrom);
      };
      const rowsOnly = await this.opts.reader.computeMonthRows(monthId, { endpointLines: () => {}, userLines: () => {}, pageDone: async () => {} });
      if (linesFrom(rowsOnly.reports).length === 0) {
        await unchanged();
        continue;
      }
      const run = await this.writeRun(monthId);
      const lines = linesFrom(run.reports);
      if (lines.length === 0) {
        await this.discard(run.runId);
        await unchanged();
        continue;
      }
      try {
        const adjustment = await this.opts.billing.saveAdjustment({
          month: monthId, hashBefore: current.hash, lines, runId: run.runId, nowMs: this.opts.now(), lateDataBeforeMs: readFrom,
        });
        this.opts.logger.info('late data adjusted a finalized month', { month: monthId, lines: lines.length, id: adjustment.id });
        made.push(adjustment);
        await this.publishAdjustment(monthId, String(adjustment.id), lines);
        this.opts.metrics?.monthRuns.inc({ outcome: 'adjusted' });
      } catch (err) {
        await this.discard(run.runId);
        // Another collector adjusted the month meanwhile; its mark stays, the next pass starts from its figures.
        if (err instanceof StorageError && err.code === 'conflict') continue;
        throw err;
      }
    }
    return made;
  }

  /** Removes the runs collectors left unpublished (a crash mid-write): they hold rows no reader sees. */
  async discardStaleRuns(): Promise<number> {
    let total = 0;
    for (let round = 0; round < 100; round++) {
      const n = await this.opts.billing.discardStaleMonthRuns(this.opts.now() - STALE_RUN_MS);
      total += n;
      if (n === 0) break;
    }
    if (total) {
      this.opts.metrics?.monthRuns.inc({ outcome: 'stale' }, total);
      this.opts.logger.info('discarded month runs left unfinished', { runs: total });
    }
    return total;
  }

  /** Computes the month and writes it as a sealed run: every line as it is made, then the company rows, then the hash read back. */
  private async writeRun(monthId: string): Promise<SealedRun> {
    const runId = await this.opts.billing.startMonthRun(monthId, this.opts.now());
    try {
      const writer = new MonthRunWriter(this.opts.billing, runId, this.opts.now, this.opts.runWriteLines ?? RUN_WRITE_LINES);
      const { reports, userUsage } = await this.opts.reader.computeMonthRows(monthId, writer);
      for (const productType of PRODUCT_TYPES) writer.companyRows(productType, reports[productType].rows);
      writer.companyRows('users', userUsage.companies);
      for (const company of userUsage.companies) writer.userLines(company.lines);
      await writer.flush();
      this.opts.metrics?.monthRunLines.inc(writer.written);
      const { hashes, hash } = await hashMonthRun(this.opts.billing, runId, monthId, this.opts.runPageLines ?? RUN_READ_PAGE);
      await this.opts.billing.sealMonthRun(runId, hashes, hash);
      return { runId, hash, reports };
    } catch (err) {
      this.opts.metrics?.monthRuns.inc({ outcome: 'failed' });
      await this.discard(runId);
      throw err;
    }
  }

  /** Best effort: what is left is removed as stale later. */
  private async discard(runId: string): Promise<void> {
    try {
      await this.opts.billing.discardMonthRun(runId);
    } catch (err) {
      this.opts.logger.warn('could not discard a month run; it is removed later as stale', { runId, error: (err as Error).message });
    }
  }

  /** Finalizes the recent months whose grace window has passed. Returns the months it finalized. */
  async finalizeDueMonths(): Promise<string[]> {
    await this.discardStaleRuns();
    const now = this.opts.now();
    const done: string[] = [];
    // The last two months: enough to catch up after a collector was down over a month end.
    for (const delta of [-2, -1]) {
      const month = addMonths(monthContaining(now), delta);
      const state = monthState(month, now, this.opts.graceHours);
      // Once per month, whichever collector sees it first: the grace window for late data has begun.
      if (state === 'closing' && this.opts.events) {
        await publishEvent(this.opts.events, { type: 'month.closing', companyId: null, data: { month: month.id, graceHours: this.opts.graceHours }, dedupeKey: `month.closing:${month.id}` }, now);
      }
      if (state !== 'finalizable') continue;
      if (await this.opts.billing.getFinalizedMonth(month.id)) continue;
      await this.closeMonth(month.id);
      done.push(month.id);
    }
    return done;
  }

  /** One adjustment.created event per company whose figures changed (so a partner's endpoint sees only its own companies'). */
  private async publishAdjustment(monthId: string, adjustmentId: string, lines: readonly AdjustmentLine[]): Promise<void> {
    if (!this.opts.events) return;
    const byCompany = new Map<string, AdjustmentLine[]>();
    for (const l of lines) byCompany.set(l.companyId, [...(byCompany.get(l.companyId) ?? []), l]);
    for (const [companyId, own] of byCompany) {
      await publishEvent(this.opts.events, {
        type: 'adjustment.created', companyId, dedupeKey: `adjustment.created:${adjustmentId}:${companyId}`,
        data: { month: monthId, adjustmentId, lines: own.map((l) => ({ column: l.column, figure: l.figure ?? null, finalized: l.finalized, recomputed: l.recomputed, delta: l.delta })) },
      }, this.opts.now());
    }
  }
}
