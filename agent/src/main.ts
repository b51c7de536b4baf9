// tally-agent: command-line entry. Wiring only.
import { rmSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { CliError, intSetting, parseFlags, runCli, stringSetting, type SettingSource } from '../../common/cli.ts';
import { createLogger, type Logger } from '../../common/log.ts';
import { untilStopSignal } from '../../common/signals.ts';
import { defaultStateDir, readCa, resolveProxy, resolveRunConfig, settingsFrom, type RunConfig } from './config.ts';
import { loadCredentials } from './credentials.ts';
import {
  collectDeviceFacts, collectIdentityEvidence, decideStartupIdentity, formatFactsJson, prepareGoldenImage, readFirstRunMs, resetIdentity,
  type IdentityEvidence, type ModulesConfig,
} from './facts/index.ts';
import { FactsLoop } from './facts-loop.ts';
import { AwakeMeter, readBootId, systemClocks, systemTickTimer } from './meter/index.ts';
import { Outbox, OutboxLockedError } from './outbox/index.ts';
import { AgentRuntime, NoCredentialsError } from './runtime.ts';
import { ensureStateDir } from './state-dir.ts';
import { agentStatus, formatStatus } from './diagnostics/status.ts';
import { formatChecks, runDoctor } from './diagnostics/doctor.ts';
import { describeProxy } from './transport/proxy.ts';
import { AGENT_VERSION } from './version.ts';
import { Updater } from './update/updater.ts';
import { applyUpdate } from './update/apply.ts';
import { platformInstaller } from './update/platform.ts';
import { readUpdateState } from './update/state.ts';

/** How often facts are collected; cheap, but no reason to do it more often. */
const FACTS_INTERVAL_MS = 15 * 60_000;

const USAGE = `usage: tally-agent <command> [options]

Tally agent: reports this device's identity and awake time to a Tally collector.

Commands:
  run                   Enrol if needed, then meter awake time and report it
  facts                 Print the facts the agent would report
  reset-identity        Forget this device's identity; it enrols as a new device next start
  prepare-golden-image  Mark this machine as a template: it never enrols, its clones do
  uninstall             Tell the collector the agent is being uninstalled (best effort, bounded time)
  update                Auto-update: 'update status' prints the last outcome; 'update apply' is the installer process
  status                Where this device is enrolled, whether the agent runs, last ack, outbox, last error
  doctor                Check the state directory, name resolution, proxy, TCP, TLS and the collector
  version               Print the agent version

Run 'tally-agent <command> --help' for the options of a command.`;

const UPDATE_USAGE = `usage: tally-agent update status [--state-dir DIR] [--json]
       tally-agent update apply --state-dir DIR

status: the release this device accepted last (sequence), the update under
way with its phase and deadline, releases rolled back here, and the last
outcome with its reason (updated, rolled_back, refused, failed).
apply: the installer process the running agent starts outside its service to
install a staged update, watch that the new version reports, and roll back
if it does not. Not for people; safe to run again (it resumes).`;

const RUN_USAGE = `usage: tally-agent run --collector URL [--token TOKEN] [--state-dir DIR] [--interval SECONDS] [--ca FILE] [--proxy URL] [--config FILE] [--log-level LEVEL]

  --collector URL       Collector address, e.g. wss://collector.example:8443 (env TALLY_COLLECTOR_URL,
                        config "collectorUrl"). Plain ws:// only to loopback.
  --token TOKEN         Enrolment token, needed until the device is enrolled (env TALLY_ENROLL_TOKEN, config "enrollToken")
  --state-dir DIR       Where identity, credentials and the outbox live (env TALLY_STATE_DIR, config "stateDir";
                        default ${'/var/lib/tally-agent on Linux'})
  --interval SECONDS    How often usage is sent (env TALLY_INTERVAL, config "intervalSeconds"; default 300)
  --ca FILE             PEM CA to trust for wss:// instead of the system store, for a private CA
                        (env TALLY_CA_FILE, config "caFile")
  --proxy URL           HTTP(S) proxy for the collector connection, http://[user:password@]host:port, or
                        "direct" to ignore the environment (env TALLY_PROXY, config "proxy"; default: the
                        usual HTTPS_PROXY / HTTP_PROXY / ALL_PROXY and NO_PROXY). TLS runs end to end
                        through it (CONNECT): --ca still verifies the collector
  --config FILE         JSON config file (env TALLY_AGENT_CONFIG; default /etc/tally-agent/config.json if present)
  --log-level LEVEL     debug, info, warn or error (default info)
  --update-key KEY      Release public key(s) pinned for auto-update, ed25519:... (comma separated during a key
                        rotation) (env TALLY_UPDATE_PUBLIC_KEY, config "updatePublicKey", MSI UPDATE_PUBLIC_KEY,
                        profile key UpdatePublicKey). Unset: auto-update is off
  --update-channel C    stable (default) or canary (env TALLY_UPDATE_CHANNEL, config "updateChannel")
  --update-interval S   Mean seconds between update checks, jittered +-20 % (env TALLY_UPDATE_INTERVAL,
                        config "updateIntervalSeconds"; default 21600)
  --update-deadline S   Seconds a new version has to report to the collector before it is rolled back
                        (env TALLY_UPDATE_DEADLINE, config "updateDeadlineSeconds"; default 900)
  -h, --help            Show this help
Settings are taken from flags, then environment, then managed settings (Windows registry / GPO,
macOS managed preferences, /etc/tally-agent/agent.env on Linux), then the config file, then defaults.`;

const FACTS_USAGE = `usage: tally-agent facts --json [--state-dir DIR] [--config FILE]

Prints what the agent would report about this device, as JSON, with the
evidence behind each verdict. Changes nothing on disk.

  --json            Print JSON (the only format)
  --state-dir DIR   State directory (instance id, module history)
  --config FILE     Agent config file (its "modules" section)
  -h, --help        Show this help`;

const RESET_USAGE = `usage: tally-agent reset-identity [--state-dir DIR]

Forgets this device's agent instance id, device key and history. At its next
start the agent enrols as a new device (it needs an enrolment token then).
Use it on a machine whose disk was cloned without prepare-golden-image.`;

const GOLDEN_USAGE = `usage: tally-agent prepare-golden-image [--state-dir DIR]

Run on a VDI or imaging template before capturing it. The template never
enrols; every machine cloned from it detects that its hardware differs and
enrols on first boot with an identity of its own.`;

const UNINSTALL_USAGE = `usage: tally-agent uninstall [--state-dir DIR] [--timeout SECONDS] [--reason TEXT] [--ca FILE] [--proxy URL] [--purge]

Sends an "uninstalled" event to the collector that enrolled this device, so it
stops being billed and stays visible. Run it after stopping the agent service.
Best effort: it waits at most --timeout seconds (default 15) and exits 0 even
when the collector cannot be reached. --purge then deletes the state directory
(device key, instance id, journal): what the Windows MSI does on removal.`;

const STATUS_USAGE = `usage: tally-agent status [--state-dir DIR] [--config FILE] [--json]

Prints where this device is enrolled (collector, device id), whether the agent
is running, when the collector last acknowledged a report, how many records
wait in the outbox, and the last connection error with its reason (refused,
dns, tls, unauthorized, proxy, ...). Reads only; safe while the agent runs.

  --json            Print JSON
  --state-dir DIR   State directory (env TALLY_STATE_DIR, config "stateDir")`;

const DOCTOR_USAGE = `usage: tally-agent doctor [--collector URL] [--state-dir DIR] [--ca FILE] [--proxy URL] [--config FILE] [--timeout SECONDS] [--json]

Checks, step by step, that this machine can reach its collector: the state
directory, the proxy setting, name resolution and TCP to the first hop (the
proxy, else the collector), then the TLS handshake (verified with --ca or the
system store) and the WebSocket upgrade, through the proxy when one is set.
Presents the device key when enrolled; never enrols. Exits 0 when every check
passes, 1 otherwise. Settings as for 'run' (the collector defaults to the one
this device is enrolled to).`;

async function statusCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseFlags(args, { 'state-dir': { type: 'string' }, config: { type: 'string' }, json: { type: 'boolean' } }, STATUS_USAGE);
  if (values.help) return help(STATUS_USAGE);
  if (positionals.length) throw new CliError(`unexpected argument: ${positionals[0]}\n\n${STATUS_USAGE}`);
  const report = agentStatus(stateDirFrom(values), AGENT_VERSION);
  process.stdout.write((values.json ? JSON.stringify(report, null, 2) : formatStatus(report)) + '\n');
  return 0;
}

async function doctorCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseFlags(args, {
    collector: { type: 'string' }, 'state-dir': { type: 'string' }, ca: { type: 'string' }, proxy: { type: 'string' },
    config: { type: 'string' }, timeout: { type: 'string' }, json: { type: 'boolean' },
  }, DOCTOR_USAGE);
  if (values.help) return help(DOCTOR_USAGE);
  if (positionals.length) throw new CliError(`unexpected argument: ${positionals[0]}\n\n${DOCTOR_USAGE}`);
  const src = settingsFrom(values, process.env);
  const stateDir = stringSetting(src, 'state-dir', 'TALLY_STATE_DIR', 'stateDir', defaultStateDir());
  const enrolledTo = loadCredentials(stateDir)?.collectorUrl;
  const configured = stringSetting(src, 'collector', 'TALLY_COLLECTOR_URL', 'collectorUrl') ?? enrolledTo;
  if (!configured) throw new CliError('no collector to check: pass --collector URL (or TALLY_COLLECTOR_URL), or enrol this device first');
  // The same validation as `run` (scheme, plain ws:// to loopback only), without needing a token.
  const config = resolveRunConfig({ ...src, flags: { ...src.flags, collector: configured, token: undefined }, env: { ...src.env, TALLY_ENROLL_TOKEN: '' }, file: { ...src.file, enrollToken: undefined } });
  const checks = await runDoctor({
    stateDir, collectorUrl: config.collectorUrl, proxy: config.proxy, proxyDescription: describeProxy(config.collectorUrl, config.proxySetting),
    ca: config.ca, timeoutMs: intSetting(src, 'timeout', 'TALLY_DOCTOR_TIMEOUT', 'doctorTimeoutSeconds', 10, 1, 120) * 1000,
  });
  process.stdout.write((values.json ? JSON.stringify({ ok: checks.every((c) => c.ok), checks }, null, 2) : formatChecks(checks)) + '\n');
  return checks.every((c) => c.ok) ? 0 : 1;
}

async function run(args: string[]): Promise<number> {
  const { values, positionals } = parseFlags(args, {
    collector: { type: 'string' }, token: { type: 'string' }, 'state-dir': { type: 'string' },
    interval: { type: 'string' }, config: { type: 'string' }, 'log-level': { type: 'string' }, ca: { type: 'string' }, proxy: { type: 'string' },
    'update-key': { type: 'string' }, 'update-channel': { type: 'string' }, 'update-interval': { type: 'string' }, 'update-deadline': { type: 'string' },
  }, RUN_USAGE);
  if (values.help) return help(RUN_USAGE);
  if (positionals.length) throw new CliError(`unexpected argument: ${positionals[0]}\n\n${RUN_USAGE}`);
  const config = resolveRunConfig(settingsFrom(values, process.env));
  const logger = createLogger({ level: config.logLevel, base: { service: 'tally-agent' } });
  ensureStateDir(config.stateDir);
  const stopped = untilStopSignal(logger, 'stopping');
  // A clone found by the collector starts over as a new device; a few times at most, so a
  // misbehaving collector can never make the agent reset itself in a loop.
  for (let resets = 0; ; resets++) {
    const outcome = await runUntilStopOrClone(config, logger, stopped);
    if (outcome === 'stopped') return 0;
    if (resets >= 2 || !config.enrolmentToken) {
      logger.error(config.enrolmentToken
        ? 'this machine keeps being taken for a clone; not enrolling again until restarted'
        : 'this machine is a clone of an enrolled device: give it an enrolment token (--token or TALLY_ENROLL_TOKEN) to enrol as itself');
      await stopped;
      return 0;
    }
    // The copied journal holds the original machine's seconds: the original delivers them, never this copy.
    rmSync(join(config.stateDir, 'outbox'), { recursive: true, force: true });
    ensureStateDir(config.stateDir);
    const { instanceId } = await resetIdentity(config.stateDir);
    logger.info('identity reset after clone detection; enrolling as a new device', { instanceId });
  }
}

async function runUntilStopOrClone(config: RunConfig, logger: Logger, stopped: Promise<void>): Promise<'stopped' | 'clone'> {
  const evidence = await collectIdentityEvidence();
  const identity = await decideStartupIdentity(config.stateDir, evidence);
  if (identity.action === 'hold-template') {
    // A golden-image template must not enrol: its clones will, each as itself.
    logger.info('golden image template: not enrolling; clones of this machine enrol on first boot', { stateDir: config.stateDir });
    await stopped;
    return 'stopped';
  }
  if (identity.action === 'enrol-clone') logger.info('clone of a golden image detected: enrolling with a new identity', { instanceId: identity.instanceId });
  const instanceId = identity.instanceId;
  let outbox: Outbox;
  try {
    outbox = Outbox.open(join(config.stateDir, 'outbox'));
  } catch (err) {
    if (err instanceof OutboxLockedError) throw new CliError(`another tally-agent is running with state directory ${config.stateDir}`);
    throw err;
  }
  const meter = new AwakeMeter({ clocks: systemClocks, bootId: readBootId() });
  meter.start(systemTickTimer);
  const factsLoop = new FactsLoop({
    stateDir: config.stateDir, agentVersion: AGENT_VERSION, instanceId, logger, intervalMs: FACTS_INTERVAL_MS,
    config: { modules: config.modules as ModulesConfig | undefined },
  });
  // Until the first full collection, hello carries the identity evidence gathered at start,
  // so the collector can tell this machine from a clone from the very first frame.
  const startupFacts = { hostname: hostname(), identity: { ...protoIdentity(evidence), agentInstanceId: instanceId } };
  const updater = makeUpdater(config, logger);
  let onClone!: () => void;
  const cloned = new Promise<'clone'>((resolve) => (onClone = () => resolve('clone')));
  let runtime: AgentRuntime;
  try {
    runtime = new AgentRuntime({
      stateDir: config.stateDir, collectorUrl: config.collectorUrl, enrolmentToken: config.enrolmentToken,
      usageIntervalMs: config.usageIntervalSeconds * 1000, agentVersion: AGENT_VERSION, instanceId, firstRunMs: await readFirstRunMs(config.stateDir),
      facts: () => factsLoop.facts() ?? startupFacts, meter, outbox, logger, onInventoryAcked: (seq) => factsLoop.inventoryAcked(seq),
      onCloneDetected: onClone, connection: { ca: config.ca, proxy: config.proxy }, onWelcomed: () => updater?.welcomed(),
    });
  } catch (err) {
    outbox.close();
    if (err instanceof NoCredentialsError) throw new CliError(err.message);
    throw err;
  }
  runtime.start();
  // Facts are collected off the usage path: hello and usage wait for nothing.
  factsLoop.start(runtime);
  updater?.start();
  logger.info('agent started', { version: AGENT_VERSION, pid: process.pid, collector: config.collectorUrl.href, stateDir: config.stateDir, intervalSeconds: config.usageIntervalSeconds });
  const outcome = await Promise.race([stopped.then(() => 'stopped' as const), cloned]);
  await updater?.stop();
  await factsLoop.stop();
  await runtime.stop(outcome === 'clone' ? 0 : undefined);
  return outcome;
}

/** The updater, when a release key is pinned; null (auto-update off) otherwise. */
function makeUpdater(config: RunConfig, logger: Logger): Updater | null {
  if (config.update.publicKeys.length === 0) {
    logger.info('auto-update is off: no release public key is pinned (--update-key, TALLY_UPDATE_PUBLIC_KEY)');
    return null;
  }
  // A single executable has itself twice in argv; under node, the script follows the runtime.
  const selfCommand = process.argv[1] && process.argv[1] !== process.execPath ? [process.execPath, process.argv[1]] : [process.execPath];
  return new Updater({
    stateDir: config.stateDir, agentVersion: AGENT_VERSION, keys: config.update.publicKeys, channel: config.update.channel,
    checkIntervalMs: config.update.checkIntervalSeconds * 1000, reportDeadlineSeconds: config.update.reportDeadlineSeconds,
    installer: platformInstaller(), logger, selfCommand,
    http: () => {
      const creds = loadCredentials(config.stateDir);
      return creds && creds.collectorUrl === config.collectorUrl.href ? { collectorUrl: config.collectorUrl, deviceKey: creds.deviceKey, ca: config.ca, proxy: config.proxy } : null;
    },
  });
}

async function updateCommand(args: string[]): Promise<number> {
  const [action, ...rest] = args;
  if (action === undefined || action === '--help' || action === '-h') return help(UPDATE_USAGE);
  const { values, positionals } = parseFlags(rest, { 'state-dir': { type: 'string' }, config: { type: 'string' }, json: { type: 'boolean' } }, UPDATE_USAGE);
  if (values.help) return help(UPDATE_USAGE);
  if (positionals.length) throw new CliError(`unexpected argument: ${positionals[0]}\n\n${UPDATE_USAGE}`);
  const stateDir = stateDirFrom(values);
  if (action === 'status') {
    const state = readUpdateState(stateDir);
    process.stdout.write(values.json ? JSON.stringify(state, null, 2) + '\n' : formatUpdateState(state));
    return 0;
  }
  if (action !== 'apply') throw new CliError(`unknown update command: ${action}\n\n${UPDATE_USAGE}`);
  const logger = createLogger({ level: 'info', base: { service: 'tally-agent-update', pid: process.pid } });
  const outcome = await applyUpdate({ stateDir, installer: platformInstaller(), logger });
  logger.info('update process done', { outcome });
  return 0;
}

function formatUpdateState(s: ReturnType<typeof readUpdateState>): string {
  const lines = [
    `highest release accepted:  ${s.highestSequence || 'none'}`,
    `kept for rollback:         ${s.current ? `${s.current.version} (${s.current.package})` : 'none'}`,
    `update under way:          ${s.pending ? `${s.pending.fromVersion} -> ${s.pending.toVersion} (${s.pending.phase}${s.pending.deadlineMs ? `, must report by ${new Date(s.pending.deadlineMs).toISOString()}` : ''})` : 'none'}`,
    `rolled back here:          ${s.failed.length ? s.failed.join(', ') : 'none'}`,
    `last outcome:              ${s.last ? `${s.last.outcome} ${s.last.version ?? ''} at ${new Date(s.last.atMs).toISOString()}: ${s.last.reason}` : 'none'}`,
  ];
  return lines.join('\n') + '\n';
}

/** IdentityEvidence (nulls for unknown) as the wire's Identity (empty strings for unknown). */
function protoIdentity(e: IdentityEvidence) {
  return {
    hardwareUuid: e.hardwareUuid ?? '', systemSerial: e.systemSerial ?? '', baseboardSerial: e.baseboardSerial ?? '',
    osMachineId: e.osMachineId ?? '', macs: e.macs, cloudInstanceId: e.cloudInstanceId ?? '',
  };
}


function stateDirFrom(values: Record<string, string | boolean | undefined>): string {
  const src = settingsFrom(values, process.env);
  return stringSetting(src, 'state-dir', 'TALLY_STATE_DIR', 'stateDir', defaultStateDir());
}

async function resetIdentityCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseFlags(args, { 'state-dir': { type: 'string' }, config: { type: 'string' } }, RESET_USAGE);
  if (values.help) return help(RESET_USAGE);
  if (positionals.length) throw new CliError(`unexpected argument: ${positionals[0]}\n\n${RESET_USAGE}`);
  const stateDir = stateDirFrom(values);
  ensureStateDir(stateDir);
  const r = await resetIdentity(stateDir);
  process.stdout.write(JSON.stringify({ stateDir, previousInstanceId: r.previousInstanceId ?? null, instanceId: r.instanceId }) + '\n');
  process.stderr.write('Identity reset: the agent enrols as a new device at its next start (it needs an enrolment token).\n');
  return 0;
}

async function goldenImageCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseFlags(args, { 'state-dir': { type: 'string' }, config: { type: 'string' } }, GOLDEN_USAGE);
  if (values.help) return help(GOLDEN_USAGE);
  if (positionals.length) throw new CliError(`unexpected argument: ${positionals[0]}\n\n${GOLDEN_USAGE}`);
  const stateDir = stateDirFrom(values);
  ensureStateDir(stateDir);
  await prepareGoldenImage(stateDir, await collectIdentityEvidence());
  process.stderr.write(`This machine is now a golden-image template (${stateDir}): it will not enrol; each clone enrols with its own identity on first boot.\n`);
  return 0;
}

/**
 * Tells the collector this agent is being uninstalled, so the device stops
 * being billed and stays visible. Best effort within a bounded time: an
 * uninstall must never fail because the collector is unreachable.
 */
async function uninstallCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseFlags(args, {
    'state-dir': { type: 'string' }, config: { type: 'string' }, timeout: { type: 'string' }, reason: { type: 'string' }, ca: { type: 'string' }, proxy: { type: 'string' },
    purge: { type: 'boolean' },
  }, UNINSTALL_USAGE);
  if (values.help) return help(UNINSTALL_USAGE);
  if (positionals.length) throw new CliError(`unexpected argument: ${positionals[0]}\n\n${UNINSTALL_USAGE}`);
  const src = settingsFrom(values, process.env);
  const stateDir = stringSetting(src, 'state-dir', 'TALLY_STATE_DIR', 'stateDir', defaultStateDir());
  const timeoutSeconds = intSetting(src, 'timeout', 'TALLY_UNINSTALL_TIMEOUT', 'uninstallTimeoutSeconds', 15, 1, 300);
  const logger = createLogger({ level: 'info', base: { service: 'tally-agent' } });
  const outcome = await reportUninstall(src, stateDir, timeoutSeconds, typeof values.reason === 'string' ? values.reason : 'uninstall', logger);
  if (values.purge && outcome !== 'agent-running') {
    // The device key, instance id and journal must not outlive the agent (a reinstall enrols afresh).
    rmSync(stateDir, { recursive: true, force: true });
    logger.info('agent state removed', { stateDir });
  }
  return 0;
}

async function reportUninstall(src: SettingSource, stateDir: string, timeoutSeconds: number, reason: string, logger: Logger): Promise<'delivered' | 'not-delivered' | 'not-enrolled' | 'agent-running'> {
  const creds = loadCredentials(stateDir);
  if (!creds) {
    logger.info('not enrolled: nothing to tell the collector');
    return 'not-enrolled';
  }
  let outbox: Outbox;
  try {
    outbox = Outbox.open(join(stateDir, 'outbox'));
  } catch (err) {
    if (err instanceof OutboxLockedError) {
      logger.warn('the agent service is still running; stop it before uninstalling. The uninstall event was not sent.');
      return 'agent-running';
    }
    throw err;
  }
  const identity = await decideStartupIdentity(stateDir, await collectIdentityEvidence());
  const meter = new AwakeMeter({ clocks: systemClocks, bootId: readBootId() });
  const collectorUrl = new URL(creds.collectorUrl);
  const { proxy } = resolveProxy(src, collectorUrl);
  const runtime = new AgentRuntime({
    stateDir, collectorUrl, enrolmentToken: null, usageIntervalMs: 3_600_000,
    agentVersion: AGENT_VERSION, instanceId: identity.action === 'hold-template' ? '' : identity.instanceId,
    facts: () => null, meter, outbox, logger,
    connection: { backoff: { initialMs: 500, maxMs: 2_000 }, ca: readCa(stringSetting(src, 'ca', 'TALLY_CA_FILE', 'caFile')), proxy },
  });
  runtime.recordEvent({ occurredAtMs: Date.now(), uninstalled: { reason: reason.slice(0, 200) } });
  runtime.start();
  const delivered = await runtime.waitIdle(timeoutSeconds * 1000);
  await runtime.stop(0);
  if (delivered) logger.info('uninstall reported to the collector', { deviceId: creds.deviceId });
  else logger.warn('could not reach the collector in time; the uninstall event was not delivered', { timeoutSeconds });
  return delivered ? 'delivered' : 'not-delivered';
}

async function factsCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseFlags(args, { json: { type: 'boolean' }, 'state-dir': { type: 'string' }, config: { type: 'string' } }, FACTS_USAGE);
  if (values.help) return help(FACTS_USAGE);
  if (positionals.length) throw new CliError(`unexpected argument: ${positionals[0]}\n\n${FACTS_USAGE}`);
  if (!values.json) throw new CliError(`--json is required (JSON is the only output format)\n\n${FACTS_USAGE}`);
  const src = settingsFrom(values, process.env);
  const stateDir = stringSetting(src, 'state-dir', 'TALLY_STATE_DIR', 'stateDir', defaultStateDir());
  const modules = src.file.modules as ModulesConfig | undefined;
  // Read-only: nothing is written to the state directory (no events, no records).
  const collection = await collectDeviceFacts({ agentVersion: AGENT_VERSION, stateDir, config: { modules } });
  process.stdout.write(formatFactsJson(collection.facts) + '\n');
  return 0;
}

function help(text: string): number {
  process.stdout.write(text + '\n');
  return 0;
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case undefined:
    case '-h':
    case '--help':
    case 'help':
      return help(USAGE);
    case 'run':
      return run(rest);
    case 'facts':
      return factsCommand(rest);
    case 'reset-identity':
      return resetIdentityCommand(rest);
    case 'prepare-golden-image':
      return goldenImageCommand(rest);
    case 'uninstall':
      return uninstallCommand(rest);
    case 'status':
      return statusCommand(rest);
    case 'doctor':
      return doctorCommand(rest);
    case 'update':
      return updateCommand(rest);
    case 'version':
    case '--version':
      process.stdout.write(AGENT_VERSION + '\n');
      return 0;
    default:
      throw new CliError(`unknown command: ${command}\n\n${USAGE}`);
  }
}

void runCli(() => main(process.argv.slice(2)));
