// Month usage: reading (MonthReader) and closing (MonthCloser), one way:
// readers know nothing of closing, reports and surfaces read through the
// reader, and only the closer writes finalized months and adjustments.
import type { Logger } from '../../../common/log.ts';
import type { BillingStore } from '../storage/types.ts';
import { MonthCloser, type MonthCloserOptions } from './month-closer.ts';
import { MonthReader, type MonthReaderOptions } from './month-reader.ts';

export { MonthReader, PRODUCT_TYPES, MONTH_PAGE_DEVICES, MAX_MONTH_LINES_DEVICES, snapshotHash, type MonthView, type MonthStatus, type MonthReaderOptions } from './month-reader.ts';
export { MonthCloser, STALE_RUN_MS, type MonthCloserOptions } from './month-closer.ts';
export { startMonthClosingSchedule, type MonthClosingSchedule } from './month-schedule.ts';

/** A reader and a closer over the same billing store. */
export function monthServices(opts: Omit<MonthReaderOptions, 'billing'> & { billing: BillingStore; logger: Logger; events?: MonthCloserOptions['events']; metrics?: MonthCloserOptions['metrics'] }): { reader: MonthReader; closer: MonthCloser } {
  const reader = new MonthReader(opts);
  return { reader, closer: new MonthCloser({ reader, billing: opts.billing, now: opts.now, logger: opts.logger, graceHours: opts.graceHours, events: opts.events, metrics: opts.metrics }) };
}
