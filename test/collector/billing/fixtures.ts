// Builders for billing-core tests: small, explicit defaults, override what the test is about.
import type { AddOns, Company, DeviceDay, SubscriptionVersion } from '../../../collector/src/billing/index.ts';
import { DAY_MS } from '../../../collector/src/billing/index.ts';

export const MARCH = '2024-03';

/** UTC day number of a 'YYYY-MM-DD' date. */
export function day(date: string): number {
  return Date.parse(`${date}T00:00:00Z`) / DAY_MS;
}

export function at(isoInstant: string): number {
  return Date.parse(isoInstant);
}

export function company(id: string, overrides: Partial<Company> = {}): Company {
  return {
    id,
    name: id,
    type: 'customer',
    parentId: null,
    path: [id],
    registeredAtMs: at('2023-01-01T00:00:00Z'),
    inactiveSinceMs: null,
    ...overrides,
  };
}

export const NO_ADD_ONS: AddOns = {
  encryption: false,
  patchManagement: false,
  integrityMonitoring: null,
  containerProtection: false,
  ats: false,
  edr: false,
  sve: false,
  xdr: [],
};

export const ALL_ADD_ONS: AddOns = {
  encryption: true,
  patchManagement: true,
  integrityMonitoring: 'none',
  containerProtection: true,
  ats: true,
  edr: true,
  sve: true,
  xdr: ['identity_providers', 'productivity', 'network', 'cloud_workloads'],
};

export function subscription(
  companyId: string,
  overrides: Partial<Omit<SubscriptionVersion, 'addOns'>> & { addOns?: Partial<AddOns> } = {},
): SubscriptionVersion {
  const { addOns, ...rest } = overrides;
  return {
    subscriptionId: `sub-${companyId}`,
    companyId,
    effectiveFromMs: at('2023-01-01T00:00:00Z'),
    effectiveUntilMs: null,
    productType: 'endpoint_security',
    protectionModel: 'a_la_carte',
    services: { mdrFoundations: false },
    licenseType: 'monthly_subscription',
    trialEndsAtMs: null,
    trialConvertedAtMs: null,
    licenseKey: `KEY-${companyId}`,
    reservedSeats: null,
    minimumUsage: null,
    endDate: null,
    autoRenewal: false,
    attachment: { customer: true, userGroupIds: [] },
    ...rest,
    addOns: { ...NO_ADD_ONS, ...addOns },
  };
}

export function deviceDay(deviceId: string, companyId: string, date: string, overrides: Partial<DeviceDay> = {}): DeviceDay {
  return {
    deviceId,
    companyId,
    utcDay: day(date),
    awakeSeconds: 3_600,
    virtual: false,
    role: 'workstation',
    platform: 'windows',
    osCompatibleWithCentralScan: false,
    modules: ['antimalware'],
    integrityMonitoringTier: null,
    userId: null,
    ownership: null,
    uninstalledAtMs: null,
    ...overrides,
  };
}
