// What agents ask about updates, over HTTPS with their device key (the same
// Bearer credential and the same refusals as the WebSocket upgrade):
//
//   GET /agent/v1/update?platform=linux-x64-deb&channel=stable&version=1.4.1
//       -> { release: SignedManifest | null, current: SignedManifest | null }
//          release: the newest release the rollout offers this device (null: stay);
//          current: the signed release of the version the agent runs, when the
//          collector has it: the package the agent keeps aside to roll back to.
//   GET /agent/v1/artifacts/<sha256>   the bytes of a published artifact
//
// Agents download from their collector only, and trust nothing here: they
// verify the manifest's signature against their pinned key, its expiry and
// sequence, and the artifact's size and SHA-256.
import { Readable } from 'node:stream';
import { Hono, type Context } from 'hono';
import { CHANNELS, PLATFORMS, type ReleasePlatform } from '../../../common/release-manifest.ts';
import { authenticateUpgrade } from '../ingest/upgrade-auth.ts';
import { TallyError } from '../errors.ts';
import type { Metrics } from '../metrics.ts';
import type { Storage } from '../storage/types.ts';
import type { ReleaseArtifacts } from './artifacts.ts';
import { SHA256_HEX } from './artifacts.ts';
import { chooseRelease } from './select.ts';

export interface AgentReleaseDeps {
  storage: Pick<Storage, 'enrolment' | 'tenancy' | 'releases'>;
  artifacts: ReleaseArtifacts | undefined;
  metrics: Metrics;
  now: () => number;
}

/** How many of the newest offerable releases are considered: a rollout older than these no longer matters. */
const CANDIDATES = 50;

export function agentReleaseRoutes({ storage, artifacts, metrics, now }: AgentReleaseDeps): Hono {
  const api = new Hono();

  const device = async (c: Context) => {
    const auth = await authenticateUpgrade(c.req.header('authorization'), storage, now());
    if (!auth.ok) {
      metrics.agentUpdateChecks.inc({ outcome: 'unauthorized' });
      throw new TallyError(auth.status === 503 ? 'storage_unavailable' : 'unauthorized', `${auth.message} [${auth.code}]`);
    }
    if (auth.principal.kind !== 'device') throw new TallyError('unauthorized', 'updates are for enrolled devices: present the device key');
    return auth.principal;
  };

  api.get('/update', async (c) => {
    const principal = await device(c);
    const platform = c.req.query('platform') ?? '';
    if (!(PLATFORMS as readonly string[]).includes(platform)) throw new TallyError('invalid_request', `platform must be one of ${PLATFORMS.join(', ')}`, { field: 'platform' });
    const channel = c.req.query('channel') ?? 'stable';
    if (!(CHANNELS as readonly string[]).includes(channel)) throw new TallyError('invalid_request', `channel must be one of ${CHANNELS.join(', ')}`, { field: 'channel' });
    const version = (c.req.query('version') ?? '').slice(0, 64);
    // A canary device also takes stable releases: canary is ahead of stable, never beside it.
    const channels = channel === 'canary' ? ['stable', 'canary'] : ['stable'];
    const company = await storage.tenancy.getCompany(principal.companyId);
    const chosen = chooseRelease(await storage.releases.offerable(channels, CANDIDATES), { id: principal.deviceId, companyPath: company?.path ?? [principal.companyId] },
      platform as ReleasePlatform, version);
    const current = chosen && version ? await storage.releases.latestOfVersion(version) : null;
    metrics.agentUpdateChecks.inc({ outcome: chosen ? 'offered' : 'none' });
    return c.json({ release: chosen?.signed ?? null, current: current?.signed ?? null });
  });

  api.get('/artifacts/:sha256', async (c) => {
    await device(c);
    const sha256 = c.req.param('sha256');
    const file = SHA256_HEX.test(sha256) ? artifacts?.open(sha256) : null;
    if (!file) throw new TallyError('not_found', `no artifact ${sha256}`, { field: 'sha256' });
    metrics.artifactDownloads.inc();
    return new Response(Readable.toWeb(file.stream) as ReadableStream, { headers: { 'content-type': 'application/octet-stream', 'content-length': String(file.size) } });
  });
  return api;
}
