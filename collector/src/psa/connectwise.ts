// ConnectWise PSA (Manage) REST API v3.0 connector: a Tally quantity is an
// agreement addition (finance/agreements/{id}/additions) of a catalog product.
//
// Followed: ConnectWise's Manage REST reference as carried by the maintained
// generated client github.com/ai-connor/connectwise (build/docs/Addition.md:
// product{id,identifier}, quantity, effectiveDate, cancelledDate,
// billCustomer, description, agreementId; AgreementsAPI.md and
// AgreementAdditionsAPI.md for the paths; every call takes the `clientId`
// header), and the python client in the same family
// (AgreementAdditionsAPI: module 'agreements/{id}/additions'). Auth is HTTP
// Basic with "companyId+publicKey:privateKey"; lists page with page and
// pageSize (at most 1000) and filter with `conditions`. PATCH bodies are
// JSON Patch arrays ({op, path, value}), as Manage expects.
//
// Writes: the open month sets the addition's quantity (a value, so a retry
// changes nothing); a new addition takes effect on the month's first day. A
// finalized month's correction is a one-month addition carrying the
// difference (effective the first, cancelled the last day of the current
// month) whose description carries the adjustment marker.
import { PsaHttp, type PsaHttpOptions } from './http.ts';
import { PsaError, type PsaAgreement, type PsaConnector, type PsaCredentials, type PsaLineRef, type PsaLineState, type PsaNamed, type PsaWriteResult } from './types.ts';

interface CwAddition {
  id: number;
  product?: { id: number; identifier?: string };
  quantity?: number | null;
  effectiveDate?: string | null;
  cancelledDate?: string | null;
  description?: string;
}

const PAGE = 1000;

export function connectWiseConnector(baseUrl: string, creds: PsaCredentials, http: Partial<PsaHttpOptions> = {}): PsaConnector {
  const basic = Buffer.from(`${creds.companyId}+${creds.publicKey}:${creds.privateKey}`).toString('base64');
  const client = new PsaHttp({ ...http, baseUrl, headers: () => ({ authorization: `Basic ${basic}`, clientId: creds.clientId }) });

  async function all<T>(path: string, conditions?: string): Promise<T[]> {
    const out: T[] = [];
    for (let page = 1; page <= 1000; page++) {
      const q = new URLSearchParams({ page: String(page), pageSize: String(PAGE) });
      if (conditions) q.set('conditions', conditions);
      const items = await client.json<T[]>('GET', `${path}?${q}`);
      if (!Array.isArray(items)) throw new PsaError('psa_rejected', `GET ${path}: expected a list`);
      out.push(...items);
      if (items.length < PAGE) return out;
    }
    throw new PsaError('psa_rejected', `GET ${path}: more than 1000 pages`);
  }

  const isLive = (a: CwAddition, onDate: string) => !a.cancelledDate || a.cancelledDate.slice(0, 10) > onDate;
  const additions = (agreementId: string) => all<CwAddition>(`finance/agreements/${encodeURIComponent(agreementId)}/additions`);

  return {
    kind: 'connectwise',
    async verify() {
      await client.json('GET', 'company/companies?page=1&pageSize=1&fields=id');
    },
    async listCompanies() {
      return (await all<{ id: number; name: string }>('company/companies')).map((c) => ({ id: String(c.id), name: c.name }));
    },
    async listAgreements(psaCompanyId) {
      const list = await all<{ id: number; name: string; cancelledFlag?: boolean; agreementStatus?: string }>('finance/agreements', `company/id=${Number(psaCompanyId)}`);
      return list.map((a): PsaAgreement => ({ id: String(a.id), name: a.name, cancelled: a.cancelledFlag === true || a.agreementStatus === 'Cancelled' }));
    },
    async listProducts() {
      return (await all<{ id: number; identifier: string; description?: string }>('procurement/catalog')).map((p): PsaNamed => ({ id: String(p.id), name: p.identifier }));
    },
    async readLine(ref: PsaLineRef, onDate: string): Promise<PsaLineState> {
      const agreement = await client.json<{ cancelledFlag?: boolean; agreementStatus?: string }>('GET', `finance/agreements/${encodeURIComponent(ref.agreementId)}`);
      const cancelled = agreement.cancelledFlag === true || agreement.agreementStatus === 'Cancelled';
      // The standing line: a live addition of the product that is not one of Tally's one-month adjustments.
      const line = (await additions(ref.agreementId)).find((a) => String(a.product?.id) === ref.productId && isLive(a, onDate) && !a.description?.includes('tally-adj:'));
      return { lineId: line ? String(line.id) : null, quantity: line?.quantity ?? 0, cancelled };
    },
    async writeQuantity(ref, quantity, effectiveDate, current): Promise<PsaWriteResult> {
      const base = `finance/agreements/${encodeURIComponent(ref.agreementId)}/additions`;
      if (current.lineId) {
        const r = await client.request('PATCH', `${base}/${encodeURIComponent(current.lineId)}`, [{ op: 'replace', path: 'quantity', value: quantity }]);
        return { lineId: current.lineId, exchanges: [r.exchange] };
      }
      const r = await client.request('POST', base, {
        product: { id: Number(ref.productId) }, quantity, billCustomer: 'Billable', effectiveDate: `${effectiveDate}T00:00:00Z`, description: 'Tally usage',
      });
      return { lineId: String((r.json as CwAddition).id), exchanges: [r.exchange] };
    },
    async applyAdjustment(ref, delta, { month, marker, today }): Promise<PsaWriteResult> {
      const start = `${today.slice(0, 7)}-01`;
      const end = new Date(Date.UTC(Number(today.slice(0, 4)), Number(today.slice(5, 7)), 0)).toISOString().slice(0, 10);
      const r = await client.request('POST', `finance/agreements/${encodeURIComponent(ref.agreementId)}/additions`, {
        product: { id: Number(ref.productId) }, quantity: delta, billCustomer: 'Billable', effectiveDate: `${start}T00:00:00Z`, cancelledDate: `${end}T00:00:00Z`,
        description: `Tally correction of ${month} (${marker})`,
      });
      return { lineId: String((r.json as CwAddition).id), exchanges: [r.exchange] };
    },
    async hasAdjustment(ref, marker) {
      return (await additions(ref.agreementId)).some((a) => a.description?.includes(marker));
    },
  };
}
