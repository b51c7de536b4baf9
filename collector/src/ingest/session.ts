// One agent connection's protocol, free of sockets: bytes in, replies out.
// The WebSocket layer (socket.ts) only moves frames and applies close codes,
// so every rule here is testable without a network.
import { randomUUID } from 'node:crypto';
import {
  CLOSE, ErrorCode, decodeAgentEnvelope, v1,
  type AgentEnvelope, type CloseCode, type IAck, type IAgentEvent, type IRejection,
} from '../../../proto/index.ts';
import type { Logger } from '../../../common/log.ts';
import type { Metrics } from '../metrics.ts';
import { StorageError, type DeviceLifecycle, type HelloWrite, type StreamBound, type DeviceEventInput, type DeviceEventKind, type DeviceHistoryEntry, type Storage, type UsageRecordInput } from '../storage/types.ts';
import { hashSecret, newSecret } from '../auth/secrets.ts';
import { reportedFacts } from '../devices/attributes.ts';
import {
  SHARED_VALUE_DEVICES, decideEnrolment, hardwareEvidence, identifyingKeys, identityTreeRoot, isActiveNow, type HardwareEvidence,
} from '../devices/identity.ts';
import {
  firstRunFromHello, recordBounds, uninstallRefusal, usageAfterUninstall, usageDayRefusal, type RecordBounds,
} from '../devices/record-bounds.ts';
import { boundFacts, hostnameOf, validateFloors, validateUsageRecord, LIMITS } from './validate.ts';
import type { IngestBatcher } from './batcher.ts';
import type { HelloBatcher } from './hello-batcher.ts';
import { hardwareFingerprint, judgeHardware } from './clone.ts';
import { publishDeviceHistory, publishEvent } from '../hooks/events.ts';
import { standingIn } from './company-active.ts';
import { readHello, type HelloReads } from './hello-reads.ts';
import type { DisconnectMarks } from './disconnect-marks.ts';
import { DEFAULT_LIMITS, KeyedRateLimiter } from './limits.ts';

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
  storage: Pick<Storage, 'enrolment' | 'ingest' | 'devices' | 'audit' | 'hooks'>;
  /** Group commit for usage frames. */
  batcher: IngestBatcher;
  /** Group commit for hellos of enrolled devices; without it each hello commits on its own. */
  hellos?: HelloBatcher;
  /** Connection marks cleared together with other connections closing now; without it each clears its own. */
  disconnects?: Pick<DisconnectMarks, 'submit'>;
  /** Batched reads for hellos (the standing, the device); without it each hello reads on its own (one statement). */
  reads?: Pick<HelloReads, 'hello'>;
  /** Whether the device has a welcomed session on this collector right now (clone detection). */
  isConnected: (deviceId: string) => boolean;
  now: () => number;
  logger: Logger;
  metrics: Metrics;
  /** Per-device bounds on streams and events (absent: DEFAULT_LIMITS', with a limiter of this session's own). */
  bounds?: SessionBounds;
}

/** What one device may make the collector store, beyond the frame limits. */
export interface SessionBounds {
  streams: StreamBound;
  maxEventBytes: number;
  /** Events per device, shared by every connection of the collector (a reconnect buys no fresh allowance). */
  events: KeyedRateLimiter;
}

const errorReply = (code: ErrorCode, message: string, close?: { code: CloseCode; reason: string }): Reply =>
  ({ send: [{ error: { code, message } }], close });

/** What the session remembers of its device after the hello, to judge its records. */
interface DeviceState {
  bounds: RecordBounds;
  /** An uninstall on record, cleared by usage for a later day. */
  uninstalledAtMs: number | null;
}

export class AgentSession {
  private principal: Principal;
  private greeted = false;
  private device: DeviceState | null = null;

  private readonly bounds: SessionBounds;
  /** Stream names admitted for this device (asked of the store once per connection and name). */
  private readonly streams = new Set<string>();

  constructor(principal: Principal, private readonly deps: SessionDeps) {
    this.principal = principal;
    this.bounds = deps.bounds ?? {
      streams: DEFAULT_LIMITS.streamsPerDevice, maxEventBytes: DEFAULT_LIMITS.maxEventBytes, events: new KeyedRateLimiter(DEFAULT_LIMITS.eventsPerDevice),
    };
  }

  /**
   * The stream names of a frame this device may not start (over its bound);
   * new names within the bound are recorded. Each refused record, inventory
   * or event is rejected with TOO_MANY_STREAMS; the rest of the frame is unaffected.
   */
  private async refusedStreams(deviceId: string, names: Iterable<string>): Promise<Set<string>> {
    const fresh = new Set<string>();
    for (const n of names) if (!this.streams.has(n)) fresh.add(n);
    if (!fresh.size) return fresh;
    const refused = await this.deps.storage.devices.admitStreams(deviceId, [...fresh], this.deps.now(), this.bounds.streams);
    for (const n of fresh) if (!refused.has(n)) this.streams.add(n);
    if (refused.size) this.deps.logger.warn('device started more streams than it may; their records are refused', { deviceId, refused: refused.size, bound: this.bounds.streams.max });
    return refused;
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
    this.storageFailed = false; // only the last frame's failure says the database is unavailable now
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
      if (storage) this.storageFailed = true;
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
    const firstRunAtMs = firstRunFromHello(hello.firstRunMs, now);
    const { storage } = this.deps;
    // The company, or a partner above it, may have been inactivated since the upgrade: its whole subtree is refused.
    // Read with the device's stored hardware and lifecycle, in one statement shared with the other hellos waiting.
    const readAt = { companyId: this.principal.companyId, deviceId: this.principal.kind === 'device' ? this.principal.deviceId : null };
    const read = await (this.deps.reads ? this.deps.reads.hello(readAt) : readHello(storage.ingest, readAt));
    const standing = standingIn(read.companies, this.principal.companyId, now);
    if (!standing.active) {
      return errorReply(ErrorCode.COMPANY_INACTIVE, 'the company this agent belongs to, or a partner above it, is inactive',
        { code: CLOSE.forbidden, reason: 'company_inactive' });
    }
    const company = standing.company;
    const evidence = hardwareEvidence(facts?.identity, { hostname: hostnameOf(facts) });
    const treeRoot = identityTreeRoot(company.path);
    if (this.principal.kind === 'enrolment') {
      if (!instanceId) {
        return errorReply(ErrorCode.PROTOCOL_VIOLATION, 'hello.instance_id is required to enrol', { code: CLOSE.badFrame, reason: 'protocol_violation' });
      }
      return this.enrol({ tokenId: this.principal.tokenId, companyId: company.id, treeRoot, evidence, facts, instanceId, agentVersion, firstRunAtMs, now });
    }
    const deviceId = this.principal.deviceId;
    const presented = hardwareFingerprint(facts?.identity);
    const stored = read.device;
    const verdict = judgeHardware({
      stored: stored?.fingerprint ?? null, presented, connectedElsewhere: this.deps.isConnected(deviceId),
      lastSeenAtMs: stored?.lastSeenAtMs ?? null, nowMs: now,
    });
    if (verdict.kind === 'clone') {
      // The key's own machine is active: this one is a copy. It is refused before any
      // usage is taken, so the clone is never billed on the original's key.
      await storage.ingest.flagClone(deviceId, now);
      await publishEvent(storage.hooks, { type: 'device.clone_detected', companyId: company.id, data: { deviceId, hostname: hostnameOf(facts) ?? null } }, now);
      this.deps.metrics.clonesRefused.inc();
      this.deps.logger.warn('device key presented by a clone; refused, the clone must enrol as itself', { deviceId, hostname: hostnameOf(facts) });
      return errorReply(ErrorCode.CLONE_DETECTED, 'this device key belongs to another machine that is active; enrol this machine with an enrolment token',
        { code: CLOSE.clone, reason: 'clone_detected' });
    }
    const hardware = presented && (verdict.kind === 'record' || verdict.kind === 'changed') ? presented : null;
    if (hardware && verdict.kind === 'changed') this.deps.logger.info('device hardware changed (board replaced or VM migrated)', { deviceId });
    // One write for the hello, the hardware and the evidence a re-imaged machine will be recognised by (kept current:
    // NICs change, devices enrolled before identity was kept get theirs), committed with the other hellos arriving now.
    const write: HelloWrite = {
      deviceId, instanceId, hostname: hostnameOf(facts), agentVersion, facts: facts && reportedFacts(facts), firstRunAtMs, nowMs: now, hardware,
      evidence: evidence.strong.length || evidence.weak.length ? { treeRoot, strong: evidence.strong, weak: evidence.weak } : null,
    };
    await (this.deps.hellos ? this.deps.hellos.submit(write) : storage.ingest.recordHellos([write]));
    this.connectedSinceMs = now; // recordHello set the mark with last_seen_at
    // The lifecycle read before the hello, with the first run the hello kept (first_run_at = COALESCE(first_run_at, the hello's)).
    await this.rememberDevice(deviceId, stored && { ...stored.lifecycle, firstRunAtMs: stored.lifecycle.firstRunAtMs ?? firstRunAtMs });
    this.greeted = true;
    return { send: [{ welcome: { deviceId, serverTimeMs: now, companyId: company.id } }] };
  }

  /**
   * Enrolment with a token. A device is a machine, not an enrolment: strong
   * hardware evidence of a quiet device of the same partner tree continues
   * that device (new key; a move when the token is another customer's);
   * anything less certain is a new device, flagged as a possible duplicate
   * when it resembles one (devices/identity.ts).
   */
  private async enrol(i: {
    tokenId: string; companyId: string; treeRoot: string; evidence: HardwareEvidence; facts: ReturnType<typeof boundFacts>;
    instanceId: string; agentVersion: string; firstRunAtMs: number | null; now: number;
  }): Promise<Reply> {
    const { storage, metrics, logger } = this.deps;
    const { evidence, now } = i;
    const offered = [...evidence.strong, ...evidence.weak.filter((k) => !k.startsWith('hostname:'))];
    // Values many machines share identify none of them (SHARED_VALUE_DEVICES).
    const keys = identifyingKeys(offered, await storage.devices.keyHolders(i.treeRoot, offered, SHARED_VALUE_DEVICES));
    const identifying = new Set(keys);
    const decidingEvidence = { strong: evidence.strong.filter((k) => identifying.has(k)), weak: evidence.weak.filter((k) => identifying.has(k) || k.startsWith('hostname:')) };
    // A retired machine is never continued: it comes back as a new device, flagged for the admin who retired it.
    const onRecord = await storage.devices.candidates(i.treeRoot, keys);
    const candidates = onRecord.filter((c) => c.retiredAtMs === null)
      .map((c) => ({ ...c, connected: isActiveNow({ connectedHere: this.deps.isConnected(c.deviceId), connectedSinceMs: c.connectedSinceMs, lastSeenAtMs: c.lastSeenAtMs }, now) }));
    const decision = decideEnrolment({ evidence: decidingEvidence, tokenCompanyId: i.companyId, candidates, nowMs: now });
    const retiredLookalikes = onRecord.filter((c) => c.retiredAtMs !== null && c.mergedInto === null && c.strong.some((k) => decidingEvidence.strong.includes(k)));

    // The token's limit counts every enrolment, new or continued: a refused one changes nothing.
    const taken = await storage.devices.takeEnrolment(i.tokenId, now);
    if (taken === 'last') {
      await storage.audit.append({ atMs: now, actor: 'system:enrolment', action: 'enrolment_token.limit_reached', targetType: 'enrolment_token', targetId: i.tokenId, companyId: i.companyId, details: {} });
      logger.warn('enrolment token reached its limit; further enrolments are refused', { tokenId: i.tokenId, companyId: i.companyId });
    }
    if (taken === 'invalid') {
      metrics.identityDecisions.inc({ outcome: 'token_invalid' });
      return errorReply(ErrorCode.INVALID_TOKEN, 'this enrolment token was revoked or has expired; ask for a new token',
        { code: CLOSE.forbidden, reason: 'invalid_token' });
    }
    if (taken === 'exhausted') {
      metrics.identityDecisions.inc({ outcome: 'token_exhausted' });
      return errorReply(ErrorCode.TOKEN_EXHAUSTED, 'this enrolment token has reached its limit of enrolments; ask for a new token',
        { code: CLOSE.forbidden, reason: 'token_exhausted' });
    }

    const deviceKey = newSecret('device_key');
    const keyHash = hashSecret(deviceKey);
    const hostname = hostnameOf(i.facts);
    const reported = i.facts && reportedFacts(i.facts);
    const history: DeviceHistoryEntry[] = [];
    let deviceId: string;
    if (decision.kind === 'reuse') {
      deviceId = decision.deviceId;
      const { previousCompanyId } = await storage.devices.reenrol({
        deviceId, companyId: i.companyId, keyHash, instanceId: i.instanceId, agentVersion: i.agentVersion, tokenId: i.tokenId, firstRunAtMs: i.firstRunAtMs, nowMs: now,
      });
      await storage.ingest.recordHello({ deviceId, instanceId: i.instanceId, hostname, agentVersion: i.agentVersion, facts: reported, nowMs: now });
      const moved = previousCompanyId !== i.companyId;
      history.push({ deviceId, atMs: now, kind: 're_enrolled', actor: 'system:enrolment', details: { tokenId: i.tokenId, evidence: decision.evidence } });
      if (moved) history.push({ deviceId, atMs: now, kind: 'moved', actor: 'system:enrolment', details: { from: previousCompanyId, to: i.companyId, by: 'enrolment' } });
      await storage.audit.append({
        atMs: now, actor: 'system:enrolment', action: moved ? 'device.move' : 'device.re_enrol', targetType: 'device', targetId: deviceId, companyId: i.companyId,
        details: { tokenId: i.tokenId, evidence: decision.evidence, ...(moved ? { from: previousCompanyId } : {}) },
      });
      metrics.identityDecisions.inc({ outcome: moved ? 'moved' : 're_enrolled' });
      logger.info(moved ? 'known machine enrolled with another company\'s token: moved' : 'known machine enrolled again: same device', { deviceId, companyId: i.companyId, evidence: decision.evidence });
    } else {
      deviceId = randomUUID();
      await storage.enrolment.enrolDevice({
        deviceId, companyId: i.companyId, keyHash, instanceId: i.instanceId, hostname, facts: reported, agentVersion: i.agentVersion, nowMs: now,
        tokenId: i.tokenId, firstRunAtMs: i.firstRunAtMs,
      });
      history.push({ deviceId, atMs: now, kind: 'enrolled', actor: 'system:enrolment', details: { tokenId: i.tokenId } });
      const lookalikes = decision.kind === 'new_possible_duplicate'
        ? { of: decision.of, why: decision.why, evidence: decision.evidence }
        : retiredLookalikes.length ? { of: retiredLookalikes.map((c) => c.deviceId), why: 'retired', evidence: decidingEvidence.strong } : null;
      if (lookalikes) {
        await storage.devices.flagDuplicates(deviceId, lookalikes.of, lookalikes.why, lookalikes.evidence, now);
        for (const other of [deviceId, ...lookalikes.of]) {
          history.push({ deviceId: other, atMs: now, kind: 'possible_duplicate', actor: 'system:enrolment', details: { of: [deviceId, ...lookalikes.of].filter((d) => d !== other), why: lookalikes.why, evidence: lookalikes.evidence } });
        }
        logger.warn('new device looks like one on record: flagged as a possible duplicate for an admin', { deviceId, of: lookalikes.of, why: lookalikes.why });
      }
      metrics.identityDecisions.inc({ outcome: lookalikes ? 'possible_duplicate' : 'new' });
      logger.info('device enrolled', { deviceId, companyId: i.companyId, hostname });
    }
    const fingerprint = hardwareFingerprint(i.facts?.identity);
    if (fingerprint) await storage.ingest.setDeviceHardware(deviceId, fingerprint);
    if (evidence.strong.length || evidence.weak.length) await storage.devices.setEvidence(deviceId, i.treeRoot, evidence);
    await storage.devices.appendHistory(history);
    // The flagged lookalikes' own entries stay out: they may belong to other companies of the tree.
    await publishDeviceHistory(storage.hooks, history.filter((h) => h.deviceId === deviceId), i.companyId);
    metrics.enrolments.inc();
    await this.rememberDevice(deviceId);
    this.principal = { kind: 'device', deviceId, companyId: i.companyId };
    this.greeted = true;
    return { send: [{ welcome: { deviceId, deviceKey, serverTimeMs: now, companyId: i.companyId } }] };
  }

  /** Since when this session's device is connected (its mark in storage), once welcomed. */
  private connectedSinceMs: number | null = null;

  /** The storage failed this connection's last frame: see disconnected(). */
  private storageFailed = false;

  /** A newer connection of the same device took over: the connection mark is its own now. */
  private replaced = false;

  wasReplaced(): void {
    this.replaced = true;
  }

  /**
   * The collector is shutting down: hands over this connection's mark, to be
   * cleared with every other connection's in one write (a mark each would be
   * a transaction each, thousands while the agents wait to reconnect), and
   * makes disconnected() leave it alone.
   */
  takeMark(): { deviceId: string; sinceMs: number } | null {
    if (this.principal.kind !== 'device' || this.connectedSinceMs === null || this.storageFailed || this.replaced) return null;
    this.replaced = true;
    return { deviceId: this.principal.deviceId, sinceMs: this.connectedSinceMs };
  }

  /**
   * The connection closed: its mark goes (a newer connection of the same
   * device keeps its own). Not after a storage failure: the write would fail
   * too, after blocking on the database as long as its busy timeout, once per
   * agent dropping off an unavailable database. The mark then ages out
   * (ACTIVE_WINDOW_MS after the device's last sign of life).
   */
  async disconnected(): Promise<void> {
    if (this.principal.kind !== 'device' || this.connectedSinceMs === null || this.storageFailed || this.replaced) return;
    const mark = { deviceId: this.principal.deviceId, sinceMs: this.connectedSinceMs };
    await (this.deps.disconnects ? this.deps.disconnects.submit(mark) : this.deps.storage.devices.markDisconnected(mark.deviceId, mark.sinceMs));
  }

  /** The device's lifecycle, for judging its records on this connection; and its connection mark, unless the hello set it. */
  private async rememberDevice(deviceId: string, known?: DeviceLifecycle | null): Promise<void> {
    if (this.connectedSinceMs === null) {
      this.connectedSinceMs = this.deps.now();
      await this.deps.storage.devices.markConnected(deviceId, this.connectedSinceMs);
    }
    const life = known !== undefined ? known : await this.deps.storage.devices.lifecycle(deviceId);
    this.device = life ? { bounds: recordBounds(life), uninstalledAtMs: life.uninstalledAtMs } : null;
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
    let valid: UsageRecordInput[] = [];
    const acks = new AckBuilder();
    const unaddressable: string[] = [];
    let outOfRange = 0;
    for (const r of records) {
      const v = validateUsageRecord(r, now);
      const refusal = v.ok && this.device ? usageDayRefusal(this.device.bounds, v.value.utcDay) : null;
      if (v.ok && refusal) {
        // Before the agent's first run, or long before the device enrolled: never stored, never billed.
        acks.reject(v.value.stream, v.value.seq, ErrorCode.OUT_OF_RANGE, refusal);
        outOfRange++;
      } else if (v.ok) {
        valid.push(v.value);
      } else if (r.header?.stream && typeof r.header.seq === 'number' && r.header.stream.length <= LIMITS.maxStreamLength) {
        acks.reject(r.header.stream, r.header.seq, v.code, v.message);
      } else {
        unaddressable.push(v.message);
      }
    }
    // Floors name streams too (each becomes a row): they are admitted like records.
    const allFloors = validateFloors(batch.floors);
    const refusedStreams = await this.refusedStreams(deviceId, [...valid.map((r) => r.stream), ...allFloors.map((f) => f.stream)]);
    if (refusedStreams.size) {
      const kept = valid.filter((r) => !refusedStreams.has(r.stream));
      for (const r of valid) if (refusedStreams.has(r.stream)) acks.reject(r.stream, r.seq, ErrorCode.TOO_MANY_STREAMS, streamBoundMessage(this.bounds.streams));
      if (valid.length > kept.length) this.deps.metrics.boundRefusals.inc({ reason: 'too_many_streams' }, valid.length - kept.length);
      valid = kept;
    }
    const floors = allFloors.filter((f) => !refusedStreams.has(f.stream));
    const result = await this.deps.batcher.submit({ deviceId, companyId, records: valid, floors });
    for (const r of valid) acks.accept(r.stream, r.seq);
    // One counter update per outcome, not per record (labelled counters hash their labels on every call).
    let stored = 0;
    for (const o of result.outcomes) if (o === 'stored') stored++;
    if (stored) this.deps.metrics.usageRecords.inc({ outcome: 'stored' }, stored);
    if (stored < result.outcomes.length) this.deps.metrics.usageRecords.inc({ outcome: 'duplicate' }, result.outcomes.length - stored);
    if (outOfRange) this.deps.metrics.usageRecords.inc({ outcome: 'out_of_range' }, outOfRange);
    if (acks.rejectedCount > outOfRange) this.deps.metrics.usageRecords.inc({ outcome: 'rejected' }, acks.rejectedCount - outOfRange);
    await this.noticeReinstall(deviceId, valid);
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

  /**
   * Usage for a day after an uninstall on record means the agent is back (a
   * reinstall, or an uninstall that was rolled back): the uninstall is
   * cleared and the device is billed again from those days.
   */
  private async noticeReinstall(deviceId: string, stored: readonly UsageRecordInput[]): Promise<void> {
    const uninstalledAtMs = this.device?.uninstalledAtMs ?? null;
    if (uninstalledAtMs === null) return;
    const later = stored.find((r) => usageAfterUninstall(uninstalledAtMs, r.utcDay));
    if (!later) return;
    this.device!.uninstalledAtMs = null;
    if (await this.deps.storage.devices.clearUninstall(deviceId)) {
      await this.deps.storage.devices.appendHistory([{ deviceId, atMs: this.deps.now(), kind: 'reinstalled', actor: 'agent', details: { uninstalledAtMs, usageDay: later.utcDay } }]);
      this.deps.logger.info('usage after an uninstall: the agent is back, the uninstall is cleared', { deviceId });
    }
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
    if ((await this.refusedStreams(deviceId, [stream])).size) {
      this.deps.metrics.boundRefusals.inc({ reason: 'too_many_streams' });
      return { send: [{ ack: { stream, rejected: [{ seq, code: ErrorCode.TOO_MANY_STREAMS, message: streamBoundMessage(this.bounds.streams) }] } }] };
    }
    await this.deps.storage.ingest.recordInventory(deviceId, stream, seq, reportedFacts(facts), this.deps.now());
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
    const addressable = events.filter((e) => {
      const stream = e.header?.stream;
      const seq = e.header?.seq;
      return !!stream && stream.length <= LIMITS.maxStreamLength && typeof seq === 'number' && Number.isSafeInteger(seq) && seq >= 1;
    });
    const refusedStreams = await this.refusedStreams(deviceId, addressable.map((e) => e.header!.stream!));
    const refuse = (stream: string, seq: number, reason: 'too_many_streams' | 'event_too_large' | 'too_many_events', code: ErrorCode, message: string) => {
      acks.reject(stream, seq, code, message);
      this.deps.metrics.boundRefusals.inc({ reason });
    };
    for (const e of addressable) {
      const stream = e.header!.stream!;
      const seq = e.header!.seq as number;
      if (refusedStreams.has(stream)) {
        refuse(stream, seq, 'too_many_streams', ErrorCode.TOO_MANY_STREAMS, streamBoundMessage(this.bounds.streams));
        continue;
      }
      // Every event counts against the device's allowance, stored or not (a duplicate costs a lookup too).
      if (!this.bounds.events.take(deviceId, now)) {
        refuse(stream, seq, 'too_many_events', ErrorCode.TOO_MANY_EVENTS, 'this device sent more events than the collector takes; this one is dropped');
        continue;
      }
      const parsed = eventInput(e, stream, seq);
      const bytes = parsed ? Buffer.byteLength(JSON.stringify(parsed.payload ?? {})) : 0;
      if (bytes > this.bounds.maxEventBytes) {
        refuse(stream, seq, 'event_too_large', ErrorCode.EVENT_TOO_LARGE, `event payload is ${bytes} bytes as JSON; at most ${this.bounds.maxEventBytes} are taken`);
        continue;
      }
      // An uninstall must lie within the device's life: not before its enrolment (0 when the agent sent no time), not in the future.
      const refusal = parsed?.kind === 'uninstalled' && this.device ? uninstallRefusal(this.device.bounds, parsed.occurredAtMs, now) : null;
      if (parsed && refusal) acks.reject(stream, seq, ErrorCode.OUT_OF_RANGE, refusal);
      else if (parsed) valid.push(parsed);
      else acks.reject(stream, seq, ErrorCode.INVALID_RECORD, 'event has no kind this collector knows');
    }
    const outcomes = await this.deps.storage.ingest.recordEvents(deviceId, valid, now);
    const uninstalls: DeviceHistoryEntry[] = [];
    valid.forEach((e, i) => {
      acks.accept(e.stream, e.seq);
      if (e.kind !== 'uninstalled' || outcomes[i] !== 'stored') return;
      this.deps.logger.info('device uninstalled', { deviceId });
      uninstalls.push({ deviceId, atMs: e.occurredAtMs, kind: 'uninstalled', actor: 'agent', details: { reason: (e.payload as { reason?: string })?.reason ?? '' } });
      if (this.device) this.device.uninstalledAtMs = Math.min(this.device.uninstalledAtMs ?? Infinity, e.occurredAtMs);
    });
    await this.deps.storage.devices.appendHistory(uninstalls);
    await publishDeviceHistory(this.deps.storage.hooks, uninstalls, (this.principal as Extract<Principal, { kind: 'device' }>).companyId);
    return { send: acks.build().map((ack) => ({ ack })) };
  }
}

const streamBoundMessage = (b: StreamBound) =>
  `this device already started ${b.max} streams in ${Math.round(b.windowMs / 86_400_000)} days, as many as it may; records of a new stream are dropped`;

function eventInput(e: IAgentEvent, stream: string, seq: number): DeviceEventInput | null {
  // occurredAtMs 0 (absent) is kept as 0: an uninstall without a time is then refused as out of range.
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
