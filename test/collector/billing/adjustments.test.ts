import { describe, expect, it } from 'vitest';
import {
  adjustFinalizedMonth,
  computeEndpointUsage,
  finalizeMonth,
  lateDataDisposition,
  type DeviceDay,
} from '../../../collector/src/billing/index.ts';
import { at, company, deviceDay, subscription } from './fixtures.ts';

describe('lateDataDisposition', () => {
  it.each([
    ['2024-03', '2024-03-20T00:00:00Z', 'in_month'],
    ['2024-03', '2024-04-03T23:59:59Z', 'in_month'], // closing: 72 h grace
    ['2024-03', '2024-04-04T00:00:00Z', 'adjustment'],
    ['2024-03', '2024-05-31T23:59:59Z', 'adjustment'], // two months back
    ['2024-03', '2024-06-01T00:00:00Z', 'unbilled'], // three months back
    ['2023-12', '2024-02-15T00:00:00Z', 'adjustment'],
    ['2023-11', '2024-02-15T00:00:00Z', 'unbilled'],
  ] as const)('data for %s arriving at %s -> %s', (month, now, disposition) => {
    expect(lateDataDisposition(month, at(now))).toBe(disposition);
  });
});

describe('adjustFinalizedMonth', () => {
  const base = {
    month: '2024-03',
    productType: 'endpoint_security' as const,
    companies: [company('p', { type: 'partner' }), company('c', { parentId: 'p' })],
    subscriptions: [subscription('c', { addOns: { encryption: true } }), subscription('p')],
    xdrSensorDeployments: [],
  };
  const facts: DeviceDay[] = [deviceDay('d1', 'c', '2024-03-02'), deviceDay('d2', 'c', '2024-03-03')];
  const finalized = finalizeMonth(computeEndpointUsage({ ...base, deviceDays: facts }));

  it('recomputing a finalized month from the same facts gives the same hash: no change', () => {
    const again = computeEndpointUsage({ ...base, deviceDays: [...facts].reverse() });
    expect(adjustFinalizedMonth(finalized, again, at('2024-04-20T00:00:00Z'))).toEqual({ kind: 'no_change', month: '2024-03', hash: finalized.hash });
  });

  it('late data within two months becomes adjustment lines on the finalized month: usage, billable and unlicensed figures', () => {
    const late = [...facts, deviceDay('late', 'c', '2024-03-30', { modules: ['full_disk_encryption'] })];
    const outcome = adjustFinalizedMonth(finalized, computeEndpointUsage({ ...base, deviceDays: late }), at('2024-04-20T00:00:00Z'));
    expect(outcome.kind).toBe('adjustment');
    if (outcome.kind === 'no_change') throw new Error('unreachable');
    const line = (figure: string, column: string, before: number, after: number) =>
      ({ month: '2024-03', companyId: 'c', figure, column, finalized: before, recomputed: after, delta: after - before });
    expect(outcome.lines).toEqual([
      line('usage', 'licensedEndpoints', 2, 3),
      line('usage', 'endpointUsage', 2, 3),
      line('usage', 'aLaCarteUsage', 2, 3),
      line('usage', 'encryptionUsage', 0, 1),
      line('billable', 'licensedEndpoints', 2, 3),
      line('billable', 'endpointUsage', 2, 3),
      line('billable', 'aLaCarteUsage', 2, 3),
      line('billable', 'encryptionUsage', 0, 1),
      line('billable', 'billableEndpointUsage', 2, 3),
    ]);
    expect(outcome.recomputedHash).not.toBe(finalized.hash);
  });

  it('late activity on days that were not billable adjusts the usage and unlicensed figures, never the billable ones', () => {
    const trialBase = { ...base, subscriptions: [subscription('c', { licenseType: 'trial', trialEndsAtMs: at('2024-03-20T00:00:00Z') }), subscription('p')] };
    const before = finalizeMonth(computeEndpointUsage({ ...trialBase, deviceDays: facts }));
    const outcome = adjustFinalizedMonth(before, computeEndpointUsage({ ...trialBase, deviceDays: [...facts, deviceDay('late', 'c', '2024-03-10')] }), at('2024-04-20T00:00:00Z'));
    if (outcome.kind === 'no_change') throw new Error('expected lines');
    expect(outcome.lines.map((l) => [l.figure, l.column, l.delta])).toEqual([
      ['usage', 'licensedEndpoints', 1],
      ['usage', 'endpointUsage', 1],
      ['usage', 'aLaCarteUsage', 1],
      ['unlicensed', 'unlicensedEndpoints', 1],
    ]);
  });

  it('older late data is returned as unbilled late data', () => {
    const late = [...facts, deviceDay('late', 'c', '2024-03-30')];
    const outcome = adjustFinalizedMonth(finalized, computeEndpointUsage({ ...base, deviceDays: late }), at('2024-06-02T00:00:00Z'));
    expect(outcome.kind).toBe('unbilled_late_data');
    // Licensed endpoints, Endpoint Usage and A la carte, as usage and as billed, and the billed endpoint figure.
    expect(outcome.kind !== 'no_change' && outcome.lines.length).toBe(7);
  });

  it('late data for a month finalized early, inside its grace window, is an adjustment like any other (issue 18)', () => {
    const late = [...facts, deviceDay('late', 'c', '2024-03-31')];
    // 2 April: the month ended a day ago, its 72 h grace window runs until 4 April; an admin finalized it early.
    const outcome = adjustFinalizedMonth(finalized, computeEndpointUsage({ ...base, deviceDays: late }), at('2024-04-02T00:00:00Z'));
    expect(outcome.kind).toBe('adjustment');
    expect(lateDataDisposition('2024-03', at('2024-04-02T00:00:00Z'), { finalized: true })).toBe('adjustment');
    expect(lateDataDisposition('2024-03', at('2024-04-02T00:00:00Z'), { finalized: false })).toBe('in_month');
  });

  it('refuses a month that has not ended, a tampered report, or another month', () => {
    const same = computeEndpointUsage({ ...base, deviceDays: facts });
    expect(() => adjustFinalizedMonth(finalized, same, at('2024-03-20T00:00:00Z'))).toThrowError(/has not ended/);
    const tampered = { ...finalized, report: { ...finalized.report, rows: finalized.report.rows.slice(1) } };
    expect(() => adjustFinalizedMonth(tampered, same, at('2024-04-20T00:00:00Z'))).toThrowError(/stored hash/);
    const april = computeEndpointUsage({ ...base, month: '2024-04', deviceDays: facts });
    expect(() => adjustFinalizedMonth(finalized, april, at('2024-05-20T00:00:00Z'))).toThrowError(/cannot compare/);
  });
});
