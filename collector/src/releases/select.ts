// Which release an agent is offered: pure, so the rollout rules are tested
// without a collector. A device belongs to a rollout bucket (0-99) fixed by
// its id, the same for every release: a 10 % rollout reaches the same early
// devices each time, and raising it to 50 % only adds devices.
import { createHash } from 'node:crypto';
import type { ReleasePlatform } from '../../../common/release-manifest.ts';
import type { AgentRelease, RolloutRule } from '../storage/types.ts';

export function rolloutBucket(deviceId: string): number {
  return createHash('sha256').update(`tally-rollout:${deviceId}`).digest().readUInt32BE(0) % 100;
}

/** The rule that governs a device: its own company's, else the nearest partner's above it, else the everyone rule; null when none. */
export function governingRule(rollout: readonly RolloutRule[], companyPath: readonly string[]): RolloutRule | null {
  for (let i = companyPath.length - 1; i >= 0; i--) {
    const rule = rollout.find((r) => r.companyId === companyPath[i]);
    if (rule) return rule;
  }
  return rollout.find((r) => r.companyId === null) ?? null;
}

export function admits(release: AgentRelease, device: { id: string; companyPath: readonly string[] }): boolean {
  const rule = governingRule(release.rollout, device.companyPath);
  return rule !== null && rolloutBucket(device.id) < rule.percent;
}

function artifactFor(release: AgentRelease, platform: ReleasePlatform): boolean {
  const m = (release.signed as { manifest?: { artifacts?: Record<string, unknown> } }).manifest;
  return Boolean(m?.artifacts?.[platform]);
}

/**
 * The newest release (of those offerable: not paused, in the agent's
 * channels, newest first) whose rollout admits the device and that has an
 * artifact for its platform; null when that is the version it runs, or none.
 */
export function chooseRelease(
  offerable: readonly AgentRelease[], device: { id: string; companyPath: readonly string[] }, platform: ReleasePlatform, currentVersion: string,
): AgentRelease | null {
  const chosen = offerable.find((r) => artifactFor(r, platform) && admits(r, device)) ?? null;
  return chosen && chosen.version !== currentVersion ? chosen : null;
}
