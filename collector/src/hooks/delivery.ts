// The webhook delivery worker. Two steps per pass, both safe with several
// collectors on one database:
//  1. fan-out: each event in the outbox not yet dispatched is matched against
//     the endpoints (type filter, scope) and gets one pending delivery per
//     endpoint, in one transaction that also marks it dispatched;
//  2. send: each due delivery is claimed (a lease on its next attempt time),
//     signed per the Standard Webhooks specification with the maintained
//     `standardwebhooks` package, POSTed without following redirects within a
//     timeout, and logged; a failure is retried with exponential backoff
//     until the attempts run out.
import { randomUUID } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import type { Logger } from '../../../common/log.ts';
import type { Metrics } from '../metrics.ts';
import type { AdminReadStore, DeliveryAttempt, DeliveryOutcome, DueDelivery, HookStore } from '../storage/types.ts';
import { OutboundAddressError, PUBLIC_INTERNET_ONLY, outboundRequest, type OutboundPolicy } from '../outbound.ts';
import { endpointWants, eventBody } from './events.ts';

export interface WebhookWorkerOptions {
  hooks: HookStore;
  adminRead: Pick<AdminReadStore, 'listCompanies'>;
  logger: Logger;
  metrics?: Pick<Metrics, 'webhookEvents' | 'webhookAttempts' | 'webhookDeliveries' | 'webhookAttemptSeconds'>;
  now: () => number;
  /** How long a receiver has to answer (default 10 s). */
  timeoutMs?: number;
  /** Which addresses receivers may have (default: public internet addresses only; outbound.ts). */
  outbound?: OutboundPolicy;
  /** Attempts per delivery, the first included (default 8). */
  maxAttempts?: number;
  /** The wait after the first failure; doubled after each further one (default 5 s). */
  backoffBaseMs?: number;
  /** The longest wait between attempts (default 6 h). */
  backoffMaxMs?: number;
  /** How often the worker looks for work (default 1 s). */
  intervalMs?: number;
  /** Events and deliveries handled per pass at most (default 100 each). */
  batch?: number;
  /** Deliveries sent at once at most (default 16), and per endpoint per pass (default 4): a dead receiver holds up little else. */
  concurrency?: number;
  perEndpoint?: number;
  /** How long the outbox, deliveries and their log are kept (default 30 days); pruned about hourly. */
  retentionMs?: number;
}

export interface AttemptResult {
  outcome: DeliveryOutcome;
  statusCode: number | null;
  durationMs: number;
  error: string | null;
}

const USER_AGENT = 'Tally-Webhooks/1';

/** The wait before attempt n+1 after n failed ones: base * 2^(n-1), at most max. */
export function backoffMs(failedAttempts: number, baseMs: number, maxMs: number): number {
  return Math.min(maxMs, baseMs * 2 ** Math.max(0, failedAttempts - 1));
}

/** http and https only, with a host; anything else (file:, javascript:, ftp:, no host) is refused at the boundary. */
export function webhookUrlProblem(raw: string): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'not a valid URL';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return `only http and https URLs are allowed, not ${url.protocol.replace(':', '')}`;
  if (!url.hostname) return 'the URL has no host';
  if (url.username || url.password) return 'the URL must not carry credentials; the receiver checks the signature';
  return null;
}

/** One POST of a signed event, to a permitted address only (outbound.ts). Never throws: every failure is an outcome. */
export async function sendSigned(d: Pick<DueDelivery, 'url' | 'secret' | 'event'>, timeoutMs: number, policy: OutboundPolicy): Promise<AttemptResult> {
  const body = eventBody(d.event);
  // The signature's timestamp is the wall clock at sending (the receiver checks it against its own clock), not the event's time.
  const sentAt = new Date();
  const signature = new Webhook(d.secret).sign(d.event.id, sentAt, body);
  const started = performance.now();
  const ms = () => Math.round(performance.now() - started);
  try {
    // The receiver's answer is not kept (maxBodyBytes 0): only its status counts.
    const res = await outboundRequest(policy, new URL(d.url), {
      method: 'POST', body, timeoutMs, maxBodyBytes: 0,
      headers: {
        'content-type': 'application/json', 'user-agent': USER_AGENT,
        'webhook-id': d.event.id, 'webhook-timestamp': String(Math.floor(sentAt.getTime() / 1000)), 'webhook-signature': signature,
      },
    });
    const durationMs = ms();
    if (res.status >= 200 && res.status < 300) return { outcome: 'delivered', statusCode: res.status, durationMs, error: null };
    if (res.status >= 300 && res.status < 400) return { outcome: 'redirect', statusCode: res.status, durationMs, error: 'redirects are not followed' };
    return { outcome: 'http_error', statusCode: res.status, durationMs, error: `HTTP ${res.status}` };
  } catch (err) {
    const e = err as Error & { code?: string };
    if (e.name === 'TimeoutError') return { outcome: 'timeout', statusCode: null, durationMs: ms(), error: `no answer within ${timeoutMs} ms` };
    if (err instanceof OutboundAddressError) return { outcome: 'network_error', statusCode: null, durationMs: ms(), error: `refused: ${e.message}` };
    return { outcome: 'network_error', statusCode: null, durationMs: ms(), error: e.code ?? e.message };
  }
}

export class WebhookWorker {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;
  private readonly timeoutMs: number;
  private readonly outbound: OutboundPolicy;
  private readonly maxAttempts: number;

  constructor(private readonly opts: WebhookWorkerOptions) {
    this.timeoutMs = opts.timeoutMs ?? 10_000;
    this.outbound = opts.outbound ?? PUBLIC_INTERNET_ONLY;
    this.maxAttempts = opts.maxAttempts ?? 8;
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.kick(), this.opts.intervalMs ?? 1_000);
    this.timer.unref();
  }

  /** Runs a pass now unless one is running. */
  kick(): void {
    if (this.running) return;
    this.running = this.runOnce().catch((err) => this.opts.logger.error('webhook pass failed', { err })).finally(() => { this.running = null; });
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  private lastPruneMs = 0;

  /** One pass: fan out new events, then send what is due; now and then, prune what retention lets go. */
  async runOnce(): Promise<{ dispatched: number; attempted: number }> {
    const dispatched = await this.fanOut();
    const perEndpoint = this.opts.perEndpoint ?? 4;
    const taken = new Map<string, number>();
    const due = (await this.opts.hooks.dueDeliveries(this.opts.now(), this.opts.batch ?? 100)).filter((d) => {
      const n = (taken.get(d.endpointId) ?? 0) + 1;
      taken.set(d.endpointId, n);
      return n <= perEndpoint;
    });
    let attempted = 0;
    // One statement takes the pass's deliveries (one commit, not one per delivery); another worker's are left out.
    const now0 = this.opts.now();
    const claimed = new Set(await this.opts.hooks.claimDue(due.map((d) => d.id), now0, now0 + this.leaseMs()));
    // Receivers are independent: a few senders at once, so one slow endpoint does not hold up the others.
    const queue = due.filter((d) => claimed.has(d.id));
    await Promise.all(Array.from({ length: Math.min(this.opts.concurrency ?? 16, queue.length) }, async () => {
      for (let d = queue.shift(); d; d = queue.shift()) {
        await this.send(d);
        attempted++;
      }
    }));
    const now = this.opts.now();
    if (now - this.lastPruneMs >= 3_600_000) {
      this.lastPruneMs = now;
      const pruned = await this.opts.hooks.prune(now - (this.opts.retentionMs ?? 30 * 86_400_000));
      if (pruned.events || pruned.deliveries || pruned.attempts) this.opts.logger.info('webhook outbox pruned', pruned);
    }
    return { dispatched, attempted };
  }

  private async fanOut(): Promise<number> {
    const events = await this.opts.hooks.undispatchedEvents(this.opts.batch ?? 100);
    if (!events.length) return 0;
    const [endpoints, companies] = await Promise.all([this.opts.hooks.listEndpoints(null), this.opts.adminRead.listCompanies()]);
    const paths = new Map(companies.map((c) => [c.id, c.path]));
    let n = 0;
    for (const e of events) {
      const path = e.companyId === null ? null : paths.get(e.companyId) ?? null;
      const to = endpoints.filter((ep) => endpointWants(ep, e, path)).map((ep) => ({ id: randomUUID(), endpointId: ep.id }));
      if (await this.opts.hooks.dispatch(e.id, to, this.opts.now())) {
        n++;
        this.opts.metrics?.webhookEvents.inc({ type: e.type });
      }
    }
    return n;
  }

  /** Longer than any attempt can take: a lease that lapses means its worker died mid-attempt, and the delivery is due again. */
  private leaseMs(): number {
    return this.timeoutMs + 60_000;
  }

  /** Claims one delivery (compare-and-set on its next attempt time) and sends it; null when another worker had it. */
  async attempt(d: DueDelivery): Promise<AttemptResult | null> {
    if (!(await this.opts.hooks.claimDelivery(d.id, d.nextAttemptAtMs, this.opts.now() + this.leaseMs()))) return null;
    return this.send(d);
  }

  /** Sends a claimed delivery, logs the attempt and schedules what follows. */
  private async send(d: DueDelivery): Promise<AttemptResult> {
    const now = this.opts.now();
    const result = await sendSigned(d, this.timeoutMs, this.outbound);
    const attempt = d.attempts + 1;
    const record: DeliveryAttempt = {
      id: randomUUID(), deliveryId: d.id, endpointId: d.endpointId, eventId: d.event.id, attempt, atMs: now, ...result,
    };
    const m = this.opts.metrics;
    m?.webhookAttempts.inc({ outcome: result.outcome });
    m?.webhookAttemptSeconds.observe(result.durationMs / 1000);
    if (result.outcome === 'delivered') {
      await this.opts.hooks.recordAttempt(record, { status: 'delivered' });
      m?.webhookDeliveries.inc({ status: 'delivered' });
    } else if (attempt >= this.maxAttempts) {
      await this.opts.hooks.recordAttempt(record, { status: 'failed' });
      m?.webhookDeliveries.inc({ status: 'failed' });
      this.opts.logger.warn('webhook delivery failed for good', { delivery: d.id, endpoint: d.endpointId, type: d.event.type, attempts: attempt, error: result.error });
    } else {
      const wait = backoffMs(attempt, this.opts.backoffBaseMs ?? 5_000, this.opts.backoffMaxMs ?? 6 * 3_600_000);
      await this.opts.hooks.recordAttempt(record, { status: 'pending', nextAttemptAtMs: this.opts.now() + wait });
    }
    return result;
  }

  /** Sends one delivery now (test-send), whatever its schedule. */
  async deliverNow(deliveryId: string): Promise<AttemptResult | null> {
    const d = await this.opts.hooks.getDelivery(deliveryId);
    return d ? this.attempt(d) : null;
  }
}
