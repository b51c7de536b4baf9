// Picks the facts adapter for the running OS. The only place that looks at
// process.platform; everything below it is per-OS files.
import * as si from 'systeminformation';
import { collectDarwin } from './darwin.ts';
import { collectLinux } from './linux.ts';
import type { FactsAdapter, Platform } from './types.ts';
import { collectWindows } from './windows.ts';

export interface PlatformAdapter {
  platform: Platform;
  collect: FactsAdapter;
  /**
   * Opens what the adapter needs for one collection and returns its closer.
   * Windows: one persistent PowerShell session shared by systeminformation
   * and the adapter's own CIM queries, instead of one powershell.exe per call.
   */
  openSession(): () => void;
}

const noSession = () => () => {};

const ADAPTERS: Record<Platform, PlatformAdapter> = {
  linux: { platform: 'linux', collect: collectLinux, openSession: noSession },
  darwin: { platform: 'darwin', collect: collectDarwin, openSession: noSession },
  windows: {
    platform: 'windows',
    collect: collectWindows,
    openSession: () => {
      si.powerShellStart();
      return () => si.powerShellRelease();
    },
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
