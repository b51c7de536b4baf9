// Managed settings: what an MSP's deployment tool set for this machine
// (registry on Windows, managed preferences on macOS, the environment file on
// Linux), as config-file keys. They rank after flags and environment and
// before the config file.
import { readDarwinManagedSettings } from './darwin.ts';
import type { ManagedSettings } from './keys.ts';
import { readLinuxManagedSettings } from './linux.ts';
import { readWindowsManagedSettings } from './windows.ts';

export type { ManagedSettings } from './keys.ts';

const READERS: Record<string, () => ManagedSettings> = {
  linux: () => readLinuxManagedSettings(),
  darwin: () => readDarwinManagedSettings(),
  win32: () => readWindowsManagedSettings(),
};

export function readManagedSettings(platform: string = process.platform): ManagedSettings {
  return (READERS[platform] ?? (() => ({})))();
}
