// SQLite backend (better-sqlite3, WAL). better-sqlite3 is synchronous: each
// async method runs one synchronous transaction, so a unit of work is never
// interleaved with another on this connection.
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { IDeviceFacts } from '../../../../proto/index.ts';
import {
  StorageError,
  type AdminReadStore, type AdminWriteStore, type ApiKeyRecord, type Company, type DeviceAuth, type DeviceListing,
  type DeviceEventInput, type DeviceMonthUsage, type EnrolDeviceInput, type EnrolmentStore, type EnrolmentToken, type HelloInput,
  type IngestStore, type Page, type RecordOutcome, type Storage, type StreamFloorInput, type UsageIngestResult,
  type UsageRecordInput,
} from '../types.ts';
import { applyMigrations, loadMigrations } from './migrate.ts';
import { randomUUID } from 'node:crypto';

/** A device cannot be awake longer than the day is long. */
const SECONDS_PER_DAY = 86_400;

export interface SqliteOptions {
  /** File path, or ':memory:' for tests. */
  path: string;
  nowMs: number;
  /** How long a writer waits for a lock held by another process. */
  busyTimeoutMs?: number;
}

interface CompanyRow { id: string; name: string; type: 'partner' | 'customer'; parent_id: string | null; path: string; registered_at: number; active: number }

function toCompany(r: CompanyRow): Company {
  return { id: r.id, name: r.name, type: r.type, parentId: r.parent_id, path: r.path.split('/'), registeredAtMs: r.registered_at, active: r.active === 1 };
}

function wrapStorageFailure(err: unknown): never {
  if (err instanceof StorageError) throw err;
  const code = (err as { code?: string }).code ?? '';
  // SQLITE_FULL, SQLITE_BUSY, SQLITE_IOERR, SQLITE_READONLY...: the caller must not acknowledge.
  throw new StorageError('storage_unavailable', `sqlite: ${(err as Error).message}${code ? ` (${code})` : ''}`, { cause: err });
}

export function openSqliteStorage(opts: SqliteOptions): Storage {
  if (opts.path !== ':memory:') mkdirSync(dirname(opts.path), { recursive: true });
  const db = new Database(opts.path);
  db.pragma('journal_mode = WAL');
  // NORMAL in WAL mode can lose the last transactions on power loss; billing
  // data is acknowledged to agents only after commit, so pay for FULL.
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma(`busy_timeout = ${opts.busyTimeoutMs ?? 5000}`);
  try {
    applyMigrations(db, loadMigrations(), opts.nowMs);
  } catch (err) {
    db.close();
    throw err;
  }

  const stmt = {
    tokenByHash: db.prepare('SELECT id, company_id, expires_at, revoked_at FROM enrolment_tokens WHERE token_hash = ?'),
    companyById: db.prepare('SELECT * FROM companies WHERE id = ?'),
    companyByName: db.prepare("SELECT * FROM companies WHERE name = ? AND type = 'customer' ORDER BY registered_at LIMIT 1"),
    insertCompany: db.prepare('INSERT INTO companies (id, name, type, parent_id, path, registered_at, active) VALUES (?, ?, ?, ?, ?, ?, 1)'),
    insertDevice: db.prepare(`INSERT INTO devices (id, company_id, key_hash, instance_id, hostname, agent_version, facts_json, enrolled_at, last_seen_at)
      VALUES (@deviceId, @companyId, @keyHash, @instanceId, @hostname, @agentVersion, @factsJson, @nowMs, @nowMs)`),
    deviceByKey: db.prepare(`SELECT d.id, d.company_id, c.active FROM devices d JOIN companies c ON c.id = d.company_id WHERE d.key_hash = ?`),
    hello: db.prepare(`UPDATE devices SET instance_id = @instanceId, hostname = @hostname, agent_version = @agentVersion,
      facts_json = COALESCE(@factsJson, facts_json), last_seen_at = @nowMs WHERE id = @deviceId`),
    touch: db.prepare('UPDATE devices SET last_seen_at = MAX(COALESCE(last_seen_at, 0), ?) WHERE id = ?'),
    floorOf: db.prepare('SELECT floor FROM stream_floors WHERE device_id = ? AND stream = ?'),
    insertReceipt: db.prepare('INSERT OR IGNORE INTO receipts (device_id, stream, seq) VALUES (?, ?, ?)'),
    dayOf: db.prepare('SELECT awake_seconds FROM device_days WHERE device_id = ? AND utc_day = ?'),
    upsertDay: db.prepare(`INSERT INTO device_days (device_id, utc_day, company_id, awake_seconds, first_at, last_at)
      VALUES (@deviceId, @utcDay, @companyId, @seconds, @nowMs, @nowMs)
      ON CONFLICT (device_id, utc_day) DO UPDATE SET awake_seconds = awake_seconds + excluded.awake_seconds,
        company_id = excluded.company_id, last_at = excluded.last_at`),
    raiseFloor: db.prepare(`INSERT INTO stream_floors (device_id, stream, floor) VALUES (?, ?, ?)
      ON CONFLICT (device_id, stream) DO UPDATE SET floor = MAX(floor, excluded.floor)`),
    forgetReceipts: db.prepare('DELETE FROM receipts WHERE device_id = ? AND stream = ? AND seq < ?'),
    updateFacts: db.prepare('UPDATE devices SET facts_json = ?, hostname = COALESCE(?, hostname), last_seen_at = MAX(COALESCE(last_seen_at, 0), ?) WHERE id = ?'),
    insertEvent: db.prepare(`INSERT OR IGNORE INTO device_events (device_id, stream, seq, occurred_at, kind, payload, received_at)
      VALUES (?, ?, ?, ?, ?, ?, ?)`),
    markUninstalled: db.prepare('UPDATE devices SET uninstalled_at = COALESCE(uninstalled_at, ?) WHERE id = ?'),
    companies: db.prepare('SELECT * FROM companies ORDER BY path'),
    devicesPage: db.prepare(`SELECT d.id, d.hostname, d.company_id, c.name AS company_name, d.enrolled_at, d.last_seen_at, d.uninstalled_at, d.agent_version
      FROM devices d JOIN companies c ON c.id = d.company_id WHERE d.id > ? ORDER BY d.id LIMIT ?`),
    usagePage: db.prepare(`SELECT dd.device_id, d.hostname, d.company_id, SUM(dd.awake_seconds) AS awake_seconds,
        SUM(CASE WHEN dd.awake_seconds > 0 THEN 1 ELSE 0 END) AS active_days
      FROM device_days dd JOIN devices d ON d.id = dd.device_id
      WHERE dd.utc_day >= ? AND dd.utc_day < ? AND dd.device_id > ?
      GROUP BY dd.device_id ORDER BY dd.device_id LIMIT ?`),
    insertApiKey: db.prepare('INSERT INTO api_keys (id, key_hash, label, company_id, read_only, created_at) VALUES (?, ?, ?, ?, ?, ?)'),
    apiKeyByHash: db.prepare('SELECT id, label, company_id, read_only FROM api_keys WHERE key_hash = ? AND revoked_at IS NULL'),
    insertToken: db.prepare('INSERT INTO enrolment_tokens (id, token_hash, company_id, created_at, expires_at) VALUES (?, ?, ?, ?, ?)'),
  };

  const ingestTx = db.transaction((deviceId: string, companyId: string, records: UsageRecordInput[], floors: StreamFloorInput[], nowMs: number): UsageIngestResult => {
    const floorCache = new Map<string, number>();
    const floorFor = (stream: string): number => {
      let f = floorCache.get(stream);
      if (f === undefined) {
        f = (stmt.floorOf.get(deviceId, stream) as { floor: number } | undefined)?.floor ?? 0;
        floorCache.set(stream, f);
      }
      return f;
    };
    let clampedSeconds = 0;
    const outcomes: RecordOutcome[] = records.map((r) => {
      // Below the floor: the agent already saw this acknowledged; settled.
      if (r.seq < floorFor(r.stream)) return 'duplicate';
      if (stmt.insertReceipt.run(deviceId, r.stream, r.seq).changes === 0) return 'duplicate';
      const already = (stmt.dayOf.get(deviceId, r.utcDay) as { awake_seconds: number } | undefined)?.awake_seconds ?? 0;
      const room = Math.max(0, SECONDS_PER_DAY - already);
      const seconds = Math.min(room, r.awakeSeconds);
      clampedSeconds += r.awakeSeconds - seconds;
      stmt.upsertDay.run({ deviceId, utcDay: r.utcDay, companyId, seconds, nowMs });
      return 'stored';
    });
    for (const f of floors) {
      stmt.raiseFloor.run(deviceId, f.stream, f.oldestUnackedSeq);
      stmt.forgetReceipts.run(deviceId, f.stream, f.oldestUnackedSeq);
    }
    stmt.touch.run(nowMs, deviceId);
    return { outcomes, clampedSeconds };
  });

  const inventoryTx = db.transaction((deviceId: string, stream: string, seq: number, facts: IDeviceFacts, nowMs: number): RecordOutcome => {
    const floor = (stmt.floorOf.get(deviceId, stream) as { floor: number } | undefined)?.floor ?? 0;
    if (seq < floor || stmt.insertReceipt.run(deviceId, stream, seq).changes === 0) return 'duplicate';
    stmt.updateFacts.run(JSON.stringify(facts), facts.hostname?.trim() ? facts.hostname.trim().slice(0, 255) : null, nowMs, deviceId);
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

  const ensureCompanyTx = db.transaction((name: string, nowMs: number): Company => {
    const existing = stmt.companyByName.get(name) as CompanyRow | undefined;
    if (existing) return toCompany(existing);
    const id = randomUUID();
    stmt.insertCompany.run(id, name, 'customer', null, id, nowMs);
    return toCompany(stmt.companyById.get(id) as CompanyRow);
  });

  // Every method turns driver failures into StorageError('storage_unavailable').
  const guard = <A extends unknown[], R>(fn: (...args: A) => R) => async (...args: A): Promise<R> => {
    try {
      return fn(...args);
    } catch (err) {
      return wrapStorageFailure(err);
    }
  };

  const enrolment: EnrolmentStore = {
    findEnrolmentToken: guard((tokenHash: string): EnrolmentToken | null => {
      const r = stmt.tokenByHash.get(tokenHash) as { id: string; company_id: string; expires_at: number | null; revoked_at: number | null } | undefined;
      return r ? { id: r.id, companyId: r.company_id, expiresAtMs: r.expires_at, revokedAtMs: r.revoked_at } : null;
    }),
    findCompany: guard((companyId: string): Company | null => {
      const r = stmt.companyById.get(companyId) as CompanyRow | undefined;
      return r ? toCompany(r) : null;
    }),
    enrolDevice: guard((input: EnrolDeviceInput): void => {
      stmt.insertDevice.run({ ...input, factsJson: input.facts ? JSON.stringify(input.facts) : null });
    }),
    findDeviceByKeyHash: guard((keyHash: string): DeviceAuth | null => {
      const r = stmt.deviceByKey.get(keyHash) as { id: string; company_id: string; active: number } | undefined;
      return r ? { deviceId: r.id, companyId: r.company_id, companyActive: r.active === 1 } : null;
    }),
  };

  const ingest: IngestStore = {
    ingestUsage: guard((deviceId: string, companyId: string, records: UsageRecordInput[], floors: StreamFloorInput[], nowMs: number) =>
      ingestTx(deviceId, companyId, records, floors, nowMs)),
    recordHello: guard((input: HelloInput): void => {
      stmt.hello.run({ ...input, factsJson: input.facts ? JSON.stringify(input.facts) : null });
    }),
    recordInventory: guard((deviceId: string, stream: string, seq: number, facts: IDeviceFacts, nowMs: number) =>
      inventoryTx(deviceId, stream, seq, facts, nowMs)),
    recordEvents: guard((deviceId: string, events: DeviceEventInput[], nowMs: number) => eventsTx(deviceId, events, nowMs)),
  };

  const adminRead: AdminReadStore = {
    listCompanies: guard((): Company[] => (stmt.companies.all() as CompanyRow[]).map(toCompany)),
    listDevices: guard(({ after, limit }: { after: string | null; limit: number }): Page<DeviceListing> => {
      const rows = stmt.devicesPage.all(after ?? '', limit + 1) as {
        id: string; hostname: string; company_id: string; company_name: string; enrolled_at: number; last_seen_at: number | null; uninstalled_at: number | null; agent_version: string;
      }[];
      const items = rows.slice(0, limit).map((r) => ({
        id: r.id, hostname: r.hostname, companyId: r.company_id, companyName: r.company_name,
        enrolledAtMs: r.enrolled_at, lastSeenAtMs: r.last_seen_at, uninstalledAtMs: r.uninstalled_at, agentVersion: r.agent_version,
      }));
      return { items, next: rows.length > limit ? items[items.length - 1].id : null };
    }),
    usageForDays: guard((fromDay: number, toDay: number, { after, limit }: { after: string | null; limit: number }): Page<DeviceMonthUsage> => {
      const rows = stmt.usagePage.all(fromDay, toDay, after ?? '', limit + 1) as {
        device_id: string; hostname: string; company_id: string; awake_seconds: number; active_days: number;
      }[];
      const items = rows.slice(0, limit).map((r) => ({
        deviceId: r.device_id, hostname: r.hostname, companyId: r.company_id, awakeSeconds: r.awake_seconds, activeDays: r.active_days,
      }));
      return { items, next: rows.length > limit ? items[items.length - 1].deviceId : null };
    }),
  };

  const adminWrite: AdminWriteStore = {
    createApiKey: guard((i: { id: string; keyHash: string; label: string; companyId: string | null; readOnly: boolean; nowMs: number }): void => {
      stmt.insertApiKey.run(i.id, i.keyHash, i.label, i.companyId, i.readOnly ? 1 : 0, i.nowMs);
    }),
    findApiKey: guard((keyHash: string): ApiKeyRecord | null => {
      const r = stmt.apiKeyByHash.get(keyHash) as { id: string; label: string; company_id: string | null; read_only: number } | undefined;
      return r ? { id: r.id, label: r.label, companyId: r.company_id, readOnly: r.read_only === 1 } : null;
    }),
    ensureCustomerCompany: guard((name: string, nowMs: number) => ensureCompanyTx(name, nowMs)),
    createEnrolmentToken: guard((i: { id: string; companyId: string; tokenHash: string; expiresAtMs: number | null; nowMs: number }): void => {
      stmt.insertToken.run(i.id, i.tokenHash, i.companyId, i.nowMs, i.expiresAtMs);
    }),
  };

  return {
    kind: 'sqlite',
    enrolment,
    ingest,
    adminRead,
    adminWrite,
    ping: guard((): void => { db.prepare('SELECT 1').get(); }),
    close: async () => { db.close(); },
  };
}
