// The Monthly License Usage report (seed 003): per company and month, own use
// and subtree totals for one product type, with the endpoint details.

import { summarizeDeviceMonths, type DeviceMonth } from './device-month.ts';
import { classifyDevice } from './endpoint-columns.ts';
import { compareIds } from './hash.ts';
import { addColumns, indexCompanies, rollUp, zeroColumns } from './hierarchy.ts';
import { parseMonth, type Month } from './period.ts';
import { companyMonthTerms, type CompanyMonthTerms } from './subscription.ts';
import type {
  Company,
  CompanyUsageRow,
  DeviceDay,
  DeviceMonthLine,
  MonthlyUsageReport,
  ProductType,
  SubscriptionVersion,
  UsageColumns,
  XdrCategory,
  XdrSensorDeployment,
} from './types.ts';

export interface EndpointUsageInput {
  /** 'YYYY-MM' */
  readonly month: string;
  /**
   * Seed 003: "Product type - generate the report for either companies with
   * Endpoint Security or with Bitdefender EDR." Companies of the other type
   * show 0.
   */
  readonly productType: ProductType;
  /** Every company of the tree(s) reported, and every company a device-day row names. */
  readonly companies: readonly Company[];
  /** Subscription history; versions of any date (the month's are picked out). */
  readonly subscriptions: readonly SubscriptionVersion[];
  /** Device-day rows; rows outside the month are ignored. */
  readonly deviceDays: readonly DeviceDay[];
  readonly xdrSensorDeployments: readonly XdrSensorDeployment[];
}

/** Computes the month's report. Pure: the same input (in any order, with repeats) gives the same output. */
export function computeEndpointUsage(input: EndpointUsageInput): MonthlyUsageReport {
  const month = parseMonth(input.month);
  const companies = indexCompanies(input.companies);
  const devices = summarizeDeviceMonths(input.deviceDays, month, companies);
  const terms = new Map<string, CompanyMonthTerms>();
  for (const id of companies.keys()) terms.set(id, companyMonthTerms(id, input.subscriptions, month));
  const xdrDeployed = xdrDeploymentsByCompany(input.xdrSensorDeployments, month);

  const linesByCompany = new Map<string, DeviceMonthLine[]>();
  for (const device of devices) {
    for (const companyId of device.companyIds) {
      const line = deviceLine(device, companyId, terms.get(companyId)!, input.productType, month, xdrDeployed);
      let list = linesByCompany.get(companyId);
      if (!list) linesByCompany.set(companyId, (list = []));
      list.push(line);
    }
  }

  const own = new Map<string, UsageColumns>();
  for (const company of companies.values()) {
    const companyTerms = terms.get(company.id)!;
    let columns = zeroColumns();
    for (const line of linesByCompany.get(company.id) ?? []) columns = addColumns(columns, line.columns);
    columns.billableEndpointUsage = billableEndpointUsage(columns.endpointUsage, company, companyTerms, input.productType, month);
    own.set(company.id, columns);
  }
  const totals = rollUp(companies, own);

  const rows: CompanyUsageRow[] = [...companies.values()]
    .sort((a, b) => compareIds(a.id, b.id))
    .map((company) => {
      const companyTerms = terms.get(company.id)!;
      const closing = companyTerms.closing;
      return {
        companyId: company.id,
        name: company.name,
        companyType: company.type,
        parentId: company.parentId,
        path: company.path,
        month: month.id,
        productType: companyTerms.productType,
        inReport: companyTerms.productType === input.productType,
        protectionModel: companyTerms.model,
        licenseKey: closing?.licenseKey ?? null,
        licenseType: companyTerms.licenseType,
        reservedSeats: closing?.reservedSeats ?? null,
        minimumUsage: closing?.minimumUsage ?? null,
        subscriptionEndDate: closing?.endDate ?? null,
        autoRenewal: closing?.autoRenewal ?? false,
        active: company.inactiveSinceMs === null || company.inactiveSinceMs >= month.endMs,
        enabled: companyTerms.enabled,
        own: own.get(company.id)!,
        total: totals.get(company.id)!,
        devices: linesByCompany.get(company.id) ?? [],
      };
    });
  return { month: month.id, productType: input.productType, rows };
}

/**
 * Minimum usage: billable = max(actual, minimum). Applied to Endpoint Usage,
 * only for a company in this report, with a subscription, active the whole
 * month (an inactivated customer is "not billed": no minimum either).
 */
export function billableEndpointUsage(
  endpointUsage: number,
  company: Company,
  terms: CompanyMonthTerms,
  productType: ProductType,
  month: Month,
): number {
  const minimum = terms.closing?.minimumUsage ?? null;
  const activeAllMonth = company.inactiveSinceMs === null || company.inactiveSinceMs >= month.endMs;
  if (minimum === null || terms.productType !== productType || !activeAllMonth) return endpointUsage;
  return Math.max(endpointUsage, minimum);
}

function deviceLine(
  device: DeviceMonth,
  companyId: string,
  terms: CompanyMonthTerms,
  productType: ProductType,
  month: Month,
  xdrDeployed: ReadonlyMap<string, ReadonlySet<XdrCategory>>,
): DeviceMonthLine {
  const companyDays = device.days.filter((d) => d.fact.companyId === companyId);
  const base = {
    deviceId: device.deviceId,
    companyId,
    billedCompanyId: device.billedCompanyId,
    activeDays: new Set(companyDays.filter((d) => d.verdict === 'counted').map((d) => d.fact.utcDay)).size,
    awakeSeconds: companyDays.filter((d) => d.verdict === 'counted').reduce((sum, d) => sum + d.fact.awakeSeconds, 0),
    virtual: device.latest.virtual,
    role: device.latest.role,
    modules: device.modules,
  };
  const notBilled = (billingNote: string): DeviceMonthLine => ({ ...base, billed: false, billingNote, columns: {}, reasons: [] });

  if (device.billedCompanyId === null) return notBilled(notBilledReason(device));
  if (device.billedCompanyId !== companyId) {
    return notBilled(`moved: billed once, at ${device.billedCompanyId}, where it was last active this month`);
  }
  if (terms.productType === null) return notBilled('no subscription in force for the company this month');
  if (terms.productType !== productType) {
    return { ...base, billed: true, billingNote: `billed in the ${terms.productType} report, not this one`, columns: {}, reasons: [] };
  }
  const contribution = classifyDevice(device, { month, terms, xdrDeployed: xdrDeployed.get(companyId) ?? new Set() });
  return { ...base, billed: true, billingNote: 'billed here', columns: contribution.columns, reasons: contribution.reasons };
}

function notBilledReason(device: DeviceMonth): string {
  const verdicts = new Set(device.days.map((d) => d.verdict));
  if (verdicts.has('after_uninstall')) return 'agent uninstalled: shown for history, not billed';
  if (verdicts.has('company_inactive')) return 'company inactive: not billed';
  return 'no awake time this month (sleep is not uptime): not billed';
}

function xdrDeploymentsByCompany(
  deployments: readonly XdrSensorDeployment[],
  month: Month,
): Map<string, Set<XdrCategory>> {
  const byCompany = new Map<string, Set<XdrCategory>>();
  for (const deployment of deployments) {
    if (parseMonth(deployment.month).id !== month.id) continue;
    let set = byCompany.get(deployment.companyId);
    if (!set) byCompany.set(deployment.companyId, (set = new Set()));
    set.add(deployment.category);
  }
  return byCompany;
}
