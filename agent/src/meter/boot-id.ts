import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { uptime } from 'node:os';

/** What the boot id is read from; injectable so every branch is testable on any OS. */
export interface BootIdSources {
  platform: NodeJS.Platform;
  /** Linux: /proc/sys/kernel/random/boot_id. */
  readLinuxBootId(): string;
  /** macOS: `sysctl -n kern.bootsessionuuid`. */
  readDarwinBootSessionUuid(): string;
  uptimeSeconds(): number;
  wallMs(): number;
}

export const systemBootIdSources: BootIdSources = {
  platform: process.platform,
  readLinuxBootId: () => readFileSync('/proc/sys/kernel/random/boot_id', 'utf8'),
  readDarwinBootSessionUuid: () =>
    execFileSync('/usr/sbin/sysctl', ['-n', 'kern.bootsessionuuid'], { encoding: 'utf8', timeout: 2_000 }),
  uptimeSeconds: () => uptime(),
  wallMs: () => Date.now(),
};

/** Boot times derived from uptime jitter by a second or so; a minute absorbs that. */
const BOOT_TIME_GRANULARITY_MS = 60_000;
const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * An id that stays the same for the whole boot and changes with the next one.
 *
 * In order: the kernel's own boot id (Linux, macOS); else the boot time
 * (wall clock minus uptime) to the minute, which is stable unless the wall
 * clock is stepped by more than the rounding slack or the boot time sits on a
 * minute boundary; else a random id for this process (an agent restart then
 * looks like a new boot, which splits records but never double counts).
 */
export function readBootId(sources: BootIdSources = systemBootIdSources): string {
  const kernelId = tryRead(() =>
    sources.platform === 'linux' ? sources.readLinuxBootId()
    : sources.platform === 'darwin' ? sources.readDarwinBootSessionUuid()
    : '',
  );
  if (kernelId && UUID_PATTERN.test(kernelId)) return kernelId;

  const uptimeSeconds = tryRead(() => sources.uptimeSeconds());
  if (typeof uptimeSeconds === 'number' && Number.isFinite(uptimeSeconds) && uptimeSeconds > 0) {
    const bootMs = sources.wallMs() - uptimeSeconds * 1000;
    const rounded = Math.round(bootMs / BOOT_TIME_GRANULARITY_MS) * BOOT_TIME_GRANULARITY_MS;
    return `boottime:${new Date(rounded).toISOString().slice(0, 16)}Z`;
  }
  return `process:${randomUUID()}`;
}

function tryRead<T>(read: () => T): T | undefined {
  try {
    const value = read();
    return typeof value === 'string' ? (value.trim().toLowerCase() as T) : value;
  } catch {
    return undefined;
  }
}
