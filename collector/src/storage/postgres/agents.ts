// The agent-facing stores: enrolment, device authentication, and ingest.
// Every write of a device first locks that device's row (SELECT ... FOR
// UPDATE): two collectors ingesting for the same device (an agent that
// reconnected through the load balancer while its old socket still drains)
// then run one after the other, exactly as they would on SQLite. The SQL is
// also safe on its own: receipts dedupe with ON CONFLICT DO NOTHING, the
// device-day upsert adds and clamps to 86,400 s in one statement, floors only
// rise (GREATEST).
import type pg from 'pg';
import { randomUUID } from 'node:crypto';
import type { IDeviceFacts } from '../../../../proto/index.ts';
import { monthOfDay } from '../../billing/index.ts';
import { deviceAttributes } from '../../ingest/attributes.ts';
import { toCompany, type CompanyRow } from '../rows.ts';
import type {
  Company, DeviceAuth, DeviceEventInput, EnrolDeviceInput, EnrolmentStore, EnrolmentToken, HelloInput, IngestStore,
  LateDataPolicy, RecordOutcome, StreamFloorInput, UsageIngestResult, UsageRecordInput, UsageUnit,
} from '../types.ts';
import { StorageError } from '../types.ts';
import { guard, inTransaction, pgText, type Queryable } from './db.ts';

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
async function applyFacts(q: Queryable, deviceId: string, facts: IDeviceFacts, nowMs: number): Promise<void> {
  const device = await q.query<{ company_id: string }>('SELECT company_id FROM devices WHERE id = $1', [deviceId]);
  if (device.rowCount === 0) return;
  const companyId = device.rows[0].company_id;
  const attrs = deviceAttributes(facts);
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
  const hostname = facts.hostname?.trim() ? pgText(facts.hostname.trim().slice(0, 255)) : null;
  await q.query(`UPDATE devices SET facts_json = $2, hostname = COALESCE($3, hostname), virtual = $4, role = $5, platform = $6,
      modules = $7, im_tier = $8, ownership = $9, reported_user_id = $10, last_seen_at = GREATEST(COALESCE(last_seen_at, 0), $11)
    WHERE id = $1`,
  [deviceId, JSON.stringify(facts), hostname, attrs.virtual, attrs.role, attrs.platform, attrs.modules, attrs.imTier, attrs.ownership, reportedUserId, nowMs]);
}

async function streamFloors(q: Queryable, deviceId: string, streams: string[]): Promise<Map<string, number>> {
  const r = await q.query<{ stream: string; floor: number }>('SELECT stream, floor FROM stream_floors WHERE device_id = $1 AND stream = ANY($2::text[])', [deviceId, streams]);
  return new Map(r.rows.map((x) => [x.stream, x.floor]));
}

/** Inserts the receipt; true when it is new (false: a duplicate, whoever stored it first). */
async function claimReceipt(q: Queryable, deviceId: string, stream: string, seq: number): Promise<boolean> {
  const r = await q.query('INSERT INTO receipts (device_id, stream, seq) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [deviceId, stream, seq]);
  return r.rowCount === 1;
}

async function ingestUsage(q: Queryable, deviceId: string, companyId: string, records: UsageRecordInput[], floors: StreamFloorInput[], nowMs: number, late: LateDataPolicy): Promise<UsageIngestResult> {
  const attrs = await lockDevice(q, deviceId);
  const recs = records.map((r) => ({ ...r, stream: pgText(r.stream) }));
  const floorOf = await streamFloors(q, deviceId, [...new Set(recs.map((r) => r.stream))]);
  const months = [...new Set(recs.map((r) => monthOfDay(r.utcDay).id))];
  const finalized = new Set((await q.query<{ month: string }>('SELECT month FROM finalized_months WHERE month = ANY($1::text[])', [months])).rows.map((r) => r.month));
  let clampedSeconds = 0;
  let adjustedRecords = 0;
  let unbilledRecords = 0;
  // Every receipt of the frame in one statement; records below their stream's floor are settled already.
  const candidates = recs.filter((r) => r.seq >= (floorOf.get(r.stream) ?? 0));
  const claimed = new Set((await q.query<{ stream: string; seq: string | number }>(
    `INSERT INTO receipts (device_id, stream, seq) SELECT $1, s, n FROM unnest($2::text[], $3::bigint[]) AS t(s, n)
      ON CONFLICT DO NOTHING RETURNING stream, seq`,
    [deviceId, candidates.map((r) => r.stream), candidates.map((r) => r.seq)])).rows.map((r) => `${r.stream}\u0000${Number(r.seq)}`));
  const outcomes: RecordOutcome[] = [];
  // Records of one frame on the same day are folded: one upsert per device-day.
  const secondsByDay = new Map<number, number>();
  const seenInFrame = new Set<string>();
  for (const r of recs) {
    const key = `${r.stream}\u0000${r.seq}`;
    // A sequence repeated inside one frame counts once, as it would across frames.
    if (!claimed.has(key) || seenInFrame.has(key)) {
      outcomes.push('duplicate');
      continue;
    }
    seenInFrame.add(key);
    outcomes.push('stored');
    const month = monthOfDay(r.utcDay).id;
    if (finalized.has(month)) {
      if (r.utcDay < late.adjustableFromDay) {
        // Too late to bill: kept for the record, counted, never billed.
        await q.query(`INSERT INTO unbilled_late_usage (device_id, stream, seq, utc_day, awake_seconds, received_at)
          VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING`, [deviceId, r.stream, r.seq, r.utcDay, r.awakeSeconds, nowMs]);
        unbilledRecords++;
        continue;
      }
      // `since` holds the LATEST late arrival, so a recomputation knows whether it saw everything.
      await q.query('INSERT INTO months_with_late_data (month, since) VALUES ($1, $2) ON CONFLICT (month) DO UPDATE SET since = GREATEST(months_with_late_data.since, excluded.since)', [month, nowMs]);
      adjustedRecords++;
    }
    secondsByDay.set(r.utcDay, (secondsByDay.get(r.utcDay) ?? 0) + r.awakeSeconds);
  }
  for (const [utcDay, awakeSeconds] of secondsByDay) {
    // Add and clamp in one statement, against the row as committed; `before`
    // (read in the same statement's snapshot, under the device lock) only
    // tells how many seconds the clamp dropped. Modules present that day:
    // everything any report of the day saw installed.
    const day = await q.query<{ before: number; after: number }>(`WITH before AS (
        SELECT awake_seconds FROM device_days WHERE device_id = $1 AND utc_day = $2
      ), up AS (
        INSERT INTO device_days AS dd (device_id, utc_day, company_id, awake_seconds, first_at, last_at,
            virtual, role, platform, modules, im_tier, user_id, ownership)
        VALUES ($1, $2, $3, LEAST(${SECONDS_PER_DAY}, $4::integer), $5, $5, $6, $7, $8, $9::text[], $10, $11, $12)
        ON CONFLICT (device_id, utc_day) DO UPDATE SET
          awake_seconds = LEAST(${SECONDS_PER_DAY}, dd.awake_seconds + EXCLUDED.awake_seconds),
          company_id = EXCLUDED.company_id, last_at = EXCLUDED.last_at, virtual = EXCLUDED.virtual, role = EXCLUDED.role,
          platform = EXCLUDED.platform, im_tier = EXCLUDED.im_tier, user_id = EXCLUDED.user_id, ownership = EXCLUDED.ownership,
          modules = ARRAY(SELECT DISTINCT m COLLATE "C" FROM unnest(dd.modules || EXCLUDED.modules) AS m ORDER BY 1)
        RETURNING awake_seconds
      )
      SELECT COALESCE((SELECT awake_seconds FROM before), 0) AS before, (SELECT awake_seconds FROM up) AS after`,
    [deviceId, utcDay, companyId, awakeSeconds, nowMs, attrs.virtual, attrs.role, attrs.platform, attrs.modules, attrs.im_tier, attrs.user_id, attrs.ownership]);
    const { before, after } = day.rows[0];
    clampedSeconds += awakeSeconds - (after - before);
  }
  for (const f of floors) {
    const stream = pgText(f.stream);
    await q.query(`INSERT INTO stream_floors (device_id, stream, floor) VALUES ($1, $2, $3)
      ON CONFLICT (device_id, stream) DO UPDATE SET floor = GREATEST(stream_floors.floor, EXCLUDED.floor)`, [deviceId, stream, f.oldestUnackedSeq]);
    await q.query('DELETE FROM receipts WHERE device_id = $1 AND stream = $2 AND seq < $3', [deviceId, stream, f.oldestUnackedSeq]);
  }
  await touch(q, deviceId, nowMs);
  return { outcomes, clampedSeconds, adjustedRecords, unbilledRecords };
}

const touch = (q: Queryable, deviceId: string, nowMs: number) =>
  q.query('UPDATE devices SET last_seen_at = GREATEST(COALESCE(last_seen_at, 0), $2) WHERE id = $1', [deviceId, nowMs]);

export function postgresAgentStores(pool: pg.Pool): { enrolment: EnrolmentStore; ingest: IngestStore } {
  const enrolment: EnrolmentStore = {
    findEnrolmentToken: guard(async (tokenHash: string): Promise<EnrolmentToken | null> => {
      const r = await pool.query<{ id: string; company_id: string; expires_at: number | null; revoked_at: number | null }>(
        'SELECT id, company_id, expires_at, revoked_at FROM enrolment_tokens WHERE token_hash = $1', [tokenHash]);
      const t = r.rows[0];
      return t ? { id: t.id, companyId: t.company_id, expiresAtMs: t.expires_at, revokedAtMs: t.revoked_at } : null;
    }),
    findCompany: guard(async (companyId: string): Promise<Company | null> => {
      const r = await pool.query<CompanyRow>('SELECT * FROM companies WHERE id = $1', [companyId]);
      return r.rows[0] ? toCompany(r.rows[0]) : null;
    }),
    enrolDevice: (input: EnrolDeviceInput) => inTransaction(pool, async (q) => {
      await q.query(`INSERT INTO devices (id, company_id, key_hash, instance_id, hostname, agent_version, enrolled_at, last_seen_at)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $7)`,
      [input.deviceId, input.companyId, input.keyHash, pgText(input.instanceId), pgText(input.hostname), pgText(input.agentVersion), input.nowMs]);
      if (input.facts) await applyFacts(q, input.deviceId, input.facts, input.nowMs);
    }),
    findDeviceByKeyHash: guard(async (keyHash: string): Promise<DeviceAuth | null> => {
      const r = await pool.query<{ id: string; company_id: string; inactive_since: number | null }>(
        'SELECT d.id, d.company_id, c.inactive_since FROM devices d JOIN companies c ON c.id = d.company_id WHERE d.key_hash = $1', [keyHash]);
      const d = r.rows[0];
      return d ? { deviceId: d.id, companyId: d.company_id, companyActive: d.inactive_since === null } : null;
    }),
  };

  const ingest: IngestStore = {
    ingestUsage: (deviceId, companyId, records, floors, nowMs, late) =>
      inTransaction(pool, (q) => ingestUsage(q, deviceId, companyId, records, floors, nowMs, late)),
    ingestUsageBatch: (units: UsageUnit[], nowMs: number, late: LateDataPolicy) => inTransaction(pool, async (q) => {
      // Group commit locks many devices. Taking every lock first, in id order,
      // means two collectors committing overlapping groups queue instead of
      // deadlocking. A device missing from the table fails the whole group,
      // like any other failure of it.
      const ids = [...new Set(units.map((u) => u.deviceId))].sort();
      const locked = await q.query('SELECT id FROM devices WHERE id = ANY($1::text[]) ORDER BY id FOR UPDATE', [ids]);
      if (locked.rowCount !== ids.length) throw new StorageError('not_found', 'a device of this batch does not exist');
      const results: UsageIngestResult[] = [];
      for (const u of units) results.push(await ingestUsage(q, u.deviceId, u.companyId, u.records, u.floors, nowMs, late));
      return results;
    }),
    recordHello: (input: HelloInput) => inTransaction(pool, async (q) => {
      await lockDevice(q, input.deviceId).catch(ignoreMissingDevice);
      await q.query('UPDATE devices SET instance_id = $2, hostname = $3, agent_version = $4, last_seen_at = $5 WHERE id = $1',
        [input.deviceId, pgText(input.instanceId), pgText(input.hostname), pgText(input.agentVersion), input.nowMs]);
      if (input.facts) await applyFacts(q, input.deviceId, input.facts, input.nowMs);
    }),
    deviceHardware: guard(async (deviceId: string) => {
      const r = (await pool.query<{ hw_fingerprint: string | null; last_seen_at: number | null }>('SELECT hw_fingerprint, last_seen_at FROM devices WHERE id = $1', [deviceId])).rows[0];
      return r ? { fingerprint: r.hw_fingerprint, lastSeenAtMs: r.last_seen_at } : null;
    }),
    setDeviceHardware: guard(async (deviceId: string, fingerprint: string): Promise<void> => {
      await pool.query('UPDATE devices SET hw_fingerprint = $2 WHERE id = $1', [deviceId, fingerprint]);
    }),
    flagClone: guard(async (deviceId: string, nowMs: number): Promise<void> => {
      await pool.query('UPDATE devices SET clone_suspected_at = $2, clone_refusals = clone_refusals + 1 WHERE id = $1', [deviceId, nowMs]);
    }),
    recordInventory: (deviceId: string, stream: string, seq: number, facts: IDeviceFacts, nowMs: number) => inTransaction(pool, async (q): Promise<RecordOutcome> => {
      await lockDevice(q, deviceId);
      const s = pgText(stream);
      const floor = (await streamFloors(q, deviceId, [s])).get(s) ?? 0;
      if (seq < floor || !(await claimReceipt(q, deviceId, s, seq))) return 'duplicate';
      await applyFacts(q, deviceId, facts, nowMs);
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
