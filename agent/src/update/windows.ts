// Windows: the MSI through msiexec, started as a detached process outside
// the service's job. The MSI stops and starts the TallyAgent service itself
// (ServiceControl), so the new version is started by the SCM. A rollback
// removes the new product with TALLY_ROLLBACK=1 (the MSI then neither sends
// the uninstall event nor purges the device's state) and installs the kept
// package again: an MSI refuses to install over a newer version.
import { join } from 'node:path';
import type { ReleasePlatform } from '../../../common/release-manifest.ts';
import { runTool, spawnDetached, type PackageInstaller } from './installer.ts';

export function windowsInstaller(env: NodeJS.ProcessEnv = process.env): PackageInstaller {
  const msiexec = join(env.SystemRoot ?? 'C:\\Windows', 'System32', 'msiexec.exe');
  return {
    platform: 'win-x64-msi' as ReleasePlatform,
    packageRestartsService: true,
    async install(file, { rollbackFrom }) {
      const log = `${file}.log`;
      if (rollbackFrom) await runTool(msiexec, ['/x', rollbackFrom, '/qn', '/norestart', 'TALLY_ROLLBACK=1', '/l*v', `${rollbackFrom}.remove.log`]);
      // Properties (SERVER_URL, tokens, the pinned key) are kept by the MSI from the registry: none are passed here.
      await runTool(msiexec, ['/i', file, '/qn', '/norestart', '/l*v', log]);
    },
    async launchDetached(argv, logFile) {
      spawnDetached(argv, logFile);
    },
  };
}
