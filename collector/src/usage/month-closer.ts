// Closing months: finalizing a month (its every line stored immutably with a
// content hash), and turning late data that reaches a finalized month into
// adjustments. Reads go through the MonthReader; the writes are the billing
// store's. Every pass is idempotent, so several collectors may all run it.
import {
  addMonths, adjustFinalizedMonth, hashMonthlyUsage, monthContaining, monthState, type AdjustmentLine,
} from '../billing/index.ts';
import type { Logger } from '../../../common/log.ts';
import { TallyError } from '../errors.ts';
import { StorageError, type BillingStore, type MonthAdjustment, type MonthSnapshot } from '../storage/types.ts';
import { PRODUCT_TYPES, type MonthReader } from './month-reader.ts';
import type { HookStore } from '../storage/types.ts';
import { publishEvent } from '../hooks/events.ts';

export interface MonthCloserOptions {
  reader: MonthReader;
  billing: Pick<BillingStore, 'saveFinalizedMonth' | 'markLateIfWrittenSince' | 'monthsWithLateData' | 'currentSnapshot' | 'clearLateMark' | 'saveAdjustment' | 'getFinalizedMonth'>;
  now: () => number;
  logger: Logger;
  /** Grace window after a month ends before it can be finalized (default 72 h). */
  graceHours: number;
  /** Where month.closing, month.finalized and adjustment.created events are published (the webhook outbox). */
  events?: Pick<HookStore, 'publish'>;
}

export class MonthCloser {
  constructor(private readonly opts: MonthCloserOptions) {}

  /**
   * Finalizes a month: computes every report and stores them immutably with
   * their hash. Refused while the month is open; during the grace window only
   * when `early` is set (an admin who knows no late data is coming).
   */
  async closeMonth(monthId: string, opts: { early?: boolean } = {}): Promise<MonthSnapshot> {
    const month = this.opts.reader.month(monthId);
    const state = monthState(month, this.opts.now(), this.opts.graceHours);
    if (state === 'open' || state === 'future') {
      throw new TallyError('month_not_closable', `${month.id} is ${state}: a month can be finalized only after it ends`);
    }
    if (state === 'closing' && !opts.early) {
      throw new TallyError('month_not_closable', `${month.id} is in its ${this.opts.graceHours} h grace window for late data; finalize early only on purpose`);
    }
    const readFrom = this.opts.now();
    const snapshot = await this.opts.reader.computeSnapshot(month.id);
    try {
      await this.opts.billing.saveFinalizedMonth(snapshot, this.opts.now());
    } catch (err) {
      if (err instanceof StorageError && err.code === 'conflict') throw new TallyError('already_finalized', `${month.id} is already finalized`);
      throw err;
    }
    // Usage stored while the snapshot was computed is in neither the snapshot nor a
    // late-data mark (the month was not finalized yet when it came): mark it now,
    // so it becomes an adjustment instead of vanishing.
    if (await this.opts.billing.markLateIfWrittenSince(month.id, month.firstDay, month.endDay, readFrom, this.opts.now())) {
      this.opts.logger.info('usage arrived while the month was being finalized; it will become an adjustment', { month: month.id });
    }
    this.opts.logger.info('month finalized', { month: month.id, hash: snapshot.hash });
    if (this.opts.events) {
      await publishEvent(this.opts.events, { type: 'month.finalized', companyId: null, data: { month: month.id, hash: snapshot.hash, early: opts.early ?? false }, dedupeKey: `month.finalized:${month.id}` }, this.opts.now());
    }
    return snapshot;
  }

  /** Turns late data that reached finalized months into adjustment lines. */
  async processLateData(): Promise<MonthAdjustment[]> {
    const made: MonthAdjustment[] = [];
    for (const monthId of await this.opts.billing.monthsWithLateData()) {
      const current = await this.opts.billing.currentSnapshot(monthId);
      if (!current) continue;
      // Late data that arrives after this instant is not in the recomputation: its mark must survive.
      const readFrom = this.opts.now();
      const recomputed = await this.opts.reader.computeSnapshot(monthId);
      const lines: AdjustmentLine[] = [];
      for (const productType of PRODUCT_TYPES) {
        const finalized = { report: current.reports[productType], hash: hashMonthlyUsage(current.reports[productType]) };
        const outcome = adjustFinalizedMonth(finalized, recomputed.reports[productType], this.opts.now());
        if (outcome.kind !== 'no_change') lines.push(...outcome.lines);
      }
      if (lines.length === 0) {
        // Late data that changes no billed figure (e.g. more seconds for an endpoint already counted).
        await this.opts.billing.clearLateMark(monthId, readFrom);
        continue;
      }
      try {
        const adjustment = await this.opts.billing.saveAdjustment({
          month: monthId, hashBefore: current.hash, lines, snapshot: recomputed, nowMs: this.opts.now(), lateDataBeforeMs: readFrom,
        });
        this.opts.logger.info('late data adjusted a finalized month', { month: monthId, lines: lines.length, id: adjustment.id });
        made.push(adjustment);
        await this.publishAdjustment(monthId, String(adjustment.id), lines);
      } catch (err) {
        // Another collector adjusted the month meanwhile; its mark stays, the next pass starts from its figures.
        if (err instanceof StorageError && err.code === 'conflict') continue;
        throw err;
      }
    }
    return made;
  }

  /** Finalizes the recent months whose grace window has passed. Returns the months it finalized. */
  async finalizeDueMonths(): Promise<string[]> {
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
