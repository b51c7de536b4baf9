// Monthly usage, user-based usage, explain and forecast; month state and closing.
import { Hono } from 'hono';
import { z } from 'zod';
import { parseMonth, type MonthlyUsageReport } from '../billing/index.ts';
import { COMMANDS, visibleDevice, type CommandServices } from '../admin/index.ts';
import { idParam, monthParam, productTypeParam } from '../admin/schemas.ts';
import type { Scope } from '../auth/scope.ts';
import { TallyError } from '../errors.ts';
import type { AdminReadStore } from '../storage/types.ts';
import type { MonthReader } from '../usage/index.ts';
import { iso } from './serialize.ts';
import { jsonStreamResponse, jsonWithNestedLists } from './json-stream.ts';
import { commandRoute, queryParams, read, type ApiEnv } from './http.ts';

export const MonthlyQuery = z.object({
  month: monthParam,
  productType: productTypeParam.default('endpoint_security'),
  companyId: idParam.optional(),
  includeDevices: z.enum(['true', 'false']).default('false'),
});

export const DeviceUsageQuery = z.object({
  month: monthParam,
  limit: z.coerce.number().int().min(1).max(10_000).default(1000),
  after: z.string().min(1).max(64).optional(),
});
export const UserUsageQuery = z.object({ month: monthParam, companyId: idParam.optional() });
export const ExplainQuery = z.object({ month: monthParam, deviceId: idParam, productType: productTypeParam.default('endpoint_security') });
export const ForecastQuery = z.object({ productType: productTypeParam.default('endpoint_security'), companyId: idParam.optional() });

/** The principal's rows only (the lines are read separately, when asked: a month of 1,000,000 endpoints is large). */
function visibleRows<R extends { companyId: string }>(rows: readonly R[], scope: Scope, companyId: string | undefined): R[] {
  if (companyId) scope.company(companyId);
  return rows.filter((r) => scope.canSee(r.companyId) && (!companyId || r.companyId === companyId));
}

export function usageRoutes(adminRead: Pick<AdminReadStore, 'usageForDays' | 'getDevice'>, reader: MonthReader, commands: CommandServices) {
  const api = new Hono<ApiEnv>();

  // Per device: awake seconds and active days (the raw facts behind the bill).
  api.get('/usage', read('read', async (c) => {
    const q = queryParams(c, DeviceUsageQuery);
    // q.month matched YYYY-MM already; the billing core's parser gives the UTC day range.
    const month = parseMonth(q.month);
    const { items, next } = await adminRead.usageForDays(month.firstDay, month.endDay, { after: q.after ?? null, limit: q.limit, companyIds: c.get('principal').scope.companyIds() });
    return c.json({ month: month.id, devices: items, next });
  }));

  api.get('/usage/monthly', read('read', async (c) => {
    const q = queryParams(c, MonthlyQuery);
    const scope = c.get('principal').scope;
    if (q.companyId) scope.company(q.companyId);
    if (q.includeDevices !== 'true') {
      const [{ report, finalized }, view] = await Promise.all([reader.monthlyReport(q.month, q.productType, { devices: false }), reader.view(q.month)]);
      return c.json({
        month: report.month, productType: report.productType, status: view.status, finalized,
        hash: view.currentHash, rows: visibleRows(report.rows, scope, q.companyId).map((r) => ({ ...r, devices: undefined })),
      });
    }
    // Every endpoint line: streamed company by company (a finalized month's from its rows, an open month's read again per company).
    const [{ report, finalized, lines }, view] = await Promise.all([reader.endpointReport(q.month, q.productType), reader.view(q.month)]);
    const head = { month: report.month, productType: report.productType, status: view.status, finalized, hash: view.currentHash };
    return jsonStreamResponse(c, jsonWithNestedLists(head, 'rows', visibleRows(report.rows, scope, q.companyId), 'devices', (row) => lines.linesAt(row.companyId)));
  }));

  api.get('/usage/users', read('read', async (c) => {
    const q = queryParams(c, UserUsageQuery);
    const scope = c.get('principal').scope;
    if (q.companyId) scope.company(q.companyId);
    // The line items streamed company by company (a finalized month's from its rows).
    const { report, finalized, linesAt } = await reader.userUsageLines(q.month);
    const companies = visibleRows(report.companies, scope, q.companyId);
    return jsonStreamResponse(c, jsonWithNestedLists({ month: report.month }, 'companies', companies, 'lines', (company) => linesAt(company.companyId), { finalized }));
  }));

  api.get('/usage/explain', read('read', async (c) => {
    const q = queryParams(c, ExplainQuery);
    await visibleDevice({ adminRead }, c.get('principal').scope, q.deviceId);
    const explanation = await reader.explain(q.month, q.deviceId, q.productType);
    if (!explanation.found) throw new TallyError('not_found', `device ${q.deviceId} has no activity in ${q.month}`, { field: 'deviceId' });
    return c.json(explanation);
  }));

  api.get('/usage/forecast', read('read', async (c) => {
    const q = queryParams(c, ForecastQuery);
    const scope = c.get('principal').scope;
    if (q.companyId) scope.company(q.companyId);
    const f = await reader.forecast(q.productType);
    return c.json({ ...f, rows: f.rows.filter((x) => scope.canSee(x.companyId) && (!q.companyId || x.companyId === q.companyId)) });
  }));

  api.get('/months/:month', read('read', async (c) => {
    const month = monthParam.safeParse(c.req.param('month'));
    if (!month.success) throw new TallyError('invalid_request', 'month: expected YYYY-MM', { field: 'month' });
    const scope = c.get('principal').scope;
    const view = await reader.view(month.data);
    // Hashes cover every tenant; adjustment lines are shown for the principal's companies only.
    const v = { ...view, adjustments: view.adjustments.map((a) => ({ ...a, lines: a.lines.filter((l) => scope.canSee(l.companyId)) })) };
    return c.json({ ...v, finalizedAt: iso(v.finalizedAtMs), finalizedAtMs: undefined, adjustments: v.adjustments.map((a) => ({ ...a, createdAt: iso(a.createdAtMs), createdAtMs: undefined })) });
  }));

  api.post('/months/:month/close', commandRoute(COMMANDS.closeMonth, commands, { target: (c) => ({ month: c.req.param('month') }), status: 201 }));
  return api;
}
