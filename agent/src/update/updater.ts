// The agent's side of auto-update. On a jittered schedule it asks the
// collector which release applies to this device, verifies the signed
// manifest against the pinned key(s) (signature, expiry, a sequence above
// every one accepted before, channel, platform), downloads the artifact and
// the package of the running version (kept aside for a rollback), checks
// their size and SHA-256, records the update as staged and hands it to the
// apply process (apply.ts), started outside the agent's service. Every
// refusal is logged with its reason and kept in state.json for `status`.
//
// The new version, once the collector has welcomed it, writes confirmed.json:
// the apply process's watchdog rolls back when that does not happen in time.
import { copyFileSync, chmodSync, existsSync, readdirSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { KeyObject } from 'node:crypto';
import type { Logger } from '../../../common/log.ts';
import { ManifestError, verifyManifest, type ReleaseChannel, type ReleaseManifest } from '../../../common/release-manifest.ts';
import { makeDirectories } from '../state-dir.ts';
import { download, getJson, UpdateHttpError, type CollectorHttp } from './client.ts';
import type { PackageInstaller } from './installer.ts';
import { confirmReport, readUpdateState, updateDir, writeUpdateState, type UpdateOutcome, type UpdateState } from './state.ts';

export interface UpdaterOptions {
  stateDir: string;
  agentVersion: string;
  keys: readonly KeyObject[];
  channel: ReleaseChannel;
  checkIntervalMs: number;
  reportDeadlineSeconds: number;
  installer: PackageInstaller;
  /** The collector connection's settings; null until enrolled. */
  http: () => CollectorHttp | null;
  logger: Logger;
  /** How the apply process is started: this executable (and, when not a single executable, the script). */
  selfCommand: string[];
  now?: () => number;
  random?: () => number;
}

/** A check that ended with this: logged and kept. */
type CheckResult = 'none' | 'staged' | 'busy' | 'refused' | 'failed' | 'not-enrolled';

export class Updater {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<CheckResult> | null = null;
  private stopped = false;
  private readonly now: () => number;
  private readonly random: () => number;

  constructor(private readonly opts: UpdaterOptions) {
    this.now = opts.now ?? Date.now;
    this.random = opts.random ?? Math.random;
  }

  /** Schedules checks: the first soon after start (within a minute, or the interval if shorter), then every interval +-20 %. */
  start(): void {
    const first = Math.min(60_000, this.opts.checkIntervalMs) * (0.2 + 0.8 * this.random());
    this.schedule(first);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running?.catch(() => {});
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.checkOnce().catch((err) => {
        this.opts.logger.warn('update check failed', { err });
        return 'failed' as const;
      });
      void this.running.finally(() => this.schedule(this.opts.checkIntervalMs * (0.8 + 0.4 * this.random())));
    }, delayMs);
    this.timer.unref();
  }

  /**
   * The collector welcomed this process: when it is the version an update
   * installed, tell the watchdog it reports. Cheap when nothing is pending.
   */
  welcomed(): void {
    const state = readUpdateState(this.opts.stateDir);
    if (state.pending && state.pending.toVersion === this.opts.agentVersion) {
      confirmReport(this.opts.stateDir, state.pending.sequence, this.opts.agentVersion, this.now());
      this.opts.logger.info('updated version reports to the collector', { version: this.opts.agentVersion, sequence: state.pending.sequence });
    }
  }

  private refuse(state: UpdateState, outcome: UpdateOutcome['outcome'], reason: string, manifest: ReleaseManifest | null): CheckResult {
    const same = state.last?.outcome === outcome && state.last.reason === reason;
    state.last = { outcome, version: manifest?.version ?? null, sequence: manifest?.sequence ?? null, reason, atMs: this.now() };
    writeUpdateState(this.opts.stateDir, state);
    // Once per distinct reason at warn; the same refusal every few hours is not news.
    (same ? this.opts.logger.debug : this.opts.logger.warn).call(this.opts.logger, 'update refused', { reason, version: manifest?.version, sequence: manifest?.sequence });
    return outcome === 'failed' ? 'failed' : 'refused';
  }

  /** One check: ask, verify, download, stage, hand over to the apply process. */
  async checkOnce(): Promise<CheckResult> {
    const { stateDir, agentVersion, installer, logger } = this.opts;
    const http = this.opts.http();
    if (!http) return 'not-enrolled';
    const state = readUpdateState(stateDir);
    if (state.pending) {
      // An update is under way (or was cut short by a reboot: the apply process resumes it).
      const p = state.pending;
      const stale = p.phase === 'staged' ? this.now() - p.stagedAtMs > 10 * 60_000 : p.deadlineMs !== null && this.now() > p.deadlineMs + 5 * 60_000;
      if (stale) {
        logger.warn('an update was interrupted; resuming it', { sequence: p.sequence, phase: p.phase });
        await this.launchApply();
      }
      return 'busy';
    }
    const q = new URLSearchParams({ platform: installer.platform, channel: this.opts.channel, version: agentVersion });
    const answer = (await getJson(http, `/update?${q}`)) as { release?: unknown; current?: unknown };
    if (!answer || answer.release === null || answer.release === undefined) {
      logger.debug('no update for this device', { version: agentVersion });
      return 'none';
    }
    let manifest: ReleaseManifest;
    const verify = { keys: this.opts.keys, nowMs: this.now(), channels: this.opts.channel === 'canary' ? ['stable', 'canary'] as const : ['stable'] as const, platform: installer.platform };
    try {
      manifest = verifyManifest(answer.release, verify);
      // A release that failed here is named as such (its sequence is also at or below the floor).
      if (state.failed.includes(manifest.sequence)) return this.refuse(state, 'refused', `release ${manifest.version} (sequence ${manifest.sequence}) was rolled back here before; not installing it again`, manifest);
      verifyManifest(answer.release, { ...verify, minSequenceExclusive: state.highestSequence });
    } catch (err) {
      if (err instanceof ManifestError) return this.refuse(state, 'refused', `${err.code}: ${err.message}`, null);
      throw err;
    }
    if (manifest.version === agentVersion) return 'none';

    const dir = join(updateDir(stateDir), 'packages');
    makeDirectories(dir);
    // The package of the running version, to roll back to: kept from the last update, else the collector's signed release of it.
    let previousPackage = state.current?.version === agentVersion && existsSync(state.current.package) ? state.current.package : null;
    if (!previousPackage) {
      let current: ReleaseManifest | null = null;
      try {
        // Already installed once: its expiry no longer matters, its signature does.
        current = answer.current ? verifyManifest(answer.current, { keys: this.opts.keys, nowMs: this.now(), checkExpiry: false, platform: installer.platform }) : null;
      } catch (err) {
        if (!(err instanceof ManifestError)) throw err;
        return this.refuse(state, 'refused', `the release of the running version ${agentVersion} does not verify (${err.code}): no package to roll back to`, manifest);
      }
      if (!current || current.version !== agentVersion) {
        return this.refuse(state, 'refused', `no package of the running version ${agentVersion} to roll back to: publish release ${agentVersion} on the collector too`, manifest);
      }
      const art = current.artifacts[installer.platform]!;
      previousPackage = join(dir, `${current.sequence}-${basename(art.name)}`);
      try {
        await download(http, art, previousPackage);
      } catch (err) {
        if (err instanceof UpdateHttpError) return this.refuse(state, 'failed', `download of ${art.name} (rollback package): ${err.message}`, manifest);
        throw err;
      }
      state.current = { version: agentVersion, sequence: current.sequence, package: previousPackage };
    }
    const art = manifest.artifacts[installer.platform]!;
    const newPackage = join(dir, `${manifest.sequence}-${basename(art.name)}`);
    try {
      await download(http, art, newPackage);
    } catch (err) {
      if (err instanceof UpdateHttpError) return this.refuse(state, 'failed', `download of ${art.name}: ${err.message}`, manifest);
      throw err;
    }
    // Accepted: from now on nothing at or below this sequence is installed here.
    state.highestSequence = manifest.sequence;
    state.pending = {
      sequence: manifest.sequence, fromVersion: agentVersion, toVersion: manifest.version, platform: installer.platform, newPackage, previousPackage,
      phase: 'staged', deadlineMs: null, reportDeadlineSeconds: this.opts.reportDeadlineSeconds, agentPid: process.pid, stagedAtMs: this.now(),
    };
    writeUpdateState(stateDir, state);
    this.prune(dir, [newPackage, previousPackage]);
    logger.info('update staged', { from: agentVersion, to: manifest.version, sequence: manifest.sequence, package: basename(newPackage) });
    await this.launchApply();
    return 'staged';
  }

  /** Starts the apply process from a copy of this executable (the package is about to replace the original). */
  private async launchApply(): Promise<void> {
    const dir = updateDir(this.opts.stateDir);
    const runnerDir = join(dir, 'runner');
    makeDirectories(runnerDir);
    const [exe, ...rest] = this.opts.selfCommand;
    const runner = join(runnerDir, basename(exe));
    copyFileSync(exe, `${runner}.tmp`);
    chmodSync(`${runner}.tmp`, 0o700);
    rmSync(runner, { force: true });
    copyFileSync(`${runner}.tmp`, runner);
    chmodSync(runner, 0o700);
    rmSync(`${runner}.tmp`, { force: true });
    await this.opts.installer.launchDetached([runner, ...rest, 'update', 'apply', '--state-dir', this.opts.stateDir], join(dir, 'apply.log'));
    this.opts.logger.info('update handed to the installer process', { log: join(dir, 'apply.log') });
  }

  private prune(dir: string, keep: string[]): void {
    for (const f of readdirSync(dir)) {
      const p = join(dir, f);
      if (!keep.includes(p)) rmSync(p, { force: true, recursive: true });
    }
  }
}
