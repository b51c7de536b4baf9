// Agent releases over REST: upload an artifact (raw bytes, named by their
// SHA-256), publish the signed manifest that names it, set the rollout,
// pause and resume. The writes are the admin commands in admin/releases.ts.
import { Hono } from 'hono';
import { COMMANDS, type CommandServices } from '../admin/index.ts';
import { requirePermission } from '../auth/principal.ts';
import { TallyError } from '../errors.ts';
import type { ReleaseArtifacts } from '../releases/artifacts.ts';
import type { AgentRelease, ReleaseStore } from '../storage/types.ts';
import { iso } from './serialize.ts';
import { commandRoute, read, type ApiEnv } from './http.ts';

/** A release as listed; a scoped principal sees the rollout rules of the companies in its tree (and the everyone rule) only. */
export const releaseJson = (r: AgentRelease, canSee: (companyId: string) => boolean = () => true) => ({
  sequence: r.sequence, version: r.version, channel: r.channel, publishedAt: iso(r.publishedAtMs), publishedBy: r.publishedBy,
  paused: r.pausedAtMs !== null, pausedAt: iso(r.pausedAtMs), rollout: r.rollout.filter((x) => x.companyId === null || canSee(x.companyId)).map((x) => ({ companyId: x.companyId, percent: x.percent, updatedAt: iso(x.updatedAtMs) })),
  signed: r.signed,
});

export function releaseRoutes(releases: Pick<ReleaseStore, 'list' | 'get'>, artifacts: ReleaseArtifacts | undefined, commands: CommandServices) {
  const api = new Hono<ApiEnv>();
  const target = (c: { req: { param(n: string): string | undefined } }) => ({ sequence: c.req.param('sequence') });

  api.get('/releases', read('read', async (c) => c.json({ releases: (await releases.list(200)).map((r) => releaseJson(r, (id) => c.get('principal').scope.canSee(id))) })));
  api.get('/releases/:sequence', read('read', async (c) => {
    const seq = c.req.param('sequence') ?? '';
    const r = /^\d{1,15}$/.test(seq) ? await releases.get(Number(seq)) : null;
    if (!r) throw new TallyError('not_found', `release ${seq} does not exist`, { field: 'sequence' });
    return c.json(releaseJson(r, (id) => c.get('principal').scope.canSee(id)));
  }));
  // The artifact's bytes, streamed to disk and kept only if they hash to the name. Same permission as publishing.
  api.put('/release-artifacts/:sha256', async (c) => {
    requirePermission(c.get('principal'), 'releases.write');
    c.get('principal').scope.requireInstallation('uploading an agent release');
    if (!artifacts) throw new TallyError('invalid_request', 'this collector keeps no release artifacts');
    if (!c.req.raw.body) throw new TallyError('invalid_request', 'send the artifact as the request body', { field: 'body' });
    return c.json(await artifacts.put(c.req.param('sha256'), c.req.raw.body), 201);
  });
  api.post('/releases', commandRoute(COMMANDS.publishRelease, commands, { status: 201 }));
  api.post('/releases/:sequence/rollout', commandRoute(COMMANDS.setRollout, commands, { target, status: 200 }));
  api.post('/releases/:sequence/pause', commandRoute(COMMANDS.pauseRelease, commands, { target, status: 200 }));
  api.post('/releases/:sequence/resume', commandRoute(COMMANDS.resumeRelease, commands, { target, status: 200 }));
  return api;
}
