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

  it('is carried on the user line', () => {
    const finance: BillingUser = { ...alice, groupIds: ['finance'] };
    const r = usage([owned('laptop', 'corporate')], [finance], [customerWide, groupSub]);
    expect(r.companies[0].lines[0]).toMatchObject({ kind: 'user', subscription: { subscriptionId: 'core-plus' } });
  });
});
