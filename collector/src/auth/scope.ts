// What a principal may see and change. The whole installation sees
// everything; a partner's principal sees its own subtree; a customer's its
// own company. Out-of-scope companies answer not_found, exactly like absent
// ones, so a principal never learns what exists outside its tree.
import { forbidden, TallyError } from '../errors.ts';
import type { AdminReadStore, Company } from '../storage/types.ts';

export class Scope {
  private constructor(
    /** The company the principal belongs to; null for the whole installation. */
    readonly homeCompanyId: string | null,
    private readonly visible: ReadonlySet<string> | null,
    readonly companies: ReadonlyMap<string, Company>,
  ) {}

  static async load(reader: Pick<AdminReadStore, 'listCompanies'>, homeCompanyId: string | null): Promise<Scope> {
    return Scope.of(await reader.listCompanies(), homeCompanyId);
  }

  static of(all: readonly Company[], homeCompanyId: string | null): Scope {
    const byId = new Map(all.map((c) => [c.id, c]));
    if (homeCompanyId === null) return new Scope(null, null, byId);
    const visible = new Set(all.filter((c) => c.path.includes(homeCompanyId)).map((c) => c.id));
    return new Scope(homeCompanyId, visible, byId);
  }

  get isInstallation(): boolean {
    return this.visible === null;
  }

  /** The home company or one above it is inactive: "The customer will not be able to login to the service" (seed 000). */
  get loginRefused(): boolean {
    if (this.homeCompanyId === null) return false;
    const own = this.companies.get(this.homeCompanyId);
    return !own || own.path.some((id) => this.companies.get(id)?.active === false);
  }

  /** Company ids the principal may see, or null for every company. */
  companyIds(): string[] | null {
    return this.visible === null ? null : [...this.visible];
  }

  canSee(companyId: string | null | undefined): boolean {
    if (!companyId) return this.visible === null;
    return this.visible === null ? this.companies.has(companyId) : this.visible.has(companyId);
  }

  /** Visible companies, in the store's order. */
  visibleCompanies(): Company[] {
    return [...this.companies.values()].filter((c) => this.canSee(c.id));
  }

  /** The company and every company below it that the principal may see. */
  subtreeIds(companyId: string): Set<string> {
    const ids = new Set<string>();
    for (const c of this.companies.values()) if (c.path.includes(companyId) && this.canSee(c.id)) ids.add(c.id);
    return ids;
  }

  /** The company, if visible; not_found otherwise (the same answer as for an id that does not exist). */
  company(companyId: string, field = 'companyId'): Company {
    const c = this.canSee(companyId) ? this.companies.get(companyId) : undefined;
    if (!c) throw new TallyError('not_found', `company ${companyId} does not exist`, { field });
    return c;
  }

  /**
   * Licensing is set by the company above: "Partners are the ones who enable
   * license entitlements ... to Customer companies" (seed 002). A principal
   * may not set its own company's subscriptions.
   */
  managed(companyId: string, field = 'companyId'): Company {
    const c = this.company(companyId, field);
    if (companyId === this.homeCompanyId) throw forbidden('subscriptions are set by the partner above the company (or the installation), not by the company itself');
    return c;
  }

  requireInstallation(what: string): void {
    if (!this.isInstallation) throw forbidden(`${what} needs installation-wide access`);
  }
}
