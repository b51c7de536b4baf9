// Agent releases: an admin publishes a signed release (its artifacts already
// in the collector's releases directory), sets its staged rollout (everyone,
// or partners and companies, each with a percentage) and pauses or resumes
// it. Installation-wide: a release is what every agent installs.
import { z } from 'zod';
import { ManifestError, verifyManifest, type ReleasePlatform, type SignedManifest } from '../../../common/release-manifest.ts';
import { TallyError, conflict, invalid } from '../errors.ts';
import { defineCommand, type CommandServices } from './command.ts';
import { idParam, nothing } from './schemas.ts';

const sequenceTarget = z.object({ sequence: z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER) }).strict();

export const ReleaseSummary = (r: { sequence: number; version: string; channel: string; pausedAtMs: number | null }) => ({
  sequence: r.sequence, version: r.version, channel: r.channel, paused: r.pausedAtMs !== null,
});

function releaseKeys(services: CommandServices) {
  if (!services.releaseKeys?.length) {
    throw new TallyError('invalid_request', 'this collector has no release public key configured (serve --release-keys, or TALLY_RELEASE_KEYS): it publishes only releases signed by a key its agents pin', { field: 'signed' });
  }
  return services.releaseKeys;
}

export const publishRelease = defineCommand({
  name: 'release.publish',
  summary: 'Publish a signed agent release whose artifacts were uploaded; offered to no device until a rollout is set',
  permission: 'releases.write',
  target: nothing,
  input: z.object({ signed: z.record(z.string(), z.unknown()) }).strict(),
  async run({ principal, stores, nowMs, services }, _t, input) {
    principal.scope.requireInstallation('publishing an agent release');
    const signed = input.signed as unknown as SignedManifest;
    let manifest;
    try {
      // The collector checks what agents will check, so it never offers what they would refuse (except the sequence: agents know their own).
      manifest = verifyManifest(signed, { keys: releaseKeys(services), nowMs });
    } catch (err) {
      if (err instanceof ManifestError) throw new TallyError('invalid_request', `release refused (${err.code}): ${err.message}`, { field: 'signed' });
      throw err;
    }
    const highest = await stores.releases.highestSequence();
    if (manifest.sequence <= highest) throw conflict(`release sequence ${manifest.sequence} is not above ${highest}, the highest published: sign the release with a higher sequence`);
    const artifacts = services.releaseArtifacts;
    for (const [platform, a] of Object.entries(manifest.artifacts)) {
      if (!artifacts?.has(a!.sha256, a!.size)) {
        throw invalid('signed', `artifact ${a!.name} (${platform}, sha256 ${a!.sha256}, ${a!.size} bytes) has not been uploaded: PUT /api/v1/release-artifacts/${a!.sha256} first, or use tally-collector release publish`);
      }
    }
    if (!(await stores.releases.publish({ sequence: manifest.sequence, version: manifest.version, channel: manifest.channel, signed, publishedAtMs: nowMs, publishedBy: principal.actor }))) {
      throw conflict(`release sequence ${manifest.sequence} is already published`);
    }
    return {
      result: { sequence: manifest.sequence, version: manifest.version, channel: manifest.channel, platforms: Object.keys(manifest.artifacts) as ReleasePlatform[], paused: false },
      audit: { targetType: 'agent_release', targetId: String(manifest.sequence), companyId: null, details: { version: manifest.version, channel: manifest.channel, expiresAt: manifest.expiresAt, keyId: signed.keyId } },
    };
  },
});

export const setRollout = defineCommand({
  name: 'release.rollout',
  summary: 'Offer a release to a share of the devices: everyone, or the devices of some partners or companies',
  permission: 'releases.write',
  target: sequenceTarget,
  input: z.object({
    /** Omitted or null: the rule for every device. Else a rule per partner (its subtree) or customer company. */
    companyIds: z.array(idParam).min(1).max(1000).nullable().default(null),
    percent: z.number().int().min(0).max(100),
  }).strict(),
  async run({ principal, stores, nowMs }, { sequence }, input) {
    principal.scope.requireInstallation('an agent release rollout');
    const release = await stores.releases.get(sequence);
    if (!release) throw new TallyError('not_found', `release ${sequence} does not exist`, { field: 'sequence' });
    const companies = input.companyIds?.map((id, i) => principal.scope.company(id, `companyIds.${i}`).id) ?? [null];
    for (const companyId of companies) await stores.releases.setRollout(sequence, companyId, input.percent, nowMs);
    return {
      result: { ...ReleaseSummary(release), rollout: (await stores.releases.get(sequence))!.rollout.map((r) => ({ companyId: r.companyId, percent: r.percent })) },
      audit: { targetType: 'agent_release', targetId: String(sequence), companyId: null, details: input },
    };
  },
});

function pauseCommand(paused: boolean) {
  return defineCommand({
    name: paused ? 'release.pause' : 'release.resume',
    summary: paused ? 'Pause a release rollout: no agent is offered it until resumed' : 'Resume a paused release rollout',
    permission: 'releases.write',
    target: sequenceTarget,
    input: nothing,
    async run({ principal, stores, nowMs }, { sequence }) {
      principal.scope.requireInstallation('pausing an agent release');
      const release = await stores.releases.get(sequence);
      if (!release) throw new TallyError('not_found', `release ${sequence} does not exist`, { field: 'sequence' });
      // Idempotent: pausing a paused release keeps the first instant.
      if (paused !== (release.pausedAtMs !== null)) await stores.releases.setPaused(sequence, paused ? nowMs : null);
      return {
        result: { ...ReleaseSummary(release), paused },
        audit: { targetType: 'agent_release', targetId: String(sequence), companyId: null },
      };
    },
  });
}

export const pauseRelease = pauseCommand(true);
export const resumeRelease = pauseCommand(false);
