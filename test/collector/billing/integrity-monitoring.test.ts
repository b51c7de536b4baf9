import { describe, expect, it } from 'vitest';
import { computeEndpointUsage, type DeviceDay, type RetentionTier, type SubscriptionVersion } from '../../../collector/src/billing/index.ts';
import { at, company, deviceDay, subscription } from './fixtures.ts';

/** Tier history as subscription versions: [instant, tier]. */
function history(...changes: [string, RetentionTier][]): SubscriptionVersion[] {
  return changes.map(([instant, tier]) => subscription('c', { effectiveFromMs: at(instant), addOns: { integrityMonitoring: tier } }));
}

function imColumns(month: string, subscriptions: SubscriptionVersion[], deviceDays: DeviceDay[]) {
  const report = computeEndpointUsage({
    month,
    productType: 'endpoint_security',
    companies: [company('c')],
    subscriptions,
    deviceDays,
    xdrSensorDeployments: [],
  });
  const { integrityMonitoringUsage, integrityMonitoring90dUsage, integrityMonitoring180dUsage, integrityMonitoring1yUsage } = report.rows[0].own;
  return { all: integrityMonitoringUsage, '90d': integrityMonitoring90dUsage, '180d': integrityMonitoring180dUsage, '1y': integrityMonitoring1yUsage };
}

const im = (id: string, date: string) => deviceDay(id, 'c', date, { modules: ['antimalware', 'integrity_monitoring'] });

describe('Integrity Monitoring retention tiers', () => {
  const upgradeOn15th = history(['2024-01-01T00:00:00Z', '90d'], ['2024-03-15T10:00:00Z', '1y']);

  it.each([
    ['online only before the upgrade: the tier it was online with', ['2024-03-02', '2024-03-10'], '90d'],
    ['online after the upgrade: charged from the moment of upgrade', ['2024-03-20'], '1y'],
    ['online before and after: the highest', ['2024-03-02', '2024-03-20'], '1y'],
    ['online on the day of the upgrade: a day counts until its end', ['2024-03-15'], '1y'],
  ] as const)('upgrade mid-month, device %s -> %s', (_, dates, tier) => {
    const columns = imColumns('2024-03', upgradeOn15th, dates.map((d) => im('d', d)));
    expect(columns.all).toBe(1);
    expect(columns).toMatchObject({ '90d': 0, '180d': 0, '1y': 0, [tier]: 1 });
  });

  it('an upgrade at midnight after the last online day does not reach the device', () => {
    const upgradeAtMidnight = history(['2024-01-01T00:00:00Z', '90d'], ['2024-03-16T00:00:00Z', '1y']);
    expect(imColumns('2024-03', upgradeAtMidnight, [im('d', '2024-03-15')])).toEqual({ all: 1, '90d': 1, '180d': 0, '1y': 0 });
    expect(imColumns('2024-03', upgradeAtMidnight, [im('d', '2024-03-16')])).toEqual({ all: 1, '90d': 0, '180d': 0, '1y': 1 });
  });

  it('a downgrade is charged from the start of the following month', () => {
    const downgrade = history(['2024-01-01T00:00:00Z', '1y'], ['2024-03-10T00:00:00Z', '90d']);
    expect(imColumns('2024-03', downgrade, [im('d', '2024-03-25')])).toEqual({ all: 1, '90d': 0, '180d': 0, '1y': 1 });
    expect(imColumns('2024-04', downgrade, [im('d', '2024-04-02')])).toEqual({ all: 1, '90d': 1, '180d': 0, '1y': 0 });
  });

  it('upgrade, downgrade, upgrade in one month: a device after all of them pays the highest', () => {
    const zigzag = history(
      ['2024-01-01T00:00:00Z', '90d'],
      ['2024-03-05T00:00:00Z', '1y'],
      ['2024-03-10T00:00:00Z', 'none'],
      ['2024-03-20T00:00:00Z', '180d'],
    );
    expect(imColumns('2024-03', zigzag, [im('late', '2024-03-25'), im('early', '2024-03-03')])).toEqual({ all: 2, '90d': 1, '180d': 0, '1y': 1 });
  });

  it('the no-retention tier counts in Integrity Monitoring Usage only', () => {
    expect(imColumns('2024-03', history(['2024-01-01T00:00:00Z', 'none']), [im('d', '2024-03-02')])).toEqual({ all: 1, '90d': 0, '180d': 0, '1y': 0 });
  });

  it('a device without the module, or a company without the add-on, counts nowhere', () => {
    const noAddOn = [subscription('c')];
    expect(imColumns('2024-03', noAddOn, [im('d', '2024-03-02')]).all).toBe(0);
    expect(imColumns('2024-03', history(['2024-01-01T00:00:00Z', '1y']), [deviceDay('d', 'c', '2024-03-02')]).all).toBe(0);
  });
});
