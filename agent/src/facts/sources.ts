// Real implementations of the raw sources, and the helpers adapters use to
// read them in bounded time without ever throwing.
import { execFile } from 'node:child_process';
import { readFile, stat } from 'node:fs/promises';
import { hostname as osHostname } from 'node:os';
import { join } from 'node:path';
import * as si from 'systeminformation';
import machineIdModule from 'node-machine-id';
import type { AdapterSources, CommandResult, CommandRunner, PowerShellRunner, ReadResult, SourceReader, SystemInfoSource } from './types.ts';

export const DEFAULT_SOURCE_TIMEOUT_MS = 5_000;

export type Settled<T> = { ok: true; value: T } | { ok: false; reason: string };

/**
 * Resolves with the promise's value, or with a reason once `ms` have passed or
 * the promise rejected. The timer is unref'd so a hung source never keeps the
 * process alive; the hung work itself is abandoned, not awaited.
 */
export function settleWithin<T>(promise: Promise<T>, ms: number): Promise<Settled<T>> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve({ ok: false, reason: `timed out after ${ms} ms` }), ms);
    timer.unref?.();
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve({ ok: true, value });
      },
      (error: unknown) => {
        clearTimeout(timer);
        resolve({ ok: false, reason: errorReason(error) });
      },
    );
  });
}

export function errorReason(error: unknown): string {
  if (error && typeof error === 'object') {
    const code = (error as { code?: unknown }).code;
    if (code === 'ENOENT') return 'not found';
    if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
    const message = (error as { message?: unknown }).message;
    if (typeof message === 'string') return message.trim().replace(/\s*\n\s*/g, ' | ').slice(0, 300);
  }
  return String(error).slice(0, 200);
}

/** Runs commands with execFile (no shell), C locale for stable formats, and a hard kill at the deadline. */
export function createCommandRunner(timeoutMs = DEFAULT_SOURCE_TIMEOUT_MS): CommandRunner {
  return (command, args) =>
    new Promise<CommandResult>((resolve) => {
      execFile(
        command,
        args,
        {
          timeout: timeoutMs,
          killSignal: 'SIGKILL',
          maxBuffer: 8 * 1024 * 1024,
          windowsHide: true,
          env: { ...process.env, LC_ALL: 'C', LANG: 'C' },
        },
        (error, stdout) => {
          if (!error) return resolve({ ok: true, stdout: String(stdout), exitCode: 0 });
          const e = error as NodeJS.ErrnoException & { killed?: boolean; code?: unknown };
          if (e.killed) return resolve({ ok: false, reason: `timed out after ${timeoutMs} ms` });
          // A tool that ran and exited non-zero still produced an answer (systemd-detect-virt prints "none" and exits 1).
          if (typeof e.code === 'number') return resolve({ ok: true, stdout: String(stdout), exitCode: e.code });
          resolve({ ok: false, reason: errorReason(error) });
        },
      );
    });
}

/** Reads files below `root` ('/' in production, a fixture tree in tests). */
export function createFileReader(root = '/'): SourceReader {
  const resolvePath = (path: string) => (root === '/' ? path : join(root, path));
  return {
    async readText(path): Promise<ReadResult> {
      try {
        return { ok: true, text: await readFile(resolvePath(path), 'utf8') };
      } catch (error) {
        const reason = errorReason(error);
        return { ok: false, reason: reason === 'not found' ? 'missing' : reason === 'permission denied' ? 'denied' : reason };
      }
    },
    async stat(path) {
      try {
        const s = await stat(resolvePath(path));
        return { mtimeMs: s.mtimeMs };
      } catch {
        return undefined;
      }
    },
  };
}

/** node-machine-id, original (unhashed) value. Its Linux hostname fallback is never used: the Linux adapter reads machine-id itself. */
export const readMachineIdWithNodeMachineId = () => machineIdModule.machineId(true);

export const systemInformation: SystemInfoSource = si;

/** The real machine's sources; per-OS adapters replace what differs (select.ts). */
export function defaultSources(timeoutMs = DEFAULT_SOURCE_TIMEOUT_MS): AdapterSources {
  return {
    // TALLY_FACTS_ROOT reads the files facts come from (/sys/class/dmi, /proc, /etc) below another
    // directory: a captured tree, for diagnosing a machine from its copy, and for tests.
    reader: createFileReader(process.env.TALLY_FACTS_ROOT?.trim() || '/'),
    run: createCommandRunner(timeoutMs),
    si: systemInformation,
    readMachineId: readMachineIdWithNodeMachineId,
    hostname: osHostname,
    now: Date.now,
    timeoutMs,
  };
}

/**
 * The adapters' view of their sources: every read is bounded by the timeout
 * and every failure becomes `undefined` plus a note. Missing files are normal
 * (no DMI in a container) and are not noted; denied files and failed commands are.
 */
export class SourceProbe {
  readonly notes: string[] = [];
  constructor(readonly sources: AdapterSources) {}

  note(text: string): void {
    this.notes.push(text);
  }

  async file(path: string): Promise<string | undefined> {
    const settled = await settleWithin(this.sources.reader.readText(path), this.sources.timeoutMs);
    if (!settled.ok) {
      this.note(`file ${path}: ${settled.reason}`);
      return undefined;
    }
    if (settled.value.ok) return settled.value.text;
    if (settled.value.reason !== 'missing') this.note(`file ${path}: ${settled.value.reason}`);
    return undefined;
  }

  async exists(path: string): Promise<boolean> {
    const settled = await settleWithin(this.sources.reader.stat(path), this.sources.timeoutMs);
    return settled.ok && settled.value !== undefined;
  }

  /** stdout of a command that ran (any exit code), else undefined with a note. */
  async command(command: string, args: readonly string[]): Promise<string | undefined> {
    const settled = await settleWithin(this.sources.run(command, args), this.sources.timeoutMs);
    const label = [command, ...args].join(' ');
    if (!settled.ok) {
      this.note(`command ${label}: ${settled.reason}`);
      return undefined;
    }
    if (!settled.value.ok) {
      this.note(`command ${label}: ${settled.value.reason}`);
      return undefined;
    }
    return settled.value.stdout;
  }

  async powerShell(label: string, script: string): Promise<string | undefined> {
    const runner = this.sources.powerShell;
    if (!runner) {
      this.note(`powershell ${label}: no session`);
      return undefined;
    }
    const settled = await settleWithin(runner(script), this.sources.timeoutMs);
    const result = settled.ok ? settled.value : ({ ok: false, reason: settled.reason } as const);
    if (!result.ok) {
      this.note(`powershell ${label}: ${result.reason}`);
      return undefined;
    }
    if (result.stdout.trim() === '') {
      this.note(`powershell ${label}: empty output`);
      return undefined;
    }
    return result.stdout;
  }

  async systemInformation<K extends keyof SystemInfoSource>(name: K): Promise<Awaited<ReturnType<SystemInfoSource[K]>> | undefined> {
    const settled = await settleWithin(
      Promise.resolve().then(() => this.sources.si[name]() as Promise<Awaited<ReturnType<SystemInfoSource[K]>>>),
      this.sources.timeoutMs,
    );
    if (!settled.ok) {
      this.note(`systeminformation ${name}: ${settled.reason}`);
      return undefined;
    }
    return settled.value;
  }

  async machineId(): Promise<string | undefined> {
    const settled = await settleWithin(Promise.resolve().then(() => this.sources.readMachineId()), this.sources.timeoutMs);
    if (!settled.ok) {
      // e.g. REG.exe blocked by policy ("Registry editing has been disabled by your administrator").
      this.note(`machine id: ${settled.reason}`);
      return undefined;
    }
    return settled.value;
  }
}
