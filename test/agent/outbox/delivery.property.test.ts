import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { IAgentEvent, IStreamFloor, IUsageRecord } from '../../../proto/index.ts';
import { Outbox } from '../../../agent/src/outbox/outbox.ts';
import { tempDir } from './helpers.ts';

// A collector as the protocol describes it: a receipt per (stream, seq) makes
// a resend harmless; receipts below a stream's floor are forgotten, and a
// record arriving below a floor it was told is a protocol violation (it would
// be counted again). Records whose seconds are a multiple of 13 are refused
// for good, so rejections take the same path as acks.
class ModelCollector {
  storedSeconds = new Map<string, number>();
  rejectedSeconds = new Map<string, number>();
  storedEvents: number[] = [];
  violations: string[] = [];
  duplicatesSeen = 0;
  receiptsForgotten = 0;
  private receipts = new Map<string, Set<number>>();
  private highestFloor = new Map<string, number>();

  receive(records: Array<IUsageRecord | IAgentEvent>, floors: IStreamFloor[]): Array<{ stream: string; seqs: number[]; rejected: number[] }> {
    for (const floor of floors) this.applyFloor(floor.stream!, floor.oldestUnackedSeq as number);
    const acks = new Map<string, { stream: string; seqs: number[]; rejected: number[] }>();
    for (const record of records) {
      const stream = record.header!.stream!;
      const seq = record.header!.seq as number;
      const ack = acks.get(stream) ?? { stream, seqs: [], rejected: [] };
      acks.set(stream, ack);
      if (seq < (this.highestFloor.get(stream) ?? 0)) this.violations.push(`${stream}#${seq} sent below its floor`);
      const receipts = this.receipts.get(stream) ?? new Set<number>();
      this.receipts.set(stream, receipts);
      if (receipts.has(seq)) {
        this.duplicatesSeen++;
      } else if ('awakeSeconds' in record) {
        const key = `${record.utcDay}/${record.bootId}`;
        const target = (record.awakeSeconds as number) % 13 === 0 ? this.rejectedSeconds : this.storedSeconds;
        target.set(key, (target.get(key) ?? 0) + (record.awakeSeconds as number));
      } else {
        this.storedEvents.push((record as IAgentEvent).occurredAtMs as number);
      }
      receipts.add(seq);
      if ('awakeSeconds' in record && (record.awakeSeconds as number) % 13 === 0) ack.rejected.push(seq);
      else ack.seqs.push(seq);
    }
    return [...acks.values()];
  }

  private applyFloor(stream: string, floor: number): void {
    this.highestFloor.set(stream, Math.max(this.highestFloor.get(stream) ?? 0, floor));
    const receipts = this.receipts.get(stream);
    for (const seq of receipts ?? []) {
      if (seq < floor) {
        receipts!.delete(seq);
        this.receiptsForgotten++;
      }
    }
  }
}

const action = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('meter' as const), day: fc.integer({ min: 0, max: 2 }), boot: fc.constantFrom('b1', 'b2'), seconds: fc.array(fc.integer({ min: 1, max: 120 }), { minLength: 1, maxLength: 3 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('event' as const) }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('send' as const), limit: fc.integer({ min: 1, max: 4 }), usageArrives: fc.boolean(), eventsArrive: fc.boolean() }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('deliverAck' as const), lost: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('disconnect' as const) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('restart' as const) }) },
);

const totals = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0);

describe('outbox delivery: at-least-once sending, exactly-once effect', () => {
  it('stores every metered second exactly once through drops, lost acks, reconnects, restarts and folds', () => {
    const coverage = { folds: 0, duplicates: 0, forgotten: 0, restarts: 0 };
    fc.assert(
      fc.property(fc.array(action, { minLength: 1, maxLength: 60 }), (actions) => {
        const { dir, cleanup } = tempDir();
        const opts = { maxRecords: 4, compactMinBytes: 1 };
        let outbox = Outbox.open(dir, opts);
        try {
          const collector = new ModelCollector();
          const metered = new Map<string, number>();
          const eventsCreated: number[] = [];
          let pendingAcks: ReturnType<ModelCollector['receive']> = [];

          const send = (limit: number, usageArrives: boolean, eventsArrive: boolean) => {
            const batch = outbox.nextBatch(limit);
            // Usage and events travel in separate frames; each may be lost.
            if (usageArrives && batch.usage.length > 0) pendingAcks.push(...collector.receive(batch.usage, batch.floors));
            if (eventsArrive && batch.events.length > 0) pendingAcks.push(...collector.receive(batch.events, batch.floors));
          };
          const reconnect = () => {
            pendingAcks = []; // acks in flight die with the connection
            outbox.onDisconnected();
          };

          for (const a of actions) {
            if (a.kind === 'meter') {
              const before = outbox.stats().records;
              const key = `${20_577 + a.day}/${a.boot}`;
              outbox.appendUsage(a.seconds.map((awakeSeconds) => ({ utcDay: 20_577 + a.day, bootId: a.boot, awakeSeconds, recordedAtMs: 0 })));
              metered.set(key, (metered.get(key) ?? 0) + a.seconds.reduce((x, y) => x + y, 0));
              if (outbox.stats().records < before + a.seconds.length) coverage.folds++;
            } else if (a.kind === 'event') {
              eventsCreated.push(eventsCreated.length);
              outbox.appendEvent({ occurredAtMs: eventsCreated.length - 1, moduleChanged: { module: { name: 'edr', installed: true } } });
            } else if (a.kind === 'send') {
              send(a.limit, a.usageArrives, a.eventsArrive);
            } else if (a.kind === 'deliverAck') {
              const ack = pendingAcks.shift();
              if (ack && !a.lost) outbox.ack(ack.stream, ack.seqs, ack.rejected);
            } else if (a.kind === 'disconnect') {
              reconnect();
            } else {
              pendingAcks = [];
              outbox.close();
              outbox = Outbox.open(dir, opts);
              coverage.restarts++;
            }
          }

          // The network heals: send and acknowledge until nothing waits.
          reconnect();
          for (let round = 0; round < 100 && outbox.stats().records > 0; round++) {
            send(8, true, true);
            for (const ack of pendingAcks) outbox.ack(ack.stream, ack.seqs, ack.rejected);
            pendingAcks = [];
          }

          expect(collector.violations).toEqual([]);
          expect(outbox.stats().records).toBe(0);
          // Per day and boot, every metered second was stored once, or refused once.
          const accounted = new Map(collector.storedSeconds);
          for (const [key, s] of collector.rejectedSeconds) accounted.set(key, (accounted.get(key) ?? 0) + s);
          expect(accounted).toEqual(metered);
          expect(totals(collector.storedSeconds) + totals(collector.rejectedSeconds)).toBe(totals(metered));
          expect(collector.storedEvents.sort((x, y) => x - y)).toEqual(eventsCreated);
          coverage.duplicates += collector.duplicatesSeen;
          coverage.forgotten += collector.receiptsForgotten;
        } finally {
          outbox.close();
          cleanup();
        }
      }),
      { seed: 424242, numRuns: 150 },
    );
    // The property is only as good as the situations it met.
    expect(coverage.folds).toBeGreaterThan(50);
    expect(coverage.duplicates).toBeGreaterThan(50);
    expect(coverage.forgotten).toBeGreaterThan(5);
    expect(coverage.restarts).toBeGreaterThan(20);
  });
});
