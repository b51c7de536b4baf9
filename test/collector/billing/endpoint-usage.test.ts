import { describe, expect, it } from 'vitest';
import {
  computeEndpointUsage,
  vdiHours,
  type Company,
  type DeviceDay,
  type SubscriptionVersion,
  type XdrSensorDeployment,
} from '../../../collector/src/billing/index.ts';
import { ALL_ADD_ONS, MARCH, at, company, deviceDay, subscription } from './fixtures.ts';

interface Scenario {
  companies?: Company[];
  subscriptions?: SubscriptionVersion[];
  deviceDays: DeviceDay[];
  xdr?: XdrSensorDeployment[];
}

/** One customer 'c' by default, A la carte, every add-on enabled. */
function report({ companies, subscriptions, deviceDays, xdr }: Scenario) {
  return computeEndpointUsage({
    month: MARCH,
    productType: 'endpoint_security',
    companies: companies ?? [company('c')],
    subscriptions: subscriptions ?? [subscription('c', { addOns: ALL_ADD_ONS })],
    deviceDays,
    xdrSensorDeployments: xdr ?? [],
  });
}

function own(r: ReturnType<typeof report>, companyId = 'c') {
  return r.rows.find((row) => row.companyId === companyId)!.own;
}

function row(r: ReturnType<typeof report>, companyId = 'c') {
  return r.rows.find((x) => x.companyId === companyId)!;
}

const sveVm = (overrides: Partial<DeviceDay> = {}): Partial<DeviceDay> => ({
  virtual: true,
  osCompatibleWithCentralScan: true,
  modules: ['antimalware', 'central_scan'],
  ...overrides,
});

describe('an endpoint counts once when it was protected at any time in the month', () => {
  it('counts distinct devices, not device-days', () => {
    const days = Array.from({ length: 20 }, (_, i) => deviceDay('d1', 'c', `2024-03-${String(i + 1).padStart(2, '0')}`));
    const r = report({ deviceDays: [...days, deviceDay('d2', 'c', '2024-03-31', { awakeSeconds: 1 })] });
    expect(own(r).licensedEndpoints).toBe(2);
    expect(own(r).endpointUsage).toBe(2);
    expect(own(r).aLaCarteUsage).toBe(2);
  });

  it('does not count a device that only slept: sleep is not uptime', () => {
    const r = report({ deviceDays: [deviceDay('asleep', 'c', '2024-03-05', { awakeSeconds: 0 }), deviceDay('up', 'c', '2024-03-05')] });
    expect(own(r).licensedEndpoints).toBe(1);
    const line = row(r).devices.find((d) => d.deviceId === 'asleep')!;
    expect(line.billed).toBe(false);
    expect(line.billingNote).toMatch(/sleep is not uptime/);
  });

  it('ignores rows outside the month (last day of February, first of April)', () => {
    const r = report({ deviceDays: [deviceDay('feb', 'c', '2024-02-29'), deviceDay('apr', 'c', '2024-04-01'), deviceDay('mar', 'c', '2024-03-31')] });
    expect(own(r).licensedEndpoints).toBe(1);
    expect(row(r).devices.map((d) => d.deviceId)).toEqual(['mar']);
  });
});

describe('Endpoint Usage, SVE and Container Protection', () => {
  it('licensed endpoints include SVE and container hosts; Endpoint Usage excludes them', () => {
    const r = report({
      deviceDays: [
        deviceDay('plain', 'c', '2024-03-02'),
        deviceDay('vs', 'c', '2024-03-02', sveVm({ role: 'server' })),
        deviceDay('vdi', 'c', '2024-03-02', sveVm({ role: 'workstation', awakeSeconds: 3_650 })),
        deviceDay('container', 'c', '2024-03-02', { modules: ['antimalware', 'container_protection'] }),
      ],
    });
    expect(own(r)).toMatchObject({
      licensedEndpoints: 4,
      endpointUsage: 1,
      aLaCarteUsage: 1,
      sveVsUsage: 1,
      sveVdiHours: 2,
      containerProtectionUsage: 1,
    });
  });

  it.each([
    ['SVE not enabled for the company', { sve: false }, sveVm({ role: 'server' })],
    ['endpoint is physical', {}, sveVm({ role: 'server', virtual: false })],
    ['no Central Scan', {}, sveVm({ role: 'server', modules: ['antimalware'] })],
    ['OS not compatible with Central Scan', {}, sveVm({ role: 'server', osCompatibleWithCentralScan: false })],
  ])('is Endpoint Usage, not SVE: VS, when %s', (_, addOns, facts) => {
    const r = report({
      subscriptions: [subscription('c', { addOns: { ...ALL_ADD_ONS, ...addOns } })],
      deviceDays: [deviceDay('vm', 'c', '2024-03-02', facts)],
    });
    expect(own(r).sveVsUsage).toBe(0);
    expect(own(r).endpointUsage).toBe(1);
  });

  it('treats a Linux virtual machine as a virtual server', () => {
    const r = report({ deviceDays: [deviceDay('linux-vm', 'c', '2024-03-02', sveVm({ role: 'workstation', platform: 'linux' }))] });
    expect(own(r).sveVsUsage).toBe(1);
    expect(own(r).sveVdiHours).toBe(0);
  });

  it('deducts Container Protection on an SVE virtual server from SVE: VS', () => {
    const r = report({
      deviceDays: [deviceDay('vs-container', 'c', '2024-03-02', sveVm({ role: 'server', modules: ['central_scan', 'container_protection'] }))],
    });
    expect(own(r)).toMatchObject({ licensedEndpoints: 1, containerProtectionUsage: 1, sveVsUsage: 0, endpointUsage: 0 });
    const reason = row(r).devices[0].reasons.find((x) => x.column === 'containerProtectionUsage')!;
    expect(reason.text).toMatch(/deducted from SVE: VS/);
  });

  it('deducts Container Protection elsewhere from Endpoint Usage', () => {
    const r = report({ deviceDays: [deviceDay('host', 'c', '2024-03-02', { role: 'server', modules: ['container_protection'] })] });
    expect(own(r)).toMatchObject({ licensedEndpoints: 1, containerProtectionUsage: 1, endpointUsage: 0 });
    expect(row(r).devices[0].reasons.find((x) => x.column === 'containerProtectionUsage')!.text).toMatch(/deducted from Endpoint Usage/);
  });
});

describe('SVE: VDI hours, rounded up per endpoint', () => {
  it.each([
    [1, 1],
    [3_599, 1],
    [3_600, 1],
    [3_650, 2],
    [7_200, 2],
    [7_201, 3],
  ])('%i s of uptime is %i h', (seconds, hours) => {
    expect(vdiHours(seconds)).toBe(hours);
  });

  it('sums an endpoint over the month, then rounds: 1,800 s on two days is 1 h', () => {
    const r = report({
      deviceDays: [
        deviceDay('vdi', 'c', '2024-03-02', sveVm({ awakeSeconds: 1_800 })),
        deviceDay('vdi', 'c', '2024-03-03', sveVm({ awakeSeconds: 1_800 })),
      ],
    });
    expect(own(r).sveVdiHours).toBe(1);
  });

  it('rounds each endpoint separately: two endpoints of 1,800 s are 2 h (the seed CSV recipe would give 1 h)', () => {
    const r = report({
      deviceDays: [deviceDay('vdi-1', 'c', '2024-03-02', sveVm({ awakeSeconds: 1_800 })), deviceDay('vdi-2', 'c', '2024-03-02', sveVm({ awakeSeconds: 1_800 }))],
    });
    expect(own(r).sveVdiHours).toBe(2);
  });
});

describe('protection models', () => {
  const versions = (...models: SubscriptionVersion['protectionModel'][]) =>
    models.map((protectionModel, i) =>
      subscription('c', { protectionModel, effectiveFromMs: at(`2024-03-${String(2 + i * 5).padStart(2, '0')}T00:00:00Z`), addOns: ALL_ADD_ONS }),
    );

  it.each([
    [['a_la_carte'], 'aLaCarteUsage'],
    [['a_la_carte', 'secure'], 'secureUsage'],
    [['secure', 'a_la_carte'], 'secureUsage'],
    [['secure_plus', 'secure', 'a_la_carte'], 'securePlusUsage'],
    [['a_la_carte', 'secure_extra', 'secure_plus'], 'secureExtraUsage'],
  ] as const)('models used %j: endpoints count under %s only', (models, column) => {
    const r = report({ subscriptions: versions(...models), deviceDays: [deviceDay('d1', 'c', '2024-03-20'), deviceDay('d2', 'c', '2024-03-21')] });
    const modelColumns = { aLaCarteUsage: 0, secureUsage: 0, securePlusUsage: 0, secureExtraUsage: 0, [column]: 2 };
    expect(own(r)).toMatchObject(modelColumns);
  });

  it('a model in force only before the month does not count', () => {
    const subs = [
      subscription('c', { protectionModel: 'secure_extra', effectiveFromMs: at('2024-01-01T00:00:00Z') }),
      subscription('c', { protectionModel: 'secure', effectiveFromMs: at('2024-03-01T00:00:00Z') }),
    ];
    const r = report({ subscriptions: subs, deviceDays: [deviceDay('d1', 'c', '2024-03-02')] });
    expect(own(r).secureUsage).toBe(1);
    expect(own(r).secureExtraUsage).toBe(0);
  });

  const everything = (): DeviceDay =>
    deviceDay('d1', 'c', '2024-03-02', {
      modules: ['antimalware', 'edr_sensor', 'hyperdetect', 'full_disk_encryption', 'patch_management'],
    });
  const xdrAll: XdrSensorDeployment[] = (['identity_providers', 'productivity', 'network', 'cloud_workloads'] as const).map((category) => ({
    companyId: 'c',
    month: MARCH,
    category,
  }));

  it.each([
    ['a_la_carte', { atsUsage: 1, edrUsage: 1, mdrFoundationsUsage: 1, xdrNetworkUsage: 1 }],
    ['secure', { atsUsage: 0, edrUsage: 0, mdrFoundationsUsage: 1, xdrNetworkUsage: 1 }],
    ['secure_plus', { atsUsage: 0, edrUsage: 0, mdrFoundationsUsage: 0, xdrNetworkUsage: 1 }],
    ['secure_extra', { atsUsage: 0, edrUsage: 0, mdrFoundationsUsage: 0, xdrNetworkUsage: 0 }],
  ] as const)('%s: included add-ons show 0, the rest count', (protectionModel, expected) => {
    const r = report({
      subscriptions: [subscription('c', { protectionModel, addOns: ALL_ADD_ONS, services: { mdrFoundations: true } })],
      deviceDays: [everything()],
      xdr: xdrAll,
    });
    // Encryption and Patch Management are never included in a model.
    expect(own(r)).toMatchObject({ ...expected, encryptionUsage: 1, patchManagementUsage: 1 });
    expect(row(r).enabled.ats).toBe(true);
  });
});

describe('add-ons', () => {
  it('counts endpoints with the add-on installed during the month; ATS is HyperDetect or Sandbox Analyzer, once', () => {
    const r = report({
      deviceDays: [
        deviceDay('fde', 'c', '2024-03-02', { modules: ['antimalware', 'full_disk_encryption'] }),
        deviceDay('fde', 'c', '2024-03-03', { modules: ['antimalware'] }),
        deviceDay('pm', 'c', '2024-03-02', { modules: ['patch_management'] }),
        deviceDay('both-ats', 'c', '2024-03-02', { modules: ['hyperdetect', 'sandbox_analyzer'] }),
        deviceDay('sandbox', 'c', '2024-03-02', { modules: ['sandbox_analyzer'] }),
        deviceDay('edr', 'c', '2024-03-02', { modules: ['edr_sensor'] }),
      ],
    });
    expect(own(r)).toMatchObject({ licensedEndpoints: 5, encryptionUsage: 1, patchManagementUsage: 1, atsUsage: 2, edrUsage: 1 });
  });

  it('a module installed only on a day without awake time does not count', () => {
    const r = report({
      deviceDays: [
        deviceDay('d1', 'c', '2024-03-02', { modules: ['antimalware'] }),
        deviceDay('d1', 'c', '2024-03-03', { modules: ['full_disk_encryption'], awakeSeconds: 0 }),
      ],
    });
    expect(own(r).encryptionUsage).toBe(0);
  });

  it('an add-on that is not enabled is not billed, and is marked not enabled', () => {
    const r = report({
      subscriptions: [subscription('c', { addOns: { encryption: false } })],
      deviceDays: [deviceDay('fde', 'c', '2024-03-02', { modules: ['full_disk_encryption'] })],
    });
    expect(own(r).encryptionUsage).toBe(0);
    expect(row(r).enabled.encryption).toBe(false);
    expect(row(r).devices[0].reasons.find((x) => x.column === 'encryptionUsage')!.rule).toBe('add-on-not-enabled');
  });

  it('MDR Foundations counts endpoints with EDR installed in companies with the service', () => {
    const deviceDays = [deviceDay('edr', 'c', '2024-03-02', { modules: ['edr_sensor'] }), deviceDay('plain', 'c', '2024-03-02')];
    const withService = report({ subscriptions: [subscription('c', { addOns: ALL_ADD_ONS, services: { mdrFoundations: true } })], deviceDays });
    const without = report({ deviceDays });
    expect(own(withService).mdrFoundationsUsage).toBe(1);
    expect(own(without).mdrFoundationsUsage).toBe(0);
  });
});

describe('XDR per sensor category', () => {
  const three = [deviceDay('d1', 'c', '2024-03-02'), deviceDay('d2', 'c', '2024-03-02', sveVm({ role: 'server' })), deviceDay('d3', 'c', '2024-03-09')];

  it('is the licensed endpoints when the category is enabled and a sensor was deployed, else 0', () => {
    const r = report({
      subscriptions: [subscription('c', { addOns: { xdr: ['network', 'productivity', 'cloud_workloads'], sve: true } })],
      deviceDays: three,
      xdr: [
        { companyId: 'c', month: MARCH, category: 'network' },
        { companyId: 'c', month: MARCH, category: 'identity_providers' }, // deployed, not enabled
        { companyId: 'c', month: '2024-02', category: 'productivity' }, // deployed, but last month
      ],
    });
    expect(own(r)).toMatchObject({
      licensedEndpoints: 3,
      xdrNetworkUsage: 3,
      xdrIdentityProvidersUsage: 0,
      xdrProductivityUsage: 0,
      xdrCloudWorkloadsUsage: 0,
    });
  });
});

describe('subscription terms carried into the results', () => {
  it('reserved seats, minimum usage, end date, auto-renewal and license key come from the version in force at month end', () => {
    const subs = [
      subscription('c', { reservedSeats: 5, minimumUsage: 2, effectiveFromMs: at('2024-01-01T00:00:00Z') }),
      subscription('c', { reservedSeats: 10, minimumUsage: 4, endDate: '2025-03-31', autoRenewal: true, effectiveFromMs: at('2024-03-15T00:00:00Z') }),
    ];
    const r = report({ subscriptions: subs, deviceDays: [deviceDay('d1', 'c', '2024-03-02')] });
    expect(row(r)).toMatchObject({ reservedSeats: 10, minimumUsage: 4, subscriptionEndDate: '2025-03-31', autoRenewal: true, licenseKey: 'KEY-c' });
  });

  it('null reserved seats and end date mean "not enabled" (shown as * and N/A by the report layer)', () => {
    const r = report({ deviceDays: [deviceDay('d1', 'c', '2024-03-02')] });
    expect(row(r).reservedSeats).toBeNull();
    expect(row(r).subscriptionEndDate).toBeNull();
  });

  it.each([
    [2, 5, 5],
    [7, 5, 7],
    [3, null, 3],
  ])('billable = max(actual %i, minimum %s) = %i', (endpoints, minimumUsage, billable) => {
    const deviceDays = Array.from({ length: endpoints }, (_, i) => deviceDay(`d${i}`, 'c', '2024-03-02'));
    const r = report({ subscriptions: [subscription('c', { minimumUsage })], deviceDays });
    expect(own(r).endpointUsage).toBe(endpoints);
    expect(own(r).billableEndpointUsage).toBe(billable);
  });

  it('a trial shows as a trial until it ends, then as a monthly subscription', () => {
    const trial = (endsAt: string) => subscription('c', { licenseType: 'trial', trialEndsAtMs: at(endsAt) });
    expect(row(report({ subscriptions: [trial('2024-04-15T00:00:00Z')], deviceDays: [] })).licenseType).toBe('trial');
    expect(row(report({ subscriptions: [trial('2024-03-15T00:00:00Z')], deviceDays: [] })).licenseType).toBe('monthly_subscription');
  });
});

describe('inactive customers, moved devices, uninstalled agents', () => {
  it('an inactive customer is not billed after inactivation; its activity stays in the usage columns and is unlicensed', () => {
    const r = report({
      companies: [company('c', { inactiveSinceMs: at('2024-03-10T12:00:00Z') })],
      subscriptions: [subscription('c', { minimumUsage: 10 })],
      deviceDays: [deviceDay('before', 'c', '2024-03-10'), deviceDay('after', 'c', '2024-03-11')],
    });
    // Usage columns are activity, as the report defines it: both devices (issue 18; until then inactive days were dropped).
    expect(own(r).endpointUsage).toBe(2);
    expect(row(r).billable.own.endpointUsage).toBe(1);
    // Minimum usage does not apply to a customer whose billing stopped.
    expect(own(r).billableEndpointUsage).toBe(1);
    expect(row(r).active).toBe(false);
    expect(row(r).unlicensed.own.byReason.inactive).toBe(1);
    const after = row(r).devices.find((d) => d.deviceId === 'after')!;
    expect(after.billed).toBe(false);
    expect(after.billingNote).toMatch(/inactive/);
  });

  it('a device that moved is billed once, where it was last active, and shown at the other company', () => {
    const r = report({
      companies: [company('p', { type: 'partner' }), company('a', { parentId: 'p' }), company('b', { parentId: 'p' })],
      subscriptions: [subscription('a'), subscription('b'), subscription('p')],
      deviceDays: [deviceDay('mover', 'a', '2024-03-02'), deviceDay('mover', 'a', '2024-03-10'), deviceDay('mover', 'b', '2024-03-20')],
    });
    expect(own(r, 'a').licensedEndpoints).toBe(0);
    expect(own(r, 'b').licensedEndpoints).toBe(1);
    expect(row(r, 'p').total.licensedEndpoints).toBe(1);
    const atA = row(r, 'a').devices[0];
    expect(atA).toMatchObject({ deviceId: 'mover', billed: false, billedCompanyId: 'b', activeDays: 2 });
    expect(atA.billingNote).toMatch(/moved/);
  });

  it('a device that moved but slept at the new company stays billed at the old one', () => {
    const r = report({
      companies: [company('a'), company('b')],
      subscriptions: [subscription('a'), subscription('b')],
      deviceDays: [deviceDay('mover', 'a', '2024-03-02'), deviceDay('mover', 'b', '2024-03-20', { awakeSeconds: 0 })],
    });
    expect(own(r, 'a').licensedEndpoints).toBe(1);
    expect(own(r, 'b').licensedEndpoints).toBe(0);
  });

  it('an uninstalled agent stays visible; its days before the uninstall count, days after do not', () => {
    const uninstalledAtMs = at('2024-03-10T08:00:00Z');
    const r = report({
      deviceDays: [
        deviceDay('gone-mid-month', 'c', '2024-03-10', { uninstalledAtMs }),
        deviceDay('gone-last-month', 'c', '2024-03-02', { uninstalledAtMs: at('2024-02-20T00:00:00Z') }),
      ],
    });
    expect(own(r).licensedEndpoints).toBe(1);
    const gone = row(r).devices.find((d) => d.deviceId === 'gone-last-month')!;
    expect(gone.billed).toBe(false);
    expect(gone.billingNote).toMatch(/uninstalled/);
  });
});

describe('partners sum their subtree', () => {
  it('total = own use + children totals, for a three-level tree', () => {
    const r = report({
      companies: [
        company('dist', { type: 'partner' }),
        company('p1', { type: 'partner', parentId: 'dist' }),
        company('c1', { parentId: 'p1' }),
        company('c2', { parentId: 'p1' }),
      ],
      subscriptions: ['dist', 'p1', 'c1', 'c2'].map((id) => subscription(id, { addOns: ALL_ADD_ONS })),
      deviceDays: [
        deviceDay('own-p1', 'p1', '2024-03-02'),
        deviceDay('c1-a', 'c1', '2024-03-02', { modules: ['full_disk_encryption'] }),
        deviceDay('c1-b', 'c1', '2024-03-03'),
        deviceDay('c2-vdi', 'c2', '2024-03-03', sveVm({ awakeSeconds: 3_650 })),
      ],
    });
    expect(row(r, 'p1').own.licensedEndpoints).toBe(1);
    expect(row(r, 'p1').total).toMatchObject({ licensedEndpoints: 4, endpointUsage: 3, encryptionUsage: 1, sveVdiHours: 2 });
    expect(row(r, 'dist').total).toMatchObject({ licensedEndpoints: 4, endpointUsage: 3, encryptionUsage: 1, sveVdiHours: 2 });
    expect(row(r, 'dist').own.licensedEndpoints).toBe(0);
  });

  it('refuses a parent cycle and an unknown parent', () => {
    expect(() =>
      report({ companies: [company('x', { parentId: 'y' }), company('y', { parentId: 'x' })], subscriptions: [], deviceDays: [] }),
    ).toThrowError(/cycle/);
    expect(() => report({ companies: [company('x', { parentId: 'ghost' })], subscriptions: [], deviceDays: [] })).toThrowError(/ghost/);
  });

  it('refuses a row whose company was not supplied', () => {
    expect(() => report({ deviceDays: [deviceDay('d', 'nobody', '2024-03-02')] })).toThrowError(/nobody/);
  });
});
