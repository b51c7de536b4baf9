import { describe, expect, it } from 'vitest';
import {
  computeUserUsage,
  parseMonth,
  subscriptionForUser,
  type BillingUser,
  type DeviceDay,
  type SubscriptionVersion,
} from '../../../collector/src/billing/index.ts';
import { MARCH, at, company, deviceDay, subscription } from './fixtures.ts';

const alice: BillingUser = { userId: 'alice', companyId: 'c', groupIds: [], primaryDeviceId: 'laptop' };

function usage(deviceDays: DeviceDay[], users: BillingUser[] = [alice], subscriptions: SubscriptionVersion[] = [subscription('c')]) {
  return computeUserUsage({ month: MARCH, companies: [company('c')], users, subscriptions, deviceDays });
}

const owned = (deviceId: string, ownership: 'corporate' | 'personal' | null, userId: string | null = 'alice', date = '2024-03-05') =>
  deviceDay(deviceId, 'c', date, { userId, ownership });

describe('active utilization billing (seed 000)', () => {
  it('one active user covers one corporate and two personal devices: 1 billable unit', () => {
    const r = usage([owned('laptop', 'corporate'), owned('phone', 'personal'), owned('tablet', 'personal')]);
    expect(r.companies[0]).toMatchObject({ activeUsers: 1, standaloneDevices: 0, billableUnits: 1 });
    expect(r.companies[0].lines[0]).toMatchObject({ kind: 'user', userId: 'alice', coveredDeviceIds: ['laptop', 'phone', 'tablet'] });
  });

  it('a third personal device and a second corporate device are separate line items', () => {
    const r = usage([
      owned('laptop', 'corporate'),
      owned('desktop', 'corporate'),
      owned('p1', 'personal'),
      owned('p2', 'personal'),
      owned('p3', 'personal'),
    ]);
    const c = r.companies[0];
    expect(c).toMatchObject({ activeUsers: 1, standaloneDevices: 2, billableUnits: 3 });
    const beyond = c.lines.filter((l) => l.kind === 'device').map((l) => (l.kind === 'device' ? [l.deviceId, l.reason] : []));
    // The primary device takes the corporate slot; personal devices fill in id order.
    expect(beyond).toEqual([
      ['desktop', 'beyond_allowance'],
      ['p3', 'beyond_allowance'],
    ]);
  });

  it('a device linked to no user is a separate billable line item', () => {
    const r = usage([owned('laptop', 'corporate'), owned('kiosk', null, null), owned('server', 'corporate', null)]);
    expect(r.companies[0]).toMatchObject({ activeUsers: 1, standaloneDevices: 2, billableUnits: 3 });
  });

  it('a device of unknown ownership takes the corporate slot, not a personal one', () => {
    const r = usage([owned('laptop', 'corporate'), owned('mystery', null)]);
    expect(r.companies[0]).toMatchObject({ activeUsers: 1, standaloneDevices: 1 });
  });

  it('users and devices without activity in the month are not billed', () => {
    const r = usage([
      owned('laptop', 'corporate', 'alice', '2024-02-28'),
      deviceDay('asleep', 'c', '2024-03-05', { userId: 'bob', awakeSeconds: 0 }),
    ]);
    expect(r.companies).toEqual([]);
  });

  it('an uninstalled agent generates no charge after the uninstall', () => {
    const r = usage([deviceDay('gone', 'c', '2024-03-05', { userId: null, uninstalledAtMs: at('2024-03-01T00:00:00Z') })]);
    expect(r.companies).toEqual([]);
  });
});

describe('subscriptions attached to user groups (seed 000)', () => {
  const march = parseMonth(MARCH);
  const customerWide = subscription('c', { subscriptionId: 'core' });
  const groupSub = subscription('c', { subscriptionId: 'core-plus', attachment: { customer: false, userGroupIds: ['finance'] } });

  it('a member of an attached group gets the group subscription, including a new member', () => {
    expect(subscriptionForUser({ companyId: 'c', groupIds: ['finance'] }, [customerWide, groupSub], march)).toEqual({
      subscriptionId: 'core-plus',
      viaGroupId: 'finance',
      ambiguous: false,
    });
  });

  it('anyone else gets the customer subscription', () => {
    expect(subscriptionForUser({ companyId: 'c', groupIds: ['sales'] }, [customerWide, groupSub], march)).toEqual({
      subscriptionId: 'core',
      viaGroupId: null,
      ambiguous: false,
    });
  });

  it('two group subscriptions: the smallest id, flagged ambiguous', () => {
    const other = subscription('c', { subscriptionId: 'another', attachment: { customer: false, userGroupIds: ['it'] } });
    expect(subscriptionForUser({ companyId: 'c', groupIds: ['finance', 'it'] }, [groupSub, other], march)).toMatchObject({
      subscriptionId: 'another',
      ambiguous: true,
    });
  });

  it('each line gets the choice for its own company and groups (chosen once per company and group set), never a shared object', () => {
    const finance: BillingUser = { ...alice, groupIds: ['finance'] };
    const bob: BillingUser = { userId: 'bob', companyId: 'c', groupIds: [], primaryDeviceId: null };
    const carol: BillingUser = { userId: 'carol', companyId: 'd', groupIds: ['finance'], primaryDeviceId: null };
    const atD = subscription('d', { subscriptionId: 'd-core' });
    const r = computeUserUsage({
      month: MARCH, companies: [company('c'), company('d')], users: [finance, bob, carol], subscriptions: [customerWide, groupSub, atD],
      deviceDays: [owned('laptop', 'corporate'), owned('bob-pc', 'corporate', 'bob'), owned('s1', null, null), owned('s2', null, null),
        deviceDay('carol-pc', 'd', '2024-03-05', { userId: 'carol', ownership: 'corporate' }), deviceDay('s3', 'd', '2024-03-05', { userId: null, ownership: null })],
    });
    const lines = r.companies.flatMap((c) => c.lines);
    const choice = (l: (typeof lines)[number]) => [l.kind === 'user' ? l.userId : l.deviceId, l.subscription.subscriptionId, l.subscription.viaGroupId];
    expect(lines.map(choice)).toEqual([
      ['s1', 'core', null], ['s2', 'core', null], ['alice', 'core-plus', 'finance'], ['bob', 'core', null],
      ['s3', 'd-core', null], ['carol', 'd-core', null],
    ]);
    // What each line says is its own: changing one changes no other.
    const [s1, s2] = lines;
    expect(s1.subscription).not.toBe(s2.subscription);
    for (const l of lines) expect(l.subscription).toEqual(subscriptionForUser(
      l.kind === 'user' ? [finance, bob, carol].find((u) => u.userId === l.userId)! : { companyId: l.companyId, groupIds: [] }, [customerWide, groupSub, atD], march));
  });

  it('is carried on the user line', () => {
    const finance: BillingUser = { ...alice, groupIds: ['finance'] };
    const r = usage([owned('laptop', 'corporate')], [finance], [customerWide, groupSub]);
    expect(r.companies[0].lines[0]).toMatchObject({ kind: 'user', subscription: { subscriptionId: 'core-plus' } });
  });
});
