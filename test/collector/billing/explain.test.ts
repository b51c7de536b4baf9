import { describe, expect, it } from 'vitest';
import { explainDevice } from '../../../collector/src/billing/index.ts';
import { ALL_ADD_ONS, MARCH, company, deviceDay, subscription } from './fixtures.ts';

const input = {
  month: MARCH,
  productType: 'endpoint_security' as const,
  companies: [company('a'), company('b')],
  subscriptions: [subscription('a', { protectionModel: 'secure', addOns: ALL_ADD_ONS }), subscription('b', { addOns: ALL_ADD_ONS })],
  deviceDays: [
    deviceDay('d1', 'a', '2024-03-02', { awakeSeconds: 5_000, userId: 'alice', modules: ['antimalware', 'edr_sensor'] }),
    deviceDay('d1', 'a', '2024-03-03', { awakeSeconds: 0 }),
    deviceDay('d1', 'b', '2024-03-09', { awakeSeconds: 1_200, modules: ['antimalware', 'full_disk_encryption'] }),
    deviceDay('other', 'a', '2024-03-02'),
  ],
  xdrSensorDeployments: [],
};

describe('explainDevice', () => {
  const explanation = explainDevice(input, 'd1');

  it('lists every day with its awake seconds, modules, user and verdict', () => {
    expect(explanation.days.map((d) => [d.date, d.companyId, d.awakeSeconds, d.verdict, d.userId])).toEqual([
      ['2024-03-02', 'a', 5_000, 'counted', 'alice'],
      ['2024-03-03', 'a', 0, 'not_awake', null],
      ['2024-03-09', 'b', 1_200, 'counted', null],
    ]);
    expect(explanation.days[0].modules).toEqual(['antimalware', 'edr_sensor']);
    expect(explanation.days[1].note).toMatch(/sleep/);
  });

  it('names where it is billed and where it is only shown', () => {
    expect(explanation.billedCompanyId).toBe('b');
    expect(explanation.listedAt).toEqual([
      { companyId: 'a', billed: false, note: expect.stringMatching(/moved: billed once, at b/) },
      { companyId: 'b', billed: true, note: 'billed here' },
    ]);
  });

  it('gives each column with its value and rule, using the modules of the whole month', () => {
    const byColumn = Object.fromEntries(explanation.columns.map((c) => [c.column, [c.value, c.rule]]));
    expect(byColumn).toMatchObject({
      licensedEndpoints: [1, 'licensed-endpoint'],
      endpointUsage: [1, 'endpoint-usage'],
      aLaCarteUsage: [1, 'protection-model-priority'],
      encryptionUsage: [1, 'add-on-installed'],
      edrUsage: [1, 'add-on-installed'],
    });
  });

  it('says when the device has no row in the month', () => {
    expect(explainDevice(input, 'ghost')).toMatchObject({ found: false, days: [], columns: [] });
  });
});
