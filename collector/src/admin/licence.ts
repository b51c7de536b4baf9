// A company's licence now, as every surface shows it (JSON-RPC getLicenseInfo,
// REST, the console): the billing core's one rule (billing/licence.ts) over the
// stored subscription history and company tree, never a stored field. So a
// trial that converted (seed 000: "at the end of the trial period it will be
// automatically converted to an active subscription") answers as converted
// everywhere, and a customer under an inactivated partner answers inactive.
import { licenceAt, type Company as BillingCompany, type LicenceAt } from '../billing/index.ts';
import type { Scope } from '../auth/scope.ts';
import type { AdminStores, Company } from '../storage/types.ts';

export interface CompanyLicence extends LicenceAt {
  readonly companyId: string;
  readonly atMs: number;
}

/** The billing core's view of a stored company. */
export function billingCompany(c: Company): BillingCompany {
  return {
    id: c.id, name: c.name, type: c.type, parentId: c.parentId, path: c.path, registeredAtMs: c.registeredAtMs, inactiveSinceMs: c.inactiveSinceMs,
    ...(c.externalId ? { externalId: c.externalId } : {}),
    ...(c.inactivePeriods.length ? { inactivePeriods: c.inactivePeriods } : {}),
  };
}

/** The licence of a company in scope at `nowMs` (not_found outside the scope, as everywhere). */
export async function companyLicence(stores: { tenancy: Pick<AdminStores['tenancy'], 'listSubscriptionVersions'> }, scope: Scope, companyId: string, nowMs: number): Promise<CompanyLicence> {
  const company = scope.company(companyId);
  // The company and every company above it: inactivity reaches down the tree.
  const companies = new Map<string, BillingCompany>();
  for (const id of company.path) {
    const c = scope.companies.get(id);
    if (c) companies.set(id, billingCompany(c));
  }
  const versions = await stores.tenancy.listSubscriptionVersions(company.id);
  return { companyId: company.id, atMs: nowMs, ...licenceAt(company.id, nowMs, companies, versions) };
}
