// Turns a recorded fixture (test/fixtures/facts/<name>/fixture.json) into the
// injectable sources an adapter reads: a filesystem map, command outputs,
// PowerShell outputs, systeminformation results and the machine id.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AdapterSources, CommandResult, ReadResult, SystemInfoSource } from '../../../agent/src/facts/types.ts';

export const FIXTURES_DIR = fileURLToPath(new URL('../../fixtures/facts/', import.meta.url));

/** A text value inline, in a sibling file, or a failure reason. */
type Recorded = string | { file: string } | { error: string };

export interface Fixture {
  source: string;
  platform: 'linux' | 'darwin' | 'windows';
  /** When the outputs were captured: the adapter's clock during the test. */
  recordedAt: string;
  hostname: string;
  machineId: Recorded;
  files?: Record<string, Recorded>;
  /** Paths that exist, with their mtime (ms since epoch). */
  paths?: Record<string, number>;
  commands?: Record<string, Recorded>;
  powershell?: Record<string, Recorded>;
  systeminformation: Record<string, unknown>;
}

export interface LoadedFixture {
  fixture: Fixture;
  sources: AdapterSources;
  /** Commands and scripts the adapter asked for, in order. */
  calls: string[];
}

export async function loadFixture(name: string, overrides: Partial<AdapterSources> = {}): Promise<LoadedFixture> {
  const dir = join(FIXTURES_DIR, name);
  const fixture = JSON.parse(await readFile(join(dir, 'fixture.json'), 'utf8')) as Fixture;
  const resolve = async (value: Recorded): Promise<{ ok: true; text: string } | { ok: false; reason: string }> => {
    if (typeof value === 'string') return { ok: true, text: value };
    if ('file' in value) return { ok: true, text: await readFile(join(dir, value.file), 'utf8') };
    return { ok: false, reason: value.error };
  };
  const calls: string[] = [];
  const files = fixture.files ?? {};
  const paths = fixture.paths ?? {};

  const sources: AdapterSources = {
    reader: {
      async readText(path): Promise<ReadResult> {
        const value = files[path];
        if (value === undefined) return { ok: false, reason: 'missing' };
        return resolve(value);
      },
      async stat(path) {
        if (path in paths) return { mtimeMs: paths[path]! };
        return path in files ? { mtimeMs: 0 } : undefined;
      },
    },
    async run(command, args): Promise<CommandResult> {
      const key = [command, ...args].join(' ');
      calls.push(key);
      const value = fixture.commands?.[key];
      if (value === undefined) return { ok: false, reason: 'not found' };
      const r = await resolve(value);
      return r.ok ? { ok: true, stdout: r.text, exitCode: 0 } : r;
    },
    async powerShell(script) {
      calls.push(script);
      const { WINDOWS_QUERIES } = await import('../../../agent/src/facts/windows.ts');
      const label = Object.entries(WINDOWS_QUERIES).find(([, s]) => s === script)?.[0];
      const value = label ? fixture.powershell?.[label] : undefined;
      if (value === undefined) return { ok: true, stdout: '', exitCode: 0 };
      const r = await resolve(value);
      return r.ok ? { ok: true, stdout: r.text, exitCode: 0 } : r;
    },
    si: systemInformationFixture(fixture.systeminformation),
    async readMachineId() {
      const r = await resolve(fixture.machineId);
      if (!r.ok) throw new Error(r.reason);
      return r.text;
    },
    hostname: () => fixture.hostname,
    now: () => Date.parse(fixture.recordedAt),
    timeoutMs: 2_000,
    ...overrides,
  };
  return { fixture, sources, calls };
}

const SI_METHODS = ['system', 'baseboard', 'chassis', 'osInfo', 'cpu', 'mem', 'networkInterfaces', 'users'] as const;

function systemInformationFixture(recorded: Record<string, unknown>): SystemInfoSource {
  const source: Record<string, () => Promise<unknown>> = {};
  for (const method of SI_METHODS) {
    source[method] = async () => {
      if (!(method in recorded)) throw new Error(`fixture has no systeminformation.${method}`);
      return structuredClone(recorded[method]);
    };
  }
  return source as unknown as SystemInfoSource;
}
