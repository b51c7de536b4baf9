// Real processes for end-to-end tests: the collector and agent executables as
// users run them, with their JSON logs captured line by line.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../..');
export const COLLECTOR_BIN = resolve(root, 'bin/tally-collector.js');
export const AGENT_BIN = resolve(root, 'bin/tally-agent.js');

export interface Proc {
  child: ChildProcess;
  logs: Record<string, unknown>[];
  stderr: () => string;
  /** Resolves with the first log line matching, or rejects after timeoutMs. */
  waitForLog(pred: (l: Record<string, unknown>) => boolean, timeoutMs?: number): Promise<Record<string, unknown>>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stop(signal?: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function startProcess(bin: string, args: string[], env: Record<string, string> = {}, opts: { cwd?: string } = {}): Proc {
  const child = spawn(process.execPath, [bin, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], cwd: opts.cwd });
  const logs: Record<string, unknown>[] = [];
  let err = '';
  let partial = '';
  const watchers: { pred: (l: Record<string, unknown>) => boolean; resolve: (l: Record<string, unknown>) => void }[] = [];
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (chunk: string) => {
    err += chunk;
    partial += chunk;
    const lines = partial.split('\n');
    partial = lines.pop()!;
    for (const line of lines) {
      let parsed: Record<string, unknown>;
      try {
        parsed = JSON.parse(line);
      } catch {
        continue;
      }
      logs.push(parsed);
      for (const w of [...watchers]) {
        if (w.pred(parsed)) {
          watchers.splice(watchers.indexOf(w), 1);
          w.resolve(parsed);
        }
      }
    }
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((res) => child.on('exit', (code, signal) => res({ code, signal })));
  return {
    child,
    logs,
    stderr: () => err,
    waitForLog: (pred, timeoutMs = 20_000) => {
      const found = logs.find(pred);
      if (found) return Promise.resolve(found);
      return new Promise((res, rej) => {
        const t = setTimeout(() => rej(new Error(`log line not seen within ${timeoutMs} ms; stderr so far:\n${err.slice(-3000)}`)), timeoutMs);
        watchers.push({ pred, resolve: (l) => { clearTimeout(t); res(l); } });
        exited.then(() => {
          clearTimeout(t);
          rej(new Error(`process exited before the log line; stderr:\n${err.slice(-3000)}`));
        });
      });
    },
    exited,
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** Runs a CLI command to completion and returns its stdout (throws on failure). */
export function runCommand(bin: string, args: string[], env: Record<string, string> = {}): string {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 30_000 });
  if (r.status !== 0) throw new Error(`${bin} ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  return r.stdout.trim();
}

/** Starts `tally-collector serve` on a free loopback port and waits until it is ready. */
export async function startCollectorProcess(db: string, extraArgs: string[] = []): Promise<Proc & { url: string; port: number }> {
  const proc = startProcess(COLLECTOR_BIN, ['serve', '--host', '127.0.0.1', '--port', '0', '--db', db, ...extraArgs]);
  const ready = await proc.waitForLog((l) => l.msg === 'ready');
  const url = String(ready.url);
  return Object.assign(proc, { url, port: Number(new URL(url).port) });
}

export async function pollUntil<T>(fn: () => Promise<T | undefined | null | false>, timeoutMs: number, what: string, intervalMs = 200): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** A loopback port nobody listens on right now, for a collector that must restart on the same port. */
export function freePort(): Promise<number> {
  return new Promise((resolvePort) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolvePort(port));
    });
  });
}
