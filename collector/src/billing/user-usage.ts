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

import { summarizeDeviceMonths, type DeviceMonth } from './device-month.ts';
import { compareIds } from './hash.ts';
import { indexCompanies } from './hierarchy.ts';
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
  readonly activeUsers: number;
  readonly standaloneDevices: number;
  /** activeUsers + standaloneDevices: the billable line items. */
  readonly billableUnits: number;
  readonly lines: readonly UserBillingLine[];
}

export interface UserUsageReport {
  readonly month: string;
  /** Companies with at least one billable line, sorted by id. */
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
  const month = parseMonth(input.month);
  const companies = indexCompanies(input.companies);
  const usersById = new Map(input.users.map((u) => [u.userId, u]));
  // Only devices with a billable day this month are billed: active, not uninstalled, company active.
  const activeDevices = summarizeDeviceMonths(input.deviceDays, month, companies).filter((d) => d.billedCompanyId !== null);

  const lines: UserBillingLine[] = [];
  const byUser = new Map<string, DeviceMonth[]>();
  for (const device of activeDevices) {
    const userId = device.latest.userId;
    if (userId === null) {
      const companyId = device.billedCompanyId!;
      lines.push({
        kind: 'device',
        companyId,
        deviceId: device.deviceId,
        userId: null,
        reason: 'no_user',
        subscription: subscriptionForUser({ companyId, groupIds: [] }, input.subscriptions, month),
      });
      continue;
    }
    let list = byUser.get(userId);
    if (!list) byUser.set(userId, (list = []));
    list.push(device);
  }

  for (const [userId, devices] of byUser) {
    const known = usersById.get(userId);
    const user: BillingUser = known ?? { userId, companyId: devices[0].billedCompanyId!, groupIds: [], primaryDeviceId: null };
    const subscription = subscriptionForUser(user, input.subscriptions, month);
    const { covered, beyond } = allocateFootprint(user, devices);
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
  const result: CompanyUserUsage[] = [...byCompany.entries()]
    .sort(([a], [b]) => compareIds(a, b))
    .map(([companyId, companyLines]) => {
      const sorted = [...companyLines].sort((a, b) => compareIds(lineKey(a), lineKey(b)));
      const activeUsers = sorted.filter((l) => l.kind === 'user').length;
      const standaloneDevices = sorted.length - activeUsers;
      return { companyId, month: month.id, activeUsers, standaloneDevices, billableUnits: activeUsers + standaloneDevices, lines: sorted };
    });
  return { month: month.id, companies: result };
}

/**
 * Fills one user's footprint: one corporate device (the primary first) and up
 * to two personal ones; the rest are separate line items. A device whose
 * ownership is unknown is treated as corporate: there is only one corporate
 * slot, so an unknown device can never hide inside the personal allowance.
 */
export function allocateFootprint(
  user: Pick<BillingUser, 'primaryDeviceId'>,
  devices: readonly DeviceMonth[],
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

function lineKey(line: UserBillingLine): string {
  return line.kind === 'user' ? `u\u0000${line.userId}` : `d\u0000${line.deviceId}`;
}
