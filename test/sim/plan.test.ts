// The simulator's plan is a pure function of its options: same seed, same
// devices, same records, same expected totals.
import { describe, expect, it } from 'vitest';
import { buildPlan, DEFAULT_PLAN, parseMonthId, planTotals, type PlanOptions } from '../../sim/src/plan.ts';
import { Rng } from '../../sim/src/rng.ts';
import { MAX_DAYS_BEFORE_ENROLMENT } from '../../proto/index.ts';
import { agentEndpoint } from '../../sim/src/url.ts';

const base = (over: Partial<PlanOptions> = {}): PlanOptions => ({
  ...DEFAULT_PLAN, seed: 42, agents: 500, month: '2026-10', todayUtcDay: parseMonthId('2026-11').firstDay + 20, ...over,
});

describe('sim plan', () => {
  it('is identical for the same seed', () => {
    const a = buildPlan(base());
    const b = buildPlan(base());
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
    expect(planTotals(b)).toEqual(planTotals(a));
  });

  it('differs for another seed', () => {
    expect(JSON.stringify(buildPlan(base({ seed: 43 })).agents)).not.toBe(JSON.stringify(buildPlan(base()).agents));
  });

  it('keeps earlier agents unchanged when more agents are planned', () => {
    const small = buildPlan(base({ agents: 50 }));
    const large = buildPlan(base({ agents: 80 }));
    expect(JSON.stringify(large.agents.slice(0, 50))).toBe(JSON.stringify(small.agents));
  });

  it('plans a realistic mix with clones, offline stretches and cut connections', () => {
    const plan = buildPlan(base({ agents: 2000 }));
    const t = planTotals(plan);
    expect(t.clones.reimaged).toBeGreaterThan(0);
    expect(t.clones.shared_key).toBeGreaterThan(0);
    expect(t.offline).toBeGreaterThan(100);
    expect(t.drops).toBeGreaterThan(20);
    const kinds = new Set(plan.agents.map((a) => `${a.profile.platform}/${a.profile.role}/${a.profile.virtual}`));
    expect(kinds.size).toBeGreaterThanOrEqual(6);
    for (const a of plan.agents) {
      // Records are exactly the expected seconds, sequences 1..n in order, no device-day above 86,400 s.
      const records = a.frames.flatMap((f) => f.records);
      expect(records.map((r) => r.seq)).toEqual(records.map((_, i) => i + 1));
      const byDay: Record<number, number> = {};
      for (const r of records) byDay[r.utcDay] = (byDay[r.utcDay] ?? 0) + r.awakeSeconds;
      expect(byDay).toEqual(a.expectedByDay);
      for (const s of Object.values(byDay)) expect(s).toBeLessThanOrEqual(86_400);
      for (const f of a.frames) expect(f.records.length).toBeLessThanOrEqual(DEFAULT_PLAN.batchSize);
      if (a.offline) {
        // Offline days are folded: one record per day, sent after a reconnect.
        const folded = records.filter((r) => r.utcDay >= a.offline!.fromDay && r.utcDay < a.offline!.toDay);
        expect(folded.every((r) => r.bootId === 'folded')).toBe(true);
        if (folded.length) expect(a.frames.some((f) => f.reconnectBefore && f.records[0].seq === folded[0].seq)).toBe(true);
      }
    }
  });

  it('simulates only days before today', () => {
    const plan = buildPlan(base({ month: '2026-11', agents: 20 }));
    expect(plan.monthEndDay).toBe(parseMonthId('2026-11').firstDay + 20);
    for (const a of plan.agents) for (const f of a.frames) for (const r of f.records) expect(r.utcDay).toBeLessThan(plan.monthEndDay);
  });

  it(`plans no day more than ${MAX_DAYS_BEFORE_ENROLMENT} days before today: the fleet enrols today and older usage would be refused`, () => {
    const today = parseMonthId('2026-12').firstDay + 6; // 7 December: 1 November is 36 days back
    const plan = buildPlan(base({ month: '2026-11', agents: 20, todayUtcDay: today }));
    expect(plan.monthFirstDay).toBe(today - MAX_DAYS_BEFORE_ENROLMENT);
    const days = plan.agents.flatMap((a) => a.frames.flatMap((f) => f.records.map((r) => r.utcDay)));
    expect(Math.min(...days)).toBeGreaterThanOrEqual(today - MAX_DAYS_BEFORE_ENROLMENT);
    expect(buildPlan(base({ todayUtcDay: parseMonthId('2026-11').firstDay })).monthFirstDay).toBe(parseMonthId('2026-10').firstDay); // 1 November: all of October is within reach
  });

  it('rng is stable across runs', () => {
    const r = new Rng(1);
    expect([r.u32(), r.u32(), r.int(1, 6)]).toEqual([new Rng(1).u32(), (() => { const x = new Rng(1); x.u32(); return x.u32(); })(), (() => { const x = new Rng(1); x.u32(); x.u32(); return x.int(1, 6); })()]);
  });

  it('talks only to the collector given, plain ws only on loopback', () => {
    expect(agentEndpoint('http://127.0.0.1:8080')).toBe('ws://127.0.0.1:8080/agent/v1/ws');
    expect(agentEndpoint('ws://[::1]:9/agent/v1/ws')).toBe('ws://[::1]:9/agent/v1/ws');
    expect(agentEndpoint('https://collector.example.com')).toBe('wss://collector.example.com/agent/v1/ws');
    expect(() => agentEndpoint('ws://10.1.2.3:8080')).toThrow(/loopback/);
    expect(() => agentEndpoint('http://127.0.0.1:8080/api')).toThrow(/agent endpoint/);
    expect(() => agentEndpoint('ftp://127.0.0.1')).toThrow();
  });
});
