// The Monthly License Usage report (seed 003): per company and month, own use
// and subtree totals for one product type, with the endpoint details.

import { summarizeDeviceMonths, type DeviceMonth } from './device-month.ts';
import { classifyDevice } from './endpoint-columns.ts';
import { compareIds } from './hash.ts';
import { BillingInputError } from './errors.ts';
import { indexCompanies, rollUp, zeroColumns } from './hierarchy.ts';
import { parseMonth, type Month } from './period.ts';
import { companyMonthTerms, type CompanyMonthTerms } from './subscription.ts';
import {
  USAGE_COLUMNS,
  type Company,
  type CompanyUsageRow,
  type DeviceDay,
  type DeviceMonthLine,
  type MonthlyUsageReport,
  type ProductType,
  type SubscriptionVersion,
  type UsageColumns,
  type XdrCategory,
  type XdrSensorDeployment,
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

/** What the month's report needs besides the device-day rows. */
export type EndpointMonthInput = Omit<EndpointUsageInput, 'deviceDays'>;

/** Computes the month's report. Pure: the same input (in any order, with repeats) gives the same output. */
export function computeEndpointUsage(input: EndpointUsageInput): MonthlyUsageReport {
  const usage = new EndpointUsageAccumulator(input);
  const linesByCompany = new Map<string, DeviceMonthLine[]>();
  for (const device of summarizeDeviceMonths(input.deviceDays, usage.month, usage.companies)) {
    for (const line of usage.add(device)) {
      let list = linesByCompany.get(line.companyId);
      if (!list) linesByCompany.set(line.companyId, (list = []));
      list.push(line);
    }
  }
  return usage.report(linesByCompany);
}

/**
 * The month's report computed one device at a time, for months too large to
 * hold: add() each device's summary (from summarizeDevice) and get its
 * endpoint lines back; report() then gives the company rows. Memory grows
 * with the companies, not the endpoints. Each device must be added once;
 * the rows are the same as computeEndpointUsage's for the same devices.
 */
export class EndpointUsageAccumulator {
  readonly month: Month;
  readonly companies: ReadonlyMap<string, Company>;
  private readonly terms = new Map<string, CompanyMonthTerms>();
  private readonly xdrDeployed: ReadonlyMap<string, ReadonlySet<XdrCategory>>;
  private readonly own = new Map<string, UsageColumns>();
  private readonly lineCounts = new Map<string, number>();

  constructor(private readonly input: EndpointMonthInput) {
    this.month = parseMonth(input.month);
    this.companies = indexCompanies(input.companies);
    for (const id of this.companies.keys()) {
      this.terms.set(id, companyMonthTerms(id, input.subscriptions, this.month));
      this.own.set(id, zeroColumns());
      this.lineCounts.set(id, 0);
    }
    this.xdrDeployed = xdrDeploymentsByCompany(input.xdrSensorDeployments, this.month);
  }

  /** The device's line at every company it appeared at this month (sorted by company id), counted into their own use. */
  add(device: DeviceMonth): DeviceMonthLine[] {
    return device.companyIds.map((companyId) => {
      const line = this.lineAt(device, companyId);
      addColumnsInto(this.own.get(companyId)!, line.columns);
      this.lineCounts.set(companyId, this.lineCounts.get(companyId)! + 1);
      return line;
    });
  }

  /** The device's line at one company, without counting it (to list a company's endpoints again). */
  lineAt(device: DeviceMonth, companyId: string): DeviceMonthLine {
    const terms = this.terms.get(companyId);
    if (!terms) throw new BillingInputError('INVALID_INPUT', `device ${device.deviceId} is listed at company ${companyId}, which was not supplied`);
    return deviceLine(device, companyId, terms, this.input.productType, this.month, this.xdrDeployed);
  }

  /**
   * The company rows, sorted by company id. `linesByCompany` fills each row's
   * `devices`; without it the rows carry only `deviceCount` (the summary form).
   */
  report(linesByCompany?: ReadonlyMap<string, readonly DeviceMonthLine[]>): MonthlyUsageReport {
    const { month, input } = this;
    const own = new Map<string, UsageColumns>();
    for (const company of this.companies.values()) {
      const columns = { ...this.own.get(company.id)! };
      columns.billableEndpointUsage = billableEndpointUsage(columns.endpointUsage, company, this.terms.get(company.id)!, input.productType, month);
      own.set(company.id, columns);
    }
    const totals = rollUp(this.companies, own);
    const rows: CompanyUsageRow[] = [...this.companies.values()]
      .sort((a, b) => compareIds(a.id, b.id))
      .map((company) => {
        const companyTerms = this.terms.get(company.id)!;
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
          deviceCount: this.lineCounts.get(company.id)!,
          devices: linesByCompany?.get(company.id) ?? [],
        };
      });
    return { month: month.id, productType: input.productType, rows };
  }
}

function addColumnsInto(sum: UsageColumns, add: Partial<UsageColumns>): void {
  for (const column of USAGE_COLUMNS) sum[column] += add[column] ?? 0;
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
