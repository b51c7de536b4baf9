// The PSA export: what a professional services automation tool (ConnectWise,
// Autotask, HaloPSA...) imports to invoice customers. Keyed on ids, never on
// names, so a renamed company still lands on its agreement:
//
//   month,company_id,company_name,external_id,sku,quantity,minimum,reserved,billable_quantity,billable,licence
//
// company_name stands beside the id for the person who maps lines to agreements; a PSA keys on the id.
//
// One line per shown company (in this report's product type) and SKU with a
// non-zero usage or billable quantity. Quantities are the company's OWN use:
// totals would bill a partner again for what its customers are invoiced for.
// `quantity` is the usage (activity, as the report counts it);
// `billable_quantity` is what is billed: the same column over the days whose
// licence was billable (billing/licence.ts). `billable` says yes/no, and
// `licence` names the company's licence states this month, so a trial, a
// subscription not started or ended, or an inactive company is never
// invoiced by mistake. Then, per company and reason, a non-billable
// TALLY-UNLICENSED-ENDPOINTS line with the endpoints active this month without
// any billable day (their quantity is already inside the SKU lines' quantity,
// never inside billable_quantity); a company with no subscription at all has
// only those. SKU names are stable; a PSA maps each to a product once.
//
// User-based billing (billing/user-usage.ts, seed 000) adds, in the endpoint
// security export only (it is not per product type, so it is billed once), a
// TALLY-USER line (active users, each with a footprint of 1 corporate + 2
// personal devices) and a TALLY-USER-STANDALONE-DEVICE line (devices linked to
// no user, or beyond a user's footprint): the core's billable units, counted
// over billable days only, so their quantity and billable quantity are the
// same (the user usage report's activeUsers and standaloneDevices). Users and
// devices active without a billable day are the user report's unlicensed
// activity and are never on these lines. Only companies with a user active
// this month have them: a company whose devices are linked to no user bills
// by endpoint.
import type { Writable } from 'node:stream';
import { UNLICENSED_REASONS, type CompanyUserUsage, type ProtectionModel, type UsageColumn } from '../billing/index.ts';
import { licenceStatesOf } from './columns.ts';
import { csvLine } from './csv.ts';
import type { ReportCompany, ReportModel } from './model.ts';
import type { ProgressReporter } from './progress.ts';
import { TextSink } from './sink.ts';

export const PSA_HEADERS = ['month', 'company_id', 'company_name', 'external_id', 'sku', 'quantity', 'minimum', 'reserved', 'billable_quantity', 'billable', 'licence'] as const;

/** The SKU of unlicensed activity: endpoints active without a billable licence. Never billable. */
export const UNLICENSED_SKU = 'TALLY-UNLICENSED-ENDPOINTS';

/**
 * Endpoint Usage is billed under the protection model that won the month
 * (seed: "a single one counts toward its monthly usage"), so its SKU names the
 * model: each model has its own price. For the EDR product: TALLY-EDR-ENDPOINT.
 */
export const ENDPOINT_SKUS: Readonly<Record<ProtectionModel, string>> = {
  a_la_carte: 'TALLY-ES-ENDPOINT-A-LA-CARTE',
  secure: 'TALLY-ES-ENDPOINT-SECURE',
  secure_plus: 'TALLY-ES-ENDPOINT-SECURE-PLUS',
  secure_extra: 'TALLY-ES-ENDPOINT-SECURE-EXTRA',
};
export const EDR_ENDPOINT_SKU = 'TALLY-EDR-ENDPOINT';

/** Add-on and service SKUs, without the product prefix (TALLY-ES- or TALLY-EDR-). */
export const ADD_ON_SKUS: readonly { column: UsageColumn; sku: string }[] = [
  { column: 'encryptionUsage', sku: 'ENCRYPTION' },
  { column: 'patchManagementUsage', sku: 'PATCH-MANAGEMENT' },
  { column: 'integrityMonitoringUsage', sku: 'INTEGRITY-MONITORING' },
  { column: 'integrityMonitoring90dUsage', sku: 'IM-RETENTION-90D' },
  { column: 'integrityMonitoring180dUsage', sku: 'IM-RETENTION-180D' },
  { column: 'integrityMonitoring1yUsage', sku: 'IM-RETENTION-1Y' },
  { column: 'sveVsUsage', sku: 'SVE-VS' },
  { column: 'sveVdiHours', sku: 'SVE-VDI-HOURS' },
  { column: 'containerProtectionUsage', sku: 'CONTAINER-PROTECTION' },
  { column: 'atsUsage', sku: 'ATS' },
  { column: 'edrUsage', sku: 'EDR' },
  { column: 'xdrIdentityProvidersUsage', sku: 'XDR-IDENTITY-PROVIDERS' },
  { column: 'xdrProductivityUsage', sku: 'XDR-PRODUCTIVITY' },
  { column: 'xdrNetworkUsage', sku: 'XDR-NETWORK' },
  { column: 'xdrCloudWorkloadsUsage', sku: 'XDR-CLOUD-WORKLOADS' },
  { column: 'mdrFoundationsUsage', sku: 'MDR-FOUNDATIONS' },
];

/**
 * User-billing units: one SKU per kind of line item the billing core's user
 * usage bills (CompanyUserUsage.activeUsers and .standaloneDevices; their sum
 * is billableUnits). Not per product type.
 */
export const USER_SKUS = {
  activeUsers: 'TALLY-USER',
  standaloneDevices: 'TALLY-USER-STANDALONE-DEVICE',
} as const satisfies Readonly<Record<'activeUsers' | 'standaloneDevices', string>>;

export interface PsaLine {
  readonly month: string;
  readonly companyId: string;
  /** The company's name when the report was made (for people; the id is the key). */
  readonly companyName: string;
  readonly externalId: string;
  readonly sku: string;
  /** Usage: activity as the report counts it. */
  readonly quantity: number;
  /** Only on the endpoint line; null elsewhere (written as an empty field). */
  readonly minimum: number | null;
  readonly reserved: number | null;
  /** What is billed: the quantity over billable days (with the minimum, on the endpoint line). */
  readonly billableQuantity: number;
  readonly billable: boolean;
  /** SKU lines: the company's licence states this month ('trial', 'trial+billable', ...); unlicensed lines: the reason. */
  readonly licence: string;
}

/** The company's licence states this month, in order, '+'-joined ('unknown' for a month finalized before licence states). */
function licenceStates(company: ReportCompany): string {
  const states = licenceStatesOf(company.row);
  return states.length ? states.join('+') : 'unknown';
}

/**
 * The PSA lines of one company. `users` is the company's user-based usage
 * (MonthReader.userUsageSummary), given with the endpoint security report
 * only; absent, no user lines.
 */
export function psaLines(company: ReportCompany, productType: 'endpoint_security' | 'edr', users?: CompanyUserUsage | null): PsaLine[] {
  const row = company.row;
  const base = { month: row.month, companyId: row.companyId, companyName: row.name, externalId: company.externalId ?? '' };
  const lines: PsaLine[] = [];
  const licence = licenceStates(company);
  if (row.inReport) {
    const endpointSku = productType === 'edr' ? EDR_ENDPOINT_SKU : row.protectionModel ? ENDPOINT_SKUS[row.protectionModel] : null;
    // Minimum usage: billable = max(Endpoint Usage on billable days, minimum), computed by the billing core.
    const billedEndpoints = row.billable.own.billableEndpointUsage;
    if (endpointSku && (row.own.endpointUsage !== 0 || billedEndpoints !== 0)) {
      lines.push({
        ...base, sku: endpointSku, quantity: row.own.endpointUsage, minimum: row.minimumUsage, reserved: row.reservedSeats,
        billableQuantity: billedEndpoints, billable: billedEndpoints > 0, licence,
      });
    }
    const prefix = productType === 'edr' ? 'TALLY-EDR-' : 'TALLY-ES-';
    for (const { column, sku } of ADD_ON_SKUS) {
      const quantity = row.own[column];
      const billed = row.billable.own[column];
      if (quantity !== 0 || billed !== 0) lines.push({ ...base, sku: prefix + sku, quantity, minimum: null, reserved: null, billableQuantity: billed, billable: billed > 0, licence });
    }
  }
  // The billing core counts a company's unlicensed endpoints only in its product type's report (or in every report without a subscription).
  for (const reason of UNLICENSED_REASONS) {
    const quantity = row.unlicensed.own.byReason[reason];
    if (quantity !== 0) lines.push({ ...base, sku: UNLICENSED_SKU, quantity, minimum: null, reserved: null, billableQuantity: 0, billable: false, licence: reason });
  }
  // Only a company with user-based activity (a user active this month, billable or not) bills by user: one whose devices
  // are linked to no user is billed by endpoint, and its endpoints would otherwise show twice (as standalone devices).
  if (users && productType === 'endpoint_security' && users.activeUsers + users.unlicensed.users > 0) {
    // The core counts only users and devices with a billable day: quantity and billable quantity are one figure.
    for (const key of ['activeUsers', 'standaloneDevices'] as const) {
      const quantity = users[key];
      if (quantity !== 0) lines.push({ ...base, sku: USER_SKUS[key], quantity, minimum: null, reserved: null, billableQuantity: quantity, billable: true, licence });
    }
  }
  return lines;
}

export async function writePsa(model: ReportModel, out: Writable, progress: ProgressReporter): Promise<void> {
  const sink = new TextSink(out);
  await sink.write(csvLine(PSA_HEADERS));
  for (const company of model.companies) {
    for (const l of psaLines(company, model.options.productType, company.users)) {
      await sink.write(csvLine([l.month, l.companyId, l.companyName, l.externalId, l.sku, l.quantity, l.minimum ?? '', l.reserved ?? '', l.billableQuantity, l.billable ? 'yes' : 'no', l.licence]));
      progress.row('psa');
    }
  }
  progress.sectionDone('psa');
  await sink.end();
}
