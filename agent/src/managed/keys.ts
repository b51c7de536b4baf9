// Managed settings use one set of names on every OS (registry values,
// managed-preference keys); the Linux environment file uses the agent's
// environment variable names. Both map onto the config file's keys, which is
// how the settings lookup consumes them.

/** Registry value / managed preference name -> config file key. */
export const MANAGED_KEYS: Record<string, string> = {
  CollectorUrl: 'collectorUrl',
  EnrollToken: 'enrollToken',
  IntervalSeconds: 'intervalSeconds',
  LogLevel: 'logLevel',
  StateDir: 'stateDir',
  ProxyUrl: 'proxy',
  UpdatePublicKey: 'updatePublicKey',
  UpdateChannel: 'updateChannel',
};

/** Environment file variable -> config file key. */
export const ENV_FILE_KEYS: Record<string, string> = {
  TALLY_COLLECTOR_URL: 'collectorUrl',
  TALLY_ENROLL_TOKEN: 'enrollToken',
  TALLY_INTERVAL: 'intervalSeconds',
  TALLY_LOG_LEVEL: 'logLevel',
  TALLY_STATE_DIR: 'stateDir',
  TALLY_PROXY: 'proxy',
  TALLY_UPDATE_PUBLIC_KEY: 'updatePublicKey',
  TALLY_UPDATE_CHANNEL: 'updateChannel',
};

export type ManagedSettings = Record<string, string | number | boolean>;

/** Keeps the known names, renamed to config keys; empty strings mean "not set" (an MSI writes one for an omitted property). */
export function pickKnown(raw: Record<string, string | number | boolean>, names: Record<string, string>): ManagedSettings {
  const out: ManagedSettings = {};
  for (const [name, value] of Object.entries(raw)) {
    const key = names[name];
    if (key && !(typeof value === 'string' && value.trim() === '')) out[key] = typeof value === 'string' ? value.trim() : value;
  }
  return out;
}
