import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Outbox } from '../../../agent/src/outbox/outbox.ts';
import { JOURNAL, tempDir, waiting } from './helpers.ts';

const DAY = 20_577;
const usage = (awakeSeconds: number, utcDay = DAY, bootId = 'boot-1') => ({ utcDay, bootId, awakeSeconds, recordedAtMs: 1_000 + awakeSeconds });

let dir: string;
let cleanup: () => void;
let open: Outbox[] = [];
const openOutbox = (opts?: Parameters<typeof Outbox.open>[1]) => {
  const outbox = Outbox.open(dir, opts);
  open.push(outbox);
  return outbox;
};
beforeEach(() => ({ dir, cleanup } = tempDir()));
afterEach(() => {
  for (const o of open) o.close();
  open = [];
  cleanup();
});

describe('Outbox: journaling and headers', () => {
  it('gives usage and events their own streams of one epoch, numbered from 1', () => {
    const outbox = openOutbox();
    const records = outbox.appendUsage([usage(10), usage(20)]);
    const event = outbox.appendEvent({ occurredAtMs: 5, uninstalled: { reason: 'removed by RMM' } });
    const { usage: usageStream, events: eventStream } = outbox.streams();
    expect(usageStream).toMatch(/^usage\/[0-9a-f-]{36}$/);
    expect(eventStream).toMatch(/^events\/[0-9a-f-]{36}$/);
    expect(records.map((r) => r.header)).toEqual([{ stream: usageStream, seq: 1 }, { stream: usageStream, seq: 2 }]);
    expect(event).toEqual({ occurredAtMs: 5, uninstalled: { reason: 'removed by RMM' }, header: { stream: eventStream, seq: 1 } });
  });

  it('skips zero-second items and refuses malformed ones', () => {
    const outbox = openOutbox();
    expect(outbox.appendUsage([usage(0)])).toEqual([]);
    expect(() => outbox.appendUsage([usage(1.5)])).toThrow(RangeError);
    expect(() => outbox.appendUsage([{ ...usage(1), bootId: '' }])).toThrow(RangeError);
    expect(outbox.stats().records).toBe(0);
  });

  it('keeps records, streams and sequence numbers across a restart', () => {
    const first = Outbox.open(dir);
    first.appendUsage([usage(10)]);
    first.appendEvent({ occurredAtMs: 7, moduleChanged: { module: { name: 'edr_sensor', installed: true } } });
    const streams = first.streams();
    const before = waiting(first);
    first.close();
    const second = openOutbox();
    expect(second.streams()).toEqual(streams);
    expect(waiting(second)).toEqual(before);
    expect(second.appendUsage([usage(11)])[0].header).toEqual({ stream: streams.usage, seq: 2 });
  });

  it('a new journal in a new directory never reuses an old stream name', () => {
    const a = openOutbox();
    const other = tempDir();
    const b = Outbox.open(other.dir);
    expect(b.streams().usage).not.toBe(a.streams().usage);
    b.close();
    other.cleanup();
  });
});

describe('Outbox: sending and acknowledgement', () => {
  it('hands out records oldest first, each once per connection, and again after a disconnect', () => {
    const outbox = openOutbox();
    outbox.appendUsage([usage(1), usage(2), usage(3)]);
    outbox.appendEvent({ occurredAtMs: 1, uninstalled: { reason: 'x' } });
    const first = outbox.nextBatch(2);
    expect(first.usage.map((r) => r.awakeSeconds)).toEqual([1, 2]);
    expect(first.events).toHaveLength(1);
    const second = outbox.nextBatch(2);
    expect(second.usage.map((r) => r.awakeSeconds)).toEqual([3]);
    expect(second.events).toEqual([]);
    expect(outbox.nextBatch(2).usage).toEqual([]);
    outbox.onDisconnected();
    expect(outbox.nextBatch(10).usage.map((r) => r.awakeSeconds)).toEqual([1, 2, 3]);
  });

  it('removes acknowledged and rejected records for good, ignoring unknown and repeated sequences', () => {
    const outbox = openOutbox();
    outbox.appendUsage([usage(1), usage(2), usage(3), usage(4)]);
    const { usage: stream } = outbox.streams();
    outbox.nextBatch(10);
    outbox.ack(stream, [1, 99], [3]);
    outbox.ack(stream, [1], []);
    outbox.ack('usage/unknown', [2], []);
    outbox.onDisconnected();
    expect(outbox.nextBatch(10).usage.map((r) => r.header!.seq)).toEqual([2, 4]);
    outbox.close();
    const reopened = openOutbox();
    expect(waiting(reopened).map((w) => w.split(':')[0])).toEqual([`${stream}#2`, `${stream}#4`]);
  });

  it('reports per stream the oldest unacknowledged sequence, and the next one once all are acknowledged', () => {
    const outbox = openOutbox();
    const { usage: usageStream, events: eventStream } = outbox.streams();
    expect(outbox.floors()).toEqual([]);
    outbox.appendUsage([usage(1), usage(2), usage(3)]);
    outbox.appendEvent({ occurredAtMs: 1, uninstalled: { reason: 'x' } });
    outbox.ack(usageStream, [2], []);
    expect(outbox.floors()).toEqual([{ stream: usageStream, oldestUnackedSeq: 1 }, { stream: eventStream, oldestUnackedSeq: 1 }]);
    outbox.ack(usageStream, [1, 3], []);
    outbox.ack(eventStream, [1], []);
    expect(outbox.nextBatch(5).floors).toEqual([{ stream: usageStream, oldestUnackedSeq: 4 }, { stream: eventStream, oldestUnackedSeq: 2 }]);
  });

  it('reports stats: waiting records, journal bytes, oldest time', () => {
    const outbox = openOutbox();
    expect(outbox.stats()).toMatchObject({ records: 0, oldestMs: null, overCap: false });
    outbox.appendUsage([usage(50), usage(20)]);
    const stats = outbox.stats();
    expect(stats).toMatchObject({ records: 2, oldestMs: 1_020 });
    expect(stats.bytes).toBe(readFileSync(join(dir, JOURNAL)).length);
  });
});

describe('Outbox: compaction', () => {
  it('rewrites the journal once settled entries dominate, and sequence numbers still continue after a restart', () => {
    const outbox = Outbox.open(dir, { compactMinBytes: 4_096 });
    const { usage: stream } = outbox.streams();
    const journalSize = () => readFileSync(join(dir, JOURNAL)).length;
    let largest = 0;
    let compactions = 0;
    for (let i = 0; i < 100; i++) {
      const [record] = outbox.appendUsage([usage(i + 1)]);
      const beforeAck = journalSize();
      outbox.ack(stream, [record.header!.seq as number], []);
      if (journalSize() < beforeAck) compactions++;
      largest = Math.max(largest, beforeAck, journalSize());
    }
    // ~36 KB were written in all; the file never grew much past the threshold.
    expect(compactions).toBeGreaterThanOrEqual(5);
    expect(largest).toBeLessThan(4_096 + 512);
    expect(existsSync(join(dir, 'journal.log.tmp'))).toBe(false);
    outbox.close();
    const reopened = openOutbox();
    expect(reopened.stats().records).toBe(0);
    expect(reopened.appendUsage([usage(1)])[0].header).toEqual({ stream, seq: 101 });
    expect(reopened.floors()).toEqual([{ stream, oldestUnackedSeq: 101 }]);
  });

  it('ignores a rewrite left half-done by a crash', () => {
    const first = Outbox.open(dir);
    first.appendUsage([usage(5)]);
    const before = waiting(first);
    first.close();
    writeFileSync(join(dir, 'journal.log.tmp'), 'half a rewrite');
    const reopened = openOutbox();
    expect(waiting(reopened)).toEqual(before);
    expect(existsSync(join(dir, 'journal.log.tmp'))).toBe(false);
  });
});

describe('Outbox: folding during long outages', () => {
  it('folds never-sent usage into one record per UTC day and boot, with new sequence numbers, once over the cap', () => {
    const outbox = openOutbox({ maxRecords: 10 });
    const { usage: stream } = outbox.streams();
    // Two weeks offline, a record per hour, on two boots.
    let metered = 0;
    for (let hour = 0; hour < 14 * 24; hour++) {
      outbox.appendUsage([usage(3_600 - hour, DAY + Math.floor(hour / 24), hour < 100 ? 'boot-1' : 'boot-2')]);
      metered += 3_600 - hour;
      expect(outbox.stats().records).toBeLessThanOrEqual(16); // 14 days + the boot change day + one new record
    }
    const records = outbox.nextBatch(100).usage;
    expect(records.reduce((sum, r) => sum + (r.awakeSeconds as number), 0)).toBe(metered);
    const keys = records.map((r) => `${r.utcDay}/${r.bootId}`);
    expect(new Set(keys).size).toBe(15);
    expect(records.every((r) => r.header!.stream === stream)).toBe(true);
    const seqs = records.map((r) => r.header!.seq as number);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(Math.max(...seqs)).toBeGreaterThan(14 * 24); // folded records took fresh numbers
  });

  it('never folds a record that was handed to the transport, even after a disconnect and a restart', () => {
    const first = Outbox.open(dir, { maxRecords: 3 });
    const [sent] = first.appendUsage([usage(100)]);
    first.nextBatch(1); // on the wire; the ack will never come
    first.onDisconnected();
    first.close();
    const outbox = openOutbox({ maxRecords: 3 });
    for (let i = 0; i < 10; i++) outbox.appendUsage([usage(1)]);
    const records = outbox.nextBatch(100).usage;
    expect(records.find((r) => r.header!.seq === sent.header!.seq)).toEqual(sent);
    expect(records.filter((r) => r.header!.seq !== sent.header!.seq).reduce((s, r) => s + (r.awakeSeconds as number), 0)).toBe(10);
    expect(records.length).toBeLessThanOrEqual(3);
  });

  it('never folds events, and stays over the cap rather than drop anything', () => {
    const outbox = openOutbox({ maxRecords: 2 });
    for (let i = 0; i < 4; i++) outbox.appendEvent({ occurredAtMs: i, moduleChanged: { module: { name: `m${i}`, installed: true } } });
    outbox.appendUsage([usage(7)]);
    outbox.nextBatch(10);
    outbox.appendUsage([usage(8)]);
    expect(outbox.stats()).toMatchObject({ records: 6, overCap: true });
    outbox.onDisconnected();
    const batch = outbox.nextBatch(10);
    expect(batch.events.map((e) => e.moduleChanged!.module!.name)).toEqual(['m0', 'm1', 'm2', 'm3']);
    expect(batch.usage.map((r) => r.awakeSeconds)).toEqual([7, 8]);
  });

  it('applies a byte cap as well as a record cap', () => {
    const outbox = openOutbox({ maxBytes: 2_000 });
    for (let i = 0; i < 50; i++) outbox.appendUsage([usage(1)]);
    expect(outbox.stats().liveBytes).toBeLessThanOrEqual(2_000);
    expect(outbox.nextBatch(100).usage.reduce((s, r) => s + (r.awakeSeconds as number), 0)).toBe(50);
  });
});

describe('Outbox: file modes', () => {
  const mode = (name: string) => statSync(join(dir, name)).mode & 0o777;

  it('creates the journal and the lock readable by the owner only, after a rewrite too, and tightens an older journal', () => {
    const outbox = openOutbox({ compactMinBytes: 1 });
    expect(mode(JOURNAL)).toBe(0o600);
    expect(mode('outbox.lock')).toBe(0o600);
    const [record] = outbox.appendUsage([usage(5)]);
    outbox.ack(outbox.streams().usage, [record.header!.seq as number], []); // compacts: a rewritten journal
    expect(mode(JOURNAL)).toBe(0o600);
    outbox.close();
    open = [];
    chmodSync(join(dir, JOURNAL), 0o644); // as agents before this fix left it
    openOutbox();
    expect(mode(JOURNAL)).toBe(0o600);
  });
});

describe('Outbox: lifecycle', () => {
  it('closes itself when a journal write fails, and a reopen finds everything that was made durable', () => {
    const outbox = Outbox.open(dir, { maxRecords: 1 });
    outbox.appendUsage([usage(30)]);
    // The next fold must rewrite the journal through this path; a directory there makes the rewrite fail.
    mkdirSync(join(dir, 'journal.log.tmp'));
    expect(() => outbox.appendUsage([usage(12)])).toThrow();
    expect(() => outbox.nextBatch(1)).toThrow(/failed journal write/);
    rmSync(join(dir, 'journal.log.tmp'), { recursive: true });
    const reopened = openOutbox({ maxRecords: 1 }); // the lock was released
    expect(reopened.nextBatch(10).usage.map((r) => r.awakeSeconds)).toEqual([30, 12]);
  });

  it('refuses every call after close', () => {
    const outbox = Outbox.open(dir);
    outbox.close();
    expect(() => outbox.appendUsage([usage(1)])).toThrow(/closed/);
    expect(() => outbox.nextBatch(1)).toThrow(/closed/);
  });
});
