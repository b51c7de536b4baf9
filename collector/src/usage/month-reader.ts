// Reading a month: the pure billing core fed from storage, device by device,
// finalized months served from their immutable snapshots. Read-only: closing
// a month and turning late data into adjustments is month-closer.ts. The
// clock is injected; the rules stay in billing/.
import {
  BillingInputError, deviceMonthOfSummary, EndpointUsageAccumulator, UserUsageAccumulator, adjustFinalizedMonth, addMonths, canonicalJson, compareIds, explainDevice,
  EndpointForecastAccumulator, hashMonthlyUsage, monthContaining, monthState, parseMonth, sha256Hex, summarizeDevice, upgradeStoredReport, upgradeStoredUserUsage,
  type AdjustmentLine, type Company, type DeviceDay, type DeviceExplanation, type DeviceMonth, type DeviceMonthLine, type Month, type MonthState,
  type MonthlyUsageReport, type ProductType, type UsageForecast, type UserUsageReport,
} from '../billing/index.ts';
import { linesOfReport, type EndpointLineSource } from '../billing/index.ts';
import { TallyError } from '../errors.ts';
import type { BillingStore, MonthAdjustment, MonthDevicePageQuery, MonthDeviceRows, MonthSnapshot } from '../storage/types.ts';

export const PRODUCT_TYPES: readonly ProductType[] = ['endpoint_security', 'edr'];

export interface MonthReaderOptions {
  billing: Pick<BillingStore, 'billingContext' | 'monthDevicePage' | 'currentSnapshot' | 'getFinalizedMonth' | 'listAdjustments'>
    /** The month's device summaries: without them every device's rows are read. */
    & Partial<Pick<BillingStore, 'monthSummaryPage'>>;
  now: () => number;
  /** Grace window after a month ends before it can be finalized (default 72 h). */
  graceHours: number;
  /** Devices read per page while a month is streamed (default MONTH_PAGE_DEVICES). */
  monthPageDevices?: number;
  /** Most endpoints a month may have for its every-line form (finalization, includeDevices; default MAX_MONTH_LINES_DEVICES). */
  maxLinesDevices?: number;
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

export function snapshotHash(reports: MonthSnapshot['reports'], userUsage: UserUsageReport): string {
  return sha256Hex(canonicalJson({
    endpoint_security: hashMonthlyUsage(reports.endpoint_security),
    edr: hashMonthlyUsage(reports.edr),
    users: sha256Hex(canonicalJson(userUsage)),
  }));
}

/** Devices read per page while a month is streamed (~21 rows each): small reads, few round trips. */
export const MONTH_PAGE_DEVICES = 1000;

/** Summaries read per page: one row each. */
export const MONTH_PAGE_SUMMARIES = 5000;

/**
 * The every-line form of a month (what finalization stores, and what
 * includeDevices and the user line items show) holds every endpoint line in
 * memory and is stored as one JSON document: ~10 KB of heap and ~1,600
 * characters of JSON per endpoint (BENCHMARKS.md, Month). Past ~300,000
 * endpoints it would exhaust the heap, which ends the process, so it stops
 * here with month_too_large instead; the summary form and report files have
 * no such bound.
 */
export const MAX_MONTH_LINES_DEVICES = 250_000;

interface StreamedMonth {
  reports: Partial<Record<ProductType, MonthlyUsageReport>>;
  accumulators: Partial<Record<ProductType, EndpointUsageAccumulator>>;
  userUsage: UserUsageReport | null;
  /** Devices that belong to another company now, per company they were listed at this month (few: devices that moved). */
  movedFrom: Map<string, string[]>;
}

export class MonthReader {
  constructor(private readonly opts: MonthReaderOptions) {}

  month(monthId: string): Month {
    try {
      return parseMonth(monthId);
    } catch (err) {
      if (err instanceof BillingInputError) throw new TallyError('invalid_request', `month: ${err.message}`, { field: 'month' });
      throw err;
    }
  }

  /**
   * The month's devices with rows matching `query`, summarized, in device-id
   * order, a page at a time: memory holds one page (see knownRows for rows
   * at companies newer than `companies`).
   */
  private async *devicePages(month: Month, companies: ReadonlyMap<string, Company>, query: Pick<MonthDevicePageQuery, 'currentCompanyId' | 'deviceIds'>):
    AsyncGenerator<{ device: DeviceMonth; currentCompanyId: string }[]> {
    for await (const page of this.monthDevices(month.id, query)) {
      const summarized: { device: DeviceMonth; currentCompanyId: string }[] = [];
      for (const d of page) {
        const device = summarizeDevice(d.deviceId, knownRows(d.days, companies), month, companies, d.exclusions);
        if (device) summarized.push({ device, currentCompanyId: d.currentCompanyId });
      }
      yield summarized;
    }
  }

  /**
   * The month's devices from their summaries, one row per device, a page at
   * a time: the core's deviceMonthOfSummary turns each into the device's
   * month, or asks for its rows (a device that moved this month, was
   * uninstalled, retired or excluded, or whose company's licence is not
   * billable every day), which are then read for those few devices and
   * summarized as devicePages does. Same devices, same months; the order
   * within a page may differ (the accumulators sum).
   */
  private async *summaryPages(month: Month, companies: ReadonlyMap<string, Company>, licences: { billableEveryDay(companyIds: readonly string[]): boolean }):
    AsyncGenerator<{ device: DeviceMonth; currentCompanyId: string }[]> {
    const pageOf = this.opts.billing.monthSummaryPage!;
    const context = { month, companies, billableEveryDay: (ids: readonly string[]) => licences.billableEveryDay(ids) };
    let after: string | null = null;
    do {
      const page = await pageOf({ month: month.id, after, limit: this.opts.monthPageDevices ?? MONTH_PAGE_SUMMARIES });
      const summarized: { device: DeviceMonth; currentCompanyId: string }[] = [];
      const fromRows: string[] = [];
      for (const row of page.devices) {
        const device = deviceMonthOfSummary(row.summary, row.exclusions, context);
        if (device) summarized.push({ device, currentCompanyId: row.currentCompanyId });
        else fromRows.push(row.summary.deviceId);
      }
      if (fromRows.length) for await (const rows of this.devicePages(month, companies, { deviceIds: fromRows })) summarized.push(...rows);
      yield summarized;
      after = page.next;
    } while (after !== null);
  }

  /**
   * One pass over the month's devices for the given product types (and
   * user-based usage when `users` is set). 'summary' keeps no endpoint
   * line: memory grows with companies and users, not endpoints. 'lines'
   * keeps them all, as a finalized snapshot stores them.
   */
  private async streamMonth(month: Month, form: 'lines' | 'summary', productTypes: readonly ProductType[], users: boolean): Promise<StreamedMonth> {
    const context = { ...(await this.opts.billing.billingContext(month.id)), month: month.id };
    const accumulators: StreamedMonth['accumulators'] = {};
    const lines: Partial<Record<ProductType, Map<string, DeviceMonthLine[]>>> = {};
    for (const productType of productTypes) {
      accumulators[productType] = new EndpointUsageAccumulator({ ...context, productType });
      if (form === 'lines') lines[productType] = new Map();
    }
    const userUsage = users ? new UserUsageAccumulator(context, form) : null;
    const { companies } = accumulators[productTypes[0]]!;
    const movedFrom = new Map<string, string[]>();
    const maxDevices = form === 'lines' ? this.opts.maxLinesDevices ?? MAX_MONTH_LINES_DEVICES : Infinity;
    let devices = 0;
    // The summary form of endpoint usage reads the summaries; what keeps every line, or user usage, reads the rows.
    const pages = form === 'summary' && !users && this.opts.billing.monthSummaryPage
      ? this.summaryPages(month, companies, accumulators[productTypes[0]]!.licences)
      : this.devicePages(month, companies, {});
    for await (const page of pages) {
      if ((devices += page.length) > maxDevices) {
        throw new TallyError('month_too_large', `${month.id} has more than ${maxDevices} endpoints: too many to hold every endpoint line in memory `
          + '(finalization and includeDevices); the monthly usage without device lines and the report files are streamed and have no such limit');
      }
      for (const { device, currentCompanyId } of page) {
        for (const productType of productTypes) {
          // The summary form keeps no line: count() (which shares the work between devices alike); otherwise every line.
          if (form === 'summary') {
            accumulators[productType]!.count(device);
            continue;
          }
          const deviceLines = accumulators[productType]!.add(device);
          const byCompany = lines[productType];
          if (byCompany) for (const line of deviceLines) pushTo(byCompany, line.companyId, line);
        }
        userUsage?.add(device);
        for (const companyId of device.companyIds) if (companyId !== currentCompanyId) pushTo(movedFrom, companyId, device.deviceId);
      }
    }
    const reports: StreamedMonth['reports'] = {};
    for (const productType of productTypes) reports[productType] = accumulators[productType]!.report(lines[productType]);
    return { reports, accumulators, userUsage: userUsage?.report() ?? null, movedFrom };
  }

  /** Computes every report of the month from the facts as they are now, with every endpoint and user line. */
  async computeSnapshot(monthId: string): Promise<MonthSnapshot> {
    const month = this.month(monthId);
    const streamed = await this.streamMonth(month, 'lines', PRODUCT_TYPES, true);
    const reports = { endpoint_security: streamed.reports.endpoint_security!, edr: streamed.reports.edr! };
    return { month: month.id, reports, userUsage: streamed.userUsage!, hash: snapshotHash(reports, streamed.userUsage!) };
  }

  /** The finalized month's current snapshot, null if not finalized. */
  private async storedSnapshot(month: Month): Promise<MonthSnapshot | null> {
    const stored = await this.opts.billing.currentSnapshot(month.id);
    if (!stored) return null;
    // Snapshots stored by an earlier version (before deviceCount, before licence states) read in today's shape; their hash stays the stored one.
    return {
      ...stored,
      reports: { endpoint_security: upgradeStoredReport(stored.reports.endpoint_security), edr: upgradeStoredReport(stored.reports.edr) },
      userUsage: upgradeStoredUserUsage(stored.userUsage),
    };
  }

  /** A finalized month's current figures (its snapshot after adjustments); otherwise computed live. */
  async snapshot(monthId: string): Promise<{ snapshot: MonthSnapshot; finalized: boolean }> {
    const month = this.month(monthId);
    const stored = await this.storedSnapshot(month);
    if (stored) return { snapshot: stored, finalized: true };
    return { snapshot: await this.computeSnapshot(month.id), finalized: false };
  }

  /**
   * The month's report for one product type. With `devices` (the default)
   * every row carries its endpoint lines; without, an open month is computed
   * device by device in the summary form (rows with deviceCount, no lines),
   * in memory that does not grow with the endpoints.
   */
  async monthlyReport(monthId: string, productType: ProductType, opts: { devices?: boolean } = {}): Promise<{ report: MonthlyUsageReport; finalized: boolean }> {
    if (opts.devices ?? true) {
      const { snapshot, finalized } = await this.snapshot(monthId);
      return { report: snapshot.reports[productType], finalized };
    }
    const { report, finalized } = await this.endpointReport(monthId, productType);
    return { report, finalized };
  }

  /**
   * What a report file needs: the month's rows and a source of endpoint
   * lines, company by company. A finalized month comes from its snapshot;
   * an open one is streamed: one pass for the rows (summary form), then, per
   * company the file lists, its devices read again (those that belong to it
   * now, and those that moved away this month), so no pass holds the month.
   * The lines are read when the file is written: for an open month they show
   * the facts as they are then.
   */
  async endpointReport(monthId: string, productType: ProductType): Promise<{ report: MonthlyUsageReport; finalized: boolean; lines: EndpointLineSource }> {
    const month = this.month(monthId);
    const stored = await this.storedSnapshot(month);
    if (stored) return { report: stored.reports[productType], finalized: true, lines: linesOfReport(stored.reports[productType]) };
    const streamed = await this.streamMonth(month, 'summary', [productType], false);
    const accumulator = streamed.accumulators[productType]!;
    const lines: EndpointLineSource = {
      linesAt: (companyId) => this.companyLines(month, accumulator, companyId, streamed.movedFrom.get(companyId) ?? []),
    };
    return { report: streamed.reports[productType]!, finalized: false, lines };
  }

  /** One company's endpoint lines, by device id: its devices now, merged with those that moved away this month. */
  private async *companyLines(month: Month, accumulator: EndpointUsageAccumulator, companyId: string, movedAway: readonly string[]): AsyncGenerator<DeviceMonthLine> {
    if (!accumulator.companies.has(companyId)) return;
    const listedHere = (device: DeviceMonth) => device.companyIds.includes(companyId);
    const moved: DeviceMonth[] = [];
    if (movedAway.length) {
      for await (const page of this.devicePages(month, accumulator.companies, { deviceIds: movedAway })) moved.push(...page.map((d) => d.device).filter(listedHere));
    }
    // Pages of the company's current devices, with the few moved ones slotted in by id.
    for await (const page of this.devicePages(month, accumulator.companies, { currentCompanyId: companyId })) {
      for (const { device } of page) {
        if (!listedHere(device)) continue;
        while (moved.length && compareIds(moved[0].deviceId, device.deviceId) < 0) yield accumulator.lineAt(moved.shift()!, companyId);
        if (moved[0]?.deviceId === device.deviceId) moved.shift(); // moved back meanwhile: listed once
        yield accumulator.lineAt(device, companyId);
      }
    }
    for (const device of moved) yield accumulator.lineAt(device, companyId);
  }

  /**
   * Which of these devices are billed (by some company) this month: a day
   * that counts, at a company whose licence is billable that day, not
   * excluded (the report's licensed view; activity without a billable
   * licence is shown, never billed).
   */
  async billedDevices(monthId: string, deviceIds: readonly string[]): Promise<Set<string>> {
    const billed = new Set<string>();
    if (deviceIds.length === 0) return billed;
    const month = this.month(monthId);
    const context = await this.opts.billing.billingContext(month.id);
    const usage = new EndpointUsageAccumulator({ ...context, month: month.id, productType: 'endpoint_security' });
    for await (const page of this.devicePages(month, usage.companies, { deviceIds })) {
      for (const { device } of page) if (usage.licensedView(device)?.billedCompanyId != null) billed.add(device.deviceId);
    }
    return billed;
  }

  async userUsage(monthId: string): Promise<{ report: UserUsageReport; finalized: boolean }> {
    const { snapshot, finalized } = await this.snapshot(monthId);
    return { report: snapshot.userUsage, finalized };
  }

  async explain(monthId: string, deviceId: string, productType: ProductType): Promise<DeviceExplanation> {
    const month = this.month(monthId);
    const [context, page] = await Promise.all([
      this.opts.billing.billingContext(month.id),
      this.opts.billing.monthDevicePage({ deviceIds: [deviceId], fromDay: month.firstDay, toDay: month.endDay, after: null, limit: 1 }),
    ]);
    // Only the device's own rows matter to its explanation.
    const deviceDays = knownRows(page.devices[0]?.days ?? [], new Set(context.companies.map((c) => c.id)));
    return explainDevice({ ...context, deviceDays, month: month.id, productType }, deviceId, page.devices[0]?.exclusions);
  }

  /**
   * Month-end forecast for the month that is open now, computed device by
   * device (memory holds one page).
   */
  async forecast(productType: ProductType): Promise<UsageForecast> {
    const now = this.opts.now();
    const month = monthContaining(now);
    const context = await this.opts.billing.billingContext(month.id);
    const forecast = new EndpointForecastAccumulator({ ...context, month: month.id, productType, nowMs: now });
    for await (const page of this.monthDevices(month.id)) {
      for (const d of page) {
        forecast.add(d.deviceId, knownRows(d.days, forecast.companies), d.exclusions);
      }
    }
    return forecast.forecast();
  }

  /**
   * The month's raw device-day rows, device by device in id order, a page
   * at a time (each device with all its rows of the month, devices without
   * any left out): for what needs the rows themselves (charts, the device
   * list) in memory that holds one page. `deviceIds` / `currentCompanyId`
   * narrow it as monthDevicePage does.
   */
  async *monthDevices(monthId: string, query: Pick<MonthDevicePageQuery, 'currentCompanyId' | 'deviceIds'> = {}): AsyncGenerator<MonthDeviceRows[]> {
    const month = this.month(monthId);
    let after: string | null = null;
    do {
      const page = await this.opts.billing.monthDevicePage({ ...query, fromDay: month.firstDay, toDay: month.endDay, after, limit: this.opts.monthPageDevices ?? MONTH_PAGE_DEVICES });
      yield page.devices;
      after = page.next;
    } while (after !== null);
  }

  async view(monthId: string): Promise<MonthView> {
    const month = this.month(monthId);
    const [finalized, adjustments] = await Promise.all([
      this.opts.billing.getFinalizedMonth(month.id),
      this.opts.billing.listAdjustments(month.id),
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
}

/**
 * The rows whose company was among the companies read at the start. A row
 * naming a newer company was written after they were read (a row needs its
 * company to exist), so after the computation began: it is left out, as a row
 * written a moment later would be, and a month being finalized gets it as
 * late data (closeMonth marks what was written since it started).
 */
function knownRows(days: DeviceDay[], companies: { has(id: string): boolean }): DeviceDay[] {
  return days.every((day) => companies.has(day.companyId)) ? days : days.filter((day) => companies.has(day.companyId));
}

function pushTo<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
