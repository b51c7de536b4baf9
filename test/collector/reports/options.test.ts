// Option validation: the same stable codes for the CLI and the HTTP routes.
import { describe, expect, it } from 'vitest';
import { validateReportFormat, validateReportOptions } from '../../../collector/src/reports/index.ts';

const base = { companyId: 'partner-1', month: '2024-03' };

describe('validateReportOptions', () => {
  it('accepts a minimal request with the seed defaults: Endpoint Security, every company, usage and details', () => {
    const r = validateReportOptions(base);
    expect(r).toEqual({ ok: true, value: { ...base, productType: 'endpoint_security', onlyEndpointDetails: false, onlyDirectCompanies: false, registeredBetween: null, uptimeHours: false } });
  });

  it('accepts both registration dates, inclusive, the same day too', () => {
    const r = validateReportOptions({ ...base, registeredFrom: '2024-02-01', registeredTo: '2024-02-01', productType: 'edr', onlyDirectCompanies: 'true' });
    expect(r.ok && r.value).toMatchObject({ productType: 'edr', onlyDirectCompanies: true, registeredBetween: { from: '2024-02-01', to: '2024-02-01' } });
  });

  // Seed 003: "You must fill in both fields, otherwise no information will be included in the request."
  it.each([
    [{ registeredFrom: '2024-02-01' }, 'registeredTo'],
    [{ registeredTo: '2024-02-29' }, 'registeredFrom'],
  ])('refuses only one registration date (%j) with registration_dates_incomplete, naming the missing one', (dates, missing) => {
    const r = validateReportOptions({ ...base, ...dates });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('registration_dates_incomplete');
    expect(r.error.field).toBe(missing);
    expect(r.error.message).toMatch(/both the registration start date and the registration end date/);
  });

  it.each([
    [{ month: '2024-13' }, 'invalid_month'],
    [{ month: '2024-3' }, 'invalid_month'],
    [{ month: undefined }, 'invalid_month'],
    [{ companyId: '  ' }, 'invalid_company'],
    [{ productType: 'gravityzone' }, 'invalid_product_type'],
    [{ onlyEndpointDetails: 'maybe' }, 'invalid_flag'],
    [{ registeredFrom: '2024-02-30', registeredTo: '2024-03-01' }, 'invalid_registration_date'],
    [{ registeredFrom: '01/02/2024', registeredTo: '2024-03-01' }, 'invalid_registration_date'],
    [{ registeredFrom: '2024-03-02', registeredTo: '2024-03-01' }, 'registration_range_reversed'],
  ])('refuses %j with %s', (over, code) => {
    const r = validateReportOptions({ ...base, ...over });
    expect(r.ok ? null : r.error.code).toBe(code);
  });

  it('knows the four formats and nothing else', () => {
    for (const f of ['csv', 'xlsx', 'pdf', 'psa']) expect(validateReportFormat(f).ok).toBe(true);
    const bad = validateReportFormat('docx');
    expect(bad.ok ? null : bad.error.code).toBe('invalid_format');
  });
});
