// The daily charts (the PDF's add-on chart, the console's usage chart) one
// device at a time against their definitions in memory: the code as it was
// before it streamed, kept here as the reference. Random rows: repeats of a
// device-day (also at two companies), rows outside the month, sleep,
// uninstalls, several companies and a company filter; devices added in any order.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DAY_MS, formatDay, parseMonth, type DeviceDay, type ModuleName } from '../../../collector/src/billing/index.ts';
import { DailyChartAccumulator, dailyChart, dailyChartOf, type DailyChart } from '../../../collector/src/console/data.ts';
import { CHART_ADD_ONS, CHART_ADD_ON_LABELS, dailyAddOnUsage, type ChartAddOn, type DailyAddOnUsage } from '../../../collector/src/reports/index.ts';
import { DailyAddOnAccumulator } from '../../../collector/src/reports/daily.ts';
import { rowsByDevice } from '../../../collector/src/billing/index.ts';
import { at, day, deviceDay } from '../billing/fixtures.ts';

const MONTH = '2024-03';
const MODULES: ModuleName[] = ['antimalware', 'full_disk_encryption', 'patch_management', 'integrity_monitoring', 'container_protection', 'hyperdetect', 'sandbox_analyzer', 'edr_sensor', 'central_scan'];
const ADD_ON_MODULES: Record<ChartAddOn, readonly ModuleName[]> = {
  encryption: ['full_disk_encryption'], patchManagement: ['patch_management'], integrityMonitoring: ['integrity_monitoring'],
  containerProtection: ['container_protection'], ats: ['hyperdetect', 'sandbox_analyzer'], edr: ['edr_sensor'], sve: ['central_scan'],
};

/** dailyAddOnUsage as it was: per-day maps of every device id of the month. */
function referenceAddOns(month: string, deviceDays: Iterable<DeviceDay>, companyIds: ReadonlySet<string> | null = null): DailyAddOnUsage {
  const m = parseMonth(month);
  const perDay: Map<string, number>[] = Array.from({ length: m.days }, () => new Map());
  for (const row of deviceDays) {
    if (row.utcDay < m.firstDay || row.utcDay >= m.endDay) continue;
    if (row.awakeSeconds <= 0) continue;
    if (row.uninstalledAtMs !== null && row.uninstalledAtMs < row.utcDay * DAY_MS) continue;
    if (companyIds && !companyIds.has(row.companyId)) continue;
    let mask = 0;
    CHART_ADD_ONS.forEach((addOn, bit) => {
      if (ADD_ON_MODULES[addOn].some((mod) => row.modules.includes(mod))) mask |= 1 << bit;
    });
    if (mask === 0) continue;
    const d = perDay[row.utcDay - m.firstDay];
    d.set(row.deviceId, (d.get(row.deviceId) ?? 0) | mask);
  }
  const series = Object.fromEntries(CHART_ADD_ONS.map((a) => [a, new Array<number>(m.days).fill(0)])) as Record<ChartAddOn, number[]>;
  perDay.forEach((devices, i) => {
    for (const mask of devices.values()) CHART_ADD_ONS.forEach((addOn, bit) => { if (mask & (1 << bit)) series[addOn][i]++; });
  });
  return { month: m.id, days: Array.from({ length: m.days }, (_, i) => formatDay(m.firstDay + i)), series };
}

/** dailyChart as it was: per-day Sets of every device id of the month. */
function referenceChart(month: string, deviceDays: readonly DeviceDay[], nowMs: number, companyIds: ReadonlySet<string>): DailyChart {
  const m = parseMonth(month);
  const daysSoFar = Math.max(0, Math.min(m.days, Math.floor(nowMs / DAY_MS) - m.firstDay + 1));
  const active: Set<string>[] = Array.from({ length: m.days }, () => new Set());
  for (const row of deviceDays) {
    if (row.utcDay < m.firstDay || row.utcDay >= m.endDay || row.awakeSeconds <= 0) continue;
    if (row.uninstalledAtMs !== null && row.uninstalledAtMs < row.utcDay * DAY_MS) continue;
    if (!companyIds.has(row.companyId)) continue;
    active[row.utcDay - m.firstDay].add(row.deviceId);
  }
  const addOns = referenceAddOns(m.id, deviceDays, companyIds);
  const series: { key: string; label: string; values: readonly number[] }[] = [{ key: 'active', label: 'Active endpoints', values: active.map((s) => s.size) }];
  for (const a of CHART_ADD_ONS) if (addOns.series[a].some((v) => v > 0)) series.push({ key: a, label: CHART_ADD_ON_LABELS[a], values: addOns.series[a] });
  return { month: m.id, days: Array.from({ length: m.days }, (_, i) => formatDay(m.firstDay + i)), series, daysSoFar };
}

const rowArb = fc.record({
  device: fc.integer({ min: 0, max: 8 }),
  companyId: fc.constantFrom('c0', 'c1', 'c2'),
  // Near the month's edges and a few days in: repeats of a device-day are frequent.
  utcDay: fc.oneof(fc.integer({ min: day('2024-02-28'), max: day('2024-03-04') }), fc.integer({ min: day('2024-03-29'), max: day('2024-04-02') })),
  awakeSeconds: fc.constantFrom(0, 1, 3_600, 86_400),
  modules: fc.subarray(MODULES),
  uninstalledAtMs: fc.option(fc.constantFrom(at('2024-03-02T00:00:00Z'), at('2024-03-02T10:00:00Z'), at('2024-03-30T00:00:00Z')), { nil: null }),
}).map((r): DeviceDay => deviceDay(`d${r.device}`, r.companyId, '2024-03-01', { ...r, deviceId: `d${r.device}` }));
const companiesArb = fc.option(fc.subarray(['c0', 'c1', 'c2']).map((ids) => new Set(ids)), { nil: null });

/** The rows device by device, devices in an order given by `salt`, each device's rows reversed. */
function devicesShuffled(rows: readonly DeviceDay[], salt: number): [string, DeviceDay[]][] {
  const score = (s: string) => { let h = salt | 0; for (const ch of s) h = Math.imul(h ^ ch.charCodeAt(0), 2_654_435_761); return h; };
  return [...rowsByDevice(rows)].map(([id, list]): [string, DeviceDay[]] => [id, [...list].reverse()]).sort(([a], [b]) => score(a) - score(b) || (a < b ? -1 : 1));
}

describe('daily charts device by device', () => {
  it('DailyAddOnAccumulator gives the in-memory add-on series, with or without a company filter, in any device order', () => {
    fc.assert(fc.property(fc.array(rowArb, { maxLength: 60 }), companiesArb, fc.integer(), (rows, companies, salt) => {
      const expected = referenceAddOns(MONTH, rows, companies);
      expect(dailyAddOnUsage(MONTH, rows, companies)).toEqual(expected);
      const streamed = new DailyAddOnAccumulator(MONTH, companies);
      for (const [id, list] of devicesShuffled(rows, salt)) streamed.add(id, list);
      expect(streamed.result()).toEqual(expected);
    }), { seed: 20_240_312, numRuns: 300 });
  });

  it('DailyChartAccumulator and dailyChartOf give the in-memory console chart, in any device order and pages', async () => {
    await fc.assert(fc.asyncProperty(fc.array(rowArb, { maxLength: 60 }), companiesArb, fc.integer(), fc.integer({ min: 1, max: 4 }),
      fc.integer({ min: at('2024-02-20T00:00:00Z'), max: at('2024-04-10T00:00:00Z') }), async (rows, companies, salt, pageSize, nowMs) => {
        const shown = companies ?? new Set(['c0', 'c1', 'c2']);
        const expected = referenceChart(MONTH, rows, nowMs, shown);
        expect(dailyChart(MONTH, rows, nowMs, shown)).toEqual(expected);
        const devices = devicesShuffled(rows, salt);
        const chart = new DailyChartAccumulator(MONTH, nowMs, shown);
        for (const [id, list] of devices) chart.add(id, list);
        expect(chart.chart()).toEqual(expected);
        async function* pages() {
          for (let i = 0; i < devices.length; i += pageSize) yield devices.slice(i, i + pageSize).map(([deviceId, days]) => ({ deviceId, days }));
        }
        expect(await dailyChartOf(MONTH, pages(), nowMs, shown)).toEqual(expected);
      }), { seed: 20_240_313, numRuns: 200 });
  });

  it('counts a device once per day when its rows of the day are at two companies, and refuses rows of another device', () => {
    const rows = [
      deviceDay('x', 'c1', '2024-03-05', { modules: ['full_disk_encryption'] }),
      deviceDay('x', 'c2', '2024-03-05', { modules: ['full_disk_encryption', 'edr_sensor'] }),
    ];
    const addOns = new DailyAddOnAccumulator(MONTH);
    addOns.add('x', rows);
    expect(addOns.result().series.encryption[4]).toBe(1);
    expect(addOns.result().series.edr[4]).toBe(1);
    const chart = new DailyChartAccumulator(MONTH, at('2024-03-10T00:00:00Z'), new Set(['c1', 'c2']));
    chart.add('x', rows);
    expect(chart.chart().series[0].values[4]).toBe(1);
    expect(() => addOns.add('y', rows)).toThrowError(/row of device x/);
    expect(() => chart.add('y', rows)).toThrowError(/row of device x/);
  });
});
