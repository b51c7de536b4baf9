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

import { computeEndpointUsage, type EndpointUsageInput } from './endpoint-usage.ts';
import { BillingInputError } from './errors.ts';
import { indexCompanies, rollUp } from './hierarchy.ts';
import { DAY_MS, monthState, parseMonth } from './period.ts';
import { USAGE_COLUMNS, type ProductType, type UsageColumns } from './types.ts';

export interface ForecastInput extends EndpointUsageInput {
  readonly nowMs: number;
}

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

export function forecastEndpointUsage(input: ForecastInput): UsageForecast {
  const month = parseMonth(input.month);
  const state = monthState(month, input.nowMs);
  if (state !== 'open') {
    throw new BillingInputError('MONTH_NOT_OPEN', `${month.id} is ${state} at ${input.nowMs}: forecast only the open month`);
  }
  const today = Math.floor(input.nowMs / DAY_MS);
  const elapsedDays = (input.nowMs - month.startMs) / DAY_MS;
  const remainingDays = (month.endMs - input.nowMs) / DAY_MS;
  const completeDays = today - month.firstDay;
  const runRateDays = completeDays >= 2 ? completeDays - 1 : 0;

  const upTo = (lastDayInclusive: number) =>
    computeEndpointUsage({ ...input, deviceDays: input.deviceDays.filter((d) => d.utcDay <= lastDayInclusive) });
  const soFar = upTo(today);
  const throughYesterday = upTo(today - 1);
  const firstDay = upTo(month.firstDay);
  const ownOf = (report: typeof soFar) => new Map(report.rows.map((r) => [r.companyId, r.own]));
  const yesterdayOwn = ownOf(throughYesterday);
  const firstDayOwn = ownOf(firstDay);

  const forecastOwn = new Map<string, UsageColumns>();
  for (const row of soFar.rows) {
    const forecast = { ...row.own };
    for (const column of USAGE_COLUMNS) {
      if (column === 'billableEndpointUsage') continue;
      if (column === 'sveVdiHours') {
        forecast[column] = elapsedDays > 0 ? Math.ceil((row.own[column] / elapsedDays) * month.days) : row.own[column];
        continue;
      }
      const rate = runRateDays > 0 ? (yesterdayOwn.get(row.companyId)![column] - firstDayOwn.get(row.companyId)![column]) / runRateDays : 0;
      forecast[column] = Math.max(0, Math.round(row.own[column] + rate * remainingDays));
    }
    const minimumApplies = row.inReport && row.active && row.minimumUsage !== null;
    forecast.billableEndpointUsage = minimumApplies ? Math.max(forecast.endpointUsage, row.minimumUsage!) : forecast.endpointUsage;
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
