// Runs month finalization and late-data adjustments (the MonthCloser) on
// their own schedule.
// Every run is idempotent, so several collectors on one database may all run
// it: the first to finalize wins, the others see "already finalized".
import type { Logger } from '../../../common/log.ts';
import { TallyError } from '../errors.ts';
import type { MonthCloser } from './month-closer.ts';

export interface MonthClosingSchedule {
  /** One pass now (also what the timer runs). */
  runOnce(): Promise<void>;
  stop(): void;
}

export function startMonthClosingSchedule(closer: MonthCloser, logger: Logger, intervalMs: number): MonthClosingSchedule {
  let running: Promise<void> | null = null;
  const runOnce = async () => {
    if (running) return running;
    running = (async () => {
      try {
        await closer.finalizeDueMonths();
      } catch (err) {
        if (!(err instanceof TallyError && err.code === 'already_finalized')) logger.error('month finalization failed', { err });
      }
      try {
        await closer.processLateData();
      } catch (err) {
        logger.error('late data adjustment failed', { err });
      }
    })().finally(() => {
      running = null;
    });
    return running;
  };
  const timer = setInterval(() => void runOnce(), intervalMs);
  timer.unref();
  void runOnce();
  return { runOnce, stop: () => clearInterval(timer) };
}
