// The columns of the two sections of the Monthly License Usage report, with
// the seed's names (seed 003, "Below we have covered all the information
// covered in the report"), and how each cell is derived from the billing
// engine's rows. Every format renders these same cells.
import {
  LICENCE_STATE_LABELS, UNLICENSED_REASONS,
  type CompanyUsageRow, type LicenceState, type LicenseType, type ModuleName, type OptionalFeature, type ProductType, type UnlicensedReason, type UsageColumn,
} from '../billing/index.ts';
import type { EndpointRow } from './endpoints.ts';
import type { ReportCompany } from './model.ts';

/** A cell: numbers stay numbers (XLSX writes them as numeric cells), everything else is text. */
export type Cell = string | number;

/** Seed 003: "If a GravityZone add-on or service has not been enabled for a company, it is specified as such." */
export const NOT_ENABLED = 'Not enabled';

/** Seed 003, Reserved Seats: "The table will show * if the option is not enabled for the company." */
export const RESERVED_SEATS_NOT_ENABLED = '*';

/** Seed 003, Subscription End Date: "The table will show N/A if the option is not enabled for the company." */
export const NOT_APPLICABLE = 'N/A';

/** Seed 003, Product Type: "Possible values: Endpoint Protection, Bitdefender EDR". */
export const PRODUCT_TYPE_LABELS: Readonly<Record<ProductType, string>> = {
  endpoint_security: 'Endpoint Protection',
  edr: 'Bitdefender EDR',
};

/** Seed 003, License Type: "Monthly Subscription", "Monthly License", "Monthly License Trial". */
export const LICENSE_TYPE_LABELS: Readonly<Record<LicenseType, string>> = {
  monthly_subscription: 'Monthly Subscription',
  monthly_license: 'Monthly License',
  trial: 'Monthly License Trial',
};

export interface UsageColumnSpec {
  readonly column: UsageColumn;
  readonly header: string;
  /** The add-on or service the column bills; when it is not enabled the cell says so. */
  readonly feature: OptionalFeature | null;
}

/** The usage columns of the report, seed names, report order. billableEndpointUsage is not a seed column (the PSA export uses it). */
export const USAGE_COLUMN_SPECS: readonly UsageColumnSpec[] = [
  { column: 'licensedEndpoints', header: 'Licensed endpoints', feature: null },
  { column: 'endpointUsage', header: 'Endpoint Usage', feature: null },
  { column: 'aLaCarteUsage', header: 'A la carte Usage', feature: null },
  { column: 'secureUsage', header: 'Secure Usage', feature: null },
  { column: 'securePlusUsage', header: 'Secure Plus Usage', feature: null },
  { column: 'secureExtraUsage', header: 'Secure Extra Usage', feature: null },
  { column: 'encryptionUsage', header: 'Encryption Usage', feature: 'encryption' },
  { column: 'patchManagementUsage', header: 'Patch Management Usage', feature: 'patchManagement' },
  { column: 'integrityMonitoringUsage', header: 'Integrity Monitoring Usage', feature: 'integrityMonitoring' },
  { column: 'integrityMonitoring90dUsage', header: 'Integrity Monitoring 90 Days Retention Usage', feature: 'integrityMonitoring' },
  { column: 'integrityMonitoring180dUsage', header: 'Integrity Monitoring 180 Days Retention Usage', feature: 'integrityMonitoring' },
  { column: 'integrityMonitoring1yUsage', header: 'Integrity Monitoring 1 Year Retention Usage', feature: 'integrityMonitoring' },
  { column: 'sveVsUsage', header: 'SVE: VS', feature: 'sve' },
  { column: 'sveVdiHours', header: 'SVE: VDI (in hours)', feature: 'sve' },
  { column: 'containerProtectionUsage', header: 'Container Protection Usage', feature: 'containerProtection' },
  { column: 'atsUsage', header: 'ATS Usage', feature: 'ats' },
  { column: 'edrUsage', header: 'EDR Usage', feature: 'edr' },
  { column: 'xdrIdentityProvidersUsage', header: 'XDR Identity Providers Usage', feature: 'xdrIdentityProviders' },
  { column: 'xdrProductivityUsage', header: 'XDR Productivity Usage', feature: 'xdrProductivity' },
  { column: 'xdrNetworkUsage', header: 'XDR Network Usage', feature: 'xdrNetwork' },
  { column: 'xdrCloudWorkloadsUsage', header: 'XDR Cloud Workloads Usage', feature: 'xdrCloudWorkloads' },
  { column: 'mdrFoundationsUsage', header: 'MDR Foundations Usage', feature: 'mdrFoundations' },
];

export const USAGE_SECTION_HEADERS: readonly string[] = [
  'Path', 'Company', 'Company type', 'License key', 'License Type', 'Month',
  ...USAGE_COLUMN_SPECS.map((c) => c.header),
  'Reserved Seats', 'Subscription End Date', 'Subscription Auto-Renewal', 'Minimum Usage', 'Product Type',
  // Not seed columns: what the licence made of the usage (billing core, licence.ts).
  'Licence this month', 'Billable Endpoint Usage', 'Unlicensed endpoints',
];

/**
 * The licence states a company went through this month, in order ("Trial,
 * Billable" for a trial that converted). N/A for a month finalized before
 * licence states were recorded.
 */
export function licenceText(row: CompanyUsageRow): string {
  const states = licenceStatesOf(row);
  return states.length ? states.map((s) => LICENCE_STATE_LABELS[s]).join(', ') : NOT_APPLICABLE;
}

/** The distinct licence states of the company's month, in order (empty for a month finalized before licence states). */
export function licenceStatesOf(row: CompanyUsageRow): LicenceState[] {
  const states: LicenceState[] = [];
  for (const segment of row.licence) if (states[states.length - 1] !== segment.state) states.push(segment.state);
  return states;
}

/**
 * A usage figure, or "Not enabled". The figures are the company's totals
 * (own use plus every company below it): seed 003's EDR example, "the
 * parent company Partner 1 indicates the same usage". A partner that did not
 * enable an add-on for its own use but whose customers used it shows the
 * customers' figure: "Not enabled" only when the add-on is off for the
 * company and nothing below it used it, so no billed unit is ever hidden.
 */
export function usageCell(row: CompanyUsageRow, spec: UsageColumnSpec): Cell {
  const value = row.total[spec.column];
  if (spec.feature && !row.enabled[spec.feature] && value === 0) return NOT_ENABLED;
  return value;
}

export function usageSectionCells(company: ReportCompany): Cell[] {
  const row = company.row;
  return [
    company.pathText,
    row.name,
    row.companyType === 'partner' ? 'Partner' : 'Customer',
    row.licenseKey ?? NOT_APPLICABLE,
    row.licenseType ? LICENSE_TYPE_LABELS[row.licenseType] : NOT_APPLICABLE,
    row.month,
    ...USAGE_COLUMN_SPECS.map((spec) => usageCell(row, spec)),
    row.reservedSeats ?? RESERVED_SEATS_NOT_ENABLED,
    row.subscriptionEndDate ?? NOT_APPLICABLE,
    // Seed: "Indicates if the Auto-Renewal option is enabled for the company."
    row.autoRenewal ? 'Yes' : 'No',
    // Seed: "Indicates if the Minimum Usage option is enabled for the company and displays the value assigned to it."
    row.minimumUsage ?? NOT_ENABLED,
    row.productType ? PRODUCT_TYPE_LABELS[row.productType] : NOT_APPLICABLE,
    licenceText(row),
    row.billable.total.billableEndpointUsage,
    row.unlicensed.total.endpoints,
  ];
}

/**
 * The unlicensed activity section: activity that was not billed, per
 * company (its total: own plus every company below it), by the licence state
 * of the endpoints' last active day. Kept apart from the usage section so it
 * is never read as billed usage.
 */
export const UNLICENSED_SECTION_HEADERS: readonly string[] = [
  'Path', 'Company', 'Company type', 'Month', 'Licence this month', 'Unlicensed endpoints',
  ...UNLICENSED_REASONS.map((r) => `Unlicensed: ${LICENCE_STATE_LABELS[r]}`),
];

/** Whether a shown company has unlicensed activity (itself or below it): it gets a line in the unlicensed section. */
export function hasUnlicensedActivity(company: ReportCompany): boolean {
  return company.row.unlicensed.total.endpoints > 0;
}

export function unlicensedSectionCells(company: ReportCompany): Cell[] {
  const row = company.row;
  return [
    company.pathText,
    row.name,
    row.companyType === 'partner' ? 'Partner' : 'Customer',
    row.month,
    licenceText(row),
    row.unlicensed.total.endpoints,
    ...UNLICENSED_REASONS.map((r) => row.unlicensed.total.byReason[r]),
  ];
}

/** A line's unlicensed reason as the endpoint section shows it ('' when the endpoint is not unlicensed here). */
export function unlicensedText(reason: UnlicensedReason | null): string {
  return reason === null ? '' : LICENCE_STATE_LABELS[reason];
}

/** One Yes/No column per module, add-on and service of the endpoint section. */
export interface ModuleColumnSpec {
  readonly header: string;
  /** Short name for the PDF's one-column summary. */
  readonly short: string;
  readonly test: (modules: ReadonlySet<ModuleName>, row: EndpointRow) => boolean;
}

const has = (m: ModuleName) => (modules: ReadonlySet<ModuleName>) => modules.has(m);

/**
 * "Yes" when the module was present on a protected day of the month (the
 * billing line's module set). Seed wording for the filters: "Full Disk
 * Encryption = Yes", "ATS=Yes" (HyperDetect or Sandbox Analyzer),
 * "Endpoint Detection and Response = Yes", "Security for Virtualized
 * Environments: Yes means the endpoint used Central Scan engine at least once
 * during the month", "Bitdefender MDR Foundations= Yes" (an endpoint with EDR
 * installed in a company that has the service: the seed's "endpoints with an
 * installed EDR module, which have enabled this service").
 */
export const MODULE_COLUMN_SPECS: readonly ModuleColumnSpec[] = [
  { header: 'Advanced Threat Control', short: 'ATC', test: has('advanced_threat_control') },
  { header: 'Firewall', short: 'FW', test: has('firewall') },
  { header: 'Content Control', short: 'CC', test: has('content_control') },
  { header: 'Device Control', short: 'DC', test: has('device_control') },
  { header: 'Network Attack Defense', short: 'NAD', test: has('network_attack_defense') },
  { header: 'Full Disk Encryption', short: 'FDE', test: has('full_disk_encryption') },
  { header: 'Patch Management', short: 'PM', test: has('patch_management') },
  { header: 'Integrity Monitoring', short: 'IM', test: has('integrity_monitoring') },
  { header: 'Container Protection', short: 'CP', test: has('container_protection') },
  { header: 'HyperDetect', short: 'HD', test: has('hyperdetect') },
  { header: 'Sandbox Analyzer', short: 'SA', test: has('sandbox_analyzer') },
  { header: 'ATS', short: 'ATS', test: (m) => m.has('hyperdetect') || m.has('sandbox_analyzer') },
  { header: 'Endpoint Detection and Response', short: 'EDR', test: has('edr_sensor') },
  { header: 'Security for Virtualized Environments', short: 'SVE', test: has('central_scan') },
  { header: 'Bitdefender MDR Foundations', short: 'MDR', test: (m, row) => m.has('edr_sensor') && row.company.row.enabled.mdrFoundations },
];

export const ENDPOINT_SECTION_HEADERS: readonly string[] = [
  'Company', 'Name', 'Endpoint type', 'OS type', 'OS',
  // Seed: "Uptime: how much time the endpoint has been protected by GravityZone. The uptime is counted in seconds".
  'Uptime', 'Hardware ID', 'IP',
  ...MODULE_COLUMN_SPECS.map((m) => m.header),
  // Not seed columns: why a listed endpoint is (not) billed, the licence that kept it from being billed, and its stable id.
  'Active days', 'Billed', 'Billing note', 'Unlicensed', 'Endpoint ID',
];

/** Protected time in hours with one decimal (the human form of the seconds the seed's Uptime column counts). */
export const uptimeHours = (seconds: number): number => Math.round(seconds / 360) / 10;

export function endpointSectionCells(row: EndpointRow): Cell[] {
  const { line, info } = row;
  const modules = new Set(line.modules);
  return [
    row.company.row.name,
    info?.hostname || line.deviceId,
    line.virtual ? 'Virtual' : 'Physical',
    line.role === 'server' ? 'Server' : 'Workstation',
    info?.os ?? '',
    line.awakeSeconds,
    info?.hardwareId ?? '',
    info?.ip ?? '',
    ...MODULE_COLUMN_SPECS.map((m) => (m.test(modules, row) ? 'Yes' : 'No')),
    line.activeDays,
    line.billed && line.billedCompanyId === line.companyId ? 'Yes' : 'No',
    line.billingNote,
    unlicensedText(line.unlicensed),
    line.deviceId,
  ];
}
