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

  it('late data within two months becomes adjustment lines on the finalized month', () => {
    const late = [...facts, deviceDay('late', 'c', '2024-03-30', { modules: ['full_disk_encryption'] })];
    const outcome = adjustFinalizedMonth(finalized, computeEndpointUsage({ ...base, deviceDays: late }), at('2024-04-20T00:00:00Z'));
    expect(outcome.kind).toBe('adjustment');
    if (outcome.kind === 'no_change') throw new Error('unreachable');
    expect(outcome.lines).toEqual([
      { month: '2024-03', companyId: 'c', column: 'licensedEndpoints', finalized: 2, recomputed: 3, delta: 1 },
      { month: '2024-03', companyId: 'c', column: 'endpointUsage', finalized: 2, recomputed: 3, delta: 1 },
      { month: '2024-03', companyId: 'c', column: 'aLaCarteUsage', finalized: 2, recomputed: 3, delta: 1 },
      { month: '2024-03', companyId: 'c', column: 'encryptionUsage', finalized: 0, recomputed: 1, delta: 1 },
      { month: '2024-03', companyId: 'c', column: 'billableEndpointUsage', finalized: 2, recomputed: 3, delta: 1 },
    ]);
    expect(outcome.recomputedHash).not.toBe(finalized.hash);
  });

  it('older late data is returned as unbilled late data', () => {
    const late = [...facts, deviceDay('late', 'c', '2024-03-30')];
    const outcome = adjustFinalizedMonth(finalized, computeEndpointUsage({ ...base, deviceDays: late }), at('2024-06-02T00:00:00Z'));
    expect(outcome.kind).toBe('unbilled_late_data');
    expect(outcome.kind !== 'no_change' && outcome.lines.length).toBe(4);
  });

  it('refuses to adjust a month still in its grace window, a tampered report, or another month', () => {
    const same = computeEndpointUsage({ ...base, deviceDays: facts });
    expect(() => adjustFinalizedMonth(finalized, same, at('2024-04-02T00:00:00Z'))).toThrowError(/grace window/);
    const tampered = { ...finalized, report: { ...finalized.report, rows: finalized.report.rows.slice(1) } };
    expect(() => adjustFinalizedMonth(tampered, same, at('2024-04-20T00:00:00Z'))).toThrowError(/stored hash/);
    const april = computeEndpointUsage({ ...base, month: '2024-04', deviceDays: facts });
    expect(() => adjustFinalizedMonth(finalized, april, at('2024-05-20T00:00:00Z'))).toThrowError(/cannot compare/);
  });
});
