// Event retention: device events (uninstalls, module changes, sign-ins as the
// agent reported them) are kept for a number of months, then purged in small
// batches by a periodic task. Only events: device-days, months, adjustments,
// device history and the devices' own state are billing records and are never
// purged (an uninstall stays on its device and in its history).
import type { Logger } from '../../../common/log.ts';
import type { Metrics } from '../metrics.ts';
import type { Storage } from '../storage/types.ts';

/** The instant before which events are purged: `months` calendar months before now (UTC), clamped to the month's length. */
export function retentionCutoff(nowMs: number, months: number): number {
  const d = new Date(nowMs);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth() - months;
  const lastDay = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  return Date.UTC(y, m, Math.min(d.getUTCDate(), lastDay), d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds(), d.getUTCMilliseconds());
}

export interface EventRetentionOptions {
  storage: Pick<Storage, 'devices'>;
  /** Months events are kept (default 13: a year and the month it closed). */
  months: number;
  now: () => number;
  logger: Logger;
  metrics?: Pick<Metrics, 'eventsPurged' | 'eventRetentionRuns'>;
  /** Rows per delete (each its own short transaction). */
  batchRows?: number;
  /** Batches per run at most; the next run continues. */
  maxBatches?: number;
}

/** One purge run: deletes expired events in batches; resolves with how many went. */
export async function purgeExpiredEvents(o: EventRetentionOptions): Promise<number> {
  const cutoff = retentionCutoff(o.now(), o.months);
  const batchRows = o.batchRows ?? 5_000;
  let purged = 0;
  try {
    for (let i = 0; i < (o.maxBatches ?? 200); i++) {
      const n = await o.storage.devices.purgeEvents(cutoff, batchRows);
      purged += n;
      o.metrics?.eventsPurged.inc(n);
      if (n < batchRows) break;
      await new Promise((r) => setImmediate(r)); // agents' frames go between batches
    }
    o.metrics?.eventRetentionRuns.inc({ result: 'ok' });
    if (purged) o.logger.info('device events past their retention purged', { purged, before: new Date(cutoff).toISOString(), months: o.months });
    return purged;
  } catch (err) {
    o.metrics?.eventRetentionRuns.inc({ result: 'failed' });
    o.logger.warn('event retention purge failed; retried on the next run', { err, purgedSoFar: purged });
    return purged;
  }
}

/** Runs the purge every `intervalMs` (and once shortly after start); stop() ends it. */
export function startEventRetention(o: EventRetentionOptions & { intervalMs: number }): { stop(): Promise<void> } {
  let running: Promise<unknown> = Promise.resolve();
  const run = () => {
    running = running.then(() => purgeExpiredEvents(o));
  };
  const first = setTimeout(run, Math.min(60_000, o.intervalMs));
  const timer = setInterval(run, o.intervalMs);
  first.unref();
  timer.unref();
  return {
    stop: async () => {
      clearTimeout(first);
      clearInterval(timer);
      await running;
    },
  };
}
