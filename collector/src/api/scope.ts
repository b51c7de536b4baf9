// What an API key may see and change. An installation key (no company) sees
// everything; a partner's key sees its own subtree; a customer's key its own
// company. Out-of-scope companies answer 404, exactly like absent ones, so a
// key never learns what exists outside its tree.
import type { ApiKeyRecord, Company, Storage } from '../storage/types.ts';
import { ApiError } from './errors.ts';

export class Scope {
  private constructor(readonly key: ApiKeyRecord, private readonly visible: ReadonlySet<string> | null, readonly companies: ReadonlyMap<string, Company>) {}

  static async load(storage: Storage, key: ApiKeyRecord): Promise<Scope> {
    const all = await storage.adminRead.listCompanies();
    const byId = new Map(all.map((c) => [c.id, c]));
    if (key.companyId === null) return new Scope(key, null, byId);
    const visible = new Set(all.filter((c) => c.path.includes(key.companyId!)).map((c) => c.id));
    return new Scope(key, visible, byId);
  }

  get isInstallation(): boolean {
    return this.visible === null;
  }

  /** The key's company or one above it is inactive: "The customer will not be able to login to the service" (seed 000). */
  get loginRefused(): boolean {
    if (this.key.companyId === null) return false;
    const own = this.companies.get(this.key.companyId);
    return !own || own.path.some((id) => this.companies.get(id)?.active === false);
  }

  /** Company ids the key may see, or null for every company. */
  companyIds(): string[] | null {
    return this.visible === null ? null : [...this.visible];
  }

  canSee(companyId: string | null | undefined): boolean {
    if (!companyId) return this.visible === null;
    return this.visible === null ? this.companies.has(companyId) : this.visible.has(companyId);
  }

  /** The company, if the key may see it; 404 otherwise. */
  company(companyId: string): Company {
    const c = this.canSee(companyId) ? this.companies.get(companyId) : undefined;
    if (!c) throw new ApiError(404, 'not_found', `company ${companyId} does not exist`);
    return c;
  }

  /** The company, if the key may change it. Read-only keys never reach here (refused earlier). */
  writable(companyId: string): Company {
    return this.company(companyId);
  }

  /**
   * Licensing is set by the company above: "Partners are the ones who enable
   * license entitlements ... to Customer companies" (seed 002). A key may not
   * set its own company's subscriptions.
   */
  managed(companyId: string): Company {
    const c = this.writable(companyId);
    if (companyId === this.key.companyId) throw new ApiError(403, 'forbidden', 'subscriptions are set by the partner above the company (or an installation key), not by the company itself');
    return c;
  }

  requireInstallation(what: string): void {
    if (!this.isInstallation) throw new ApiError(403, 'forbidden', `${what} needs an installation-wide API key`);
  }
}
