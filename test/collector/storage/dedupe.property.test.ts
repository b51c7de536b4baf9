// Dedupe against a reference model. The model below IS the semantics of the
// storage's dedupe marks, per (device, stream): a floor (starts at 0) and a
// set of stored seqs.
//   - A usage record is a duplicate when its seq is below the floor or already
//     in the set; otherwise it is added to the set and stored, and its seconds
//     go to its device-day, which never exceeds 86,400 s (what does not fit is
//     the frame's clampedSeconds).
//   - A frame's floors apply AFTER its own records (a floor settles what came
//     before, not the records beside it): the floor becomes the max, and seqs
//     below it leave the set (they stay duplicates through the floor).
//   - The frames of one ingestUsageBatch behave exactly as if ingested one at a
//     time, in the given order; results come back in the units' order.
//   - recordInventory shares the marks: same rule, no floor of its own.
// Any way of storing the marks (a receipt per record, runs for in-order seqs,
// ...) must be indistinguishable from the model through the IngestStore
// interface: record by record, frame by frame, in the stored device-days, and
// in a full resend that must come back all duplicates. One look inside, as the
// contract's `receipts` hook: no receipt row may outlive the floor that
// settled it (outcomes cannot show a mark that was never forgotten).
//
// Workloads are of two kinds, and mixes of both: agent-like (seqs increase per
// stream, a frame's floor is the oldest unacknowledged seq, lost acks make the
// agent resend whole frames or its backlog, pipelined frames arrive swapped,
// rejected records leave gaps) and arbitrary (random seqs 1..30 and floors
// 1..32, so duplicates, out-of-order arrivals, floors above and below a frame's
// own records, and floors lower than the current one all happen often).
//
// Real SQLite files (a fresh one per run) and, when TALLY_TEST_PG_URL is set,
// a real PostgreSQL database (one throwaway database; each run has its own
// company and devices). TALLY_DEDUPE_RUNS and TALLY_DEDUPE_SEED change the number
// of runs (default 150 on SQLite, 100 on PostgreSQL) and the seed.
import Database from 'better-sqlite3';
import fc from 'fast-check';
import pg from 'pg';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgresStorage } from '../../../collector/src/storage/postgres/index.ts';
import { openSqliteStorage } from '../../../collector/src/storage/sqlite/index.ts';
import { postgresDedupeMarks, sqliteDedupeMarks } from './dedupe-marks.ts';
import type {
  LateDataPolicy, RecordOutcome, Storage, StreamFloorInput, UsageIngestResult, UsageRecordInput,
} from '../../../collector/src/storage/types.ts';
import { createTestDatabase, pgServerConfigured, pgTestSetting, testPool, type TestDatabase } from '../../helpers/postgres.ts';
import { shouldRun } from '../../helpers/requirements.ts';
import { DAY, NOW, serverFacts } from './contract.ts';
import { reportedFacts } from '../../../collector/src/devices/attributes.ts';
import { seedCustomer } from '../../helpers/seed.ts';

const SECONDS_PER_DAY = 86_400;
const DAY_MS = 86_400_000;
const NOV_1 = Date.UTC(2026, 10, 1) / DAY_MS;
const DEC_1 = Date.UTC(2026, 11, 1) / DAY_MS;
/** Records fall on DAY - 2 .. DAY, all inside November 2026 (no finalized month anywhere). */
const DAYS_BACK = 2;
const NO_FINALIZED_MONTH: LateDataPolicy = { adjustableFromDay: 0 };

const FUZZ_RUNS = process.env.TALLY_DEDUPE_RUNS ? Math.max(1, Number(process.env.TALLY_DEDUPE_RUNS)) : null;
const SQLITE_RUNS = FUZZ_RUNS ?? 150;
const POSTGRES_RUNS = FUZZ_RUNS ?? 100;
const SEED = process.env.TALLY_DEDUPE_SEED ? Number(process.env.TALLY_DEDUPE_SEED) : 20_261_115;

const MODULE_SETS = [['antimalware'], ['antimalware', 'edr_sensor'], ['firewall']];
const streamName = (i: number) => `usage/${i}`;

// ---------------------------------------------------------------------------
// The plan a run executes: frames and inventories, devices by index.

interface PlannedFrame { device: number; records: UsageRecordInput[]; floors: StreamFloorInput[] }
interface PlannedInventory { device: number; stream: string; seq: number; modules: string[] }
type Step =
  | { kind: 'ingestUsage'; frame: PlannedFrame }
  | { kind: 'ingestUsageBatch'; frames: PlannedFrame[] }
  | { kind: 'recordInventory'; inventory: PlannedInventory };
interface Plan { style: string; deviceCount: number; steps: Step[] }

// ---------------------------------------------------------------------------
// The reference model.

interface StreamMarks { floor: number; stored: Set<number> }
interface FrameResult { outcomes: RecordOutcome[]; clampedSeconds: number }

class ReferenceDedupe {
  private readonly streams = new Map<string, StreamMarks>();
  /** `${device}@${utcDay}` -> awake seconds, for every device-day a stored record touched. */
  readonly deviceDays = new Map<string, number>();

  private marks(device: number, stream: string): StreamMarks {
    const key = `${device}\n${stream}`;
    let m = this.streams.get(key);
    if (!m) this.streams.set(key, (m = { floor: 0, stored: new Set() }));
    return m;
  }

  private claim(device: number, stream: string, seq: number): RecordOutcome {
    const m = this.marks(device, stream);
    if (seq < m.floor || m.stored.has(seq)) return 'duplicate';
    m.stored.add(seq);
    return 'stored';
  }

  ingestFrame(frame: PlannedFrame): FrameResult {
    let clampedSeconds = 0;
    const outcomes = frame.records.map((r) => {
      const outcome = this.claim(frame.device, r.stream, r.seq);
      if (outcome === 'stored') {
        const key = `${frame.device}@${r.utcDay}`;
        const before = this.deviceDays.get(key) ?? 0;
        const fits = Math.min(r.awakeSeconds, SECONDS_PER_DAY - before);
        clampedSeconds += r.awakeSeconds - fits;
        this.deviceDays.set(key, before + fits);
      }
      return outcome;
    });
    // After the frame's own records.
    for (const f of frame.floors) {
      const m = this.marks(frame.device, f.stream);
      if (f.oldestUnackedSeq <= m.floor) continue;
      m.floor = f.oldestUnackedSeq;
      for (const seq of m.stored) if (seq < m.floor) m.stored.delete(seq);
    }
    return { outcomes, clampedSeconds };
  }

  recordInventory(inv: PlannedInventory): RecordOutcome {
    return this.claim(inv.device, inv.stream, inv.seq);
  }

  /** Whether the seq is still in the stream's set (stored, and not below the floor). */
  holds(device: number, stream: string, seq: number): boolean {
    const m = this.streams.get(`${device}\n${stream}`);
    return m !== undefined && seq >= m.floor && m.stored.has(seq);
  }
}

// ---------------------------------------------------------------------------
// Workload generators: ops, interpreted into a plan.

interface RecordBody { daysBack: number; seconds: number }
type AgentOp =
  /** The agent sends `records` new records on a stream (with its whole backlog first when withBacklog). */
  | { op: 'send'; device: number; stream: number; records: RecordBody[]; withBacklog: boolean; ackLost: boolean; pipelined: boolean; join: boolean }
  /** A lost ack: the agent sends one of its earlier frames again, unchanged (old floors included). */
  | { op: 'resendFrame'; device: number; back: number; join: boolean }
  /** Records the collector refused (or the agent dropped): acknowledged, never sent; the seqs leave a gap. */
  | { op: 'skipSeqs'; device: number; stream: number; count: number }
  /** A frame with floors only. */
  | { op: 'floorsOnly'; device: number; join: boolean }
  /** An inventory on a usage stream, taking the stream's next seq, or one sent before again. */
  | { op: 'inventory'; device: number; stream: number; modules: number; again: boolean; back: number };
type ArbitraryOp =
  | { op: 'frame'; device: number; records: { stream: number; seq: number; daysBack: number; seconds: number }[]; floors: { stream: number; seq: number }[]; join: boolean }
  | { op: 'anyInventory'; device: number; stream: number; seq: number; modules: number }
  /** Any earlier frame of the run (any device) once more. */
  | { op: 'replayFrame'; back: number; join: boolean };
type Op = AgentOp | ArbitraryOp;

/** Mostly false; shrinks to false. */
const sometimes = (weightTrue: number, weightFalse: number) =>
  fc.oneof({ weight: weightFalse, arbitrary: fc.constant(false) }, { weight: weightTrue, arbitrary: fc.constant(true) });
const deviceArb = fc.integer({ min: 0, max: 2 });
const streamArb = fc.integer({ min: 0, max: 2 });
const daysBackArb = fc.integer({ min: 0, max: DAYS_BACK });
// Big values often enough that device-days fill up and clamp.
const secondsArb = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: 0, max: 3_600 }) },
  { weight: 3, arbitrary: fc.integer({ min: 20_000, max: SECONDS_PER_DAY }) },
  { weight: 1, arbitrary: fc.constantFrom(0, SECONDS_PER_DAY) },
);

const agentOpArb: fc.Arbitrary<AgentOp> = fc.oneof(
  { weight: 8, arbitrary: fc.record({
    op: fc.constant('send' as const), device: deviceArb, stream: streamArb,
    records: fc.array(fc.record({ daysBack: daysBackArb, seconds: secondsArb }), { minLength: 1, maxLength: 4 }),
    withBacklog: sometimes(1, 2), ackLost: sometimes(1, 3), pipelined: sometimes(1, 5), join: sometimes(1, 1),
  }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('resendFrame' as const), device: deviceArb, back: fc.nat(6), join: sometimes(1, 1) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('skipSeqs' as const), device: deviceArb, stream: streamArb, count: fc.integer({ min: 1, max: 4 }) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('floorsOnly' as const), device: deviceArb, join: sometimes(1, 1) }) },
  { weight: 2, arbitrary: fc.record({
    op: fc.constant('inventory' as const), device: deviceArb, stream: streamArb, modules: fc.nat(MODULE_SETS.length - 1), again: sometimes(1, 2), back: fc.nat(4),
  }) },
);

const arbitraryOpArb: fc.Arbitrary<ArbitraryOp> = fc.oneof(
  { weight: 6, arbitrary: fc.record({
    op: fc.constant('frame' as const), device: deviceArb,
    records: fc.array(fc.record({ stream: streamArb, seq: fc.integer({ min: 1, max: 30 }), daysBack: daysBackArb, seconds: secondsArb }), { maxLength: 6 }),
    floors: fc.array(fc.record({ stream: streamArb, seq: fc.integer({ min: 1, max: 32 }) }), { maxLength: 3 }),
    join: sometimes(1, 1),
  }) },
  { weight: 2, arbitrary: fc.record({
    op: fc.constant('anyInventory' as const), device: deviceArb, stream: streamArb, seq: fc.integer({ min: 1, max: 30 }), modules: fc.nat(MODULE_SETS.length - 1),
  }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('replayFrame' as const), back: fc.nat(8), join: sometimes(1, 1) }) },
);

/** An agent's outbox as far as seqs and floors go (agent/src/outbox/outbox.ts). */
class SimulatedAgent {
  private readonly nextSeq = new Map<string, number>();
  /** Unacknowledged records per stream. */
  private readonly live = new Map<string, Map<number, UsageRecordInput>>();
  readonly sentFrames: PlannedFrame[] = [];
  readonly sentInventories: PlannedInventory[] = [];

  constructor(readonly device: number, private readonly streams: string[]) {}

  takeSeq(stream: string): number {
    const seq = this.nextSeq.get(stream) ?? 1;
    this.nextSeq.set(stream, seq + 1);
    return seq;
  }

  addLive(record: UsageRecordInput): void {
    let records = this.live.get(record.stream);
    if (!records) this.live.set(record.stream, (records = new Map()));
    records.set(record.seq, record);
  }

  backlog(): UsageRecordInput[] {
    return [...this.live.values()].flatMap((records) => [...records.values()]);
  }

  /** Per stream, the oldest unacknowledged seq, or the next seq when nothing is outstanding (once any was used). */
  floors(): StreamFloorInput[] {
    const floors: StreamFloorInput[] = [];
    for (const stream of this.streams) {
      const live = this.live.get(stream);
      if (live && live.size > 0) floors.push({ stream, oldestUnackedSeq: Math.min(...live.keys()) });
      else if ((this.nextSeq.get(stream) ?? 1) > 1) floors.push({ stream, oldestUnackedSeq: this.nextSeq.get(stream)! });
    }
    return floors;
  }

  ack(records: UsageRecordInput[]): void {
    for (const r of records) this.live.get(r.stream)?.delete(r.seq);
  }
}

function interpret(style: string, deviceCount: number, streamCount: number, ops: Op[]): Plan {
  const streams = Array.from({ length: streamCount }, (_, i) => streamName(i));
  const agents = Array.from({ length: deviceCount }, (_, d) => new SimulatedAgent(d, streams));
  const deviceOf = (i: number) => i % deviceCount;
  const streamOf = (i: number) => streams[i % streamCount];
  const record = (stream: string, seq: number, daysBack: number, seconds: number): UsageRecordInput =>
    ({ stream, seq, utcDay: DAY - daysBack, awakeSeconds: seconds, bootId: 'boot' });

  const steps: Step[] = [];
  const allFrames: PlannedFrame[] = [];
  const deliverFrame = (frame: PlannedFrame, join: boolean) => {
    allFrames.push(frame);
    const last = steps[steps.length - 1];
    if (join && last?.kind === 'ingestUsageBatch') last.frames.push(frame);
    else if (join && last?.kind === 'ingestUsage') steps[steps.length - 1] = { kind: 'ingestUsageBatch', frames: [last.frame, frame] };
    // A frame that opens a group goes alone through ingestUsage; joined ones make it a batch.
    else steps.push({ kind: 'ingestUsage', frame });
  };
  // A pipelined frame: sent, but its ack comes after the next frame was sent, and that one arrives first.
  let held: { frame: PlannedFrame; join: boolean; acked: UsageRecordInput[] } | null = null;
  const releaseHeld = () => {
    if (!held) return;
    const h = held;
    held = null;
    deliverFrame(h.frame, h.join);
    agents[h.frame.device].ack(h.acked);
  };

  for (const op of ops) {
    switch (op.op) {
      case 'send': {
        const agent = agents[deviceOf(op.device)];
        const stream = streamOf(op.stream);
        const fresh = op.records.map((b) => record(stream, agent.takeSeq(stream), b.daysBack, b.seconds));
        for (const r of fresh) agent.addLive(r);
        const records = op.withBacklog ? agent.backlog() : fresh;
        const frame: PlannedFrame = { device: agent.device, records, floors: agent.floors() };
        agent.sentFrames.push(frame);
        const acked = op.ackLost ? [] : records;
        if (op.pipelined && !held) {
          held = { frame, join: op.join, acked };
        } else {
          deliverFrame(frame, op.join);
          releaseHeld();
          agent.ack(acked);
        }
        break;
      }
      case 'resendFrame': {
        const agent = agents[deviceOf(op.device)];
        if (agent.sentFrames.length === 0) break;
        deliverFrame(agent.sentFrames[agent.sentFrames.length - 1 - (op.back % agent.sentFrames.length)], op.join);
        releaseHeld();
        break;
      }
      case 'skipSeqs': {
        const agent = agents[deviceOf(op.device)];
        for (let i = 0; i < op.count; i++) agent.takeSeq(streamOf(op.stream));
        break;
      }
      case 'floorsOnly': {
        const agent = agents[deviceOf(op.device)];
        deliverFrame({ device: agent.device, records: [], floors: agent.floors() }, op.join);
        releaseHeld();
        break;
      }
      case 'inventory': {
        const agent = agents[deviceOf(op.device)];
        let inventory: PlannedInventory;
        if (op.again && agent.sentInventories.length > 0) {
          inventory = agent.sentInventories[agent.sentInventories.length - 1 - (op.back % agent.sentInventories.length)];
        } else {
          const stream = streamOf(op.stream);
          inventory = { device: agent.device, stream, seq: agent.takeSeq(stream), modules: MODULE_SETS[op.modules] };
          agent.sentInventories.push(inventory);
        }
        steps.push({ kind: 'recordInventory', inventory });
        break;
      }
      case 'frame': {
        deliverFrame({
          device: deviceOf(op.device),
          records: op.records.map((r) => record(streamOf(r.stream), r.seq, r.daysBack, r.seconds)),
          floors: op.floors.map((f) => ({ stream: streamOf(f.stream), oldestUnackedSeq: f.seq })),
        }, op.join);
        releaseHeld();
        break;
      }
      case 'anyInventory':
        steps.push({ kind: 'recordInventory', inventory: { device: deviceOf(op.device), stream: streamOf(op.stream), seq: op.seq, modules: MODULE_SETS[op.modules] } });
        break;
      case 'replayFrame':
        if (allFrames.length === 0) break;
        deliverFrame(allFrames[allFrames.length - 1 - (op.back % allFrames.length)], op.join);
        releaseHeld();
        break;
    }
  }
  releaseHeld();
  return { style, deviceCount, steps };
}

const opsArb = (op: fc.Arbitrary<Op>) => fc.array(op, { minLength: 1, maxLength: 30 });
const planArb: fc.Arbitrary<Plan> = fc.tuple(
  fc.oneof(
    fc.record({ style: fc.constant('agent'), ops: opsArb(agentOpArb) }),
    fc.record({ style: fc.constant('arbitrary'), ops: opsArb(arbitraryOpArb) }),
    fc.record({ style: fc.constant('mixed'), ops: opsArb(fc.oneof(agentOpArb, arbitraryOpArb)) }),
  ),
  fc.integer({ min: 2, max: 3 }),
  fc.integer({ min: 1, max: 3 }),
).map(([{ style, ops }, deviceCount, streamCount]) => interpret(style, deviceCount, streamCount, ops));

// ---------------------------------------------------------------------------
// Running a plan against a storage and the model side by side.

/** One run's storage, with its company and enrolled devices. */
interface RunBackend {
  storage: Storage;
  companyId: string;
  deviceIds: string[];
  /** The dedupe marks the backend still holds for this run's devices (see checkPlanAgainstModel). */
  receipts(): Promise<{ deviceId: string; stream: string; seq: number }[]>;
  dispose(): Promise<void>;
}

const resultOf = (r: UsageIngestResult) => ({ outcomes: r.outcomes, clampedSeconds: r.clampedSeconds, adjustedRecords: r.adjustedRecords, unbilledRecords: r.unbilledRecords });
const expectedOf = (r: FrameResult) => ({ ...r, adjustedRecords: 0, unbilledRecords: 0 });

async function storedDeviceDays(run: RunBackend): Promise<Map<string, number>> {
  const deviceDays = [];
  for (let after: string | null = null, pages = 0; pages === 0 || after !== null; pages++) {
    const page = await run.storage.billing.monthDevicePage({ fromDay: NOV_1, toDay: DEC_1, after, limit: 1_000 });
    deviceDays.push(...page.devices.flatMap((d) => d.days));
    after = page.next;
  }
  const days = new Map<string, number>();
  for (const d of deviceDays) {
    const device = run.deviceIds.indexOf(d.deviceId);
    if (device >= 0) days.set(`${device}@${d.utcDay}`, d.awakeSeconds);
  }
  return days;
}
const sortedEntries = (m: Map<string, number>) => [...m].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));

async function checkPlanAgainstModel(run: RunBackend, plan: Plan): Promise<void> {
  const model = new ReferenceDedupe();
  const { storage, companyId, deviceIds } = run;
  const unitOf = (f: PlannedFrame) => ({ deviceId: deviceIds[f.device], companyId, records: f.records, floors: f.floors });
  const ingestFrames = async (step: Step & { kind: 'ingestUsage' | 'ingestUsageBatch' }) => {
    if (step.kind === 'ingestUsage') {
      const u = unitOf(step.frame);
      return [await storage.ingest.ingestUsage(u.deviceId, companyId, u.records, u.floors, NOW, NO_FINALIZED_MONTH)];
    }
    return storage.ingest.ingestUsageBatch(step.frames.map(unitOf), NOW, NO_FINALIZED_MONTH);
  };
  const recordInventory = (inv: PlannedInventory) =>
    storage.ingest.recordInventory(deviceIds[inv.device], inv.stream, inv.seq, reportedFacts(serverFacts(inv.modules)), NOW);

  for (const [i, step] of plan.steps.entries()) {
    if (step.kind === 'recordInventory') {
      expect(await recordInventory(step.inventory), `step ${i} (recordInventory)`).toBe(model.recordInventory(step.inventory));
      continue;
    }
    const frames = step.kind === 'ingestUsage' ? [step.frame] : step.frames;
    const expected = frames.map((f) => expectedOf(model.ingestFrame(f)));
    expect((await ingestFrames(step)).map(resultOf), `step ${i} (${step.kind} of ${frames.length})`).toEqual(expected);
  }
  const daysAfterPlan = sortedEntries(model.deviceDays);
  expect(sortedEntries(await storedDeviceDays(run)), 'device-days after the plan').toEqual(daysAfterPlan);
  // The one look inside (the contract's `receipts` hook does the same): a
  // floor must really forget what it settled. However the marks are kept, a
  // receipt row may only exist for a seq the model still holds; one below
  // the floor is a mark that outlived it (outcomes cannot show that).
  const outlived = (await run.receipts())
    .filter((r) => !model.holds(deviceIds.indexOf(r.deviceId), r.stream, r.seq))
    .map((r) => `${r.deviceId} ${r.stream}#${r.seq}`);
  expect(outlived, 'receipts the model no longer holds').toEqual([]);

  // Everything once more, in order, every frame in one group commit: all settled.
  const allFrames = plan.steps.flatMap((s) => (s.kind === 'ingestUsage' ? [s.frame] : s.kind === 'ingestUsageBatch' ? s.frames : []));
  const replayExpected = allFrames.map((f) => expectedOf(model.ingestFrame(f)));
  // The model itself must say so, or it is not the semantics we mean.
  for (const r of replayExpected) expect(r).toEqual({ outcomes: r.outcomes.map(() => 'duplicate'), clampedSeconds: 0, adjustedRecords: 0, unbilledRecords: 0 });
  if (allFrames.length > 0) {
    expect((await ingestFrames({ kind: 'ingestUsageBatch', frames: allFrames })).map(resultOf), 'the whole plan resent as one batch').toEqual(replayExpected);
  }
  for (const step of plan.steps) {
    if (step.kind !== 'recordInventory') continue;
    expect(model.recordInventory(step.inventory)).toBe('duplicate');
    expect(await recordInventory(step.inventory), `inventory ${step.inventory.stream}#${step.inventory.seq} resent`).toBe('duplicate');
  }
  expect(sortedEntries(await storedDeviceDays(run)), 'device-days after the resend').toEqual(daysAfterPlan);
}

function dedupeMatchesModel(backendName: string, openRun: (deviceCount: number) => Promise<RunBackend>, numRuns: number) {
  it(`${backendName}: outcomes, clamped seconds and device-days match the reference dedupe model; a full resend is all duplicates`, async () => {
    await fc.assert(fc.asyncProperty(planArb, async (plan) => {
      const run = await openRun(plan.deviceCount);
      try {
        await checkPlanAgainstModel(run, plan);
      } finally {
        await run.dispose();
      }
    }), { numRuns, seed: SEED });
  }, Math.max(120_000, numRuns * 2_000));
}

let runCounter = 0;

async function enrolDevices(storage: Storage, runName: string, deviceCount: number): Promise<{ companyId: string; deviceIds: string[] }> {
  const companyId = (await seedCustomer(storage, `Acme ${runName}`, NOW)).id;
  const deviceIds = Array.from({ length: deviceCount }, (_, i) => `${runName}-d${i}`);
  for (const deviceId of deviceIds) {
    await storage.enrolment.enrolDevice({
      deviceId, companyId, keyHash: `hash-${deviceId}`, instanceId: `inst-${deviceId}`, hostname: `host-${deviceId}`,
      facts: reportedFacts(serverFacts(MODULE_SETS[0])), agentVersion: '0.1.0', nowMs: NOW,
    });
  }
  return { companyId, deviceIds };
}

describe('dedupe on SQLite against the reference model', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'tally-dedupe-'));
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  dedupeMatchesModel('SQLite', async (deviceCount) => {
    const runName = `r${++runCounter}`;
    const path = join(dir, `${runName}.db`);
    const storage = openSqliteStorage({ path, nowMs: NOW });
    try {
      return {
        storage, ...await enrolDevices(storage, runName, deviceCount),
        receipts: async () => {
          const db = new Database(path, { readonly: true });
          try {
            // The logical marks: each stream's stored run plus its receipt rows (migration 0005).
            const ids = (db.prepare('SELECT DISTINCT device_id FROM stream_floors UNION SELECT DISTINCT device_id FROM receipts').all() as { device_id: string }[])
              .map((r) => r.device_id);
            return ids.flatMap((deviceId) => sqliteDedupeMarks(db, deviceId).map((m) => ({ deviceId, ...m })));
          } finally {
            db.close();
          }
        },
        dispose: async () => {
          await storage.close();
          for (const suffix of ['', '-wal', '-shm']) rmSync(`${path}${suffix}`, { force: true });
        },
      };
    } catch (err) {
      await storage.close();
      throw err;
    }
  }, SQLITE_RUNS);
});

const pgSetting = pgTestSetting();
const runPostgres = shouldRun('dedupe on PostgreSQL', pgServerConfigured(pgSetting));

describe.skipIf(!runPostgres)('dedupe on PostgreSQL against the reference model', () => {
  // One throwaway database for the file; each run has its own company and
  // device ids, so it sees nothing of the runs before it (every dedupe mark
  // and device-day is keyed by device), without migrating a database per run.
  let db: TestDatabase;
  let storage: Storage;
  let raw: pg.Pool;
  beforeAll(async () => {
    db = await createTestDatabase(pgSetting.run ? pgSetting.url : '');
    storage = await openPostgresStorage({ url: db.url, nowMs: NOW });
    raw = testPool(db.url, 1);
  });
  afterAll(async () => {
    await raw?.end();
    await storage?.close();
    await db?.drop();
  });

  dedupeMatchesModel('PostgreSQL', async (deviceCount) => {
    const runName = `r${++runCounter}`;
    const run = await enrolDevices(storage, runName, deviceCount);
    return {
      storage, ...run,
      // The logical marks, as on SQLite: each stream's stored run plus its receipt rows.
      receipts: async () => (await Promise.all(run.deviceIds.map(async (deviceId) => (await postgresDedupeMarks(raw, deviceId)).map((m) => ({ deviceId, ...m }))))).flat(),
      dispose: async () => {},
    };
  }, POSTGRES_RUNS);
});
