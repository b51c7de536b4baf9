// tally-sim: simulated agents speaking the real protocol to one collector.
import { readFileSync, writeFileSync } from 'node:fs';
import { CliError, parseFlags, runCli } from '../../common/cli.ts';
import { utcDayOf } from '../../proto/index.ts';
import { DEFAULT_PLAN, buildPlan, parseMonthId, planTotals } from './plan.ts';
import { runPlan, type Progress } from './run.ts';
import { agentEndpoint } from './url.ts';

const USAGE = `usage: tally-sim --collector URL (--token TOKEN | --keys FILE) [options]
       tally-sim --collector URL --token TOKEN --enrol-count N --keys-out FILE
       tally-sim --plan-only [--agents N] [--seed S] [--month YYYY-MM]

Simulates agents (identities, physical/virtual, server/workstation, OS,
modules, users, sleep patterns, offline stretches, clones) that speak the
real protocol to the one collector given. Deterministic for a seed: same seed,
same devices, same records, same expected totals.

  --collector URL      The collector: HOST:PORT, http(s)://HOST:PORT or ws(s)://HOST:PORT[/agent/v1/ws].
                       Plain ws:// only to a loopback address (device keys travel in the upgrade).
  --token TOKEN        Enrolment token: every agent enrols as a new device
  --keys FILE          Device keys, one per line (agent i uses line i), e.g. written by --keys-out
  --enrol-count N      Only enrol N agents with --token, write their device keys to --keys-out, and exit
  --keys-out FILE      Where --enrol-count writes the device keys
  --agents N           Number of simulated agents (default 100; 1..100000)
  --seed S             Seed of the plan (default 1)
  --mode MODE          virtual: send a month's past UTC days as fast as the collector acks (default);
                       realtime: report every --report-every seconds for --duration seconds
  --month YYYY-MM      Virtual mode: the UTC month (default: the previous month); only days before today
  --concurrency N      Agents connected at once (default 200; 1..20000)
  --batch N            Usage records per frame (default ${DEFAULT_PLAN.batchSize})
  --records-per-day N  At most N records per device-day (default ${DEFAULT_PLAN.recordsPerDay})
  --clone-rate P       Share of agents that are clones, 0..1 (default ${DEFAULT_PLAN.cloneRate})
  --offline-rate P     Share of agents with an offline stretch, 0..1 (default ${DEFAULT_PLAN.offlineRate})
  --drop-rate P        Share of agents whose connection is cut once before an ack, 0..1 (default ${DEFAULT_PLAN.dropRate})
  --report-every S     Realtime mode: seconds between reports (default 60; 1..3600)
  --duration S         Realtime mode: how long to run, seconds (default 300; 1..86400)
  --timeout S          Bound on the whole run, seconds (default 900); any one wait is bounded by 60 s
  --out FILE           Write results (per device: acknowledged awake seconds per day) as JSON
  --plan-only          Print the plan's totals as JSON and exit (no network)
  --quiet              No progress lines on stderr
  -h, --help           Show this help`;

const FLAGS = {
  collector: { type: 'string' }, token: { type: 'string' }, keys: { type: 'string' }, 'enrol-count': { type: 'string' }, 'keys-out': { type: 'string' },
  agents: { type: 'string' }, seed: { type: 'string' }, mode: { type: 'string' }, month: { type: 'string' }, concurrency: { type: 'string' },
  batch: { type: 'string' }, 'records-per-day': { type: 'string' }, 'clone-rate': { type: 'string' }, 'offline-rate': { type: 'string' },
  'drop-rate': { type: 'string' }, 'report-every': { type: 'string' }, duration: { type: 'string' }, timeout: { type: 'string' },
  out: { type: 'string' }, 'plan-only': { type: 'boolean' }, quiet: { type: 'boolean' },
} as const;

function int(values: Record<string, unknown>, name: string, dflt: number, min: number, max: number): number {
  const v = values[name];
  if (v === undefined) return dflt;
  if (typeof v !== 'string' || !/^\d+$/.test(v.trim())) throw new CliError(`--${name}: expected a whole number from ${min} to ${max}, got ${JSON.stringify(v)}`);
  const n = Number(v);
  if (n < min || n > max) throw new CliError(`--${name}: expected a whole number from ${min} to ${max}, got ${n}`);
  return n;
}

function share(values: Record<string, unknown>, name: string, dflt: number): number {
  const v = values[name];
  if (v === undefined) return dflt;
  const n = typeof v === 'string' && /^\s*(0|1|0?\.\d+|1\.0*)\s*$/.test(v) ? Number(v) : NaN;
  if (!(n >= 0 && n <= 1)) throw new CliError(`--${name}: expected a share from 0 to 1, got ${JSON.stringify(v)}`);
  return n;
}

function previousMonth(nowMs: number): string {
  const d = new Date(nowMs);
  const prev = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - 1, 1));
  return `${prev.getUTCFullYear()}-${String(prev.getUTCMonth() + 1).padStart(2, '0')}`;
}

function readKeys(path: string): string[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new CliError(`--keys ${path}: ${(err as Error).message}`);
  }
  const keys = text.split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
  const bad = keys.findIndex((k) => !/^tdk_[A-Za-z0-9_-]+$/.test(k));
  if (bad >= 0) throw new CliError(`--keys ${path}: line ${bad + 1} is not a device key (tdk_...)`);
  if (!keys.length) throw new CliError(`--keys ${path}: no device keys in the file`);
  return keys;
}

export async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseFlags(argv, FLAGS, USAGE);
  if (values.help) {
    process.stdout.write(USAGE + '\n');
    return 0;
  }
  if (positionals.length) throw new CliError(`unexpected argument: ${positionals[0]}\n\n${USAGE}`);
  const nowMs = Date.now();
  const mode = (values.mode as string | undefined) ?? 'virtual';
  if (mode !== 'virtual' && mode !== 'realtime') throw new CliError(`--mode must be virtual or realtime, got ${JSON.stringify(mode)}`);
  const month = (values.month as string | undefined) ?? previousMonth(nowMs);
  let range;
  try {
    range = parseMonthId(month);
  } catch (err) {
    throw new CliError(`--month: ${(err as Error).message}`);
  }
  if (mode === 'virtual' && range.firstDay >= utcDayOf(nowMs)) throw new CliError(`--month ${month} has no past UTC day yet: virtual mode sends usage for days before today`);
  const enrolCount = values['enrol-count'] === undefined ? null : int(values, 'enrol-count', 0, 1, 100_000);
  const agents = enrolCount ?? int(values, 'agents', 100, 1, 100_000);
  const plan = buildPlan({
    seed: int(values, 'seed', 1, 0, 2 ** 32 - 1), agents, month, todayUtcDay: utcDayOf(nowMs),
    batchSize: int(values, 'batch', DEFAULT_PLAN.batchSize, 1, 5000), recordsPerDay: int(values, 'records-per-day', DEFAULT_PLAN.recordsPerDay, 1, 100),
    // Enrolment only: no clones (each agent must get its own key), no usage.
    cloneRate: enrolCount ? 0 : share(values, 'clone-rate', DEFAULT_PLAN.cloneRate),
    offlineRate: enrolCount ? 0 : share(values, 'offline-rate', DEFAULT_PLAN.offlineRate),
    dropRate: enrolCount ? 0 : share(values, 'drop-rate', DEFAULT_PLAN.dropRate),
  });
  if (enrolCount) for (const a of plan.agents) a.frames = [];
  if (values['plan-only']) {
    process.stdout.write(JSON.stringify({ month, days: plan.monthEndDay - plan.monthFirstDay, ...planTotals(plan) }, null, 2) + '\n');
    return 0;
  }
  if (typeof values.collector !== 'string') throw new CliError(`--collector URL is required\n\n${USAGE}`);
  let url: string;
  try {
    url = agentEndpoint(values.collector);
  } catch (err) {
    throw new CliError(`--collector: ${(err as Error).message}`);
  }
  const token = values.token as string | undefined;
  const keys = typeof values.keys === 'string' ? readKeys(values.keys) : undefined;
  if (!token && !keys) throw new CliError(`give --token TOKEN (agents enrol) or --keys FILE (agents are enrolled already)\n\n${USAGE}`);
  if (token && !/^tet_[A-Za-z0-9_-]+$/.test(token)) throw new CliError('--token: not an enrolment token (tet_...)');
  if (keys && keys.length < agents && !token) throw new CliError(`--keys: ${keys.length} keys for ${agents} agents; give as many keys, or also --token for the rest`);
  if (enrolCount && (!token || typeof values['keys-out'] !== 'string')) throw new CliError('--enrol-count needs --token and --keys-out FILE');
  const quiet = values.quiet === true;
  const onProgress = quiet ? undefined : (p: Progress) => process.stderr.write(
    `[tally-sim] ${(p.elapsedMs / 1000).toFixed(0)}s agents done ${p.agentsDone}/${agents} failed ${p.agentsFailed} connected ${p.connected} records acked ${p.recordsAcked}\n`);
  const enrolled: string[] = [];
  const results = await runPlan(plan, {
    url, token, keys: enrolCount ? undefined : keys, onEnrolled: (i, key) => { enrolled[i] = key; }, mode: mode as 'virtual' | 'realtime',
    concurrency: int(values, 'concurrency', 200, 1, 20_000),
    reportEverySeconds: int(values, 'report-every', 60, 1, 3600), durationSeconds: int(values, 'duration', 300, 1, 86_400),
    frameTimeoutMs: 60_000, deadlineMs: int(values, 'timeout', 900, 1, 7 * 86_400) * 1000, onProgress,
  });
  if (enrolCount) {
    const got = enrolled.filter(Boolean);
    writeFileSync(values['keys-out'] as string, got.join('\n') + '\n', { mode: 0o600 });
    process.stderr.write(`tally-sim: ${got.length} device keys written to ${values['keys-out']}\n`);
  }
  const summary = { ...results.totals, ackLatencyMs: results.ackLatencyMs, elapsedMs: results.elapsedMs };
  if (typeof values.out === 'string') writeFileSync(values.out, JSON.stringify(results, null, 1) + '\n');
  process.stdout.write(JSON.stringify(summary) + '\n');
  const firstError = results.agents.find((a) => a.error);
  if (firstError) process.stderr.write(`tally-sim: ${results.totals.failed} agent(s) failed; first: agent ${firstError.index}: ${firstError.error}\n`);
  return results.totals.failed ? 1 : 0;
}

void runCli(() => main(process.argv.slice(2)));
