// The Monthly License Usage report (seed 003): per company and month, own use
// and subtree totals for one product type, with the endpoint details.

import { billableView, exclusionOn, summarizeDeviceMonths, type DeviceMonth } from './device-month.ts';
import { classifyDevice } from './endpoint-columns.ts';
import { compareIds } from './hash.ts';
import { BillingInputError } from './errors.ts';
import { childrenOf, indexCompanies, rollUp, zeroColumns } from './hierarchy.ts';
import { MonthLicences, UNLICENSED_REASONS, type CompanyLicenceMonth, type UnlicensedReason } from './licence.ts';
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
  type UnlicensedFigure,
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
 *
 * Each device is seen twice: as its activity (the usage columns) and as its
 * licensed view, the days whose licence was billable (the billable columns,
 * licence.ts). A device with activity and no billable day is unlicensed
 * activity at the company of its last active day.
 */
export class EndpointUsageAccumulator {
  readonly month: Month;
  readonly companies: ReadonlyMap<string, Company>;
  readonly licences: MonthLicences;
  private readonly terms = new Map<string, CompanyMonthTerms>();
  private readonly xdrDeployed: ReadonlyMap<string, ReadonlySet<XdrCategory>>;
  private readonly own = new Map<string, UsageColumns>();
  private readonly billableOwn = new Map<string, UsageColumns>();
  private readonly unlicensedOwn = new Map<string, MutableUnlicensed>();
  private readonly lineCounts = new Map<string, number>();
  /**
   * Devices read from their summaries, by what decides their line (see
   * count): how many, and what one adds to its company's columns; folded
   * into the company's figures when the report is made.
   */
  private readonly contributions = new Map<string, Map<string, Map<number | string, Contribution>>>();

  constructor(private readonly input: EndpointMonthInput) {
    this.month = parseMonth(input.month);
    this.companies = indexCompanies(input.companies);
    childrenOf(this.companies); // refuses a parent cycle before anything walks the tree
    this.licences = new MonthLicences(this.month, this.companies, input.subscriptions);
    // Each company's own versions, grouped once (companyMonthTerms picks a company's out of what it is given:
    // thousands of companies each filtering thousands of versions took a quarter of a large month's read).
    const versionsOf = new Map<string, SubscriptionVersion[]>();
    for (const v of input.subscriptions) {
      const list = versionsOf.get(v.companyId);
      if (list) list.push(v);
      else versionsOf.set(v.companyId, [v]);
    }
    for (const id of this.companies.keys()) {
      this.terms.set(id, companyMonthTerms(id, versionsOf.get(id) ?? [], this.month));
      this.own.set(id, zeroColumns());
      this.billableOwn.set(id, zeroColumns());
      this.unlicensedOwn.set(id, zeroUnlicensed());
      this.lineCounts.set(id, 0);
    }
    this.xdrDeployed = xdrDeploymentsByCompany(input.xdrSensorDeployments, this.month);
  }

  /** The device's line at every company it appeared at this month (sorted by company id), counted into their own use. */
  add(device: DeviceMonth): DeviceMonthLine[] {
    const licensed = this.licensedView(device);
    return device.companyIds.map((companyId) => {
      const line = this.line(device, licensed, companyId);
      addColumnsInto(this.own.get(companyId)!, line.columns);
      addColumnsInto(this.billableOwn.get(companyId)!, line.billableColumns);
      if (line.unlicensed !== null) {
        const figure = this.unlicensedOwn.get(companyId)!;
        figure.endpoints++;
        figure.byReason[line.unlicensed]++;
      }
      this.lineCounts.set(companyId, this.lineCounts.get(companyId)! + 1);
      return line;
    });
  }

  /**
   * Counts the device as add() does, without making its lines: the summary
   * form, which keeps none. A device read from its summary
   * (device-month-summary.ts: one company, billable every day, nothing
   * excluded) contributes what its line's columns say, and those depend on
   * its company and on a few of its fields only (classifyDevice: the
   * modules, role and platform of its last active day, Central Scan as a
   * virtual machine; its awake time only when that is set, for SVE: VDI
   * hours; its last day online only with Integrity Monitoring): devices
   * alike in those share one computation. Any other device goes through add().
   */
  count(device: DeviceMonth): void {
    if (!device.fromSummary) {
      this.add(device);
      return;
    }
    const companyId = device.billedCompanyId!;
    const { latest, modules } = device;
    // By company, then module list, then the rest: no string is built per device (building and hashing one was
    // most of the cost of counting a million devices).
    let byModules = this.contributions.get(companyId);
    if (!byModules) this.contributions.set(companyId, (byModules = new Map()));
    const listKey = modulesKey(modules);
    let shapes = byModules.get(listKey);
    if (!shapes) byModules.set(listKey, (shapes = new Map()));
    const vcs = device.usedCentralScanAsVirtual;
    const im = modules.includes('integrity_monitoring');
    const roleAndPlatform = roleCode(latest.role) + platformCode(latest.platform);
    // A number for the role and platform of the last active day; a string when awake time (VDI hours) or the last
    // day online (Integrity Monitoring) decide too, or for a value the codes do not know.
    const key: number | string = !vcs && !im && roleAndPlatform >= 0 ? roleAndPlatform
      : `${latest.role}\u0000${latest.platform}\u0000${vcs ? device.awakeSeconds : '-'}\u0000${im ? device.lastOnlineMs : '-'}`;
    const contribution = shapes.get(key);
    if (contribution) {
      contribution.devices++;
      return;
    }
    const line = this.line(device, device, companyId);
    if (line.unlicensed !== null) {
      this.add(device); // cannot happen for such a device; counted the long way if it ever does
      return;
    }
    shapes.set(key, { companyId, columns: line.columns, billableColumns: line.billableColumns, devices: 1 });
  }

  /** Adds what the devices count() kept by their contribution add to their companies' figures (each once). */
  private foldContributions(): void {
    for (const c of [...this.contributions.values()].flatMap((byModules) => [...byModules.values()].flatMap((shapes) => [...shapes.values()]))) {
      if (c.devices === 0) continue;
      // The columns are whole numbers (endpoints, hours): n devices alike add n times one's.
      addColumnsInto(this.own.get(c.companyId)!, c.columns, c.devices);
      addColumnsInto(this.billableOwn.get(c.companyId)!, c.billableColumns, c.devices);
      this.lineCounts.set(c.companyId, this.lineCounts.get(c.companyId)! + c.devices);
      c.devices = 0;
    }
  }

  /** The device's line at one company, without counting it (to list a company's endpoints again). */
  lineAt(device: DeviceMonth, companyId: string): DeviceMonthLine {
    return this.line(device, this.licensedView(device), companyId);
  }

  /** The device's billable days only (null when none): what is billed (licence and admin exclusions respected). */
  licensedView(device: DeviceMonth): DeviceMonth | null {
    return billableView(device, this.licences);
  }

  private line(device: DeviceMonth, licensed: DeviceMonth | null, companyId: string): DeviceMonthLine {
    const terms = this.terms.get(companyId);
    if (!terms) throw new BillingInputError('INVALID_INPUT', `device ${device.deviceId} is listed at company ${companyId}, which was not supplied`);
    return deviceLine({ device, licensed, companyId, terms, productType: this.input.productType, month: this.month, xdrDeployed: this.xdrDeployed, licences: this.licences });
  }

  /**
   * The company rows, sorted by company id. `linesByCompany` fills each row's
   * `devices`; without it the rows carry only `deviceCount` (the summary form).
   */
  report(linesByCompany?: ReadonlyMap<string, readonly DeviceMonthLine[]>): MonthlyUsageReport {
    this.foldContributions();
    const { month, input } = this;
    const own = new Map<string, UsageColumns>();
    const billableOwn = new Map<string, UsageColumns>();
    const minimumApplies = new Map<string, boolean>();
    for (const company of this.companies.values()) {
      const terms = this.terms.get(company.id)!;
      const applies = minimumUsageApplies(terms, this.licences.of(company.id), input.productType);
      const billable = { ...this.billableOwn.get(company.id)! };
      billable.billableEndpointUsage = applies ? Math.max(billable.endpointUsage, terms.closing!.minimumUsage!) : billable.endpointUsage;
      billableOwn.set(company.id, billable);
      own.set(company.id, { ...this.own.get(company.id)!, billableEndpointUsage: billable.billableEndpointUsage });
      minimumApplies.set(company.id, applies);
    }
    const totals = rollUp(this.companies, own);
    const billableTotals = rollUp(this.companies, billableOwn);
    const unlicensedTotals = rollUpUnlicensed(this.companies, this.unlicensedOwn);
    const rows: CompanyUsageRow[] = [...this.companies.values()]
      .sort((a, b) => compareIds(a.id, b.id))
      .map((company) => {
        const companyTerms = this.terms.get(company.id)!;
        const closing = companyTerms.closing;
        const licence = this.licences.of(company.id);
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
          active: licence.segments[licence.segments.length - 1].state !== 'inactive',
          enabled: companyTerms.enabled,
          own: own.get(company.id)!,
          total: totals.get(company.id)!,
          billable: { own: billableOwn.get(company.id)!, total: billableTotals.get(company.id)! },
          unlicensed: { own: freezeUnlicensed(this.unlicensedOwn.get(company.id)!), total: unlicensedTotals.get(company.id)! },
          licence: licence.segments,
          minimumApplies: minimumApplies.get(company.id)!,
          deviceCount: this.lineCounts.get(company.id)!,
          devices: linesByCompany?.get(company.id) ?? [],
        };
      });
    return { month: month.id, productType: input.productType, rows };
  }
}

function addColumnsInto(sum: UsageColumns, add: Partial<UsageColumns>, times = 1): void {
  // Only the columns the line has (a line sets a few of the many).
  for (const column in add) if (USAGE_COLUMN_SET.has(column)) sum[column as keyof UsageColumns] += (add[column as keyof UsageColumns] ?? 0) * times;
}

/** count()'s codes of the role and platform of the last active day (negative: a value they do not know, keyed by name instead). */
const roleCode = (role: string | null): number => (role === 'workstation' ? 0 : role === 'server' ? 3 : -1000);
const platformCode = (platform: string | null): number => (platform === 'windows' ? 0 : platform === 'linux' ? 1 : platform === 'darwin' ? 2 : -1000);

/** A list of modules as one string, kept per list (storage hands the same list to the devices that share it). */
const modulesKeys = new WeakMap<readonly string[], string>();
function modulesKey(modules: readonly string[]): string {
  let key = modulesKeys.get(modules);
  if (key === undefined) modulesKeys.set(modules, (key = modules.join(',')));
  return key;
}

/** What count() keeps of the devices alike: their company, one's columns, and how many there are. */
interface Contribution {
  readonly companyId: string;
  readonly columns: Partial<UsageColumns>;
  readonly billableColumns: Partial<UsageColumns>;
  devices: number;
}

const USAGE_COLUMN_SET: ReadonlySet<string> = new Set(USAGE_COLUMNS);

type MutableUnlicensed = { endpoints: number; byReason: Record<UnlicensedReason, number> };

export function zeroUnlicensed(): MutableUnlicensed {
  return { endpoints: 0, byReason: Object.fromEntries(UNLICENSED_REASONS.map((r) => [r, 0])) as Record<UnlicensedReason, number> };
}

function freezeUnlicensed(figure: MutableUnlicensed): UnlicensedFigure {
  return { endpoints: figure.endpoints, byReason: { ...figure.byReason } };
}

/** total(company) = own(company) + sum of total(child), for the unlicensed figure and each reason. */
function rollUpUnlicensed(companies: ReadonlyMap<string, Company>, own: ReadonlyMap<string, MutableUnlicensed>): Map<string, UnlicensedFigure> {
  const children = childrenOf(companies);
  const totals = new Map<string, UnlicensedFigure>();
  const totalOf = (id: string): UnlicensedFigure => {
    const known = totals.get(id);
    if (known) return known;
    const sum = zeroUnlicensed();
    const add = (f: UnlicensedFigure) => {
      sum.endpoints += f.endpoints;
      for (const r of UNLICENSED_REASONS) sum.byReason[r] += f.byReason[r];
    };
    add(own.get(id) ?? zeroUnlicensed());
    for (const child of children.get(id) ?? []) add(totalOf(child));
    const total = freezeUnlicensed(sum);
    totals.set(id, total);
    return total;
  };
  for (const id of companies.keys()) totalOf(id);
  return totals;
}

/**
 * Minimum usage: billable = max(billable Endpoint Usage, minimum). OUR
 * DECISION: it applies only to a company in this report, with a minimum set,
 * whose licence was billable at some moment of the month and that was never
 * inactive during it (an inactivated customer is "not billed": no minimum
 * either; seed 000 "billing will stop"). A company on trial, not started or
 * ended all month owes no minimum.
 */
export function minimumUsageApplies(terms: CompanyMonthTerms, licence: CompanyLicenceMonth, productType: ProductType): boolean {
  const minimum = terms.closing?.minimumUsage ?? null;
  return minimum !== null && terms.productType === productType && licence.billableSomeTime && !licence.inactiveSomeTime;
}

interface LineInput {
  readonly device: DeviceMonth;
  /** The device's billable days only, null when none. */
  readonly licensed: DeviceMonth | null;
  readonly companyId: string;
  readonly terms: CompanyMonthTerms;
  readonly productType: ProductType;
  readonly month: Month;
  readonly xdrDeployed: ReadonlyMap<string, ReadonlySet<XdrCategory>>;
  readonly licences: MonthLicences;
}

/**
 * One device's line at one company. The usage columns count the device where
 * it was last active (activity, whatever the licence); the billable columns
 * where it was last active on a billable day; a device with activity and no
 * billable day is unlicensed at the company of its last active day.
 */
function deviceLine({ device, licensed, companyId, terms, productType, month, xdrDeployed, licences }: LineInput): DeviceMonthLine {
  // At its only company a device's counted days are all its counted days: the device's own figures, without
  // walking the days (a month read from its summary has none; device-month-summary.ts).
  const onlyHere = device.companyIds.length === 1 && device.companyIds[0] === companyId;
  const counted = onlyHere ? null : device.days.filter((d) => d.fact.companyId === companyId && d.verdict === 'counted');
  const inThisReport = terms.productType === productType;
  const context = { month, terms, xdrDeployed: xdrDeployed.get(companyId) ?? new Set<XdrCategory>() };
  const usage = device.billedCompanyId === companyId && inThisReport ? classifyDevice(device, context) : null;
  const billedHere = licensed !== null && licensed.billedCompanyId === companyId;
  // Most devices have only billable days: their licensed view is the device itself, and so is its contribution.
  const billable = billedHere && inThisReport ? (licensed === device && usage ? usage : classifyDevice(licensed, context)) : null;
  // Unlicensed: active this month, not a billable unit anywhere; counted once, where it was last active,
  // in this company's report (or in every report when the company has no subscription in force this month).
  // An admin's exclusion is a decision, not missing revenue: an excluded device is not unlicensed activity.
  const excluded = licensed?.billedCompanyId == null ? exclusionOn(device, device.latest.utcDay) : null;
  const unlicensedReason = licensed?.billedCompanyId == null && device.billedCompanyId === companyId && !excluded
    ? licences.dayState(companyId, device.latest.utcDay) as UnlicensedReason
    : null;
  const unlicensed = unlicensedReason !== null && (inThisReport || terms.productType === null) ? unlicensedReason : null;
  return {
    deviceId: device.deviceId,
    companyId,
    billedCompanyId: licensed?.billedCompanyId ?? null,
    billed: billedHere && terms.productType !== null,
    billingNote: excluded && device.billedCompanyId === companyId ? `excluded from billing by an admin: ${excluded.reason}` : billingNote(device, licensed, companyId, terms, productType, unlicensedReason),
    activeDays: counted ? new Set(counted.map((d) => d.fact.utcDay)).size : device.billableDays,
    awakeSeconds: counted ? counted.reduce((sum, d) => sum + d.fact.awakeSeconds, 0) : device.awakeSeconds,
    virtual: device.latest.virtual,
    role: device.latest.role,
    modules: device.modules,
    columns: usage?.columns ?? {},
    reasons: usage?.reasons ?? [],
    billableColumns: billable?.columns ?? {},
    unlicensed,
  };
}

/** What an unlicensed device's note says, by the licence state of its last active day. */
export const UNLICENSED_NOTES: Readonly<Record<UnlicensedReason, string>> = {
  trial: 'on trial on its active days',
  not_started: 'subscription not started yet on its active days',
  ended: 'subscription ended before its active days (end date without auto-renewal, or removed)',
  none: 'no subscription',
  inactive: 'company (or a partner above it) inactive on its active days',
};

function billingNote(
  device: DeviceMonth,
  licensed: DeviceMonth | null,
  companyId: string,
  terms: CompanyMonthTerms,
  productType: ProductType,
  unlicensed: UnlicensedReason | null,
): string {
  if (device.billedCompanyId === null) return noActivityReason(device);
  const billedAt = licensed?.billedCompanyId ?? null;
  if (billedAt === companyId) {
    if (terms.productType !== productType) return `billed in the ${terms.productType} report, not this one`;
    return licensed === device ? 'billed here' : 'billed here, for its days with a billable licence';
  }
  if (billedAt !== null) return `moved: billed once, at ${billedAt}, where it was last active on a billable day this month`;
  if (device.billedCompanyId !== companyId) return `moved: counted once, at ${device.billedCompanyId}, where it was last active this month; not billed anywhere`;
  return `not billed: ${UNLICENSED_NOTES[unlicensed!]} (unlicensed activity)`;
}

function noActivityReason(device: DeviceMonth): string {
  const verdicts = new Set(device.days.map((d) => d.verdict));
  if (verdicts.has('after_uninstall')) return 'agent uninstalled: shown for history, not billed';
  if (verdicts.has('after_retire')) return 'retired by an admin: shown for history, not billed';
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
