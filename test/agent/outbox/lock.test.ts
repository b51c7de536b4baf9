import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OutboxLockedError } from '../../../agent/src/outbox/lock.ts';
import { Outbox } from '../../../agent/src/outbox/outbox.ts';
import { tempDir } from './helpers.ts';

let dir: string;
let cleanup: () => void;
beforeEach(() => ({ dir, cleanup } = tempDir()));
afterEach(() => cleanup());

const lockPath = () => join(dir, 'outbox.lock');
/** The pid of a process that has certainly exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(child.stdout);
}

describe('outbox lock', () => {
  it('refuses a second opener while the first holds the outbox, and lets it in after close', () => {
    const first = Outbox.open(dir);
    expect(JSON.parse(readFileSync(lockPath(), 'utf8')).pid).toBe(process.pid);
    expect(() => Outbox.open(dir)).toThrow(OutboxLockedError);
    first.close();
    expect(existsSync(lockPath())).toBe(false);
    Outbox.open(dir).close();
  });

  it('refuses a lock held by another live process', () => {
    writeFileSync(lockPath(), JSON.stringify({ pid: process.ppid, createdAtMs: Date.now() }));
    const error = (() => {
      try {
        Outbox.open(dir);
      } catch (err) {
        return err as OutboxLockedError;
      }
    })();
    expect(error).toBeInstanceOf(OutboxLockedError);
    expect(error).toMatchObject({ code: 'OUTBOX_LOCKED', ownerPid: process.ppid });
  });

  it('takes over the lock of a process that died', () => {
    writeFileSync(lockPath(), JSON.stringify({ pid: deadPid(), createdAtMs: Date.now() - 1_000 }));
    const outbox = Outbox.open(dir);
    expect(JSON.parse(readFileSync(lockPath(), 'utf8')).pid).toBe(process.pid);
    outbox.close();
    expect(readdirSync(dir).filter((name) => name.startsWith('outbox.lock'))).toEqual([]);
  });

  it('takes over a lock written before this boot, even if its pid is alive again (pid reuse)', () => {
    writeFileSync(lockPath(), JSON.stringify({ pid: process.ppid, createdAtMs: 0 }));
    utimesSync(lockPath(), new Date(0), new Date(0));
    Outbox.open(dir).close();
  });

  it('takes over a lock file with garbage in it', () => {
    writeFileSync(lockPath(), 'not json');
    Outbox.open(dir).close();
  });

  it('does not remove a lock that is no longer its own', () => {
    const outbox = Outbox.open(dir);
    const foreign = JSON.stringify({ pid: process.ppid, createdAtMs: 1 });
    writeFileSync(lockPath(), foreign);
    outbox.close();
    expect(readFileSync(lockPath(), 'utf8')).toBe(foreign);
  });
});
