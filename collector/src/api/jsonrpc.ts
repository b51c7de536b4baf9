// Partner API compatible with GravityZone's JSON-RPC 2.0 surface, so the
// PSA and RMM integrations MSPs already run can read Tally's usage:
// POST /api/v1.0/jsonrpc/{companies|licensing|reports}, HTTP Basic with the
// API key as user name and an empty password. The same scopes as the REST API.
import { Hono, type Context } from 'hono';
import { randomBytes, randomUUID } from 'node:crypto';
import { addMonths, monthContaining, type ProductType, type SubscriptionVersion, type UsageColumns } from '../billing/index.ts';
import { hashSecret } from '../auth/secrets.ts';
import { apiKeyFrom } from './routes.ts';
import type { ReportJobs } from '../reporting/jobs.ts';
import { ReportRequestError } from '../reporting/jobs.ts';
import type { ApiKeyRecord, Storage } from '../storage/types.ts';
import { StorageError } from '../storage/types.ts';
import type { UsageService } from '../usage/service.ts';
import { UsageError } from '../usage/service.ts';
import { Scope } from './scope.ts';

export const JSONRPC = {
  parseError: -32700,
  invalidRequest: -32600,
  methodNotFound: -32601,
  invalidParams: -32602,
  internal: -32603,
  /** Server-defined: the target is unknown or outside the key's scope. */
  notFound: -32000,
  /** Server-defined: the key may not do this (read-only key, own subscription...). */
  forbidden: -32001,
} as const;

class RpcError extends Error {
  constructor(readonly code: number, message: string, readonly data?: unknown) {
    super(message);
  }
}

const invalid = (param: string, why: string) => new RpcError(JSONRPC.invalidParams, `Invalid params: ${param} ${why}`, { param });

interface RpcContext {
  storage: Storage;
  usage: UsageService;
  reports: ReportJobs;
  now: () => number;
  key: ApiKeyRecord;
  scope: Scope;
  origin: string;
}

type Params = Record<string, unknown>;
type Method = (params: Params, ctx: RpcContext) => Promise<unknown>;

// ---------------------------------------------------------------- params

function str(p: Params, name: string, required: true): string;
function str(p: Params, name: string, required?: false): string | undefined;
function str(p: Params, name: string, required = false): string | undefined {
  const v = p[name];
  if (v === undefined || v === null) {
    if (required) throw invalid(name, 'is required');
    return undefined;
  }
  if (typeof v !== 'string' || v.trim() === '' || v.length > 200) throw invalid(name, 'must be a non-empty string');
  return v.trim();
}

function int(p: Params, name: string, min: number, max: number): number | undefined {
  const v = p[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) throw invalid(name, `must be an integer from ${min} to ${max}`);
  return v;
}

function bool(p: Params, name: string): boolean | undefined {
  const v = p[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'boolean') throw invalid(name, 'must be true or false');
  return v;
}

/** "mm/yyyy", as GravityZone's targetMonth. */
function targetMonth(p: Params): string {
  const v = str(p, 'targetMonth', true);
  const m = /^(0[1-9]|1[0-2])\/(\d{4})$/.exec(v);
  if (!m) throw invalid('targetMonth', 'must look like mm/yyyy, e.g. 10/2026');
  return `${m[2]}-${m[1]}`;
}

function productType(p: Params): ProductType {
  const v = p.productType ?? 'endpoint_security';
  if (v !== 'endpoint_security' && v !== 'edr') throw invalid('productType', 'must be "endpoint_security" or "edr"');
  return v;
}

function companyIn(ctx: RpcContext, id: string | undefined, param = 'companyId') {
  const target = id ?? ctx.key.companyId;
  if (!target) throw invalid(param, 'is required with an installation-wide key');
  if (!ctx.scope.canSee(target)) throw new RpcError(JSONRPC.notFound, `company ${target} not found`, { param });
  return ctx.scope.companies.get(target)!;
}

function requireWrite(ctx: RpcContext): void {
  if (ctx.key.readOnly) throw new RpcError(JSONRPC.forbidden, 'this API key is read-only');
}

// ---------------------------------------------------------------- usage field names

/** Our columns under the names GravityZone's getMonthlyUsage uses. */
export const MONTHLY_USAGE_FIELDS: Readonly<Record<string, keyof UsageColumns>> = {
  endpointMonthlyUsage: 'endpointUsage',
  licensedEndpointsMonthlyUsage: 'licensedEndpoints',
  aLaCarteMonthlyUsage: 'aLaCarteUsage',
  mspSecureMonthlyUsage: 'secureUsage',
  mspSecurePlusMonthlyUsage: 'securePlusUsage',
  mspSecureExtraMonthlyUsage: 'secureExtraUsage',
  encryptionMonthlyUsage: 'encryptionUsage',
  patchManagementMonthlyUsage: 'patchManagementUsage',
  integrityMonitoringMonthlyUsage: 'integrityMonitoringUsage',
  integrityMonitoring90DaysMonthlyUsage: 'integrityMonitoring90dUsage',
  integrityMonitoring180DaysMonthlyUsage: 'integrityMonitoring180dUsage',
  integrityMonitoring1YearMonthlyUsage: 'integrityMonitoring1yUsage',
  sveVsMonthlyUsage: 'sveVsUsage',
  /** In hours, each endpoint's uptime rounded up to the hour. */
  sveVdiMonthlyUsage: 'sveVdiHours',
  containerProtectionMonthlyUsage: 'containerProtectionUsage',
  atsMonthlyUsage: 'atsUsage',
  edrMonthlyUsage: 'edrUsage',
  xdrIdentityProvidersMonthlyUsage: 'xdrIdentityProvidersUsage',
  xdrProductivityMonthlyUsage: 'xdrProductivityUsage',
  xdrNetworkMonthlyUsage: 'xdrNetworkUsage',
  xdrCloudWorkloadsMonthlyUsage: 'xdrCloudWorkloadsUsage',
  mdrFoundationsMonthlyUsage: 'mdrFoundationsUsage',
  billableEndpointMonthlyUsage: 'billableEndpointUsage',
};

const COMPANY_TYPES: Record<number, 'partner' | 'customer'> = { 0: 'partner', 1: 'customer' };

function versionInForce(versions: SubscriptionVersion[], atMs: number): SubscriptionVersion | undefined {
  return versions.filter((v) => v.effectiveFromMs <= atMs && (v.effectiveUntilMs == null || atMs < v.effectiveUntilMs)).at(-1);
}

// ---------------------------------------------------------------- methods

const SERVICES: Record<string, Record<string, Method>> = {
  companies: {
    // type: 0 partner, 1 customer (GravityZone's numbering); parentId defaults to the key's own company.
    async createCompany(p, ctx) {
      requireWrite(ctx);
      const name = str(p, 'name', true);
      const type = COMPANY_TYPES[int(p, 'type', 0, 1) ?? 1];
      const parentId = str(p, 'parentId') ?? ctx.key.companyId;
      if (parentId === null) {
        if (!ctx.scope.isInstallation) throw new RpcError(JSONRPC.forbidden, 'a top-level company needs an installation-wide key');
      } else {
        companyIn(ctx, parentId, 'parentId');
      }
      try {
        const c = await ctx.storage.tenancy.createCompany({ id: randomUUID(), name, type, parentId, externalId: str(p, 'externalId') ?? null, nowMs: ctx.now() });
        await ctx.storage.audit.append({ atMs: ctx.now(), actor: `api-key:${ctx.key.id}`, action: 'company.create', targetType: 'company', targetId: c.id, companyId: c.id, details: { via: 'jsonrpc', name, type, parentId } });
        return c.id;
      } catch (err) {
        if (err instanceof StorageError && err.code === 'conflict') throw invalid('parentId', err.message);
        throw err;
      }
    },
    async getCompanyDetails(p, ctx) {
      const c = companyIn(ctx, str(p, 'companyId'));
      return { id: c.id, name: c.name, type: c.type === 'partner' ? 0 : 1, parentId: c.parentId, externalId: c.externalId, active: c.active, registeredAt: new Date(c.registeredAtMs).toISOString() };
    },
  },
  licensing: {
    async getLicenseInfo(p, ctx) {
      const c = companyIn(ctx, str(p, 'companyId'));
      const v = versionInForce(await ctx.storage.tenancy.listSubscriptionVersions(c.id), ctx.now());
      if (!v) return { companyId: c.id, subscribed: false };
      return {
        companyId: c.id, subscribed: true, subscriptionId: v.subscriptionId, licenseKey: v.licenseKey, subscriptionType: v.licenseType,
        productType: v.productType, protectionModel: v.protectionModel, addons: v.addOns, services: v.services,
        reservedSlots: v.reservedSeats, minimumUsage: v.minimumUsage, endDate: v.endDate, autoRenewal: v.autoRenewal,
        trialEndsAt: v.trialEndsAtMs === null ? null : new Date(v.trialEndsAtMs).toISOString(),
      };
    },
    // Sets the company's monthly subscription from now on (a new version; past months keep their terms).
    async setMonthlySubscription(p, ctx) {
      requireWrite(ctx);
      const c = companyIn(ctx, str(p, 'companyId', true));
      if (c.id === ctx.key.companyId) throw new RpcError(JSONRPC.forbidden, 'subscriptions are set by the partner above the company');
      const type = p.subscriptionType ?? 'monthly_subscription';
      if (type !== 'monthly_subscription' && type !== 'monthly_license' && type !== 'trial') throw invalid('subscriptionType', 'must be monthly_subscription, monthly_license or trial');
      const model = p.protectionModel ?? 'a_la_carte';
      if (!['a_la_carte', 'secure', 'secure_plus', 'secure_extra'].includes(model as string)) throw invalid('protectionModel', 'must be a_la_carte, secure, secure_plus or secure_extra');
      const addons = (p.addons ?? {}) as Record<string, unknown>;
      if (typeof addons !== 'object' || Array.isArray(addons)) throw invalid('addons', 'must be an object');
      const flag = (name: string) => {
        const v = addons[name];
        if (v !== undefined && typeof v !== 'boolean') throw invalid(`addons.${name}`, 'must be true or false');
        return v === true;
      };
      const im = addons.integrityMonitoring ?? null;
      if (im !== null && !['none', '90d', '180d', '1y'].includes(im as string)) throw invalid('addons.integrityMonitoring', 'must be null, none, 90d, 180d or 1y');
      const xdr = addons.xdr ?? [];
      if (!Array.isArray(xdr) || xdr.some((x) => !['identity_providers', 'productivity', 'network', 'cloud_workloads'].includes(x))) throw invalid('addons.xdr', 'must list XDR categories');
      const endDate = str(p, 'endDate') ?? null;
      if (endDate !== null && !/^\d{4}-\d{2}-\d{2}$/.test(endDate)) throw invalid('endDate', 'must be YYYY-MM-DD');
      const trialEnds = str(p, 'trialEndsAt');
      if (type === 'trial' && (!trialEnds || Number.isNaN(Date.parse(trialEnds)))) throw invalid('trialEndsAt', 'is required for a trial, as an ISO date-time');
      const existing = (await ctx.storage.tenancy.listSubscriptionVersions(c.id)).at(-1);
      const version: SubscriptionVersion = {
        subscriptionId: existing?.subscriptionId ?? randomUUID(), companyId: c.id, effectiveFromMs: Math.max(ctx.now(), existing?.effectiveFromMs ?? 0), effectiveUntilMs: null,
        productType: productType(p), protectionModel: model as SubscriptionVersion['protectionModel'],
        addOns: { encryption: flag('encryption'), patchManagement: flag('patchManagement'), integrityMonitoring: im as SubscriptionVersion['addOns']['integrityMonitoring'],
          containerProtection: flag('containerProtection'), ats: flag('ats'), edr: flag('edr'), sve: flag('sve'), xdr: xdr as SubscriptionVersion['addOns']['xdr'] },
        services: { mdrFoundations: bool(p, 'mdrFoundations') ?? false },
        licenseType: type, trialEndsAtMs: type === 'trial' ? Date.parse(trialEnds!) : null, trialConvertedAtMs: null,
        licenseKey: existing?.licenseKey ?? randomBytes(8).toString('hex').toUpperCase().match(/.{4}/g)!.join('-'),
        reservedSeats: int(p, 'reservedSlots', 0, 10_000_000) ?? null, minimumUsage: int(p, 'minimumUsage', 0, 10_000_000) ?? null,
        endDate, autoRenewal: bool(p, 'autoRenewal') ?? false, attachment: { customer: true, userGroupIds: [] },
      };
      await ctx.storage.tenancy.addSubscriptionVersion(version, ctx.now());
      await ctx.storage.audit.append({ atMs: ctx.now(), actor: `api-key:${ctx.key.id}`, action: existing ? 'subscription.change' : 'subscription.create', targetType: 'subscription', targetId: version.subscriptionId, companyId: c.id, details: { via: 'jsonrpc' } });
      return true;
    },
    async getMonthlyUsage(p, ctx) {
      // Params are checked before anything is looked up: a malformed call is -32602 whatever it names.
      const month = targetMonth(p);
      const type = productType(p);
      const c = companyIn(ctx, str(p, 'companyId'));
      const { report } = await ctx.usage.monthlyReport(month, type, { devices: false });
      const row = report.rows.find((r) => r.companyId === c.id);
      const result: Record<string, number | string | boolean | null> = {};
      for (const [field, column] of Object.entries(MONTHLY_USAGE_FIELDS)) result[field] = row ? row.total[column] : 0;
      result.minimumUsage = row?.minimumUsage ?? null;
      result.reservedSlots = row?.reservedSeats ?? null;
      result.finalized = (await ctx.usage.view(month)).status === 'finalized';
      return result;
    },
  },
  reports: {
    // type 13: Monthly License Usage. reportingInterval 4: the previous month (an extension, targetMonth "mm/yyyy", picks any).
    async createReport(p, ctx) {
      requireWrite(ctx);
      if (p.type !== 13) throw invalid('type', 'must be 13 (Monthly License Usage); no other report type is supported');
      const ids = p.targetIds;
      if (!Array.isArray(ids) || ids.length !== 1 || typeof ids[0] !== 'string') throw invalid('targetIds', 'must hold exactly one company id');
      const c = companyIn(ctx, ids[0], 'targetIds');
      const options = (p.options ?? {}) as Params;
      if (typeof options !== 'object' || Array.isArray(options)) throw invalid('options', 'must be an object');
      const interval = options.reportingInterval ?? 4;
      let month: string;
      if (options.targetMonth !== undefined) month = targetMonth(options);
      else if (interval === 4) month = addMonths(monthContaining(ctx.now()), -1).id;
      else throw invalid('options.reportingInterval', 'must be 4 (last month), or give options.targetMonth');
      const format = options.format ?? 'csv';
      try {
        const checked = ctx.reports.validate({ companyId: c.id, month, productType: options.productType ?? 'endpoint_security',
          onlyEndpointDetails: options.skipSummary === true || options.onlyEndpointDetails === true, onlyDirectCompanies: options.onlyDirectCompanies }, format);
        const { id } = await ctx.reports.enqueue({ ...checked, requestedBy: `api-key:${ctx.key.id}`, name: str(p, 'name') ?? 'Monthly License Usage' });
        return id;
      } catch (err) {
        if (err instanceof ReportRequestError) throw invalid(`options.${err.field ?? 'format'}`, `${err.message} (${err.code})`);
        throw err;
      }
    },
    async getDownloadLinks(p, ctx) {
      const id = str(p, 'reportId', true);
      const job = await ctx.storage.reports.getJob(id);
      if (!job || !ctx.scope.canSee(job.companyId)) throw new RpcError(JSONRPC.notFound, `report ${id} not found`, { param: 'reportId' });
      return {
        readyForDownload: job.status === 'ready',
        status: job.status,
        lastInstanceUrl: job.status === 'ready' ? `${ctx.origin}/api/v1/reports/${job.id}/download` : null,
      };
    },
  },
};

export function jsonRpcRoutes(deps: { storage: Storage; usage: UsageService; reports: ReportJobs; now: () => number }) {
  const api = new Hono();

  api.post('/:service', async (c) => {
    const secret = apiKeyFrom(c.req.header('authorization'));
    const key = secret ? await deps.storage.adminWrite.findApiKey(hashSecret(secret)) : null;
    if (!key) {
      c.header('WWW-Authenticate', 'Basic realm="tally"');
      return c.json({ jsonrpc: '2.0', id: null, error: { code: JSONRPC.invalidRequest, message: 'Unauthorized: HTTP Basic with the API key as user name and an empty password' } }, 401);
    }
    const scope = await Scope.load(deps.storage, key);
    if (scope.loginRefused) return c.json({ jsonrpc: '2.0', id: null, error: { code: JSONRPC.forbidden, message: 'the company this API key belongs to is inactive' } }, 403);
    const service = SERVICES[c.req.param('service')];
    const ctx: RpcContext = { ...deps, key, scope, origin: new URL(c.req.url).origin };

    let body: unknown;
    try {
      const text = await c.req.text();
      if (text.length > 256 * 1024) return c.json(rpcError(null, JSONRPC.invalidRequest, 'request larger than 256 KiB'), 413);
      body = JSON.parse(text);
    } catch {
      return c.json(rpcError(null, JSONRPC.parseError, 'Parse error: the body is not valid JSON'));
    }
    if (Array.isArray(body)) {
      if (body.length === 0 || body.length > 50) return c.json(rpcError(null, JSONRPC.invalidRequest, 'Invalid Request: a batch holds 1 to 50 calls'));
      const answers = [];
      for (const call of body) {
        const a = await handle(call, service, ctx);
        if (a) answers.push(a);
      }
      return c.json(answers);
    }
    const answer = await handle(body, service, ctx);
    return answer ? c.json(answer) : c.body(null, 204);
  });

  return api;
}

function rpcError(id: unknown, code: number, message: string, data?: unknown) {
  return { jsonrpc: '2.0', id: id ?? null, error: { code, message, ...(data === undefined ? {} : { data }) } };
}

/** One call; null for a notification (no id), which gets no answer. */
async function handle(call: unknown, service: Record<string, Method> | undefined, ctx: RpcContext) {
  if (!call || typeof call !== 'object' || Array.isArray(call)) return rpcError(null, JSONRPC.invalidRequest, 'Invalid Request: expected a JSON-RPC 2.0 object');
  const { jsonrpc, method, params, id } = call as Record<string, unknown>;
  const validId = id === undefined || typeof id === 'string' || typeof id === 'number' || id === null;
  if (jsonrpc !== '2.0' || typeof method !== 'string' || !validId) return rpcError(validId ? id : null, JSONRPC.invalidRequest, 'Invalid Request: needs jsonrpc "2.0", a method name and an id');
  const fn = service && Object.hasOwn(service, method) ? service[method] : undefined;
  if (!fn) return rpcError(id, JSONRPC.methodNotFound, `Method not found: ${method}`);
  if (params !== undefined && (params === null || typeof params !== 'object' || Array.isArray(params))) {
    return rpcError(id, JSONRPC.invalidParams, 'Invalid params: params must be an object');
  }
  try {
    const result = await fn((params ?? {}) as Params, ctx);
    return id === undefined ? null : { jsonrpc: '2.0', id, result };
  } catch (err) {
    if (err instanceof RpcError) return rpcError(id, err.code, err.message, err.data);
    if (err instanceof UsageError) return rpcError(id, JSONRPC.invalidParams, `Invalid params: ${err.message}`);
    return rpcError(id, JSONRPC.internal, 'Internal error');
  }
}
