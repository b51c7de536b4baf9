// Reading a month: the pure billing core fed from storage, device by device,
// finalized months served from their immutable snapshots. Read-only: closing
// a month and turning late data into adjustments is month-closer.ts. The
// clock is injected; the rules stay in billing/.
import {
  BillingInputError, deviceMonthOfSummary, EndpointUsageAccumulator, UserUsageAccumulator, canonicalJson, compareIds, explainDevice,
  EndpointForecastAccumulator, hashMonthlyUsage, monthContaining, monthState, parseMonth, sha256Hex, summarizeDevice,
  type Company, type DeviceDay, type DeviceExplanation, type DeviceMonth, type DeviceMonthLine, type Month, type MonthState,
  type MonthlyUsageReport, type ProductType, type SummaryContext, type UsageForecast, type UserUsageReport,
} from '../billing/index.ts';
import { combineMonthHash, type CompanyUserUsage, type EndpointLineSource, type UserBillingLine } from '../billing/index.ts';
import { TallyError } from '../errors.ts';
import type { BillingStore, MonthAdjustment, MonthDevicePageQuery, MonthDeviceRows, MonthSnapshot } from '../storage/types.ts';
import { readStoredMonth, tooLarge, verifyRun, RUN_READ_PAGE, type MonthLinesSink, type StoredMonth } from './month-rows.ts';

export const PRODUCT_TYPES: readonly ProductType[] = ['endpoint_security', 'edr'];

export interface MonthReaderOptions {
  billing: Pick<BillingStore, 'billingContext' | 'monthDevicePage' | 'currentSnapshot' | 'getFinalizedMonth' | 'listAdjustments'
    | 'monthRunCompanyRows' | 'monthRunEndpointLines' | 'monthRunUserLines'>
    /** The month's device summaries: without them every device's rows are read. */
    & Partial<Pick<BillingStore, 'monthSummaryPage'>>;
  now: () => number;
  /** Grace window after a month ends before it can be finalized (default 72 h). */
  graceHours: number;
  /** Devices read per page while a month is streamed (default MONTH_PAGE_DEVICES). */
  monthPageDevices?: number;
  /** Most endpoints an open month may have for its every-line form held in memory (computeSnapshot, an open month's user lines; default MAX_MONTH_LINES_DEVICES). */
  maxLinesDevices?: number;
  /** Lines read per page from a finalized month's rows (default RUN_READ_PAGE). */
  runPageLines?: number;
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

/** The content hash of a month held whole; a month stored as rows hashes to the same (usage/month-rows.ts hashMonthRun). */
export function snapshotHash(reports: MonthSnapshot['reports'], userUsage: UserUsageReport): string {
  return combineMonthHash({
    endpoint_security: hashMonthlyUsage(reports.endpoint_security),
    edr: hashMonthlyUsage(reports.edr),
    users: sha256Hex(canonicalJson(userUsage)),
  });
}

/** Devices read per page while a month is streamed (~21 rows each): small reads, few round trips. */
export const MONTH_PAGE_DEVICES = 1000;

/** Summaries read per page: one row each. */
export const MONTH_PAGE_SUMMARIES = 5000;

/**
 * The every-line form of an OPEN month held in memory (computeSnapshot, and
 * the user line items of a month not finalized) takes ~10 KB of heap per
 * endpoint (BENCHMARKS.md, Month). Past ~300,000 endpoints it would exhaust
 * the heap, which ends the process, so it stops here with month_too_large
 * instead. Finalization has no such bound: it writes the lines as rows as it
 * goes (computeMonthRows), and every reader of a finalized month streams
 * them; an open month's endpoint lines stream too (endpointReport).
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
   * summarized as devicePages does. Same devices, same months, in the same
   * (device-id) order.
   */
  private async *summaryPages(month: Month, companies: ReadonlyMap<string, Company>, licences: { billableEveryDay(companyIds: readonly string[]): boolean }):
    AsyncGenerator<{ device: DeviceMonth; currentCompanyId: string }[]> {
    const pageOf = this.opts.billing.monthSummaryPage!;
    const lists = new Map<string, readonly string[]>();
    const context: SummaryContext = {
      month, companies, billableEveryDay: (ids) => licences.billableEveryDay(ids),
      // One frozen [company] list per company, shared by its devices (millions of devices, a few thousand companies).
      companyIdsOf: (id) => lists.get(id) ?? lists.set(id, Object.freeze([id])).get(id)!,
    };
    let after: string | null = null;
    do {
      const page = await pageOf({ month: month.id, after, limit: this.opts.monthPageDevices ?? MONTH_PAGE_SUMMARIES });
      const summarized: { device: DeviceMonth; currentCompanyId: string }[] = [];
      // The devices read from their rows, by id, and where each goes: the page stays in device-id order (user usage
      // takes a user's company from the first of its devices by id).
      const fromRows = new Map<string, number>();
      for (const row of page.devices) {
        const device = deviceMonthOfSummary(row.summary, row.exclusions, context);
        if (device) summarized.push({ device, currentCompanyId: row.currentCompanyId });
        else fromRows.set(row.summary.deviceId, summarized.length);
      }
      if (fromRows.size) {
        const read = new Map<string, { device: DeviceMonth; currentCompanyId: string }>();
        for await (const rows of this.devicePages(month, companies, { deviceIds: [...fromRows.keys()] })) for (const d of rows) read.set(d.device.deviceId, d);
        const merged: { device: DeviceMonth; currentCompanyId: string }[] = [];
        let next = 0;
        for (const [deviceId, at] of fromRows) {
          while (next < at) merged.push(summarized[next++]);
          const d = read.get(deviceId);
          if (d) merged.push(d);
        }
        while (next < summarized.length) merged.push(summarized[next++]);
        yield merged;
      } else {
        yield summarized;
      }
      after = page.next;
    } while (after !== null);
  }

  /**
   * One pass over the month's devices for the given product types (and
   * user-based usage when `users` is set). 'summary' keeps no endpoint
   * line: memory grows with companies and users, not endpoints. 'lines'
   * keeps them all, as a finalized snapshot stores them. `read` says
   * where the devices' months come from: 'summaries' (what reads an open
   * month, and finalization: one row per device, the rows of the few a
   * summary cannot stand for; the rows when the store keeps no summaries)
   * or 'rows' (the every-line snapshot and the reference the property test
   * compares with: from the facts themselves).
   */
  private async streamMonth(month: Month, form: 'lines' | 'summary', productTypes: readonly ProductType[], users: boolean, read: 'summaries' | 'rows',
    sink?: MonthLinesSink): Promise<StreamedMonth> {
    const context = { ...(await this.opts.billing.billingContext(month.id)), month: month.id };
    const accumulators: StreamedMonth['accumulators'] = {};
    const lines: Partial<Record<ProductType, Map<string, DeviceMonthLine[]>>> = {};
    for (const productType of productTypes) {
      accumulators[productType] = new EndpointUsageAccumulator({ ...context, productType });
      if (form === 'lines') lines[productType] = new Map();
    }
    // With a sink the lines go to it as they are made (the 'lines' form of user usage hands over its standalone lines each page).
    const userUsage = users ? new UserUsageAccumulator(context, sink ? 'lines' : form) : null;
    const { companies } = accumulators[productTypes[0]]!;
    const movedFrom = new Map<string, string[]>();
    const maxDevices = form === 'lines' && !sink ? this.opts.maxLinesDevices ?? MAX_MONTH_LINES_DEVICES : Infinity;
    let devices = 0;
    const pages = read === 'summaries' && this.opts.billing.monthSummaryPage
      ? this.summaryPages(month, companies, accumulators[productTypes[0]]!.licences)
      : this.devicePages(month, companies, {});
    for await (const page of pages) {
      if ((devices += page.length) > maxDevices) throw tooLarge(month.id, maxDevices);
      for (const { device, currentCompanyId } of page) {
        for (const productType of productTypes) {
          // The summary form keeps no line: count() (which shares the work between devices alike); otherwise every line,
          // also when a sink takes them (finalization writes every line as rows while its company rows stay summaries).
          if (form === 'summary' && !sink) {
            accumulators[productType]!.count(device);
            continue;
          }
          const deviceLines = accumulators[productType]!.add(device);
          const byCompany = lines[productType];
          if (byCompany) for (const line of deviceLines) pushTo(byCompany, line.companyId, line);
          sink?.endpointLines(productType, deviceLines);
        }
        userUsage?.add(device);
        for (const companyId of device.companyIds) if (companyId !== currentCompanyId) pushTo(movedFrom, companyId, device.deviceId);
      }
      if (sink) {
        if (userUsage) sink.userLines(userUsage.takeStandaloneLines());
        await sink.pageDone();
      }
    }
    const reports: StreamedMonth['reports'] = {};
    for (const productType of productTypes) reports[productType] = accumulators[productType]!.report(lines[productType]);
    return { reports, accumulators, userUsage: userUsage?.report() ?? null, movedFrom };
  }

  /**
   * Computes every report of the month from the facts as they are now, with
   * every endpoint and user line, in memory: for months of bounded size
   * (month_too_large past maxLinesDevices). Finalization uses computeMonthRows.
   */
  async computeSnapshot(monthId: string): Promise<MonthSnapshot> {
    const month = this.month(monthId);
    const streamed = await this.streamMonth(month, 'lines', PRODUCT_TYPES, true, 'rows');
    const reports = { endpoint_security: streamed.reports.endpoint_security!, edr: streamed.reports.edr! };
    return { month: month.id, reports, userUsage: streamed.userUsage!, hash: snapshotHash(reports, streamed.userUsage!) };
  }

  /**
   * Computes every report of the month in one pass, handing every endpoint
   * and user line to `sink` as it is made (a page of devices at a time):
   * returns the company rows (summary form: deviceCount, no lines) and the
   * user usage with the lines not handed over yet. Memory grows with the
   * companies and users, not the endpoints: any size.
   */
  async computeMonthRows(monthId: string, sink: MonthLinesSink): Promise<{ reports: MonthSnapshot['reports']; userUsage: UserUsageReport }> {
    const month = this.month(monthId);
    // From the summaries: a device read from its summary makes the same DeviceMonth as from its rows, in the same
    // order (summaries.property.test.ts compares every line handed over, the company rows and the user usage both ways).
    const streamed = await this.streamMonth(month, 'summary', PRODUCT_TYPES, true, 'summaries', sink);
    return { reports: { endpoint_security: streamed.reports.endpoint_security!, edr: streamed.reports.edr! }, userUsage: streamed.userUsage! };
  }

  /** The finalized month's current figures (after adjustments), rows in memory and lines streamed; null if not finalized. */
  async storedMonth(monthId: string): Promise<StoredMonth | null> {
    const month = this.month(monthId);
    const figures = await this.opts.billing.currentSnapshot(month.id);
    return figures ? readStoredMonth(this.opts.billing, figures, this.opts.runPageLines ?? RUN_READ_PAGE) : null;
  }

  /**
   * A finalized month's current figures (its snapshot after adjustments),
   * otherwise computed live, held whole in memory: for tests and small
   * months; the surfaces stream (endpointReport, userUsageLines).
   */
  async snapshot(monthId: string): Promise<{ snapshot: MonthSnapshot; finalized: boolean }> {
    const month = this.month(monthId);
    const stored = await this.storedMonth(month.id);
    if (!stored) return { snapshot: await this.computeSnapshot(month.id), finalized: false };
    const whole = async (productType: ProductType): Promise<MonthlyUsageReport> => {
      const lines = stored.endpointLines(productType);
      const rows = [];
      for (const row of stored.reports[productType].rows) {
        const devices: DeviceMonthLine[] = [];
        for await (const line of lines.linesAt(row.companyId)) devices.push(line);
        rows.push({ ...row, devices });
      }
      return { ...stored.reports[productType], rows };
    };
    const companies: CompanyUserUsage[] = [];
    for (const c of stored.userUsage.companies) {
      const lines: UserBillingLine[] = [];
      for await (const line of stored.userLines(c.companyId)) lines.push(line);
      companies.push({ ...c, lines });
    }
    const reports = { endpoint_security: await whole('endpoint_security'), edr: await whole('edr') };
    return { snapshot: { month: month.id, reports, userUsage: { ...stored.userUsage, companies }, hash: stored.hash }, finalized: true };
  }

  /**
   * The month's report for one product type. With `devices` (the default)
   * every row carries its endpoint lines, in memory (see snapshot); without,
   * the rows only: a finalized month's stored rows, an open month computed
   * device by device in the summary form (rows with deviceCount, no lines),
   * in memory that does not grow with the endpoints.
   */
  async monthlyReport(monthId: string, productType: ProductType, opts: { devices?: boolean } = {}): Promise<{ report: MonthlyUsageReport; finalized: boolean }> {
    if (opts.devices ?? true) {
      const { snapshot, finalized } = await this.snapshot(monthId);
      return { report: snapshot.reports[productType], finalized };
    }
    const { report, finalized } = await this.endpointReport(monthId, productType);
    return { report: { ...report, rows: report.rows.map((r) => (r.devices.length ? { ...r, devices: [] } : r)) }, finalized };
  }

  /**
   * What a report file (and the console, and the API's includeDevices)
   * needs: the month's rows and a source of endpoint lines, company by
   * company. A finalized month comes from its stored rows, its lines read a
   * page at a time; an open one is streamed: one pass for the rows (summary
   * form), then, per company the file lists, its devices read again (those
   * that belong to it now, and those that moved away this month), so no pass
   * holds the month. The lines are read when the file is written: for an
   * open month they show the facts as they are then.
   */
  async endpointReport(monthId: string, productType: ProductType): Promise<{ report: MonthlyUsageReport; finalized: boolean; lines: EndpointLineSource }> {
    const month = this.month(monthId);
    const stored = await this.storedMonth(month.id);
    if (stored) return { report: stored.reports[productType], finalized: true, lines: stored.endpointLines(productType) };
    const streamed = await this.streamMonth(month, 'summary', [productType], false, 'summaries');
    const accumulator = streamed.accumulators[productType]!;
    const lines: EndpointLineSource = {
      linesAt: (companyId) => this.companyLines(month, accumulator, companyId, streamed.movedFrom.get(companyId) ?? []),
    };
    return { report: streamed.reports[productType]!, finalized: false, lines };
  }

  /**
   * User-based usage with its line items company by company: a finalized
   * month's from its rows (streamed), an open month's computed in memory
   * (month_too_large past maxLinesDevices).
   */
  async userUsageLines(monthId: string): Promise<{ report: UserUsageReport; finalized: boolean; linesAt(companyId: string): AsyncIterable<UserBillingLine> }> {
    const month = this.month(monthId);
    const stored = await this.storedMonth(month.id);
    if (stored) return { report: stored.userUsage, finalized: true, linesAt: (companyId) => stored.userLines(companyId) };
    // The endpoint lines are not kept; the user lines are, up to the bound.
    const max = this.opts.maxLinesDevices ?? MAX_MONTH_LINES_DEVICES;
    const taken: UserBillingLine[] = [];
    const sink: MonthLinesSink = {
      endpointLines: () => {},
      userLines: (lines) => {
        for (const line of lines) taken.push(line);
        if (taken.length > max) throw tooLarge(month.id, max, 'user line items');
      },
      pageDone: async () => {},
    };
    const { userUsage } = await this.streamMonth(month, 'summary', PRODUCT_TYPES.slice(0, 1), true, 'summaries', sink);
    const byCompany = new Map<string, UserBillingLine[]>();
    for (const line of taken) pushTo(byCompany, line.companyId, line);
    for (const c of userUsage!.companies) for (const line of c.lines) pushTo(byCompany, c.companyId, line);
    for (const lines of byCompany.values()) lines.sort((a, b) => compareIds(lineSortKey(a), lineSortKey(b)));
    return {
      report: userUsage!, finalized: false,
      linesAt: async function* (companyId) {
        yield* byCompany.get(companyId) ?? [];
      },
    };
  }

  /**
   * Checks a finalized month against its recorded hashes: its finalized
   * figures and, when adjusted, its current ones, recomputed from what is
   * stored (rows read back in key order; a snapshot stored whole hashed as
   * it was). A row changed or removed behind the collector's back fails.
   */
  async verify(monthId: string): Promise<{ month: string; finalized: boolean; ok: boolean; checked: { hash: string; ok: boolean; problem?: string }[] }> {
    const month = this.month(monthId);
    const finalized = await this.opts.billing.getFinalizedMonth(month.id);
    if (!finalized) return { month: month.id, finalized: false, ok: false, checked: [] };
    const targets = [{ hash: finalized.hash, runId: finalized.runId }];
    const current = await this.opts.billing.currentSnapshot(month.id);
    if (current && current.hash !== finalized.hash) targets.push({ hash: current.hash, runId: current.runId });
    const checked: { hash: string; ok: boolean; problem?: string }[] = [];
    for (const t of targets) {
      if (t.runId !== null) {
        const r = await verifyRun(this.opts.billing, t.runId, month.id, t.hash, this.opts.runPageLines ?? RUN_READ_PAGE);
        checked.push({ hash: t.hash, ok: r.ok, ...(r.problem ? { problem: r.problem } : {}) });
      } else {
        // Only the current figures' document is at hand for a snapshot stored whole (the finalized one when never adjusted).
        const doc = t.hash === current?.hash ? current.snapshot : null;
        if (!doc) continue;
        const again = snapshotHash(doc.reports, doc.userUsage);
        checked.push({ hash: t.hash, ok: again === t.hash, ...(again === t.hash ? {} : { problem: `the document hashes to ${again}` }) });
      }
    }
    return { month: month.id, finalized: true, ok: checked.every((c) => c.ok), checked };
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

  /**
   * User-based usage counts only (companies' active users, standalone devices,
   * unlicensed activity; no line items): a finalized month's from its stored
   * company rows, an open month's from one 'summary' pass, whose memory grows
   * with users and companies, not endpoints. What the PSA export and sync bill.
   */
  async userUsageSummary(monthId: string): Promise<{ report: UserUsageReport; finalized: boolean }> {
    const month = this.month(monthId);
    const stored = await this.storedMonth(month.id);
    if (stored) return { report: { ...stored.userUsage, companies: stored.userUsage.companies.map((c) => ({ ...c, lines: [] })) }, finalized: true };
    const { userUsage } = await this.streamMonth(month, 'summary', PRODUCT_TYPES.slice(0, 1), true, 'summaries');
    return { report: userUsage!, finalized: false };
  }

  /** User-based usage with every line item, in memory (see userUsageLines for the streamed form). */
  async userUsage(monthId: string): Promise<{ report: UserUsageReport; finalized: boolean }> {
    const { report, finalized, linesAt } = await this.userUsageLines(monthId);
    const companies: CompanyUserUsage[] = [];
    for (const c of report.companies) {
      const lines: UserBillingLine[] = [];
      for await (const line of linesAt(c.companyId)) lines.push(line);
      companies.push({ ...c, lines });
    }
    return { report: { ...report, companies }, finalized };
  }

  /**
   * Why a device is billed as it is, from its facts as they are now; for a
   * finalized month also what the month stored for it (its lines at the
   * companies it is listed at, read by key from the rows), so a difference
   * (late data not adjusted yet) shows.
   */
  async explain(monthId: string, deviceId: string, productType: ProductType): Promise<DeviceExplanation & { finalized?: { hash: string; lines: DeviceMonthLine[] } }> {
    const month = this.month(monthId);
    const [context, page, stored] = await Promise.all([
      this.opts.billing.billingContext(month.id),
      this.opts.billing.monthDevicePage({ deviceIds: [deviceId], fromDay: month.firstDay, toDay: month.endDay, after: null, limit: 1 }),
      this.storedMonth(month.id),
    ]);
    // Only the device's own rows matter to its explanation.
    const deviceDays = knownRows(page.devices[0]?.days ?? [], new Set(context.companies.map((c) => c.id)));
    const explanation = explainDevice({ ...context, deviceDays, month: month.id, productType }, deviceId, page.devices[0]?.exclusions);
    if (!stored) return explanation;
    const lines: DeviceMonthLine[] = [];
    for (const { companyId } of explanation.listedAt) {
      const line = await stored.lineOf(productType, companyId, deviceId);
      if (line) lines.push(line);
    }
    return { ...explanation, finalized: { hash: stored.hash, lines } };
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
      finalizedHash: finalized?.hash ?? null,
      currentHash: adjustments.at(-1)?.hashAfter ?? finalized?.hash ?? null,
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

/** user-usage.ts's order of a company's line items. */
const lineSortKey = (line: UserBillingLine) => (line.kind === 'user' ? `u\u0000${line.userId}` : `d\u0000${line.deviceId}`);

function pushTo<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
