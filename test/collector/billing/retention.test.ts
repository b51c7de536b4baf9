import { describe, expect, it } from 'vitest';
import { DAY_MS, listingRetention } from '../../../collector/src/billing/index.ts';
import { at } from './fixtures.ts';

const last = at('2024-01-01T00:00:00Z');

describe('listing retention (seed 000: devices 90 days, users 150 days)', () => {
  it.each([
    ['device', 89, true],
    ['device', 90, false],
    ['user', 90, true],
    ['user', 149, true],
    ['user', 150, false],
  ] as const)('%s inactive for %i days: visible=%s', (kind, days, visible) => {
    expect(listingRetention({ kind, lastActivityMs: last }, last + days * DAY_MS)).toEqual({
      visible,
      removeAtMs: last + (kind === 'device' ? 90 : 150) * DAY_MS,
    });
  });

  it('is visible one millisecond before removal', () => {
    expect(listingRetention({ kind: 'device', lastActivityMs: last }, last + 90 * DAY_MS - 1).visible).toBe(true);
  });

  it('never purges billing records', () => {
    expect(listingRetention({ kind: 'billing_record' }, last + 10_000 * DAY_MS)).toEqual({ visible: true, removeAtMs: null });
  });
});
