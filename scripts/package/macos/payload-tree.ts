// The file tree a macOS package installs, described once and written twice:
// as the Payload (cpio) and as the Bom (the installer's receipt of it).

export interface PayloadEntry {
  /** Path relative to the install location, without "./": "" is the root. */
  path: string;
  kind: 'dir' | 'file';
  /** Permission bits only (the file type is added by each writer). */
  mode: number;
  /** File contents (files only). */
  data?: Buffer;
}

/** Owner root (0), group wheel (0): what a system daemon's files must be for launchd to load them. */
export const ROOT_UID = 0;
export const WHEEL_GID = 0;

export const S_IFDIR = 0o040000;
export const S_IFREG = 0o100000;

/** Adds the missing parent folders and sorts parents before children, siblings by name. */
export function completeTree(entries: PayloadEntry[]): PayloadEntry[] {
  const byPath = new Map<string, PayloadEntry>(entries.map((e) => [e.path, e]));
  for (const e of entries) {
    const parts = e.path.split('/');
    for (let i = 0; i < parts.length; i++) {
      const dir = i === 0 ? '' : parts.slice(0, i).join('/');
      if (!byPath.has(dir)) byPath.set(dir, { path: dir, kind: 'dir', mode: 0o755 });
    }
  }
  const depthFirst = (a: string, b: string) => {
    const pa = a === '' ? [] : a.split('/');
    const pb = b === '' ? [] : b.split('/');
    for (let i = 0; i < Math.min(pa.length, pb.length); i++) if (pa[i] !== pb[i]) return pa[i] < pb[i] ? -1 : 1;
    return pa.length - pb.length;
  };
  return [...byPath.values()].sort((a, b) => depthFirst(a.path, b.path));
}

/** "./Library/Tally" style, as both cpio and lsbom show paths. */
export function dotPath(path: string): string {
  return path === '' ? '.' : `./${path}`;
}
