// Autotask (Datto) PSA REST API v1.0 connector: a Tally quantity is the units
// of a contract service (a Service on a Contract).
//
// Followed: Autotask's REST API reference (entities ContractServices,
// ContractServiceUnits, ContractServiceAdjustments, ContractCharges,
// Contracts, Companies, Services) as carried by the maintained generated
// client github.com/aenichols/ATREST-CSharp-Client (docs/
// ContractServiceAdjustmentModel.md: contractID, contractServiceID,
// serviceID, unitChange, effectiveDate; ContractServiceUnitModel.md:
// contractServiceID, serviceID, units, startDate, endDate;
// ContractServiceModel.md: contractID, serviceID) and the API patterns of
// github.com/asachs01/msp-claude-plugins (autotask api-patterns): headers
// ApiIntegrationCode, UserName and Secret; queries as POST {Entity}/query
// with {"filter":[{op, field, value}]}, answered {items, pageDetails:{count,
// requestCount, prevPageUrl, nextPageUrl}}; a create answers {itemId}.
//
// Autotask takes a change of units, not a value (ContractServiceUnits is
// read-only, derived from adjustments): the connector reads the units in
// force and posts the difference, so a retried write sends nothing twice. A
// service not yet on the contract is added by the same adjustment. A
// finalized month's correction is a ContractCharge (Autotask's one-off
// billable charge on a contract) whose name carries the marker.
import { PsaHttp, type PsaHttpOptions } from './http.ts';
import { PsaError, type PsaConnector, type PsaCredentials, type PsaLineState, type PsaWriteResult } from './types.ts';

interface QueryPage<T> {
  items: T[];
  pageDetails?: { nextPageUrl?: string | null };
}
type Filter = { op: string; field: string; value?: unknown };

export function autotaskConnector(baseUrl: string, creds: PsaCredentials, http: Partial<PsaHttpOptions> = {}): PsaConnector {
  const client = new PsaHttp({
    ...http, baseUrl,
    headers: () => ({ ApiIntegrationCode: creds.integrationCode, UserName: creds.userName, Secret: creds.secret }),
  });
  const origin = new URL(baseUrl).origin;

  async function query<T>(entity: string, filter: Filter[]): Promise<T[]> {
    const out: T[] = [];
    let page = await client.json<QueryPage<T>>('POST', `${entity}/query`, { filter });
    for (let n = 0; n < 1000; n++) {
      out.push(...(page.items ?? []));
      const next = page.pageDetails?.nextPageUrl;
      if (!next) return out;
      // The credentials go only where they were given: a next page elsewhere is refused.
      if (new URL(next, baseUrl).origin !== origin) throw new PsaError('psa_rejected', `${entity}/query: the next page points to another host`);
      page = await client.json<QueryPage<T>>('GET', next);
    }
    throw new PsaError('psa_rejected', `${entity}/query: more than 1000 pages`);
  }

  async function contractService(contractId: string, serviceId: string) {
    return (await query<{ id: number }>('ContractServices', [
      { op: 'eq', field: 'contractID', value: Number(contractId) }, { op: 'eq', field: 'serviceID', value: Number(serviceId) },
    ]))[0] ?? null;
  }

  return {
    kind: 'autotask',
    async verify() {
      await client.json('POST', 'Companies/query', { filter: [{ op: 'eq', field: 'id', value: 0 }] });
    },
    async listCompanies() {
      return (await query<{ id: number; companyName: string }>('Companies', [{ op: 'gte', field: 'id', value: 0 }])).map((c) => ({ id: String(c.id), name: c.companyName }));
    },
    async listAgreements(psaCompanyId) {
      const list = await query<{ id: number; contractName: string; status: number }>('Contracts', [{ op: 'eq', field: 'companyID', value: Number(psaCompanyId) }]);
      // Contract status: 1 active, 0 inactive.
      return list.map((c) => ({ id: String(c.id), name: c.contractName, cancelled: c.status !== 1 }));
    },
    async listProducts() {
      return (await query<{ id: number; name: string }>('Services', [{ op: 'gte', field: 'id', value: 0 }])).map((s) => ({ id: String(s.id), name: s.name }));
    },
    async readLine(ref, onDate): Promise<PsaLineState> {
      const contract = (await client.json<{ item: { status: number } | null }>('GET', `Contracts/${encodeURIComponent(ref.agreementId)}`)).item;
      const cancelled = !contract || contract.status !== 1;
      const service = await contractService(ref.agreementId, ref.productId);
      if (!service) return { lineId: null, quantity: 0, cancelled };
      const units = await query<{ units: number; startDate: string; endDate: string }>('ContractServiceUnits', [{ op: 'eq', field: 'contractServiceID', value: service.id }]);
      const inForce = units.filter((u) => u.startDate.slice(0, 10) <= onDate && u.endDate.slice(0, 10) >= onDate)
        .sort((a, b) => b.startDate.localeCompare(a.startDate))[0];
      return { lineId: String(service.id), quantity: inForce?.units ?? 0, cancelled };
    },
    async writeQuantity(ref, quantity, effectiveDate, current): Promise<PsaWriteResult> {
      // Read again just before the change: the difference is taken from what Autotask holds now.
      const now = await this.readLine(ref, effectiveDate);
      const unitChange = quantity - now.quantity;
      if (unitChange === 0 && now.lineId) return { lineId: now.lineId, exchanges: [] };
      const r = await client.request('POST', 'ContractServiceAdjustments', {
        contractID: Number(ref.agreementId), serviceID: Number(ref.productId), ...(now.lineId ? { contractServiceID: Number(now.lineId) } : {}),
        unitChange, effectiveDate: `${effectiveDate}T00:00:00`,
      });
      const lineId = now.lineId ?? String((await contractService(ref.agreementId, ref.productId))?.id ?? current.lineId ?? '');
      return { lineId, exchanges: [r.exchange] };
    },
    async applyAdjustment(ref, delta, { month, marker, today }): Promise<PsaWriteResult> {
      const r = await client.request('POST', `Contracts/${encodeURIComponent(ref.agreementId)}/Charges`, {
        contractID: Number(ref.agreementId), name: `Tally correction ${month} ${marker}`, description: `Service ${ref.productId}: ${delta > 0 ? '+' : ''}${delta} units for ${month}`,
        unitQuantity: delta, datePurchased: `${today}T00:00:00`, isBillableToCompany: true,
      });
      return { lineId: String((r.json as { itemId: number }).itemId), exchanges: [r.exchange] };
    },
    async hasAdjustment(ref, marker) {
      const charges = await query<{ name: string }>('ContractCharges', [{ op: 'eq', field: 'contractID', value: Number(ref.agreementId) }, { op: 'contains', field: 'name', value: marker }]);
      return charges.length > 0;
    },
  };
}
