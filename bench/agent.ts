// Agent footprint: the agent bundled with esbuild into one CommonJS file and
// run by node (what ships), against a real collector. Idle RSS and CPU over a
// window with --interval 300; then CPU per report with --interval 1.
// Baseline: `node -e "setInterval(()=>{},1000)"`, measured the same way, at
// the same time.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { BENCH_DIR, ROOT, cpuSeconds, rssBytes, sleep, startCollectorServe, stopChild, type Figure } from './lib.ts';

async function bundle(): Promise<string> {
  const out = join(BENCH_DIR, 'tally-agent.cjs');
  await build({
    entryPoints: [join(ROOT, 'agent/src/main.ts')], outfile: out, bundle: true, platform: 'node', target: 'node20', format: 'cjs',
    minify: false, sourcemap: false, legalComments: 'none', logLevel: 'warning',
    define: { __TALLY_AGENT_VERSION__: JSON.stringify('0.0.0-bench') }, external: ['bufferutil', 'utf-8-validate'],
  });
  return out;
}

interface Window { cpuSeconds: number; rssAvg: number; rssMax: number; seconds: number }

/** Samples RSS every second and CPU at both ends of the window. */
async function measureWindow(pids: number[], ms: number): Promise<Window[]> {
  const cpu0 = pids.map(cpuSeconds);
  const rss: number[][] = pids.map(() => []);
  const t0 = performance.now();
  while (performance.now() - t0 < ms) {
    await sleep(1000);
    pids.forEach((p, i) => rss[i].push(rssBytes(p)));
  }
  const seconds = (performance.now() - t0) / 1000;
  return pids.map((p, i) => ({
    cpuSeconds: cpuSeconds(p) - cpu0[i], seconds,
    rssAvg: rss[i].reduce((a, b) => a + b, 0) / rss[i].length, rssMax: Math.max(...rss[i]),
  }));
}

async function storedRecords(port: number): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  return [...text.matchAll(/^tally_usage_records_total\{outcome="(stored|duplicate)"\} (\d+)/gm)].reduce((n, m) => n + Number(m[2]), 0);
}

function runAgent(bundlePath: string, url: string, token: string, stateDir: string, interval: number): ChildProcess {
  return spawn(process.execPath, [bundlePath, 'run', '--collector', url, '--token', token, '--state-dir', stateDir, '--interval', String(interval)],
    { stdio: ['ignore', 'ignore', 'ignore'], env: { ...process.env, TALLY_LOG_LEVEL: 'warn' } });
}

export async function agentBench(o: { idleMs: number; busyMs: number }): Promise<Figure[]> {
  const dir = mkdtempSync(join(BENCH_DIR, 'agent-'));
  const db = join(dir, 'tally.db');
  const bundlePath = await bundle();
  const { execFileSync } = await import('node:child_process');
  const token = execFileSync(process.execPath, [join(ROOT, 'bin/tally-collector.js'), 'token', 'create', '--company', 'Agent Bench', '--init', '--db', db], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  const collector = await startCollectorServe(db);
  const url = `ws://127.0.0.1:${collector.port}`;
  const stateDir = join(dir, 'agent-state');
  const children: ChildProcess[] = [];
  try {
    // Idle: --interval 300, one window, the bare node process measured alongside.
    const agent = runAgent(bundlePath, url, token, stateDir, 300);
    const bare = spawn(process.execPath, ['-e', 'setInterval(()=>{},1000)'], { stdio: 'ignore' });
    children.push(agent, bare);
    // Enrolment, first facts and first report happen at start: let them pass.
    await sleep(10_000);
    if (agent.exitCode !== null) throw new Error(`the agent exited (${agent.exitCode})`);
    const [idle, base] = await measureWindow([agent.pid!, bare.pid!], o.idleMs);
    await stopChild(agent);
    // Busy: --interval 1, same state (already enrolled): CPU per report.
    const before = await storedRecords(collector.port);
    const busy = runAgent(bundlePath, url, token, stateDir, 1);
    children.push(busy);
    await sleep(5000);
    const startRecords = await storedRecords(collector.port);
    const [b, base2] = await measureWindow([busy.pid!, bare.pid!], o.busyMs);
    const reports = (await storedRecords(collector.port)) - startRecords;
    void before;
    const idlePct = (100 * idle.cpuSeconds) / idle.seconds;
    const basePct = (100 * base.cpuSeconds) / base.seconds;
    const perReportMs = reports > 0 ? (1000 * (b.cpuSeconds - base2.cpuSeconds)) / reports : NaN;
    return [
      { bench: 'agent', name: 'idle RSS (avg over the window, --interval 300)', value: idle.rssAvg, unit: 'bytes', baseline: base.rssAvg, ratio: idle.rssAvg / base.rssAvg, target: '< 60 MB', met: idle.rssMax < 60 * 2 ** 20, note: `max ${(idle.rssMax / 2 ** 20).toFixed(1)} MB` },
      { bench: 'agent', name: `idle CPU (% of a core over ${(idle.seconds).toFixed(0)} s)`, value: idlePct, unit: '%', baseline: basePct, ratio: idlePct / Math.max(basePct, 1e-9), target: '< 0.1 %', met: idlePct < 0.1, note: `${idle.cpuSeconds.toFixed(2)} CPU s; clock tick 10 ms` },
      { bench: 'agent', name: 'CPU per report (--interval 1, net of bare node)', value: perReportMs, unit: 'ms',
        note: `${reports} usage records stored in ${b.seconds.toFixed(0)} s (the meter credits time every 5 s, so at most one record per 5 s), agent ${b.cpuSeconds.toFixed(2)} CPU s = ${((100 * b.cpuSeconds) / b.seconds).toFixed(2)} % of a core, bare node ${base2.cpuSeconds.toFixed(2)} CPU s, RSS ${(b.rssMax / 2 ** 20).toFixed(1)} MB max` },
    ];
  } finally {
    await Promise.all(children.map((c) => stopChild(c)));
    await collector.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
