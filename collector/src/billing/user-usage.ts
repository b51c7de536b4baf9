// Per-user "active utilization billing" (seed 000).
//
// "Billing is calculated strictly on real-time activity within any given
// month. There is no pre-purchased pool of licenses. Devices and users that
// show no activity or send no telemetry signals during a calendar month simply
// do not generate charges and are not billed."
// "A single active user can be associated with one primary corporate device
// and up to two personal devices under a single billing footprint."
// "Any protected endpoint running the agent that is not explicitly linked to a
// user profile will count as a separate billable line item."

import { billableView, exclusionOn, summarizeDeviceMonths, type DeviceMonth } from './device-month.ts';
import { compareIds } from './hash.ts';
import { indexCompanies } from './hierarchy.ts';
import { MonthLicences, UNLICENSED_REASONS, type UnlicensedReason } from './licence.ts';
import { parseMonth, type Month } from './period.ts';
import { inForceDuring, versionIntervals } from './subscription.ts';
import type { BillingUser, Company, DeviceDay, SubscriptionVersion } from './types.ts';

export const CORPORATE_DEVICES_PER_USER = 1;
export const PERSONAL_DEVICES_PER_USER = 2;

export interface UserUsageInput {
  /** 'YYYY-MM' */
  readonly month: string;
  readonly companies: readonly Company[];
  readonly users: readonly BillingUser[];
  readonly subscriptions: readonly SubscriptionVersion[];
  /** Device-day rows; the device's user and ownership come from its last billable day. */
  readonly deviceDays: readonly DeviceDay[];
}

export interface SubscriptionChoice {
  readonly subscriptionId: string | null;
  /** The group that brought the subscription, or null when it came from the customer attachment. */
  readonly viaGroupId: string | null;
  /** True when several group subscriptions applied; the smallest subscription id was chosen. */
  readonly ambiguous: boolean;
}

export type UserBillingLine =
  | {
      readonly kind: 'user';
      readonly companyId: string;
      readonly userId: string;
      readonly subscription: SubscriptionChoice;
      /** Devices inside the user's footprint (1 corporate + up to 2 personal). */
      readonly coveredDeviceIds: readonly string[];
    }
  | {
      readonly kind: 'device';
      readonly companyId: string;
      readonly deviceId: string;
      readonly userId: string | null;
      readonly reason: 'no_user' | 'beyond_allowance';
      readonly subscription: SubscriptionChoice;
    };

export interface CompanyUserUsage {
  readonly companyId: string;
  readonly month: string;
  /** Users with a device active on a billable day. */
  readonly activeUsers: number;
  readonly standaloneDevices: number;
  /** activeUsers + standaloneDevices: the billable line items. */
  readonly billableUnits: number;
  /**
   * Activity that was not billable: users active this month none of whose
   * devices had a billable day, and devices linked to no user active with
   * no billable day, by the licence state of their last active day.
   */
  readonly unlicensed: UnlicensedUserFigure;
  /** The line items, sorted; empty in the summary form (UserUsageAccumulator 'summary'), whose counts are the same. */
  readonly lines: readonly UserBillingLine[];
}

export interface UnlicensedUserFigure {
  readonly users: number;
  readonly standaloneDevices: number;
  /** Users and standalone devices together, per reason. */
  readonly byReason: Readonly<Record<UnlicensedReason, number>>;
}

export interface UserUsageReport {
  readonly month: string;
  /** Companies with at least one billable line or unlicensed activity, sorted by id. */
  readonly companies: readonly CompanyUserUsage[];
}

/**
 * Seed 000: "You can attach licenses automatically to different user groups
 * ... Any new member of the attached group will automatically be assigned
 * related subscription." A user's subscription is the one attached to one of
 * their groups; failing that, the one attached to the customer.
 */
export function subscriptionForUser(
  user: Pick<BillingUser, 'companyId' | 'groupIds'>,
  versions: readonly SubscriptionVersion[],
  month: Month,
): SubscriptionChoice {
  const inForce = versionIntervals(versions.filter((v) => v.companyId === user.companyId))
    .filter((i) => inForceDuring(i, month.startMs, month.endMs))
    .map((i) => i.version);
  const groupMatches = inForce
    .flatMap((v) => v.attachment.userGroupIds.filter((g) => user.groupIds.includes(g)).map((groupId) => ({ v, groupId })))
    .sort((a, b) => compareIds(a.v.subscriptionId, b.v.subscriptionId) || compareIds(a.groupId, b.groupId));
  if (groupMatches.length > 0) {
    const chosen = groupMatches[0];
    const distinct = new Set(groupMatches.map((m) => m.v.subscriptionId));
    return { subscriptionId: chosen.v.subscriptionId, viaGroupId: chosen.groupId, ambiguous: distinct.size > 1 };
  }
  const customer = inForce
    .filter((v) => v.attachment.customer)
    .map((v) => v.subscriptionId)
    .sort(compareIds);
  return { subscriptionId: customer[0] ?? null, viaGroupId: null, ambiguous: new Set(customer).size > 1 };
}

export function computeUserUsage(input: UserUsageInput): UserUsageReport {
  const usage = new UserUsageAccumulator(input, 'lines');
  for (const device of summarizeDeviceMonths(input.deviceDays, usage.month, usage.companies)) usage.add(device);
  return usage.report();
}

/** What user-based usage needs besides the device-day rows. */
export type UserMonthInput = Omit<UserUsageInput, 'deviceDays'>;

/** What the footprint of a user needs to know of one device. */
type FootprintDevice = Pick<DeviceMonth, 'deviceId'> & { readonly latest: Pick<DeviceMonth['latest'], 'ownership'> };

interface UserTally {
  /** The user's company: from the users table, else the billed company of the user's first billable device (by id). */
  companyId: string | null;
  /** For a user with no billable device: the users table's company, else the company of the user's first device (by id). */
  readonly activityCompanyId: string;
  readonly known: BillingUser | null;
  /** The licence state of the latest active day among the user's devices without a billable day. */
  lastUnlicensed: { readonly utcDay: number; readonly reason: UnlicensedReason } | null;
  /** 'lines' form: the devices, for the footprint. */
  readonly devices: FootprintDevice[];
  /** 'summary' form: how many of them are corporate (or unknown) and personal. */
  corporate: number;
  personal: number;
}

/**
 * User-based usage computed one device at a time: add() each device's
 * summary in device-id order. The 'lines' form keeps what the line items
 * need (a few fields per device linked to a user); the 'summary' form keeps
 * counts only: per user its corporate and personal devices, per company its
 * standalone devices, so memory grows with users and companies, not
 * endpoints. Both forms give the same counts.
 */
export class UserUsageAccumulator {
  readonly month: Month;
  readonly companies: ReadonlyMap<string, Company>;
  private readonly usersById: ReadonlyMap<string, BillingUser>;
  private readonly users = new Map<string, UserTally>();
  private readonly standalone = new Map<string, number>();
  private readonly unlicensedStandalone = new Map<string, Record<UnlicensedReason, number>>();
  private readonly lines: UserBillingLine[] = [];
  private readonly licences: MonthLicences;
  private readonly subscriptions = new Map<string, SubscriptionChoice>();

  constructor(private readonly input: UserMonthInput, private readonly form: 'lines' | 'summary') {
    this.month = parseMonth(input.month);
    this.companies = indexCompanies(input.companies);
    this.usersById = new Map(input.users.map((u) => [u.userId, u]));
    this.licences = new MonthLicences(this.month, this.companies, input.subscriptions);
  }

  add(activity: DeviceMonth): void {
    // Nothing active this month (asleep, uninstalled): not billed, not unlicensed either.
    if (activity.billedCompanyId === null) return;
    // Billed: the device's days with a billable licence (licence.ts); its user and ownership are those of its last billable day.
    const device = billableView(activity, this.licences);
    if (device?.billedCompanyId == null) {
      this.addUnlicensed(activity);
      return;
    }
    const userId = device.latest.userId;
    if (userId === null) {
      const companyId = device.billedCompanyId;
      this.standalone.set(companyId, (this.standalone.get(companyId) ?? 0) + 1);
      if (this.form === 'lines') {
        this.lines.push({
          kind: 'device', companyId, deviceId: device.deviceId, userId: null, reason: 'no_user',
          subscription: this.subscriptionFor({ companyId, groupIds: [] }),
        });
      }
      return;
    }
    const tally = this.tallyOf(userId, device.billedCompanyId);
    tally.companyId ??= tally.known?.companyId ?? device.billedCompanyId;
    if (this.form === 'lines') tally.devices.push({ deviceId: device.deviceId, latest: { ownership: device.latest.ownership } });
    else if (device.latest.ownership === 'personal') tally.personal++;
    else tally.corporate++;
  }

  /**
   * 'lines' form: the line items of devices linked to no user made since the
   * last call, handed over and forgotten, so they never pile up for a whole
   * month (finalization stores them as it goes). report() then lists only
   * the lines not taken; its counts still cover every device.
   */
  takeStandaloneLines(): UserBillingLine[] {
    return this.lines.splice(0);
  }

  /**
   * subscriptionForUser, once per company and set of groups: it walks every
   * subscription version, so calling it per line made a month cost devices x
   * versions (1,000,000 standalone devices x 5,000 companies' versions: minutes).
   * A copy each time: lines never share one object.
   */
  private subscriptionFor(user: Pick<BillingUser, 'companyId' | 'groupIds'>): SubscriptionChoice {
    const key = `${user.companyId}\u0000${user.groupIds.join('\u0000')}`;
    let choice = this.subscriptions.get(key);
    if (!choice) this.subscriptions.set(key, (choice = subscriptionForUser(user, this.input.subscriptions, this.month)));
    return { ...choice };
  }

  private tallyOf(userId: string, companyId: string): UserTally {
    let tally = this.users.get(userId);
    if (!tally) {
      const known = this.usersById.get(userId) ?? null;
      tally = { companyId: null, activityCompanyId: known?.companyId ?? companyId, known, lastUnlicensed: null, devices: [], corporate: 0, personal: 0 };
      this.users.set(userId, tally);
    }
    return tally;
  }

  /** A device active this month with no billable day: its user (or itself, linked to no user) is unlicensed activity, unless billed otherwise. */
  private addUnlicensed(device: DeviceMonth): void {
    const companyId = device.billedCompanyId!;
    const last = device.latest;
    // Excluded from billing by an admin: a decision, not missing revenue.
    if (exclusionOn(device, last.utcDay)) return;
    const reason = this.licences.dayState(companyId, last.utcDay) as UnlicensedReason;
    if (last.userId === null) {
      let byReason = this.unlicensedStandalone.get(companyId);
      if (!byReason) this.unlicensedStandalone.set(companyId, (byReason = zeroByReason()));
      byReason[reason]++;
      return;
    }
    const tally = this.tallyOf(last.userId, companyId);
    const seen = tally.lastUnlicensed;
    // The latest day wins; on the same day the reason first in UNLICENSED_REASONS, so device order never matters.
    if (!seen || last.utcDay > seen.utcDay || (last.utcDay === seen.utcDay && UNLICENSED_REASONS.indexOf(reason) < UNLICENSED_REASONS.indexOf(seen.reason))) {
      tally.lastUnlicensed = { utcDay: last.utcDay, reason };
    }
  }

  report(): UserUsageReport {
    const { month } = this;
    const counts = new Map<string, { users: number; beyond: number }>();
    const unlicensedUsers = new Map<string, Record<UnlicensedReason, number>>();
    const lines = [...this.lines];
    for (const [userId, tally] of this.users) {
      if (tally.companyId === null) {
        // No device of the user had a billable day: unlicensed activity.
        let byReason = unlicensedUsers.get(tally.activityCompanyId);
        if (!byReason) unlicensedUsers.set(tally.activityCompanyId, (byReason = zeroByReason()));
        byReason[tally.lastUnlicensed!.reason]++;
        continue;
      }
      const c = counts.get(tally.companyId) ?? { users: 0, beyond: 0 };
      counts.set(tally.companyId, c);
      c.users++;
      if (this.form === 'summary') {
        c.beyond += Math.max(0, tally.corporate - CORPORATE_DEVICES_PER_USER) + Math.max(0, tally.personal - PERSONAL_DEVICES_PER_USER);
        continue;
      }
      const user: BillingUser = tally.known ?? { userId, companyId: tally.companyId, groupIds: [], primaryDeviceId: null };
      const subscription = this.subscriptionFor(user);
      const { covered, beyond } = allocateFootprint(user, tally.devices);
      c.beyond += beyond.length;
      lines.push({ kind: 'user', companyId: user.companyId, userId, subscription, coveredDeviceIds: covered });
      for (const deviceId of beyond) {
        lines.push({ kind: 'device', companyId: user.companyId, deviceId, userId, reason: 'beyond_allowance', subscription });
      }
    }
    const byCompany = new Map<string, UserBillingLine[]>();
    for (const line of lines) {
      let list = byCompany.get(line.companyId);
      if (!list) byCompany.set(line.companyId, (list = []));
      list.push(line);
    }
    const companyIds = new Set([...counts.keys(), ...this.standalone.keys(), ...unlicensedUsers.keys(), ...this.unlicensedStandalone.keys()]);
    const result: CompanyUserUsage[] = [...companyIds]
      .sort(compareIds)
      .map((companyId) => {
        const activeUsers = counts.get(companyId)?.users ?? 0;
        const standaloneDevices = (this.standalone.get(companyId) ?? 0) + (counts.get(companyId)?.beyond ?? 0);
        const companyLines = [...(byCompany.get(companyId) ?? [])].sort((a, b) => compareIds(lineKey(a), lineKey(b)));
        const users = unlicensedUsers.get(companyId) ?? zeroByReason();
        const devices = this.unlicensedStandalone.get(companyId) ?? zeroByReason();
        const unlicensed: UnlicensedUserFigure = {
          users: sumOf(users),
          standaloneDevices: sumOf(devices),
          byReason: Object.fromEntries(UNLICENSED_REASONS.map((r) => [r, users[r] + devices[r]])) as Record<UnlicensedReason, number>,
        };
        return { companyId, month: month.id, activeUsers, standaloneDevices, billableUnits: activeUsers + standaloneDevices, unlicensed, lines: companyLines };
      });
    return { month: month.id, companies: result };
  }
}

/**
 * Fills one user's footprint: one corporate device (the primary first) and up
 * to two personal ones; the rest are separate line items. A device whose
 * ownership is unknown is treated as corporate: there is only one corporate
 * slot, so an unknown device can never hide inside the personal allowance.
 */
export function allocateFootprint(
  user: Pick<BillingUser, 'primaryDeviceId'>,
  devices: readonly FootprintDevice[],
): { covered: string[]; beyond: string[] } {
  const ordered = [...devices].sort(
    (a, b) =>
      Number(b.deviceId === user.primaryDeviceId) - Number(a.deviceId === user.primaryDeviceId) ||
      compareIds(a.deviceId, b.deviceId),
  );
  const corporate = ordered.filter((d) => (d.latest.ownership ?? 'corporate') === 'corporate').map((d) => d.deviceId);
  const personal = ordered.filter((d) => d.latest.ownership === 'personal').map((d) => d.deviceId);
  return {
    covered: [...corporate.slice(0, CORPORATE_DEVICES_PER_USER), ...personal.slice(0, PERSONAL_DEVICES_PER_USER)].sort(compareIds),
    beyond: [...corporate.slice(CORPORATE_DEVICES_PER_USER), ...personal.slice(PERSONAL_DEVICES_PER_USER)].sort(compareIds),
  };
}

function zeroByReason(): Record<UnlicensedReason, number> {
  return Object.fromEntries(UNLICENSED_REASONS.map((r) => [r, 0])) as Record<UnlicensedReason, number>;
}

function sumOf(byReason: Readonly<Record<UnlicensedReason, number>>): number {
  return UNLICENSED_REASONS.reduce((sum, r) => sum + byReason[r], 0);
}

function lineKey(line: UserBillingLine): string {
  return line.kind === 'user' ? `u\u0000${line.userId}` : `d\u0000${line.deviceId}`;
}
