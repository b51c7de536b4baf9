// The updater's state, in <state dir>/update/, small JSON files written
// durably (temp file, fsync, rename) so they survive the restart an update
// causes, a crash, or a reboot in the middle:
//
//   state.json      owned by the apply process (and the agent between updates):
//                   the highest release sequence accepted (anti-rollback), the
//                   package of the running version kept aside, the update in
//                   progress with its phase and deadline, releases rolled back
//                   (never retried), the last outcome with its reason
//   confirmed.json  written by the NEW version once the collector welcomed it:
//                   the watchdog's "it reports"; a file of its own, so the agent
//                   and the apply process never write the same file
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { ReleasePlatform } from '../../../common/release-manifest.ts';
import { writeDurably } from '../credentials.ts';

export type UpdatePhase = 'staged' | 'installing' | 'awaiting-report' | 'rolling-back';

export interface PendingUpdate {
  sequence: number;
  fromVersion: string;
  toVersion: string;
  platform: ReleasePlatform;
  /** The downloaded, verified package of toVersion. */
  newPackage: string;
  /** The package of fromVersion, kept aside: reinstalled if toVersion never reports. */
  previousPackage: string;
  phase: UpdatePhase;
  /** Set when the install finished: toVersion must report before it. */
  deadlineMs: number | null;
  reportDeadlineSeconds: number;
  /** The agent that staged the update (stopped after the install when no service manager restarts it). */
  agentPid: number;
  stagedAtMs: number;
}

export interface UpdateOutcome {
  outcome: 'updated' | 'rolled_back' | 'refused' | 'failed';
  version: string | null;
  sequence: number | null;
  reason: string;
  atMs: number;
}

export interface UpdateState {
  highestSequence: number;
  /** The package of the running version, kept aside to roll back to. */
  current: { version: string; sequence: number; package: string } | null;
  pending: PendingUpdate | null;
  /** Sequences rolled back here: never offered to the installer again. */
  failed: number[];
  last: UpdateOutcome | null;
}

export const updateDir = (stateDir: string) => join(stateDir, 'update');
const stateFile = (stateDir: string) => join(updateDir(stateDir), 'state.json');
const confirmedFile = (stateDir: string) => join(updateDir(stateDir), 'confirmed.json');

const EMPTY: UpdateState = { highestSequence: 0, current: null, pending: null, failed: [], last: null };

export function readUpdateState(stateDir: string): UpdateState {
  try {
    const s = JSON.parse(readFileSync(stateFile(stateDir), 'utf8')) as Partial<UpdateState>;
    return {
      highestSequence: Number.isSafeInteger(s.highestSequence) ? s.highestSequence! : 0,
      current: s.current ?? null, pending: s.pending ?? null, failed: Array.isArray(s.failed) ? s.failed.filter(Number.isSafeInteger) : [], last: s.last ?? null,
    };
  } catch {
    // Absent (never updated) or unreadable: start from nothing. The sequence floor is
    // lost with it; the manifest's expiry still bounds what an old release can replay.
    return { ...EMPTY, failed: [] };
  }
}

export function writeUpdateState(stateDir: string, state: UpdateState): void {
  writeDurably(stateFile(stateDir), JSON.stringify(state, null, 2) + '\n');
}

export function confirmReport(stateDir: string, sequence: number, version: string, atMs: number): void {
  writeDurably(confirmedFile(stateDir), JSON.stringify({ sequence, version, atMs }) + '\n');
}

export function readConfirmation(stateDir: string): { sequence: number; version: string; atMs: number } | null {
  try {
    return JSON.parse(readFileSync(confirmedFile(stateDir), 'utf8')) as { sequence: number; version: string; atMs: number };
  } catch {
    return null;
  }
}

export function clearConfirmation(stateDir: string): void {
  rmSync(confirmedFile(stateDir), { force: true });
}
