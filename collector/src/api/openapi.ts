// The OpenAPI 3.1 description of the admin API, built from the same zod
// schemas the routes validate with, so the document cannot drift from what
// the server accepts. A test checks that every declared route is described.
import { z } from 'zod';
import { AddMember, CreateCompany, CreateGroup, CreateUser, PatchCompany, XdrDeployment } from './companies.ts';
import { AssignUserBody, DeviceListQuery } from './devices.ts';
import { CreateKey, CreateToken } from './keys.ts';
import { AuditQuery } from './audit.ts';
import { CreateReportBody, CreateScheduleBody, ReportQuery } from './reports.ts';
import { SubscriptionBody } from './subscriptions.ts';
import { CloseMonthBody, DeviceUsageQuery, ExplainQuery, ForecastQuery, MonthlyQuery, UserUsageQuery } from './usage.ts';

interface Operation {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** OpenAPI form: {id} */
  path: string;
  tag: string;
  summary: string;
  query?: z.ZodObject;
  body?: z.ZodType;
  /** The success status and what it carries. */
  ok: [number, string];
  produces?: string;
}

/** Every admin route. Extra routes (reports) register through `extraOperations`. */
export const OPERATIONS: Operation[] = [
  { method: 'get', path: '/companies', tag: 'companies', summary: "Companies the key may see (its subtree)", ok: [200, 'companies'] },
  { method: 'post', path: '/companies', tag: 'companies', summary: 'Create a partner or customer under a partner', body: CreateCompany, ok: [201, 'the company'] },
  { method: 'get', path: '/companies/{id}', tag: 'companies', summary: 'One company', ok: [200, 'the company'] },
  { method: 'patch', path: '/companies/{id}', tag: 'companies', summary: 'Rename, set the external id, inactivate or reactivate (inactive: not billed, agents and keys refused, data kept)', body: PatchCompany, ok: [200, 'the company'] },
  { method: 'get', path: '/companies/{id}/user-groups', tag: 'users', summary: "A customer's user groups", ok: [200, 'user groups'] },
  { method: 'post', path: '/companies/{id}/user-groups', tag: 'users', summary: 'Create a user group', body: CreateGroup, ok: [201, 'the group'] },
  { method: 'get', path: '/companies/{id}/users', tag: 'users', summary: 'Users (inactive for 150 days are hidden unless includeRetired=true)', ok: [200, 'users'] },
  { method: 'post', path: '/companies/{id}/users', tag: 'users', summary: 'Create (or find) a user by stable id', body: CreateUser, ok: [201, 'the user'] },
  { method: 'post', path: '/companies/{id}/user-groups/{groupId}/members', tag: 'users', summary: 'Add a user to a group (it gets the group\'s subscription)', body: AddMember, ok: [204, 'added'] },
  { method: 'post', path: '/companies/{id}/xdr-deployments', tag: 'licensing', summary: 'Record that an XDR sensor of a category was deployed in a month', body: XdrDeployment, ok: [201, 'recorded'] },
  { method: 'get', path: '/devices', tag: 'devices', summary: 'Devices (inactive for 90 days are hidden unless includeRetired=true)', query: DeviceListQuery, ok: [200, 'devices and the next cursor'] },
  { method: 'put', path: '/devices/{id}/user', tag: 'devices', summary: "Bind a device to a user (overrides the agent's binding; null: no user)", body: AssignUserBody, ok: [200, 'the binding'] },
  { method: 'get', path: '/companies/{id}/subscriptions', tag: 'licensing', summary: 'Subscription versions of a company', ok: [200, 'versions'] },
  { method: 'post', path: '/companies/{id}/subscriptions', tag: 'licensing', summary: 'Create a subscription, or a new version of one (effective-dated; never edits the past)', body: SubscriptionBody, ok: [201, 'the version'] },
  { method: 'post', path: '/subscriptions/{id}/activate', tag: 'licensing', summary: 'Make a trial active before its end', ok: [201, 'the new version'] },
  { method: 'get', path: '/usage', tag: 'usage', summary: 'Per device: awake seconds and active days in a UTC month', query: DeviceUsageQuery, ok: [200, 'device usage and the next cursor'] },
  { method: 'get', path: '/usage/monthly', tag: 'usage', summary: 'The Monthly License Usage figures per company (finalized snapshot when the month is finalized)', query: MonthlyQuery, ok: [200, 'report rows'] },
  { method: 'get', path: '/usage/users', tag: 'usage', summary: 'User-based (active utilization) usage', query: UserUsageQuery, ok: [200, 'per company'] },
  { method: 'get', path: '/usage/explain', tag: 'usage', summary: "Why a device is billed as it is: days, seconds, modules, user, columns", query: ExplainQuery, ok: [200, 'the explanation'] },
  { method: 'get', path: '/usage/forecast', tag: 'usage', summary: 'Month-end forecast for the open month', query: ForecastQuery, ok: [200, 'forecast per company'] },
  { method: 'get', path: '/months/{month}', tag: 'months', summary: "A month's state, hashes and adjustments", ok: [200, 'the month'] },
  { method: 'post', path: '/months/{month}/close', tag: 'months', summary: 'Finalize a month (installation keys only)', body: CloseMonthBody, ok: [201, 'finalized'] },
  { method: 'get', path: '/api-keys', tag: 'keys', summary: 'API keys in scope (never the secrets)', ok: [200, 'keys'] },
  { method: 'post', path: '/api-keys', tag: 'keys', summary: 'Create an API key for a company in scope; the key is shown once', body: CreateKey, ok: [201, 'the key'] },
  { method: 'delete', path: '/api-keys/{id}', tag: 'keys', summary: 'Revoke an API key', ok: [204, 'revoked'] },
  { method: 'get', path: '/companies/{id}/enrolment-tokens', tag: 'keys', summary: 'Enrolment tokens of a customer', ok: [200, 'tokens'] },
  { method: 'post', path: '/companies/{id}/enrolment-tokens', tag: 'keys', summary: 'Create an enrolment token; shown once', body: CreateToken, ok: [201, 'the token'] },
  { method: 'delete', path: '/enrolment-tokens/{id}', tag: 'keys', summary: 'Revoke an enrolment token', ok: [204, 'revoked'] },
  { method: 'get', path: '/reports/monthly-license-usage', tag: 'reports', summary: 'Stream the Monthly License Usage report (CSV in two sections, XLSX, PDF with the add-on chart) or the PSA export', query: ReportQuery, ok: [200, 'the file'], produces: 'application/octet-stream' },
  { method: 'post', path: '/reports', tag: 'reports', summary: 'Generate a report in the background and keep it for download', body: CreateReportBody, ok: [202, 'the report job'] },
  { method: 'get', path: '/reports', tag: 'reports', summary: 'Generated reports in scope', ok: [200, 'report jobs'] },
  { method: 'get', path: '/reports/{id}', tag: 'reports', summary: 'A generated report: its status', ok: [200, 'the report job'] },
  { method: 'get', path: '/reports/{id}/download', tag: 'reports', summary: 'Download a generated report', ok: [200, 'the file'], produces: 'application/octet-stream' },
  { method: 'get', path: '/report-schedules', tag: 'reports', summary: 'Report schedules in scope', ok: [200, 'schedules'] },
  { method: 'post', path: '/report-schedules', tag: 'reports', summary: 'Schedule the previous month\'s report on a day of each month at a UTC hour, optionally emailed', body: CreateScheduleBody, ok: [201, 'the schedule'] },
  { method: 'delete', path: '/report-schedules/{id}', tag: 'reports', summary: 'Delete a report schedule', ok: [204, 'deleted'] },
  { method: 'get', path: '/audit', tag: 'audit', summary: 'Admin actions on companies in scope, newest first (who, what, when)', query: AuditQuery, ok: [200, 'entries and the next cursor'] },
];

const ERROR = {
  type: 'object',
  properties: { error: { type: 'object', properties: { code: { type: 'string' }, message: { type: 'string' } }, required: ['code', 'message'] } },
  required: ['error'],
};

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
      summary: op.summary,
      ...(parameters.length ? { parameters } : {}),
      ...(op.body ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(op.body) } } } } : {}),
      responses: {
        [status]: status === 204 ? { description } : { description, content: { [op.produces ?? 'application/json']: {} } },
        400: { description: 'invalid_request: the message names the field', content: { 'application/json': { schema: ERROR } } },
        401: { description: 'unauthorized: no or unknown API key', content: { 'application/json': { schema: ERROR } } },
        403: { description: 'forbidden: read-only key, inactive company, or installation-only operation', content: { 'application/json': { schema: ERROR } } },
        404: { description: 'not_found (also for anything outside the key\'s scope)', content: { 'application/json': { schema: ERROR } } },
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
