// Monthly usage as admins see it: the pure billing core fed from storage,
// finalized months served from their immutable snapshots, late data turned
// into adjustments. The clock is injected; the rules stay in billing/.
import {
  BillingInputError, adjustFinalizedMonth, addMonths, canonicalJson, computeEndpointUsage, computeUserUsage, explainDevice,
  forecastEndpointUsage, hashMonthlyUsage, monthContaining, monthState, parseMonth, sha256Hex,
  type AdjustmentLine, type DeviceExplanation, type Month, type MonthState, type MonthlyUsageReport, type ProductType,
  type UsageForecast, type UserUsageReport,
} from '../billing/index.ts';
import type { Logger } from '../../../common/log.ts';
import { StorageError, type BillingInputs, type MonthAdjustment, type MonthSnapshot, type Storage } from '../storage/types.ts';

export const PRODUCT_TYPES: readonly ProductType[] = ['endpoint_security', 'edr'];

export interface UsageServiceOptions {
  storage: Storage;
  now: () => number;
  logger: Logger;
  /** Grace window after a month ends before it can be finalized (default 72 h). */
  graceHours: number;
}

export type MonthStatus = 'open' | 'closing' | 'finalized' | 'future' | 'awaiting_finalization';

export interface MonthView {
  month: string;
  status: MonthStatus;
  /** The hash the month was finalized with, and the hash of its current figures (after adjustments). */
  finalizedHash: string | null;
  currentHash: string | null;
  finalizedAtMs: number | null;
  adjustments: MonthAdjustment[];
}

export class UsageError extends Error {
  constructor(readonly code: 'invalid_month' | 'month_not_closable' | 'already_finalized' | 'not_found' | 'month_not_open', message: string) {
    super(message);
  }
}

function snapshotHash(reports: MonthSnapshot['reports'], userUsage: UserUsageReport): string {
  return sha256Hex(canonicalJson({
    endpoint_security: hashMonthlyUsage(reports.endpoint_security),
    edr: hashMonthlyUsage(reports.edr),
    users: sha256Hex(canonicalJson(userUsage)),
  }));
}

export class UsageService {
  constructor(private readonly opts: UsageServiceOptions) {}

  month(monthId: string): Month {
    try {
      return parseMonth(monthId);
    } catch (err) {
      if (err instanceof BillingInputError) throw new UsageError('invalid_month', err.message);
      throw err;
    }
  }

  private async inputs(month: Month): Promise<BillingInputs> {
    return this.opts.storage.billing.billingInputs(month.id, month.firstDay, month.endDay);
  }

  /** Computes every report of the month from the facts as they are now. */
  async computeSnapshot(monthId: string): Promise<MonthSnapshot> {
    const month = this.month(monthId);
    const inputs = await this.inputs(month);
    const reports = {
      endpoint_security: computeEndpointUsage({ ...inputs, month: month.id, productType: 'endpoint_security' }),
      edr: computeEndpointUsage({ ...inputs, month: month.id, productType: 'edr' }),
    };
    const userUsage = computeUserUsage({ month: month.id, companies: inputs.companies, users: inputs.users, subscriptions: inputs.subscriptions, deviceDays: inputs.deviceDays });
    return { month: month.id, reports, userUsage, hash: snapshotHash(reports, userUsage) };
  }

  /** A finalized month's current figures (its snapshot after adjustments); otherwise computed live. */
  async snapshot(monthId: string): Promise<{ snapshot: MonthSnapshot; finalized: boolean }> {
    const month = this.month(monthId);
    const stored = await this.opts.storage.billing.currentSnapshot(month.id);
    if (stored) return { snapshot: stored, finalized: true };
    return { snapshot: await this.computeSnapshot(month.id), finalized: false };
  }

  async monthlyReport(monthId: string, productType: ProductType): Promise<{ report: MonthlyUsageReport; finalized: boolean }> {
    const { snapshot, finalized } = await this.snapshot(monthId);
    return { report: snapshot.reports[productType], finalized };
  }

  async userUsage(monthId: string): Promise<{ report: UserUsageReport; finalized: boolean }> {
    const { snapshot, finalized } = await this.snapshot(monthId);
    return { report: snapshot.userUsage, finalized };
  }

  async explain(monthId: string, deviceId: string, productType: ProductType): Promise<DeviceExplanation> {
    const month = this.month(monthId);
    return explainDevice({ ...(await this.inputs(month)), month: month.id, productType }, deviceId);
  }

  /** Month-end forecast for the month that is open now. */
  async forecast(productType: ProductType): Promise<UsageForecast> {
    const now = this.opts.now();
    const month = monthContaining(now);
    return forecastEndpointUsage({ ...(await this.inputs(month)), month: month.id, productType, nowMs: now });
  }

  async view(monthId: string): Promise<MonthView> {
    const month = this.month(monthId);
    const [finalized, adjustments] = await Promise.all([
      this.opts.storage.billing.getFinalizedMonth(month.id),
      this.opts.storage.billing.listAdjustments(month.id),
    ]);
    const state: MonthState = monthState(month, this.opts.now(), this.opts.graceHours);
    const status: MonthStatus = finalized ? 'finalized' : state === 'finalizable' ? 'awaiting_finalization' : state;
    return {
      month: month.id,
      status,
      finalizedHash: finalized?.snapshot.hash ?? null,
      currentHash: adjustments.at(-1)?.hashAfter ?? finalized?.snapshot.hash ?? null,
      finalizedAtMs: finalized?.finalizedAtMs ?? null,
      adjustments,
    };
  }

  /**
   * Finalizes a month: computes every report and stores them immutably with
   * their hash. Refused while the month is open; during the grace window only
   * when `early` is set (an admin who knows no late data is coming).
   */
  async closeMonth(monthId: string, opts: { early?: boolean } = {}): Promise<MonthSnapshot> {
    const month = this.month(monthId);
    const state = monthState(month, this.opts.now(), this.opts.graceHours);
    if (state === 'open' || state === 'future') {
      throw new UsageError('month_not_closable', `${month.id} is ${state}: a month can be finalized only after it ends`);
    }
    if (state === 'closing' && !opts.early) {
      throw new UsageError('month_not_closable', `${month.id} is in its ${this.opts.graceHours} h grace window for late data; finalize early only on purpose`);
    }
    const readFrom = this.opts.now();
    const snapshot = await this.computeSnapshot(month.id);
    try {
      await this.opts.storage.billing.saveFinalizedMonth(snapshot, this.opts.now());
    } catch (err) {
      if (err instanceof StorageError && err.code === 'conflict') throw new UsageError('already_finalized', `${month.id} is already finalized`);
      throw err;
    }
    // Usage stored while the snapshot was computed is in neither the snapshot nor a
    // late-data mark (the month was not finalized yet when it came): mark it now,
    // so it becomes an adjustment instead of vanishing.
    if (await this.opts.storage.billing.markLateIfWrittenSince(month.id, month.firstDay, month.endDay, readFrom, this.opts.now())) {
      this.opts.logger.info('usage arrived while the month was being finalized; it will become an adjustment', { month: month.id });
    }
    this.opts.logger.info('month finalized', { month: month.id, hash: snapshot.hash });
    return snapshot;
  }

  /** Turns late data that reached finalized months into adjustment lines. */
  async processLateData(): Promise<MonthAdjustment[]> {
    const made: MonthAdjustment[] = [];
    for (const monthId of await this.opts.storage.billing.monthsWithLateData()) {
      const current = await this.opts.storage.billing.currentSnapshot(monthId);
      if (!current) continue;
      // Late data that arrives after this instant is not in the recomputation: its mark must survive.
      const readFrom = this.opts.now();
      const recomputed = await this.computeSnapshot(monthId);
      const lines: AdjustmentLine[] = [];
      for (const productType of PRODUCT_TYPES) {
        const finalized = { report: current.reports[productType], hash: hashMonthlyUsage(current.reports[productType]) };
        const outcome = adjustFinalizedMonth(finalized, recomputed.reports[productType], this.opts.now(), this.opts.graceHours);
        if (outcome.kind !== 'no_change') lines.push(...outcome.lines);
      }
      if (lines.length === 0) {
        // Late data that changes no billed figure (e.g. more seconds for an endpoint already counted).
        await this.opts.storage.billing.clearLateMark(monthId, readFrom);
        continue;
      }
      try {
        const adjustment = await this.opts.storage.billing.saveAdjustment({
          month: monthId, hashBefore: current.hash, lines, snapshot: recomputed, nowMs: this.opts.now(), lateDataBeforeMs: readFrom,
        });
        this.opts.logger.info('late data adjusted a finalized month', { month: monthId, lines: lines.length, id: adjustment.id });
        made.push(adjustment);
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
      if (monthState(month, now, this.opts.graceHours) !== 'finalizable') continue;
      if (await this.opts.storage.billing.getFinalizedMonth(month.id)) continue;
      await this.closeMonth(month.id);
      done.push(month.id);
    }
    return done;
  }
}
