// Public API of the pure billing core. Storage, API and CLI import from here only.

export * from './types.ts';
export { BillingInputError, type BillingErrorCode } from './errors.ts';
export {
  DAY_MS,
  HOUR_MS,
  DEFAULT_GRACE_HOURS,
  type Month,
  type MonthState,
  parseMonth,
  formatMonth,
  formatDay,
  monthFromParts,
  monthContaining,
  monthOfDay,
  addMonths,
  monthsBetween,
  dayStartMs,
  monthState,
} from './period.ts';
export { canonicalJson, sha256Hex, hashMonthlyUsage, compareIds } from './hash.ts';
export {
  canonicalAround, StreamedDocumentHash, monthlyUsageHash, userUsageHash, combineMonthHash, rowWithoutLines, userCompanyWithoutLines, userLineKey, lineText,
} from './month-hash.ts';
export { MODEL_PRIORITY, MODEL_INCLUDES, winningModel, modelIncludes } from './models.ts';
export {
  type CompanyMonthTerms,
  type VersionInForce,
  companyMonthTerms,
  effectiveLicenseType,
  versionIntervals,
} from './subscription.ts';
export { TIER_ORDER, billedTierAt, configuredTierAt } from './integrity-monitoring.ts';
export { type DeviceMonth, type DayFact, type DayVerdict, type BillingExclusion, exclusionOn, billableView, mergeDeviceDays, summarizeDeviceMonths, summarizeDevice, rowsByDevice, licensedView } from './device-month.ts';
export {
  type LicenceState,
  type UnlicensedReason,
  type LicenceSegment,
  type CompanyLicenceMonth,
  type LicenceAt,
  LICENCE_STATES,
  UNLICENSED_REASONS,
  LICENCE_STATE_LABELS,
  MonthLicences,
  licenceStateAt,
  licenceAt,
  inactiveCompanyAt,
  companyLicenceMonth,
  companyLicenceIntervals,
  endDateStopMs,
} from './licence.ts';
export { type DeviceMonthSummary, type SummaryContext, summarizeMonthRows, deviceMonthOfSummary, sameSummary } from './device-month-summary.ts';
export { isPreLicenceReport, upgradeStoredReport, upgradeStoredUserUsage } from './stored.ts';
export { vdiHours } from './endpoint-columns.ts';
export { zeroColumns, addColumns, treeBefore, type CompanyMove } from './hierarchy.ts';
export { type EndpointLineSource, linesOfReport } from './line-source.ts';
export {
  type EndpointUsageInput,
  type EndpointMonthInput,
  computeEndpointUsage,
  EndpointUsageAccumulator,
  minimumUsageApplies,
  UNLICENSED_NOTES,
} from './endpoint-usage.ts';
export {
  type UserUsageInput,
  type UserMonthInput,
  type UserUsageReport,
  type CompanyUserUsage,
  type UserBillingLine,
  type UnlicensedUserFigure,
  type SubscriptionChoice,
  CORPORATE_DEVICES_PER_USER,
  PERSONAL_DEVICES_PER_USER,
  computeUserUsage,
  UserUsageAccumulator,
  subscriptionForUser,
  allocateFootprint,
} from './user-usage.ts';
export {
  type RetainedRecord,
  type RetentionDecision,
  INACTIVE_DEVICE_VISIBLE_DAYS,
  INACTIVE_USER_VISIBLE_DAYS,
  listingRetention,
} from './retention.ts';
export {
  type FinalizedMonth,
  type AdjustmentLine,
  type AdjustmentFigure,
  type AdjustmentOutcome,
  UNLICENSED_ENDPOINTS,
  type LateDataDisposition,
  LATE_DATA_ADJUSTMENT_MONTHS,
  finalizeMonth,
  adjustFinalizedMonth,
  adjustmentLines,
  lateDataDisposition,
} from './adjustments.ts';
export { type DeviceExplanation, type ExplainedDay, explainDevice } from './explain.ts';
export {
  type ForecastInput,
  type ForecastMonthInput,
  type ForecastReports,
  type ForecastDayLimits,
  type UsageForecast,
  type CompanyForecast,
  forecastEndpointUsage,
  forecastFromReports,
  forecastDayLimits,
  EndpointForecastAccumulator,
} from './forecast.ts';
