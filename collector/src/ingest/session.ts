// One agent connection's protocol, free of sockets: bytes in, replies out.
// The WebSocket layer (socket.ts) only moves frames and applies close codes,
// so every rule here is testable without a network.
import { randomUUID } from 'node:crypto';
import {
  ErrorCode, decodeAgentEnvelope, v1,
  type AgentEnvelope, type IAck, type IAgentEvent, type IRejection,
} from '../../../proto/index.ts';
import type { Logger } from '../../../common/log.ts';
import type { Metrics } from '../metrics.ts';
import { StorageError, type DeviceEventInput, type DeviceEventKind, type Storage, type UsageRecordInput } from '../storage/types.ts';
import { hashSecret, newSecret } from '../auth/secrets.ts';
import { boundFacts, hostnameOf, validateFloors, validateUsageRecord, LIMITS } from './validate.ts';
import { CLOSE, type CloseCode } from './close-codes.ts';
import type { IngestBatcher } from './batcher.ts';
import { hardwareFingerprint, judgeHardware } from './clone.ts';
import { companyStanding } from './company-active.ts';

/** Who opened the connection, as established on upgrade. */
export type Principal =
  | { kind: 'enrolment'; tokenId: string; companyId: string }
  | { kind: 'device'; deviceId: string; companyId: string };

type Envelope = Parameters<typeof v1.CollectorEnvelope.encode>[0];
export interface Reply {
  send: Envelope[];
  close?: { code: CloseCode; reason: string };
}

export interface SessionDeps {
  storage: Storage;
  /** Group commit for usage frames. */
  batcher: IngestBatcher;
  /** Whether the device has a welcomed session on this collector right now (clone detection). */
  isConnected: (deviceId: string) => boolean;
  now: () => number;
  logger: Logger;
  metrics: Metrics;
}

const errorReply = (code: ErrorCode, message: string, close?: { code: CloseCode; reason: string }): Reply =>
  ({ send: [{ error: { code, message } }], close });

export class AgentSession {
  private principal: Principal;
  private greeted = false;

  constructor(principal: Principal, private readonly deps: SessionDeps) {
    this.principal = principal;
  }

  get deviceId(): string | null {
    return this.principal.kind === 'device' ? this.principal.deviceId : null;
  }

  /** Handles one binary frame. Never throws: every failure becomes a reply. */
  async handleFrame(bytes: Uint8Array): Promise<Reply> {
    let envelope: AgentEnvelope;
    try {
      envelope = decodeAgentEnvelope(bytes);
    } catch (err) {
      this.deps.metrics.frameErrors.inc({ code: 'bad_frame' });
      return errorReply(ErrorCode.BAD_FRAME, `frame does not decode as tally.agent.v1.AgentEnvelope: ${(err as Error).message}`,
        { code: CLOSE.badFrame, reason: 'bad_frame' });
    }
    const body = envelope.body;
    this.deps.metrics.framesReceived.inc({ type: body ?? 'none' });
    try {
      switch (body) {
        case 'hello': return await this.onHello(envelope);
        case 'usage': return this.requireHello() ?? await this.onUsage(envelope);
        case 'inventory': return this.requireHello() ?? await this.onInventory(envelope);
        case 'events': return this.requireHello() ?? await this.onEvents(envelope);
        default:
          this.deps.metrics.frameErrors.inc({ code: 'unknown_message' });
          return errorReply(ErrorCode.UNKNOWN_MESSAGE, 'envelope carries no message body this collector knows',
            { code: CLOSE.badFrame, reason: 'unknown_message' });
      }
    } catch (err) {
      // Nothing is acknowledged: the agent keeps the records and resends them.
      const storage = err instanceof StorageError;
      this.deps.metrics.storageErrors.inc({ operation: body ?? 'none' });
      this.deps.logger.error('agent frame failed', { body, deviceId: this.deviceId, err });
      return errorReply(storage ? ErrorCode.STORAGE_UNAVAILABLE : ErrorCode.INTERNAL,
        storage ? 'the collector could not store this frame; it was not acknowledged, resend later' : 'internal error',
        { code: CLOSE.internal, reason: storage ? 'storage_unavailable' : 'internal' });
    }
  }

  private requireHello(): Reply | null {
    if (this.greeted && this.principal.kind === 'device') return null;
    this.deps.metrics.frameErrors.inc({ code: 'protocol_violation' });
    return errorReply(ErrorCode.PROTOCOL_VIOLATION, 'the first frame on a connection must be hello',
      { code: CLOSE.badFrame, reason: 'protocol_violation' });
  }

  private async onHello(envelope: AgentEnvelope): Promise<Reply> {
    const hello = envelope.hello!;
    const now = this.deps.now();
    const facts = boundFacts(hello.facts);
    const instanceId = (hello.instanceId ?? '').slice(0, LIMITS.maxStreamLength);
    const agentVersion = (hello.agentVersion ?? '').slice(0, 64);
    const { storage } = this.deps;
    // The company, or a partner above it, may have been inactivated since the upgrade: its whole subtree is refused.
    const standing = await companyStanding(storage.enrolment, this.principal.companyId, now);
    if (!standing.active) {
      return errorReply(ErrorCode.COMPANY_INACTIVE, 'the company this agent belongs to, or a partner above it, is inactive',
        { code: CLOSE.forbidden, reason: 'company_inactive' });
    }
    const company = standing.company;
    if (this.principal.kind === 'enrolment') {
      if (!instanceId) {
        return errorReply(ErrorCode.PROTOCOL_VIOLATION, 'hello.instance_id is required to enrol', { code: CLOSE.badFrame, reason: 'protocol_violation' });
      }
      const deviceId = randomUUID();
      const deviceKey = newSecret('device_key');
      await storage.enrolment.enrolDevice({
        deviceId, companyId: company.id, keyHash: hashSecret(deviceKey), instanceId,
        hostname: hostnameOf(facts), facts, agentVersion, nowMs: now,
      });
      const fingerprint = hardwareFingerprint(facts?.identity);
      if (fingerprint) await storage.ingest.setDeviceHardware(deviceId, fingerprint);
      this.deps.metrics.enrolments.inc();
      this.deps.logger.info('device enrolled', { deviceId, companyId: company.id, hostname: hostnameOf(facts) });
      this.principal = { kind: 'device', deviceId, companyId: company.id };
      this.greeted = true;
      return { send: [{ welcome: { deviceId, deviceKey, serverTimeMs: now, companyId: company.id } }] };
    }
    const deviceId = this.principal.deviceId;
    const presented = hardwareFingerprint(facts?.identity);
    const stored = await storage.ingest.deviceHardware(deviceId);
    const verdict = judgeHardware({
      stored: stored?.fingerprint ?? null, presented, connectedElsewhere: this.deps.isConnected(deviceId),
      lastSeenAtMs: stored?.lastSeenAtMs ?? null, nowMs: now,
    });
    if (verdict.kind === 'clone') {
      // The key's own machine is active: this one is a copy. It is refused before any
      // usage is taken, so the clone is never billed on the original's key.
      await storage.ingest.flagClone(deviceId, now);
      this.deps.metrics.clonesRefused.inc();
      this.deps.logger.warn('device key presented by a clone; refused, the clone must enrol as itself', { deviceId, hostname: hostnameOf(facts) });
      return errorReply(ErrorCode.CLONE_DETECTED, 'this device key belongs to another machine that is active; enrol this machine with an enrolment token',
        { code: CLOSE.clone, reason: 'clone_detected' });
    }
    if (presented && (verdict.kind === 'record' || verdict.kind === 'changed')) {
      await storage.ingest.setDeviceHardware(deviceId, presented);
      if (verdict.kind === 'changed') this.deps.logger.info('device hardware changed (board replaced or VM migrated)', { deviceId });
    }
    await storage.ingest.recordHello({
      deviceId, instanceId, hostname: hostnameOf(facts), agentVersion, facts, nowMs: now,
    });
    this.greeted = true;
    return { send: [{ welcome: { deviceId: this.principal.deviceId, serverTimeMs: now, companyId: company.id } }] };
  }

  private async onUsage(envelope: AgentEnvelope): Promise<Reply> {
    const { deviceId, companyId } = this.principal as Extract<Principal, { kind: 'device' }>;
    const batch = envelope.usage!;
    const records = batch.records ?? [];
    if (records.length > LIMITS.maxRecordsPerBatch) {
      this.deps.metrics.frameErrors.inc({ code: 'batch_too_large' });
      return errorReply(ErrorCode.FRAME_TOO_LARGE, `a usage batch holds at most ${LIMITS.maxRecordsPerBatch} records`,
        { code: CLOSE.badFrame, reason: 'batch_too_large' });
    }
    const now = this.deps.now();
    const valid: UsageRecordInput[] = [];
    const acks = new AckBuilder();
    const unaddressable: string[] = [];
    for (const r of records) {
      const v = validateUsageRecord(r, now);
      if (v.ok) {
        valid.push(v.value);
      } else if (r.header?.stream && typeof r.header.seq === 'number' && r.header.stream.length <= LIMITS.maxStreamLength) {
        acks.reject(r.header.stream, r.header.seq, v.code, v.message);
      } else {
        unaddressable.push(v.message);
      }
    }
    const result = await this.deps.batcher.submit({ deviceId, companyId, records: valid, floors: validateFloors(batch.floors) });
    for (const r of valid) acks.accept(r.stream, r.seq);
    // One counter update per outcome, not per record (labelled counters hash their labels on every call).
    let stored = 0;
    for (const o of result.outcomes) if (o === 'stored') stored++;
    if (stored) this.deps.metrics.usageRecords.inc({ outcome: 'stored' }, stored);
    if (stored < result.outcomes.length) this.deps.metrics.usageRecords.inc({ outcome: 'duplicate' }, result.outcomes.length - stored);
    if (acks.rejectedCount) this.deps.metrics.usageRecords.inc({ outcome: 'rejected' }, acks.rejectedCount);
    if (result.adjustedRecords) this.deps.metrics.lateRecords.inc({ disposition: 'adjustment' }, result.adjustedRecords);
    if (result.unbilledRecords) this.deps.metrics.lateRecords.inc({ disposition: 'unbilled' }, result.unbilledRecords);
    if (result.clampedSeconds > 0) {
      this.deps.metrics.usageSecondsClamped.inc(result.clampedSeconds);
      this.deps.logger.warn('usage above 86,400 s per device-day dropped', { deviceId, seconds: result.clampedSeconds });
    }
    const send: Envelope[] = acks.build().map((ack) => ({ ack }));
    if (unaddressable.length) {
      this.deps.metrics.frameErrors.inc({ code: 'invalid_record' }, unaddressable.length);
      send.push({ error: { code: ErrorCode.INVALID_RECORD, message: `${unaddressable.length} record(s) without a valid header ignored: ${unaddressable[0]}` } });
    }
    return { send };
  }

  private async onInventory(envelope: AgentEnvelope): Promise<Reply> {
    const { deviceId } = this.principal as Extract<Principal, { kind: 'device' }>;
    const inv = envelope.inventory!;
    const stream = inv.header?.stream;
    const seq = inv.header?.seq;
    if (!stream || stream.length > LIMITS.maxStreamLength || typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 1) {
      return errorReply(ErrorCode.INVALID_RECORD, 'inventory needs header.stream and header.seq');
    }
    const facts = boundFacts(inv.facts);
    if (!facts) {
      return { send: [{ ack: { stream, rejected: [{ seq, code: ErrorCode.INVALID_RECORD, message: 'inventory without facts' }] } }] };
    }
    await this.deps.storage.ingest.recordInventory(deviceId, stream, seq, facts, this.deps.now());
    return { send: [{ ack: { stream, seqs: [seq] } }] };
  }

  private async onEvents(envelope: AgentEnvelope): Promise<Reply> {
    const { deviceId } = this.principal as Extract<Principal, { kind: 'device' }>;
    const events = envelope.events?.events ?? [];
    if (events.length > LIMITS.maxRecordsPerBatch) {
      return errorReply(ErrorCode.FRAME_TOO_LARGE, `an event batch holds at most ${LIMITS.maxRecordsPerBatch} events`,
        { code: CLOSE.badFrame, reason: 'batch_too_large' });
    }
    const now = this.deps.now();
    const acks = new AckBuilder();
    const valid: DeviceEventInput[] = [];
    for (const e of events) {
      const stream = e.header?.stream;
      const seq = e.header?.seq;
      if (!stream || stream.length > LIMITS.maxStreamLength || typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 1) continue;
      const parsed = eventInput(e, stream, seq);
      if (parsed) valid.push(parsed);
      else acks.reject(stream, seq, ErrorCode.INVALID_RECORD, 'event has no kind this collector knows');
    }
    await this.deps.storage.ingest.recordEvents(deviceId, valid, now);
    for (const e of valid) {
      acks.accept(e.stream, e.seq);
      if (e.kind === 'uninstalled') this.deps.logger.info('device uninstalled', { deviceId });
    }
    return { send: acks.build().map((ack) => ({ ack })) };
  }
}

function eventInput(e: IAgentEvent, stream: string, seq: number): DeviceEventInput | null {
  const kinds: DeviceEventKind[] = ['uninstalled', 'module_changed', 'user_signed_in'];
  const message = e as unknown as Record<string, unknown>;
  const kind = kinds.find((k) => message[camel(k)] != null);
  if (!kind) return null;
  const occurredAtMs = typeof e.occurredAtMs === 'number' && Number.isSafeInteger(e.occurredAtMs) ? e.occurredAtMs : 0;
  return { stream, seq, occurredAtMs, kind, payload: boundFacts(message[camel(kind)] as never) ?? {} };
}

function camel(snake: string): string {
  return snake.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
}

/** Groups accepted and rejected sequences into one Ack per stream. */
class AckBuilder {
  private readonly byStream = new Map<string, { seqs: number[]; rejected: IRejection[] }>();
  rejectedCount = 0;

  private entry(stream: string) {
    let e = this.byStream.get(stream);
    if (!e) this.byStream.set(stream, (e = { seqs: [], rejected: [] }));
    return e;
  }

  accept(stream: string, seq: number): void {
    this.entry(stream).seqs.push(seq);
  }

  reject(stream: string, seq: number, code: ErrorCode, message: string): void {
    this.entry(stream).rejected.push({ seq, code, message });
    this.rejectedCount++;
  }

  build(): IAck[] {
    return [...this.byStream].map(([stream, e]) => ({ stream, seqs: e.seqs, rejected: e.rejected }));
  }
}
