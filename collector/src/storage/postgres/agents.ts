// The agent-facing stores: enrolment, device authentication, and ingest.
// Every write of a device first locks that device's row (SELECT ... FOR
// UPDATE): two collectors ingesting for the same device (an agent that
// reconnected through the load balancer while its old socket still drains)
// then run one after the other, exactly as they would on SQLite. The SQL is
// also safe on its own: receipts dedupe with ON CONFLICT DO NOTHING, the
// device-day upsert adds and clamps to 86,400 s in one statement, floors only
// rise (GREATEST).
//
// Usage ingest is set-based: a group commit of any size is a fixed handful of
// statements over arrays (unnest), not round trips per frame or per record.
import type pg from 'pg';
import { monthPairs, recomputeStatement } from '../sql/summaries.ts';
import { randomUUID } from 'node:crypto';
import { monthOfDay } from '../../billing/index.ts';
import type { ReportedFacts } from '../../devices/attributes.ts';
import { atHello, toCompany, type AtHelloRow, type CompanyRow } from '../rows.ts';
import type {
  Company, DeviceAtHello, DeviceAuth, DeviceEventInput, EnrolDeviceInput, EnrolmentStore, EnrolmentToken, HelloInput, HelloWrite, IngestStore,
  LateDataPolicy, RecordOutcome, UsageIngestResult, UsageUnit,
} from '../types.ts';
import { LAST_SEEN_RESOLUTION_MS, StorageError } from '../types.ts';
import { claimSeq, raiseFloor, splitFloors, streamMarks, type StreamMarks } from '../stream-marks.ts';
import { guard, inTransaction, pgText, type Queryable } from './db.ts';
import { evidenceToWrite, type EvidenceRow } from '../evidence.ts';

/** A device cannot be awake longer than the day is long. */
const SECONDS_PER_DAY = 86_400;

interface DeviceAttrRow {
  virtual: boolean | null; role: string | null; platform: string | null; modules: string[]; im_tier: string | null;
  ownership: string | null; user_id: string | null;
}

/** Locks the device row for the rest of the transaction and returns what each device-day copies. */
async function lockDevice(q: Queryable, deviceId: string): Promise<DeviceAttrRow> {
  const r = await q.query<DeviceAttrRow>(`SELECT virtual, role, platform, modules, im_tier, ownership,
      CASE WHEN user_assigned THEN assigned_user_id ELSE reported_user_id END AS user_id
    FROM devices WHERE id = $1 FOR UPDATE`, [deviceId]);
  if (r.rowCount === 0) throw new StorageError('not_found', `device ${deviceId} does not exist`);
  return r.rows[0];
}

/** Copies what the facts say into the device row, creating the users the agent saw. */
async function applyFacts(q: Queryable, deviceId: string, { facts, attributes: attrs, hostname: reportedHostname }: ReportedFacts, nowMs: number,
  knownCompanyId?: string): Promise<void> {
  let companyId = knownCompanyId;
  if (companyId === undefined) {
    const device = await q.query<{ company_id: string }>('SELECT company_id FROM devices WHERE id = $1', [deviceId]);
    if (device.rowCount === 0) return;
    companyId = device.rows[0].company_id;
  }
  // Sorted, so two devices of one company upserting the same users lock them in the same order (no deadlock).
  const users = [...new Set(attrs.users.map((u) => pgText(u)))].sort();
  for (const externalId of users) {
    await q.query(`INSERT INTO users (id, company_id, external_id, created_at, last_active_at) VALUES ($1, $2, $3, $4, $4)
      ON CONFLICT (company_id, external_id) DO UPDATE SET last_active_at = GREATEST(COALESCE(users.last_active_at, 0), EXCLUDED.last_active_at)`,
    [randomUUID(), companyId, externalId, nowMs]);
  }
  let reportedUserId: string | null = null;
  if (attrs.primaryUser) {
    const u = await q.query<{ id: string }>('SELECT id FROM users WHERE company_id = $1 AND external_id = $2', [companyId, pgText(attrs.primaryUser)]);
    reportedUserId = u.rows[0]?.id ?? null;
  }
  const hostname = pgText(reportedHostname);
  await q.query(`UPDATE devices SET facts_json = $2, hostname = COALESCE($3, hostname), virtual = $4, role = $5, platform = $6,
      modules = $7, im_tier = $8, ownership = $9, reported_user_id = $10, last_seen_at = GREATEST(COALESCE(last_seen_at, 0), $11)
    WHERE id = $1`,
  [deviceId, JSON.stringify(facts), hostname, attrs.virtual, attrs.role, attrs.platform, attrs.modules, attrs.imTier, attrs.ownership, reportedUserId, nowMs]);
}

/** The dedupe marks of the given devices' streams (of one stream, when given), as committed: read under the devices' locks. */
async function readMarks(q: Queryable, deviceIds: string[], stream?: string): Promise<{ deviceId: string; stream: string; marks: StreamMarks }[]> {
  const r = await q.query<{ device_id: string; stream: string; floor: number; stored_below: number; receipts_upto: number }>(
    `SELECT device_id, stream, floor, stored_below, receipts_upto FROM stream_floors WHERE device_id = ANY($1::text[])${stream === undefined ? '' : ' AND stream = $2'}`,
    stream === undefined ? [deviceIds] : [deviceIds, stream]);
  return r.rows.map((x) => ({ deviceId: x.device_id, stream: x.stream, marks: streamMarks({ floor: x.floor, storedBelow: x.stored_below, receiptsUpTo: x.receipts_upto }) }));
}

/** Saves the marks that changed, and deletes the receipts a raised floor settled. */
async function saveMarks(q: Queryable, changed: { deviceId: string; stream: string; marks: StreamMarks }[]): Promise<void> {
  const dirty = changed.filter((c) => c.marks.dirty);
  if (dirty.length === 0) return;
  await q.query(`INSERT INTO stream_floors (device_id, stream, floor, stored_below, receipts_upto)
      SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[], $4::bigint[], $5::bigint[])
    ON CONFLICT (device_id, stream) DO UPDATE SET floor = GREATEST(stream_floors.floor, EXCLUDED.floor),
      stored_below = GREATEST(stream_floors.stored_below, EXCLUDED.stored_below),
      receipts_upto = GREATEST(stream_floors.receipts_upto, EXCLUDED.receipts_upto)`,
  [dirty.map((c) => c.deviceId), dirty.map((c) => c.stream), dirty.map((c) => c.marks.floor), dirty.map((c) => c.marks.storedBelow),
    dirty.map((c) => c.marks.receiptsUpTo)]);
  const forget = dirty.filter((c) => c.marks.forget);
  if (forget.length > 0) {
    await q.query(`DELETE FROM receipts r USING unnest($1::text[], $2::text[], $3::bigint[]) AS f(device_id, stream, below)
      WHERE r.device_id = f.device_id AND r.stream = f.stream AND r.seq < f.below`,
    [forget.map((c) => c.deviceId), forget.map((c) => c.stream), forget.map((c) => c.marks.storedBelow)]);
  }
}

/** One (device, UTC day) the batch adds seconds to, and how each frame contributes, in frame order. */
interface DayFold {
  utcDay: number; companyId: string; total: number;
  /** [index of the unit, seconds it adds], in unit order; one entry per unit. */
  parts: [number, number][];
}

/** A stream of one device during the batch. */
interface StreamState {
  /** As committed, then moved by the frames of the batch in order. */
  marks: StreamMarks;
  /** Sequences sent to the receipt insert by earlier records of the batch. */
  seen: Set<number>;
}

interface DeviceState { streams: Map<string, StreamState>; days: Map<number, DayFold> }

/** candOf entries that are not candidate indexes. */
const DUPLICATE = -1;
const STORED_IN_RUN = -2;

const streamState = (dev: DeviceState, stream: string): StreamState => {
  let st = dev.streams.get(stream);
  if (!st) dev.streams.set(stream, (st = { marks: streamMarks(), seen: new Set() }));
  return st;
};

/**
 * The whole group commit, set-based: a fixed number of statements whatever
 * the batch size. Same effect, outcome for outcome, as running the units one
 * after the other (as the SQLite store does): a unit sees the floors raised
 * and the receipts claimed by the units before it, and the seconds they added
 * to a device-day, so `clampedSeconds` goes to the frame that crossed 86,400 s.
 */
async function ingestBatch(q: Queryable, units: UsageUnit[], nowMs: number, late: LateDataPolicy): Promise<UsageIngestResult[]> {
  if (units.length === 0) return [];
  const devs = new Map<string, DeviceState>();
  for (const u of units) if (!devs.has(u.deviceId)) devs.set(u.deviceId, { streams: new Map(), days: new Map() });
  const ids = [...devs.keys()];
  // Lock every device of the batch first, in id order: two collectors
  // committing overlapping groups then queue instead of deadlocking. A device
  // missing from the table fails the whole group. Then last_seen_at moves
  // where it is a minute old (LAST_SEEN_RESOLUTION_MS, as on SQLite): only
  // those rows get a new version.
  const locked = await q.query('SELECT id FROM devices WHERE id = ANY($1::text[]) ORDER BY id FOR UPDATE', [ids]);
  if (locked.rowCount !== ids.length) {
    throw new StorageError('not_found', ids.length === 1 ? `device ${ids[0]} does not exist` : 'a device of this batch does not exist');
  }
  await q.query('UPDATE devices SET last_seen_at = $2 WHERE id = ANY($1::text[]) AND (last_seen_at IS NULL OR $2 - last_seen_at >= $3)',
    [ids, nowMs, LAST_SEEN_RESOLUTION_MS]);

  // Dedupe marks as committed; moved below frame by frame, so a later unit of
  // the same device sees the floors and the stored run of the earlier ones.
  for (const r of await readMarks(q, ids)) streamState(devs.get(r.deviceId)!, r.stream).marks = r.marks;

  // Which records are new: the next seqs of their stream's stored run are
  // (no receipt needed); others may be, when they are the first occurrence of
  // their (device, stream, seq) in the batch and their receipt is new (a
  // repeat inside a frame or in a later frame of the batch is a duplicate, as
  // across batches).
  const candDevice: string[] = [];
  const candStream: string[] = [];
  const candSeq: number[] = [];
  const candDay: number[] = [];
  /** Per unit, per record: its index among the candidates, STORED_IN_RUN, or DUPLICATE. */
  const candOf: number[][] = [];
  /** The days of the records stored in their stream's run (the candidates' days are in candDay). */
  const runDays = new Set<number>();
  for (const u of units) {
    const dev = devs.get(u.deviceId)!;
    const cands = new Array<number>(u.records.length);
    // A frame's floors apply after its records; those that make no difference, before (see splitFloors).
    const { before, after } = splitFloors(u.records, u.floors);
    for (const f of before) raiseFloor(streamState(dev, pgText(f.stream)).marks, f.oldestUnackedSeq);
    let lastStream: string | undefined;
    let st: StreamState | undefined;
    for (let k = 0; k < u.records.length; k++) {
      const r = u.records[k];
      if (st === undefined || r.stream !== lastStream) st = streamState(dev, pgText((lastStream = r.stream)));
      const claim = claimSeq(st.marks, r.seq);
      if (claim !== 'receipt' || st.seen.has(r.seq)) {
        cands[k] = claim === 'run' ? STORED_IN_RUN : DUPLICATE;
        if (claim === 'run') runDays.add(r.utcDay);
        continue;
      }
      st.seen.add(r.seq);
      cands[k] = candSeq.length;
      candDevice.push(u.deviceId);
      candStream.push(pgText(r.stream));
      candSeq.push(r.seq);
      candDay.push(r.utcDay);
    }
    candOf.push(cands);
    for (const f of after) raiseFloor(streamState(dev, pgText(f.stream)).marks, f.oldestUnackedSeq);
  }

  // Every receipt of the batch in one statement. What comes back is the
  // position of each candidate whose receipt was there already (usually
  // none): a resend, or the other collector stored it first.
  const duplicate = new Uint8Array(candSeq.length);
  if (candSeq.length > 0) {
    const r = await q.query<{ i: number }>(`WITH t AS (
        SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[]) WITH ORDINALITY AS t(d, s, n, i)
      ), ins AS (
        INSERT INTO receipts (device_id, stream, seq) SELECT d, s, n FROM t ON CONFLICT DO NOTHING RETURNING device_id, stream, seq
      )
      SELECT t.i FROM t LEFT JOIN ins ON ins.device_id = t.d AND ins.stream = t.s AND ins.seq = t.n WHERE ins.device_id IS NULL`,
    [candDevice, candStream, candSeq]);
    for (const { i } of r.rows) duplicate[i - 1] = 1;
  }

  // Finalized months among the stored records, once for the batch.
  const monthOf = new Map<number, string>();
  const month = (utcDay: number) => {
    let m = monthOf.get(utcDay);
    if (m === undefined) monthOf.set(utcDay, (m = monthOfDay(utcDay).id));
    return m;
  };
  const storedMonths = new Set<string>();
  for (let c = 0; c < candDay.length; c++) if (!duplicate[c]) storedMonths.add(month(candDay[c]));
  for (const d of runDays) storedMonths.add(month(d));
  const finalized = storedMonths.size === 0 ? new Set<string>() : new Set((await q.query<{ month: string }>(
    'SELECT month FROM finalized_months WHERE month = ANY($1::text[])', [[...storedMonths]])).rows.map((r) => r.month));

  const results: UsageIngestResult[] = [];
  const lateMonths = new Set<string>();
  const unbilled = { device: [] as string[], stream: [] as string[], seq: [] as number[], day: [] as number[], seconds: [] as number[] };
  let dayCount = 0;
  units.forEach((u, i) => {
    const dev = devs.get(u.deviceId)!;
    const cands = candOf[i];
    let adjustedRecords = 0;
    let unbilledRecords = 0;
    const outcomes = u.records.map((r, k): RecordOutcome => {
      const c = cands[k];
      if (c === DUPLICATE || (c >= 0 && duplicate[c])) return 'duplicate';
      if (finalized.size > 0) {
        const m = month(r.utcDay);
        if (finalized.has(m)) {
          if (r.utcDay < late.adjustableFromDay) {
            // Too late to bill: kept for the record, counted, never billed.
            unbilled.device.push(u.deviceId); unbilled.stream.push(pgText(r.stream)); unbilled.seq.push(r.seq);
            unbilled.day.push(r.utcDay); unbilled.seconds.push(r.awakeSeconds);
            unbilledRecords++;
            return 'stored';
          }
          lateMonths.add(m);
          adjustedRecords++;
        }
      }
      let d = dev.days.get(r.utcDay);
      if (!d) {
        dev.days.set(r.utcDay, (d = { utcDay: r.utcDay, companyId: u.companyId, total: 0, parts: [] }));
        dayCount++;
      }
      // The last frame's company is the row's company, as with one upsert per frame.
      d.companyId = u.companyId;
      d.total += r.awakeSeconds;
      const last = d.parts[d.parts.length - 1];
      if (last && last[0] === i) last[1] += r.awakeSeconds;
      else d.parts.push([i, r.awakeSeconds]);
      return 'stored';
    });
    results.push({ outcomes, clampedSeconds: 0, adjustedRecords, unbilledRecords });
  });

  if (unbilled.seq.length > 0) {
    await q.query(`INSERT INTO unbilled_late_usage (device_id, stream, seq, utc_day, awake_seconds, received_at)
      SELECT d, s, n, day, secs, $6 FROM unnest($1::text[], $2::text[], $3::bigint[], $4::integer[], $5::integer[]) AS t(d, s, n, day, secs)
      ON CONFLICT DO NOTHING`, [unbilled.device, unbilled.stream, unbilled.seq, unbilled.day, unbilled.seconds, nowMs]);
  }
  if (lateMonths.size > 0) {
    // `since` holds the LATEST late arrival, so a recomputation knows whether it saw everything.
    // Sorted: two collectors marking the same months lock their rows in the same order.
    await q.query(`INSERT INTO months_with_late_data (month, since) SELECT m, $2 FROM unnest($1::text[]) AS t(m) ORDER BY m COLLATE "C"
      ON CONFLICT (month) DO UPDATE SET since = GREATEST(months_with_late_data.since, excluded.since)`, [[...lateMonths].sort(), nowMs]);
  }

  if (dayCount > 0) {
    // One upsert for every device-day of the batch: add and clamp to a day's
    // length against the row as committed, the device's current attributes
    // copied on, modules the union of everything reported that day. `before`
    // is read in the same statement's snapshot, under the device locks: no
    // other transaction can change these rows in between.
    const dDevice: string[] = [];
    const dDay: number[] = [];
    const dCompany: string[] = [];
    const dTotal: number[] = [];
    for (const [deviceId, dev] of devs) {
      for (const d of dev.days.values()) {
        dDevice.push(deviceId); dDay.push(d.utcDay); dCompany.push(d.companyId); dTotal.push(d.total);
      }
    }
    const args = [dDevice, dDay, dCompany, dTotal, nowMs, ids];
    const r = await q.query<{ device_id: string; utc_day: number; before: number | null; after: number }>(`WITH up AS (
        INSERT INTO device_days AS dd (device_id, utc_day, company_id, awake_seconds, first_at, last_at,
            virtual, role, platform, modules, im_tier, user_id, ownership)
        SELECT i.device_id, i.utc_day, i.company_id, LEAST(${SECONDS_PER_DAY}, i.secs), $5, $5, d.virtual, d.role, d.platform, d.modules, d.im_tier,
            d.user_id, d.ownership
          FROM unnest($1::text[], $2::integer[], $3::text[], $4::bigint[]) AS i(device_id, utc_day, company_id, secs)
          -- Each device of the batch read once, not once per device-day (~25 % less server CPU per batch in bench/ingest-store-pg.ts).
          JOIN (SELECT id, virtual, role, platform, modules, im_tier, ownership,
              CASE WHEN user_assigned THEN assigned_user_id ELSE reported_user_id END AS user_id
            FROM devices WHERE id = ANY($6::text[])) d ON d.id = i.device_id
        ON CONFLICT (device_id, utc_day) DO UPDATE SET
          awake_seconds = LEAST(${SECONDS_PER_DAY}, dd.awake_seconds + EXCLUDED.awake_seconds),
          company_id = EXCLUDED.company_id, last_at = EXCLUDED.last_at, virtual = EXCLUDED.virtual, role = EXCLUDED.role,
          platform = EXCLUDED.platform, im_tier = EXCLUDED.im_tier, user_id = EXCLUDED.user_id, ownership = EXCLUDED.ownership,
          modules = CASE WHEN dd.modules = EXCLUDED.modules THEN dd.modules
            ELSE ARRAY(SELECT DISTINCT m COLLATE "C" FROM unnest(dd.modules || EXCLUDED.modules) AS m ORDER BY 1) END
        RETURNING dd.device_id, dd.utc_day, dd.awake_seconds
      )
      -- Only the days that reached 86,400 s may have dropped seconds: their
      -- row as it was before (same snapshot, under the device locks), plus
      -- the number of rows written.
      SELECT device_id, utc_day, awake_seconds AS after, COALESCE((SELECT b.awake_seconds FROM device_days b
          WHERE b.device_id = up.device_id AND b.utc_day = up.utc_day), 0) AS before
        FROM up WHERE awake_seconds >= ${SECONDS_PER_DAY}
      UNION ALL SELECT NULL, NULL, count(*), NULL FROM up`, args);
    const written = r.rows.find((x) => x.device_id === null);
    if (written?.after !== dayCount) throw new StorageError('storage_unavailable', `device-day upsert wrote ${written?.after} rows, expected ${dayCount}`);
    for (const row of r.rows) {
      if (row === written) continue;
      const d = devs.get(row.device_id)?.days.get(row.utc_day);
      const before = row.before ?? -1;
      if (!d || before < 0 || row.after !== Math.min(SECONDS_PER_DAY, before + d.total)) {
        // Cannot happen under the device locks; refuse to acknowledge figures we cannot account for.
        throw new StorageError('storage_unavailable', `device-day ${row.device_id}/${row.utc_day} changed under the lock`);
      }
      // The frames of the batch fill the day in order; each loses what did not fit after the ones before it.
      let current = before;
      for (const [unit, seconds] of d.parts) {
        const added = Math.min(Math.max(0, SECONDS_PER_DAY - current), seconds);
        results[unit].clampedSeconds += seconds - added;
        current += added;
      }
    }
  }

  if (dayCount > 0) {
    // The summaries of the (device, month) pairs the batch wrote, recomputed from their rows in the same transaction (sql/summaries.ts).
    const pairs = monthPairs([...devs].flatMap(([deviceId, dev]) => [...dev.days.keys()].map((day): [string, number] => [deviceId, day])));
    await q.query(RECOMPUTE_SUMMARIES, [pairs.map((p) => p[0]), pairs.map((p) => p[1]), pairs.map((p) => p[2])]);
  }

  // The marks of every stream the batch moved, once, and the receipts its floors settled.
  await saveMarks(q, [...devs].flatMap(([deviceId, dev]) => [...dev.streams].map(([stream, st]) => ({ deviceId, stream, marks: st.marks }))));
  return results;
}

/**
 * Many devices' hellos in a handful of statements whatever their number (a
 * statement per hello was a round trip each, and round trips are what a
 * reconnect storm is made of): lock the devices in id order, upsert every
 * user the facts name, one UPDATE of the devices from a JSON list, then the
 * identity evidence that changed. Stores what recordHello, applyFacts,
 * setDeviceHardware and setEvidence store one by one.
 */
async function recordHellos(q: Queryable, units: HelloWrite[]): Promise<void> {
  // One row per device: a device's later hello in the same batch wins, as it would applied in order.
  const byDevice = new Map<string, HelloWrite>();
  for (const u of units) byDevice.set(u.deviceId, u);
  const ids = [...byDevice.keys()].sort();
  // With each device, the identity evidence on record (read under the lock, so what is compared below is what is replaced).
  // A subquery per device on its index: an ANY over the evidence table is a sequential scan whenever the table has grown
  // since its last ANALYZE (a new installation's first hellos): 4.2-4.8 ms per batch of 70 at 20,000 rows, 0.2 ms once analyzed;
  // this read, lock included, 0.9 ms un-analyzed.
  const locked = await q.query<{ id: string; company_id: string; evidence: EvidenceRow[] | null }>(`SELECT d.id, d.company_id,
      (SELECT json_agg(json_build_object('tree_root', h.tree_root, 'id_key', h.id_key, 'strength', h.strength)) FROM device_hardware_ids h WHERE h.device_id = d.id) AS evidence
    FROM devices d WHERE d.id = ANY($1::text[]) ORDER BY d.id FOR UPDATE OF d`, [ids]);
  if (locked.rowCount === 0) return; // unknown devices change nothing
  const companyOf = new Map(locked.rows.map((r) => [r.id, r.company_id]));
  const haveBy = new Map(locked.rows.map((r) => [r.id, r.evidence ?? []]));
  const known = units.filter((u) => companyOf.has(u.deviceId));

  // Users the facts name (of every hello, as applying each in turn would), newest sighting per user, in key order (no deadlock).
  const users = new Map<string, { companyId: string; externalId: string; atMs: number }>();
  for (const u of known) {
    if (!u.facts) continue;
    const companyId = companyOf.get(u.deviceId)!;
    for (const externalId of u.facts.attributes.users.map((x) => pgText(x))) {
      const k = `${companyId}\u0000${externalId}`;
      const seen = users.get(k);
      if (!seen || seen.atMs < u.nowMs) users.set(k, { companyId, externalId, atMs: u.nowMs });
    }
  }
  if (users.size) {
    const rows = [...users.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([, v]) => v);
    await q.query(`INSERT INTO users (id, company_id, external_id, created_at, last_active_at)
        SELECT id, company_id, external_id, at, at FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[]) AS x(id, company_id, external_id, at)
      ON CONFLICT (company_id, external_id) DO UPDATE SET last_active_at = GREATEST(COALESCE(users.last_active_at, 0), EXCLUDED.last_active_at)`,
    [rows.map(() => randomUUID()), rows.map((r) => r.companyId), rows.map((r) => r.externalId), rows.map((r) => r.atMs)]);
  }

  // The hello, and the facts when given: the facts' hostname over the hello's, their attributes, the primary user.
  const list = ids.filter((id) => companyOf.has(id)).map((id) => {
    const u = byDevice.get(id)!;
    const f = u.facts;
    return {
      id, instance_id: pgText(u.instanceId), hostname: pgText(f?.hostname ?? null) ?? pgText(u.hostname), agent_version: pgText(u.agentVersion), now: u.nowMs,
      first_run: u.firstRunAtMs ?? null, hw: u.hardware ?? null, has_facts: f !== null,
      facts_json: f ? JSON.stringify(f.facts) : null, virtual: f?.attributes.virtual ?? null, role: pgText(f?.attributes.role ?? null),
      platform: pgText(f?.attributes.platform ?? null), modules: f?.attributes.modules.map((m) => pgText(m)) ?? [], im_tier: pgText(f?.attributes.imTier ?? null),
      ownership: pgText(f?.attributes.ownership ?? null), primary_user: pgText(f?.attributes.primaryUser ?? null),
    };
  });
  await q.query(`UPDATE devices d SET instance_id = x.instance_id, hostname = x.hostname, agent_version = x.agent_version, last_seen_at = x.now,
      connected_since = x.now, first_run_at = COALESCE(d.first_run_at, x.first_run), hw_fingerprint = COALESCE(x.hw, d.hw_fingerprint),
      facts_json = CASE WHEN x.has_facts THEN x.facts_json ELSE d.facts_json END,
      virtual = CASE WHEN x.has_facts THEN x.virtual ELSE d.virtual END,
      role = CASE WHEN x.has_facts THEN x.role ELSE d.role END,
      platform = CASE WHEN x.has_facts THEN x.platform ELSE d.platform END,
      modules = CASE WHEN x.has_facts THEN ARRAY(SELECT jsonb_array_elements_text(x.modules)) ELSE d.modules END,
      im_tier = CASE WHEN x.has_facts THEN x.im_tier ELSE d.im_tier END,
      ownership = CASE WHEN x.has_facts THEN x.ownership ELSE d.ownership END,
      reported_user_id = CASE WHEN NOT x.has_facts THEN d.reported_user_id WHEN x.primary_user IS NULL THEN NULL
        ELSE (SELECT u.id FROM users u WHERE u.company_id = d.company_id AND u.external_id = x.primary_user) END
    FROM jsonb_to_recordset($1::jsonb) AS x(id text, instance_id text, hostname text, agent_version text, now bigint, first_run bigint, hw text,
      has_facts boolean, facts_json text, virtual boolean, role text, platform text, modules jsonb, im_tier text, ownership text, primary_user text)
    WHERE d.id = x.id`, [JSON.stringify(list)]);

  // Identity evidence: replaced only where it differs from what is on record (DeviceIdentityStore.setEvidence's rule).
  const withEvidence = ids.map((id) => byDevice.get(id)!).filter((u) => u.evidence && companyOf.has(u.deviceId));
  if (!withEvidence.length) return;
  const changed: string[] = [];
  const rows: { tree_root: string; id_key: string; device_id: string; strength: string }[] = [];
  for (const u of withEvidence) {
    const next = evidenceToWrite(haveBy.get(u.deviceId) ?? [], u.evidence!.treeRoot, u.evidence!);
    if (next === null) continue;
    changed.push(u.deviceId);
    for (const r of next) rows.push({ ...r, id_key: pgText(r.id_key), device_id: u.deviceId });
  }
  if (!changed.length) return;
  // What is on record for them (read under the lock above), deleted by primary key: a device's first evidence deletes nothing.
  const old = changed.flatMap((id) => (haveBy.get(id) ?? []).map((r) => ({ ...r, device_id: id })));
  if (old.length) {
    await q.query(`DELETE FROM device_hardware_ids h USING unnest($1::text[], $2::text[], $3::text[]) AS x(tree_root, id_key, device_id)
      WHERE h.tree_root = x.tree_root AND h.id_key = x.id_key AND h.device_id = x.device_id`,
    [old.map((r) => r.tree_root), old.map((r) => r.id_key), old.map((r) => r.device_id)]);
  }
  if (rows.length) {
    await q.query(`INSERT INTO device_hardware_ids (tree_root, id_key, device_id, strength)
      SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) ON CONFLICT DO NOTHING`,
    [rows.map((r) => r.tree_root), rows.map((r) => r.id_key), rows.map((r) => r.device_id), rows.map((r) => r.strength)]);
  }
}

const RECOMPUTE_SUMMARIES = recomputeStatement('postgres');

/** The companies (rows of `companies`) on the paths of the companies `ids` selects: each of them and every company above it. */
const onPathsOf = (ids: string) => `SELECT * FROM companies WHERE id IN (SELECT unnest(string_to_array(o.path, '/')) FROM companies o WHERE o.id IN (${ids}))`;
const companyMap = (rows: CompanyRow[] | null) => new Map((rows ?? []).map((r): [string, Company] => [r.id, toCompany(r)]));

type KeyRow = { key_hash: string; id: string; company_id: string; retired_at: number | null };
/** A key's device (a merged device's key authenticates as the survivor, the admin kept it), one row per key hash of $1. */
const DEVICES_BY_KEY = `SELECT d.key_hash, COALESCE(s.id, d.id) AS id, COALESCE(s.company_id, d.company_id) AS company_id,
    CASE WHEN s.id IS NULL THEN d.retired_at ELSE s.retired_at END AS retired_at
  FROM devices d LEFT JOIN devices s ON s.id = d.merged_into WHERE d.key_hash = ANY($1::text[])`;

const touch = (q: Queryable, deviceId: string, nowMs: number) =>
  q.query('UPDATE devices SET last_seen_at = GREATEST(COALESCE(last_seen_at, 0), $2) WHERE id = $1', [deviceId, nowMs]);

export function postgresAgentStores(pool: pg.Pool): { enrolment: EnrolmentStore; ingest: IngestStore } {
  const enrolment: EnrolmentStore = {
    findEnrolmentToken: guard(async (tokenHash: string): Promise<EnrolmentToken | null> => {
      const r = await pool.query<{ id: string; company_id: string; expires_at: number | null; revoked_at: number | null; max_enrolments: number | null; enrolments: number }>(
        'SELECT id, company_id, expires_at, revoked_at, max_enrolments, enrolments FROM enrolment_tokens WHERE token_hash = $1', [tokenHash]);
      const t = r.rows[0];
      return t ? { id: t.id, companyId: t.company_id, expiresAtMs: t.expires_at, revokedAtMs: t.revoked_at, maxEnrolments: t.max_enrolments, enrolments: t.enrolments } : null;
    }),
    findCompany: guard(async (companyId: string): Promise<Company | null> => {
      const r = await pool.query<CompanyRow>('SELECT * FROM companies WHERE id = $1', [companyId]);
      return r.rows[0] ? toCompany(r.rows[0]) : null;
    }),
    enrolDevice: (input: EnrolDeviceInput) => inTransaction(pool, async (q) => {
      await q.query(`INSERT INTO devices (id, company_id, key_hash, instance_id, hostname, agent_version, enrolled_at, last_seen_at,
          last_enrolled_at, enrolment_token_id, first_run_at)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $7, $7, $8, $9)`,
      [input.deviceId, input.companyId, input.keyHash, pgText(input.instanceId), pgText(input.hostname), pgText(input.agentVersion), input.nowMs,
        input.tokenId ?? null, input.firstRunAtMs ?? null]);
      if (input.facts) await applyFacts(q, input.deviceId, input.facts, input.nowMs);
    }),
    findDeviceByKeyHash: guard(async (keyHash: string): Promise<DeviceAuth | null> => {
      // A key of a device merged into another authenticates as the survivor (the admin kept it).
      const r = await pool.query<{ id: string; company_id: string; inactive_since: number | null; retired_at: number | null }>(
        `SELECT COALESCE(s.id, d.id) AS id, COALESCE(s.company_id, d.company_id) AS company_id, c.inactive_since,
            CASE WHEN s.id IS NULL THEN d.retired_at ELSE s.retired_at END AS retired_at
          FROM devices d LEFT JOIN devices s ON s.id = d.merged_into JOIN companies c ON c.id = COALESCE(s.company_id, d.company_id) WHERE d.key_hash = $1`, [keyHash]);
      const d = r.rows[0];
      return d ? { deviceId: d.id, companyId: d.company_id, companyActive: d.inactive_since === null, retiredAtMs: d.retired_at } : null;
    }),
    companiesWithPaths: guard(async (companyIds: readonly string[]) =>
      companyMap((await pool.query<CompanyRow>(onPathsOf('SELECT unnest($1::text[])'), [[...companyIds]])).rows)),
    // One statement, one round trip: the devices and their companies' paths as two JSON lists.
    devicesByKeyHashes: guard(async (keyHashes: readonly string[]) => {
      const r = (await pool.query<{ devices: KeyRow[] | null; companies: CompanyRow[] | null }>(`WITH d AS (${DEVICES_BY_KEY})
        SELECT (SELECT json_agg(d) FROM d) AS devices, (SELECT json_agg(c) FROM (${onPathsOf('SELECT company_id FROM d')}) c) AS companies`,
      [[...keyHashes]])).rows[0];
      const companies = companyMap(r.companies);
      const devices = new Map<string, DeviceAuth>();
      for (const d of r.devices ?? []) {
        const company = companies.get(d.company_id);
        // As findDeviceByKeyHash's join: a device whose company row is missing authenticates nothing.
        if (company) devices.set(d.key_hash, { deviceId: d.id, companyId: d.company_id, companyActive: company.active, retiredAtMs: d.retired_at });
      }
      return { devices, companies };
    }),
  };

  const ingest: IngestStore = {
    // Two group commits at once: while one is in the server, the agents it
    // acknowledged send their next frames and those commit beside it (10,000
    // agents on 2 cores: 0.43x the ingest baseline with one, 0.79x with two,
    // 0.64x with three; BENCHMARKS.md). The collector's --ingest-commits overrides it.
    concurrentBatches: 2,
    ingestUsage: (deviceId, companyId, records, floors, nowMs, late) =>
      inTransaction(pool, async (q) => (await ingestBatch(q, [{ deviceId, companyId, records, floors }], nowMs, late))[0]),
    ingestUsageBatch: (units: UsageUnit[], nowMs: number, late: LateDataPolicy) => inTransaction(pool, (q) => ingestBatch(q, units, nowMs, late)),
    recordHello: (input: HelloInput) => inTransaction(pool, async (q) => {
      await lockDevice(q, input.deviceId).catch(ignoreMissingDevice);
      await q.query('UPDATE devices SET instance_id = $2, hostname = $3, agent_version = $4, last_seen_at = $5, connected_since = $5, first_run_at = COALESCE(first_run_at, $6) WHERE id = $1',
        [input.deviceId, pgText(input.instanceId), pgText(input.hostname), pgText(input.agentVersion), input.nowMs, input.firstRunAtMs ?? null]);
      if (input.facts) await applyFacts(q, input.deviceId, input.facts, input.nowMs);
    }),
    // Without waiting for its WAL flush (synchronous_commit off for this transaction only):
    // see IngestStore.recordHellos for why that is enough for a hello.
    recordHellos: (units: HelloWrite[]) => inTransaction(pool, async (q) => {
      await q.query('SET LOCAL synchronous_commit = off');
      await recordHellos(q, units);
    }),
    deviceHardware: guard(async (deviceId: string) => {
      const r = (await pool.query<{ hw_fingerprint: string | null; last_seen_at: number | null }>('SELECT hw_fingerprint, last_seen_at FROM devices WHERE id = $1', [deviceId])).rows[0];
      return r ? { fingerprint: r.hw_fingerprint, lastSeenAtMs: r.last_seen_at } : null;
    }),
    deviceAtHello: guard(async (deviceId: string) => {
      const r = (await pool.query<AtHelloRow>(`SELECT hw_fingerprint, last_seen_at, enrolled_at, last_enrolled_at, first_run_at, uninstalled_at, retired_at
        FROM devices WHERE id = $1`, [deviceId])).rows[0];
      return r ? atHello(r) : null;
    }),
    // One statement, one round trip for any number of hellos: the companies on their paths and the devices as two JSON lists.
    helloReads: guard(async (companyIds: readonly string[], deviceIds: readonly string[]) => {
      const r = (await pool.query<{ companies: CompanyRow[] | null; devices: (AtHelloRow & { id: string })[] | null }>(
        `SELECT (SELECT json_agg(c) FROM (${onPathsOf('SELECT unnest($1::text[])')}) c) AS companies,
          (SELECT json_agg(d) FROM (SELECT id, hw_fingerprint, last_seen_at, enrolled_at, last_enrolled_at, first_run_at, uninstalled_at, retired_at
            FROM devices WHERE id = ANY($2::text[])) d) AS devices`, [[...companyIds], [...deviceIds]])).rows[0];
      return { companies: companyMap(r.companies), devices: new Map((r.devices ?? []).map((d): [string, DeviceAtHello] => [d.id, atHello(d)])) };
    }),
    setDeviceHardware: guard(async (deviceId: string, fingerprint: string): Promise<void> => {
      await pool.query('UPDATE devices SET hw_fingerprint = $2 WHERE id = $1', [deviceId, fingerprint]);
    }),
    flagClone: guard(async (deviceId: string, nowMs: number): Promise<void> => {
      await pool.query('UPDATE devices SET clone_suspected_at = $2, clone_refusals = clone_refusals + 1 WHERE id = $1', [deviceId, nowMs]);
    }),
    recordInventory: (deviceId: string, stream: string, seq: number, facts: ReportedFacts, nowMs: number) => inTransaction(pool, async (q): Promise<RecordOutcome> => {
      await lockDevice(q, deviceId);
      // The same dedupe marks as usage records.
      const s = pgText(stream);
      const marks = (await readMarks(q, [deviceId], s))[0]?.marks ?? streamMarks();
      const claim = claimSeq(marks, seq);
      if (claim === 'duplicate') return 'duplicate';
      if (claim === 'receipt') {
        const r = await q.query('INSERT INTO receipts (device_id, stream, seq) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [deviceId, s, seq]);
        if (r.rowCount !== 1) return 'duplicate';
      }
      await applyFacts(q, deviceId, facts, nowMs);
      await saveMarks(q, [{ deviceId, stream: s, marks }]);
      return 'stored';
    }),
    recordEvents: (deviceId: string, events: DeviceEventInput[], nowMs: number) => inTransaction(pool, async (q): Promise<RecordOutcome[]> => {
      await lockDevice(q, deviceId);
      const outcomes: RecordOutcome[] = [];
      for (const e of events) {
        const r = await q.query(`INSERT INTO device_events (device_id, stream, seq, occurred_at, kind, payload, received_at)
          VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING`,
        [deviceId, pgText(e.stream), e.seq, e.occurredAtMs, e.kind, JSON.stringify(e.payload ?? {}), nowMs]);
        const inserted = r.rowCount === 1;
        if (inserted && e.kind === 'uninstalled') {
          await q.query('UPDATE devices SET uninstalled_at = COALESCE(uninstalled_at, $2) WHERE id = $1', [deviceId, e.occurredAtMs]);
        }
        outcomes.push(inserted ? 'stored' : 'duplicate');
      }
      await touch(q, deviceId, nowMs);
      return outcomes;
    }),
  };

  return { enrolment, ingest };
}

/** SQLite's hello on an unknown device is a silent no-op (an UPDATE of no row); keep that. */
const ignoreMissingDevice = (err: unknown) => {
  if (err instanceof StorageError && err.code === 'not_found') return;
  throw err;
};
