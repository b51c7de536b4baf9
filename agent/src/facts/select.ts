// Picks the facts adapter for the running OS. The only place that looks at
// process.platform; everything below it is per-OS files.
import { collectDarwin } from './darwin.ts';
import { collectLinux } from './linux.ts';
import { defaultSources } from './sources.ts';
import type { AdapterSources, FactsAdapter, Platform } from './types.ts';
import { collectWindows } from './windows.ts';
import { createPowerShellRunner, nodeOsSystemInfo } from './windows-sources.ts';

export interface PlatformAdapter {
  platform: Platform;
  collect: FactsAdapter;
  /** The real machine's sources for this adapter, each read bounded by timeoutMs. */
  sources(timeoutMs: number): AdapterSources;
}

const ADAPTERS: Record<Platform, PlatformAdapter> = {
  linux: { platform: 'linux', collect: collectLinux, sources: defaultSources },
  darwin: { platform: 'darwin', collect: collectDarwin, sources: defaultSources },
  windows: {
    platform: 'windows',
    collect: collectWindows,
    // No systeminformation on Windows: its PowerShell session could crash the agent (windows-sources.ts).
    sources: (timeoutMs) => ({ ...defaultSources(timeoutMs), si: nodeOsSystemInfo, powerShell: createPowerShellRunner({ timeoutMs }) }),
  },
};

export function platformOf(nodePlatform: NodeJS.Platform): Platform | undefined {
  if (nodePlatform === 'win32') return 'windows';
  if (nodePlatform === 'darwin' || nodePlatform === 'linux') return nodePlatform;
  return undefined;
}

export function selectAdapter(nodePlatform: NodeJS.Platform = process.platform): PlatformAdapter {
  const platform = platformOf(nodePlatform);
  if (!platform) throw new Error(`tally facts: unsupported platform ${nodePlatform}`);
  return ADAPTERS[platform];
}
