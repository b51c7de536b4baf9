export { Outbox, type OutboxBatch, type OutboxOptions, type OutboxStats, type UsageItem } from './outbox.ts';
export { OutboxLockedError, acquireLock } from './lock/index.ts';
