// The agent-facing stores: enrolment, device authentication, and ingest.
// Ingest is the hot path: one synchronous transaction per frame.
import type Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { monthOfDay } from '../../billing/index.ts';
import type { ReportedFacts } from '../../devices/attributes.ts';
import {
  LAST_SEEN_RESOLUTION_MS, StorageError,
  type DeviceAuth, type DeviceEventInput, type EnrolDeviceInput, type EnrolmentStore, type EnrolmentToken, type HelloInput, type HelloWrite, type IngestStore,
  type LateDataPolicy, type RecordOutcome, type StreamFloorInput, type UsageIngestResult, type UsageRecordInput, type UsageUnit, type Company, type DeviceAtHello,
} from '../types.ts';
import { claimSeq, raiseFloor, splitFloors, streamMarks, type StreamMarks } from '../stream-marks.ts';
import type { gatedGuard } from './guard.ts';
import { evidenceToWrite, type EvidenceRow } from '../evidence.ts';
import { atHello, parseJsonArray, toCompany, type AtHelloRow, type CompanyRow } from '../rows.ts';
import { monthPairs, recomputeStatement } from '../sql/summaries.ts';

/** A device cannot be awake longer than the day is long. */
const SECONDS_PER_DAY = 86_400;

/** In the summary delta's DO UPDATE: a day that just became active is later than the summary's last active day. */
const NEWER = 'excluded.last_active_day IS NOT NULL AND (last_active_day IS NULL OR excluded.last_active_day > last_active_day)';

/** The sorted union of two JSON arrays of text, as the recompute builds it (sql/summaries.ts). */
const jsonUnion = (a: string, b: string) =>
  `(SELECT json_group_array(m) FROM (SELECT DISTINCT value AS m FROM (SELECT value FROM json_each(${a}) UNION ALL SELECT value FROM json_each(${b})) ORDER BY 1))`;

/**
 * In a summary's UPDATE, when the last active day stays: its awake seconds plus what the batch bumped onto it.
 * The two parameters are the latest day the batch bumped and the seconds it added there: the last active day is
 * at or after every active day of the month, so if the batch bumped it, it is that latest bumped day.
 */
const LAST_AWAKE_BUMPED = 'l_awake + CASE WHEN last_active_day = ? THEN ? ELSE 0 END';

interface DeviceAttrRow {
  virtual: number | null; role: string | null; platform: string | null; modules: string; im_tier: string | null;
  ownership: string | null; user_id: string | null; last_seen_at: number | null;
}
/**
 * deviceAttrs (raw: one array, cheaper to build than an object of 12 columns): the attributes, the stored days
 * of the first frame's span (comma-separated: a day with awake time as itself, one without as -1 - day; null when
 * none), the dedupe marks of the first stream (null when it has none).
 */
type DeviceReadRow = [virtual: number | null, role: string | null, platform: string | null, modules: string, imTier: string | null,
  ownership: string | null, userId: string | null, lastSeenAt: number | null, days: string | null,
  floor: number | null, storedBelow: number | null, receiptsUpTo: number | null];

/** `guard` passes each method through the database's gate (gate.ts) and maps driver failures. */
export function sqliteAgentStores(db: Database.Database, guard: ReturnType<typeof gatedGuard>): { enrolment: EnrolmentStore; ingest: IngestStore } {
  const stmt = {
    tokenByHash: db.prepare('SELECT id, company_id, expires_at, revoked_at, max_enrolments, enrolments FROM enrolment_tokens WHERE token_hash = ?'),
    companyById: db.prepare('SELECT * FROM companies WHERE id = ?'),
    insertDevice: db.prepare(`INSERT INTO devices (id, company_id, key_hash, instance_id, hostname, agent_version, facts_json, enrolled_at, last_seen_at,
        last_enrolled_at, enrolment_token_id, first_run_at)
      VALUES (@deviceId, @companyId, @keyHash, @instanceId, @hostname, @agentVersion, @factsJson, @nowMs, @nowMs, @nowMs, @tokenId, @firstRunAtMs)`),
    // A key of a device merged into another authenticates as the survivor (the admin kept it).
    deviceByKey: db.prepare(`SELECT COALESCE(s.id, d.id) AS id, COALESCE(s.company_id, d.company_id) AS company_id, c.inactive_since,
        CASE WHEN s.id IS NULL THEN d.retired_at ELSE s.retired_at END AS retired_at
      FROM devices d LEFT JOIN devices s ON s.id = d.merged_into JOIN companies c ON c.id = COALESCE(s.company_id, d.company_id) WHERE d.key_hash = ?`),
    deviceCompany: db.prepare('SELECT company_id FROM devices WHERE id = ?'),
    // A hello writes the device row once. Its facts and its hostname are written only when they differ from what is
    // stored (the common reconnect brings the same): the hostname is in two indexes, which an UPDATE that names the
    // column rewrites even when the value is the same, and the facts are the row's bulk. The attributes are compared
    // too: a collector upgrade may derive them differently from the same facts. Measured on 10,000 devices: 23 us of
    // CPU per reconnecting hello before, 17-18 us so; one UPDATE of everything was 25 us.
    hello: db.prepare(`UPDATE devices SET instance_id = @instanceId, agent_version = @agentVersion, last_seen_at = @nowMs,
      connected_since = @nowMs, first_run_at = COALESCE(first_run_at, @firstRunAtMs), hw_fingerprint = COALESCE(@hardware, hw_fingerprint)
      WHERE id = @deviceId`),
    helloFacts: db.prepare(`UPDATE devices SET facts_json = @factsJson, virtual = @virtual, role = @role, platform = @platform, modules = @modules,
      im_tier = @imTier, ownership = @ownership, reported_user_id = @reportedUserId
      WHERE id = @deviceId AND (facts_json IS NOT @factsJson OR virtual IS NOT @virtual OR role IS NOT @role OR platform IS NOT @platform
        OR modules IS NOT @modules OR im_tier IS NOT @imTier OR ownership IS NOT @ownership OR reported_user_id IS NOT @reportedUserId)`),
    rename: db.prepare('UPDATE devices SET hostname = @hostname WHERE id = @deviceId AND hostname IS NOT @hostname'),
    setFacts: db.prepare(`UPDATE devices SET facts_json = @factsJson, hostname = COALESCE(@hostname, hostname),
      virtual = @virtual, role = @role, platform = @platform, modules = @modules, im_tier = @imTier, ownership = @ownership,
      reported_user_id = @reportedUserId, last_seen_at = MAX(COALESCE(last_seen_at, 0), @nowMs) WHERE id = @deviceId`),
    upsertUser: db.prepare(`INSERT INTO users (id, company_id, external_id, created_at, last_active_at) VALUES (?, ?, ?, ?, ?)
      ON CONFLICT (company_id, external_id) DO UPDATE SET last_active_at = MAX(COALESCE(last_active_at, 0), excluded.last_active_at)`),
    userByExternal: db.prepare('SELECT id FROM users WHERE company_id = ? AND external_id = ?'),
    touch: db.prepare('UPDATE devices SET last_seen_at = MAX(COALESCE(last_seen_at, 0), ?) WHERE id = ?'),
    // What a device-day records of the device, and when it was last seen (moved only when a minute old); in the
    // same read, the dedupe marks of its first frame's stream (streamMarks) and which of its days from its first
    // frame's first to last day are stored, with awake time or not (usually today alone: the rows the batch writes
    // next, their pages then in the cache), so that each day's fast write is the one that applies.
    // Parameters: first day, last day, stream, device.
    deviceAttrs: db.prepare(`SELECT d.virtual, d.role, d.platform, d.modules, d.im_tier, d.ownership,
        CASE WHEN d.user_assigned = 1 THEN d.assigned_user_id ELSE d.reported_user_id END AS user_id, d.last_seen_at,
        (SELECT group_concat(CASE WHEN dd.awake_seconds > 0 THEN dd.utc_day ELSE -1 - dd.utc_day END) FROM device_days dd
          WHERE dd.device_id = d.id AND dd.utc_day BETWEEN ? AND ?) AS days,
        sf.floor, sf.stored_below, sf.receipts_upto
      FROM devices d LEFT JOIN stream_floors sf ON sf.device_id = d.id AND sf.stream = ? WHERE d.id = ?`).raw(true),
    streamMarks: db.prepare('SELECT floor, stored_below, receipts_upto FROM stream_floors WHERE device_id = ? AND stream = ?'),
    insertReceipt: db.prepare('INSERT OR IGNORE INTO receipts (device_id, stream, seq) VALUES (?, ?, ?)'),
    dayOf: db.prepare('SELECT awake_seconds, modules FROM device_days WHERE device_id = ? AND utc_day = ?'),
    // Positional parameters (better-sqlite3 has no ?NNN): device, day, company, seconds, now (first_at), now (last_at),
    // then the device's attributes.
    upsertDay: db.prepare(`INSERT INTO device_days (device_id, utc_day, company_id, awake_seconds, first_at, last_at,
        virtual, role, platform, modules, im_tier, user_id, ownership)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (device_id, utc_day) DO UPDATE SET awake_seconds = awake_seconds + excluded.awake_seconds,
        company_id = excluded.company_id, last_at = excluded.last_at, virtual = excluded.virtual, role = excluded.role,
        platform = excluded.platform, modules = excluded.modules, im_tier = excluded.im_tier, user_id = excluded.user_id,
        ownership = excluded.ownership`),
    // The common case in one statement, with no RETURNING (it costs a temporary table per execution) and no read
    // before: a day that was already active, stays within 86,400 s and whose stored attributes (company,
    // modules, ...) are already the device's, so only the seconds and last_at change (bumpDay); or a new day
    // (insertDay). Each tells by its change count whether it wrote, and so what the day was before: a bump
    // leaves the month's active days as they were, an insert adds one when it has seconds. A day neither
    // writes (a stored day without awake time, the clamp, a modules union) takes the careful read + merge
    // (dayOf, upsertDay), and its month's summary is recomputed from the rows.
    // Parameters: seconds, now, device, day, seconds, modules, company, virtual, role, platform, im tier, user, ownership.
    bumpDay: db.prepare(`UPDATE device_days SET awake_seconds = awake_seconds + ?, last_at = ?
      WHERE device_id = ? AND utc_day = ? AND awake_seconds > 0 AND awake_seconds + ? <= ${SECONDS_PER_DAY} AND modules = ?
        AND company_id = ? AND virtual IS ? AND role IS ? AND platform IS ? AND im_tier IS ? AND user_id IS ? AND ownership IS ?`),
    // Parameters as upsertDay's.
    insertDay: db.prepare(`INSERT INTO device_days (device_id, utc_day, company_id, awake_seconds, first_at, last_at,
        virtual, role, platform, modules, im_tier, user_id, ownership)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (device_id, utc_day) DO NOTHING`),
    // A device-month summary (sql/summaries.ts says what it holds) after a batch's bumps of a month that got no
    // new day: only its seconds change, and the last active row's own if the batch bumped that row.
    // Parameters: seconds, the latest day bumped and the seconds bumped onto it, month_day, device.
    summaryAdd: db.prepare(`UPDATE device_month_summaries SET awake_seconds = awake_seconds + ?, l_awake = ${LAST_AWAKE_BUMPED}
      WHERE month_day = ? AND device_id = ?`),
    // A device-month summary after a batch's fast writes of a month that got new days, as one delta: the seconds
    // added; the days that became active, the latest of them the last active row if it is later than the
    // summary's (read from that row: the new rows all hold the device's attributes, and it holds the batch's
    // seconds of the day); the company kept only while every row names it; the modules and the virtual Central
    // Scan platforms joined when the new active rows add to them (the same sorted union as the recompute; rare:
    // a module installed during the month). The new rows are all the month's when it had no summary (every
    // writer of device_days keeps one per (device, month) with rows).
    // Parameters: month_day, device, company, active days, seconds, device, last active day (null when no day
    // became active), then the latest day bumped and the seconds bumped onto it (as summaryAdd's).
    summaryDelta: db.prepare(`INSERT INTO device_month_summaries (month_day, device_id, company_id, active_days, awake_seconds, last_active_day, modules,
        vcs_platforms, l_company_id, l_virtual, l_role, l_platform, l_modules, l_im_tier, l_user_id, l_ownership, l_awake)
      SELECT ?, ?, ?, ?, ?, l.utc_day, COALESCE(l.modules, '[]'),
        CASE WHEN l.virtual = 1 AND instr(l.modules, '"central_scan"') > 0 THEN json_array(COALESCE(l.platform, '')) ELSE '[]' END,
        l.company_id, l.virtual, l.role, l.platform, l.modules, l.im_tier, l.user_id, l.ownership, l.awake_seconds
      FROM (SELECT 1) LEFT JOIN device_days l ON l.device_id = ? AND l.utc_day = ?
      WHERE true
      ON CONFLICT (month_day, device_id) DO UPDATE SET
        company_id = CASE WHEN company_id IS excluded.company_id THEN company_id END,
        active_days = active_days + excluded.active_days,
        awake_seconds = awake_seconds + excluded.awake_seconds,
        modules = CASE WHEN excluded.active_days = 0 OR modules = excluded.modules THEN modules WHEN active_days = 0 THEN excluded.modules
          ELSE ${jsonUnion('device_month_summaries.modules', 'excluded.modules')} END,
        vcs_platforms = CASE WHEN excluded.vcs_platforms = '[]' OR vcs_platforms = excluded.vcs_platforms THEN vcs_platforms
          WHEN vcs_platforms = '[]' THEN excluded.vcs_platforms ELSE ${jsonUnion('device_month_summaries.vcs_platforms', 'excluded.vcs_platforms')} END,
        last_active_day = CASE WHEN ${NEWER} THEN excluded.last_active_day ELSE last_active_day END,
        l_awake = CASE WHEN ${NEWER} THEN excluded.l_awake ELSE ${LAST_AWAKE_BUMPED} END,
        ${['l_company_id', 'l_virtual', 'l_role', 'l_platform', 'l_modules', 'l_im_tier', 'l_user_id', 'l_ownership']
    .map((c) => `${c} = CASE WHEN ${NEWER} THEN excluded.${c} ELSE ${c} END`).join(', ')}`),
    isFinalized: db.prepare('SELECT 1 AS x FROM finalized_months WHERE month = ?'),
    // `since` holds the LATEST late arrival, so a recomputation knows whether it saw everything.
    markLate: db.prepare('INSERT INTO months_with_late_data (month, since) VALUES (?, ?) ON CONFLICT (month) DO UPDATE SET since = MAX(since, excluded.since)'),
    insertUnbilled: db.prepare(`INSERT OR IGNORE INTO unbilled_late_usage (device_id, stream, seq, utc_day, awake_seconds, received_at)
      VALUES (?, ?, ?, ?, ?, ?)`),
    // All three only ever rise.
    saveStreamMarks: db.prepare(`INSERT INTO stream_floors (device_id, stream, floor, stored_below, receipts_upto) VALUES (?, ?, ?, ?, ?)
      ON CONFLICT (device_id, stream) DO UPDATE SET floor = MAX(floor, excluded.floor), stored_below = MAX(stored_below, excluded.stored_below),
        receipts_upto = MAX(receipts_upto, excluded.receipts_upto)`),
    forgetReceipts: db.prepare('DELETE FROM receipts WHERE device_id = ? AND stream = ? AND seq < ?'),
    insertEvent: db.prepare(`INSERT OR IGNORE INTO device_events (device_id, stream, seq, occurred_at, kind, payload, received_at)
      VALUES (?, ?, ?, ?, ?, ?, ?)`),
    hardware: db.prepare('SELECT hw_fingerprint, last_seen_at FROM devices WHERE id = ?'),
    atHello: db.prepare('SELECT hw_fingerprint, last_seen_at, enrolled_at, last_enrolled_at, first_run_at, uninstalled_at, retired_at FROM devices WHERE id = ?'),
    setHardware: db.prepare('UPDATE devices SET hw_fingerprint = ? WHERE id = ?'),
    flagClone: db.prepare('UPDATE devices SET clone_suspected_at = ?, clone_refusals = clone_refusals + 1 WHERE id = ?'),
    evidenceOf: db.prepare('SELECT tree_root, id_key, strength FROM device_hardware_ids WHERE device_id = ?'),
    deleteEvidence: db.prepare('DELETE FROM device_hardware_ids WHERE device_id = ?'),
    insertEvidence: db.prepare('INSERT OR IGNORE INTO device_hardware_ids (tree_root, id_key, device_id, strength) VALUES (?, ?, ?, ?)'),
    markUninstalled: db.prepare('UPDATE devices SET uninstalled_at = COALESCE(uninstalled_at, ?) WHERE id = ?'),
    // The device-month summaries of the (device, month) pairs a batch wrote, recomputed from their rows (sql/summaries.ts).
    recomputeSummaries: db.prepare(recomputeStatement('sqlite')),
  };

  /** Copies what the facts say into the device row, creating the users the agent saw. */
  const applyFacts = (deviceId: string, { facts, attributes: attrs, hostname }: ReportedFacts, nowMs: number) => {
    const companyId = (stmt.deviceCompany.get(deviceId) as { company_id: string } | undefined)?.company_id;
    if (!companyId) throw new StorageError('not_found', `device ${deviceId} is not enrolled`);
    for (const externalId of attrs.users) stmt.upsertUser.run(randomUUID(), companyId, externalId, nowMs, nowMs);
    const reportedUserId = attrs.primaryUser
      ? (stmt.userByExternal.get(companyId, attrs.primaryUser) as { id: string } | undefined)?.id ?? null
      : null;
    stmt.setFacts.run({
      deviceId, factsJson: JSON.stringify(facts), hostname,
      virtual: attrs.virtual === null ? null : attrs.virtual ? 1 : 0, role: attrs.role, platform: attrs.platform,
      modules: JSON.stringify(attrs.modules), imTier: attrs.imTier, ownership: attrs.ownership, reportedUserId, nowMs,
    });
  };

  // Ingest state shared by the frames of one transaction (one batch). Nothing
  // else writes these rows while it runs (better-sqlite3 is synchronous and
  // SQLite has one writer), so what was read or written earlier in the same
  // transaction is still true: each device's attributes are read once (and
  // last_seen_at moved then, if a minute old: the batch has one `now`), each
  // stream's dedupe marks once, each finalized month once.
  interface DeviceCtx {
    deviceId: string; attrs: DeviceAttrRow; currentModules: string[] | null;
    /** The device's stored days in [knownFrom, knownTo], as the batch goes: a day with awake time as itself, one without as -1 - day. */
    days: number[]; knownFrom: number; knownTo: number;
    /** The summary deltas of the batch's fast writes of the device's days, one per month; applied once, at its end. */
    months: MonthDelta[];
  }
  interface BatchCtx {
    finalized: Map<string, boolean>; finalizedByDay: Map<number, string | null>;
    /** By device id, in the batch's (device) order. */
    devices: Map<string, DeviceCtx>;
    /** Dedupe marks of each (device, stream) the batch used, by `${deviceId}\n${stream}`; saved once, at its end. */
    streams: Map<string, SqliteStreamMarks>;
    /** Device-days whose months' summaries are recomputed from the rows once, at the batch's end (a delta could not keep them). */
    written: [string, number][];
    monthDayOf: Map<number, number>;
  }
  /** What a batch's fast writes did to one month of a device. */
  interface MonthDelta {
    monthDay: number; companyId: string; seconds: number;
    /** New rows with seconds (days that became active), and the latest of them. */
    activated: number; latest: number;
    /** Whether a row was inserted (with seconds or not). */
    inserted: boolean;
    /** The latest day bumped (-1: none) and the seconds bumped onto it. */
    bumpedDay: number; bumpedSeconds: number;
  }
  const newBatchCtx = (): BatchCtx => ({ finalized: new Map(), finalizedByDay: new Map(), devices: new Map(), streams: new Map(), written: [], monthDayOf: new Map() });
  const applyDeltas = (ctx: BatchCtx): void => {
    for (const dev of ctx.devices.values()) {
      const { deviceId } = dev;
      for (const d of dev.months) {
        if (!d.inserted) {
          // Seconds added to days already active: nothing else of the summary moves. None: nothing to do.
          if (d.seconds > 0 && stmt.summaryAdd.run(d.seconds, d.bumpedDay, d.bumpedSeconds, d.monthDay, deviceId).changes === 0) ctx.written.push([deviceId, d.monthDay]);
          continue;
        }
        stmt.summaryDelta.run(d.monthDay, deviceId, d.companyId, d.activated, d.seconds, deviceId, d.activated > 0 ? d.latest : null, d.bumpedDay, d.bumpedSeconds);
      }
    }
  };

  // Dedupe marks per (device, stream): see stream-marks.ts.
  interface SqliteStreamMarks extends StreamMarks { deviceId: string; stream: string }
  const marksOf = (ctx: BatchCtx, deviceId: string, stream: string): SqliteStreamMarks => {
    const key = `${deviceId}\n${stream}`;
    let m = ctx.streams.get(key);
    if (!m) {
      const row = stmt.streamMarks.get(deviceId, stream) as { floor: number; stored_below: number; receipts_upto: number } | undefined;
      m = { deviceId, stream, ...streamMarks(row && { floor: row.floor, storedBelow: row.stored_below, receiptsUpTo: row.receipts_upto }) };
      ctx.streams.set(key, m);
    }
    return m;
  };
  /** Claims a seq for storing: false when it is already stored or settled (a duplicate). */
  const claim = (m: SqliteStreamMarks, seq: number): boolean => {
    const c = claimSeq(m, seq);
    return c === 'run' || (c === 'receipt' && stmt.insertReceipt.run(m.deviceId, m.stream, seq).changes === 1);
  };
  /** The end of a batch: the summaries of the months it wrote (one statement pair for the batch), then its dedupe marks. */
  const saveStreams = (ctx: BatchCtx): void => {
    applyDeltas(ctx);
    if (ctx.written.length) {
      stmt.recomputeSummaries.run(JSON.stringify(monthPairs(ctx.written)));
    }
    for (const m of ctx.streams.values()) {
      if (!m.dirty) continue;
      stmt.saveStreamMarks.run(m.deviceId, m.stream, m.floor, m.storedBelow, m.receiptsUpTo);
      if (m.forget) stmt.forgetReceipts.run(m.deviceId, m.stream, m.storedBelow);
    }
  };

  /** The fast writes of a day (bumpDay, insertDay): whether they wrote. */
  const bumpDay = (deviceId: string, utcDay: number, companyId: string, seconds: number, nowMs: number, a: DeviceAttrRow): boolean =>
    stmt.bumpDay.run(seconds, nowMs, deviceId, utcDay, seconds, a.modules, companyId, a.virtual, a.role, a.platform, a.im_tier, a.user_id, a.ownership).changes === 1;
  const insertDay = (deviceId: string, utcDay: number, companyId: string, seconds: number, nowMs: number, a: DeviceAttrRow): boolean =>
    stmt.insertDay.run(deviceId, utcDay, companyId, seconds, nowMs, nowMs, a.virtual, a.role, a.platform, a.modules, a.im_tier, a.user_id, a.ownership).changes === 1;

  /** One frame's records; runs inside the caller's transaction. */
  const ingestUnit = (deviceId: string, companyId: string, records: UsageRecordInput[], floors: StreamFloorInput[], nowMs: number, late: LateDataPolicy,
    ctx: BatchCtx): UsageIngestResult => {
    let dev = ctx.devices.get(deviceId);
    if (!dev) {
      let knownFrom = Infinity;
      let knownTo = -Infinity;
      for (let i = 0; i < records.length; i++) {
        const day = records[i].utcDay;
        if (day < knownFrom) knownFrom = day;
        if (day > knownTo) knownTo = day;
      }
      const stream = records[0]?.stream ?? floors[0]?.stream ?? null;
      const row = (records.length ? stmt.deviceAttrs.get(knownFrom, knownTo, stream, deviceId) : stmt.deviceAttrs.get(null, null, stream, deviceId)) as DeviceReadRow | undefined;
      if (!row) throw new StorageError('not_found', `device ${deviceId} is not enrolled`);
      const [virtual, role, platform, modules, im_tier, ownership, user_id, last_seen_at, storedDays, floor, storedBelow, receiptsUpTo] = row;
      if (last_seen_at === null || nowMs - last_seen_at >= LAST_SEEN_RESOLUTION_MS) stmt.touch.run(nowMs, deviceId);
      const days = storedDays === null ? [] : storedDays.split(',').map(Number);
      const attrs: DeviceAttrRow = { virtual, role, platform, modules, im_tier, ownership, user_id, last_seen_at };
      if (stream !== null) {
        // The device's first frame in the batch: its marks are not in the batch's yet.
        ctx.streams.set(`${deviceId}\n${stream}`, { deviceId, stream,
          ...streamMarks(floor === null ? undefined : { floor, storedBelow: storedBelow!, receiptsUpTo: receiptsUpTo! }) });
      }
      dev = { deviceId, attrs, currentModules: null, days, knownFrom, knownTo, months: [] };
      ctx.devices.set(deviceId, dev);
    }
    const { attrs } = dev;
    /** The finalized month a day falls in, or null (cached per day for the batch). */
    const finalizedMonthOf = (utcDay: number): string | null => {
      let m = ctx.finalizedByDay.get(utcDay);
      if (m === undefined) {
        const month = monthOfDay(utcDay).id;
        let f = ctx.finalized.get(month);
        if (f === undefined) ctx.finalized.set(month, (f = stmt.isFinalized.get(month) !== undefined));
        ctx.finalizedByDay.set(utcDay, (m = f ? month : null));
      }
      return m;
    };
    let clampedSeconds = 0;
    let adjustedRecords = 0;
    let unbilledRecords = 0;
    // Records of one frame that land on the same day are folded first: one
    // upsert per device-day, not per record (an agent back from an outage
    // sends hundreds of records for a handful of days).
    const secondsByDay = new Map<number, number>();
    // A frame's floors apply after its records; those that make no difference, before (see splitFloors).
    const { before, after } = splitFloors(records, floors);
    for (const f of before) raiseFloor(marksOf(ctx, deviceId, f.stream), f.oldestUnackedSeq);
    let marks: SqliteStreamMarks | null = null;
    const outcomes: RecordOutcome[] = records.map((r) => {
      if (marks?.stream !== r.stream) marks = marksOf(ctx, deviceId, r.stream);
      // Below the floor (the agent saw it acknowledged: settled), or stored before.
      if (!claim(marks, r.seq)) return 'duplicate';
      const month = finalizedMonthOf(r.utcDay);
      if (month !== null) {
        if (r.utcDay < late.adjustableFromDay) {
          // Too late to bill: kept for the record, counted, never billed.
          stmt.insertUnbilled.run(deviceId, r.stream, r.seq, r.utcDay, r.awakeSeconds, nowMs);
          unbilledRecords++;
          return 'stored';
        }
        stmt.markLate.run(month, nowMs);
        adjustedRecords++;
      }
      secondsByDay.set(r.utcDay, (secondsByDay.get(r.utcDay) ?? 0) + r.awakeSeconds);
      return 'stored';
    });
    for (const [utcDay, awakeSeconds] of [...secondsByDay].sort((a, b) => a[0] - b[0])) {
      // Fast path, one statement (bumpDay or insertDay, see there): the one the stored day calls for (both in
      // turn for a day before those read with the attributes; a stored day without awake time takes neither).
      // Anything else changes no row here and takes the careful read + merge below.
      let wrote: 'bumped' | 'inserted' | null = null;
      // What the read said of the day: 1 stored with awake time, 0 stored without, -1 not stored; null: not read.
      const stored = utcDay < dev.knownFrom || utcDay > dev.knownTo ? null : dev.days.includes(utcDay) ? 1 : dev.days.includes(-1 - utcDay) ? 0 : -1;
      if (awakeSeconds <= SECONDS_PER_DAY && stored !== 0) {
        if (stored === -1) wrote = insertDay(deviceId, utcDay, companyId, awakeSeconds, nowMs, attrs) ? 'inserted' : bumpDay(deviceId, utcDay, companyId, awakeSeconds, nowMs, attrs) ? 'bumped' : null;
        else wrote = bumpDay(deviceId, utcDay, companyId, awakeSeconds, nowMs, attrs) ? 'bumped' : insertDay(deviceId, utcDay, companyId, awakeSeconds, nowMs, attrs) ? 'inserted' : null;
      }
      if (wrote !== null) {
        let monthDay = ctx.monthDayOf.get(utcDay);
        if (monthDay === undefined) ctx.monthDayOf.set(utcDay, (monthDay = monthOfDay(utcDay).firstDay));
        let delta: MonthDelta | undefined;
        for (let i = 0; i < dev.months.length; i++) if (dev.months[i].monthDay === monthDay) delta = dev.months[i];
        // The device's frames of a batch share one company (its company now) and attributes (read once): one delta per month.
        if (!delta) dev.months.push((delta = { monthDay, companyId, seconds: 0, activated: 0, latest: -1, inserted: false, bumpedDay: -1, bumpedSeconds: 0 }));
        if (delta.companyId !== companyId) ctx.written.push([deviceId, utcDay]);
        delta.seconds += awakeSeconds;
        if (wrote === 'inserted') {
          delta.inserted = true;
          dev.days.push(awakeSeconds > 0 ? utcDay : -1 - utcDay);
          if (awakeSeconds > 0) {
            // The day just became active.
            delta.activated++;
            if (utcDay > delta.latest) delta.latest = utcDay;
          }
        } else if (utcDay > delta.bumpedDay) {
          delta.bumpedDay = utcDay;
          delta.bumpedSeconds = awakeSeconds;
        } else if (utcDay === delta.bumpedDay) {
          delta.bumpedSeconds += awakeSeconds;
        }
        continue;
      }
      ctx.written.push([deviceId, utcDay]);
      const day = stmt.dayOf.get(deviceId, utcDay) as { awake_seconds: number; modules: string } | undefined;
      const room = Math.max(0, SECONDS_PER_DAY - (day?.awake_seconds ?? 0));
      const seconds = Math.min(room, awakeSeconds);
      clampedSeconds += awakeSeconds - seconds;
      // Modules present that day: everything any report of the day saw installed
      // (both sides are sorted JSON, so equal text needs no merge).
      let modules = attrs.modules;
      if (day && day.modules !== attrs.modules) {
        dev.currentModules ??= parseJsonArray(attrs.modules);
        modules = JSON.stringify([...new Set([...parseJsonArray(day.modules), ...dev.currentModules])].sort());
      }
      stmt.upsertDay.run(deviceId, utcDay, companyId, seconds, nowMs, nowMs,
        attrs.virtual, attrs.role, attrs.platform, modules, attrs.im_tier, attrs.user_id, attrs.ownership);
      const zero = day && day.awake_seconds === 0 && seconds > 0 ? dev.days.indexOf(-1 - utcDay) : -1;
      if (zero >= 0) dev.days[zero] = utcDay;
      else if (!day || (day.awake_seconds === 0 && seconds > 0)) dev.days.push(seconds > 0 ? utcDay : -1 - utcDay);
    }
    for (const f of after) raiseFloor(marksOf(ctx, deviceId, f.stream), f.oldestUnackedSeq);
    return { outcomes, clampedSeconds, adjustedRecords, unbilledRecords };
  };

  const ingestTx = db.transaction((deviceId: string, companyId: string, records: UsageRecordInput[], floors: StreamFloorInput[], nowMs: number,
    late: LateDataPolicy) => {
    const ctx = newBatchCtx();
    const result = ingestUnit(deviceId, companyId, records, floors, nowMs, late, ctx);
    saveStreams(ctx);
    return result;
  });

  // A single commit (one fsync) for the whole batch. The frames run directly
  // inside it, not as savepoints (a SAVEPOINT/RELEASE pair per frame was ~13 %
  // of ingest CPU): a failing frame rolls the whole batch back either way, and
  // the batcher then rejects every frame of it.
  //
  // The frames run in device id order (a stable sort: one device's frames keep
  // their order), not in arrival order. Devices share no rows (receipts, floors
  // and device-days are keyed by device; the late-data mark keeps the latest
  // instant whatever the order), so every frame's result is the same, but the
  // B-trees keyed by device (device_days, receipts, stream_floors, devices'
  // key index) are then walked front to back instead of at random: each page
  // is visited once per batch while it is in the page cache, not once per
  // frame.
  const batchTx = db.transaction((units: UsageUnit[], nowMs: number, late: LateDataPolicy): UsageIngestResult[] => {
    const ctx = newBatchCtx();
    const order = units.map((_, i) => i)
      .sort((a, b) => (units[a].deviceId < units[b].deviceId ? -1 : units[a].deviceId > units[b].deviceId ? 1 : a - b));
    const results = new Array<UsageIngestResult>(units.length);
    for (const i of order) {
      const u = units[i];
      results[i] = ingestUnit(u.deviceId, u.companyId, u.records, u.floors, nowMs, late, ctx);
    }
    saveStreams(ctx);
    return results;
  });

  /**
   * A hello's writes (recordHello, recordHellos): the device row once, then
   * what changed of its facts, hostname and identity evidence. False for an
   * unknown device (deleted since its upgrade): nothing written.
   */
  const applyHello = (u: HelloWrite): boolean => {
    if (stmt.hello.run({
      deviceId: u.deviceId, instanceId: u.instanceId, agentVersion: u.agentVersion, nowMs: u.nowMs,
      firstRunAtMs: u.firstRunAtMs ?? null, hardware: u.hardware ?? null,
    }).changes === 0) return false;
    const f = u.facts;
    if (f) {
      const a = f.attributes;
      let reportedUserId: string | null = null;
      if (a.users.length || a.primaryUser) {
        const companyId = (stmt.deviceCompany.get(u.deviceId) as { company_id: string }).company_id; // the hello above found the device
        for (const externalId of a.users) stmt.upsertUser.run(randomUUID(), companyId, externalId, u.nowMs, u.nowMs);
        if (a.primaryUser) reportedUserId = (stmt.userByExternal.get(companyId, a.primaryUser) as { id: string } | undefined)?.id ?? null;
      }
      stmt.helloFacts.run({
        deviceId: u.deviceId, factsJson: JSON.stringify(f.facts), virtual: a.virtual === null ? null : a.virtual ? 1 : 0, role: a.role,
        platform: a.platform, modules: JSON.stringify(a.modules), imTier: a.imTier, ownership: a.ownership, reportedUserId,
      });
    }
    // The facts' hostname over the hello's (the hello's is "unknown" when the agent sent none).
    stmt.rename.run({ deviceId: u.deviceId, hostname: f?.hostname ?? u.hostname });
    if (u.evidence) {
      const rows = evidenceToWrite(stmt.evidenceOf.all(u.deviceId) as EvidenceRow[], u.evidence.treeRoot, u.evidence);
      if (rows !== null) {
        stmt.deleteEvidence.run(u.deviceId);
        for (const r of rows) stmt.insertEvidence.run(r.tree_root, r.id_key, u.deviceId, r.strength);
      }
    }
    return true;
  };

  const helloTx = db.transaction((input: HelloInput) => {
    applyHello(input);
  });

  const hellosTx = db.transaction((units: HelloWrite[]) => {
    // In device id order, as the PostgreSQL store locks them.
    const ordered = units.length > 1 ? [...units].sort((a, b) => (a.deviceId < b.deviceId ? -1 : a.deviceId > b.deviceId ? 1 : 0)) : units;
    for (const u of ordered) applyHello(u);
  });

  const enrolTx = db.transaction((input: EnrolDeviceInput) => {
    stmt.insertDevice.run({ ...input, factsJson: null, tokenId: input.tokenId ?? null, firstRunAtMs: input.firstRunAtMs ?? null });
    if (input.facts) applyFacts(input.deviceId, input.facts, input.nowMs);
  });

  const inventoryTx = db.transaction((deviceId: string, stream: string, seq: number, facts: ReportedFacts, nowMs: number): RecordOutcome => {
    // The same dedupe marks as usage records.
    const ctx = newBatchCtx();
    if (!claim(marksOf(ctx, deviceId, stream), seq)) return 'duplicate';
    applyFacts(deviceId, facts, nowMs);
    saveStreams(ctx);
    return 'stored';
  });

  const eventsTx = db.transaction((deviceId: string, events: DeviceEventInput[], nowMs: number): RecordOutcome[] => {
    const outcomes = events.map((e): RecordOutcome => {
      const inserted = stmt.insertEvent.run(deviceId, e.stream, e.seq, e.occurredAtMs, e.kind, JSON.stringify(e.payload ?? {}), nowMs).changes === 1;
      if (inserted && e.kind === 'uninstalled') stmt.markUninstalled.run(e.occurredAtMs, deviceId);
      return inserted ? 'stored' : 'duplicate';
    });
    stmt.touch.run(nowMs, deviceId);
    return outcomes;
  });

  type KeyRow = { id: string; company_id: string; inactive_since: number | null; retired_at: number | null };
  /** Adds each company and every company on its path to `into` (SQLite reads are in-process: one prepared read each). */
  const companiesInto = (into: Map<string, Company>, companyIds: Iterable<string>): Map<string, Company> => {
    for (const id of companyIds) {
      if (into.has(id)) continue;
      const r = stmt.companyById.get(id) as CompanyRow | undefined;
      if (!r) continue;
      const company = toCompany(r);
      into.set(id, company);
      for (const above of company.path) {
        if (into.has(above)) continue;
        const a = stmt.companyById.get(above) as CompanyRow | undefined;
        if (a) into.set(above, toCompany(a));
      }
    }
    return into;
  };

  const enrolment: EnrolmentStore = {
    findEnrolmentToken: guard((tokenHash: string): EnrolmentToken | null => {
      const r = stmt.tokenByHash.get(tokenHash) as { id: string; company_id: string; expires_at: number | null; revoked_at: number | null; max_enrolments: number | null; enrolments: number } | undefined;
      return r ? { id: r.id, companyId: r.company_id, expiresAtMs: r.expires_at, revokedAtMs: r.revoked_at, maxEnrolments: r.max_enrolments, enrolments: r.enrolments } : null;
    }),
    findCompany: guard((companyId: string): Company | null => {
      const r = stmt.companyById.get(companyId) as CompanyRow | undefined;
      return r ? toCompany(r) : null;
    }),
    enrolDevice: guard((input: EnrolDeviceInput): void => enrolTx(input)),
    findDeviceByKeyHash: guard((keyHash: string): DeviceAuth | null => {
      const r = stmt.deviceByKey.get(keyHash) as KeyRow | undefined;
      return r ? { deviceId: r.id, companyId: r.company_id, companyActive: r.inactive_since === null, retiredAtMs: r.retired_at } : null;
    }),
    companiesWithPaths: guard((companyIds: readonly string[]) => companiesInto(new Map(), companyIds)),
    devicesByKeyHashes: guard((keyHashes: readonly string[]) => {
      const devices = new Map<string, DeviceAuth>();
      const companies = new Map<string, Company>();
      for (const keyHash of keyHashes) {
        const r = stmt.deviceByKey.get(keyHash) as KeyRow | undefined;
        if (!r) continue;
        devices.set(keyHash, { deviceId: r.id, companyId: r.company_id, companyActive: r.inactive_since === null, retiredAtMs: r.retired_at });
        companiesInto(companies, [r.company_id]);
      }
      return { devices, companies };
    }),
  };

  const ingest: IngestStore = {
    ingestUsage: guard((deviceId: string, companyId: string, records: UsageRecordInput[], floors: StreamFloorInput[], nowMs: number, late: LateDataPolicy) =>
      ingestTx(deviceId, companyId, records, floors, nowMs, late)),
    ingestUsageBatch: guard((units: UsageUnit[], nowMs: number, late: LateDataPolicy) => batchTx(units, nowMs, late)),
    recordHello: guard((input: HelloInput): void => helloTx(input)),
    // Committed without its own fsync (synchronous=NORMAL for this one transaction): it is
    // in the WAL, and the next FULL commit (a usage group commit, anything) flushes it with
    // its own. See IngestStore.recordHellos for why that is enough for a hello.
    recordHellos: guard((units: HelloWrite[]): void => {
      db.pragma('synchronous = NORMAL');
      try {
        hellosTx(units);
      } finally {
        db.pragma('synchronous = FULL');
      }
    }),
    deviceHardware: guard((deviceId: string) => {
      const r = stmt.hardware.get(deviceId) as { hw_fingerprint: string | null; last_seen_at: number | null } | undefined;
      return r ? { fingerprint: r.hw_fingerprint, lastSeenAtMs: r.last_seen_at } : null;
    }),
    deviceAtHello: guard((deviceId: string) => {
      const r = stmt.atHello.get(deviceId) as AtHelloRow | undefined;
      return r ? atHello(r) : null;
    }),
    helloReads: guard((companyIds: readonly string[], deviceIds: readonly string[]) => {
      const devices = new Map<string, DeviceAtHello>();
      for (const id of deviceIds) {
        const r = stmt.atHello.get(id) as AtHelloRow | undefined;
        if (r) devices.set(id, atHello(r));
      }
      return { companies: companiesInto(new Map(), companyIds), devices };
    }),
    setDeviceHardware: guard((deviceId: string, fingerprint: string): void => {
      stmt.setHardware.run(fingerprint, deviceId);
    }),
    flagClone: guard((deviceId: string, nowMs: number): void => {
      stmt.flagClone.run(nowMs, deviceId);
    }),
    recordInventory: guard((deviceId: string, stream: string, seq: number, facts: ReportedFacts, nowMs: number) =>
      inventoryTx(deviceId, stream, seq, facts, nowMs)),
    recordEvents: guard((deviceId: string, events: DeviceEventInput[], nowMs: number) => eventsTx(deviceId, events, nowMs)),
  };

  return { enrolment, ingest };
}
