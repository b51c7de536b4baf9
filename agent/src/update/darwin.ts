// macOS: the flat package through installer(8). The package's postinstall
// reloads the launchd job. The apply process is started with its own session
// (setsid) so the launchd job's stop does not take it along. Not exercised in
// CI (no macOS runner): see installers/README.md.
import type { ReleasePlatform } from '../../../common/release-manifest.ts';
import { runTool, spawnDetached, type PackageInstaller } from './installer.ts';

export function darwinInstaller(): PackageInstaller {
  return {
    platform: `darwin-${process.arch === 'arm64' ? 'arm64' : 'x64'}-pkg` as ReleasePlatform,
    packageRestartsService: true,
    async install(file) {
      // installer(8) installs an older package over a newer one (a rollback) without a downgrade check.
      await runTool('/usr/sbin/installer', ['-pkg', file, '-target', '/']);
    },
    async launchDetached(argv, logFile) {
      spawnDetached(argv, logFile);
    },
  };
}
