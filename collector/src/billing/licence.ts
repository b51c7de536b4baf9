// Licence state: per company, per instant, from the effective-dated
// subscription history and the company tree. What is *billed* is activity on
// days whose state is `billable`; every other active day is unlicensed
// activity, shown with its reason, never dropped.
//
// The states, in order of precedence:
//   inactive     the company, or a company above it, was inactivated (seed 000:
//                "The customer will not be able to login to the service, and
//                billing will stop."; seed 002: partners "enable license
//                entitlements ... to Customer companies").
//   none         no customer-attached subscription version at all.
//   not_started  before the first version takes effect.
//   ended        after every version stopped (effectiveUntil), or after the end
//                date of a version without auto-renewal (seed 003: "Subscription
//                End Date: The end date for the company's license subscription";
//                "Subscription Auto-Renewal: Indicates if the Auto-Renewal option
//                is enabled"). The end date is inclusive: covered through the end
//                of that UTC day.
//   trial        a trial not yet converted (seed 000: "You can always manually
//                change the subscription type from in_trial to active anytime
//                during the trial period. If you don't do that at the end of the
//                trial period it will be automatically converted to an active
//                subscription.").
//   billable     an active monthly subscription (or monthly license) in force.
// With several customer-attached subscriptions in force at once, the best of
// them counts: billable, then trial, then ended.

import { BillingInputError } from './errors.ts';
import { compareIds } from './hash.ts';
import { DAY_MS, type Month } from './period.ts';
import { effectiveLicenseType, inForceAt, versionIntervals, type VersionInForce } from './subscription.ts';
import type { Company, LicenseType, SubscriptionVersion } from './types.ts';

export const LICENCE_STATES = ['billable', 'trial', 'not_started', 'ended', 'inactive', 'none'] as const;

export type LicenceState = (typeof LICENCE_STATES)[number];

/** Why activity was not billable. */
export type UnlicensedReason = Exclude<LicenceState, 'billable'>;

export const UNLICENSED_REASONS: readonly UnlicensedReason[] = ['trial', 'not_started', 'ended', 'none', 'inactive'];

/** What a person reads for each state (console, reports, explain). */
export const LICENCE_STATE_LABELS: Readonly<Record<LicenceState, string>> = {
  billable: 'Billable',
  trial: 'Trial',
  not_started: 'Subscription not started',
  ended: 'Subscription ended',
  inactive: 'Company inactive',
  none: 'No subscription',
};

/**
 * The customer-attached versions of one company, as intervals. Only they
 * license the company's endpoints; group-attached subscriptions choose the
 * subscription of users (user-usage.ts), they do not license the company.
 */
export function companyLicenceIntervals(companyId: string, versions: readonly SubscriptionVersion[]): VersionInForce[] {
  return versionIntervals(versions.filter((v) => v.companyId === companyId && v.attachment.customer));
}

/** Where the end date of a version stops covering: the first instant after that UTC day. null when it never does. */
export function endDateStopMs(version: SubscriptionVersion): number | null {
  if (version.endDate === null || version.autoRenewal) return null;
  const start = Date.parse(`${version.endDate}T00:00:00Z`);
  if (!Number.isFinite(start)) {
    throw new BillingInputError('INVALID_INPUT', `subscription ${version.subscriptionId}: endDate must be YYYY-MM-DD, got ${JSON.stringify(version.endDate)}`);
  }
  return start + DAY_MS;
}

/** The company whose inactivity reaches `companyId` at `atMs`: itself or the nearest company above it; null when none. */
export function inactiveCompanyAt(companyId: string, atMs: number, companies: ReadonlyMap<string, Company>): Company | null {
  const seen = new Set<string>();
  for (let id: string | null = companyId; id !== null; ) {
    if (seen.has(id)) throw new BillingInputError('HIERARCHY_CYCLE', `company ${companyId} is inside a parent cycle`);
    seen.add(id);
    const company = companies.get(id);
    if (!company) throw new BillingInputError(id === companyId ? 'INVALID_INPUT' : 'UNKNOWN_PARENT', `company ${id} was not supplied`);
    if (inactiveItselfAt(company, atMs)) return company;
    id = company.parentId;
  }
  return null;
}

/** The company's own inactivity (not its ancestors'): from inactiveSinceMs on, and during each past period. */
function inactiveItselfAt(company: Company, atMs: number): boolean {
  if (company.inactiveSinceMs !== null && atMs >= company.inactiveSinceMs) return true;
  return (company.inactivePeriods ?? []).some((p) => atMs >= p.fromMs && atMs < p.untilMs);
}

/** The state from the company's own licence intervals, inactivity aside. */
function stateFromIntervals(intervals: readonly VersionInForce[], atMs: number): LicenceState {
  return evaluate(intervals, atMs).state;
}

/**
 * The state from the company's own licence intervals, and the version it
 * comes from: the best version in force; with none in force, the latest that
 * started before (ended) or the first to come (not started).
 */
function evaluate(intervals: readonly VersionInForce[], atMs: number): { state: LicenceState; version: SubscriptionVersion | null } {
  if (intervals.length === 0) return { state: 'none', version: null };
  let best: { state: LicenceState; version: SubscriptionVersion } | null = null;
  for (const interval of intervals) {
    if (!inForceAt(interval, atMs)) continue;
    const version = interval.version;
    const stop = endDateStopMs(version);
    const state: LicenceState = stop !== null && atMs >= stop ? 'ended' : effectiveLicenseType(version, atMs) === 'trial' ? 'trial' : 'billable';
    if (best === null || RANK[state] < RANK[best.state]) best = { state, version };
  }
  if (best !== null) return best;
  // Nothing in force: before every version, or after at least one stopped. Intervals are sorted by start.
  const started = intervals.filter((i) => i.fromMs <= atMs);
  return started.length === 0
    ? { state: 'not_started', version: intervals[0].version }
    : { state: 'ended', version: started[started.length - 1].version };
}

const RANK: Readonly<Record<LicenceState, number>> = { billable: 0, trial: 1, ended: 2, not_started: 3, none: 4, inactive: 5 };

/**
 * The licence state of a company at an instant. `companies` must hold the
 * company and every company above it; `versions` may hold any versions (the
 * company's customer-attached ones are picked out).
 */
export function licenceStateAt(
  companyId: string,
  atMs: number,
  companies: ReadonlyMap<string, Company>,
  versions: readonly SubscriptionVersion[],
): LicenceState {
  return licenceAt(companyId, atMs, companies, versions).state;
}

/** A company's licence at an instant, with what it comes from: what getLicenseInfo and the console show. */
export interface LicenceAt {
  readonly state: LicenceState;
  /** The version the state comes from (for `inactive`: the one that would apply otherwise); null when there is none. */
  readonly version: SubscriptionVersion | null;
  /** The version's license type at that instant (a trial that ended or was made active is a monthly subscription). */
  readonly licenseType: LicenseType | null;
  /** For `inactive`: the company whose inactivity it is (the company itself or one above it). */
  readonly inactiveCompanyId: string | null;
}

export function licenceAt(
  companyId: string,
  atMs: number,
  companies: ReadonlyMap<string, Company>,
  versions: readonly SubscriptionVersion[],
): LicenceAt {
  const inactive = inactiveCompanyAt(companyId, atMs, companies);
  const { state, version } = evaluate(companyLicenceIntervals(companyId, versions), atMs);
  return {
    state: inactive ? 'inactive' : state,
    version,
    licenseType: version ? effectiveLicenseType(version, atMs) : null,
    inactiveCompanyId: inactive?.id ?? null,
  };
}

/** A stretch of a month during which a company's licence state does not change. */
export interface LicenceSegment {
  readonly fromMs: number;
  /** Exclusive. */
  readonly untilMs: number;
  readonly state: LicenceState;
}

/** A company's licence over one month, and the state of each of its days. */
export interface CompanyLicenceMonth {
  readonly companyId: string;
  /** Cover the month, in order, adjacent segments of the same state merged. */
  readonly segments: readonly LicenceSegment[];
  /**
   * One state per day of the month (index = utcDay - month.firstDay):
   * `billable` when the licence was billable at some moment of that UTC day
   * (OUR DECISION: the day of a change counts, as for Integrity Monitoring
   * upgrades and uninstalls). Otherwise the state of the day closest to
   * billable, in the order trial, ended, not_started, none, inactive (OUR
   * DECISION: a trial that starts at noon makes that day a trial day, not a
   * "not started" one; facts are per day, so which part of the day the
   * activity fell in is unknown).
   */
  readonly days: readonly LicenceState[];
  /** Billable at some moment of the month. */
  readonly billableSomeTime: boolean;
  /** Every day of the month is billable (the common case: then a device's licensed view is the device). */
  readonly billableEveryDay: boolean;
  /** Inactive (itself or a company above it) at some moment of the month. */
  readonly inactiveSomeTime: boolean;
}

/**
 * The month's timeline of one company: the state is evaluated at every
 * instant where it can change (version boundaries, end dates, trial ends and
 * conversions, inactivations of the company and the companies above it) and
 * holds until the next one.
 */
export function companyLicenceMonth(
  companyId: string,
  month: Month,
  companies: ReadonlyMap<string, Company>,
  intervals: readonly VersionInForce[],
): CompanyLicenceMonth {
  const instants = new Set<number>([month.startMs]);
  const within = (t: number | null | undefined) => {
    if (t !== null && t !== undefined && t > month.startMs && t < month.endMs) instants.add(t);
  };
  for (const interval of intervals) {
    within(interval.fromMs);
    within(interval.untilMs);
    within(endDateStopMs(interval.version));
    within(interval.version.trialEndsAtMs);
    within(interval.version.trialConvertedAtMs);
  }
  for (const company of companyAndAncestors(companyId, companies)) {
    within(company.inactiveSinceMs);
    for (const p of company.inactivePeriods ?? []) {
      within(p.fromMs);
      within(p.untilMs);
    }
  }
  const starts = [...instants].sort((a, b) => a - b);
  const segments: LicenceSegment[] = [];
  starts.forEach((fromMs, i) => {
    const untilMs = starts[i + 1] ?? month.endMs;
    const state: LicenceState = inactiveCompanyAt(companyId, fromMs, companies) ? 'inactive' : stateFromIntervals(intervals, fromMs);
    const last = segments[segments.length - 1];
    if (last && last.state === state) segments[segments.length - 1] = { ...last, untilMs };
    else segments.push({ fromMs, untilMs, state });
  });
  const days: LicenceState[] = [];
  let s = 0;
  for (let d = 0; d < month.days; d++) {
    const dayStart = month.startMs + d * DAY_MS;
    const dayEnd = dayStart + DAY_MS;
    while (segments[s].untilMs <= dayStart) s++;
    let best = segments[s].state;
    for (let j = s + 1; j < segments.length && segments[j].fromMs < dayEnd; j++) if (RANK[segments[j].state] < RANK[best]) best = segments[j].state;
    days.push(best);
  }
  return {
    companyId,
    segments,
    days,
    billableSomeTime: segments.some((x) => x.state === 'billable'),
    billableEveryDay: days.every((d) => d === 'billable'),
    inactiveSomeTime: segments.some((x) => x.state === 'inactive'),
  };
}

function companyAndAncestors(companyId: string, companies: ReadonlyMap<string, Company>): Company[] {
  const out: Company[] = [];
  const seen = new Set<string>();
  for (let id: string | null = companyId; id !== null && !seen.has(id); ) {
    seen.add(id);
    const company = companies.get(id);
    if (!company) break;
    out.push(company);
    id = company.parentId;
  }
  return out;
}

/**
 * Every company's licence over one month, computed once: what the
 * accumulators ask for each device-day. Memory: companies x days.
 */
export class MonthLicences {
  private readonly byCompany = new Map<string, CompanyLicenceMonth>();

  constructor(
    readonly month: Month,
    companies: ReadonlyMap<string, Company>,
    versions: readonly SubscriptionVersion[],
  ) {
    const ownVersions = new Map<string, SubscriptionVersion[]>();
    for (const v of versions) {
      if (!v.attachment.customer) continue;
      const list = ownVersions.get(v.companyId);
      if (list) list.push(v);
      else ownVersions.set(v.companyId, [v]);
    }
    for (const id of [...companies.keys()].sort(compareIds)) {
      this.byCompany.set(id, companyLicenceMonth(id, month, companies, versionIntervals(ownVersions.get(id) ?? [])));
    }
  }

  of(companyId: string): CompanyLicenceMonth {
    const licence = this.byCompany.get(companyId);
    if (!licence) throw new BillingInputError('INVALID_INPUT', `company ${companyId} was not supplied`);
    return licence;
  }

  /** The state of a device-day at a company (see CompanyLicenceMonth.days). */
  dayState(companyId: string, utcDay: number): LicenceState {
    const index = utcDay - this.month.firstDay;
    if (index < 0 || index >= this.month.days) throw new BillingInputError('INVALID_INPUT', `day ${utcDay} is outside ${this.month.id}`);
    return this.of(companyId).days[index];
  }

  billableOn(companyId: string, utcDay: number): boolean {
    return this.dayState(companyId, utcDay) === 'billable';
  }

  /** Whether every day of the month is billable at each of these companies. */
  billableEveryDay(companyIds: readonly string[]): boolean {
    for (const id of companyIds) if (!this.of(id).billableEveryDay) return false;
    return true;
  }
}
