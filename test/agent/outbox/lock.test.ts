import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OutboxLockedError } from '../../../agent/src/outbox/lock/index.ts';
import { linuxProcessStart, parseStartTicks } from '../../../agent/src/outbox/lock/linux.ts';
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

  it('refuses a lock held by another running agent process, and takes it once that process is killed', async () => {
    const root = resolve(import.meta.dirname, '../../..');
    const holder = spawn(process.execPath, ['--import', 'tsx', '-e',
      `const { Outbox } = await import(${JSON.stringify(join(root, 'agent/src/outbox/outbox.ts'))}); Outbox.open(${JSON.stringify(dir)}); console.log('held'); setInterval(() => {}, 1000);`],
    { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      await new Promise<void>((res, rej) => {
        holder.stdout!.on('data', (d) => String(d).includes('held') && res());
        holder.on('exit', (code) => rej(new Error(`holder exited with ${code}`)));
      });
      expect(() => Outbox.open(dir)).toThrow(expect.objectContaining({ code: 'OUTBOX_LOCKED', ownerPid: holder.pid }));
    } finally {
      holder.kill('SIGKILL');
      await new Promise((res) => holder.once('exit', res));
    }
    // A crash leaves the lock file behind; its owner is gone, so it is stale.
    expect(existsSync(lockPath())).toBe(true);
    Outbox.open(dir).close();
  });

  it('respects a lock without a start token (written by an older agent) whose pid is alive in this boot', () => {
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

  it('takes over a lock whose pid is alive but is another process (pid reused, e.g. by svchost.exe or after a restart)', () => {
    // The parent is alive, but it is not the process that wrote this lock: its start token differs.
    writeFileSync(lockPath(), JSON.stringify({ pid: process.ppid, createdAtMs: Date.now(), start: 'another-boot:12345' }));
    const outbox = Outbox.open(dir);
    expect(JSON.parse(readFileSync(lockPath(), 'utf8'))).toMatchObject({ pid: process.pid, start: linuxProcessStart(process.pid) });
    outbox.close();
  });

  it('takes over a lock that names its own pid when this process does not hold it (crash, restart, same pid; pid 1 in a container)', () => {
    writeFileSync(lockPath(), JSON.stringify({ pid: process.pid, createdAtMs: Date.now() - 5_000 }));
    Outbox.open(dir).close();
    writeFileSync(lockPath(), JSON.stringify({ pid: process.pid, createdAtMs: Date.now(), start: linuxProcessStart(process.pid) }));
    Outbox.open(dir).close();
  });

  it('reads the start time after a command name with spaces and parentheses', () => {
    const fields = Array.from({ length: 50 }, (_, i) => String(i + 3));
    expect(parseStartTicks(`4242 (a (weird) name) ${fields.join(' ')}`)).toBe('22');
    expect(linuxProcessStart(process.pid)).toMatch(/^[0-9a-f-]{36}:\d+$/);
    expect(linuxProcessStart(deadPid())).toBeUndefined();
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
