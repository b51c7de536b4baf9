// The options of the Monthly License Usage report (seed 003, "When creating
// the report, you are provided with the following options"), validated once
// here so the CLI and the HTTP routes refuse the same requests with the same
// stable codes.
import { BillingInputError, DAY_MS, parseMonth, type ProductType } from '../billing/index.ts';

export const REPORT_FORMATS = ['csv', 'xlsx', 'pdf', 'psa'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export const REPORT_PRODUCT_TYPES: readonly ProductType[] = ['endpoint_security', 'edr'];

/** Inclusive range of UTC calendar days, 'YYYY-MM-DD'. */
export interface RegistrationWindow {
  readonly from: string;
  readonly to: string;
}

export interface ReportOptions {
  /** The target company: the report covers it and everything below it. */
  readonly companyId: string;
  /** 'YYYY-MM' */
  readonly month: string;
  /** "Product type - generate the report for either companies with Endpoint Security or with Bitdefender EDR." */
  readonly productType: ProductType;
  /** "Only endpoint details - the report focus on information related to the endpoints and ignores the companies' hierarchy." */
  readonly onlyEndpointDetails: boolean;
  /** "Only direct companies - ... only child companies at the first level under the target company." */
  readonly onlyDirectCompanies: boolean;
  /** "Only new customer companies - the report only includes companies created between two specific dates." null = option off. */
  readonly registeredBetween: RegistrationWindow | null;
  /**
   * The human form of the CSV: Uptime in hours, in a column "Uptime (hours)".
   * Off (the default), the CSV keeps GravityZone's column, seconds. XLSX and
   * PDF always show hours.
   */
  readonly uptimeHours?: boolean;
}

/** What a caller may send; every field is checked. Dates may be given one at a time so the "both required" rule can be reported. */
export interface RawReportOptions {
  companyId?: unknown;
  month?: unknown;
  productType?: unknown;
  onlyEndpointDetails?: unknown;
  onlyDirectCompanies?: unknown;
  registeredFrom?: unknown;
  registeredTo?: unknown;
  uptimeHours?: unknown;
}

export type ReportOptionErrorCode =
  | 'invalid_company'
  | 'invalid_month'
  | 'invalid_product_type'
  | 'invalid_flag'
  | 'invalid_registration_date'
  /** Seed 003: "You must fill in both fields, otherwise no information will be included in the request." */
  | 'registration_dates_incomplete'
  | 'registration_range_reversed'
  | 'invalid_format'
  | 'unknown_company'
  | 'report_mismatch'
  | 'daily_usage_required';

export interface ReportOptionError {
  readonly code: ReportOptionErrorCode;
  /** The option at fault, as the HTTP API names it. */
  readonly field: string;
  readonly message: string;
}

export type Result<T, E> = { ok: true; value: T } | { ok: false; error: E };

/** Thrown by the writers for requests that passed validation but do not fit the data (an unknown company, a report of another month). */
export class ReportError extends Error {
  constructor(readonly code: ReportOptionErrorCode, message: string) {
    super(message);
    this.name = 'ReportError';
  }
}

const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Parses 'YYYY-MM-DD' as a real calendar date; returns the UTC day number or null. */
export function parseUtcDate(text: string): number | null {
  const m = DATE_PATTERN.exec(text);
  if (!m) return null;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  const d = new Date(ms);
  if (d.getUTCFullYear() !== Number(m[1]) || d.getUTCMonth() + 1 !== Number(m[2]) || d.getUTCDate() !== Number(m[3])) return null;
  return ms / DAY_MS;
}

export function isReportFormat(value: unknown): value is ReportFormat {
  return typeof value === 'string' && (REPORT_FORMATS as readonly string[]).includes(value);
}

export function validateReportFormat(value: unknown): Result<ReportFormat, ReportOptionError> {
  if (isReportFormat(value)) return { ok: true, value };
  return { ok: false, error: { code: 'invalid_format', field: 'format', message: `format must be one of ${REPORT_FORMATS.join(', ')}, got ${JSON.stringify(value)}` } };
}

function fail(code: ReportOptionErrorCode, field: string, message: string): Result<ReportOptions, ReportOptionError> {
  return { ok: false, error: { code, field, message } };
}

function flag(value: unknown): boolean | null {
  if (value === undefined || value === null || value === false || value === 'false' || value === '0') return false;
  if (value === true || value === 'true' || value === '1') return true;
  return null;
}

/**
 * Validates raw options (from CLI flags or a query string). Product type
 * defaults to endpoint_security, flags to off. The first problem found is
 * returned, with a stable code.
 */
export function validateReportOptions(raw: RawReportOptions): Result<ReportOptions, ReportOptionError> {
  const companyId = typeof raw.companyId === 'string' ? raw.companyId.trim() : '';
  if (!companyId || companyId.length > 200) return fail('invalid_company', 'companyId', 'a target company id is required (at most 200 characters)');

  if (typeof raw.month !== 'string') return fail('invalid_month', 'month', 'month is required, as YYYY-MM');
  try {
    parseMonth(raw.month);
  } catch (err) {
    if (err instanceof BillingInputError) return fail('invalid_month', 'month', err.message);
    throw err;
  }

  const productType = raw.productType === undefined || raw.productType === null ? 'endpoint_security' : raw.productType;
  if (typeof productType !== 'string' || !(REPORT_PRODUCT_TYPES as readonly string[]).includes(productType)) {
    return fail('invalid_product_type', 'productType', `product type must be endpoint_security or edr, got ${JSON.stringify(raw.productType)}`);
  }

  const onlyEndpointDetails = flag(raw.onlyEndpointDetails);
  if (onlyEndpointDetails === null) return fail('invalid_flag', 'onlyEndpointDetails', 'onlyEndpointDetails must be true or false');
  const onlyDirectCompanies = flag(raw.onlyDirectCompanies);
  if (onlyDirectCompanies === null) return fail('invalid_flag', 'onlyDirectCompanies', 'onlyDirectCompanies must be true or false');
  const uptimeHours = flag(raw.uptimeHours);
  if (uptimeHours === null) return fail('invalid_flag', 'uptimeHours', 'uptimeHours must be true or false');

  const given = (v: unknown) => v !== undefined && v !== null && v !== '';
  let registeredBetween: RegistrationWindow | null = null;
  if (given(raw.registeredFrom) || given(raw.registeredTo)) {
    // Seed 003: "You must fill in both fields, otherwise no information will be
    // included in the request." Silently returning an empty report would look
    // like "no new customers": refuse instead, and say which date is missing.
    if (!given(raw.registeredFrom) || !given(raw.registeredTo)) {
      const missing = given(raw.registeredFrom) ? 'registeredTo' : 'registeredFrom';
      return fail('registration_dates_incomplete', missing,
        'only new customer companies needs both the registration start date and the registration end date; ' + `${missing} is missing`);
    }
    for (const field of ['registeredFrom', 'registeredTo'] as const) {
      const v = raw[field];
      if (typeof v !== 'string' || parseUtcDate(v) === null) return fail('invalid_registration_date', field, `${field} must be a date YYYY-MM-DD, got ${JSON.stringify(v)}`);
    }
    const from = raw.registeredFrom as string;
    const to = raw.registeredTo as string;
    if (parseUtcDate(from)! > parseUtcDate(to)!) {
      return fail('registration_range_reversed', 'registeredTo', `the registration end date ${to} is before the start date ${from}`);
    }
    registeredBetween = { from, to };
  }

  return {
    ok: true,
    value: { companyId, month: raw.month, productType: productType as ProductType, onlyEndpointDetails, onlyDirectCompanies, registeredBetween, uptimeHours },
  };
}
