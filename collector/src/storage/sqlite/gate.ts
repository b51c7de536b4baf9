// The gate of a SQLite database: at most one unit of work at a time on its
// connection(s) in this process.
//
// better-sqlite3 is synchronous, and the ingest store's transactions are
// synchronous db.transaction() calls: nothing can run inside one. The admin
// stores are written with Kysely, whose transactions are async: a unit of
// work awaits between its statements. Were an ingest transaction to start in
// such a gap, better-sqlite3 would see a transaction already open and run it
// as a SAVEPOINT inside the other unit of work: committed or rolled back with
// it, silently. So every unit of work on the database passes through its
// gate: the Kysely driver (sqlite/kysely-driver.ts) holds it from connection
// acquisition to release (a whole transaction), and every ingest and
// enrolment store method holds it while it runs (sqlite/guard.ts).
//
// One gate per database FILE in this process, shared by every connection to
// it (a test's second "collector", the CLI inside the server's process):
// two connections of one thread cannot wait for each other's locks, since
// SQLite's busy wait blocks the very thread the other unit of work needs to
// finish. Other processes are kept apart by SQLite's own locks, as before.
// The checkpointer worker (checkpointer.ts) only checkpoints, on its own
// connection and thread, and needs no gate.
import { realpathSync } from 'node:fs';
import { StorageError } from '../types.ts';

/** How long a unit of work waits for the gate by default before failing as storage_unavailable. */
export const GATE_WAIT_MS = 10_000;

export class Gate {
  #held = false;
  readonly #waiters: { admit: () => void }[] = [];

  constructor(private readonly waitMs = GATE_WAIT_MS) {}

  /** Enters when the gate is free, at once and synchronously; false when it is held (or being handed to a waiter). */
  tryEnter(): boolean {
    if (this.#held) return false;
    this.#held = true;
    return true;
  }

  /**
   * Enters, waiting in arrival order. A unit of work that waits longer than
   * waitMs fails as storage_unavailable: the holder is stuck, or is the
   * caller itself (a unit of work that called the storage instead of the
   * stores it was given would otherwise wait for itself forever).
   */
  enter(): Promise<void> {
    if (this.tryEnter()) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const waiter = {
        admit: () => {
          clearTimeout(timer);
          resolve();
        },
      };
      const timer = setTimeout(() => {
        this.#waiters.splice(this.#waiters.indexOf(waiter), 1);
        reject(new StorageError('storage_unavailable', `sqlite: the database was busy with another unit of work for ${this.waitMs} ms`
          + ' (inside Storage.unitOfWork, use the stores it passes, never the storage itself)'));
      }, this.waitMs);
      this.#waiters.push(waiter);
    });
  }

  /** Leaves; the next waiter, if any, is handed the gate directly (it stays held, so nobody overtakes it). */
  leave(): void {
    const next = this.#waiters.shift();
    if (next) next.admit();
    else this.#held = false;
  }
}

const gates = new Map<string, { gate: Gate; users: number }>();

/**
 * The gate of the database at `path` (opened already, so the file exists):
 * shared by every connection to the file in this process. A private one for
 * ':memory:' (each such connection is its own database). Give it back with
 * the returned release once the connection is closed.
 */
export function gateOf(path: string, waitMs?: number): { gate: Gate; release: () => void } {
  if (path === ':memory:' || path === '') return { gate: new Gate(waitMs), release: () => {} };
  const key = realpathSync(path);
  let entry = gates.get(key);
  if (!entry) gates.set(key, (entry = { gate: new Gate(waitMs), users: 0 }));
  entry.users++;
  let released = false;
  return {
    gate: entry.gate,
    release: () => {
      if (released) return;
      released = true;
      if (--entry.users === 0) gates.delete(key);
    },
  };
}
