// Installed product modules and add-ons: what the policy asks for, what is
// really present on disk, and the change events between two observations.
//
// "Present" means a marker for the module exists in the install's modules
// directory: <modulesDir>/<module_name> (a file or a directory, e.g.
// /opt/tally/modules/edr_sensor). The installer of each module creates its
// marker and the uninstaller removes it; the marker's mtime is taken as the
// install time. The directory is `modulesDir` in the agent config, with the
// per-OS defaults in DEFAULT_MODULES_DIR.
import { win32 } from 'node:path';
import type { IAgentEvent } from '../../../proto/index.ts';
import type { SourceProbe } from './sources.ts';
import { readJsonState, writeJsonState } from './state.ts';
import type { ModuleName, ModuleSource, ModuleState, Platform, RawModulePresence, RetentionTier } from './types.ts';

import { MODULE_NAMES, isModuleName } from '../../../common/modules.ts';

export { MODULE_NAMES, isModuleName };

const RETENTION_TIERS: readonly RetentionTier[] = ['', '90d', '180d', '1y'];

export const DEFAULT_MODULES_DIR: Record<Platform, string> = {
  linux: '/opt/tally/modules',
  darwin: '/Library/Application Support/Tally/modules',
  windows: windowsModulesDir(),
};

/** %ProgramFiles%\\Tally\\modules: Program Files is not on C: everywhere, nor named so in every language of old. */
export function windowsModulesDir(env: NodeJS.ProcessEnv = process.env): string {
  return win32.join(env.ProgramW6432 ?? env.ProgramFiles ?? 'C:\\Program Files', 'Tally', 'modules');
}

/** State file (in the agent state dir) with the last known module states. */
export const MODULE_RECORD_FILE = 'modules.json';


/**
 * The `modules` section of the agent config, e.g.
 *   { "antimalware": true, "integrity_monitoring": { "enabled": true, "retention": "90d" }, "firewall": false }
 */
export type ModulesConfig = Record<string, boolean | { enabled?: boolean; retention?: string; tier?: string } | undefined>;

export interface PolicyModule {
  name: ModuleName;
  enabled: boolean;
  tier: RetentionTier;
}

/** Parses the config section; unknown names and tiers are reported, not fatal. */
export function parseModulesPolicy(config: ModulesConfig | undefined): { modules: PolicyModule[]; problems: string[] } {
  const modules: PolicyModule[] = [];
  const problems: string[] = [];
  for (const [name, value] of Object.entries(config ?? {})) {
    if (!isModuleName(name)) {
      problems.push(`policy: unknown module "${name}"`);
      continue;
    }
    if (typeof value === 'boolean') {
      modules.push({ name, enabled: value, tier: '' });
      continue;
    }
    if (!value || typeof value !== 'object') {
      problems.push(`policy: module "${name}" has no usable setting`);
      continue;
    }
    const rawTier = value.retention ?? value.tier ?? '';
    const tier = (RETENTION_TIERS as readonly string[]).includes(rawTier) ? (rawTier as RetentionTier) : '';
    if (tier !== rawTier) problems.push(`policy: module "${name}" has unknown retention "${rawTier}"`);
    // Retention tiers only exist for integrity monitoring.
    modules.push({ name, enabled: value.enabled ?? true, tier: name === 'integrity_monitoring' ? tier : '' });
  }
  return { modules, problems };
}

/** Per-OS probe: one stat per known module below the modules dir. */
export async function probeModules(probe: SourceProbe, dir: string, separator: '/' | '\\'): Promise<RawModulePresence> {
  if (!(await probe.exists(dir))) {
    probe.note(`modules dir ${dir}: not present, module presence unknown`);
    return { probed: false, dir, present: [] };
  }
  const present: RawModulePresence['present'] = [];
  for (const name of MODULE_NAMES) {
    const markerStat = await probe.sources.reader.stat(`${dir}${separator}${name}`);
    if (markerStat) present.push({ name, sinceMs: Math.round(markerStat.mtimeMs) });
  }
  return { probed: true, dir, present };
}

/** What is installed now: presence decides when it could be probed, otherwise the policy does. */
export interface CurrentModule {
  name: ModuleName;
  installed: boolean;
  tier: RetentionTier;
  source: ModuleSource;
  /** Best known install time (the marker's mtime), used when the module is first seen. */
  sinceMs?: number;
}

export function currentModules(policy: PolicyModule[], presence: RawModulePresence): CurrentModule[] {
  const byName = new Map<ModuleName, CurrentModule>();
  const policyByName = new Map(policy.map((p) => [p.name, p]));
  const presentByName = new Map(presence.present.filter((p) => isModuleName(p.name)).map((p) => [p.name as ModuleName, p]));
  for (const name of MODULE_NAMES) {
    const wanted = policyByName.get(name);
    const found = presentByName.get(name);
    const tier = wanted?.tier ?? '';
    if (presence.probed) {
      if (found) {
        byName.set(name, { name, installed: true, tier, source: wanted?.enabled ? 'policy+present' : 'present', sinceMs: found.sinceMs });
      } else if (wanted?.enabled) {
        // Asked for but not on disk (install pending or failed): not installed, and nothing to bill.
        byName.set(name, { name, installed: false, tier, source: 'policy' });
      }
    } else if (wanted?.enabled) {
      byName.set(name, { name, installed: true, tier, source: 'policy' });
    }
  }
  return [...byName.values()];
}

/** Last known module states, persisted between runs. */
export interface ModuleRecord {
  modules: ModuleState[];
}

export type ModuleChangedEvent = Omit<IAgentEvent, 'header'> & { occurredAtMs: number; moduleChanged: { module: ModuleState } };

/**
 * Pure: compares the last known states with the current observation. Yields a
 * ModuleChanged event for every install, removal or tier change, and the
 * record to persist. Modules that disappear from the observation altogether
 * count as removed. A module first seen installed takes its marker's mtime as
 * the install time when that is plausible (not in the future).
 */
export function diffModules(previous: ModuleRecord, current: CurrentModule[], now: number): { events: ModuleChangedEvent[]; record: ModuleRecord } {
  const before = new Map(previous.modules.map((m) => [m.name, m]));
  const seen = new Set<ModuleName>();
  const events: ModuleChangedEvent[] = [];
  const next: ModuleState[] = [];

  for (const module of current) {
    seen.add(module.name);
    const last = before.get(module.name);
    const changed = !last || last.installed !== module.installed || last.tier !== module.tier;
    if (!changed) {
      next.push({ ...last, source: module.source });
      continue;
    }
    if (!last && !module.installed) {
      // Never installed and still not installed: nothing happened.
      next.push({ name: module.name, installed: false, tier: module.tier, changedAtMs: 0, source: module.source });
      continue;
    }
    const installedNow = module.installed && (!last || !last.installed);
    const changedAtMs = installedNow && module.sinceMs !== undefined && module.sinceMs <= now ? module.sinceMs : now;
    const state: ModuleState = { name: module.name, installed: module.installed, tier: module.tier, changedAtMs, source: module.source };
    next.push(state);
    events.push({ occurredAtMs: changedAtMs, moduleChanged: { module: state } });
  }

  for (const last of previous.modules) {
    if (seen.has(last.name)) continue;
    if (!last.installed) {
      next.push(last);
      continue;
    }
    const state: ModuleState = { ...last, installed: false, changedAtMs: now };
    next.push(state);
    events.push({ occurredAtMs: now, moduleChanged: { module: state } });
  }

  next.sort((a, b) => MODULE_NAMES.indexOf(a.name) - MODULE_NAMES.indexOf(b.name));
  return { events, record: { modules: next } };
}

export async function loadModuleRecord(stateDir: string): Promise<ModuleRecord> {
  // Missing or corrupt: start over; the next diff reports installed modules again (at-least-once).
  const parsed = await readJsonState<Partial<ModuleRecord>>(stateDir, MODULE_RECORD_FILE);
  const modules = Array.isArray(parsed?.modules) ? parsed.modules.filter((m) => m && isModuleName(m.name)) : [];
  return { modules };
}

export async function saveModuleRecord(stateDir: string, record: ModuleRecord): Promise<void> {
  await writeJsonState(stateDir, MODULE_RECORD_FILE, record);
}
