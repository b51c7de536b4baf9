import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  EndpointForecastAccumulator, computeEndpointUsage, forecastDayLimits, forecastEndpointUsage, forecastFromReports,
  type Company, type DeviceDay, type ForecastInput,
} from '../../../collector/src/billing/index.ts';
import { ALL_ADD_ONS, MARCH, at, company, day, deviceDay, subscription } from './fixtures.ts';

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

// The forecast device by device (EndpointForecastAccumulator) against its definition in memory: the
// arithmetic (forecastFromReports) on three computeEndpointUsage reports of the rows up to today, up to
// yesterday and of the first day. Random trees, subscriptions, rows (repeats, rows outside March,
// uninstalled devices, an inactivated company), devices added in any order.
describe('the forecast device by device', () => {
  const MODULES = ['antimalware', 'edr_sensor', 'full_disk_encryption', 'central_scan', 'container_protection', 'hyperdetect'] as const;
  const companiesArb = fc.integer({ min: 1, max: 5 }).chain((n) =>
    fc.tuple(...Array.from({ length: n }, (_, i) => (i === 0 ? fc.constant(null) : fc.option(fc.integer({ min: 0, max: i - 1 }), { nil: null })))).map(
      (parents): Company[] => parents.map((parent, i) => company(`c${i}`, {
        type: parents.includes(i) ? 'partner' : 'customer',
        parentId: parent === null ? null : `c${parent}`,
        path: [],
        inactiveSinceMs: i === 2 ? at('2024-03-09T00:00:00Z') : null,
      })).map((c, _, all) => ({ ...c, path: pathOf(c.id, all) })),
    ),
  );
  const pathOf = (id: string, all: readonly Company[]): string[] => {
    const c = all.find((x) => x.id === id)!;
    return c.parentId ? [...pathOf(c.parentId, all), id] : [id];
  };
  const rowArb = (companyIds: string[]) => fc.record({
    device: fc.integer({ min: 0, max: 9 }),
    companyId: fc.constantFrom(...companyIds),
    utcDay: fc.integer({ min: day('2024-02-27'), max: day('2024-04-02') }),
    awakeSeconds: fc.constantFrom(0, 1, 3_600, 5_000, 86_400),
    virtual: fc.boolean(),
    osCompatibleWithCentralScan: fc.boolean(),
    modules: fc.subarray([...MODULES]),
    uninstalledAtMs: fc.option(fc.constantFrom(at('2024-03-04T00:00:00Z'), at('2024-03-12T06:00:00Z')), { nil: null }),
  }).map((r): DeviceDay => deviceDay(`d${r.device}`, r.companyId, '2024-03-01', { ...r, deviceId: `d${r.device}` }));
  const inputArb = companiesArb.chain((companies) => {
    const ids = companies.map((c) => c.id);
    return fc.record({
      month: fc.constant(MARCH),
      productType: fc.constantFrom('endpoint_security' as const, 'edr' as const),
      companies: fc.constant(companies),
      subscriptions: fc.tuple(...ids.map((id) => fc.record({
        productType: fc.constantFrom('endpoint_security' as const, 'edr' as const),
        minimumUsage: fc.option(fc.integer({ min: 0, max: 4 }), { nil: null }),
      }).map((s) => subscription(id, { ...s, addOns: ALL_ADD_ONS })))),
      deviceDays: fc.array(rowArb(ids), { maxLength: 50 }),
      xdrSensorDeployments: fc.constant([]),
      // From the first instant of March to its last day.
      nowMs: fc.integer({ min: at('2024-03-01T00:00:00Z'), max: at('2024-03-31T23:59:59Z') }),
    });
  });

  /** The forecast as it was defined before it streamed: three in-memory reports of the filtered rows. */
  const reference = (input: ForecastInput) => {
    const limits = forecastDayLimits(input.month, input.nowMs);
    const upTo = (last: number) => computeEndpointUsage({ ...input, deviceDays: input.deviceDays.filter((d) => d.utcDay <= last) });
    return forecastFromReports(input, { soFar: upTo(limits.soFar), throughYesterday: upTo(limits.throughYesterday), firstDay: upTo(limits.firstDay) });
  };

  it('gives the forecast of the three in-memory reports, whatever order the devices and their rows come in', () => {
    fc.assert(
      fc.property(inputArb, fc.integer(), (input, salt) => {
        const expected = reference(input);
        expect(forecastEndpointUsage(input)).toEqual(expected);
        const byDevice = new Map<string, DeviceDay[]>();
        for (const row of input.deviceDays) byDevice.set(row.deviceId, [...(byDevice.get(row.deviceId) ?? []), row]);
        const order = [...byDevice.keys()].sort((a, b) => ((hash(a, salt) - hash(b, salt)) || (a < b ? -1 : 1)));
        const streamed = new EndpointForecastAccumulator(input);
        for (const id of order) streamed.add(id, [...byDevice.get(id)!].reverse());
        expect(streamed.forecast()).toEqual(expected);
      }),
      { seed: 20_240_311, numRuns: 150 },
    );
  });

  it('keeps the example: the accumulator fed one device at a time gives the same forecast', () => {
    const nowMs = at('2024-03-11T00:00:00Z');
    const streamed = new EndpointForecastAccumulator({ ...input, nowMs });
    for (const id of new Set(deviceDays.map((d) => d.deviceId))) streamed.add(id, deviceDays.filter((d) => d.deviceId === id));
    expect(streamed.forecast()).toEqual(forecastEndpointUsage({ ...input, nowMs }));
    expect(row(streamed.forecast(), 'grow').forecastOwn.endpointUsage).toBe(40);
  });

  it('refuses a month that is not open before any device is added', () => {
    expect(() => new EndpointForecastAccumulator({ ...input, nowMs: at('2024-04-01T00:00:00Z') })).toThrowError(/closing/);
  });
});

function hash(s: string, salt: number): number {
  let h = salt | 0;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 2_654_435_761);
  return h;
}
