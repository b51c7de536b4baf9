// Alert rules fired by the simulator, on SQLite and PostgreSQL: the real
// tally-sim binary enrols a fleet with one token within seconds (an
// enrolment burst), then simulated agents report a month in which most of the
// fleet goes quiet (a week-over-week drop). The collector's own evaluator
// raises each condition once, delivers it as a signed alert.raised webhook
// to a receiver on 127.0.0.1 and by e-mail through a real SMTP server on
// loopback, and clears it when the condition no longer holds.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { SMTPServer } from 'smtp-server';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AGENT_WS_PATH, MAX_DAYS_BEFORE_ENROLMENT } from '../../../proto/index.ts';
import { buildPlan, DEFAULT_PLAN, parseMonthId, type Plan } from '../../../sim/src/plan.ts';
import { runPlan } from '../../../sim/src/run.ts';
import { pollUntil } from '../../helpers/processes.ts';
import { Seeder } from '../../helpers/seed.ts';
import { BACKENDS, Receiver, startHookCollector, type HookCollector } from './harness.ts';

const SIM_BIN = resolve(import.meta.dirname, '../../../bin/tally-sim.js');
const DAY_MS = 86_400_000;
const FLEET = 12;
const SEED = 7;

/** The previous month, and in it a Tuesday D whose week before (D-7) is in the month too: D is compared against D-7. */
function chooseDays(nowMs: number) {
  const d = new Date(nowMs);
  const first = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - 1, 1) / DAY_MS;
  const month = new Date(first * DAY_MS).toISOString().slice(0, 7);
  let day = first + 14;
  while (new Date(day * DAY_MS).getUTCDay() !== 2) day++;
  return { month, day };
}

/** Agents of the plan with awake time on a day. */
const activeOn = (plan: Plan, agents: readonly number[], day: number) => new Set(plan.agents.filter((a) => agents.includes(a.index))
  .filter((a) => a.frames.some((f) => f.records.some((r) => r.utcDay === day && r.awakeSeconds > 0))).map((a) => a.index));

for (const backend of BACKENDS) {
  describe.skipIf(!backend.run)(`alerts fired by the simulator (${backend.name})`, () => {
    let c: HookCollector;
    let rx: Receiver;
    let smtp: SMTPServer;
    const mails: { to: string[]; raw: string }[] = [];
    // The collector's clock: real time, or an instant a test sets to judge a past day.
    let clockOverride: number | null = null;
    const ids = {} as Record<'partner' | 'customer' | 'otherPartner' | 'burstRule' | 'dropRule', string>;
    let token: string;
    let hookSecret: string;
    let keys: string[];

    beforeAll(async () => {
      smtp = new SMTPServer({
        authOptional: true, disabledCommands: ['STARTTLS'], logger: false,
        onData(stream, session, done) {
          let raw = '';
          stream.on('data', (d: Buffer) => (raw += d.toString()));
          stream.on('end', () => {
            mails.push({ to: session.envelope.rcptTo.map((r) => r.address), raw });
            done();
          });
        },
      });
      await new Promise<void>((r) => smtp.listen(0, '127.0.0.1', () => r()));
      const smtpPort = (smtp.server.address() as AddressInfo).port;
      c = await startHookCollector(backend, { now: () => clockOverride ?? Date.now(), smtp: { url: `smtp://127.0.0.1:${smtpPort}`, from: 'tally@msp.example' } });
      rx = await new Receiver().start();
      const seed = new Seeder(c.storage);
      const at = Date.now() - 60 * DAY_MS;
      ids.partner = (await seed.company('Sim Partner', { type: 'partner', atMs: at })).id;
      ids.customer = (await seed.company('Sim Dental', { parentId: ids.partner, atMs: at })).id;
      ids.otherPartner = (await seed.company('Other Partner', { type: 'partner', atMs: at })).id;
      token = await c.token(ids.customer);
      const hook = await c.call('POST', '/webhooks', { url: rx.answer('/alerts'), eventTypes: ['alert.raised', 'alert.cleared'], companyId: ids.partner });
      expect(hook.status).toBe(201);
      hookSecret = hook.body.secret;
    }, 30_000);

    afterAll(async () => {
      await rx?.stop();
      await c?.dispose();
      await new Promise<void>((r) => (smtp ? smtp.close(() => r()) : r()));
    });

    it('manages rules per company or partner; refuses bad thresholds; another partner cannot see them', async () => {
      const burst = await c.call('POST', `/companies/${ids.partner}/alert-rules`, {
        name: 'Enrolment burst', kind: 'enrolment_burst', params: { count: 10, minutes: 10 }, emailTo: ['noc@msp.example'],
      });
      expect(burst.status, JSON.stringify(burst.body)).toBe(201);
      ids.burstRule = burst.body.id;
      const drop = await c.call('POST', `/companies/${ids.customer}/alert-rules`, {
        name: 'Fleet drop', kind: 'week_drop', params: { percent: 50, minEndpoints: 4 }, emailTo: ['noc@msp.example', 'owner@dental.example'],
      });
      expect(drop.status).toBe(201);
      ids.dropRule = drop.body.id;
      expect(drop.body).toMatchObject({ kind: 'week_drop', params: { percent: 50, minEndpoints: 4 }, enabled: true });

      const bad = [
        [{ name: 'x', kind: 'week_drop', params: { percent: 150 } }, 'params.percent'],
        [{ name: 'x', kind: 'enrolment_burst', params: { count: 10 } }, 'params.minutes'],
        [{ name: 'x', kind: 'endpoints_above', params: { threshold: 5, extra: 1 } }, 'params'],
        [{ name: 'x', kind: 'mood_swing', params: {} }, 'kind'],
        [{ name: 'x', kind: 'unlicensed', emailTo: ['not-an-address'] }, 'emailTo.0'],
      ] as const;
      for (const [body, field] of bad) {
        const r = await c.call('POST', `/companies/${ids.customer}/alert-rules`, body);
        expect(r.status, JSON.stringify(body)).toBe(400);
        expect(r.body.error.field).toBe(field);
      }
      const otherKey = await c.keyFor(ids.otherPartner);
      expect((await c.call('GET', '/alert-rules', undefined, otherKey)).body.alertRules).toEqual([]);
      expect((await c.call('PATCH', `/alert-rules/${ids.dropRule}`, { enabled: false }, otherKey)).status).toBe(404);
      expect((await c.call('POST', `/companies/${ids.customer}/alert-rules`, { name: 'x', kind: 'unlicensed' }, otherKey)).status).toBe(404);
    });

    it('tally-sim enrolling a fleet on one token raises one enrolment-burst alert: webhook and e-mail, once', async () => {
      const keysFile = join(c.dir, 'keys.txt');
      await promisify(execFile)(process.execPath, [SIM_BIN, '--collector', `127.0.0.1:${c.port}`, '--token', token, '--enrol-count', String(FLEET),
        '--seed', String(SEED), '--keys-out', keysFile, '--quiet', '--timeout', '30'], { timeout: 40_000 });
      keys = readFileSync(keysFile, 'utf8').trim().split('\n');
      expect(keys).toHaveLength(FLEET);

      const first = await c.alerts.evaluate();
      const tokenId = (await c.storage.adminWrite.listEnrolmentTokens([ids.customer]))[0].id;
      expect(first.raised).toEqual([{ ruleId: ids.burstRule, subject: `token:${tokenId}` }]);
      // Judged again while it still holds: nothing new.
      expect(await c.alerts.evaluate()).toEqual({ raised: [], cleared: [] });

      await pollUntil(async () => rx.at('/alerts').length === 1, 5_000, 'alert.raised delivered');
      const req = rx.at('/alerts')[0];
      const event = new Webhook(hookSecret).verify(req.body, req.headers) as { type: string; data: Record<string, unknown> };
      expect(event).toMatchObject({ type: 'alert.raised', data: { ruleId: ids.burstRule, kind: 'enrolment_burst', tokenId, enrolments: FLEET, minutes: 10, companyId: ids.partner } });
      await pollUntil(async () => mails.length === 1, 5_000, 'alert mail');
      expect(mails[0].to).toEqual(['noc@msp.example']);
      expect(mails[0].raw).toContain('Subject: Tally alert: Enrolment burst');
      // The body is quoted-printable: soft line breaks joined.
      expect(mails[0].raw.replace(/=\r?\n/g, '')).toContain(`${FLEET} enrolments on token ${tokenId} within 10 minutes`);

      // Every enrolment was also an event of its own.
      const enrolled = await c.storage.hooks.listEvents({ companyIds: [ids.customer], types: ['device.enrolled'], limit: 100 });
      expect(enrolled).toHaveLength(FLEET);
      expect(new Set(enrolled.map((e) => e.tokenId))).toEqual(new Set([tokenId]));
    }, 60_000);

    it('a fleet that goes quiet raises a week-over-week drop with the numbers the simulation planned; both alerts clear', async () => {
      const { month, day } = chooseDays(Date.now());
      const base = { ...DEFAULT_PLAN, seed: SEED, agents: FLEET, month, cloneRate: 0, offlineRate: 0, dropRate: 0 };
      const url = `ws://127.0.0.1:${c.port}${AGENT_WS_PATH}`;
      const run = (plan: Plan) => runPlan(plan, { url, keys, mode: 'virtual', concurrency: FLEET, reportEverySeconds: 60, durationSeconds: 60, frameTimeoutMs: 15_000, deadlineMs: 30_000 });
      // The whole fleet reports up to the week before D; then three machines alone go on to D.
      const before = buildPlan({ ...base, todayUtcDay: day - 6 });
      const after = buildPlan({ ...base, todayUtcDay: day + 1 });
      after.agents = after.agents.slice(0, 3);
      // The fleet enrolled today: days more than MAX_DAYS_BEFORE_ENROLMENT before that are refused (out of range), the rest taken.
      const earliest = Math.floor(Date.now() / DAY_MS) - MAX_DAYS_BEFORE_ENROLMENT;
      for (const plan of [before, after]) {
        const results = await run(plan);
        expect(results.agents.filter((a) => a.error)).toEqual([]);
        const tooOld = plan.agents.flatMap((a) => a.frames.flatMap((f) => f.records)).filter((r) => r.utcDay < earliest).length;
        expect(results.totals.recordsRejected).toBe(tooOld);
      }
      expect(day - 7).toBeGreaterThanOrEqual(earliest);
      const all = before.agents.map((a) => a.index);
      const expectedBefore = new Set([...activeOn(before, all, day - 7), ...activeOn(after, [0, 1, 2], day - 7)]).size;
      const expectedOn = activeOn(after, [0, 1, 2], day).size;
      // The seed plans a real drop: at least minEndpoints the week before, and more than half gone.
      expect(expectedBefore).toBeGreaterThanOrEqual(4);
      expect(expectedOn / expectedBefore).toBeLessThan(0.5);
      expect(parseMonthId(month).firstDay).toBeLessThanOrEqual(day - 7);

      // Judged as on the day after D (noon): its last complete day is D.
      // The delivery worker shares the collector's clock: it waits while the clock is moved (its leases and
      // retry times would be set in that other time), and goes on with real time.
      await c.webhooks.stop();
      clockOverride = (day + 1) * DAY_MS + 12 * 3_600_000;
      const judged = await c.alerts.evaluate();
      clockOverride = null;
      c.webhooks.start();
      expect(judged).toEqual({ raised: [{ ruleId: ids.dropRule, subject: ids.customer }], cleared: [] });
      await pollUntil(async () => rx.at('/alerts').length === 2, 5_000, 'drop alert delivered');
      const req = rx.at('/alerts')[1];
      const iso = (d: number) => new Date(d * DAY_MS).toISOString().slice(0, 10);
      expect(new Webhook(hookSecret).verify(req.body, req.headers)).toMatchObject({
        type: 'alert.raised',
        data: { ruleId: ids.dropRule, kind: 'week_drop', endpoints: expectedOn, endpointsWeekBefore: expectedBefore, day: iso(day), dayWeekBefore: iso(day - 7), companyId: ids.customer },
      });
      await pollUntil(async () => mails.length === 2, 5_000, 'drop mail');
      expect(mails[1].to).toEqual(['noc@msp.example', 'owner@dental.example']);
      const listed = (await c.call('GET', '/alerts')).body as { active: { ruleId: string }[] };
      expect(listed.active.map((a) => a.ruleId).sort()).toEqual([ids.burstRule, ids.dropRule].sort());

      // Later: no enrolments in the last 10 minutes, and yesterday has no fleet to compare: both clear, once.
      await c.webhooks.stop();
      clockOverride = Date.now() + 11 * 60_000;
      const later = await c.alerts.evaluate();
      const again = await c.alerts.evaluate();
      clockOverride = null;
      c.webhooks.start();
      expect(later.raised).toEqual([]);
      expect(later.cleared.map((x) => x.ruleId).sort()).toEqual([ids.burstRule, ids.dropRule].sort());
      expect(again).toEqual({ raised: [], cleared: [] });
      await pollUntil(async () => rx.at('/alerts').length === 4, 5_000, 'alert.cleared delivered');
      expect(rx.at('/alerts').slice(2).map((r) => (JSON.parse(r.body) as { type: string }).type)).toEqual(['alert.cleared', 'alert.cleared']);
      expect(mails).toHaveLength(2);

      const metrics = await (await fetch(`${c.url}/metrics`)).text();
      expect(metrics).toMatch(/tally_alerts_total\{kind="week_drop",state="raised"\} 1/);
      expect(metrics).toMatch(/tally_alerts_total\{kind="enrolment_burst",state="cleared"\} 1/);
      expect(metrics).toMatch(/tally_alert_emails_total\{outcome="sent"\} 2/);
    }, 60_000);
  });
}
