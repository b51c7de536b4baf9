// Public API of the facts module. See README.md for how the agent wires it.
//
// Collection is slow (seconds: WMI, dmidecode, `last`) and must never delay
// usage reports: the agent starts it without awaiting it on the usage path
// (e.g. `void refreshFacts()` from a timer) and sends the Inventory when it
// resolves. Every source is bounded by a timeout and degrades to an absent
// value plus a note; collectDeviceFacts rejects only if the whole collection
// overruns its deadline (FactsTimeoutError), and then the caller skips this round.
import { selectAdapter } from './select.ts';
import { DEFAULT_SOURCE_TIMEOUT_MS, settleWithin } from './sources.ts';
import { identityEvidence, readInstanceId } from './identity.ts';
import { factsFingerprint } from './inventory.ts';
import { loadModuleRecord, saveModuleRecord, type ModuleChangedEvent, type ModulesConfig } from './modules.ts';
import { normalizeFacts, platformVerdicts } from './normalize.ts';
import type { AdapterSources, DeviceFacts, IdentityEvidence, RawFacts } from './types.ts';
import { loadActivityTally, saveActivityTally } from './users.ts';

export type * from './types.ts';
export { toProtoDeviceFacts, factsToJson, formatFactsJson, factsFingerprint, shouldSendInventory, loadInventoryMark, saveInventoryMark } from './inventory.ts';
export type { InventoryMark, InventoryDecision } from './inventory.ts';
export { resetIdentity, prepareGoldenImage, decideStartupIdentity, loadOrCreateInstanceId, readFirstRunMs, compareHardware, DEVICE_KEY_FILE, INSTANCE_ID_FILE, GOLDEN_IMAGE_MARKER } from './identity.ts';
export type { StartupIdentityDecision } from './identity.ts';
export { diffModules, currentModules, parseModulesPolicy, loadModuleRecord, saveModuleRecord, MODULE_NAMES, DEFAULT_MODULES_DIR } from './modules.ts';
export type { ModuleChangedEvent, ModuleRecord, ModulesConfig, CurrentModule } from './modules.ts';
export { normalizeFacts } from './normalize.ts';
export { selectAdapter } from './select.ts';

/** The parts of the agent config the facts read. */
export interface FactsConfig {
  /** `modules` section: { "antimalware": true, "integrity_monitoring": { "enabled": true, "retention": "90d" } }. */
  modules?: ModulesConfig;
  /** Where module markers live; defaults per OS in DEFAULT_MODULES_DIR. */
  modulesDir?: string;
  /** Overrides MDM-derived ownership. */
  ownership?: 'corporate' | 'personal';
}

export interface CollectOptions {
  /** Injected sources (tests, fixtures); by default the real OS. */
  sources?: AdapterSources;
  /** By default process.platform. */
  platform?: NodeJS.Platform;
  /** Per-source bound; the whole collection is bounded by 4x this. */
  timeoutMs?: number;
  modulesDir?: string;
}

export interface CollectFactsOptions extends CollectOptions {
  agentVersion: string;
  stateDir: string;
  config?: FactsConfig;
  /** The instance id from decideStartupIdentity(); read from the state dir when absent (never created here). */
  instanceId?: string;
  now?: () => number;
}

export interface FactsCollection {
  facts: DeviceFacts;
  /** Stable hash for shouldSendInventory(). */
  fingerprint: string;
  /** ModuleChanged events to journal (the caller adds the record header). */
  moduleEvents: ModuleChangedEvent[];
  durationMs: number;
  /**
   * Persists the module record and the user activity tally. Call after the
   * moduleEvents are durably in the outbox: a crash in between then repeats
   * the events (at-least-once) instead of losing them.
   */
  commit(): Promise<void>;
}

export class FactsTimeoutError extends Error {
  readonly code = 'FACTS_TIMEOUT';
}

/** Runs the OS adapter: raw, undecided facts. */
export async function collectRawFacts(options: CollectOptions = {}): Promise<RawFacts> {
  const adapter = selectAdapter(options.platform);
  const timeoutMs = options.timeoutMs ?? options.sources?.timeoutMs ?? DEFAULT_SOURCE_TIMEOUT_MS;
  const sources = options.sources ?? adapter.sources(timeoutMs);
  const settled = await settleWithin(adapter.collect(sources, { modulesDir: options.modulesDir }), timeoutMs * 4);
  if (!settled.ok) throw new FactsTimeoutError(`facts collection: ${settled.reason}`);
  return settled.value;
}

/** Collects and normalises the full device facts. Do not await this on the usage path. */
export async function collectDeviceFacts(options: CollectFactsOptions): Promise<FactsCollection> {
  const now = options.now ?? Date.now;
  const started = now();
  const [raw, previousModules, activity, storedInstanceId] = await Promise.all([
    collectRawFacts({ ...options, modulesDir: options.modulesDir ?? options.config?.modulesDir }),
    loadModuleRecord(options.stateDir),
    loadActivityTally(options.stateDir),
    options.instanceId === undefined ? readInstanceId(options.stateDir) : Promise.resolve(options.instanceId),
  ]);
  const collectedAt = now();
  const result = normalizeFacts({
    raw,
    agentVersion: options.agentVersion,
    agentInstanceId: storedInstanceId ?? '',
    now: collectedAt,
    modulesPolicy: options.config?.modules,
    configuredOwnership: options.config?.ownership,
    previousModules,
    activity,
  });
  return {
    facts: result.facts,
    fingerprint: factsFingerprint(result.facts),
    moduleEvents: result.moduleEvents,
    durationMs: collectedAt - started,
    commit: async () => {
      await saveModuleRecord(options.stateDir, result.moduleRecord);
      await saveActivityTally(options.stateDir, result.activity);
    },
  };
}

/** This machine's identity evidence, for decideStartupIdentity() and prepareGoldenImage(). */
export async function collectIdentityEvidence(options: CollectOptions = {}): Promise<IdentityEvidence> {
  const raw = await collectRawFacts(options);
  return identityEvidence(raw, platformVerdicts(raw).virtualization.virtual === true);
}
