// Storage contracts. Each consumer gets its own small interface; every method
// is one whole unit of work (one transaction where it writes), so a backend
// never leaks half-done state. SQLite implements them today; PostgreSQL and an
// in-memory fake implement the same contracts.
import type { IDeviceFacts } from '../../../proto/index.ts';

export type CompanyType = 'partner' | 'customer';

export interface Company {
  id: string;
  name: string;
  type: CompanyType;
  parentId: string | null;
  /** Ids from the root down to this company, inclusive. */
  path: string[];
  registeredAtMs: number;
  active: boolean;
}

export interface EnrolmentToken {
  id: string;
  companyId: string;
  expiresAtMs: number | null;
  revokedAtMs: number | null;
}

export interface DeviceAuth {
  deviceId: string;
  companyId: string;
  companyActive: boolean;
}

export interface EnrolDeviceInput {
  deviceId: string;
  companyId: string;
  keyHash: string;
  instanceId: string;
  hostname: string;
  facts: IDeviceFacts | null;
  agentVersion: string;
  nowMs: number;
}

/** Used by the agent socket: enrolment and device authentication. */
export interface EnrolmentStore {
  findEnrolmentToken(tokenHash: string): Promise<EnrolmentToken | null>;
  findCompany(companyId: string): Promise<Company | null>;
  enrolDevice(input: EnrolDeviceInput): Promise<void>;
  findDeviceByKeyHash(keyHash: string): Promise<DeviceAuth | null>;
}

export interface UsageRecordInput {
  stream: string;
  seq: number;
  utcDay: number;
  awakeSeconds: number;
  bootId: string;
}

export interface StreamFloorInput {
  stream: string;
  oldestUnackedSeq: number;
}

/** Per record, what the store did with it. Both outcomes are acknowledged. */
export type RecordOutcome = 'stored' | 'duplicate';

export interface UsageIngestResult {
  outcomes: RecordOutcome[];
  /** Seconds that would have pushed a device-day past 86,400 and were dropped. */
  clampedSeconds: number;
}

export type DeviceEventKind = 'uninstalled' | 'module_changed' | 'user_signed_in';

export interface DeviceEventInput {
  stream: string;
  seq: number;
  occurredAtMs: number;
  kind: DeviceEventKind;
  /** The event's body as plain JSON. */
  payload: unknown;
}

export interface HelloInput {
  deviceId: string;
  instanceId: string;
  hostname: string;
  agentVersion: string;
  facts: IDeviceFacts | null;
  nowMs: number;
}

/** Used by the ingest service: each call is one transaction. */
export interface IngestStore {
  /**
   * Deduplicates each record by (device, stream, seq) and folds the new ones
   * into their device-day rows, in one transaction; then forgets receipts
   * below the agent's floors. Throws if nothing could be stored.
   */
  ingestUsage(deviceId: string, companyId: string, records: UsageRecordInput[], floors: StreamFloorInput[], nowMs: number): Promise<UsageIngestResult>;
  recordHello(input: HelloInput): Promise<void>;
  recordInventory(deviceId: string, stream: string, seq: number, facts: IDeviceFacts, nowMs: number): Promise<RecordOutcome>;
  /** Stores each event once (by device, stream, seq); an uninstall marks the device uninstalled. */
  recordEvents(deviceId: string, events: DeviceEventInput[], nowMs: number): Promise<RecordOutcome[]>;
}

export interface DeviceListing {
  id: string;
  hostname: string;
  companyId: string;
  companyName: string;
  enrolledAtMs: number;
  lastSeenAtMs: number | null;
  uninstalledAtMs: number | null;
  agentVersion: string;
}

export interface DeviceMonthUsage {
  deviceId: string;
  hostname: string;
  companyId: string;
  awakeSeconds: number;
  activeDays: number;
}

export interface Page<T> {
  items: T[];
  /** Pass as `after` to get the next page; null on the last page. */
  next: string | null;
}

/** Read side of the admin API. */
export interface AdminReadStore {
  listCompanies(): Promise<Company[]>;
  listDevices(opts: { after: string | null; limit: number }): Promise<Page<DeviceListing>>;
  /** Device usage over UTC days [fromDay, toDay). */
  usageForDays(fromDay: number, toDay: number, opts: { after: string | null; limit: number }): Promise<Page<DeviceMonthUsage>>;
}

export interface ApiKeyRecord {
  id: string;
  label: string;
  /** null: the whole installation (the operator's own key). */
  companyId: string | null;
  readOnly: boolean;
}

/** Used by the CLI and the admin API for keys, tokens and companies. */
export interface AdminWriteStore {
  createApiKey(input: { id: string; keyHash: string; label: string; companyId: string | null; readOnly: boolean; nowMs: number }): Promise<void>;
  findApiKey(keyHash: string): Promise<ApiKeyRecord | null>;
  /** Finds the customer company by exact name, or creates it at the top level. */
  ensureCustomerCompany(name: string, nowMs: number): Promise<Company>;
  createEnrolmentToken(input: { id: string; companyId: string; tokenHash: string; expiresAtMs: number | null; nowMs: number }): Promise<void>;
}

export interface Storage {
  readonly kind: 'sqlite' | 'postgres' | 'memory';
  readonly enrolment: EnrolmentStore;
  readonly ingest: IngestStore;
  readonly adminRead: AdminReadStore;
  readonly adminWrite: AdminWriteStore;
  /** Cheap liveness probe for /healthz. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** Errors a store raises on purpose carry a stable code. */
export class StorageError extends Error {
  constructor(readonly code: 'unknown_migration' | 'storage_unavailable' | 'not_found' | 'conflict', message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StorageError';
  }
}
