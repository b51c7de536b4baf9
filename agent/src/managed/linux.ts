// Linux: /etc/tally-agent/agent.env, the file the packages create (root only,
// 0600) and systemd passes to the service. Reading it here too means a manual
// `sudo tally-agent run` or `tally-agent uninstall` sees the same settings.
import { readFileSync } from 'node:fs';
import { ENV_FILE_KEYS, pickKnown, type ManagedSettings } from './keys.ts';

export const LINUX_ENV_FILE = '/etc/tally-agent/agent.env';

/** KEY=VALUE lines as systemd's EnvironmentFile reads them: comments, blank lines, optional quotes, optional `export`. */
export function parseEnvFile(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#') || line.startsWith(';')) continue;
    const m = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line);
    if (!m) continue;
    let value = m[2];
    const quoted = /^"(.*)"$/.exec(value) ?? /^'(.*)'$/.exec(value);
    if (quoted) value = quoted[1];
    out[m[1]] = value;
  }
  return out;
}

export function readLinuxManagedSettings(path = LINUX_ENV_FILE): ManagedSettings {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return {}; // absent, or not root: the service gets the same values through its environment
  }
  return pickKnown(parseEnvFile(text), ENV_FILE_KEYS);
}
