// The macOS installer package: a product archive (xar) holding a Distribution
// and one component package (Bom, PackageInfo, gzip'd cpio Payload and
// Scripts). macOS's own pkgbuild/productbuild do not exist on Linux, so the
// formats are written here (see installers/macos/BOM-FORMAT.md).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { writeBom } from './macos/bom.ts';
import { cpioOdc } from './macos/cpio.ts';
import { completeTree, type PayloadEntry } from './macos/payload-tree.ts';
import { writeXar } from './macos/xar.ts';
import type { Target } from './targets.ts';
import { fillTemplate } from './template.ts';

const gzipAsync = promisify(gzip);
const HOST_ARCH = { x64: 'x86_64', arm64: 'arm64' } as const;

export interface PkgInput {
  root: string;
  target: Target;
  executable: string;
  version: string;
  outFile: string;
  /** File times in the archives: fixed, so rebuilding the same inputs gives the same package. */
  mtime: Date;
}

export async function buildPkg(input: PkgInput): Promise<string> {
  const macos = join(input.root, 'installers/macos');
  const mtime = Math.floor(input.mtime.getTime() / 1000);
  const file = (path: string, mode: number, data: Buffer): PayloadEntry => ({ path, kind: 'file', mode, data });
  const payloadTree = completeTree([
    file('Library/Tally/Agent/tally-agent', 0o755, readFileSync(input.executable)),
    file('Library/Tally/Agent/uninstall.sh', 0o755, readFileSync(join(macos, 'uninstall.sh'))),
    file('Library/LaunchDaemons/com.tally.agent.plist', 0o644, readFileSync(join(macos, 'com.tally.agent.plist'))),
  ]);
  const scriptsTree = completeTree([
    file('preinstall', 0o755, readFileSync(join(macos, 'scripts/preinstall'))),
    file('postinstall', 0o755, readFileSync(join(macos, 'scripts/postinstall'))),
  ]);
  const [payload, scripts] = await Promise.all([
    gzipAsync(Buffer.concat(cpioOdc(payloadTree, mtime)), { level: 6 }),
    gzipAsync(Buffer.concat(cpioOdc(scriptsTree, mtime)), { level: 9 }),
  ]);
  const installKb = String(Math.ceil(payloadTree.reduce((n, e) => n + (e.data?.length ?? 0), 0) / 1024));
  const values = { VERSION: input.version, FILE_COUNT: String(payloadTree.length), INSTALL_KB: installKb, HOST_ARCH: HOST_ARCH[input.target.arch] };
  const template = (name: string) => Buffer.from(fillTemplate(readFileSync(join(macos, name), 'utf8'), values));
  const archive = writeXar([
    { name: 'Distribution', data: [template('Distribution.xml')] },
    {
      name: 'tally-agent.pkg',
      children: [
        { name: 'Bom', data: [writeBom(payloadTree, mtime)] },
        { name: 'PackageInfo', data: [template('PackageInfo.xml')] },
        { name: 'Payload', data: [payload] },
        { name: 'Scripts', data: [scripts] },
      ],
    },
  ], input.mtime);
  writeFileSync(input.outFile, Buffer.concat(archive));
  return input.outFile;
}
