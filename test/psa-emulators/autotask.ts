// Autotask PSA REST API v1.0 emulator, from Autotask's REST reference
// (entities Companies, Contracts, Services, ContractServices,
// ContractServiceUnits, ContractServiceAdjustments, ContractCharges) as
// carried by the maintained generated client
// github.com/aenichols/ATREST-CSharp-Client (docs/*Model.md field names)
// and the API patterns documented in github.com/asachs01/msp-claude-plugins
// (autotask api-patterns): ApiIntegrationCode, UserName and Secret headers
// (401 otherwise); POST {Entity}/query with {"filter":[{op,field,value}]}
// answered {items, pageDetails:{count, requestCount, prevPageUrl,
// nextPageUrl}}, the next page fetched with GET on nextPageUrl; creates
// answered {itemId}. ContractServiceUnits are read-only and derived from
// adjustments: an adjustment effective in a month changes that month's
// period and every later one. Page size is small (pageSize) so tests page.
import { Emulator, badRequest, notFound, type Reply, type Request } from './base.ts';

type Row = Record<string, unknown> & { id: number };
type Filter = { op: string; field: string; value?: unknown };

export class AutotaskEmulator extends Emulator {
  static readonly CREDS = { userName: 'api@tallymsp.example', secret: 'at-SECRET-7c6d5e', integrationCode: 'TRACKING-ID-ABC123' };
  readonly prefix = '/atservicesrest/V1.0/';
  pageSize = 2;
  entities: Record<string, Row[]> = {
    Companies: [{ id: 0, companyName: 'Tally MSP (own company)' }, { id: 310, companyName: 'Acme Corp.' }, { id: 311, companyName: 'Globex' }, { id: 312, companyName: 'Umbrella' }],
    Contracts: [{ id: 4100, contractName: 'Acme Security Services', companyID: 310, status: 1 }, { id: 4101, contractName: 'Globex Recurring', companyID: 311, status: 1 }],
    Services: [{ id: 80, name: 'Endpoint Protection' }, { id: 81, name: 'Patch Management' }, { id: 82, name: 'EDR' }],
    ContractServices: [],
    ContractServiceUnits: [],
    ContractServiceAdjustments: [],
    ContractCharges: [],
  };
  private nextId = 70000;

  get base(): string {
    return this.url + this.prefix;
  }

  /** The units in force on a day (YYYY-MM-DD) for a service on a contract. */
  unitsOn(contractId: number, serviceId: number, day: string): number {
    const cs = this.entities.ContractServices.find((r) => r.contractID === contractId && r.serviceID === serviceId);
    if (!cs) return 0;
    const u = this.entities.ContractServiceUnits.find((r) => r.contractServiceID === cs.id && String(r.startDate) <= day && String(r.endDate) >= day);
    return (u?.units as number | undefined) ?? 0;
  }

  /** Someone changes the units by hand in Autotask (an adjustment of their own). */
  handEdit(contractId: number, serviceId: number, effectiveDate: string, units: number): void {
    this.adjust(contractId, serviceId, units - this.unitsOn(contractId, serviceId, effectiveDate), effectiveDate);
  }

  private adjust(contractID: number, serviceID: number, unitChange: number, effectiveDate: string): void {
    let cs = this.entities.ContractServices.find((r) => r.contractID === contractID && r.serviceID === serviceID);
    if (!cs) this.entities.ContractServices.push((cs = { id: this.nextId++, contractID, serviceID }));
    const start = `${effectiveDate.slice(0, 7)}-01`;
    const periods = this.entities.ContractServiceUnits.filter((r) => r.contractServiceID === cs!.id);
    if (!periods.some((p) => p.startDate === start)) {
      const before = periods.filter((p) => String(p.startDate) < start).sort((a, b) => String(b.startDate).localeCompare(String(a.startDate)))[0];
      const y = Number(start.slice(0, 4));
      const mo = Number(start.slice(5, 7));
      const end = new Date(Date.UTC(y, mo, 0)).toISOString().slice(0, 10);
      this.entities.ContractServiceUnits.push({ id: this.nextId++, contractServiceID: cs.id, contractID, serviceID, units: (before?.units as number) ?? 0, startDate: start, endDate: end });
    }
    for (const p of this.entities.ContractServiceUnits) if (p.contractServiceID === cs.id && String(p.startDate) >= start) p.units = (p.units as number) + unitChange;
  }

  private matches(row: Row, filters: Filter[]): boolean {
    return filters.every((f) => {
      const v = row[f.field];
      switch (f.op) {
        case 'eq': return v === f.value;
        case 'gte': return typeof v === 'number' && v >= (f.value as number);
        case 'lte': return typeof v === 'number' && v <= (f.value as number);
        case 'contains': return typeof v === 'string' && v.includes(String(f.value));
        case 'exist': return v !== undefined && v !== null;
        default: throw new Error(`unsupported op ${f.op}`);
      }
    });
  }

  private page(entity: string, filter: Filter[], offset: number): Reply {
    const all = this.entities[entity].filter((r) => this.matches(r, filter));
    const items = all.slice(offset, offset + this.pageSize);
    const more = offset + this.pageSize < all.length;
    const paging = Buffer.from(JSON.stringify({ filter, offset: offset + this.pageSize })).toString('base64url');
    return {
      status: 200,
      json: {
        items, pageDetails: {
          count: items.length, requestCount: this.pageSize, prevPageUrl: null,
          nextPageUrl: more ? `${this.base}${entity}/query/next?paging=${paging}` : null,
        },
      },
    };
  }

  protected handle(req: Request): Reply {
    const c = AutotaskEmulator.CREDS;
    if (req.headers.apiintegrationcode !== c.integrationCode || req.headers.username !== c.userName || req.headers.secret !== c.secret) {
      return { status: 401, json: { errors: ['Unauthorized: the user name, secret or integration code is not valid'] } };
    }
    if (!req.path.startsWith(this.prefix)) return notFound('route');
    const path = req.path.slice(this.prefix.length);
    let m: RegExpExecArray | null;
    if ((m = /^(\w+)\/query$/.exec(path)) && req.method === 'POST') {
      if (!this.entities[m[1]]) return notFound('entity');
      const filter = (req.body as { filter?: Filter[] } | null)?.filter;
      if (!Array.isArray(filter) || filter.length === 0) return badRequest('a query needs at least one filter');
      return this.page(m[1], filter, 0);
    }
    if ((m = /^(\w+)\/query\/next$/.exec(path)) && req.method === 'GET') {
      const p = JSON.parse(Buffer.from(req.query.get('paging') ?? '', 'base64url').toString('utf8')) as { filter: Filter[]; offset: number };
      return this.page(m[1], p.filter, p.offset);
    }
    if ((m = /^Contracts\/(\d+)$/.exec(path)) && req.method === 'GET') {
      return { status: 200, json: { item: this.entities.Contracts.find((r) => r.id === Number(m![1])) ?? null } };
    }
    if (path === 'ContractServiceAdjustments' && req.method === 'POST') {
      const b = req.body as { contractID?: number; serviceID?: number; contractServiceID?: number; unitChange?: number; effectiveDate?: string };
      if (!this.entities.Contracts.some((r) => r.id === b?.contractID)) return badRequest('contractID: no such contract');
      if (!this.entities.Services.some((r) => r.id === b.serviceID)) return badRequest('serviceID: no such service');
      if (!Number.isInteger(b.unitChange)) return badRequest('unitChange: an integer is required');
      if (!b.effectiveDate || Number.isNaN(Date.parse(b.effectiveDate))) return badRequest('effectiveDate: a date is required');
      const id = this.nextId++;
      this.entities.ContractServiceAdjustments.push({ id, ...b });
      this.adjust(b.contractID!, b.serviceID!, b.unitChange!, b.effectiveDate.slice(0, 10));
      return { status: 200, json: { itemId: id } };
    }
    if ((m = /^Contracts\/(\d+)\/Charges$/.exec(path)) && req.method === 'POST') {
      const b = req.body as Record<string, unknown>;
      if (b?.contractID !== Number(m[1])) return badRequest('contractID must be the parent contract');
      if (typeof b.name !== 'string' || !Number.isInteger(b.unitQuantity)) return badRequest('name and unitQuantity are required');
      const id = this.nextId++;
      this.entities.ContractCharges.push({ id, ...b });
      return { status: 200, json: { itemId: id } };
    }
    return notFound('route');
  }
}
