// HaloPSA REST API connector: a Tally quantity is a line (an Item) of a
// client's recurring invoice.
//
// Followed: HaloPSA's API reference (/api/ resources, OAuth2 client
// credentials at /auth/token, optional ?tenant= for hosted instances) as
// used by the public clients: a PowerShell sample posting
// grant_type=client_credentials&client_id&client_secret&scope=all and using
// `access_token` as a Bearer token; the python wrapper
// github.com/neschram/Py-HaloPSA and a second python client whose
// RecurringInvoice/UpdateLines takes lines keyed by `id` and `ihid` (the
// recurring invoice); the endpoint lists of public Halo MCP servers
// (GET /RecurringInvoice, GET /RecurringInvoice/{id}, POST
// /RecurringInvoice/updatelines, POST /Invoice, GET /Client, GET /Item).
// Lists page with pageinate=true&page_size&page_no and answer
// {record_count, <resource>: [...]}. Line fields: item_id, qty_order,
// item_shortdescription. The `disabled` flag of a recurring invoice is
// taken as "cancelled"; that one name is our reading of Halo's screen, not
// a field confirmed in a client.
//
// A token is fetched when first needed and again on a 401 (expired). A
// finalized month's correction is a one-off invoice (POST /Invoice) to the
// client with one line carrying the difference and the marker.
import { PsaHttp, type PsaHttpOptions } from './http.ts';
import { PsaError, type PsaConnector, type PsaCredentials, type PsaLineState, type PsaWriteResult } from './types.ts';

interface HaloLine { id: number; ihid: number; item_id: number; qty_order: number; item_shortdescription?: string }
interface HaloRecurring { id: number; client_id: number; reference?: string; disabled?: boolean; lines?: HaloLine[] }

const PAGE = 100;

export function haloConnector(baseUrl: string, creds: PsaCredentials, http: Partial<PsaHttpOptions> = {}): PsaConnector {
  let token: string | null = null;
  const auth = new PsaHttp({ ...http, baseUrl, headers: () => ({}) });
  async function fetchToken(): Promise<string> {
    const path = `auth/token${creds.tenant ? `?tenant=${encodeURIComponent(creds.tenant)}` : ''}`;
    const r = await auth.request('POST', path, undefined, {
      auth: false, form: { grant_type: 'client_credentials', client_id: creds.clientId, client_secret: creds.clientSecret, scope: 'all' },
    }).catch((err) => {
      // The token endpoint answers a wrong secret with 400/401 (invalid_client): the same clear code either way.
      if (err instanceof PsaError && (err.status === 400 || err.status === 401)) throw new PsaError('psa_auth_failed', 'HaloPSA refused the client credentials', err.status);
      throw err;
    });
    const t = (r.json as { access_token?: string }).access_token;
    if (!t) throw new PsaError('psa_auth_failed', 'HaloPSA answered the token request without an access_token');
    return t;
  }
  const client = new PsaHttp({
    ...http, baseUrl,
    headers: async () => ({ authorization: `Bearer ${(token ??= await fetchToken())}` }),
    onUnauthorized: async () => {
      token = null;
      return true;
    },
  });

  async function all<T>(resource: string, key: string, params: Record<string, string> = {}): Promise<T[]> {
    const out: T[] = [];
    for (let page = 1; page <= 1000; page++) {
      const q = new URLSearchParams({ ...params, pageinate: 'true', page_size: String(PAGE), page_no: String(page) });
      const body = await client.json<Record<string, unknown>>('GET', `api/${resource}?${q}`);
      const items = (body[key] ?? []) as T[];
      out.push(...items);
      const total = Number(body.record_count ?? out.length);
      if (items.length < PAGE || out.length >= total) return out;
    }
    throw new PsaError('psa_rejected', `GET api/${resource}: more than 1000 pages`);
  }
  const recurring = (id: string) => client.json<HaloRecurring>('GET', `api/RecurringInvoice/${encodeURIComponent(id)}?includelines=true`);

  return {
    kind: 'halopsa',
    async verify() {
      token = await fetchToken();
      await client.json('GET', 'api/Client?pageinate=true&page_size=1&page_no=1');
    },
    async listCompanies() {
      return (await all<{ id: number; name: string }>('Client', 'clients')).map((c) => ({ id: String(c.id), name: c.name }));
    },
    async listAgreements(psaCompanyId) {
      const list = await all<HaloRecurring>('RecurringInvoice', 'invoices', { client_id: psaCompanyId });
      return list.map((r) => ({ id: String(r.id), name: r.reference || `Recurring invoice ${r.id}`, cancelled: r.disabled === true }));
    },
    async listProducts() {
      return (await all<{ id: number; name: string }>('Item', 'items')).map((i) => ({ id: String(i.id), name: i.name }));
    },
    async readLine(ref): Promise<PsaLineState> {
      const r = await recurring(ref.agreementId);
      const line = (r.lines ?? []).find((l) => String(l.item_id) === ref.productId);
      return { lineId: line ? String(line.id) : null, quantity: line?.qty_order ?? 0, cancelled: r.disabled === true };
    },
    async writeQuantity(ref, quantity, _effectiveDate, current): Promise<PsaWriteResult> {
      // A line without an id is added to the recurring invoice; with one, it is updated.
      const line = { ...(current.lineId ? { id: Number(current.lineId) } : {}), ihid: Number(ref.agreementId), item_id: Number(ref.productId), qty_order: quantity };
      // Updating a line sets a value (safe to retry); adding one is a create (not retried).
      const r = await client.request('POST', 'api/RecurringInvoice/updatelines', [line], { idempotent: current.lineId !== null });
      let lineId = current.lineId;
      if (!lineId) lineId = (await this.readLine(ref, _effectiveDate)).lineId;
      return { lineId: lineId ?? '', exchanges: [r.exchange] };
    },
    async applyAdjustment(ref, delta, { month, marker, today }): Promise<PsaWriteResult> {
      const r0 = await recurring(ref.agreementId);
      const r = await client.request('POST', 'api/Invoice', [{
        client_id: r0.client_id, invoice_date: `${today}T00:00:00Z`,
        lines: [{ item_id: Number(ref.productId), qty_order: delta, item_shortdescription: `Tally correction of ${month} (${marker})` }],
      }]);
      const created = r.json as { id?: number } | { id?: number }[];
      return { lineId: String((Array.isArray(created) ? created[0]?.id : created.id) ?? ''), exchanges: [r.exchange] };
    },
    async hasAdjustment(ref, marker) {
      const r0 = await recurring(ref.agreementId);
      const invoices = await all<{ lines?: HaloLine[] }>('Invoice', 'invoices', { client_id: String(r0.client_id), includelines: 'true' });
      return invoices.some((i) => (i.lines ?? []).some((l) => l.item_shortdescription?.includes(marker)));
    },
  };
}
