import { describe, expect, it } from 'vitest';
import { canonicalJson, computeEndpointUsage, hashMonthlyUsage } from '../../../collector/src/billing/index.ts';
import { MARCH, company, deviceDay, subscription } from './fixtures.ts';

describe('canonicalJson', () => {
  it('sorts keys at every depth and drops undefined members', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { z: 1, y: undefined, x: 0 }], c: null } })).toBe(
      '{"a":{"c":null,"d":[2,{"x":0,"z":1}]},"b":1}',
    );
  });

  it('refuses values that have no JSON form', () => {
    expect(() => canonicalJson({ a: Number.NaN })).toThrowError(/non-finite number at \$\.a/);
    expect(() => canonicalJson({ a: () => 1 })).toThrowError(/function/);
  });
});

describe('hashMonthlyUsage', () => {
  const input = {
    month: MARCH,
    productType: 'endpoint_security' as const,
    companies: [company('a'), company('b')],
    subscriptions: [subscription('a'), subscription('b')],
    deviceDays: [deviceDay('d1', 'a', '2024-03-02'), deviceDay('d2', 'b', '2024-03-03'), deviceDay('d3', 'a', '2024-03-04')],
    xdrSensorDeployments: [],
  };

  it('is a sha256 hex digest that ignores row and device order', () => {
    const report = computeEndpointUsage(input);
    const shuffled = {
      ...report,
      rows: [...report.rows].reverse().map((row) => ({ ...row, devices: [...row.devices].reverse() })),
    };
    expect(hashMonthlyUsage(report)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashMonthlyUsage(shuffled)).toBe(hashMonthlyUsage(report));
  });

  it('changes when a number changes', () => {
    const report = computeEndpointUsage(input);
    const more = computeEndpointUsage({ ...input, deviceDays: [...input.deviceDays, deviceDay('d4', 'b', '2024-03-09')] });
    expect(hashMonthlyUsage(more)).not.toBe(hashMonthlyUsage(report));
  });
});
