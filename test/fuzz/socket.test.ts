// Agent frames fuzzed over real WebSockets to a running collector (loopback),
// to cover the socket layer: ordering, close codes, the 1 MiB limit, and
// reconnects. Each fuzzed frame is followed by a probe (a zero-second usage
// record on its own stream): the probe's ack proves the fuzzed frame was
// answered, in order; a close proves it was refused. Replies and the stored
// state are checked against the same oracle as the handleFrame suite.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AGENT_WS_PATH, encodeAgentEnvelope, type CollectorEnvelope } from '../../proto/index.ts';
import { silentLogger } from '../../common/log.ts';
import { hashSecret, newSecret } from '../../collector/src/auth/secrets.ts';
import { startCollector, type RunningCollector } from '../../collector/src/server.ts';
import { openSqliteStorage } from '../../collector/src/storage/sqlite/index.ts';
import type { Storage } from '../../collector/src/storage/types.ts';
import { connectOk, type RawAgent } from '../helpers/raw-agent.ts';
import { FUZZ, Rng } from './lib/rng.ts';
import { DeviceModel, StoredState, checkReply, expect as expectFrame, isCloneRefusal } from './lib/oracle.ts';
import { NOW, TODAY, hex, scratchDir } from './lib/harness.ts';
import { mutatedFrame, randomFrame, varint, type FrameKind } from './lib/wire.ts';
import { seedCustomer } from '../helpers/seed.ts';

const FRAMES = Math.max(3_000, Math.ceil(FUZZ.runs / 30));
const LANES = 8;
const ANSWER_BOUND_MS = 5_000;
const PROBE = 'probe';

let dir: string;
let storage: Storage;
let collector: RunningCollector;
let read: Database.Database;
let state: StoredState;
let wsUrl: string;
let companyId: string;
let sent = 0;
let reconnects = 0;
let slowestMs = 0;

beforeAll(async () => {
  dir = scratchDir('tally-fuzz-ws-');
  storage = openSqliteStorage({ path: join(dir, 'tally.db'), nowMs: NOW });
  // The per-device frame rate limit is lifted: this suite sends thousands of frames per device on purpose.
  const unlimited = { capacity: 1e9, perMinute: 1e9 };
  collector = await startCollector({
    storage, logger: silentLogger, host: '127.0.0.1', port: 0, now: () => NOW, ingestFlushMs: 1, billingIntervalMs: 0,
    sockets: { limits: { framesPerDevice: unlimited, enrolPerIp: unlimited } },
  });
  wsUrl = `ws://127.0.0.1:${collector.port}${AGENT_WS_PATH}`;
  read = new Database(join(dir, 'tally.db'), { readonly: true });
  state = new StoredState(read);
  companyId = (await seedCustomer(storage, 'Fuzz WS', NOW)).id;
});
afterAll(async () => {
  await collector?.stop();
  read?.close();
  await storage?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
  console.log(`[fuzz] WebSocket: ${sent} fuzzed frames sent to a running collector (seed ${FUZZ.seed}), ${reconnects} reconnects after refusals, slowest answer ${slowestMs.toFixed(1)} ms`);
});

async function enrol(): Promise<string> {
  const token = newSecret('enrolment_token');
  await storage.adminWrite.createEnrolmentToken({ id: randomUUID(), companyId, tokenHash: hashSecret(token), expiresAtMs: null, nowMs: NOW });
  const agent = await connectOk(wsUrl, token);
  agent.send({ hello: { agentVersion: '0.1.0', instanceId: randomUUID(), facts: { hostname: 'fuzz-ws' } } });
  const key = (await agent.next()).welcome!.deviceKey!;
  agent.close();
  await agent.closed;
  return key;
}

/** Frames until the probe's ack (answered) or the close (refused). */
function answerOf(agent: RawAgent, probeSeq: number): Promise<{ frames: CollectorEnvelope[]; close?: number }> {
  return new Promise((resolve, reject) => {
    const frames: CollectorEnvelope[] = [];
    let done = false;
    const timer = setTimeout(() => finish(() => reject(new Error(`no answer within ${ANSWER_BOUND_MS} ms`))), ANSWER_BOUND_MS);
    const finish = (f: () => void) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      f();
    };
    const pump = () => {
      agent.next(ANSWER_BOUND_MS).then((env) => {
        if (done) return;
        if (env.ack?.stream === PROBE && (env.ack.seqs ?? []).map(Number).includes(probeSeq)) return finish(() => resolve({ frames }));
        frames.push(env);
        pump();
      }, () => { /* the close below, or the timer, decides */ });
    };
    pump();
    agent.closed.then(({ code }) => setTimeout(() => finish(() => resolve({ frames, close: code })), 20));
  });
}

describe('agent frames fuzzed over WebSocket', () => {
  it(`answers or refuses each of ${FRAMES} mutated frames, in order, and stores only what the oracle says`, async () => {
    const rng = new Rng(FUZZ.seed + 100);
    const failures: string[] = [];
    const kinds: (FrameKind | 'raw')[] = ['usage', 'hello', 'inventory', 'events', 'raw'];
    await Promise.all(Array.from({ length: LANES }, async (_, laneNo) => {
      const r = rng.fork();
      const key = await enrol();
      const deviceId = (read.prepare('SELECT id FROM devices WHERE key_hash = ?').get(hashSecret(key)) as { id: string }).id;
      const model = new DeviceModel(NOW);
      let probeSeq = 0;
      let agent: RawAgent | null = null;
      const connect = async () => {
        agent = await connectOk(wsUrl, key);
        agent.send({ hello: { agentVersion: '0.1.0', instanceId: 'ws', facts: { hostname: 'fuzz-ws' } } });
        const w = await agent.next();
        if (!w.welcome) throw new Error(`hello refused: ${JSON.stringify(w)}`);
        model.hostname = 'fuzz-ws';
        model.noteHello(null, true); // a new connection: its bounds come from this hello
      };
      await connect();
      const n = Math.ceil(FRAMES / LANES);
      for (let i = 0; i < n && failures.length < 10; i++) {
        const kind = kinds[i % kinds.length];
        const bytes = kind === 'raw' ? randomFrame(r) : mutatedFrame(r, kind, TODAY);
        const exp = expectFrame(bytes, { greeted: true, enrolment: false, model, nowMs: NOW });
        const t0 = performance.now();
        agent!.sendRaw(Buffer.from(bytes));
        sent++;
        probeSeq++;
        agent!.send({ usage: { records: [{ header: { stream: PROBE, seq: probeSeq }, utcDay: TODAY, awakeSeconds: 0, bootId: 'probe' }] } });
        let answer: Awaited<ReturnType<typeof answerOf>>;
        try {
          answer = await answerOf(agent!, probeSeq);
        } catch (err) {
          failures.push(`lane ${laneNo} frame ${i} (${kind}) ${hex(bytes)}: ${(err as Error).message}`);
          break;
        }
        slowestMs = Math.max(slowestMs, performance.now() - t0);
        const diff = checkReply(exp, answer.frames, answer.close);
        if (diff) failures.push(`lane ${laneNo} frame ${i} (${kind}) ${hex(bytes)}: ${diff}`);
        if (exp.outcome === 'welcome' && !isCloneRefusal(answer.frames, answer.close)) {
          model.hostname = exp.hostname!;
          model.noteHello(exp.firstRunAtMs ?? null, true);
        }
        if (answer.close !== undefined) {
          reconnects++;
          await connect();
        }
      }
      (agent as RawAgent | null)?.close();
      const diff = state.full(deviceId, model, PROBE);
      if (diff) failures.push(`lane ${laneNo}: stored state differs from the oracle: ${diff}`);
    }));
    expect(failures).toEqual([]);
    const health = await fetch(`${collector.url}/healthz`);
    expect(health.status).toBe(200);
  }, Math.max(120_000, FRAMES * 20));
});

describe('the 1 MiB frame limit', () => {
  /** A valid usage batch padded with an unknown field to exactly `size` bytes. */
  function usageFrameOfSize(size: number, seqBase: number): Uint8Array {
    const records = Array.from({ length: 4_000 }, (_, i) => ({ header: { stream: 'big', seq: seqBase + i }, utcDay: TODAY, awakeSeconds: 1, bootId: 'b'.repeat(128) }));
    const body = encodeAgentEnvelope({ usage: { records } });
    // Unknown field 15, length-delimited: skipped by the decoder, counted by the socket.
    for (let pad = size - body.length - 8; pad < size; pad++) {
      const padded = Uint8Array.from([...body, ...varint(15 * 8 + 2), ...varint(pad), ...new Uint8Array(pad)]);
      if (padded.length === size) return padded;
      if (padded.length > size) break;
    }
    throw new Error(`cannot pad to ${size}`);
  }

  async function metric(name: string): Promise<number> {
    const text = await (await fetch(`${collector.url}/metrics`)).text();
    return text.split('\n').filter((l) => l.startsWith(name)).reduce((n, l) => n + Number(l.split(' ').pop()), 0);
  }

  it('refuses a frame of 1 MiB + 1 with close 1009 before decoding it (nothing stored, no frame counted), and accepts one of exactly 1 MiB', async () => {
    const key = await enrol();
    const deviceId = (read.prepare('SELECT id FROM devices WHERE key_hash = ?').get(hashSecret(key)) as { id: string }).id;
    const agent = await connectOk(wsUrl, key);
    agent.send({ hello: { agentVersion: '0.1.0', instanceId: 'big', facts: { hostname: 'big' } } });
    expect((await agent.next()).welcome).toBeTruthy();
    const framesBefore = await metric('tally_agent_frames_total');
    const errorsBefore = await metric('tally_agent_frame_errors_total');

    const tooBig = usageFrameOfSize((1 << 20) + 1, 1);
    const t0 = performance.now();
    agent.sendRaw(Buffer.from(tooBig));
    expect((await agent.closed).code).toBe(1009);
    const refusedMs = performance.now() - t0;
    const stored = read.prepare('SELECT count(*) AS n FROM receipts WHERE device_id = ?').get(deviceId) as { n: number };
    expect(stored.n).toBe(0);
    expect(await metric('tally_agent_frames_total')).toBe(framesBefore);
    expect(await metric('tally_agent_frame_errors_total')).toBe(errorsBefore);

    const again = await connectOk(wsUrl, key);
    again.send({ hello: { agentVersion: '0.1.0', instanceId: 'big', facts: { hostname: 'big' } } });
    expect((await again.next()).welcome).toBeTruthy();
    again.sendRaw(Buffer.from(usageFrameOfSize(1 << 20, 1)));
    const ack = (await again.next(10_000)).ack!;
    expect(ack.seqs).toHaveLength(4_000);
    const row = read.prepare('SELECT awake_seconds AS s FROM device_days WHERE device_id = ? AND utc_day = ?').get(deviceId, TODAY) as { s: number };
    expect(row.s).toBe(4_000);
    again.close();
    expect((await fetch(`${collector.url}/healthz`)).status).toBe(200);
    console.log(`[fuzz] 1 MiB + 1 frame refused with 1009 in ${refusedMs.toFixed(1)} ms; exactly 1 MiB accepted`);
  });
});
