// .deb (dpkg-deb) and .rpm (rpmbuild) around the prebuilt Linux executable,
// with the hardened systemd unit and the shared maintainer hooks.
import { chmodSync, copyFileSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Target } from './targets.ts';
import { fillTemplate as fill } from './template.ts';
import { run } from './tools.ts';

const DEB_ARCH = { x64: 'amd64', arm64: 'arm64' } as const;
const RPM_ARCH = { x64: 'x86_64', arm64: 'aarch64' } as const;

export interface LinuxPackageInput {
  root: string;
  target: Target;
  executable: string;
  version: string;
  outDir: string;
  workDir: string;
}

export function buildDeb(input: LinuxPackageInput): string {
  const { root, target, executable, version, outDir, workDir } = input;
  const linux = join(root, 'installers/linux');
  const tree = join(workDir, `deb-${target.id}`);
  rmSync(tree, { recursive: true, force: true });
  for (const dir of ['DEBIAN', 'usr/bin', 'usr/lib/systemd/system', 'usr/lib/tally-agent']) mkdirSync(join(tree, dir), { recursive: true, mode: 0o755 });
  const place = (from: string, to: string, mode: number) => {
    copyFileSync(from, join(tree, to));
    chmodSync(join(tree, to), mode);
  };
  place(executable, 'usr/bin/tally-agent', 0o755);
  place(join(linux, 'tally-agent.service'), 'usr/lib/systemd/system/tally-agent.service', 0o644);
  place(join(linux, 'package-hooks.sh'), 'usr/lib/tally-agent/package-hooks.sh', 0o755);
  for (const script of ['postinst', 'prerm', 'postrm']) place(join(linux, 'deb', script), `DEBIAN/${script}`, 0o755);
  const installedKb = Math.ceil((statSync(executable).size + 16_384) / 1024);
  writeFileSync(join(tree, 'DEBIAN/control'), fill(readFileSync(join(linux, 'deb/control'), 'utf8'), { VERSION: version, ARCH: DEB_ARCH[target.arch], INSTALLED_KB: String(installedKb) }));
  const out = join(outDir, `tally-agent_${version}_${DEB_ARCH[target.arch]}.deb`);
  // gzip, not xz: several times faster on a 100 MB binary, and every dpkg reads it.
  run('dpkg-deb', ['--root-owner-group', '-Zgzip', '-z6', '--build', tree, out]);
  rmSync(tree, { recursive: true, force: true });
  return out;
}

export function buildRpm(input: LinuxPackageInput): string {
  const { root, target, executable, version, outDir, workDir } = input;
  const linux = join(root, 'installers/linux');
  const top = join(workDir, `rpm-${target.id}`);
  rmSync(top, { recursive: true, force: true });
  mkdirSync(join(top, 'SPECS'), { recursive: true });
  const spec = join(top, 'SPECS/tally-agent.spec');
  writeFileSync(spec, fill(readFileSync(join(linux, 'rpm/tally-agent.spec'), 'utf8'), {
    VERSION: version, EXECUTABLE: executable,
    UNIT: join(linux, 'tally-agent.service'), HOOKS: join(linux, 'package-hooks.sh'),
  }));
  run('rpmbuild', ['-bb', '--quiet', '--define', `_topdir ${top}`, '--target', `${RPM_ARCH[target.arch]}-linux`, spec]);
  const rpmDir = join(top, 'RPMS', RPM_ARCH[target.arch]);
  const built = readdirSync(rpmDir).find((f) => f.endsWith('.rpm'));
  if (!built) throw new Error(`rpmbuild made no package in ${rpmDir}`);
  const out = join(outDir, built);
  renameSync(join(rpmDir, built), out);
  rmSync(top, { recursive: true, force: true });
  return out;
}
