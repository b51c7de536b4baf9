// Admin API v1: the one authentication boundary, then one router per
// resource. Handlers translate HTTP into commands (writes) or scoped reads,
// and render the result; the rules live in admin/ and the reads' scope in
// auth/scope.ts.
import { Hono } from 'hono';
import { apiKeyFromHeader, apiKeyHash, authenticateApiKey } from '../auth/authenticate.ts';
import type { CommandServices } from '../admin/index.ts';
import { TallyError } from '../errors.ts';
import type { ReportJobs } from '../report-jobs/jobs.ts';
import type { Storage } from '../storage/types.ts';
import type { MonthReader } from '../usage/index.ts';
import { auditRoutes } from './audit.ts';
import { companyRoutes } from './companies.ts';
import { deviceRoutes } from './devices.ts';
import type { ApiEnv } from './http.ts';
import { keyRoutes } from './keys.ts';
import { openApiDocument } from './openapi.ts';
import { psaRoutes } from './psa.ts';
import { reportRoutes } from './reports.ts';
import { releaseRoutes } from './releases.ts';
import { subscriptionRoutes } from './subscriptions.ts';
import { usageRoutes } from './usage.ts';
import { userRoutes } from './users.ts';
import { webhookRoutes } from './webhooks.ts';

export interface ApiDeps {
  storage: Pick<Storage, 'adminRead' | 'adminWrite' | 'tenancy' | 'audit' | 'reports' | 'devices' | 'users' | 'sessions' | 'releases' | 'hooks' | 'psa'>;
  reader: MonthReader;
  jobs: ReportJobs;
  commands: CommandServices;
  now: () => number;
  /** The base of links in answers (report downloads). */
  publicUrl: () => string;
}

export function apiRoutes({ storage, reader, jobs, commands, now, publicUrl }: ApiDeps): Hono<ApiEnv> {
  const api = new Hono<ApiEnv>();

  // The description of this API is public, like any API reference.
  api.get('/openapi.json', (c) => c.json(openApiDocument()));

  api.use('*', async (c, next) => {
    try {
      c.set('principal', await authenticateApiKey(storage, apiKeyHash(apiKeyFromHeader(c.req.header('authorization')))));
    } catch (err) {
      if (err instanceof TallyError && err.code === 'unauthorized') c.header('WWW-Authenticate', 'Bearer realm="tally"');
      throw err;
    }
    await next();
  });

  api.route('/', companyRoutes(storage.tenancy, commands, now));
  api.route('/', deviceRoutes(storage.adminRead, storage.devices, reader, commands, now));
  api.route('/', subscriptionRoutes(storage.tenancy, commands, now));
  api.route('/', usageRoutes(storage.adminRead, reader, commands));
  api.route('/', auditRoutes(storage.audit));
  api.route('/', reportRoutes(storage.reports, jobs, commands, publicUrl));
  api.route('/', keyRoutes(storage.adminWrite, commands));
  api.route('/', userRoutes(storage.users, storage.sessions, commands));
  api.route('/', releaseRoutes(storage.releases, commands.releaseArtifacts, commands));
  api.route('/', webhookRoutes(storage.hooks, commands));
  api.route('/', psaRoutes(storage, commands, now));
  return api;
}
