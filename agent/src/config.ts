// Agent settings: flags, then environment, then managed settings (registry on
// Windows, managed preferences on macOS, /etc/tally-agent/agent.env on Linux),
// then the config file, then defaults.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CliError, intSetting, readConfigFile, stringSetting, type SettingSource } from '../../common/cli.ts';
import { isLogLevel, type LogLevel } from '../../common/log.ts';
import { readManagedSettings, type ManagedSettings } from './managed/index.ts';
import { parseProxySetting, proxyFor, ProxySettingError, type ProxySetting } from './transport/proxy.ts';
import { agentEndpoint, assertMayCarryDeviceKey, CollectorUrlError, isLoopbackHost } from '../../proto/index.ts';

/** Where the agent keeps its identity, credentials and outbox, per OS. */
const DEFAULT_STATE_DIR: Record<string, () => string> = {
  linux: () => '/var/lib/tally-agent',
  darwin: () => '/Library/Application Support/Tally/agent',
  win32: () => join(process.env.ProgramData ?? 'C:\\ProgramData', 'Tally', 'agent'),
};

const DEFAULT_CONFIG_FILE: Record<string, () => string> = {
  linux: () => '/etc/tally-agent/config.json',
  darwin: () => '/Library/Application Support/Tally/agent/config.json',
  win32: () => join(process.env.ProgramData ?? 'C:\\ProgramData', 'Tally', 'agent', 'config.json'),
};

/**
 * Every key the agent's config file may hold. Another key is refused (exit 2)
 * with the closest known one: a typo such as "collectorUrll" would otherwise
 * be ignored silently and the agent run without the setting.
 */
export const CONFIG_KEYS = [
  'collectorUrl', 'enrollToken', 'stateDir', 'intervalSeconds', 'logLevel', 'caFile', 'proxy', 'modules', 'doctorTimeoutSeconds', 'uninstallTimeoutSeconds',
] as const;

export function defaultStateDir(platform = process.platform): string {
  return (DEFAULT_STATE_DIR[platform] ?? DEFAULT_STATE_DIR.linux)();
}

export interface RunConfig {
  collectorUrl: URL;
  enrolmentToken: string | null;
  stateDir: string;
  usageIntervalSeconds: number;
  logLevel: LogLevel;
  /** The `modules` section of the config file: which modules policy enables. */
  modules: Record<string, unknown> | undefined;
  /** PEM of the CA(s) to trust for wss:// instead of the system store (a pinned private CA). */
  ca: Buffer | undefined;
  /** The proxy setting as configured (explicit, "direct", or the environment's). */
  proxySetting: ProxySetting;
  /** The proxy the collector connection goes through, or null for direct. */
  proxy: URL | null;
}

export function settingsFrom(
  flags: Record<string, string | boolean | undefined>,
  env: NodeJS.ProcessEnv,
  platform: string = process.platform,
  readManaged: (platform: string) => ManagedSettings = readManagedSettings,
): SettingSource {
  // The lookup goes flag, environment, then `file`: managed settings overlay
  // the config file's keys, which puts them after the environment and before the file.
  return { flags, env, file: { ...configFile(flags, env, platform), ...readManaged(platform) } };
}

function configFile(flags: Record<string, string | boolean | undefined>, env: NodeJS.ProcessEnv, platform: string): Record<string, unknown> {
  const explicit = (flags.config as string | undefined) ?? env.TALLY_AGENT_CONFIG;
  if (explicit) return readConfigFile(explicit, CONFIG_KEYS);
  const fallback = (DEFAULT_CONFIG_FILE[platform] ?? DEFAULT_CONFIG_FILE.linux)();
  try {
    return readConfigFile(fallback, CONFIG_KEYS);
  } catch (err) {
    // The default file is optional; only a file that exists but is broken is an error.
    if (!/not found$/.test((err as Error).message)) throw err;
    return {};
  }
}

export function resolveRunConfig(src: SettingSource): RunConfig {
  const url = stringSetting(src, 'collector', 'TALLY_COLLECTOR_URL', 'collectorUrl');
  if (!url) throw new CliError('the collector URL is required: --collector URL (or TALLY_COLLECTOR_URL, or "collectorUrl" in the config file)');
  let collectorUrl: URL;
  try {
    collectorUrl = agentEndpoint(url);
    // The device key is a bearer secret: it never crosses a network in clear text.
    assertMayCarryDeviceKey(collectorUrl);
  } catch (err) {
    if (err instanceof CollectorUrlError) throw new CliError(err.message);
    throw err;
  }
  const token = stringSetting(src, 'token', 'TALLY_ENROLL_TOKEN', 'enrollToken') ?? null;
  if (token !== null && !/^tet_[A-Za-z0-9_-]{43}$/.test(token)) {
    throw new CliError('the enrolment token does not look like one (tet_ followed by 43 characters); copy it again from `tally-collector token create`');
  }
  const level = stringSetting(src, 'log-level', 'TALLY_LOG_LEVEL', 'logLevel', 'info');
  if (!isLogLevel(level)) throw new CliError(`log level must be debug, info, warn or error, got ${JSON.stringify(level)}`);
  const modules = src.file.modules;
  if (modules !== undefined && (typeof modules !== 'object' || modules === null || Array.isArray(modules))) {
    throw new CliError('config key "modules" must be an object of module names');
  }
  return {
    collectorUrl,
    enrolmentToken: token,
    stateDir: stringSetting(src, 'state-dir', 'TALLY_STATE_DIR', 'stateDir', defaultStateDir()),
    usageIntervalSeconds: intSetting(src, 'interval', 'TALLY_INTERVAL', 'intervalSeconds', 300, 1, 86_400),
    logLevel: level,
    modules: modules as Record<string, unknown> | undefined,
    ca: readCa(stringSetting(src, 'ca', 'TALLY_CA_FILE', 'caFile')),
    ...resolveProxy(src, collectorUrl),
  };
}

/** --proxy, TALLY_PROXY, managed ProxyUrl, config "proxy"; else HTTPS_PROXY / HTTP_PROXY / ALL_PROXY with NO_PROXY. */
export function resolveProxy(src: SettingSource, target: URL): { proxySetting: ProxySetting; proxy: URL | null } {
  try {
    // The environment's HTTPS_PROXY family is read from process.env (proxy-from-env).
    const proxySetting = parseProxySetting(stringSetting(src, 'proxy', 'TALLY_PROXY', 'proxy'));
    return { proxySetting, proxy: proxyFor(target, proxySetting) };
  } catch (err) {
    if (err instanceof ProxySettingError) throw new CliError(err.message);
    throw err;
  }
}

/** A pinned CA replaces the system trust store for the collector connection. */
export function readCa(path: string | undefined): Buffer | undefined {
  if (path === undefined) return undefined;
  let pem: Buffer;
  try {
    pem = readFileSync(path);
  } catch (err) {
    throw new CliError(`CA file ${path}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'not found' : (err as Error).message}`);
  }
  if (!pem.toString('utf8').includes('-----BEGIN CERTIFICATE-----')) throw new CliError(`CA file ${path}: not a PEM certificate`);
  return pem;
}
