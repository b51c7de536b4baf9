// PSA sync over HTTP: the connection (credentials in, only masks out), the
// mappings, suggestions and the PSA's catalog, the sync (dry run or real)
// and the reconciliation as JSON or CSV. Installation-wide keys only: a
// connection covers every company.
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { COMMANDS, type CommandServices } from '../admin/index.ts';
import { monthParam } from '../admin/schemas.ts';
import { listConnections, planCsv, psaCatalog, psaKind, psaOverview, psaReconciliation, psaSuggestions, type PsaViewDeps } from '../psa/views.ts';
import type { Storage } from '../storage/types.ts';
import { commandRoute, queryParams, read, type ApiEnv } from './http.ts';

const installation = (c: Context<ApiEnv>) => c.get('principal').scope.requireInstallation('PSA sync (a connection covers every company)');

export function psaRoutes(storage: Pick<Storage, 'psa' | 'audit' | 'adminRead'>, commands: CommandServices, now: () => number) {
  const api = new Hono<ApiEnv>();
  const deps: PsaViewDeps = { psa: commands.psa, stores: storage, now };
  const kindOf = (c: Context<ApiEnv>) => ({ kind: c.req.param('kind') });

  api.get('/psa', read('read', async (c) => {
    installation(c);
    return c.json(await listConnections(deps));
  }));
  api.get('/psa/:kind', read('read', async (c) => {
    installation(c);
    const { month } = queryParams(c, z.object({ month: monthParam.optional() }));
    return c.json(await psaOverview(deps, psaKind(c.req.param('kind')), month));
  }));
  api.get('/psa/:kind/suggestions', read('read', async (c) => {
    installation(c);
    return c.json(await psaSuggestions(deps, psaKind(c.req.param('kind'))));
  }));
  api.get('/psa/:kind/catalog', read('read', async (c) => {
    installation(c);
    const { psaCompanyId } = queryParams(c, z.object({ psaCompanyId: z.string().trim().min(1).max(100).optional() }));
    return c.json(await psaCatalog(deps, psaKind(c.req.param('kind')), psaCompanyId));
  }));
  api.get('/psa/:kind/reconciliation', read('read', async (c) => {
    installation(c);
    const { month, format } = queryParams(c, z.object({ month: monthParam, format: z.enum(['json', 'csv']).default('json') }));
    const plan = await psaReconciliation(deps, psaKind(c.req.param('kind')), month);
    if (format === 'json') return c.json(plan);
    return c.body(planCsv(plan), 200, { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="psa-reconciliation-${plan.kind}-${month}.csv"` });
  }));
  api.put('/psa/:kind/connection', commandRoute(COMMANDS.setPsaConnection, commands, { target: kindOf, status: 200 }));
  api.put('/psa/:kind/mappings', commandRoute(COMMANDS.setPsaMapping, commands, { target: kindOf, status: 200 }));
  api.delete('/psa/:kind/mappings', commandRoute(COMMANDS.deletePsaMapping, commands, { target: kindOf, status: 200 }));
  api.post('/psa/:kind/sync', commandRoute(COMMANDS.runPsaSync, commands, { target: kindOf, status: 200 }));
  return api;
}
