// Monthly usage, user-based usage, explain and forecast; month state and closing.
import { Hono } from 'hono';
import { z } from 'zod';
import { BillingInputError, parseMonth, type MonthlyUsageReport } from '../billing/index.ts';
import { UsageError, type UsageService } from '../usage/service.ts';
import type { Storage } from '../storage/types.ts';
import { ApiError } from './errors.ts';
import { iso } from './serialize.ts';
import { idParam, jsonBody, monthParam, productTypeParam, queryParams } from './validate.ts';
import type { ApiEnv } from './routes.ts';
import { audited } from './audit.ts';
import type { Scope } from './scope.ts';

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
export const CloseMonthBody = z.object({ early: z.boolean().default(false) }).strict();

/** The key's rows only; drops the per-device lines unless asked: a month of 100,000 endpoints is large. */
function shapeReport(report: MonthlyUsageReport, scope: Scope, companyId: string | undefined, includeDevices: boolean) {
  if (companyId) scope.company(companyId);
  const rows = report.rows.filter((r) => scope.canSee(r.companyId) && (!companyId || r.companyId === companyId));
  return rows.map((r) => (includeDevices ? r : { ...r, devices: undefined }));
}

export function usageRoutes(storage: Storage, service: UsageService, now: () => number) {
  const api = new Hono<ApiEnv>();

  const wrap = async <T>(fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (err) {
      if (err instanceof UsageError) {
        const status = err.code === 'not_found' ? 404 : err.code === 'invalid_month' ? 400 : err.code === 'month_too_large' ? 413 : 409;
        throw new ApiError(status, err.code === 'invalid_month' ? 'invalid_request' : err.code, err.message);
      }
      if (err instanceof BillingInputError) throw new ApiError(err.code === 'MONTH_NOT_OPEN' ? 409 : 400, err.code === 'MONTH_NOT_OPEN' ? 'month_not_open' : 'invalid_request', err.message);
      throw err;
    }
  };

  // Per device: awake seconds and active days (the raw facts behind the bill).
  api.get('/usage', async (c) => {
    const q = queryParams(c, DeviceUsageQuery);
    // q.month matched YYYY-MM already; the billing core's parser gives the UTC day range.
    const month = parseMonth(q.month);
    const { items, next } = await storage.adminRead.usageForDays(month.firstDay, month.endDay, { after: q.after ?? null, limit: q.limit, companyIds: c.get('scope').companyIds() });
    return c.json({ month: month.id, devices: items, next });
  });

  api.get('/usage/monthly', async (c) => {
    const q = queryParams(c, MonthlyQuery);
    return wrap(async () => {
      const [{ report, finalized }, view] = await Promise.all([service.monthlyReport(q.month, q.productType, { devices: q.includeDevices === 'true' }), service.view(q.month)]);
      return c.json({
        month: report.month, productType: report.productType, status: view.status, finalized,
        hash: view.currentHash, rows: shapeReport(report, c.get('scope'), q.companyId, q.includeDevices === 'true'),
      });
    });
  });

  api.get('/usage/users', async (c) => {
    const q = queryParams(c, UserUsageQuery);
    return wrap(async () => {
      const { report, finalized } = await service.userUsage(q.month);
      const scope = c.get('scope');
      if (q.companyId) scope.company(q.companyId);
      const companies = report.companies.filter((r) => scope.canSee(r.companyId) && (!q.companyId || r.companyId === q.companyId));
      return c.json({ ...report, companies, finalized });
    });
  });

  api.get('/usage/explain', async (c) => {
    const q = queryParams(c, ExplainQuery);
    const device = await storage.adminRead.getDevice(q.deviceId);
    if (!device || !c.get('scope').canSee(device.companyId)) throw new ApiError(404, 'not_found', `device ${q.deviceId} does not exist`);
    return wrap(async () => {
      const explanation = await service.explain(q.month, q.deviceId, q.productType);
      if (!explanation.found) throw new ApiError(404, 'not_found', `device ${q.deviceId} has no activity in ${q.month}`);
      return c.json(explanation);
    });
  });

  api.get('/usage/forecast', async (c) => {
    const q = queryParams(c, ForecastQuery);
    return wrap(async () => {
      const scope = c.get('scope');
      if (q.companyId) scope.company(q.companyId);
      const f = await service.forecast(q.productType);
      return c.json({ ...f, rows: f.rows.filter((x) => scope.canSee(x.companyId) && (!q.companyId || x.companyId === q.companyId)) });
    });
  });

  api.get('/months/:month', async (c) => {
    const month = monthParam.safeParse(c.req.param('month'));
    if (!month.success) throw new ApiError(400, 'invalid_request', 'month: expected YYYY-MM');
    return wrap(async () => {
      const scope = c.get('scope');
      const view = await service.view(month.data);
      // Hashes cover every tenant; adjustment lines are shown for the key's companies only.
      const v = { ...view, adjustments: view.adjustments.map((a) => ({ ...a, lines: a.lines.filter((l) => scope.canSee(l.companyId)) })) };
      return c.json({ ...v, finalizedAt: iso(v.finalizedAtMs), finalizedAtMs: undefined, adjustments: v.adjustments.map((a) => ({ ...a, createdAt: iso(a.createdAtMs), createdAtMs: undefined })) });
    });
  });

  api.post('/months/:month/close', async (c) => {
    const month = monthParam.safeParse(c.req.param('month'));
    if (!month.success) throw new ApiError(400, 'invalid_request', 'month: expected YYYY-MM');
    c.get('scope').requireInstallation('finalizing a month (it covers every company)');
    const body = await jsonBody(c, CloseMonthBody);
    return wrap(async () => {
      const snapshot = await service.closeMonth(month.data, { early: body.early });
      await audited(c, storage, now, { action: 'month.close', targetType: 'month', targetId: snapshot.month, companyId: null, details: { early: body.early, hash: snapshot.hash } });
      return c.json({ month: snapshot.month, status: 'finalized', hash: snapshot.hash }, 201);
    });
  });

  return api;
}
