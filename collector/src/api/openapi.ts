// The OpenAPI 3.1 description of the admin API, built from the same zod
// schemas the server validates with (a write's body is its command's input
// schema), so the document cannot drift from what the server accepts. A test
// checks that every declared route is described.
import { z } from 'zod';
import { COMMANDS, type Command } from '../admin/index.ts';
import { ERROR_TABLE, type ErrorCode } from '../errors.ts';
import { AuditQuery } from './audit.ts';
import { DeviceListQuery } from './devices.ts';
import { ReportQuery } from './reports.ts';
import { DeviceUsageQuery, ExplainQuery, ForecastQuery, MonthlyQuery, UserUsageQuery } from './usage.ts';

interface Operation {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** OpenAPI form: {id} */
  path: string;
  tag: string;
  /** Reads say what they answer; writes take it from their command. */
  summary?: string;
  query?: z.ZodObject;
  /** The command a write runs: its input schema is the request body. */
  command?: Command;
  /** The success status and what it carries. */
  ok: [number, string];
  produces?: string;
}

/** Every admin route. Writes name their command: its summary and input schema describe them. */
export const OPERATIONS: Operation[] = [
  { method: 'get', path: '/companies', tag: 'companies', summary: "Companies the key may see (its subtree)", ok: [200, 'companies'] },
  { method: 'post', path: '/companies', tag: 'companies', command: COMMANDS.createCompany, ok: [201, 'the company'] },
  { method: 'get', path: '/companies/{id}', tag: 'companies', summary: 'One company', ok: [200, 'the company'] },
  { method: 'patch', path: '/companies/{id}', tag: 'companies', command: COMMANDS.updateCompany, ok: [200, 'the company'] },
  { method: 'post', path: '/companies/{id}/move', tag: 'companies', command: COMMANDS.moveCompany, ok: [200, 'the company, under its new parent'] },
  { method: 'get', path: '/companies/{id}/user-groups', tag: 'users', summary: "A customer's user groups", ok: [200, 'user groups'] },
  { method: 'post', path: '/companies/{id}/user-groups', tag: 'users', command: COMMANDS.createUserGroup, ok: [201, 'the group'] },
  { method: 'get', path: '/companies/{id}/users', tag: 'users', summary: 'Users (inactive for 150 days are hidden unless includeRetired=true)', ok: [200, 'users'] },
  { method: 'post', path: '/companies/{id}/users', tag: 'users', command: COMMANDS.createUser, ok: [201, 'the user'] },
  { method: 'post', path: '/companies/{id}/user-groups/{groupId}/members', tag: 'users', command: COMMANDS.addGroupMember, ok: [204, 'added'] },
  { method: 'post', path: '/companies/{id}/xdr-deployments', tag: 'licensing', command: COMMANDS.recordXdrDeployment, ok: [201, 'recorded'] },
  { method: 'get', path: '/devices', tag: 'devices', summary: 'Devices (inactive for 90 days are hidden unless includeRetired=true)', query: DeviceListQuery, ok: [200, 'devices and the next cursor'] },
  { method: 'put', path: '/devices/{id}/user', tag: 'devices', command: COMMANDS.assignDeviceUser, ok: [200, 'the binding'] },
  { method: 'get', path: '/devices/duplicates', tag: 'devices', summary: 'Possible duplicates: device pairs that look like one machine, with the evidence and whether both are billed this month (one machine billed twice)', ok: [200, 'pairs'] },
  { method: 'get', path: '/devices/{id}/history', tag: 'devices', summary: "A device's life: enrolled, re-enrolled, moved, uninstalled, reinstalled, retired, merged, excluded", ok: [200, 'history'] },
  { method: 'post', path: '/devices/{id}/move', tag: 'devices', command: COMMANDS.moveDevice, ok: [200, 'the move'] },
  { method: 'post', path: '/devices/{id}/merge', tag: 'devices', command: COMMANDS.mergeDevices, ok: [200, 'the merge'] },
  { method: 'post', path: '/devices/{id}/retire', tag: 'devices', command: COMMANDS.retireDevice, ok: [200, 'retired or back'] },
  { method: 'post', path: '/devices/{id}/exclusion', tag: 'devices', command: COMMANDS.excludeDevice, ok: [201, 'excluded'] },
  { method: 'delete', path: '/devices/{id}/exclusion', tag: 'devices', command: COMMANDS.includeDevice, ok: [200, 'billed again'] },
  { method: 'post', path: '/devices/{id}/dismiss-duplicate', tag: 'devices', command: COMMANDS.dismissDuplicate, ok: [200, 'dismissed'] },
  { method: 'get', path: '/companies/{id}/subscriptions', tag: 'licensing', summary: 'Subscription versions of a company', ok: [200, 'versions'] },
  { method: 'get', path: '/companies/{id}/licence', tag: 'licensing', summary: "The company's licence state now (billable, trial, not_started, ended, inactive, none) and the subscription it comes from", ok: [200, 'the licence'] },
  { method: 'post', path: '/companies/{id}/subscriptions', tag: 'licensing', command: COMMANDS.setSubscription, ok: [201, 'the version'] },
  { method: 'post', path: '/subscriptions/{id}/activate', tag: 'licensing', command: COMMANDS.activateTrial, ok: [201, 'the new version'] },
  { method: 'get', path: '/usage', tag: 'usage', summary: 'Per device: awake seconds and active days in a UTC month', query: DeviceUsageQuery, ok: [200, 'device usage and the next cursor'] },
  { method: 'get', path: '/usage/monthly', tag: 'usage', summary: 'The Monthly License Usage figures per company (finalized snapshot when the month is finalized): usage columns (activity), billable columns (billable days only), unlicensed activity by reason, the licence over the month', query: MonthlyQuery, ok: [200, 'report rows: own, total, billable {own,total}, unlicensed {own,total}, licence'] },
  { method: 'get', path: '/usage/users', tag: 'usage', summary: 'User-based (active utilization) usage, with the unlicensed users and devices', query: UserUsageQuery, ok: [200, 'per company'] },
  { method: 'get', path: '/usage/explain', tag: 'usage', summary: "Why a device is billed as it is: days (with their licence state), seconds, modules, user, usage and billable columns", query: ExplainQuery, ok: [200, 'the explanation'] },
  { method: 'get', path: '/usage/forecast', tag: 'usage', summary: 'Month-end forecast for the open month', query: ForecastQuery, ok: [200, 'forecast per company'] },
  { method: 'get', path: '/months/{month}', tag: 'months', summary: "A month's state, hashes and adjustments", ok: [200, 'the month'] },
  { method: 'post', path: '/months/{month}/close', tag: 'months', command: COMMANDS.closeMonth, ok: [201, 'finalized'] },
  { method: 'get', path: '/api-keys', tag: 'keys', summary: 'API keys in scope (never the secrets)', ok: [200, 'keys'] },
  { method: 'post', path: '/api-keys', tag: 'keys', command: COMMANDS.createApiKey, ok: [201, 'the key'] },
  { method: 'delete', path: '/api-keys/{id}', tag: 'keys', command: COMMANDS.revokeApiKey, ok: [204, 'revoked'] },
  { method: 'get', path: '/companies/{id}/enrolment-tokens', tag: 'keys', summary: 'Enrolment tokens of a customer', ok: [200, 'tokens'] },
  { method: 'post', path: '/companies/{id}/enrolment-tokens', tag: 'keys', command: COMMANDS.createEnrolmentToken, ok: [201, 'the token'] },
  { method: 'delete', path: '/enrolment-tokens/{id}', tag: 'keys', command: COMMANDS.revokeEnrolmentToken, ok: [204, 'revoked'] },
  { method: 'get', path: '/reports/monthly-license-usage', tag: 'reports', summary: 'Stream the Monthly License Usage report (CSV with usage, unlicensed activity and endpoint sections; XLSX; PDF with the add-on chart) or the PSA export', query: ReportQuery, ok: [200, 'the file'], produces: 'application/octet-stream' },
  { method: 'post', path: '/reports', tag: 'reports', command: COMMANDS.createReport, ok: [202, 'the report job'] },
  { method: 'get', path: '/reports', tag: 'reports', summary: 'Generated reports in scope', ok: [200, 'report jobs'] },
  { method: 'get', path: '/reports/{id}', tag: 'reports', summary: 'A generated report: its status', ok: [200, 'the report job'] },
  { method: 'get', path: '/reports/{id}/download', tag: 'reports', summary: 'Download a generated report', ok: [200, 'the file'], produces: 'application/octet-stream' },
  { method: 'get', path: '/report-schedules', tag: 'reports', summary: 'Report schedules in scope', ok: [200, 'schedules'] },
  { method: 'post', path: '/report-schedules', tag: 'reports', command: COMMANDS.createReportSchedule, ok: [201, 'the schedule'] },
  { method: 'delete', path: '/report-schedules/{id}', tag: 'reports', command: COMMANDS.deleteReportSchedule, ok: [204, 'deleted'] },
  { method: 'get', path: '/audit', tag: 'audit', summary: 'Admin actions on companies in scope, newest first (who, what, when)', query: AuditQuery, ok: [200, 'entries and the next cursor'] },
  { method: 'get', path: '/admin-users', tag: 'access', summary: 'Admin users (people who sign in) in scope', ok: [200, 'users'] },
  { method: 'post', path: '/admin-users', tag: 'access', command: COMMANDS.createAdminUser, ok: [201, 'the user, with a temporary password shown once'] },
  { method: 'get', path: '/admin-users/{id}', tag: 'access', summary: 'One admin user', ok: [200, 'the user'] },
  { method: 'patch', path: '/admin-users/{id}', tag: 'access', command: COMMANDS.updateAdminUser, ok: [200, 'the user'] },
  { method: 'post', path: '/admin-users/{id}/reset-password', tag: 'access', command: COMMANDS.resetPassword, ok: [200, 'the temporary password, shown once'] },
  { method: 'get', path: '/admin-users/{id}/sessions', tag: 'access', summary: "A user's console sessions", ok: [200, 'sessions'] },
  { method: 'delete', path: '/admin-users/{id}/sessions', tag: 'access', command: COMMANDS.endUserSessions, ok: [200, 'how many ended'] },
  { method: 'get', path: '/sso-providers', tag: 'access', summary: 'Single sign-on (OpenID Connect) providers in scope; client secrets are never shown', ok: [200, 'providers'] },
  { method: 'post', path: '/sso-providers', tag: 'access', command: COMMANDS.createSsoProvider, ok: [201, 'the provider'] },
  { method: 'patch', path: '/sso-providers/{id}', tag: 'access', command: COMMANDS.updateSsoProvider, ok: [200, 'the provider'] },
  { method: 'get', path: '/sign-in-settings', tag: 'access', summary: 'Installation sign-in settings', ok: [200, 'settings'] },
  { method: 'put', path: '/sign-in-settings', tag: 'access', command: COMMANDS.setSignInSettings, ok: [200, 'settings'] },
  { method: 'get', path: '/webhooks', tag: 'webhooks', summary: 'Webhook endpoints in scope; secrets are never shown after creation', ok: [200, 'endpoints'] },
  { method: 'post', path: '/webhooks', tag: 'webhooks', command: COMMANDS.createWebhook, ok: [201, 'the endpoint, with its signing secret shown once'] },
  { method: 'get', path: '/webhooks/{id}', tag: 'webhooks', summary: 'One webhook endpoint', ok: [200, 'the endpoint'] },
  { method: 'patch', path: '/webhooks/{id}', tag: 'webhooks', command: COMMANDS.updateWebhook, ok: [200, 'the endpoint'] },
  { method: 'delete', path: '/webhooks/{id}', tag: 'webhooks', command: COMMANDS.deleteWebhook, ok: [204, 'deleted'] },
  { method: 'post', path: '/webhooks/{id}/test', tag: 'webhooks', command: COMMANDS.testSendWebhook, ok: [200, 'what the receiver answered'] },
  { method: 'get', path: '/webhooks/{id}/deliveries', tag: 'webhooks', summary: "The endpoint's delivery log: deliveries (one per event) and every attempt (status code, duration, outcome), newest first", ok: [200, 'deliveries and attempts'] },
  { method: 'get', path: '/alert-rules', tag: 'alerts', summary: 'Alert rules in scope', ok: [200, 'rules'] },
  { method: 'post', path: '/companies/{id}/alert-rules', tag: 'alerts', command: COMMANDS.createAlertRule, ok: [201, 'the rule'] },
  { method: 'patch', path: '/alert-rules/{id}', tag: 'alerts', command: COMMANDS.updateAlertRule, ok: [200, 'the rule'] },
  { method: 'delete', path: '/alert-rules/{id}', tag: 'alerts', command: COMMANDS.deleteAlertRule, ok: [204, 'deleted'] },
  { method: 'get', path: '/alerts', tag: 'alerts', summary: 'Alerts raised now (one per rule and subject until it clears) and the latest raised and cleared', ok: [200, 'active and recent alerts'] },
  { method: 'get', path: '/releases', tag: 'releases', summary: 'Agent releases, newest first, with their signed manifests and rollouts (rules for companies in scope)', ok: [200, 'releases'] },
  { method: 'get', path: '/releases/{sequence}', tag: 'releases', summary: 'One agent release', ok: [200, 'the release'] },
  { method: 'put', path: '/release-artifacts/{sha256}', tag: 'releases', summary: 'Upload a release artifact (raw bytes, application/octet-stream); kept only if they hash to {sha256}. Installation-wide, releases.write', ok: [201, 'stored'] },
  { method: 'post', path: '/releases', tag: 'releases', command: COMMANDS.publishRelease, ok: [201, 'the release'] },
  { method: 'post', path: '/releases/{sequence}/rollout', tag: 'releases', command: COMMANDS.setRollout, ok: [200, 'the release and its rollout'] },
  { method: 'post', path: '/releases/{sequence}/pause', tag: 'releases', command: COMMANDS.pauseRelease, ok: [200, 'paused'] },
  { method: 'post', path: '/releases/{sequence}/resume', tag: 'releases', command: COMMANDS.resumeRelease, ok: [200, 'resumed'] },
  { method: 'get', path: '/psa', tag: 'psa', summary: 'PSA connections (installation-wide keys; credentials masked, never shown)', ok: [200, 'connections'] },
  { method: 'get', path: '/psa/{kind}', tag: 'psa', summary: 'A PSA connection, its mappings, and the companies and SKUs with billable usage still unmapped (?month=YYYY-MM, default the current one)', ok: [200, 'the overview'] },
  { method: 'get', path: '/psa/{kind}/suggestions', tag: 'psa', summary: "The PSA's companies and suggested matches (same normalized name) for unmapped Tally companies, to confirm with PUT mappings", ok: [200, 'suggestions'] },
  { method: 'get', path: '/psa/{kind}/catalog', tag: 'psa', summary: "The PSA's products, and the agreements of ?psaCompanyId", ok: [200, 'agreements and products'] },
  { method: 'get', path: '/psa/{kind}/reconciliation', tag: 'psa', summary: 'Per company and SKU: Tally billable quantity, PSA quantity now, last pushed, change, action, drift flags (?month=YYYY-MM&format=json|csv)', ok: [200, 'the reconciliation'] },
  { method: 'put', path: '/psa/{kind}/connection', tag: 'psa', command: COMMANDS.setPsaConnection, ok: [200, 'the connection, credentials masked'] },
  { method: 'put', path: '/psa/{kind}/mappings', tag: 'psa', command: COMMANDS.setPsaMapping, ok: [200, 'the mapping'] },
  { method: 'delete', path: '/psa/{kind}/mappings', tag: 'psa', command: COMMANDS.deletePsaMapping, ok: [200, 'removed'] },
  { method: 'post', path: '/psa/{kind}/sync', tag: 'psa', command: COMMANDS.runPsaSync, ok: [200, 'what was written, adjusted and refused, with the plan'] },
];

const ERROR = {
  type: 'object',
  properties: {
    error: {
      type: 'object',
      properties: { code: { type: 'string', enum: Object.keys(ERROR_TABLE) }, message: { type: 'string' }, field: { type: 'string' } },
      required: ['code', 'message'],
    },
  },
  required: ['error'],
};

/** Every HTTP status of the error table, with the codes that answer with it. */
const ERROR_RESPONSES: Record<number, unknown> = {};
for (const [code, e] of Object.entries(ERROR_TABLE) as [ErrorCode, (typeof ERROR_TABLE)[ErrorCode]][]) {
  const seen = ERROR_RESPONSES[e.http] as { description: string } | undefined;
  ERROR_RESPONSES[e.http] = { description: seen ? `${seen.description}, ${code}` : code, content: { 'application/json': { schema: ERROR } } };
}

function jsonSchema(schema: z.ZodType): Record<string, unknown> {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return rest;
}

export function openApiDocument(extra: Operation[] = []): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of [...OPERATIONS, ...extra]) {
    const parameters = [
      ...[...op.path.matchAll(/\{(\w+)\}/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } })),
      ...(op.query ? Object.entries((jsonSchema(op.query).properties ?? {}) as Record<string, unknown>).map(([name, schema]) => ({
        name, in: 'query', required: ((jsonSchema(op.query!).required ?? []) as string[]).includes(name), schema,
      })) : []),
    ];
    const [status, description] = op.ok;
    (paths[op.path] ??= {})[op.method] = {
      tags: [op.tag],
      summary: op.summary ?? op.command?.summary,
      ...(parameters.length ? { parameters } : {}),
      ...(op.command ? { requestBody: { required: false, content: { 'application/json': { schema: jsonSchema(op.command.input) } } } } : {}),
      responses: {
        [status]: status === 204 ? { description } : { description, content: { [op.produces ?? 'application/json']: {} } },
        ...ERROR_RESPONSES,
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Tally collector admin API', version: '1', description: 'Usage metering for managed security products: companies, licensing, devices and monthly usage.' },
    servers: [{ url: '/api/v1' }],
    components: { securitySchemes: { apiKey: { type: 'http', scheme: 'bearer', description: 'An API key from `tally-collector apikey create` or POST /api-keys' } } },
    security: [{ apiKey: [] }],
    paths,
  };
}

export type { Operation as OpenApiOperation };
