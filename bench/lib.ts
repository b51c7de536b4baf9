// Shared benchmark plumbing: process measurements from /proc, child
// processes run through tsx, seeding a collector database with enrolled
// devices, and printing figures with their ratio to the baseline.
import Database from 'better-sqlite3';
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { hashSecret, newSecret } from '../collector/src/auth/secrets.ts';
import { openSqliteStorage } from '../collector/src/storage/sqlite/index.ts';
import { createTestDatabase } from '../test/helpers/postgres.ts';
import { seedCustomer } from '../test/helpers/seed.ts';

export const ROOT = resolve(import.meta.dirname, '..');
export const BENCH_DIR = join(tmpdir(), 'tally-bench');
mkdirSync(BENCH_DIR, { recursive: true });

const CLK_TCK = 100;
const PAGE = 4096;

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** CPU seconds (user + system) a process has used so far. */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
}

/** The machine's CPU time so far (/proc/stat, every CPU), and how much of it the hypervisor gave to other guests (steal). */
export function machineCpu(): { total: number; steal: number } {
  const f = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  return { total: f.reduce((a, b) => a + b, 0), steal: f[7] ?? 0 };
}

/** The share of the machine's CPU time stolen by other guests between two machineCpu() readings, 0..1. */
export function stealShare(from: { total: number; steal: number }, to = machineCpu()): number {
  const total = to.total - from.total;
  return total > 0 ? (to.steal - from.steal) / total : 0;
}

/** Resident set size in bytes. */
export function rssBytes(pid: number): number {
  const statm = readFileSync(`/proc/${pid}/statm`, 'utf8').split(' ');
  return Number(statm[1]) * PAGE;
}

export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (!sorted.length) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

export const fmt = {
  int: (n: number) => Math.round(n).toLocaleString('en-US'),
  mb: (b: number) => `${(b / 2 ** 20).toFixed(1)} MB`,
  kb: (b: number) => `${(b / 1024).toFixed(1)} KB`,
  ms: (n: number) => `${n.toFixed(1)} ms`,
  s: (n: number) => `${n.toFixed(2)} s`,
  ratio: (r: number) => (Number.isFinite(r) ? `${r.toFixed(2)}x` : 'n/a'),
};

/** A line of figures: name, value, baseline, ratio (value / baseline), and a verdict against a target. */
export interface Figure {
  bench: string;
  name: string;
  value: number;
  unit: string;
  baseline?: number;
  ratio?: number;
  target?: string;
  met?: boolean;
  note?: string;
}

export function printFigure(f: Figure): void {
  const show = (v: number) => (f.unit === 'bytes' ? fmt.mb(v) : f.unit === 'KB' ? `${v.toFixed(1)} KB` : f.unit === 'ms' ? fmt.ms(v) : f.unit === 's' ? fmt.s(v) : f.unit === '%' ? `${v.toFixed(3)} %` : f.unit === 'x' ? `${v.toFixed(2)}x` : `${fmt.int(v)} ${f.unit}`);
  const parts = [`  ${f.name.padEnd(52)} ${show(f.value).padStart(14)}`];
  if (f.baseline !== undefined) parts.push(`baseline ${show(f.baseline)}`, `ratio ${fmt.ratio(f.ratio ?? f.value / f.baseline)}`);
  if (f.target) parts.push(`target ${f.target}: ${f.met ? 'MET' : 'NOT MET'}`);
  if (f.note) parts.push(`(${f.note})`);
  process.stdout.write(parts.join('  ') + '\n');
}

/** Forks a TypeScript module (through tsx) with an IPC channel. */
export function forkTs(module: string, args: string[] = [], opts: { execArgv?: string[]; env?: NodeJS.ProcessEnv } = {}): ChildProcess {
  return fork(resolve(ROOT, module), args, {
    execArgv: ['--import', 'tsx', ...(opts.execArgv ?? [])],
    env: { ...process.env, ...opts.env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
}

/** Waits for one IPC message matching `type`, bounded. */
export function nextMessage<T extends { type: string }>(child: ChildProcess, type: string, timeoutMs: number): Promise<T> {
  return new Promise((resolvePromise, reject) => {
    const t = setTimeout(() => {
      cleanup();
      reject(new Error(`no "${type}" message from child ${child.pid} within ${timeoutMs} ms`));
    }, timeoutMs);
    const onMsg = (m: T) => {
      if (m?.type === type) {
        cleanup();
        resolvePromise(m);
      } else if ((m as { type: string })?.type === 'error') {
        cleanup();
        reject(new Error(`child ${child.pid}: ${(m as unknown as { message: string }).message}`));
      }
    };
    const onExit = (code: number | null) => {
      cleanup();
      reject(new Error(`child ${child.pid} exited (${code}) before sending "${type}"`));
    };
    const cleanup = () => {
      clearTimeout(t);
      child.off('message', onMsg);
      child.off('exit', onExit);
    };
    child.on('message', onMsg);
    child.on('exit', onExit);
  });
}

export function stopChild(child: ChildProcess, timeoutMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((res) => {
    const t = setTimeout(() => {
      child.kill('SIGKILL');
    }, timeoutMs);
    child.once('exit', () => {
      clearTimeout(t);
      res();
    });
    child.kill('SIGTERM');
  });
}

/**
 * Stops agent load processes (bench/agents-client.ts): each resets its
 * connections and says so before it is stopped. A client killed first has
 * them closed by its exit instead, and every one of its source ports is then
 * held in TIME_WAIT for a minute: 70,000 of them after one benchmark, and
 * the next run's binds searched past them (the same connects cost a client
 * 1.6 s of CPU in one round and 5 s a few rounds later).
 */
export async function stopAgentClients(clients: ChildProcess[]): Promise<void> {
  const done = clients.filter((c) => c.connected).map((c) => nextMessage(c, 'done', 10_000).catch(() => undefined));
  for (const c of clients) if (c.connected) c.send({ type: 'stop' });
  await Promise.all(done);
  await Promise.all(clients.map((c) => stopChild(c)));
}

export interface ServerProc {
  child: ChildProcess;
  port: number;
  pid: number;
  stop(): Promise<void>;
}

/** Starts `tally-collector serve` on a free loopback port; resolves once it logged "ready". */
export async function startCollectorServe(db: string, extraArgs: string[] = [], nodeArgs: string[] = []): Promise<ServerProc> {
  const child = spawn(process.execPath, [...nodeArgs, join(ROOT, 'bin/tally-collector.js'), 'serve', '--host', '127.0.0.1', '--port', '0', '--db', db, '--log-level', 'info', ...extraArgs],
    { stdio: ['ignore', 'ignore', 'pipe'] });
  let buf = '';
  const port = await new Promise<number>((res, rej) => {
    const t = setTimeout(() => rej(new Error(`collector not ready in 30 s: ${buf.slice(-2000)}`)), 30_000);
    child.stderr!.setEncoding('utf8');
    const onData = (chunk: string) => {
      buf += chunk;
      const m = /"msg":"ready".*?"url":"http:\/\/127\.0\.0\.1:(\d+)"/.exec(buf) ?? /"url":"http:\/\/127\.0\.0\.1:(\d+)".*?"msg":"ready"/.exec(buf);
      if (m) {
        clearTimeout(t);
        // Keep draining stderr (it is info-level JSON), keeping only the tail for errors.
        child.stderr!.off('data', onData);
        child.stderr!.on('data', (c: string) => { buf = (buf + c).slice(-20_000); });
        res(Number(m[1]));
      }
      if (buf.length > 1_000_000) buf = buf.slice(-20_000);
    };
    child.stderr!.on('data', onData);
    child.once('exit', (code) => rej(new Error(`collector exited (${code}): ${buf.slice(-2000)}`)));
  });
  return { child, port, pid: child.pid!, stop: () => stopChild(child, 20_000) };
}

/**
 * When bench devices were enrolled: the first day of last month, before every
 * day the ingest benchmark sends (last month's days 1-28). Enrolled "now", the
 * collector refuses days more than MAX_DAYS_BEFORE_ENROLMENT before it
 * (OUT_OF_RANGE): after the first week of a month, days 1-5 were refused.
 */
export const BENCH_FLEET_ENROLLED_AT_MS = (): number => {
  const d = new Date();
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - 1, 1);
};

/**
 * Creates a collector database with one customer company and `count` enrolled
 * devices, written directly (one transaction), and returns their device keys.
 * Enrolling 10,000+ devices through the protocol would measure enrolment, not ingest.
 */
export async function seedCollectorDb(path: string, count: number): Promise<{ keys: string[]; companyId: string }> {
  const now = Date.now();
  const storage = openSqliteStorage({ path, nowMs: now });
  const company = await seedCustomer(storage, 'Bench Co', now);
  await storage.close();
  const db = new Database(path);
  db.pragma('synchronous = OFF');
  const insert = db.prepare(`INSERT INTO devices (id, company_id, key_hash, instance_id, hostname, agent_version, enrolled_at, last_seen_at)
    VALUES (?, ?, ?, ?, ?, 'bench', ?, NULL)`);
  const keys: string[] = [];
  db.transaction(() => {
    for (let i = 0; i < count; i++) {
      const key = newSecret('device_key');
      keys.push(key);
      insert.run(randomUUID(), company.id, hashSecret(key), randomUUID(), `bench-${i}`, BENCH_FLEET_ENROLLED_AT_MS());
    }
  })();
  db.close();
  return { keys, companyId: company.id };
}

/** Splits n items into `parts` nearly equal slices. */
export function slices<T>(items: T[], parts: number): T[][] {
  const out: T[][] = [];
  const size = Math.ceil(items.length / parts);
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export function machine(): { nproc: number; memTotal: string; node: string; date: string } {
  const mem = /MemTotal:\s+(\d+) kB/.exec(readFileSync('/proc/meminfo', 'utf8'));
  return {
    nproc: Number(readFileSync('/proc/cpuinfo', 'utf8').match(/^processor/gm)?.length ?? 0),
    memTotal: mem ? `${(Number(mem[1]) / 2 ** 20).toFixed(1)} GiB` : '?',
    node: process.version,
    date: new Date().toISOString(),
  };
}

/**
 * Runs `fn` with the URL of a new, empty database on the PostgreSQL server
 * behind `serverUrl` (the test suites' throwaway databases), and drops the
 * database afterwards, also when fn fails.
 */
export async function withThrowawayPgDatabase<T>(serverUrl: string, fn: (dbUrl: string) => Promise<T>): Promise<T> {
  const db = await createTestDatabase(serverUrl);
  try {
    return await fn(db.url);
  } finally {
    await db.drop();
  }
}

/** What a benchmark child printed as its last line (ms, maxRssKB, ...), or why it did not. */
export interface ChildResult { ok: boolean; ms: number; maxRssKB: number; error?: string; detail?: Record<string, unknown> }

/**
 * Runs a benchmark child (`script` under ROOT, through tsx) with a time limit;
 * its last stdout line is its JSON result. Peak RSS is also sampled from
 * outside, for runs that never get to report their own.
 */
export function measureChild(script: string, args: readonly string[], timeoutMs: number): Promise<ChildResult> {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, script), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', (c) => (err = (err + c).slice(-4000)));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    // Peak RSS seen from outside, for runs that never get to report their own.
    let seenRss = 0;
    const sampler = setInterval(() => {
      try {
        seenRss = Math.max(seenRss, rssBytes(child.pid!));
      } catch { /* exited */ }
    }, 500);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      clearInterval(sampler);
      const line = out.trim().split('\n').pop() ?? '';
      try {
        const r = JSON.parse(line);
        resolve({ ok: true, ms: r.ms, maxRssKB: r.maxRssKB, detail: r });
      } catch {
        const oom = /heap out of memory|Allocation failed/i.test(err);
        resolve({ ok: false, ms: performance.now() - t0, maxRssKB: Math.round(seenRss / 1024),
          error: signal === 'SIGKILL' ? `killed after the ${timeoutMs / 1000} s limit` : oom ? `JavaScript heap out of memory (exit ${code})` : `exit ${code}: ${err.split('\n').filter(Boolean).slice(-3).join(' | ')}` });
      }
    });
  });
}
