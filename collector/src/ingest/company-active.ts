// Whether a company's agents may connect: not when the company, or any
// company above it, is inactive. Inactivating a partner inactivates its whole
// subtree (seed 000: "The customer will not be able to login to the service,
// and billing will stop."; seed 002: partners "enable license entitlements ...
// to Customer companies"), for agents as for billing: the rule is the billing
// core's (inactiveCompanyAt), read over the company's path.
import { billingCompany } from '../admin/index.ts';
import { inactiveCompanyAt } from '../billing/index.ts';
import type { Company, EnrolmentStore } from '../storage/types.ts';

export type CompanyStanding =
  | { readonly active: true; readonly company: Company }
  /** `inactive`: the company itself or the company above it that is inactive; null when the company does not exist. */
  | { readonly active: false; readonly inactive: Company | null };

/** The company and every company above it, read from the store in one statement: may its agents connect at `nowMs`? */
export async function companyStanding(enrolment: Pick<EnrolmentStore, 'companiesWithPaths'>, companyId: string, nowMs: number): Promise<CompanyStanding> {
  return standingIn(await enrolment.companiesWithPaths([companyId]), companyId, nowMs);
}

/**
 * The standing of a company judged on companies already read (holding it and
 * every company on its path: EnrolmentStore.companiesWithPaths, or the reads
 * of an upgrade or a hello). A company, or one on its path, not among them
 * does not exist: not active.
 */
export function standingIn(companies: ReadonlyMap<string, Company>, companyId: string, nowMs: number): CompanyStanding {
  const company = companies.get(companyId);
  if (!company) return { active: false, inactive: null };
  const path = new Map<string, Company>([[company.id, company]]);
  for (const id of company.path) {
    if (path.has(id)) continue;
    const above = companies.get(id);
    if (!above) return { active: false, inactive: null };
    path.set(id, above);
  }
  const inactive = inactiveCompanyAt(company.id, nowMs, new Map([...path].map(([id, c]) => [id, billingCompany(c)])));
  return inactive ? { active: false, inactive: path.get(inactive.id)! } : { active: true, company };
}
