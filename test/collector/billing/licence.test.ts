// Licence state per company per instant, and what it does to a month: the
// usage columns stay activity (as the report defines it), the billable
// columns count only days whose licence is billable, and the rest is
// unlicensed activity with its reason. Every case quotes the seed sentence it
// comes from (seeds 000, 002, 003) or the OUR DECISION.
import { describe, expect, it } from 'vitest';
import {
  MonthLicences,
  computeEndpointUsage,
  computeUserUsage,
  explainDevice,
  licenceStateAt,
  parseMonth,
  type Company,
  type DeviceDay,
  type LicenceState,
  type SubscriptionVersion,
} from '../../../collector/src/billing/index.ts';
import { MARCH, at, company, deviceDay, subscription } from './fixtures.ts';

const byId = (companies: Company[]) => new Map(companies.map((c) => [c.id, c]));

/** Every day of March 2024 from `first` to `last` (1-based, inclusive). */
const march = (first: number, last: number) => Array.from({ length: last - first + 1 }, (_, i) => `2024-03-${String(first + i).padStart(2, '0')}`);

/** A device active (one hour) on each of the given March days at company `companyId`. */
const active = (deviceId: string, companyId: string, days: string[], overrides: Partial<DeviceDay> = {}) =>
  days.map((date) => deviceDay(deviceId, companyId, date, overrides));

/** The state of each March day at company c, run-length encoded: [[firstDay, lastDay, state], ...]. */
function dayRuns(companies: Company[], versions: SubscriptionVersion[], companyId = 'c'): [number, number, LicenceState][] {
  const days = new MonthLicences(parseMonth(MARCH), byId(companies), versions).of(companyId).days;
  const runs: [number, number, LicenceState][] = [];
  days.forEach((state, i) => {
    const last = runs[runs.length - 1];
    if (last && last[2] === state) last[1] = i + 1;
    else runs.push([i + 1, i + 1, state]);
  });
  return runs;
}

function report(companies: Company[], subscriptions: SubscriptionVersion[], deviceDays: DeviceDay[], productType: 'endpoint_security' | 'edr' = 'endpoint_security', month = MARCH) {
  return computeEndpointUsage({ month, productType, companies, subscriptions, deviceDays, xdrSensorDeployments: [] });
}

const rowOf = (r: ReturnType<typeof report>, id = 'c') => r.rows.find((x) => x.companyId === id)!;
const lineOf = (r: ReturnType<typeof report>, deviceId: string, id = 'c') => rowOf(r, id).devices.find((d) => d.deviceId === deviceId)!;

const trial = (endsAt: string, overrides: Parameters<typeof subscription>[1] = {}) =>
  subscription('c', { licenseType: 'trial', trialEndsAtMs: at(endsAt), ...overrides });

describe('licenceStateAt: one state per company per instant', () => {
  const c = [company('c')];
  it.each<[string, string, Company[], SubscriptionVersion[], string, LicenceState]>([
    // Seed 003, License Type: "Monthly Subscription - the company purchases Bitdefender products from a partner company."
    ['a monthly subscription in force is billable', 'Monthly Subscription', c, [subscription('c')], '2024-03-10T12:00:00Z', 'billable'],
    // Seed 003: "Monthly License - the company purchases Bitdefender products directly from Bitdefender".
    ['a monthly license in force is billable', 'Monthly License', c, [subscription('c', { licenseType: 'monthly_license' })], '2024-03-10T12:00:00Z', 'billable'],
    // Seed 003: "Monthly License Trial he company has received a trial subscription license from a partner company."
    ['a trial before its end is a trial', 'Monthly License Trial', c, [trial('2024-04-15T00:00:00Z')], '2024-03-10T12:00:00Z', 'trial'],
    // Seed 000: "If you don't do that at the end of the trial period it will be automatically converted to an active subscription."
    ['a trial is billable from its end on', 'automatically converted to an active subscription', c, [trial('2024-03-15T00:00:00Z')], '2024-03-15T00:00:00Z', 'billable'],
    ['a trial is still a trial the instant before its end', 'at the end of the trial period', c, [trial('2024-03-15T00:00:00Z')], '2024-03-14T23:59:59.999Z', 'trial'],
    // Seed 000: "You can always manually change the subscription type from in_trial to active anytime during the trial period."
    ['a trial made active early is billable from then', 'manually change ... from in_trial to active', c, [trial('2024-04-15T00:00:00Z', { trialConvertedAtMs: at('2024-03-05T10:00:00Z') })], '2024-03-05T10:00:00Z', 'billable'],
    // OUR DECISION: before the first version takes effect nothing is licensed.
    ['before the first version takes effect', 'OUR DECISION: not_started', c, [subscription('c', { effectiveFromMs: at('2024-03-20T00:00:00Z') })], '2024-03-19T23:59:59Z', 'not_started'],
    // Seed 003: "Subscription End Date: The end date for the company's license subscription"; "Subscription Auto-Renewal".
    ['on its end date without auto-renewal (inclusive, through the end of that UTC day)', 'Subscription End Date', c, [subscription('c', { endDate: '2024-03-10' })], '2024-03-10T23:59:59.999Z', 'billable'],
    ['after its end date without auto-renewal', 'Subscription End Date', c, [subscription('c', { endDate: '2024-03-10' })], '2024-03-11T00:00:00Z', 'ended'],
    ['after its end date with auto-renewal', 'Subscription Auto-Renewal', c, [subscription('c', { endDate: '2024-03-10', autoRenewal: true })], '2024-03-20T00:00:00Z', 'billable'],
    ['after the subscription was removed (effectiveUntil)', 'OUR DECISION: ended', c, [subscription('c', { effectiveUntilMs: at('2024-03-08T00:00:00Z') })], '2024-03-08T00:00:00Z', 'ended'],
    // Only customer-attached subscriptions license the company's endpoints; a group's chooses users' subscription.
    ['without any subscription', 'OUR DECISION: none', c, [], '2024-03-10T00:00:00Z', 'none'],
    ['with only a group-attached subscription', 'OUR DECISION: none', c, [subscription('c', { attachment: { customer: false, userGroupIds: ['g'] } })], '2024-03-10T00:00:00Z', 'none'],
    // Seed 000: "You can inactivate a customer ... The customer will not be able to login to the service, and billing will stop."
    ['an inactivated customer, whatever its subscription', 'billing will stop', [company('c', { inactiveSinceMs: at('2024-03-12T09:00:00Z') })], [subscription('c')], '2024-03-12T09:00:00Z', 'inactive'],
    ['an inactivated customer on trial', 'billing will stop', [company('c', { inactiveSinceMs: at('2024-03-01T00:00:00Z') })], [trial('2024-04-15T00:00:00Z')], '2024-03-12T09:00:00Z', 'inactive'],
    ['a customer before its inactivation', 'billing will stop', [company('c', { inactiveSinceMs: at('2024-03-12T09:00:00Z') })], [subscription('c')], '2024-03-12T08:59:59Z', 'billable'],
    // Seed 002: "Partners are the ones who enable license entitlements (seats and technologies) to Customer companies".
    ['a customer under an inactivated partner', 'Partners ... enable license entitlements', [company('p', { type: 'partner', inactiveSinceMs: at('2024-03-12T09:00:00Z') }), company('c', { parentId: 'p' })], [subscription('c')], '2024-03-13T00:00:00Z', 'inactive'],
    ['a customer under a partner under an inactivated distributor', 'Partners ... enable license entitlements', [company('d', { type: 'partner', inactiveSinceMs: at('2024-03-12T09:00:00Z') }), company('p', { type: 'partner', parentId: 'd' }), company('c', { parentId: 'p' })], [subscription('c')], '2024-03-13T00:00:00Z', 'inactive'],
    ['a customer moved out from under the inactivated partner first', 'unless a customer is moved out first', [company('p', { type: 'partner', inactiveSinceMs: at('2024-03-12T09:00:00Z') }), company('q', { type: 'partner' }), company('c', { parentId: 'q' })], [subscription('c')], '2024-03-13T00:00:00Z', 'billable'],
    // Reactivation ends an inactive period (the core honours inactivePeriods; see README on storage).
    ['a customer reactivated after an inactive period', 'reactivation', [company('c', { inactivePeriods: [{ fromMs: at('2024-03-12T09:00:00Z'), untilMs: at('2024-03-20T09:00:00Z') }] })], [subscription('c')], '2024-03-20T09:00:00Z', 'billable'],
    ['a customer during a past inactive period', 'reactivation', [company('c', { inactivePeriods: [{ fromMs: at('2024-03-12T09:00:00Z'), untilMs: at('2024-03-20T09:00:00Z') }] })], [subscription('c')], '2024-03-15T00:00:00Z', 'inactive'],
    // Two subscriptions in force: the best counts.
    ['a trial and a monthly subscription in force together', 'OUR DECISION: best of both', c, [trial('2024-04-15T00:00:00Z'), subscription('c', { subscriptionId: 'other' })], '2024-03-10T00:00:00Z', 'billable'],
  ])('%s (%s)', (_name, _seed, companies, versions, instant, state) => {
    expect(licenceStateAt('c', at(instant), byId(companies), versions)).toBe(state);
  });
});

describe('the days of a month: billable when billable at some moment of the UTC day, else the state at its start', () => {
  it.each<[string, Company[], SubscriptionVersion[], [number, number, LicenceState][]]>([
    ['a trial converting on day 15', [company('c')], [trial('2024-03-15T00:00:00Z')], [[1, 14, 'trial'], [15, 31, 'billable']]],
    ['a trial converting on day 15 at noon: day 15 counts', [company('c')], [trial('2024-03-15T12:00:00Z')], [[1, 14, 'trial'], [15, 31, 'billable']]],
    ['a trial made active by an admin on day 15', [company('c')], [trial('2024-04-30T00:00:00Z', { trialConvertedAtMs: at('2024-03-15T10:00:00Z') })], [[1, 14, 'trial'], [15, 31, 'billable']]],
    ['a subscription starting on day 20', [company('c')], [subscription('c', { effectiveFromMs: at('2024-03-20T00:00:00Z') })], [[1, 19, 'not_started'], [20, 31, 'billable']]],
    ['an end date of the 10th without auto-renewal', [company('c')], [subscription('c', { endDate: '2024-03-10' })], [[1, 10, 'billable'], [11, 31, 'ended']]],
    ['an end date of the 10th with auto-renewal', [company('c')], [subscription('c', { endDate: '2024-03-10', autoRenewal: true })], [[1, 31, 'billable']]],
    ['a customer inactivated on day 12', [company('c', { inactiveSinceMs: at('2024-03-12T09:00:00Z') })], [subscription('c')], [[1, 12, 'billable'], [13, 31, 'inactive']]],
    ['a partner inactivated on day 12', [company('p', { type: 'partner', inactiveSinceMs: at('2024-03-12T09:00:00Z') }), company('c', { parentId: 'p' })], [subscription('c')], [[1, 12, 'billable'], [13, 31, 'inactive']]],
    ['a customer inactivated on day 12 and reactivated on day 20', [company('c', { inactivePeriods: [{ fromMs: at('2024-03-12T09:00:00Z'), untilMs: at('2024-03-20T09:00:00Z') }] })], [subscription('c')], [[1, 12, 'billable'], [13, 19, 'inactive'], [20, 31, 'billable']]],
    ['a trial that has not started when the partner above is inactivated', [company('p', { type: 'partner', inactiveSinceMs: at('2024-03-12T00:00:00Z') }), company('c', { parentId: 'p' })], [trial('2024-04-15T00:00:00Z', { effectiveFromMs: at('2024-03-05T00:00:00Z') })], [[1, 4, 'not_started'], [5, 11, 'trial'], [12, 31, 'inactive']]],
    ['no subscription at all', [company('c')], [], [[1, 31, 'none']]],
    // OUR DECISION: a day that is not billable shows its state closest to billable, so the first day of a trial is a trial day.
    ['a trial starting at noon on day 5', [company('c')], [trial('2024-04-15T00:00:00Z', { effectiveFromMs: at('2024-03-05T12:00:00Z') })], [[1, 4, 'not_started'], [5, 31, 'trial']]],
    ['a customer on trial inactivated at noon on day 12', [company('c', { inactiveSinceMs: at('2024-03-12T12:00:00Z') })], [trial('2024-04-15T00:00:00Z')], [[1, 12, 'trial'], [13, 31, 'inactive']]],
  ])('%s', (_name, companies, versions, runs) => {
    expect(dayRuns(companies, versions)).toEqual(runs);
  });

  it('the state holds between its change instants (segments cover the month)', () => {
    const licence = new MonthLicences(parseMonth(MARCH), byId([company('c')]), [trial('2024-03-15T12:00:00Z')]).of('c');
    expect(licence.segments).toEqual([
      { fromMs: at('2024-03-01T00:00:00Z'), untilMs: at('2024-03-15T12:00:00Z'), state: 'trial' },
      { fromMs: at('2024-03-15T12:00:00Z'), untilMs: at('2024-04-01T00:00:00Z'), state: 'billable' },
    ]);
  });
});

describe('what a licence state does to the month: usage columns, billable columns, unlicensed activity', () => {
  it('a customer on a trial for the whole month: license type "trial", Endpoint Usage 1, billable 0, unlicensed 1 (trial)', () => {
    const r = report([company('c')], [trial('2024-04-15T00:00:00Z', { minimumUsage: 5 })], active('d1', 'c', march(1, 31)));
    const row = rowOf(r);
    expect(row.licenseType).toBe('trial');
    expect(row.own).toMatchObject({ licensedEndpoints: 1, endpointUsage: 1, aLaCarteUsage: 1, billableEndpointUsage: 0 });
    expect(row.billable.own).toMatchObject({ licensedEndpoints: 0, endpointUsage: 0, billableEndpointUsage: 0 });
    // OUR DECISION: no minimum for a company never billable in the month.
    expect(row.minimumApplies).toBe(false);
    expect(row.unlicensed.own).toEqual({ endpoints: 1, byReason: { trial: 1, not_started: 0, ended: 0, none: 0, inactive: 0 } });
    expect(lineOf(r, 'd1')).toMatchObject({ billed: false, billedCompanyId: null, unlicensed: 'trial', billableColumns: {} });
    expect(lineOf(r, 'd1').billingNote).toMatch(/not billed: on trial/);
  });

  it('a trial converting on day 15: a device active only before it is unlicensed, one active on day 15 is billed', () => {
    const r = report([company('c')], [trial('2024-03-15T12:00:00Z')], [...active('early', 'c', march(1, 10)), ...active('late', 'c', march(12, 15))]);
    expect(rowOf(r).own.licensedEndpoints).toBe(2);
    expect(rowOf(r).billable.own.licensedEndpoints).toBe(1);
    expect(rowOf(r).unlicensed.own.byReason.trial).toBe(1);
    expect(lineOf(r, 'late')).toMatchObject({ billed: true, billingNote: 'billed here, for its days with a billable licence', unlicensed: null });
    // The license type column shows the type as it stood at month end: converted.
    expect(rowOf(r).licenseType).toBe('monthly_subscription');
  });

  it('a subscription effective from day 20 and a device active only on days 1-5: not "billed here", unlicensed (not started)', () => {
    const subs = [subscription('c', { effectiveFromMs: at('2024-03-20T00:00:00Z'), minimumUsage: 3 })];
    const r = report([company('c')], subs, [...active('early', 'c', march(1, 5)), ...active('both', 'c', [...march(1, 5), '2024-03-25'])]);
    expect(lineOf(r, 'early').billingNote).not.toBe('billed here');
    expect(lineOf(r, 'early')).toMatchObject({ billed: false, unlicensed: 'not_started' });
    expect(lineOf(r, 'both')).toMatchObject({ billed: true, unlicensed: null, activeDays: 6 });
    expect(rowOf(r).own.endpointUsage).toBe(2);
    expect(rowOf(r).billable.own.endpointUsage).toBe(1);
    // Billable from day 20 and never inactive: the minimum applies to the billable figure.
    expect(rowOf(r).own.billableEndpointUsage).toBe(3);
    expect(rowOf(r).billable.own.billableEndpointUsage).toBe(3);
  });

  it('an end date of the 10th without auto-renewal: activity after it is not billed, this month or the next', () => {
    const subs = [subscription('c', { endDate: '2024-03-10' })];
    const days = [...active('until-10', 'c', march(5, 10)), ...active('after-10', 'c', march(11, 31)), ...active('across', 'c', march(8, 20))];
    const r = report([company('c')], subs, days);
    expect(rowOf(r).own.endpointUsage).toBe(3);
    expect(rowOf(r).billable.own.endpointUsage).toBe(2);
    expect(lineOf(r, 'after-10')).toMatchObject({ billed: false, unlicensed: 'ended' });
    const april = report([company('c')], subs, active('april', 'c', ['2024-04-02']), 'endpoint_security', '2024-04');
    expect(rowOf(april).own.endpointUsage).toBe(1);
    expect(rowOf(april).billable.own.endpointUsage).toBe(0);
    expect(rowOf(april).unlicensed.own.byReason.ended).toBe(1);
  });

  it('the same end date with auto-renewal: everything is billed', () => {
    const r = report([company('c')], [subscription('c', { endDate: '2024-03-10', autoRenewal: true })], active('after-10', 'c', march(11, 31)));
    expect(rowOf(r).billable.own.endpointUsage).toBe(1);
    expect(rowOf(r).unlicensed.own.endpoints).toBe(0);
  });

  it('12 devices reporting every day without a subscription: 0 billed, 12 unlicensed (none), in both product types\' reports', () => {
    const days = Array.from({ length: 12 }, (_, i) => active(`d${i}`, 'c', march(1, 31))).flat();
    for (const productType of ['endpoint_security', 'edr'] as const) {
      const r = report([company('p', { type: 'partner' }), company('c', { parentId: 'p' })], [subscription('p')], days, productType);
      expect(rowOf(r).productType).toBeNull();
      expect(rowOf(r).billable.own.licensedEndpoints).toBe(0);
      expect(rowOf(r).unlicensed.own).toMatchObject({ endpoints: 12, byReason: { none: 12 } });
      // Partner totals: the sum of the subtree, unlicensed figures alike.
      expect(rowOf(r, 'p').unlicensed.total).toMatchObject({ endpoints: 12, byReason: { none: 12 } });
      expect(lineOf(r, 'd0').billingNote).toMatch(/no subscription/);
    }
  });

  it('an inactivated customer on day 12: its later activity is usage, unlicensed (inactive), not billed, no minimum', () => {
    const r = report([company('c', { inactiveSinceMs: at('2024-03-12T09:00:00Z') })], [subscription('c', { minimumUsage: 10 })],
      [...active('before', 'c', march(1, 12)), ...active('after', 'c', march(13, 20))]);
    expect(rowOf(r).own.endpointUsage).toBe(2);
    expect(rowOf(r).billable.own).toMatchObject({ endpointUsage: 1, billableEndpointUsage: 1 });
    expect(rowOf(r).minimumApplies).toBe(false);
    expect(rowOf(r).active).toBe(false);
    expect(lineOf(r, 'after')).toMatchObject({ billed: false, unlicensed: 'inactive' });
  });

  it('an inactivated partner on day 12: its customers\' later activity is unlicensed too, and partner totals add up', () => {
    const companies = [company('p', { type: 'partner', inactiveSinceMs: at('2024-03-12T09:00:00Z') }), company('c', { parentId: 'p' }), company('moved', { parentId: null })];
    const r = report(companies, [subscription('p'), subscription('c'), subscription('moved')],
      [...active('c-before', 'c', march(1, 12)), ...active('c-after', 'c', march(13, 31)), ...active('p-own', 'p', march(20, 21)), ...active('m', 'moved', march(13, 31))]);
    expect(rowOf(r, 'c').billable.own.endpointUsage).toBe(1);
    expect(rowOf(r, 'c').unlicensed.own.byReason.inactive).toBe(1);
    expect(rowOf(r, 'p').unlicensed.own.byReason.inactive).toBe(1);
    expect(rowOf(r, 'p').unlicensed.total.byReason.inactive).toBe(2);
    expect(rowOf(r, 'p').total.endpointUsage).toBe(3);
    expect(rowOf(r, 'p').billable.total.endpointUsage).toBe(1);
    // A customer moved out of the partner first is not affected.
    expect(rowOf(r, 'moved').billable.own.endpointUsage).toBe(1);
  });

  it('a reactivated customer: days of the inactive period are unlicensed, the rest billed', () => {
    const c = company('c', { inactivePeriods: [{ fromMs: at('2024-03-12T09:00:00Z'), untilMs: at('2024-03-20T09:00:00Z') }] });
    const r = report([c], [subscription('c')], [...active('while-inactive', 'c', march(13, 19)), ...active('after', 'c', march(21, 22))]);
    expect(lineOf(r, 'while-inactive')).toMatchObject({ billed: false, unlicensed: 'inactive' });
    expect(lineOf(r, 'after')).toMatchObject({ billed: true });
  });

  it('a device that moved from a trial company to a billable one is billed once, where it was last billable, and not unlicensed', () => {
    const companies = [company('p', { type: 'partner' }), company('a', { parentId: 'p' }), company('b', { parentId: 'p' })];
    const subs = [subscription('a'), subscription('b', { licenseType: 'trial', trialEndsAtMs: at('2024-05-01T00:00:00Z') }), subscription('p')];
    const r = report(companies, subs, [...active('mover', 'a', march(1, 10)), ...active('mover', 'b', march(11, 31))]);
    // Usage: where it was last active (b); billed: where it was last active on a billable day (a).
    expect(rowOf(r, 'b').own.licensedEndpoints).toBe(1);
    expect(rowOf(r, 'a').billable.own.licensedEndpoints).toBe(1);
    expect(rowOf(r, 'b').billable.own.licensedEndpoints).toBe(0);
    expect(rowOf(r, 'p').unlicensed.total.endpoints).toBe(0);
    expect(lineOf(r, 'mover', 'b').billingNote).toMatch(/billed once, at a/);
  });

  it('per-SKU billable quantities follow the column rules over billable days: an add-on installed only while on trial is not billed', () => {
    const subs = [trial('2024-03-15T00:00:00Z', { addOns: { encryption: true } })];
    const r = report([company('c')], subs, [
      ...active('d1', 'c', march(1, 10), { modules: ['antimalware', 'full_disk_encryption'] }),
      ...active('d1', 'c', march(15, 20), { modules: ['antimalware'] }),
    ]);
    expect(rowOf(r).own).toMatchObject({ endpointUsage: 1, encryptionUsage: 1 });
    expect(rowOf(r).billable.own).toMatchObject({ endpointUsage: 1, encryptionUsage: 0 });
  });
});

describe('user-based billing (seed 000) counts only billable days too', () => {
  it('a user active only during a trial is unlicensed, not a billable unit; a standalone device likewise', () => {
    const r = computeUserUsage({
      month: MARCH, companies: [company('c')], users: [{ userId: 'alice', companyId: 'c', groupIds: [], primaryDeviceId: null }],
      subscriptions: [trial('2024-03-15T00:00:00Z')],
      deviceDays: [
        ...active('laptop', 'c', march(1, 10), { userId: 'alice' }),
        ...active('kiosk', 'c', march(1, 10)),
        ...active('bob-pc', 'c', march(16, 17), { userId: 'bob' }),
      ],
    });
    expect(r.companies[0]).toMatchObject({
      activeUsers: 1, standaloneDevices: 0, billableUnits: 1,
      unlicensed: { users: 1, standaloneDevices: 1, byReason: { trial: 2, not_started: 0, ended: 0, none: 0, inactive: 0 } },
    });
  });
});

describe('explain shows the licence state of each day it used', () => {
  it('days before a subscription starts are not_started, the rest billable', () => {
    const e = explainDevice({
      month: MARCH, productType: 'endpoint_security', companies: [company('c')], xdrSensorDeployments: [],
      subscriptions: [subscription('c', { effectiveFromMs: at('2024-03-20T00:00:00Z') })],
      deviceDays: active('d1', 'c', ['2024-03-05', '2024-03-25']),
    }, 'd1');
    expect(e.days.map((d) => [d.date, d.licence, d.billable])).toEqual([['2024-03-05', 'not_started', false], ['2024-03-25', 'billable', true]]);
    expect(e.days[0].note).toMatch(/not started/);
    expect(e).toMatchObject({ billedCompanyId: 'c', countedCompanyId: 'c', unlicensed: null });
    expect(e.billableColumns.find((c) => c.column === 'endpointUsage')?.value).toBe(1);
  });

  it('a device active only on trial days is unlicensed, with no billable columns', () => {
    const e = explainDevice({
      month: MARCH, productType: 'endpoint_security', companies: [company('c')], xdrSensorDeployments: [],
      subscriptions: [trial('2024-04-15T00:00:00Z')], deviceDays: active('d1', 'c', ['2024-03-05']),
    }, 'd1');
    expect(e).toMatchObject({ billedCompanyId: null, countedCompanyId: 'c', unlicensed: 'trial', billableColumns: [] });
    expect(e.columns.find((c) => c.column === 'endpointUsage')?.value).toBe(1);
  });
});
