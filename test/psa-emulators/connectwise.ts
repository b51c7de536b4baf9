// ConnectWise PSA (Manage) REST API v3.0 emulator, from ConnectWise's Manage
// REST reference as carried by the maintained generated client
// github.com/ai-connor/connectwise (build/docs: Addition.md, AgreementsAPI.md,
// AgreementAdditionsAPI.md, Agreement.md): Basic auth
// "companyId+publicKey:privateKey" plus the clientId header on every call
// (401 otherwise); lists paged by page (1-based) and pageSize (default 25,
// at most 1000); `conditions` filters agreements by company/id; additions
// created by POST (product.id, quantity, billCustomer, effectiveDate,
// cancelledDate, description) and changed by PATCH with JSON Patch
// operations. What it does not model: every other field and endpoint.
import { Emulator, badRequest, notFound, pageOf, type Reply, type Request } from './base.ts';

export interface CwAddition {
  id: number;
  agreementId: number;
  product: { id: number; identifier: string };
  quantity: number;
  billCustomer: string;
  effectiveDate: string | null;
  cancelledDate: string | null;
  description: string;
}

export class ConnectWiseEmulator extends Emulator {
  static readonly CREDS = { companyId: 'tallymsp', publicKey: 'pubKEY123', privateKey: 'cw-private-SECRET-9f8e', clientId: 'client-guid-0001' };
  readonly prefix = '/v4_6_release/apis/3.0/';
  companies = [{ id: 250, name: 'Acme Corporation' }, { id: 251, name: 'Globex, LLC' }, { id: 252, name: 'Initech' }];
  agreements = [
    { id: 9001, name: 'Acme Managed Security', company: { id: 250 }, cancelledFlag: false, agreementStatus: 'Active' },
    { id: 9002, name: 'Globex MSA', company: { id: 251 }, cancelledFlag: false, agreementStatus: 'Active' },
  ];
  catalog = [{ id: 700, identifier: 'ES-ENDPOINT' }, { id: 701, identifier: 'ES-PATCH' }, { id: 702, identifier: 'EDR-ENDPOINT' }];
  additions: CwAddition[] = [];
  private nextId = 5000;

  get base(): string {
    return this.url + this.prefix;
  }

  /** The standing (non-cancelled, non-correction) addition of a product on an agreement. */
  line(agreementId: number, productId: number): CwAddition | undefined {
    return this.additions.find((a) => a.agreementId === agreementId && a.product.id === productId && !a.cancelledDate && !a.description.includes('tally-adj:'));
  }

  protected handle(req: Request): Reply {
    const expected = 'Basic ' + Buffer.from(`${ConnectWiseEmulator.CREDS.companyId}+${ConnectWiseEmulator.CREDS.publicKey}:${ConnectWiseEmulator.CREDS.privateKey}`).toString('base64');
    if (req.headers.authorization !== expected || req.headers.clientid !== ConnectWiseEmulator.CREDS.clientId) {
      return { status: 401, json: { code: 'Unauthorized', message: 'Authentication failed' } };
    }
    if (!req.path.startsWith(this.prefix)) return notFound('route');
    const path = req.path.slice(this.prefix.length);
    const page = Number(req.query.get('page') ?? '1');
    const size = Math.min(1000, Number(req.query.get('pageSize') ?? '25'));
    if (!(page >= 1) || !(size >= 1)) return badRequest('page and pageSize must be positive');
    let m: RegExpExecArray | null;
    if (req.method === 'GET' && path === 'company/companies') return { status: 200, json: pageOf(this.companies, page, size) };
    if (req.method === 'GET' && path === 'procurement/catalog') return { status: 200, json: pageOf(this.catalog, page, size) };
    if (req.method === 'GET' && path === 'finance/agreements') {
      const cond = /company\/id\s*=\s*(\d+)/.exec(req.query.get('conditions') ?? '');
      const list = cond ? this.agreements.filter((a) => a.company.id === Number(cond[1])) : this.agreements;
      return { status: 200, json: pageOf(list, page, size) };
    }
    if ((m = /^finance\/agreements\/(\d+)$/.exec(path)) && req.method === 'GET') {
      const a = this.agreements.find((x) => x.id === Number(m![1]));
      return a ? { status: 200, json: a } : notFound('agreement');
    }
    if ((m = /^finance\/agreements\/(\d+)\/additions$/.exec(path))) {
      const agreementId = Number(m[1]);
      if (!this.agreements.some((a) => a.id === agreementId)) return notFound('agreement');
      if (req.method === 'GET') return { status: 200, json: pageOf(this.additions.filter((a) => a.agreementId === agreementId), page, size) };
      if (req.method === 'POST') {
        const b = req.body as Partial<CwAddition> & { product?: { id?: number } };
        const product = this.catalog.find((p) => p.id === b?.product?.id);
        if (!product) return badRequest('product: a catalog item is required');
        if (typeof b.quantity !== 'number') return badRequest('quantity: a number is required');
        if (!['Billable', 'DoNotBill', 'NoCharge'].includes(b.billCustomer ?? '')) return badRequest('billCustomer: Billable, DoNotBill or NoCharge');
        for (const f of ['effectiveDate', 'cancelledDate'] as const) if (b[f] && Number.isNaN(Date.parse(b[f]!))) return badRequest(`${f}: a date is expected`);
        const a: CwAddition = {
          id: this.nextId++, agreementId, product: { id: product.id, identifier: product.identifier }, quantity: b.quantity, billCustomer: b.billCustomer!,
          effectiveDate: b.effectiveDate ?? null, cancelledDate: b.cancelledDate ?? null, description: b.description ?? '',
        };
        this.additions.push(a);
        return { status: 201, json: a };
      }
    }
    if ((m = /^finance\/agreements\/(\d+)\/additions\/(\d+)$/.exec(path)) && req.method === 'PATCH') {
      const a = this.additions.find((x) => x.agreementId === Number(m![1]) && x.id === Number(m![2]));
      if (!a) return notFound('addition');
      if (!Array.isArray(req.body)) return badRequest('a JSON Patch array is expected');
      for (const op of req.body as { op: string; path: string; value: unknown }[]) {
        if (op.op !== 'replace' || !['quantity', 'effectiveDate', 'cancelledDate', 'description'].includes(op.path)) return badRequest(`unsupported patch ${op.op} ${op.path}`);
        if (op.path === 'quantity' && typeof op.value !== 'number') return badRequest('quantity: a number is expected');
        (a as unknown as Record<string, unknown>)[op.path] = op.value;
      }
      return { status: 200, json: a };
    }
    return notFound('route');
  }
}
