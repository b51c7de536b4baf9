import { describe, expect, it } from 'vitest';
import { forecastEndpointUsage, type DeviceDay } from '../../../collector/src/billing/index.ts';
import { ALL_ADD_ONS, MARCH, at, company, deviceDay, subscription } from './fixtures.ts';

const dates = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => `2024-03-${String(from + i).padStart(2, '0')}`);

// Customer 'grow': 10 endpoints on March 1st, then one new endpoint per day through the 10th (19 so far).
// Customer 'vdi': one SVE virtual workstation, 1 h a day (10 h so far), minimum usage 50.
const deviceDays: DeviceDay[] = [
  ...Array.from({ length: 10 }, (_, i) => deviceDay(`first-${i}`, 'grow', '2024-03-01')),
  ...dates(2, 10).map((date, i) => deviceDay(`new-${i}`, 'grow', date)),
  ...dates(1, 10).map((date) =>
    deviceDay('vdi', 'vdi', date, { virtual: true, osCompatibleWithCentralScan: true, modules: ['central_scan'], awakeSeconds: 3_600 }),
  ),
];
const input = {
  month: MARCH,
  productType: 'endpoint_security' as const,
  companies: [company('p', { type: 'partner' }), company('grow', { parentId: 'p' }), company('vdi', { parentId: 'p' })],
  subscriptions: [subscription('grow'), subscription('vdi', { addOns: ALL_ADD_ONS, minimumUsage: 50 }), subscription('p')],
  deviceDays,
  xdrSensorDeployments: [],
};
const row = (f: ReturnType<typeof forecastEndpointUsage>, id: string) => f.rows.find((r) => r.companyId === id)!;

describe('forecastEndpointUsage', () => {
  const forecast = forecastEndpointUsage({ ...input, nowMs: at('2024-03-11T00:00:00Z') });

  it('adds the run-rate of newly appearing endpoints to the endpoints seen so far', () => {
    expect(forecast.runRateDays).toBe(9);
    expect(forecast.remainingDays).toBe(21);
    expect(row(forecast, 'grow').soFar.endpointUsage).toBe(19);
    // 19 seen + 1 new per day x 21 days left.
    expect(row(forecast, 'grow').forecastOwn.endpointUsage).toBe(40);
  });

  it('extrapolates SVE: VDI hours per day over the whole month, and applies minimum usage', () => {
    expect(row(forecast, 'vdi').soFar.sveVdiHours).toBe(10);
    expect(row(forecast, 'vdi').forecastOwn.sveVdiHours).toBe(31);
    expect(row(forecast, 'vdi').forecastOwn.billableEndpointUsage).toBe(50);
  });

  it('rolls the forecast up the tree', () => {
    expect(row(forecast, 'p').forecastTotal).toMatchObject({ endpointUsage: 40, sveVdiHours: 31, licensedEndpoints: 41, billableEndpointUsage: 90 });
  });

  it('ignores rows dated after now', () => {
    const withFuture = forecastEndpointUsage({ ...input, deviceDays: [...deviceDays, deviceDay('future', 'grow', '2024-03-20')], nowMs: at('2024-03-11T00:00:00Z') });
    expect(row(withFuture, 'grow').soFar.endpointUsage).toBe(19);
  });

  it('without two complete days there is no run-rate: the forecast is what was seen', () => {
    const early = forecastEndpointUsage({ ...input, nowMs: at('2024-03-02T12:00:00Z') });
    expect(early.runRateDays).toBe(0);
    expect(row(early, 'grow').forecastOwn.endpointUsage).toBe(row(early, 'grow').soFar.endpointUsage);
    expect(row(early, 'grow').soFar.endpointUsage).toBe(11);
  });

  it('only forecasts the open month', () => {
    expect(() => forecastEndpointUsage({ ...input, nowMs: at('2024-04-01T00:00:00Z') })).toThrowError(/closing/);
    expect(() => forecastEndpointUsage({ ...input, nowMs: at('2024-02-01T00:00:00Z') })).toThrowError(/future/);
  });
});
