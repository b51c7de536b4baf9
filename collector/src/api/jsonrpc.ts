// Partner API compatible with GravityZone's JSON-RPC 2.0 surface, so the
// PSA and RMM integrations MSPs already run can read Tally's usage:
// POST /api/v1.0/jsonrpc/{companies|licensing|reports}, HTTP Basic with the
// API key as user name and an empty password. An adapter: writes run the
// same admin commands as REST (GravityZone's parameter names are translated
// here and nothing else is decided here), errors come from the one error
// table (errors.ts).
import { Hono } from 'hono';
import { UNLICENSED_REASONS, addMonths, monthContaining, type UsageColumns } from '../billing/index.ts';
import { COMMANDS, companyLicence, executeCommand, type CommandServices } from '../admin/index.ts';
import { apiKeyFromHeader, apiKeyHash, authenticateApiKey } from '../auth/authenticate.ts';
import type { Principal } from '../auth/principal.ts';
import { requirePermission } from '../auth/principal.ts';
import { ERROR_TABLE, TallyError, invalid, toTallyError, type ErrorCode } from '../errors.ts';
import type { Storage } from '../storage/types.ts';
import type { MonthReader } from '../usage/index.ts';
import { visibleJob } from './reports.ts';
import { publicLink } from '../public-url.ts';
import { endpointJson, ruleJson } from './webhooks.ts';
import { psaKind, psaReconciliation } from '../psa/views.ts';

/** JSON-RPC 2.0's own codes, for failures of the protocol itself; domain errors use ERROR_TABLE's rpc codes. */
export const JSONRPC = {
  parseError: -32700,
  invalidRequest: -32600,
  methodNotFound: -32601,
  invalidParams: ERROR_TABLE.invalid_request.rpc,
  internal: ERROR_TABLE.internal.rpc,
  notFound: ERROR_TABLE.not_found.rpc,
  forbidden: ERROR_TABLE.forbidden.rpc,
} as const;

export interface JsonRpcDeps {
  storage: Pick<Storage, 'adminRead' | 'adminWrite' | 'tenancy' | 'reports' | 'users' | 'hooks' | 'psa' | 'audit'>;
  reader: MonthReader;
  commands: CommandServices;
  now: () => number;
  /** The base of the links handed out (getDownloadLinks); never the request's Host. */
  publicUrl: () => string;
}

interface RpcContext extends JsonRpcDeps {
  principal: Principal;
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

/** "mm/yyyy", as GravityZone's targetMonth, to 'YYYY-MM'. */
function targetMonth(p: Params): string {
  const v = str(p, 'targetMonth', true);
  const m = /^(0[1-9]|1[0-2])\/(\d{4})$/.exec(v);
  if (!m) throw invalid('targetMonth', 'must look like mm/yyyy, e.g. 10/2026');
  return `${m[2]}-${m[1]}`;
}

function productType(p: Params): 'endpoint_security' | 'edr' {
  const v = p.productType ?? 'endpoint_security';
  if (v !== 'endpoint_security' && v !== 'edr') throw invalid('productType', 'must be "endpoint_security" or "edr"');
  return v;
}

/** The company a read is about: the param, else the key's own company. */
function companyIn(ctx: RpcContext, id: string | undefined, param = 'companyId') {
  const target = id ?? ctx.principal.scope.homeCompanyId;
  if (!target) throw invalid(param, 'is required with an installation-wide key');
  return ctx.principal.scope.company(target, param);
}

const run = <C extends (typeof COMMANDS)[keyof typeof COMMANDS]>(ctx: RpcContext, command: C, target: unknown, input: unknown) =>
  executeCommand(command as never, ctx.commands, ctx.principal, target, input) as Promise<Awaited<ReturnType<C['run']>>['result']>;

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

/** GravityZone's company types: 0 partner, 1 customer. */
const COMPANY_TYPES: Record<string, 'partner' | 'customer'> = { 0: 'partner', 1: 'customer' };

// ---------------------------------------------------------------- methods

export const SERVICES: Record<string, Record<string, Method>> = {
  companies: {
    // parentId defaults to the key's own company.
    async createCompany(p, ctx) {
      const type = p.type === undefined || p.type === null ? 'customer' : COMPANY_TYPES[String(p.type)] ?? p.type;
      const c = await run(ctx, COMMANDS.createCompany, {}, {
        name: p.name, type, parentId: p.parentId ?? ctx.principal.scope.homeCompanyId, externalId: p.externalId ?? null,
      });
      return c.id;
    },
    async getCompanyDetails(p, ctx) {
      requirePermission(ctx.principal, 'read');
      const c = companyIn(ctx, str(p, 'companyId'));
      return { id: c.id, name: c.name, type: c.type === 'partner' ? 0 : 1, parentId: c.parentId, externalId: c.externalId, active: c.active, registeredAt: new Date(c.registeredAtMs).toISOString() };
    },
  },
  licensing: {
    // The licence now, from the billing core's rule (admin/licence.ts): a trial that ended or was made active
    // answers monthly_subscription, as the report does; `licenceState` says whether it is billable and why not.
    async getLicenseInfo(p, ctx) {
      requirePermission(ctx.principal, 'read');
      const c = companyIn(ctx, str(p, 'companyId'));
      const licence = await companyLicence(ctx.storage, ctx.principal.scope, c.id, ctx.now());
      const v = licence.version;
      const state = { licenceState: licence.state, billable: licence.state === 'billable', inactiveCompanyId: licence.inactiveCompanyId };
      if (!v) return { companyId: c.id, subscribed: false, ...state };
      return {
        // Subscribed: a subscription covers the company now (billable or on trial); not before it starts, after it ended, or while inactive.
        companyId: c.id, subscribed: licence.state === 'billable' || licence.state === 'trial',
        ...state, subscriptionId: v.subscriptionId, licenseKey: v.licenseKey, subscriptionType: licence.licenseType,
        productType: v.productType, protectionModel: v.protectionModel, addons: v.addOns, services: v.services,
        reservedSlots: v.reservedSeats, minimumUsage: v.minimumUsage, endDate: v.endDate, autoRenewal: v.autoRenewal,
        trialEndsAt: v.trialEndsAtMs === null ? null : new Date(v.trialEndsAtMs).toISOString(),
        effectiveFrom: new Date(v.effectiveFromMs).toISOString(),
      };
    },
    // Sets the company's monthly subscription (a new version of its current one; past months keep their terms).
    async setMonthlySubscription(p, ctx) {
      const addons = p.addons === undefined || p.addons === null ? {} : p.addons;
      await run(ctx, COMMANDS.setSubscription, { companyId: p.companyId }, {
        replaceCurrent: true,
        effectiveFrom: p.effectiveFrom,
        productType: p.productType ?? 'endpoint_security',
        protectionModel: p.protectionModel,
        licenseType: p.subscriptionType,
        trialEndsAt: p.trialEndsAt,
        addOns: addons,
        services: p.mdrFoundations === undefined ? undefined : { mdrFoundations: p.mdrFoundations },
        reservedSeats: p.reservedSlots,
        minimumUsage: p.minimumUsage,
        endDate: p.endDate,
        autoRenewal: p.autoRenewal,
      });
      return true;
    },
    async getMonthlyUsage(p, ctx) {
      requirePermission(ctx.principal, 'read');
      // Params are checked before anything is looked up: a malformed call is invalid whatever it names.
      const month = targetMonth(p);
      const type = productType(p);
      const c = companyIn(ctx, str(p, 'companyId'));
      const { report } = await ctx.reader.monthlyReport(month, type, { devices: false });
      const row = report.rows.find((r) => r.companyId === c.id);
      const result: Record<string, unknown> = {};
      // GravityZone's fields are the usage (activity, as its report counts it); billableEndpointMonthlyUsage is what is billed.
      for (const [field, column] of Object.entries(MONTHLY_USAGE_FIELDS)) result[field] = row ? row.total[column] : 0;
      result.minimumUsage = row?.minimumUsage ?? null;
      result.reservedSlots = row?.reservedSeats ?? null;
      // Extensions: the same fields over billable days only, and the activity that was not billed, by reason (billing/licence.ts).
      result.billableMonthlyUsage = Object.fromEntries(Object.entries(MONTHLY_USAGE_FIELDS).map(([field, column]) => [field, row ? row.billable.total[column] : 0]));
      result.unlicensedEndpointMonthlyUsage = row?.unlicensed.total.endpoints ?? 0;
      result.unlicensedEndpointsByReason = Object.fromEntries(UNLICENSED_REASONS.map((r) => [r, row?.unlicensed.total.byReason[r] ?? 0]));
      result.finalized = (await ctx.reader.view(month)).status === 'finalized';
      return result;
    },
  },
  reports: {
    // type 13: Monthly License Usage. reportingInterval 4: the previous month (an extension, targetMonth "mm/yyyy", picks any).
    async createReport(p, ctx) {
      requirePermission(ctx.principal, 'reports.write');
      if (p.type !== 13) throw invalid('type', 'must be 13 (Monthly License Usage); no other report type is supported');
      const ids = p.targetIds;
      if (!Array.isArray(ids) || ids.length !== 1 || typeof ids[0] !== 'string') throw invalid('targetIds', 'must hold exactly one company id');
      const options = (p.options ?? {}) as Params;
      if (typeof options !== 'object' || Array.isArray(options)) throw invalid('options', 'must be an object');
      const interval = options.reportingInterval ?? 4;
      let month: string;
      if (options.targetMonth !== undefined) month = targetMonth(options);
      else if (interval === 4) month = addMonths(monthContaining(ctx.now()), -1).id;
      else throw invalid('options.reportingInterval', 'must be 4 (last month), or give options.targetMonth');
      const { id } = await run(ctx, COMMANDS.createReport, {}, {
        name: p.name ?? 'Monthly License Usage', format: options.format ?? 'csv', companyId: ids[0], month,
        productType: options.productType ?? 'endpoint_security',
        onlyEndpointDetails: options.skipSummary === true || options.onlyEndpointDetails === true,
        onlyDirectCompanies: options.onlyDirectCompanies === undefined ? undefined : options.onlyDirectCompanies,
      });
      return id;
    },
    async getDownloadLinks(p, ctx) {
      requirePermission(ctx.principal, 'read');
      const job = await visibleJob(ctx.storage.reports, ctx.principal.scope, str(p, 'reportId', true));
      return {
        readyForDownload: job.status === 'ready',
        status: job.status,
        lastInstanceUrl: job.status === 'ready' ? publicLink(ctx.publicUrl(), `/api/v1/reports/${job.id}/download`) : null,
      };
    },
  },
  // Tally's own extension (GravityZone has no PSA sync): the psa.* commands and the reconciliation; params as on REST, plus `kind`.
  psa: {
    setConnection: (p, ctx) => run(ctx, COMMANDS.setPsaConnection, { kind: p.kind }, withoutKind(p)),
    setMapping: (p, ctx) => run(ctx, COMMANDS.setPsaMapping, { kind: p.kind }, withoutKind(p)),
    deleteMapping: (p, ctx) => run(ctx, COMMANDS.deletePsaMapping, { kind: p.kind }, withoutKind(p)),
    runSync: (p, ctx) => run(ctx, COMMANDS.runPsaSync, { kind: p.kind }, withoutKind(p)),
    async getReconciliation(p, ctx) {
      requirePermission(ctx.principal, 'read');
      ctx.principal.scope.requireInstallation('PSA sync (a connection covers every company)');
      const month = str(p, 'month', true);
      if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(month)) throw invalid('month', 'must look like YYYY-MM');
      return psaReconciliation({ psa: ctx.commands.psa, stores: ctx.storage, now: ctx.now }, psaKind(str(p, 'kind', true)), month);
    },
  },
};

// Tally's own service (no GravityZone counterpart): webhooks and alert rules,
// params as the REST bodies, the same commands.
SERVICES.webhooks = {
  async createWebhook(p, ctx) {
    return run(ctx, COMMANDS.createWebhook, {}, p);
  },
  async updateWebhook(p, ctx) {
    const { endpointId, ...input } = p;
    return run(ctx, COMMANDS.updateWebhook, { endpointId }, input);
  },
  async deleteWebhook(p, ctx) {
    return run(ctx, COMMANDS.deleteWebhook, { endpointId: p.endpointId }, {});
  },
  async sendTestWebhook(p, ctx) {
    return run(ctx, COMMANDS.testSendWebhook, { endpointId: p.endpointId }, {});
  },
  async getWebhooks(_p, ctx) {
    requirePermission(ctx.principal, 'read');
    return (await ctx.storage.hooks.listEndpoints(ctx.principal.scope.companyIds())).map(endpointJson);
  },
  async createAlertRule(p, ctx) {
    const { companyId, ...input } = p;
    return ruleJson(await run(ctx, COMMANDS.createAlertRule, { companyId }, input));
  },
  async updateAlertRule(p, ctx) {
    const { ruleId, ...input } = p;
    return ruleJson(await run(ctx, COMMANDS.updateAlertRule, { ruleId }, input));
  },
  async deleteAlertRule(p, ctx) {
    return run(ctx, COMMANDS.deleteAlertRule, { ruleId: p.ruleId }, {});
  },
  async getAlertRules(_p, ctx) {
    requirePermission(ctx.principal, 'read');
    return (await ctx.storage.hooks.listRules(ctx.principal.scope.companyIds())).map(ruleJson);
  },
};
function withoutKind(p: Params): Params {
  const { kind: _kind, ...rest } = p;
  return rest;
}

function rpcError(id: unknown, code: number, message: string, data?: unknown) {
  return { jsonrpc: '2.0', id: id ?? null, error: { code, message, ...(data === undefined ? {} : { data }) } };
}

/** A domain error as JSON-RPC renders it: the table's code, and the stable code and field in data. */
export function rpcDomainError(id: unknown, e: TallyError) {
  const message = e.code === 'invalid_request' ? `Invalid params: ${e.message}` : e.code === 'internal' ? 'Internal error' : e.message;
  return rpcError(id, ERROR_TABLE[e.code].rpc, message, { code: e.code, ...(e.field ? { param: e.field } : {}) });
}

export function jsonRpcRoutes(deps: JsonRpcDeps) {
  const api = new Hono();

  api.post('/:service', async (c) => {
    let principal: Principal;
    try {
      principal = await authenticateApiKey(deps.storage, apiKeyHash(apiKeyFromHeader(c.req.header('authorization'))));
    } catch (err) {
      const e = toTallyError(err);
      if (e.code === 'unauthorized') {
        c.header('WWW-Authenticate', 'Basic realm="tally"');
        return c.json(rpcDomainError(null, new TallyError('unauthorized', 'Unauthorized: HTTP Basic with the API key as user name and an empty password')), 401);
      }
      return c.json(rpcDomainError(null, e), ERROR_TABLE[e.code].http as 403);
    }
    const service = SERVICES[c.req.param('service')];
    const ctx: RpcContext = { ...deps, principal };

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
    return rpcDomainError(id, toTallyError(err));
  }
}

export type { ErrorCode };
