// WAL checkpoints off the event loop. A group commit at 10,000 agents writes
// ~50 MB of pages to the WAL; with SQLite's automatic checkpoint the commit
// then also copies all of them into the database file and fsyncs it, on the
// one thread that serves every socket. Here a worker thread with its own
// connection runs PASSIVE checkpoints every few hundred milliseconds instead:
// a PASSIVE checkpoint never blocks the writer (it copies what is committed
// and lets the writer go on), and a writer that finds the WAL fully
// checkpointed starts it over from the beginning, so it stays about one batch
// long. Durability is unchanged: a commit is durable once the WAL is synced
// (synchronous = FULL on the writer), whoever checkpoints later.
//
// The writer keeps an automatic checkpoint as a backstop, at a much larger
// size: if the worker falls behind or dies, the WAL is still bounded.
import type Database from 'better-sqlite3';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** WAL pages (4 KiB) after which the writer checkpoints by itself while the worker runs: 256 MiB. */
export const BACKSTOP_AUTOCHECKPOINT_PAGES = 65_536;

const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path, { fileMustExist: true });
db.pragma('synchronous = FULL');
db.pragma('busy_timeout = 0');
let stopped = false;
const step = () => {
  if (stopped) return;
  try { db.pragma('wal_checkpoint(PASSIVE)'); } catch { /* busy (the writer's backstop checkpoint) or closing: next time */ }
  timer = setTimeout(step, workerData.intervalMs);
};
let timer = setTimeout(step, workerData.intervalMs);
parentPort.on('message', () => {
  stopped = true;
  clearTimeout(timer);
  db.close();
  parentPort.close();
});
`;

export interface Checkpointer {
  /** Stops the worker (after its checkpoint in progress, if any) and gives the writer its automatic checkpoint back. */
  stop(): Promise<void>;
}

/** Starts checkpointing `path` from a worker thread; `db` is the writer's connection. */
export function startCheckpointer(db: Database.Database, path: string, intervalMs = 250): Checkpointer {
  const defaultPages = db.pragma('wal_autocheckpoint', { simple: true }) as number;
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WORKER, { eval: true, workerData: { driver, path, intervalMs } });
  let exited = false;
  const exit = new Promise<void>((resolve) => worker.once('exit', () => {
    exited = true;
    // Without the worker the writer checkpoints as SQLite normally does.
    if (db.open) db.pragma(`wal_autocheckpoint = ${defaultPages}`);
    resolve();
  }));
  worker.on('error', () => { /* 'exit' follows and restores the writer's own checkpoints */ });
  worker.unref();
  db.pragma(`wal_autocheckpoint = ${BACKSTOP_AUTOCHECKPOINT_PAGES}`);
  return {
    stop: async () => {
      if (!exited) {
        worker.ref(); // keep the process alive until the worker is gone (it is unref'd while it runs)
        worker.postMessage('stop');
      }
      await exit;
    },
  };
}
