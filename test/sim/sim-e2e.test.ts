// The simulator against a real collector process: a few hundred agents send
// a virtual month; every acknowledged second must be stored exactly once.
import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AGENT_WS_PATH, utcDayOf, utcDayToIso } from '../../proto/index.ts';
import { buildPlan, DEFAULT_PLAN, parseMonthId, planTotals, type Plan } from '../../sim/src/plan.ts';
import { runPlan, type SimResults } from '../../sim/src/run.ts';
import { COLLECTOR_BIN, runCommand, startCollectorProcess, type Proc } from '../helpers/processes.ts';

const SIM_BIN = resolve(import.meta.dirname, '../../bin/tally-sim.js');

function previousMonth(nowMs: number): string {
  const d = new Date(nowMs);
  const p = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - 1, 1));
  return `${p.getUTCFullYear()}-${String(p.getUTCMonth() + 1).padStart(2, '0')}`;
}

describe('tally-sim against a real collector', () => {
  let dir: string;
  let db: string;
  let collector: Proc & { url: string; port: number };
  let apiKey: string;
  let plan: Plan;
  let results: SimResults;
  const month = previousMonth(Date.now());

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tally-sim-'));
    db = join(dir, 'tally.db');
    const token = runCommand(COLLECTOR_BIN, ['token', 'create', '--company', 'Sim Dental', '--init', '--db', db]);
    apiKey = runCommand(COLLECTOR_BIN, ['apikey', 'create', '--init', '--db', db]);
    // A grace window longer than a month keeps the simulated (previous) month
    // open to late data rather than finalized while the run is going on.
    // 300 agents enrol with one token within seconds: above the per-token rate a real rollout gets.
    collector = await startCollectorProcess(db, ['--grace-hours', '744', '--enrol-per-token', '100000']);
    plan = buildPlan({ ...DEFAULT_PLAN, seed: 20261, agents: 300, month, todayUtcDay: utcDayOf(Date.now()), cloneRate: 0.05, offlineRate: 0.15, dropRate: 0.1 });
    results = await runPlan(plan, {
      url: `ws://127.0.0.1:${collector.port}${AGENT_WS_PATH}`, token, mode: 'virtual', concurrency: 100,
      reportEverySeconds: 60, durationSeconds: 60, frameTimeoutMs: 20_000, deadlineMs: 40_000,
    });
  }, 60_000);

  afterAll(async () => {
    await collector?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('every agent ran and every planned record was acknowledged', () => {
    expect(results.agents.filter((a) => a.error)).toEqual([]);
    const t = planTotals(plan);
    expect(results.totals.recordsAcked).toBe(t.records);
    expect(results.totals.recordsRejected).toBe(0);
    expect(results.totals.recordsResent).toBeGreaterThan(0);
  });

  it('stores every acknowledged second exactly once (GET /api/v1/usage)', async () => {
    const stored = new Map<string, { awakeSeconds: number; activeDays: number }>();
    let after: string | null = null;
    for (let page = 0; page < 10; page++) {
      const res = await fetch(`${collector.url}/api/v1/usage?month=${month}&limit=1000${after ? `&after=${after}` : ''}`, { headers: { authorization: `Bearer ${apiKey}` } });
      expect(res.status).toBe(200);
      const body = await res.json() as { devices: { deviceId: string; awakeSeconds: number; activeDays: number }[]; next: string | null };
      for (const d of body.devices) stored.set(d.deviceId, d);
      if (!(after = body.next)) break;
    }
    expect(stored.size).toBe(results.devices.length);
    for (const d of results.devices) {
      const got = stored.get(d.deviceId);
      expect({ deviceId: d.deviceId, awakeSeconds: got?.awakeSeconds, activeDays: got?.activeDays }).toEqual({ deviceId: d.deviceId, awakeSeconds: d.awakeSeconds, activeDays: Object.keys(d.byDay).length });
    }
    const total = [...stored.values()].reduce((n, d) => n + d.awakeSeconds, 0);
    expect(total).toBe(results.totals.ackedSeconds);
  });

  it('stores the right seconds on every device-day, offline stretches and resent frames included', () => {
    const { firstDay, endDay } = parseMonthId(month);
    const sqlite = new Database(db, { readonly: true, fileMustExist: true });
    try {
      const rows = sqlite.prepare('SELECT device_id, utc_day, awake_seconds FROM device_days WHERE utc_day >= ? AND utc_day < ?').all(firstDay, endDay) as { device_id: string; utc_day: number; awake_seconds: number }[];
      const stored = new Map(rows.map((r) => [`${r.device_id}/${utcDayToIso(r.utc_day)}`, r.awake_seconds]));
      const expected = new Map(results.devices.flatMap((d) => Object.entries(d.byDay).map(([day, s]) => [`${d.deviceId}/${day}`, s] as const)));
      expect(stored.size).toBe(expected.size);
      for (const [k, s] of expected) expect([k, stored.get(k)]).toEqual([k, s]);
    } finally {
      sqlite.close();
    }
    // The plan's own numbers: what each agent meant to send is what its device holds.
    const byAgent = new Map(results.agents.map((a) => [a.index, a]));
    for (const a of plan.agents.filter((x) => x.offline && !x.clone)) {
      const device = results.devices.find((d) => d.deviceId === byAgent.get(a.index)!.deviceId)!;
      if (device.agents.length > 1) continue; // shares its key with a clone
      const want = Object.fromEntries(Object.entries(a.expectedByDay).map(([day, s]) => [utcDayToIso(Number(day)), s]));
      expect(device.byDay).toEqual(want);
    }
    const reconnecting = plan.agents.filter((a) => a.frames.some((f) => f.reconnectBefore));
    expect(reconnecting.length).toBeGreaterThan(10);
    for (const a of reconnecting) expect(byAgent.get(a.index)!.reconnects).toBeGreaterThanOrEqual(1);
  });

  it('clones: each enrols as its own device; a copied device key is refused and its owner flagged', async () => {
    const byIndex = new Map(results.agents.map((a) => [a.index, a]));
    const reimaged = plan.agents.filter((a) => a.clone?.kind === 'reimaged');
    const shared = plan.agents.filter((a) => a.clone?.kind === 'shared_key');
    expect(reimaged.length).toBeGreaterThan(0);
    expect(shared.length).toBeGreaterThan(0);
    // A connection is taken over before its welcome (CONNECTION_REPLACED; the agent reconnects) only where two
    // machines present one device key at the same moment: a disk copy and its template. Never anyone else.
    const keySharers = new Set(shared.flatMap((a) => [a.index, a.clone!.of]));
    expect(results.agents.filter((a) => a.replacedBeforeWelcome > 0 && !keySharers.has(a.index))).toEqual([]);
    // A golden-image clone (new hardware, same OS image) enrols with the token: a device of its own.
    for (const a of reimaged) {
      expect(byIndex.get(a.index)!.deviceId).not.toBe(byIndex.get(a.clone!.of)!.deviceId);
      expect(byIndex.get(a.index)!.cloneRefused).toBe(false);
    }
    // A disk copy presenting the template's device key from other hardware
    // while the template is active: the collector refuses the key (4409,
    // CLONE_DETECTED) before taking any usage, and marks the key's device;
    // the clone enrols as itself, as the agent does.
    const sqlite = new Database(db, { readonly: true, fileMustExist: true });
    try {
      const cols = (sqlite.prepare("SELECT name FROM pragma_table_info('devices')").all() as { name: string }[]).map((c) => c.name);
      for (const a of shared) {
        const clone = byIndex.get(a.index)!;
        const template = byIndex.get(a.clone!.of)!;
        expect(clone.cloneRefused).toBe(true);
        expect(clone.enrolled).toBe(true);
        expect(clone.deviceId).not.toBe(template.deviceId);
        if (cols.includes('clone_suspected_at')) {
          const row = sqlite.prepare('SELECT clone_suspected_at FROM devices WHERE id = ?').get(template.deviceId) as { clone_suspected_at: number | null };
          expect(row.clone_suspected_at).not.toBeNull();
        }
      }
    } finally {
      sqlite.close();
    }
    const res = await fetch(`${collector.url}/api/v1/devices?limit=1000`, { headers: { authorization: `Bearer ${apiKey}` } });
    const body = await res.json() as { devices: Record<string, unknown>[] };
    expect(body.devices.length).toBe(results.totals.devices);
    expect(results.totals.devices).toBe(plan.agents.length);
  });

  it('the CLI prints help and refuses bad flags with exit code 2', () => {
    const help = spawnSync(process.execPath, [SIM_BIN, '--help'], { encoding: 'utf8', timeout: 20_000 });
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/usage: tally-sim/);
    const bad = spawnSync(process.execPath, [SIM_BIN, '--agents', 'many', '--collector', 'http://127.0.0.1:1', '--token', 'tet_x'], { encoding: 'utf8', timeout: 20_000 });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/--agents: expected a whole number/);
  });
});
