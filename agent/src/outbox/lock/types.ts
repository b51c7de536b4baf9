// What every lock mechanism returns and throws.

export class OutboxLockedError extends Error {
  readonly code = 'OUTBOX_LOCKED';
  /** ownerPid is -1 when the owner could not be named. */
  constructor(readonly lockPath: string, readonly ownerPid: number) {
    super(`outbox is in use by process ${ownerPid} (${lockPath})`);
    this.name = 'OutboxLockedError';
  }
}

export interface HeldLock {
  release(): void;
}

export type AcquireLock = (lockPath: string) => HeldLock;
