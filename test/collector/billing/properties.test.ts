// Property tests (fast-check, fixed seed) over random company trees, subscription
// histories and device-day facts.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  EndpointUsageAccumulator,
  USAGE_COLUMNS,
  UserUsageAccumulator,
  adjustFinalizedMonth,
  computeEndpointUsage,
  computeUserUsage,
  parseMonth,
  summarizeDevice,
  summarizeDeviceMonths,
  finalizeMonth,
  hashMonthlyUsage,
  UNLICENSED_REASONS,
  type Company,
  type DeviceDay,
  type EndpointUsageInput,
  type ModuleName,
  type SubscriptionVersion,
} from '../../../collector/src/billing/index.ts';
import { at, company, day, subscription } from './fixtures.ts';

const SEED = 20_240_301;
const RUNS = 150;

const MODULES: ModuleName[] = [
  'antimalware',
  'edr_sensor',
  'full_disk_encryption',
  'patch_management',
  'integrity_monitoring',
  'container_protection',
  'hyperdetect',
  'sandbox_analyzer',
  'central_scan',
];

const companiesArb = fc.integer({ min: 1, max: 7 }).chain((n) =>
  fc.tuple(...Array.from({ length: n }, (_, i) => (i === 0 ? fc.constant(null) : fc.option(fc.integer({ min: 0, max: i - 1 }), { nil: null })))).map(
    (parents): Company[] =>
      parents.map((parent, i) =>
        company(`c${i}`, {
          type: parents.includes(i) ? 'partner' : 'customer',
          parentId: parent === null ? null : `c${parent}`,
          // Some companies are inactivated mid-month.
          inactiveSinceMs: i === 3 ? at('2024-03-15T00:00:00Z') : null,
        }),
      ),
  ),
);

const versionArb = (companyId: string, effectiveFromMs: number) =>
  fc
    .record({
      productType: fc.constantFrom('endpoint_security' as const, 'edr' as const),
      protectionModel: fc.constantFrom('a_la_carte' as const, 'secure' as const, 'secure_plus' as const, 'secure_extra' as const),
      encryption: fc.boolean(),
      containerProtection: fc.boolean(),
      ats: fc.boolean(),
      edr: fc.boolean(),
      sve: fc.boolean(),
      integrityMonitoring: fc.constantFrom(null, 'none' as const, '90d' as const, '180d' as const, '1y' as const),
      xdr: fc.subarray(['identity_providers', 'productivity', 'network', 'cloud_workloads'] as const),
      mdr: fc.boolean(),
      minimumUsage: fc.option(fc.integer({ min: 0, max: 5 }), { nil: null }),
    })
    .map(
      (r): SubscriptionVersion =>
        subscription(companyId, {
          effectiveFromMs,
          productType: r.productType,
          protectionModel: r.protectionModel,
          minimumUsage: r.minimumUsage,
          services: { mdrFoundations: r.mdr },
          addOns: {
            encryption: r.encryption,
            containerProtection: r.containerProtection,
            ats: r.ats,
            edr: r.edr,
            sve: r.sve,
            integrityMonitoring: r.integrityMonitoring,
            xdr: [...r.xdr],
            patchManagement: true,
          },
        }),
    );

const deviceDayArb = (companyIds: string[]) =>
  fc
    .record({
      device: fc.integer({ min: 0, max: 11 }),
      companyId: fc.constantFrom(...companyIds),
      // A few rows fall outside March on purpose.
      utcDay: fc.integer({ min: day('2024-02-28'), max: day('2024-04-02') }),
      awakeSeconds: fc.constantFrom(0, 1, 1_800, 3_600, 3_650, 86_400),
      virtual: fc.boolean(),
      role: fc.constantFrom('server' as const, 'workstation' as const),
      platform: fc.constantFrom('windows' as const, 'linux' as const, 'darwin' as const),
      osCompatibleWithCentralScan: fc.boolean(),
      modules: fc.subarray(MODULES),
      uninstalled: fc.option(fc.constantFrom(at('2024-03-10T00:00:00Z'), at('2024-03-20T06:00:00Z')), { nil: null }),
    })
    .map(
      (r): DeviceDay => ({
        deviceId: `d${r.device}`,
        companyId: r.companyId,
        utcDay: r.utcDay,
        awakeSeconds: r.awakeSeconds,
        virtual: r.virtual,
        role: r.role,
        platform: r.platform,
        osCompatibleWithCentralScan: r.osCompatibleWithCentralScan,
        modules: r.modules,
        integrityMonitoringTier: null,
        userId: null,
        ownership: null,
        uninstalledAtMs: r.uninstalled,
      }),
    );

const inputArb: fc.Arbitrary<EndpointUsageInput> = companiesArb.chain((companies) => {
  const ids = companies.map((c) => c.id);
  const subscriptions = fc.tuple(
    ...ids.map((id) =>
      fc.tuple(versionArb(id, at('2024-01-01T00:00:00Z')), fc.option(versionArb(id, at('2024-03-12T09:00:00Z')), { nil: null })).map(
        ([first, change]) => (change ? [first, change] : [first]),
      ),
    ),
  );
  return fc.record({
    month: fc.constant('2024-03'),
    productType: fc.constantFrom('endpoint_security' as const, 'edr' as const),
    companies: fc.constant(companies),
    subscriptions: subscriptions.map((lists) => lists.flat()),
    deviceDays: fc.array(deviceDayArb(ids), { maxLength: 60 }),
    xdrSensorDeployments: fc.subarray(
      ids.flatMap((companyId) =>
        (['identity_providers', 'productivity', 'network', 'cloud_workloads'] as const).map((category) => ({ companyId, month: '2024-03', category })),
      ),
    ),
  });
});

/**
 * Licence-only changes: inactivations (of any company, partners included),
 * trials (ending or converted in or after the month), end dates with or
 * without auto-renewal. They change what is billable, never which versions
 * are in force, so never a company's product type, model or add-ons.
 */
const licenceArb = fc.record({
  inactiveSince: fc.array(fc.option(fc.constantFrom(at('2024-02-01T00:00:00Z'), at('2024-03-05T10:00:00Z'), at('2024-03-20T00:00:00Z')), { nil: null }), { minLength: 7, maxLength: 7 }),
  reactivatedPeriod: fc.array(fc.boolean(), { minLength: 7, maxLength: 7 }),
  versions: fc.array(
    fc.record({
      trialEnds: fc.option(fc.constantFrom(at('2024-03-10T00:00:00Z'), at('2024-03-15T12:00:00Z'), at('2024-04-15T00:00:00Z')), { nil: null }),
      converted: fc.option(fc.constantFrom(at('2024-03-08T09:00:00Z'), at('2024-03-25T00:00:00Z')), { nil: null }),
      endDate: fc.constantFrom(null, '2024-02-20', '2024-03-10', '2024-04-30'),
      autoRenewal: fc.boolean(),
    }),
    { minLength: 14, maxLength: 14 },
  ),
  /** Not licence-only (it removes the company's terms): used where usage columns may change. */
  withoutSubscription: fc.array(fc.boolean(), { minLength: 7, maxLength: 7 }),
});

type LicenceChange = typeof licenceArb extends fc.Arbitrary<infer T> ? T : never;

function withLicence(input: EndpointUsageInput, change: LicenceChange, opts: { dropSubscriptions: boolean }): EndpointUsageInput {
  const index = (companyId: string) => Number(companyId.slice(1));
  const companies = input.companies.map((c) => {
    const i = index(c.id);
    return {
      ...c,
      inactiveSinceMs: change.inactiveSince[i] ?? c.inactiveSinceMs,
      ...(change.reactivatedPeriod[i] ? { inactivePeriods: [{ fromMs: at('2024-03-08T00:00:00Z'), untilMs: at('2024-03-12T06:00:00Z') }] } : {}),
    };
  });
  const subscriptions = input.subscriptions
    .filter((v) => !(opts.dropSubscriptions && change.withoutSubscription[index(v.companyId)]))
    .map((v, j) => {
      const l = change.versions[j % change.versions.length];
      return {
        ...v,
        licenseType: l.trialEnds === null ? v.licenseType : ('trial' as const),
        trialEndsAtMs: l.trialEnds,
        trialConvertedAtMs: l.trialEnds === null ? null : l.converted,
        endDate: l.endDate,
        autoRenewal: l.autoRenewal,
      };
    });
  return { ...input, companies, subscriptions };
}

/** Inputs with every licence state in play: trials, end dates, inactive partners, companies without subscription. */
const licensedInputArb = fc.tuple(inputArb, licenceArb).map(([input, change]) => withLicence(input, change, { dropSubscriptions: true }));

/** The usage columns as the report defines them: everything but the billed endpoint figure. */
const ACTIVITY_COLUMNS = USAGE_COLUMNS.filter((c) => c !== 'billableEndpointUsage');

/** Deterministic Fisher-Yates with a small LCG, so a permutation is part of the generated case. */
function shuffle<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let state = seed >>> 0 || 1;
  for (let i = out.length - 1; i > 0; i--) {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    const j = state % (i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

describe('billing properties', () => {
  it("a partner's total is its own use plus the sum of its children's totals, for every column, billable and unlicensed figures alike", () => {
    fc.assert(
      fc.property(licensedInputArb, (input) => {
        const report = computeEndpointUsage(input);
        for (const row of report.rows) {
          const children = report.rows.filter((r) => r.parentId === row.companyId);
          for (const column of USAGE_COLUMNS) {
            expect(row.total[column]).toBe(row.own[column] + children.reduce((sum, child) => sum + child.total[column], 0));
            expect(row.billable.total[column]).toBe(row.billable.own[column] + children.reduce((sum, child) => sum + child.billable.total[column], 0));
          }
          expect(row.unlicensed.total.endpoints).toBe(row.unlicensed.own.endpoints + children.reduce((sum, child) => sum + child.unlicensed.total.endpoints, 0));
          for (const reason of UNLICENSED_REASONS) {
            expect(row.unlicensed.total.byReason[reason]).toBe(row.unlicensed.own.byReason[reason] + children.reduce((sum, child) => sum + child.unlicensed.total.byReason[reason], 0));
          }
          expect(UNLICENSED_REASONS.reduce((sum, r) => sum + row.unlicensed.own.byReason[r], 0)).toBe(row.unlicensed.own.endpoints);
          // The figures are the sums of the endpoint lines.
          expect(row.devices.filter((d) => d.unlicensed !== null).length).toBe(row.unlicensed.own.endpoints);
        }
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('billable quantities never exceed the usage columns plus the minimum', () => {
    fc.assert(
      fc.property(licensedInputArb, (input) => {
        for (const row of computeEndpointUsage(input).rows) {
          for (const column of ACTIVITY_COLUMNS) {
            expect(row.billable.own[column]).toBeLessThanOrEqual(row.own[column]);
            expect(row.billable.total[column]).toBeLessThanOrEqual(row.total[column]);
          }
          expect(row.billable.own.billableEndpointUsage).toBeLessThanOrEqual(Math.max(row.own.endpointUsage, row.minimumUsage ?? 0));
          expect(row.billable.own.billableEndpointUsage).toBe(row.minimumApplies ? Math.max(row.billable.own.endpointUsage, row.minimumUsage!) : row.billable.own.endpointUsage);
          expect(row.own.billableEndpointUsage).toBe(row.billable.own.billableEndpointUsage);
        }
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('usage columns are unchanged by licence state (trials, end dates, auto-renewal, inactivation of any company)', () => {
    let changedBilling = 0;
    fc.assert(
      fc.property(inputArb, licenceArb, (input, change) => {
        const plain = computeEndpointUsage(input);
        const licensed = computeEndpointUsage(withLicence(input, change, { dropSubscriptions: false }));
        const activity = (report: typeof plain) => report.rows.map((r) => ({
          id: r.companyId, own: ACTIVITY_COLUMNS.map((c) => r.own[c]), total: ACTIVITY_COLUMNS.map((c) => r.total[c]), lines: r.devices.map((d) => [d.deviceId, d.columns]),
        }));
        expect(activity(licensed)).toEqual(activity(plain));
        if (licensed.rows.some((r, i) => r.billable.own.licensedEndpoints !== plain.rows[i].billable.own.licensedEndpoints)) changedBilling++;
      }),
      { seed: SEED, numRuns: RUNS },
    );
    // The property is not vacuous: licence changes did change what was billed.
    expect(changedBilling).toBeGreaterThan(RUNS / 4);
  });

  it('every active device is either billed once or unlicensed once, across both product types\' reports, never both', () => {
    fc.assert(
      fc.property(licensedInputArb, (input) => {
        const reports = (['endpoint_security', 'edr'] as const).map((productType) => computeEndpointUsage({ ...input, productType }));
        const billed = reports.flatMap((r) => r.rows.flatMap((row) => row.devices.filter((d) => d.billed && d.billedCompanyId === row.companyId && row.inReport).map((d) => d.deviceId)));
        const unlicensed = new Set(reports.flatMap((r) => r.rows.flatMap((row) => row.devices.filter((d) => d.unlicensed !== null).map((d) => d.deviceId))));
        expect(new Set(billed).size).toBe(billed.length);
        for (const id of billed) expect(unlicensed.has(id)).toBe(false);
        const month = parseMonth(input.month);
        const activeIds = summarizeDeviceMonths(input.deviceDays, month, new Map(input.companies.map((c) => [c.id, c])))
          .filter((d) => d.billedCompanyId !== null).map((d) => d.deviceId).sort();
        expect([...billed, ...unlicensed].sort()).toEqual(activeIds);
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('a device is billed to at most one company: roots together count each billable device once', () => {
    fc.assert(
      fc.property(licensedInputArb, (input) => {
        const report = computeEndpointUsage(input);
        const billedHere = report.rows.flatMap((r) => r.devices.filter((d) => d.billed && d.billedCompanyId === r.companyId && r.inReport));
        const ids = billedHere.map((d) => d.deviceId);
        expect(new Set(ids).size).toBe(ids.length);
        const rootsTotal = report.rows.filter((r) => r.parentId === null).reduce((sum, r) => sum + r.billable.total.licensedEndpoints, 0);
        expect(rootsTotal).toBe(ids.length);
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('core buckets never exceed licensed endpoints, per company', () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        for (const { own } of computeEndpointUsage(input).rows) {
          expect(own.endpointUsage + own.sveVsUsage + own.containerProtectionUsage).toBeLessThanOrEqual(own.licensedEndpoints);
          expect(own.aLaCarteUsage + own.secureUsage + own.securePlusUsage + own.secureExtraUsage).toBeLessThanOrEqual(own.endpointUsage);
        }
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('delivering the same facts twice, in any order, changes nothing', () => {
    fc.assert(
      fc.property(licensedInputArb, fc.integer(), (input, seed) => {
        const once = computeEndpointUsage(input);
        const twice = computeEndpointUsage({
          ...input,
          companies: shuffle(input.companies, seed),
          subscriptions: shuffle([...input.subscriptions, ...input.subscriptions], seed + 1),
          deviceDays: shuffle([...input.deviceDays, ...input.deviceDays], seed + 2),
          xdrSensorDeployments: shuffle([...input.xdrSensorDeployments, ...input.xdrSensorDeployments], seed + 3),
        });
        expect(twice).toEqual(once);
        expect(hashMonthlyUsage(twice)).toBe(hashMonthlyUsage(once));
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('recomputing a finalized month from the same facts gives the same hash and no adjustment', () => {
    fc.assert(
      fc.property(inputArb, fc.integer(), (input, seed) => {
        const finalized = finalizeMonth(computeEndpointUsage(input));
        const recomputed = computeEndpointUsage({ ...input, deviceDays: shuffle(input.deviceDays, seed) });
        expect(hashMonthlyUsage(recomputed)).toBe(finalized.hash);
        expect(adjustFinalizedMonth(finalized, recomputed, at('2024-05-10T00:00:00Z')).kind).toBe('no_change');
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  // The streaming form (one device at a time, as a month too large to hold is computed) against the in-memory one.
  const byDevice = (rows: readonly DeviceDay[]) => {
    const groups = new Map<string, DeviceDay[]>();
    for (const row of rows) groups.set(row.deviceId, [...(groups.get(row.deviceId) ?? []), row]);
    return [...groups.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  };

  it('summarizes a device from its own rows (any order, with repeats) as the month of all devices does', () => {
    fc.assert(
      fc.property(inputArb, fc.integer(), (input, seed) => {
        const month = parseMonth(input.month);
        const companies = new Map(input.companies.map((c) => [c.id, c]));
        const all = summarizeDeviceMonths(input.deviceDays, month, companies);
        const oneByOne = byDevice(shuffle([...input.deviceDays, ...input.deviceDays], seed))
          .map(([id, rows]) => summarizeDevice(id, rows, month, companies))
          .filter((d) => d !== null);
        expect(oneByOne).toEqual(all);
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('gives the same rows device by device as in memory; the summary form only leaves the lines out', () => {
    fc.assert(
      fc.property(licensedInputArb, (input) => {
        const full = computeEndpointUsage(input);
        const usage = new EndpointUsageAccumulator(input);
        const lines = byDevice(input.deviceDays).flatMap(([id, rows]) => {
          const device = summarizeDevice(id, rows, usage.month, usage.companies);
          return device ? usage.add(device) : [];
        });
        const summary = usage.report();
        expect(summary).toEqual({ ...full, rows: full.rows.map((r) => ({ ...r, devices: [] })) });
        for (const row of full.rows) expect(row.deviceCount).toBe(row.devices.length);
        expect(lines).toEqual(full.rows.flatMap((r) => r.devices).sort((a, b) => (a.deviceId < b.deviceId ? -1 : a.deviceId > b.deviceId ? 1 : a.companyId < b.companyId ? -1 : 1)));
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('counts users and standalone devices the same in the summary form as with every line item', () => {
    fc.assert(
      fc.property(licensedInputArb, (input) => {
        // Two users sharing the 12 devices (so allowances overflow), mostly personal; some rows
        // without a user or ownership, so the device's last billable day decides.
        const deviceDays = input.deviceDays.map((d, i): DeviceDay => {
          const n = Number(d.deviceId.slice(1));
          return { ...d, userId: i % 7 === 0 ? null : `u${n % 2}`, ownership: i % 11 === 0 ? null : n % 4 === 0 ? 'corporate' : 'personal' };
        });
        const users = [{ userId: 'u0', companyId: input.companies[0].id, groupIds: [], primaryDeviceId: 'd1' }];
        const userInput = { month: input.month, companies: input.companies, users, subscriptions: input.subscriptions, deviceDays };
        const withLines = computeUserUsage(userInput);
        const summary = new UserUsageAccumulator(userInput, 'summary');
        for (const [id, rows] of byDevice(deviceDays)) {
          const device = summarizeDevice(id, rows, summary.month, summary.companies);
          if (device) summary.add(device);
        }
        expect(summary.report()).toEqual({ ...withLines, companies: withLines.companies.map((c) => ({ ...c, lines: [] })) });
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });
});
