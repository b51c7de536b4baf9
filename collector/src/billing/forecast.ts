// Forecast of month-end usage for the open month.
//
// Method (documented in README):
// - Endpoint counts: an endpoint counts once it was protected at any time in
//   the month, so everything seen so far stays. On top of that, endpoints keep
//   appearing: the run-rate of growth is measured on complete days after the
//   first one, (usage through yesterday - usage of day 1) / (complete days - 1),
//   and applied to the time left. With fewer than two complete days there is no
//   run-rate and the forecast is the usage so far.
// - SVE: VDI hours accrue with time: hours so far / elapsed days * month days.
// - Minimum usage and the partner roll-up are applied to the forecast, as in
//   the report.
// Each company's own use is forecast, then rolled up, so a partner's forecast
// is still the sum of its subtree.

import { rowsByDevice, summarizeDevice, type BillingExclusion } from './device-month.ts';
import { EndpointUsageAccumulator, type EndpointMonthInput, type EndpointUsageInput } from './endpoint-usage.ts';
import { BillingInputError } from './errors.ts';
import { compareIds } from './hash.ts';
import { indexCompanies, rollUp } from './hierarchy.ts';
import { DAY_MS, monthState, parseMonth, type Month } from './period.ts';
import { USAGE_COLUMNS, type Company, type DeviceDay, type MonthlyUsageReport, type ProductType, type UsageColumns } from './types.ts';

export interface ForecastInput extends EndpointUsageInput {
  readonly nowMs: number;
}

/** What a forecast needs besides the device-day rows. */
export type ForecastMonthInput = EndpointMonthInput & { readonly nowMs: number };

export interface CompanyForecast {
  readonly companyId: string;
  readonly soFar: UsageColumns;
  readonly forecastOwn: UsageColumns;
  readonly forecastTotal: UsageColumns;
}

export interface UsageForecast {
  readonly month: string;
  readonly productType: ProductType;
  readonly nowMs: number;
  readonly elapsedDays: number;
  readonly remainingDays: number;
  /** Complete days the run-rate was measured on (0 = no run-rate yet). */
  readonly runRateDays: number;
  readonly rows: readonly CompanyForecast[];
}

/**
 * The three reports a forecast is computed from: the month's rows up to
 * today, up to yesterday, and of its first day alone (each a report of the
 * month computed from the rows up to that day, inclusive).
 */
export interface ForecastReports {
  readonly soFar: MonthlyUsageReport;
  readonly throughYesterday: MonthlyUsageReport;
  readonly firstDay: MonthlyUsageReport;
}

/** The last UTC day (inclusive) of the rows behind each of the three reports. */
export type ForecastDayLimits = Readonly<Record<keyof ForecastReports, number>>;

interface ForecastPeriod {
  readonly month: Month;
  readonly limits: ForecastDayLimits;
  readonly elapsedDays: number;
  readonly remainingDays: number;
  readonly runRateDays: number;
}

/** Where `nowMs` stands in the month; throws MONTH_NOT_OPEN unless the month is open. */
function forecastPeriod(monthId: string, nowMs: number): ForecastPeriod {
  const month = parseMonth(monthId);
  const state = monthState(month, nowMs);
  if (state !== 'open') {
    throw new BillingInputError('MONTH_NOT_OPEN', `${month.id} is ${state} at ${nowMs}: forecast only the open month`);
  }
  const today = Math.floor(nowMs / DAY_MS);
  const completeDays = today - month.firstDay;
  return {
    month,
    limits: { soFar: today, throughYesterday: today - 1, firstDay: month.firstDay },
    elapsedDays: (nowMs - month.startMs) / DAY_MS,
    remainingDays: (month.endMs - nowMs) / DAY_MS,
    runRateDays: completeDays >= 2 ? completeDays - 1 : 0,
  };
}

/** The day limits of the three reports a forecast of the open month at `nowMs` needs. */
export function forecastDayLimits(month: string, nowMs: number): ForecastDayLimits {
  return forecastPeriod(month, nowMs).limits;
}

/** The month-end forecast for the whole month (in memory): a thin wrapper over EndpointForecastAccumulator. */
export function forecastEndpointUsage(input: ForecastInput): UsageForecast {
  const forecast = new EndpointForecastAccumulator(input);
  const byDevice = rowsByDevice(input.deviceDays);
  for (const deviceId of [...byDevice.keys()].sort(compareIds)) forecast.add(deviceId, byDevice.get(deviceId)!);
  return forecast.forecast();
}

/**
 * The forecast computed one device at a time: add() each device's rows of
 * the month (all of them, once), forecast() then gives the forecast. Holds
 * three EndpointUsageAccumulators (rows up to today, up to yesterday, the
 * first day): memory grows with the companies, not the endpoints.
 */
export class EndpointForecastAccumulator {
  readonly month: Month;
  readonly companies: ReadonlyMap<string, Company>;
  private readonly period: ForecastPeriod;
  private readonly usage: Readonly<Record<keyof ForecastReports, EndpointUsageAccumulator>>;

  constructor(private readonly input: ForecastMonthInput) {
    this.period = forecastPeriod(input.month, input.nowMs);
    this.month = this.period.month;
    const soFar = new EndpointUsageAccumulator(input);
    this.companies = soFar.companies;
    this.usage = { soFar, throughYesterday: new EndpointUsageAccumulator(input), firstDay: new EndpointUsageAccumulator(input) };
  }

  /** One device's rows (rows outside the month are ignored): counted in each report up to its day. */
  add(deviceId: string, rows: readonly DeviceDay[], exclusions: readonly BillingExclusion[] = []): void {
    for (const key of ['soFar', 'throughYesterday', 'firstDay'] as const) {
      const last = this.period.limits[key];
      const device = summarizeDevice(deviceId, rows.filter((d) => d.utcDay <= last), this.month, this.companies, exclusions);
      if (device) this.usage[key].add(device);
    }
  }

  forecast(): UsageForecast {
    const reports = { soFar: this.usage.soFar.report(), throughYesterday: this.usage.throughYesterday.report(), firstDay: this.usage.firstDay.report() };
    return forecastFromReports(this.input, reports);
  }
}

/**
 * The forecast's arithmetic on the three reports (see ForecastReports;
 * forecastDayLimits gives their days). Pure: the reports may come from
 * computeEndpointUsage or from EndpointUsageAccumulators fed device by device.
 */
export function forecastFromReports(input: ForecastMonthInput, reports: ForecastReports): UsageForecast {
  const { month, elapsedDays, remainingDays, runRateDays } = forecastPeriod(input.month, input.nowMs);
  const { soFar, throughYesterday, firstDay } = reports;
  const ownOf = (report: MonthlyUsageReport) => new Map(report.rows.map((r) => [r.companyId, r.own]));
  const billableOf = (report: MonthlyUsageReport) => new Map(report.rows.map((r) => [r.companyId, r.billable.own.endpointUsage]));
  const yesterdayOwn = ownOf(throughYesterday);
  const firstDayOwn = ownOf(firstDay);
  const yesterdayBillable = billableOf(throughYesterday);
  const firstDayBillable = billableOf(firstDay);
  const grow = (soFarValue: number, yesterday: number, first: number) => {
    const rate = runRateDays > 0 ? (yesterday - first) / runRateDays : 0;
    return Math.max(0, Math.round(soFarValue + rate * remainingDays));
  };

  const forecastOwn = new Map<string, UsageColumns>();
  for (const row of soFar.rows) {
    const forecast = { ...row.own };
    for (const column of USAGE_COLUMNS) {
      if (column === 'billableEndpointUsage') continue;
      if (column === 'sveVdiHours') {
        forecast[column] = elapsedDays > 0 ? Math.ceil((row.own[column] / elapsedDays) * month.days) : row.own[column];
        continue;
      }
      forecast[column] = grow(row.own[column], yesterdayOwn.get(row.companyId)![column], firstDayOwn.get(row.companyId)![column]);
    }
    // What is billed grows like Endpoint Usage, but over billable days only (a trial or an ended
    // subscription forecasts no billed endpoints); then the minimum, when it applies (endpoint-usage.ts).
    const billable = grow(row.billable.own.endpointUsage, yesterdayBillable.get(row.companyId)!, firstDayBillable.get(row.companyId)!);
    forecast.billableEndpointUsage = row.minimumApplies ? Math.max(billable, row.minimumUsage!) : billable;
    forecastOwn.set(row.companyId, forecast);
  }
  const totals = rollUp(indexCompanies(input.companies), forecastOwn);
  return {
    month: month.id,
    productType: input.productType,
    nowMs: input.nowMs,
    elapsedDays,
    remainingDays,
    runRateDays,
    rows: soFar.rows.map((row) => ({
      companyId: row.companyId,
      soFar: row.own,
      forecastOwn: forecastOwn.get(row.companyId)!,
      forecastTotal: totals.get(row.companyId)!,
    })),
  };
}
