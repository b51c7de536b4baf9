// The installer for this operating system.
import { darwinInstaller } from './darwin.ts';
import type { PackageInstaller } from './installer.ts';
import { linuxInstaller } from './linux.ts';
import { windowsInstaller } from './windows.ts';

export function platformInstaller(platform = process.platform): PackageInstaller {
  if (platform === 'win32') return windowsInstaller();
  if (platform === 'darwin') return darwinInstaller();
  return linuxInstaller();
}
