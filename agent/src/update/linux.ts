// Linux: .deb through dpkg, .rpm through rpm. The apply process runs as a
// transient systemd unit (systemd-run), outside tally-agent.service: the
// service's sandbox (ProtectSystem=strict) could not write /usr, and the
// package's postinst restarts the service, which would kill anything in its
// cgroup, including the installer itself.
//
// TALLY_UPDATE_DPKG_ROOT installs into another root (dpkg --root, with the
// maintainer scripts run outside a chroot: they honour $DPKG_ROOT and never
// touch systemd then). For tests and image builds; not for production.
import { existsSync, readFileSync } from 'node:fs';
import type { ReleasePlatform } from '../../../common/release-manifest.ts';
import { runTool, spawnDetached, type PackageInstaller } from './installer.ts';

const hasSystemd = () => existsSync('/run/systemd/system');

function packageFormat(root: string | undefined): 'deb' | 'rpm' {
  if (root) return 'deb';
  try {
    if (/^Package: tally-agent$/m.test(readFileSync('/var/lib/dpkg/status', 'utf8'))) return 'deb';
  } catch {
    // no dpkg database: an rpm system, or a bare install
  }
  return existsSync('/usr/bin/rpm') || existsSync('/bin/rpm') ? 'rpm' : 'deb';
}

export function linuxInstaller(env: NodeJS.ProcessEnv = process.env): PackageInstaller {
  const root = env.TALLY_UPDATE_DPKG_ROOT || undefined;
  const format = packageFormat(root);
  const arch = process.arch === 'arm64' ? 'arm64' : 'x64';
  const systemd = !root && hasSystemd();
  return {
    platform: `linux-${arch}-${format}` as ReleasePlatform,
    packageRestartsService: systemd,
    async install(file) {
      const toolEnv = { ...env, DEBIAN_FRONTEND: 'noninteractive', PATH: env.PATH || '/usr/sbin:/usr/bin:/sbin:/bin' };
      if (format === 'rpm') {
        // --oldpackage: a rollback installs a lower version over a higher one.
        await runTool('rpm', ['-U', '--oldpackage', '--replacepkgs', file], { env: toolEnv });
        return;
      }
      // dpkg -i installs a lower version over a higher one (a rollback) with a warning; --force-confold keeps edited config files.
      const rootArgs = root ? ['--root', root, '--force-script-chrootless', '--force-not-root'] : [];
      await runTool('dpkg', [...rootArgs, '--force-confold', '-i', file], { env: toolEnv });
    },
    async launchDetached(argv, logFile) {
      if (systemd) {
        await runTool('systemd-run', ['--unit', `tally-agent-update-${Date.now()}`, '--collect', '--quiet', '--property', `StandardOutput=append:${logFile}`,
          '--property', `StandardError=append:${logFile}`, '--', ...argv], { timeoutMs: 30_000 });
        return;
      }
      spawnDetached(argv, logFile);
    },
  };
}
