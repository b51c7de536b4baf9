// The device's credentials, issued by the collector at enrolment. Losing them
// means enrolling again as a new device, so they are written durably: temp
// file, fsync, rename, fsync of the directory. Readable by the owner only.
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { DEVICE_KEY_FILE } from './facts/identity.ts';
import { makeDirectories } from './state-dir.ts';

export interface DeviceCredentials {
  deviceId: string;
  deviceKey: string;
  companyId: string;
  /** The collector that issued the key: a key is never sent to another one. */
  collectorUrl: string;
  enrolledAtMs: number;
}

/** Named by the identity module, which deletes it on reset and in clones. */
const FILE = DEVICE_KEY_FILE;

export function writeDurably(path: string, content: string, mode = 0o600): void {
  makeDirectories(dirname(path));
  const tmp = `${path}.${process.pid}.tmp`;
  const fd = openSync(tmp, 'w', mode);
  try {
    writeSync(fd, content);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
  try {
    const dirFd = openSync(dirname(path), 'r');
    try {
      fsyncSync(dirFd);
    } finally {
      closeSync(dirFd);
    }
  } catch {
    // Directories cannot be opened for fsync on Windows; the rename is still atomic there.
  }
}

export function loadCredentials(stateDir: string): DeviceCredentials | null {
  let text: string;
  try {
    text = readFileSync(join(stateDir, FILE), 'utf8');
  } catch {
    return null;
  }
  try {
    const c = JSON.parse(text) as Partial<DeviceCredentials>;
    if (typeof c.deviceId === 'string' && typeof c.deviceKey === 'string' && c.deviceKey.startsWith('tdk_')
      && typeof c.collectorUrl === 'string' && typeof c.companyId === 'string') {
      return { deviceId: c.deviceId, deviceKey: c.deviceKey, companyId: c.companyId, collectorUrl: c.collectorUrl, enrolledAtMs: Number(c.enrolledAtMs) || 0 };
    }
  } catch {
    // fall through: a corrupt file is treated as absent, and the agent enrols again
  }
  return null;
}

export function saveCredentials(stateDir: string, creds: DeviceCredentials): void {
  writeDurably(join(stateDir, FILE), JSON.stringify(creds, null, 2) + '\n');
}

export function forgetCredentials(stateDir: string): void {
  rmSync(join(stateDir, FILE), { force: true });
}
