// Seed 003, "Usage for companies with Bitdefender EDR": Partner 1 with
// Customers A, B, C on Endpoint Security and Customer D on Bitdefender EDR.
import { describe, expect, it } from 'vitest';
import { computeEndpointUsage, type ProductType } from '../../../collector/src/billing/index.ts';
import { MARCH, company, deviceDay, subscription } from './fixtures.ts';

const companies = [
  company('partner-1', { name: 'Partner 1', type: 'partner', path: ['Partner 1'] }),
  company('customer-a', { name: 'Customer A', parentId: 'partner-1', path: ['Partner 1', 'Customer A'] }),
  company('customer-b', { name: 'Customer B', parentId: 'partner-1', path: ['Partner 1', 'Customer B'] }),
  company('customer-c', { name: 'Customer C', parentId: 'partner-1', path: ['Partner 1', 'Customer C'] }),
  company('customer-d', { name: 'Customer D', parentId: 'partner-1', path: ['Partner 1', 'Customer D'] }),
];
const subscriptions = [
  subscription('partner-1', { licenseType: 'monthly_license' }),
  subscription('customer-a'),
  subscription('customer-b'),
  subscription('customer-c'),
  subscription('customer-d', { productType: 'edr', addOns: { edr: true } }),
];
const deviceDays = [
  deviceDay('p1-own', 'partner-1', '2024-03-04'),
  deviceDay('a1', 'customer-a', '2024-03-04'),
  deviceDay('a2', 'customer-a', '2024-03-05'),
  deviceDay('b1', 'customer-b', '2024-03-06'),
  deviceDay('c1', 'customer-c', '2024-03-07'),
  ...['d1', 'd2', 'd3'].map((id) =>
    deviceDay(id, 'customer-d', '2024-03-08', { modules: ['advanced_threat_control', 'content_control', 'network_attack_defense', 'edr_sensor'] }),
  ),
];

function endpointUsageByCompany(productType: ProductType) {
  const report = computeEndpointUsage({ month: MARCH, productType, companies, subscriptions, deviceDays, xdrSensorDeployments: [] });
  return Object.fromEntries(report.rows.map((row) => [row.name, { own: row.own.endpointUsage, total: row.total.endpointUsage, edr: row.total.edrUsage }]));
}

describe('EDR product type is reported separately (seed example)', () => {
  it('EDR report: A, B, C show 0, D shows 3, Partner 1 shows 3', () => {
    const usage = endpointUsageByCompany('edr');
    expect(usage['Customer A'].total).toBe(0);
    expect(usage['Customer B'].total).toBe(0);
    expect(usage['Customer C'].total).toBe(0);
    expect(usage['Customer D'].total).toBe(3);
    expect(usage['Partner 1'].total).toBe(3);
    // "All these modules are part of Bitdefender EDR as product type, so they do no generate additional usage."
    expect(usage['Customer D'].edr).toBe(0);
  });

  it('Endpoint Security report: D shows 0, Partner 1 sums its own endpoint with A, B, C', () => {
    const usage = endpointUsageByCompany('endpoint_security');
    expect(usage['Customer A'].total).toBe(2);
    expect(usage['Customer D'].total).toBe(0);
    expect(usage['Partner 1'].own).toBe(1);
    expect(usage['Partner 1'].total).toBe(5);
  });

  it('EDR companies have no protection model columns', () => {
    const report = computeEndpointUsage({ month: MARCH, productType: 'edr', companies, subscriptions, deviceDays, xdrSensorDeployments: [] });
    const d = report.rows.find((row) => row.companyId === 'customer-d')!;
    expect(d.protectionModel).toBeNull();
    expect(d.own).toMatchObject({ licensedEndpoints: 3, endpointUsage: 3, aLaCarteUsage: 0, secureUsage: 0 });
    expect(d.inReport).toBe(true);
    expect(report.rows.find((row) => row.companyId === 'customer-a')!.inReport).toBe(false);
  });
});
