// HaloPSA API emulator, from HaloPSA's API reference as used by the public
// clients (a PowerShell token sample, github.com/neschram/Py-HaloPSA, the
// endpoint lists of public Halo MCP servers): POST /auth/token with
// grant_type=client_credentials, client_id, client_secret and scope=all
// (form encoded; optional ?tenant=) answered {access_token, token_type,
// expires_in}, a wrong client answered 401 {error: 'invalid_client'}; /api/
// calls need "Authorization: Bearer <token>" (401 otherwise, also once a
// token is expired); lists page with pageinate=true&page_size&page_no and
// answer {record_count, <resource>}. Recurring invoices carry `lines`
// (id, ihid, item_id, qty_order); POST /api/RecurringInvoice/updatelines
// takes an array of lines (with id: update; without: add); POST /api/Invoice
// takes an array of invoices. `disabled` marks a recurring invoice stopped.
import { randomBytes } from 'node:crypto';
import { Emulator, badRequest, notFound, pageOf, type Reply, type Request } from './base.ts';

interface Line { id: number; ihid: number; item_id: number; qty_order: number; item_shortdescription?: string }

export class HaloEmulator extends Emulator {
  static readonly CREDS = { clientId: 'halo-client-42', clientSecret: 'halo-SECRET-1a2b3c', tenant: 'tallymsp' };
  clients = [{ id: 12, name: 'ACME Corporation Ltd' }, { id: 13, name: 'Globex' }, { id: 14, name: 'Stark Industries' }];
  items = [{ id: 300, name: 'Endpoint Security' }, { id: 301, name: 'Patch Management' }, { id: 302, name: 'EDR' }];
  recurring: { id: number; client_id: number; reference: string; disabled: boolean; lines: Line[] }[] = [
    { id: 60, client_id: 12, reference: 'ACME monthly', disabled: false, lines: [] },
    { id: 61, client_id: 13, reference: 'Globex monthly', disabled: false, lines: [] },
  ];
  invoices: { id: number; client_id: number; invoice_date: string; lines: Line[] }[] = [];
  tokens = new Set<string>();
  tokenRequests = 0;
  private nextId = 900;

  get base(): string {
    return this.url + '/';
  }

  qty(ihid: number, itemId: number): number | undefined {
    return this.recurring.find((r) => r.id === ihid)?.lines.find((l) => l.item_id === itemId)?.qty_order;
  }

  protected handle(req: Request): Reply {
    if (req.path === '/auth/token' && req.method === 'POST') {
      this.tokenRequests++;
      const form = new URLSearchParams(req.rawBody);
      if (form.get('grant_type') !== 'client_credentials') return { status: 400, json: { error: 'unsupported_grant_type' } };
      if (form.get('client_id') !== HaloEmulator.CREDS.clientId || form.get('client_secret') !== HaloEmulator.CREDS.clientSecret
        || req.query.get('tenant') !== HaloEmulator.CREDS.tenant) return { status: 401, json: { error: 'invalid_client' } };
      const token = randomBytes(16).toString('hex');
      this.tokens.add(token);
      return { status: 200, json: { access_token: token, token_type: 'Bearer', expires_in: 3600, scope: form.get('scope') } };
    }
    const bearer = /^Bearer (\w+)$/.exec(req.headers.authorization ?? '');
    if (!bearer || !this.tokens.has(bearer[1])) return { status: 401, json: { error: 'invalid_token' } };
    const page = Number(req.query.get('page_no') ?? '1');
    const size = Math.min(100, Number(req.query.get('page_size') ?? '50'));
    const list = <T>(key: string, rows: T[]): Reply => ({
      status: 200, json: { record_count: rows.length, [key]: req.query.get('pageinate') === 'true' ? pageOf(rows, page, size) : rows },
    });
    let m: RegExpExecArray | null;
    if (req.method === 'GET' && req.path === '/api/Client') return list('clients', this.clients);
    if (req.method === 'GET' && req.path === '/api/Item') return list('items', this.items);
    if (req.method === 'GET' && req.path === '/api/RecurringInvoice') {
      const client = req.query.get('client_id');
      return list('invoices', this.recurring.filter((r) => !client || r.client_id === Number(client)));
    }
    if (req.method === 'GET' && (m = /^\/api\/RecurringInvoice\/(\d+)$/.exec(req.path))) {
      const r = this.recurring.find((x) => x.id === Number(m![1]));
      return r ? { status: 200, json: r } : notFound('recurring invoice');
    }
    if (req.method === 'POST' && req.path === '/api/RecurringInvoice/updatelines') {
      if (!Array.isArray(req.body)) return badRequest('an array of lines is expected');
      const out: Line[] = [];
      for (const l of req.body as Partial<Line>[]) {
        const r = this.recurring.find((x) => x.id === l.ihid);
        if (!r) return badRequest('ihid: no such recurring invoice');
        if (typeof l.qty_order !== 'number') return badRequest('qty_order: a number is required');
        if (l.id !== undefined) {
          const line = r.lines.find((x) => x.id === l.id);
          if (!line) return badRequest('id: no such line');
          line.qty_order = l.qty_order;
          out.push(line);
        } else {
          if (!this.items.some((i) => i.id === l.item_id)) return badRequest('item_id: no such item');
          const line: Line = { id: this.nextId++, ihid: r.id, item_id: l.item_id!, qty_order: l.qty_order };
          r.lines.push(line);
          out.push(line);
        }
      }
      return { status: 201, json: out };
    }
    if (req.method === 'GET' && req.path === '/api/Invoice') {
      const client = req.query.get('client_id');
      return list('invoices', this.invoices.filter((i) => !client || i.client_id === Number(client)));
    }
    if (req.method === 'POST' && req.path === '/api/Invoice') {
      if (!Array.isArray(req.body) || req.body.length !== 1) return badRequest('an array of one invoice is expected');
      const b = req.body[0] as { client_id?: number; invoice_date?: string; lines?: Partial<Line>[] };
      if (!this.clients.some((c) => c.id === b.client_id)) return badRequest('client_id: no such client');
      const id = this.nextId++;
      const inv = { id, client_id: b.client_id!, invoice_date: b.invoice_date ?? '', lines: (b.lines ?? []).map((l) => ({ id: this.nextId++, ihid: id, item_id: l.item_id!, qty_order: l.qty_order!, item_shortdescription: l.item_shortdescription })) };
      this.invoices.push(inv);
      return { status: 201, json: inv };
    }
    return notFound('route');
  }
}
