// Alert rules, evaluated by a periodic pass over stored data (device-days,
// the enrolment events in the outbox, the open month's report and
// forecast). A condition is raised once: its (rule, subject) row in
// alert_states stands until the condition no longer holds, when it clears.
// Raising publishes alert.raised (webhooks) and mails the rule's recipients;
// clearing publishes alert.cleared.
import { z } from 'zod';
import type { Logger } from '../../../common/log.ts';
import { monthContaining } from '../billing/index.ts';
import type { Metrics } from '../metrics.ts';
import type { Mailer } from '../report-jobs/mailer.ts';
import type { AdminReadStore, AlertRule, Company, HookStore } from '../storage/types.ts';
import { PRODUCT_TYPES, type MonthReader } from '../usage/index.ts';
import { publishEvent } from './events.ts';

export const ALERT_KINDS = [
  'endpoints_above', 'endpoints_below', 'week_jump', 'week_drop', 'unlicensed', 'enrolment_burst', 'forecast_over_reserved',
] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

const percent = z.number().positive().max(100_000);
/** Each kind's thresholds (rule params). */
export const AlertRuleParams = {
  /** Active endpoints today (the company's subtree) above `threshold`. */
  endpoints_above: z.object({ threshold: z.number().int().min(0) }).strict(),
  /** Active endpoints on the last complete day below `threshold`. */
  endpoints_below: z.object({ threshold: z.number().int().min(1) }).strict(),
  /** Active endpoints on the last complete day up by more than `percent` % on the same day a week before (which had at least `minEndpoints`). */
  week_jump: z.object({ percent, minEndpoints: z.number().int().min(1).default(1) }).strict(),
  /** ... down by more than `percent` %. */
  week_drop: z.object({ percent: z.number().positive().max(100), minEndpoints: z.number().int().min(1).default(1) }).strict(),
  /** At least `minEndpoints` endpoints with unlicensed activity this month. */
  unlicensed: z.object({ minEndpoints: z.number().int().min(1).default(1) }).strict(),
  /** At least `count` enrolments on one token within `minutes`. */
  enrolment_burst: z.object({ count: z.number().int().min(2).max(1_000_000), minutes: z.number().int().min(1).max(10_080) }).strict(),
  /** A company's forecast month-end endpoint usage above its reserved seats (plus `marginPercent` %). */
  forecast_over_reserved: z.object({ marginPercent: z.number().min(0).max(1000).default(0) }).strict(),
} satisfies Record<AlertKind, z.ZodType>;

const DAY_MS = 86_400_000;

export interface AlertEvaluatorOptions {
  hooks: HookStore;
  adminRead: Pick<AdminReadStore, 'listCompanies'>;
  reader: Pick<MonthReader, 'monthlyReport' | 'forecast'>;
  mailer: Mailer | null;
  logger: Logger;
  metrics?: Pick<Metrics, 'alerts' | 'alertEmails'>;
  now: () => number;
  /** How often rules are evaluated (default 5 min). */
  intervalMs?: number;
}

/** What holds now for a rule: subject -> what the alert says. */
type Conditions = Map<string, { summary: string; details: Record<string, unknown> }>;

export class AlertEvaluator {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;

  constructor(private readonly opts: AlertEvaluatorOptions) {}

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.kick(), this.opts.intervalMs ?? 300_000);
    this.timer.unref();
  }

  kick(): void {
    if (this.running) return;
    this.running = this.evaluate().catch((err) => this.opts.logger.error('alert evaluation failed', { err })).finally(() => { this.running = null; });
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  /** One pass over every enabled rule. Returns the alerts raised and cleared. */
  async evaluate(): Promise<{ raised: { ruleId: string; subject: string }[]; cleared: { ruleId: string; subject: string }[] }> {
    const rules = (await this.opts.hooks.listRules(null)).filter((r) => r.disabledAtMs === null);
    const out = { raised: [] as { ruleId: string; subject: string }[], cleared: [] as { ruleId: string; subject: string }[] };
    if (!rules.length) return out;
    const companies = await this.opts.adminRead.listCompanies();
    const pass = new Pass(this.opts, companies);
    for (const rule of rules) {
      try {
        const holds = await pass.conditions(rule);
        if (!holds) continue;
        await this.settle(rule, holds, out);
      } catch (err) {
        // One rule's failure (a month the reader refuses, a storage hiccup) never stops the others.
        this.opts.logger.error('alert rule evaluation failed', { rule: rule.id, err });
      }
    }
    return out;
  }

  private async settle(rule: AlertRule, holds: Conditions, out: Awaited<ReturnType<AlertEvaluator['evaluate']>>): Promise<void> {
    const now = this.opts.now();
    const raised = await this.opts.hooks.alertStates(rule.id);
    const standing = new Set(raised.map((s) => s.subject));
    for (const [subject, c] of holds) {
      if (standing.has(subject)) continue;
      if (!(await this.opts.hooks.raiseAlert({ ruleId: rule.id, subject, raisedAtMs: now, details: { summary: c.summary, ...c.details } }))) continue;
      out.raised.push({ ruleId: rule.id, subject });
      this.opts.metrics?.alerts.inc({ kind: rule.kind, state: 'raised' });
      const data = { ruleId: rule.id, ruleName: rule.name, kind: rule.kind, subject, summary: c.summary, ...c.details };
      await publishEvent(this.opts.hooks, { type: 'alert.raised', companyId: rule.companyId, data, dedupeKey: `alert.raised:${rule.id}:${subject}:${now}` }, now);
      this.opts.logger.info('alert raised', { rule: rule.id, kind: rule.kind, subject });
      await this.mail(rule, `Tally alert: ${rule.name}`, `${c.summary}\n\nRule: ${rule.name} (${rule.kind})\nRaised: ${new Date(now).toISOString()}\n`);
    }
    for (const s of raised) {
      if (holds.has(s.subject)) continue;
      if (!(await this.opts.hooks.clearAlert(rule.id, s.subject))) continue;
      out.cleared.push({ ruleId: rule.id, subject: s.subject });
      this.opts.metrics?.alerts.inc({ kind: rule.kind, state: 'cleared' });
      await publishEvent(this.opts.hooks, {
        type: 'alert.cleared', companyId: rule.companyId, data: { ruleId: rule.id, ruleName: rule.name, kind: rule.kind, subject: s.subject, raisedAt: new Date(s.raisedAtMs).toISOString() },
        dedupeKey: `alert.cleared:${rule.id}:${s.subject}:${s.raisedAtMs}`,
      }, now);
    }
  }

  private async mail(rule: AlertRule, subject: string, text: string): Promise<void> {
    if (!rule.emailTo.length) return;
    if (!this.opts.mailer) {
      this.opts.metrics?.alertEmails.inc({ outcome: 'no_smtp' });
      this.opts.logger.warn('alert has recipients but no SMTP server is configured (--smtp-url)', { rule: rule.id });
      return;
    }
    try {
      await this.opts.mailer.send({ to: rule.emailTo, subject, text });
      this.opts.metrics?.alertEmails.inc({ outcome: 'sent' });
    } catch (err) {
      // The alert stays raised (and went out by webhook); the mail is not retried, the failure is counted and logged.
      this.opts.metrics?.alertEmails.inc({ outcome: 'failed' });
      this.opts.logger.error('alert e-mail failed', { rule: rule.id, err });
    }
  }
}

/** One evaluation pass: what it reads once for every rule (reports, forecasts). */
class Pass {
  private readonly now: number;
  private readonly today: number;
  private reports: Map<string, Promise<Awaited<ReturnType<MonthReader['monthlyReport']>>['report'] | null>> = new Map();
  private forecasts: Map<string, Promise<Awaited<ReturnType<MonthReader['forecast']>> | null>> = new Map();

  constructor(private readonly opts: AlertEvaluatorOptions, private readonly companies: readonly Company[]) {
    this.now = opts.now();
    this.today = Math.floor(this.now / DAY_MS);
  }

  private subtree(companyId: string): string[] {
    return this.companies.filter((c) => c.path.includes(companyId)).map((c) => c.id);
  }

  /** The open month's company rows (the summary form: the rules read rows, never endpoint lines). */
  private report(productType: (typeof PRODUCT_TYPES)[number]) {
    const month = monthContaining(this.now).id;
    if (!this.reports.has(productType)) this.reports.set(productType, this.opts.reader.monthlyReport(month, productType, { devices: false }).then((r) => r.report));
    return this.reports.get(productType)!;
  }

  private forecast(productType: (typeof PRODUCT_TYPES)[number]) {
    if (!this.forecasts.has(productType)) this.forecasts.set(productType, this.opts.reader.forecast(productType));
    return this.forecasts.get(productType)!;
  }

  async conditions(rule: AlertRule): Promise<Conditions | null> {
    const ids = this.subtree(rule.companyId);
    // The company is gone (or was never there): judge nothing, clear nothing.
    if (!ids.length) return null;
    const holds: Conditions = new Map();
    const p = rule.params;
    const dayIso = (d: number) => new Date(d * DAY_MS).toISOString().slice(0, 10);
    switch (rule.kind as AlertKind) {
      case 'endpoints_above': {
        const n = await this.opts.hooks.activeEndpoints(ids, this.today);
        if (n > p.threshold) holds.set(rule.companyId, { summary: `${n} active endpoints today (${dayIso(this.today)}), above ${p.threshold}`, details: { endpoints: n, threshold: p.threshold, day: dayIso(this.today) } });
        break;
      }
      case 'endpoints_below': {
        const day = this.today - 1;
        const n = await this.opts.hooks.activeEndpoints(ids, day);
        if (n < p.threshold) holds.set(rule.companyId, { summary: `${n} active endpoints on ${dayIso(day)}, below ${p.threshold}`, details: { endpoints: n, threshold: p.threshold, day: dayIso(day) } });
        break;
      }
      case 'week_jump':
      case 'week_drop': {
        const day = this.today - 1;
        const [n, before] = await Promise.all([this.opts.hooks.activeEndpoints(ids, day), this.opts.hooks.activeEndpoints(ids, day - 7)]);
        if (before < (p.minEndpoints ?? 1)) break;
        const change = ((n - before) / before) * 100;
        const hit = rule.kind === 'week_jump' ? change > p.percent : -change > p.percent;
        if (hit) {
          holds.set(rule.companyId, {
            summary: `${n} active endpoints on ${dayIso(day)} against ${before} on ${dayIso(day - 7)}: ${change > 0 ? '+' : ''}${change.toFixed(1)} %`,
            details: { endpoints: n, endpointsWeekBefore: before, changePercent: Math.round(change * 10) / 10, day: dayIso(day), dayWeekBefore: dayIso(day - 7), percent: p.percent },
          });
        }
        break;
      }
      case 'unlicensed': {
        let n = 0;
        for (const pt of PRODUCT_TYPES) {
          const row = (await this.report(pt))?.rows.find((r) => r.companyId === rule.companyId);
          n += row?.unlicensed.total.endpoints ?? 0;
        }
        if (n >= (p.minEndpoints ?? 1)) holds.set(rule.companyId, { summary: `${n} endpoints with unlicensed activity this month`, details: { endpoints: n, month: monthContaining(this.now).id } });
        break;
      }
      case 'enrolment_burst': {
        for (const t of await this.opts.hooks.enrolmentsByToken(ids, this.now - p.minutes * 60_000)) {
          if (t.count >= p.count) {
            holds.set(`token:${t.tokenId}`, { summary: `${t.count} enrolments on token ${t.tokenId} within ${p.minutes} minutes`, details: { tokenId: t.tokenId, enrolments: t.count, minutes: p.minutes } });
          }
        }
        break;
      }
      case 'forecast_over_reserved': {
        const inTree = new Set(ids);
        for (const pt of PRODUCT_TYPES) {
          const [report, forecast] = await Promise.all([this.report(pt), this.forecast(pt)]);
          for (const row of report?.rows ?? []) {
            if (!inTree.has(row.companyId) || row.reservedSeats === null || !row.inReport) continue;
            const f = forecast?.rows.find((r) => r.companyId === row.companyId)?.forecastTotal.endpointUsage ?? 0;
            const limit = row.reservedSeats * (1 + (p.marginPercent ?? 0) / 100);
            if (f > limit) {
              holds.set(`company:${row.companyId}:${pt}`, {
                summary: `${row.name}: forecast of ${f} endpoints this month, above its ${row.reservedSeats} reserved seats`,
                details: { companyId: row.companyId, productType: pt, forecastEndpoints: f, reservedSeats: row.reservedSeats },
              });
            }
          }
        }
        break;
      }
      default:
        return null;
    }
    return holds;
  }
}
