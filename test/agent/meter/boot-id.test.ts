import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readBootId, type BootIdSources } from '../../../agent/src/meter/boot-id.ts';

const LINUX_ID = '3f6c2a9e-8d41-4b7a-9c1e-0a5b6d7e8f90';
const bootAt = Date.parse('2026-05-04T07:12:00Z');

function sources(overrides: Partial<BootIdSources>): BootIdSources {
  const now = bootAt + 3_600_000;
  return {
    platform: 'win32',
    readLinuxBootId: () => {
      throw new Error('ENOENT');
    },
    readDarwinBootSessionUuid: () => {
      throw new Error('ENOENT');
    },
    uptimeSeconds: () => (now - bootAt) / 1000,
    wallMs: () => now,
    ...overrides,
  };
}

describe('readBootId', () => {
  it('uses the Linux kernel boot id, normalised', () => {
    expect(readBootId(sources({ platform: 'linux', readLinuxBootId: () => `${LINUX_ID.toUpperCase()}\n` }))).toBe(LINUX_ID);
  });

  it('uses the macOS boot session uuid', () => {
    expect(readBootId(sources({ platform: 'darwin', readDarwinBootSessionUuid: () => `${LINUX_ID}\n` }))).toBe(LINUX_ID);
  });

  it('falls back to the boot time when the kernel id is unreadable or not a uuid', () => {
    const expected = 'boottime:2026-05-04T07:12Z';
    expect(readBootId(sources({ platform: 'linux' }))).toBe(expected);
    expect(readBootId(sources({ platform: 'darwin', readDarwinBootSessionUuid: () => '' }))).toBe(expected);
    expect(readBootId(sources({ platform: 'win32' }))).toBe(expected);
  });

  it('derives the same id all through a boot despite uptime jitter, and a new one after a reboot', () => {
    const at = (nowMs: number, uptimeS: number) => readBootId(sources({ wallMs: () => nowMs, uptimeSeconds: () => uptimeS }));
    const first = at(bootAt + 60_000, 60.4);
    expect(at(bootAt + 86_400_000, 86_400 - 0.8)).toBe(first);
    expect(at(bootAt + 30 * 86_400_000, 30 * 86_400 + 1.2)).toBe(first);
    expect(at(bootAt + 86_400_000, 120)).not.toBe(first);
  });

  it('falls back to a per-process random id when even uptime is unavailable', () => {
    const id = readBootId(sources({ uptimeSeconds: () => Number.NaN }));
    expect(id).toMatch(/^process:[0-9a-f-]{36}$/);
    expect(readBootId(sources({ uptimeSeconds: () => Number.NaN }))).not.toBe(id);
  });

  it.runIf(existsSync('/proc/sys/kernel/random/boot_id'))('reads the real boot id on this Linux machine, stable between calls', () => {
    const id = readBootId();
    expect(id).toBe(readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim());
    expect(readBootId()).toBe(id);
  });
});
