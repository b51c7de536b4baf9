// Storage contracts. Each consumer gets its own small interface and should
// take only the one it needs (Pick<Storage, ...> or the store itself). Every
// method is one whole unit of work (one transaction where it writes), so a
// backend never leaks half-done state; an admin command that must write to
// several stores at once runs them in one Storage.unitOfWork. Two backends
// implement every contract, SQLite (storage/sqlite) and PostgreSQL
// (storage/postgres), and the contract suite in test/collector/storage runs
// on both. There is no in-memory backend: tests use a real SQLite file.
// Layout, the SQLite gate and migrations: storage/README.md.
import type { IDeviceFacts } from '../../../proto/index.ts';
import type { ReportedFacts } from '../devices/attributes.ts';
import type { Role } from '../auth/roles.ts';
import type { DeviceMonthSummary } from '../billing/index.ts';
import type {
  BillingUser, DeviceDay, MonthlyUsageReport, ProductType, SubscriptionVersion, UserUsageReport, XdrCategory, XdrSensorDeployment,
  Company as BillingCompany, AdjustmentLine,
} from '../billing/index.ts';

export type CompanyType = 'partner' | 'customer';

export interface Company {
  id: string;
  name: string;
  type: CompanyType;
  parentId: string | null;
  /** Ids from the root down to this company, inclusive. */
  path: string[];
  registeredAtMs: number;
  /** null while active. */
  inactiveSinceMs: number | null;
  /** Derived: inactiveSinceMs === null. */
  active: boolean;
  externalId: string | null;
  /** Earlier inactive periods, ended by a reactivation: a month recomputed later still bills none of them. */
  inactivePeriods: { fromMs: number; untilMs: number }[];
}

export interface EnrolmentToken {
  id: string;
  companyId: string;
  expiresAtMs: number | null;
  revokedAtMs: number | null;
  /** At most this many enrolments; null: no limit. */
  maxEnrolments: number | null;
  /** Enrolments so far (new devices and re-enrolments). */
  enrolments: number;
}

/** A device as a hello reads it: the stored hardware and last seen (clone detection), the lifecycle (record bounds). */
export interface DeviceAtHello { fingerprint: string | null; lastSeenAtMs: number | null; lifecycle: DeviceLifecycle }

export interface DeviceAuth {
  /** The device the key authenticates as: the survivor when the key's device was merged into another. */
  deviceId: string;
  companyId: string;
  companyActive: boolean;
  /** Retired by an admin: the key is refused. */
  retiredAtMs: number | null;
}

export interface EnrolDeviceInput {
  deviceId: string;
  companyId: string;
  keyHash: string;
  instanceId: string;
  hostname: string;
  /** What the agent reported, with the attributes the domain derived (devices/attributes.ts reportedFacts). */
  facts: ReportedFacts | null;
  agentVersion: string;
  nowMs: number;
  /** The token that enrolled it. */
  tokenId?: string | null;
  /** The agent's own first run, as its hello said (null: an agent too old to say). */
  firstRunAtMs?: number | null;
}

/** Used by the agent socket: enrolment and device authentication. */
export interface EnrolmentStore {
  findEnrolmentToken(tokenHash: string): Promise<EnrolmentToken | null>;
  findCompany(companyId: string): Promise<Company | null>;
  enrolDevice(input: EnrolDeviceInput): Promise<void>;
  findDeviceByKeyHash(keyHash: string): Promise<DeviceAuth | null>;
  /**
   * Each company and every company on its path (the ones above it), read in
   * one statement (one snapshot, one round trip): what a company's standing
   * is judged on (ingest/company-active.ts). Ids that do not exist are absent.
   */
  companiesWithPaths(companyIds: readonly string[]): Promise<Map<string, Company>>;
  /**
   * The devices these key hashes authenticate (as findDeviceByKeyHash: a
   * merged device's key as its survivor; unknown hashes absent), with their
   * companies and every company on those companies' paths, in one statement:
   * an upgrade's whole read, for any number of upgrades at once.
   */
  devicesByKeyHashes(keyHashes: readonly string[]): Promise<{ devices: Map<string, DeviceAuth>; companies: Map<string, Company> }>;
}

export interface UsageRecordInput {
  stream: string;
  /** 1, 2, 3, ... per stream (validated at the socket: nothing below 1 reaches a store). */
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
  /** Stored records that fell in a finalized month and will become an adjustment. */
  adjustedRecords: number;
  /** Stored records for finalized months beyond the adjustment window: recorded, not billed. */
  unbilledRecords: number;
}

/** One device's frame of usage records, as the ingest batcher hands it to the store. */
export interface UsageUnit {
  deviceId: string;
  companyId: string;
  records: UsageRecordInput[];
  floors: StreamFloorInput[];
}

/** Which late data may still change a finalized month. */
export interface LateDataPolicy {
  /** Records for finalized months starting on or after this UTC day become adjustments; older ones are not billed. */
  adjustableFromDay: number;
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
  /** The agent's first run, kept when the device has none yet (agents upgraded from versions that did not say). */
  firstRunAtMs?: number | null;
  /** What the agent reported, with the attributes the domain derived (devices/attributes.ts reportedFacts). */
  facts: ReportedFacts | null;
  /** Also the device's connection mark (devices.connected_since): the hello's one write sets both. */
  nowMs: number;
}

/**
 * Everything a welcomed device's hello writes, so that the hellos of many
 * agents arriving together commit as one transaction (ingest/hello-batcher.ts):
 * the hello itself (HelloInput), the hardware fingerprint when it is new or
 * changed, and the identity evidence a re-imaged machine is recognised by
 * (replaced only when it differs from what is on record, as
 * DeviceIdentityStore.setEvidence does).
 */
export interface HelloWrite extends HelloInput {
  hardware?: string | null;
  evidence?: { treeRoot: string; strong: readonly string[]; weak: readonly string[] } | null;
}

/**
 * How stale a device's last_seen_at may be after usage. A hello sets it
 * exactly; usage moves it only once it is this old, so a device sending every
 * second rewrites its devices row once a minute, not every frame (on SQLite
 * that row write was ~15 % of a group commit's statements). Everything that
 * reads it works in minutes or more (clone window 15 min, listing retention).
 */
export const LAST_SEEN_RESOLUTION_MS = 60_000;

/** Used by the ingest service: each call is one transaction. */
export interface IngestStore {
  /**
   * Deduplicates each record by (device, stream, seq) and folds the new ones
   * into their device-day rows, in one transaction; then forgets receipts
   * below the agent's floors. Throws if nothing could be stored.
   */
  ingestUsage(deviceId: string, companyId: string, records: UsageRecordInput[], floors: StreamFloorInput[], nowMs: number, late: LateDataPolicy): Promise<UsageIngestResult>;
  /**
   * Group commit: the frames of many devices in ONE transaction, results in
   * the same order. All or nothing: if it throws, nothing was stored and no
   * frame of the batch may be acknowledged.
   */
  ingestUsageBatch(units: UsageUnit[], nowMs: number, late: LateDataPolicy): Promise<UsageIngestResult[]>;
  /**
   * How many ingestUsageBatch calls the collector runs at once unless told
   * otherwise (absent: 1). Above 1 only where each call is its own connection
   * and transaction, and calls sharing a device are ordered by the store's
   * row locks (PostgreSQL); SQLite commits on one connection, one at a time.
   */
  readonly concurrentBatches?: number;
  recordHello(input: HelloInput): Promise<void>;
  /**
   * The hellos of many devices in ONE transaction, in device id order (two
   * batches sharing devices lock them in the same order). All or nothing: if
   * it throws, none of them was written.
   *
   * Committed, visible to every reader, but made durable with the next
   * durable commit rather than with a flush of its own (both backends write
   * one log in commit order, so any later usage commit, which an agent's ack
   * waits for, flushes the hello before it). A crash in between loses only
   * hellos whose agents have had nothing acknowledged since: they reconnect
   * and say hello again, and a hello writes nothing that is not rewritten by
   * the next one. The flush was most of a hello's cost in a reconnect storm.
   */
  recordHellos(units: HelloWrite[]): Promise<void>;
  /** The hardware fingerprint on record for a device, and when it was last seen. */
  deviceHardware(deviceId: string): Promise<{ fingerprint: string | null; lastSeenAtMs: number | null } | null>;
  setDeviceHardware(deviceId: string, fingerprint: string): Promise<void>;
  /** deviceHardware and DeviceIdentityStore.lifecycle in one read: what a hello needs of its device before it is welcomed. */
  deviceAtHello(deviceId: string): Promise<DeviceAtHello | null>;
  /**
   * What hellos read before their write, for any number of hellos in one
   * statement: the companies (each with every company on its path, as
   * EnrolmentStore.companiesWithPaths) and the devices (as deviceAtHello).
   * Unknown ids are absent.
   */
  helloReads(companyIds: readonly string[], deviceIds: readonly string[]): Promise<{ companies: Map<string, Company>; devices: Map<string, DeviceAtHello> }>;
  /** Marks the device as having had its key presented by a clone. */
  flagClone(deviceId: string, nowMs: number): Promise<void>;
  recordInventory(deviceId: string, stream: string, seq: number, facts: ReportedFacts, nowMs: number): Promise<RecordOutcome>;
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
  cloneSuspectedAtMs: number | null;
  agentVersion: string;
  /** The latest (re-)enrolment; enrolledAtMs stays the first. */
  lastEnrolledAtMs: number | null;
  firstRunAtMs: number | null;
  retiredAtMs: number | null;
  /** Merged into this device (the listing leaves merged devices out unless asked). */
  mergedInto: string | null;
  /** How many times an agent enrolled as this device. */
  enrolments: number;
  /** The user the device belongs to: an admin's binding, else the one its agent reported; null for none (absent: not read). */
  user?: { id: string; externalId: string; displayName: string | null; boundBy: 'admin' | 'agent' } | null;
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

/** Paging, and an optional restriction to some companies (an API key's scope); null means every company. */
export interface ListOptions {
  after: string | null;
  limit: number;
  companyIds?: readonly string[] | null;
  /** Devices merged into another are history: left out unless asked. */
  includeMerged?: boolean;
}

/** Where a page of devices in name order ends: the next page starts after it. */
export interface DeviceCursor {
  hostname: string;
  id: string;
}

/** A device's status as the console's devices page tells it (console/data.ts deviceStatuses). */
export type DeviceStatusFilter = 'active' | 'inactive' | 'uninstalled' | 'clone_suspected';

/** One page of devices in name order (hostname, then id), filtered in the database. Merged devices are left out. */
export interface DevicePageQuery {
  /** Only these companies' devices; null: every company. */
  companyIds: readonly string[] | null;
  after: DeviceCursor | null;
  limit: number;
  /** The operating system the agent last reported. */
  platform?: 'windows' | 'linux' | 'darwin';
  /** Virtual machines only (true) or physical ones only (false), as the agent last reported. */
  virtual?: boolean;
  /**
   * Status over the UTC days [fromDay, toDay): active (some awake time, not
   * uninstalled, no clone suspicion), inactive (no awake time, not
   * uninstalled), uninstalled, clone_suspected.
   */
  status?: { is: DeviceStatusFilter; fromDay: number; toDay: number };
  /** Only devices whose last activity (last seen, else enrolled) is after this instant: the listing's retention. */
  activeAfterMs?: number;
}

/** Read side of the admin API. */
export interface AdminReadStore {
  listCompanies(): Promise<Company[]>;
  listDevices(opts: ListOptions): Promise<Page<DeviceListing>>;
  /** The console's devices page: a keyset page in name order (an index range read, never an OFFSET), filters applied by the database. */
  deviceListPage(q: DevicePageQuery): Promise<{ items: DeviceListing[]; next: DeviceCursor | null }>;
  getDevice(id: string): Promise<DeviceListing | null>;
  /** Device usage over UTC days [fromDay, toDay); companyIds filters on the company each day was recorded for. */
  usageForDays(fromDay: number, toDay: number, opts: ListOptions): Promise<Page<DeviceMonthUsage>>;
  /**
   * The stored facts of the given devices (any number of ids; unknown ids are
   * left out), for the report's endpoint details.
   */
  deviceFacts(deviceIds: readonly string[]): Promise<DeviceFactsRecord[]>;
}

/** A device whose hardware evidence on record shares a key with a newcomer's (devices/identity.ts). */
export interface IdentityCandidateRecord {
  deviceId: string;
  companyId: string;
  strong: string[];
  weak: string[];
  lastSeenAtMs: number | null;
  mergedInto: string | null;
  retiredAtMs: number | null;
  /** An agent connection of the device is open (on some collector) since then. */
  connectedSinceMs: number | null;
}

export type DeviceHistoryKind =
  | 'enrolled' | 're_enrolled' | 'moved' | 'uninstalled' | 'reinstalled' | 'retired' | 'unretired'
  | 'merged_into' | 'merged_from' | 'excluded' | 'included' | 'possible_duplicate' | 'duplicate_dismissed';

export interface DeviceHistoryEntry {
  deviceId: string;
  atMs: number;
  kind: DeviceHistoryKind;
  /** Who: 'agent', 'system:enrolment', 'api-key:<id>', 'cli', 'user:<id>'. */
  actor: string;
  details: Record<string, unknown>;
}

export interface DuplicatePair {
  deviceA: string;
  deviceB: string;
  /** Each device's company now (a pair is shown only to those who may see both). */
  companyA: string;
  companyB: string;
  why: string;
  evidence: string[];
  foundAtMs: number;
  dismissedAtMs: number | null;
}

export interface DeviceExclusion {
  deviceId: string;
  fromMs: number;
  untilMs: number | null;
  reason: string;
  createdAtMs: number;
  createdBy: string;
}

/** What a device move re-attributes and which finalized months it reached. */
export interface DeviceMoveResult {
  fromCompanyId: string;
  /** Device-days re-attributed to the new company (those from the move's day on). */
  daysMoved: number;
  /** Finalized months that got rows of another company: marked late, they become adjustments. */
  finalizedMonthsTouched: string[];
}

export type DeviceKeyChoice = 'both' | 'survivor' | 'duplicate' | 'none';

/**
 * Device identity (devices/identity.ts decides; this stores): the hardware
 * evidence of each device by partner tree, enrolment token limits,
 * re-enrolment of a known machine, possible duplicates, and an admin's
 * device lifecycle (move, merge, retire, exclude). Written once (sql/identity.ts).
 */
/** How many distinct streams a device may start within a window (the agent starts two or three per install). */
export interface StreamBound {
  max: number;
  windowMs: number;
}

export interface DeviceIdentityStore {
  /**
   * Admits stream names for a device: one it already has is admitted; a new
   * one is recorded (first seen now) while fewer than `bound.max` of the
   * device's streams were first seen within `bound.windowMs`, else refused.
   * Returns the refused names. Two collectors may each admit one more near
   * the bound: it bounds growth, it is not a count to the unit.
   */
  admitStreams(deviceId: string, streams: readonly string[], nowMs: number, bound: StreamBound): Promise<Set<string>>;
  /**
   * Deletes device events received before `beforeMs`, at most `maxRows` of
   * them (a batch: the caller repeats while it returns maxRows). Only
   * events: billing rows, device history and the uninstall on the device
   * itself are never touched.
   */
  purgeEvents(beforeMs: number, maxRows: number): Promise<number>;
  /** The devices of a tree whose evidence shares any of `keys`, with all their keys. */
  candidates(treeRoot: string, keys: readonly string[]): Promise<IdentityCandidateRecord[]>;
  /** How many devices of the tree hold each key, counted up to `cap` (an index range per key, never the whole tree). */
  keyHolders(treeRoot: string, keys: readonly string[], cap: number): Promise<Map<string, number>>;
  /** Replaces the device's evidence keys; true when they changed. */
  setEvidence(deviceId: string, treeRoot: string, evidence: { strong: readonly string[]; weak: readonly string[] }): Promise<boolean>;
  /** Whether the device has evidence on record (devices enrolled before identity was kept have none until their next hello). */
  hasEvidence(deviceId: string): Promise<boolean>;
  /**
   * Counts one enrolment on the token, atomically against its limit.
   * 'last': counted, and it was the last the limit allows (limit_hit_at is
   * set now); 'exhausted': the limit was already reached, nothing counted;
   * 'invalid': the token is gone, revoked or expired since the upgrade.
   */
  takeEnrolment(tokenId: string, nowMs: number): Promise<'ok' | 'last' | 'exhausted' | 'invalid'>;
  /**
   * A known machine enrols again: the same device goes on with a new key (the
   * old one no longer authenticates), under the token's company from now on;
   * an uninstall is cleared (the agent is back). Returns the company it was at.
   */
  reenrol(input: { deviceId: string; companyId: string; keyHash: string; instanceId: string; agentVersion: string; tokenId: string; firstRunAtMs: number | null; nowMs: number }): Promise<{ previousCompanyId: string }>;
  /** Records possible duplicates of `deviceId` (pairs already known keep their first finding; dismissed ones stay dismissed). */
  flagDuplicates(deviceId: string, of: readonly string[], why: string, evidence: readonly string[], nowMs: number): Promise<void>;
  /** Open (not dismissed) pairs where either device is among `companyIds`' devices (null: every company). */
  listDuplicates(companyIds: readonly string[] | null): Promise<DuplicatePair[]>;
  dismissDuplicate(deviceA: string, deviceB: string, nowMs: number, actor: string): Promise<boolean>;
  appendHistory(entries: readonly DeviceHistoryEntry[]): Promise<void>;
  history(deviceId: string): Promise<DeviceHistoryEntry[]>;
  /**
   * Moves a device to another company from `fromDay` (a UTC day) on: its
   * device-days from that day are re-attributed, and finalized months among
   * them are marked late (they become adjustments).
   */
  moveDevice(deviceId: string, companyId: string, fromDay: number, nowMs: number): Promise<DeviceMoveResult>;
  /**
   * Folds `duplicateId` into `survivorId`: its device-days (a day both have:
   * seconds summed up to a day's length, modules united, the company of the
   * row with more seconds), dedupe marks, events and late records move to the
   * survivor; the duplicate stays as a row pointing at the survivor.
   * `keys` chooses which device keys keep working (as the survivor).
   */
  mergeDevices(input: { survivorId: string; duplicateId: string; keys: DeviceKeyChoice; nowMs: number }): Promise<{ daysFolded: number; finalizedMonthsTouched: string[] }>;
  setRetired(deviceId: string, retiredAtMs: number | null): Promise<void>;
  addExclusion(exclusion: DeviceExclusion): Promise<void>;
  /** Ends the device's open exclusion at `untilMs`; false when none is open. */
  endExclusion(deviceId: string, untilMs: number): Promise<boolean>;
  exclusions(deviceIds: readonly string[]): Promise<DeviceExclusion[]>;
  /** What the socket needs to judge a device's records: its enrolments, its agent's first run, an open uninstall, retirement. */
  lifecycle(deviceId: string): Promise<DeviceLifecycle | null>;
  /** An agent connection of the device opened (on this or another collector). */
  markConnected(deviceId: string, sinceMs: number): Promise<void>;
  /** The connection opened at `sinceMs` closed (a newer connection's mark stays). */
  markDisconnected(deviceId: string, sinceMs: number): Promise<void>;
  /** markDisconnected for many devices in one transaction (a collector shutting down clears its agents' marks at once). */
  markDisconnectedMany(marks: readonly { deviceId: string; sinceMs: number }[]): Promise<void>;
  /** Clears an uninstall that later usage contradicts (a reinstall, or an uninstall rolled back); false when there was none. */
  clearUninstall(deviceId: string): Promise<boolean>;
}

export interface DeviceLifecycle {
  enrolledAtMs: number;
  lastEnrolledAtMs: number | null;
  firstRunAtMs: number | null;
  uninstalledAtMs: number | null;
  retiredAtMs: number | null;
}

/** A device's latest reported facts (the devices table's facts_json). */
export interface DeviceFactsRecord {
  deviceId: string;
  /** The devices table's hostname (kept current from hello and inventory). */
  hostname: string;
  /** The last DeviceFacts the agent reported, as proto JSON (camelCase keys); null if none or unreadable. */
  facts: IDeviceFacts | null;
}

export interface ApiKeyRecord {
  id: string;
  label: string;
  /** null: the whole installation (the operator's own key). */
  companyId: string | null;
  readOnly: boolean;
  /** The key's role; null for keys from before roles (owner, or auditor when readOnly). */
  role: Role | null;
  /** The user who created the key; null when created before users existed, or by the CLI. */
  createdByUserId: string | null;
}

export interface ApiKeyListing extends ApiKeyRecord {
  createdAtMs: number;
  revokedAtMs: number | null;
}

export interface EnrolmentTokenListing extends EnrolmentToken {
  createdAtMs: number;
  /** When the token first refused an enrolment for its limit. */
  limitHitAtMs: number | null;
}

/** Used by the CLI and the admin API for keys, tokens and companies. */
export interface AdminWriteStore {
  createApiKey(input: { id: string; keyHash: string; label: string; companyId: string | null; readOnly: boolean; nowMs: number; role?: Role | null; createdByUserId?: string | null }): Promise<void>;
  findApiKey(keyHash: string): Promise<ApiKeyRecord | null>;
  /** The key with this id, unless revoked. */
  getApiKey(id: string): Promise<ApiKeyRecord | null>;
  createEnrolmentToken(input: { id: string; companyId: string; tokenHash: string; expiresAtMs: number | null; maxEnrolments?: number | null; nowMs: number }): Promise<void>;
  listApiKeys(companyIds: readonly string[] | null): Promise<ApiKeyListing[]>;
  /** Returns false when there is no such key (or it was already revoked). */
  revokeApiKey(id: string, nowMs: number): Promise<boolean>;
  listEnrolmentTokens(companyIds: readonly string[] | null): Promise<EnrolmentTokenListing[]>;
  revokeEnrolmentToken(id: string, nowMs: number): Promise<boolean>;
}

export interface UserRecord {
  id: string;
  companyId: string;
  externalId: string;
  displayName: string | null;
  groupIds: string[];
  lastActiveAtMs: number | null;
}

export interface UserGroupRecord {
  id: string;
  companyId: string;
  name: string;
}

/** The admin side of tenancy and licensing: companies, groups, users, subscriptions. */
export interface TenancyStore {
  /** Creates a company under a partner (or at the top); path is derived from the parent. */
  createCompany(input: { id: string; name: string; type: CompanyType; parentId: string | null; externalId: string | null; nowMs: number }): Promise<Company>;
  getCompany(id: string): Promise<Company | null>;
  updateCompany(id: string, patch: { name?: string; externalId?: string | null }): Promise<Company>;
  /** Inactivating stops billing from nowMs on and refuses the company's agents; data stays. */
  setCompanyActive(id: string, active: boolean, nowMs: number): Promise<Company>;
  /**
   * Puts a company, with everything below it, under another partner (null:
   * the top level): the paths of its whole subtree change, the move is kept
   * (months that ended before it keep their tree), and its devices' hardware
   * evidence follows it to the new partner's tree. not_found for an unknown
   * company or parent; conflict for a customer as parent, or a parent inside
   * the company's own subtree.
   */
  moveCompany(input: { id: string; parentId: string | null; moveId: string; nowMs: number }): Promise<Company>;
  createUserGroup(input: { id: string; companyId: string; name: string; nowMs: number }): Promise<UserGroupRecord>;
  listUserGroups(companyId: string): Promise<UserGroupRecord[]>;
  /** Creates the user, or returns the existing one with the same stable id in the company. */
  upsertUser(input: { id: string; companyId: string; externalId: string; displayName: string | null; nowMs: number }): Promise<UserRecord>;
  listUsers(companyId: string): Promise<UserRecord[]>;
  addGroupMember(groupId: string, userId: string, nowMs: number): Promise<void>;
  /** An admin's binding of a device to a user (null: explicitly no user); overrides the agent's. */
  assignDeviceUser(deviceId: string, userId: string | null): Promise<void>;
  /** Appends a version; the previous version of the same subscription ends where this one starts. */
  addSubscriptionVersion(version: SubscriptionVersion, nowMs: number): Promise<void>;
  listSubscriptionVersions(companyId: string | null): Promise<SubscriptionVersion[]>;
  recordXdrDeployment(input: { companyId: string; month: string; category: XdrCategory; nowMs: number }): Promise<void>;
}

/** A finalized month as stored: every report, immutable, with its hash. */
export interface MonthSnapshot {
  month: string;
  reports: { endpoint_security: MonthlyUsageReport; edr: MonthlyUsageReport };
  userUsage: UserUsageReport;
  /** sha256 over the canonical reports. */
  hash: string;
}

/**
 * A finalized month's current figures as stored: the rows of a month run,
 * or, for a month finalized before months were rows, its one snapshot
 * document (read whole: those were bounded in size when they were written).
 */
export interface StoredMonthFigures {
  month: string;
  hash: string;
  /** The month run whose rows hold the figures; null for a snapshot stored whole. */
  runId: string | null;
  /** The snapshot stored whole, when runId is null. */
  snapshot: MonthSnapshot | null;
}

/** What a company row of a month run is: a report's row (without its lines), or a company's user usage (without its lines). */
export type MonthRowKind = ProductType | 'users';

/** Rows of a month run written together (a page of devices' lines, or the company rows at the end). Bodies are canonical JSON. */
export interface MonthRunRows {
  endpointLines: { productType: ProductType; companyId: string; deviceId: string; body: string }[];
  userLines: { companyId: string; kind: 'd' | 'u'; refId: string; body: string }[];
  companyRows: { kind: MonthRowKind; companyId: string; body: string }[];
}

export interface MonthAdjustment {
  id: number;
  month: string;
  createdAtMs: number;
  hashBefore: string;
  hashAfter: string;
  lines: AdjustmentLine[];
}

/** Everything the pure core needs for a month (the tests' oracle reads it whole: test/helpers/billing-oracle.ts). */
export interface BillingInputs {
  companies: BillingCompany[];
  subscriptions: SubscriptionVersion[];
  deviceDays: DeviceDay[];
  xdrSensorDeployments: XdrSensorDeployment[];
  users: BillingUser[];
}

/** Everything the pure core needs for a month except its device-day rows. */
export type BillingContext = Omit<BillingInputs, 'deviceDays'>;

/** One device's rows of a range of days, and the company it belongs to now. */
export interface MonthDeviceRows {
  deviceId: string;
  /** The device's company today (a device that moved has rows at its earlier companies too). */
  currentCompanyId: string;
  /** Its rows in the range, in day order. */
  days: DeviceDay[];
  /** An admin's exclusions of the device from billing (any that may touch the range). */
  exclusions?: { fromMs: number; untilMs: number | null; reason: string }[];
}

export interface MonthDevicePageQuery {
  fromDay: number;
  toDay: number;
  /** Keyset paging: devices whose id sorts after this one; null for the first page. */
  after: string | null;
  /** Devices scanned per page (those without rows in the range count too). */
  limit: number;
  /** Only the devices that belong to this company now. */
  currentCompanyId?: string;
  /** Only these devices. */
  deviceIds?: readonly string[];
}

/** One device's summary of a month (sql/summaries.ts), with what the core checks besides it. */
export interface MonthSummaryRow {
  summary: DeviceMonthSummary;
  /** The device's company today. */
  currentCompanyId: string;
  /** How many of an admin's exclusions from billing of the device may touch the month. */
  exclusions: number;
}

/** What the billing service reads and the month closing writes. */
export interface BillingStore {
  /**
   * A page of a month's device summaries in device id order (one row per
   * device with rows in the month): `next` is the `after` of the following
   * page, null after the last.
   */
  monthSummaryPage(query: { month: string; after: string | null; limit: number }): Promise<{ devices: MonthSummaryRow[]; next: string | null }>;
  /** What the pure core needs for a month besides its device-days, from one consistent read; the device-days are streamed with monthDevicePage. */
  billingContext(month: string): Promise<BillingContext>;
  /**
   * A page of devices in id order, each with all its rows in [fromDay, toDay)
   * (devices without any are left out). `next` is the `after` of the
   * following page, null after the last. Each page is one short read, so a
   * month of any size streams in bounded memory without holding a cursor
   * (or the connection) across pages; a device's rows come from one read.
   */
  monthDevicePage(query: MonthDevicePageQuery): Promise<{ devices: MonthDeviceRows[]; next: string | null }>;
  /** The month as finalized (not its adjustments): its hash, and where its figures are (runId; null for a snapshot stored whole). */
  getFinalizedMonth(month: string): Promise<{ hash: string; finalizedAtMs: number; runId: string | null } | null>;
  listFinalizedMonths(): Promise<{ month: string; finalizedAtMs: number; hash: string }[]>;
  /**
   * Stores the month's snapshot as one document; fails with conflict if it is
   * already finalized. The form months were stored in before they were rows
   * (what older databases hold): the month closer writes runs
   * (startMonthRun ... publishFinalizedMonth).
   */
  saveFinalizedMonth(snapshot: MonthSnapshot, nowMs: number): Promise<void>;
  /**
   * Starts writing a month's figures as rows: a run (id returned) that no
   * reader sees until publishFinalizedMonth or saveAdjustment points the
   * month at it. Runs left unpublished (a crash, a lost race) are removed by
   * discardStaleMonthRuns.
   */
  startMonthRun(month: string, nowMs: number): Promise<string>;
  /** Writes rows of a run, in one transaction (a page: short, so ingest never waits long). */
  writeMonthRunRows(runId: string, rows: MonthRunRows, nowMs: number): Promise<void>;
  /** A run's company rows, by kind then company id. */
  monthRunCompanyRows(runId: string): Promise<{ kind: MonthRowKind; companyId: string; body: string }[]>;
  /** A page of a run's endpoint lines of one product type, by company then device id, after the given key (keyset paging); optionally one company's (one device's). */
  monthRunEndpointLines(q: { runId: string; productType: ProductType; companyId?: string; deviceId?: string; after: { companyId: string; deviceId: string } | null; limit: number }):
    Promise<{ companyId: string; deviceId: string; body: string }[]>;
  /** A page of a run's user lines, by company, kind, id, after the given key; optionally one company's. */
  monthRunUserLines(q: { runId: string; companyId?: string; after: { companyId: string; kind: string; refId: string } | null; limit: number }):
    Promise<{ companyId: string; kind: 'd' | 'u'; refId: string; body: string }[]>;
  /** Records the hashes of a run whose rows are all written (read back and hashed). */
  sealMonthRun(runId: string, hashes: Record<MonthRowKind, string>, hash: string): Promise<void>;
  /**
   * Makes a sealed run the month's finalized figures, in one short
   * transaction; conflict if the month is already finalized (the run is
   * then the caller's to discard).
   */
  publishFinalizedMonth(input: { month: string; runId: string; nowMs: number }): Promise<{ hash: string }>;
  /** Deletes a run that was never published, a bounded batch of rows per transaction. */
  discardMonthRun(runId: string): Promise<void>;
  /** Discards runs that were never published and were last written before `touchedBeforeMs` (their collector stopped). Returns how many. */
  discardStaleMonthRuns(touchedBeforeMs: number): Promise<number>;
  /** Finalized months that received late data since their last snapshot. */
  monthsWithLateData(): Promise<string[]>;
  /**
   * Appends an adjustment that carries the recomputed snapshot, and clears the
   * late-data mark as clearLateMark does. Conflict when hashBefore is no longer
   * the month's current hash (another collector adjusted it meanwhile). The finalized snapshot itself never changes; the month's
   * current figures are those of its latest adjustment.
   */
  saveAdjustment(input: { month: string; hashBefore: string; lines: AdjustmentLine[]; nowMs: number; lateDataBeforeMs: number }
    & ({ snapshot: MonthSnapshot; runId?: undefined } | { runId: string; snapshot?: undefined })): Promise<MonthAdjustment>;
  /**
   * Clears a month's late-data mark, but only if its latest late data is older
   * than `lateDataBeforeMs` (the moment the recomputation read the facts):
   * data that arrived while it ran keeps the mark for the next pass.
   */
  clearLateMark(month: string, lateDataBeforeMs: number): Promise<void>;
  /** Marks a finalized month late if any of its device-days were written at or after `sinceMs` (writes racing its finalization). */
  markLateIfWrittenSince(month: string, fromDay: number, toDay: number, sinceMs: number, nowMs: number): Promise<boolean>;
  listAdjustments(month: string): Promise<MonthAdjustment[]>;
  /** The latest adjustment's figures, or the finalized ones; null if the month is not finalized. */
  currentSnapshot(month: string): Promise<StoredMonthFigures | null>;
  /** Device-day rows that arrived for finalized months beyond the adjustment window. */
  countUnbilledLateRecords(): Promise<number>;
}

export interface AuditEntry {
  id: number;
  atMs: number;
  /** Who acted: `user:<id>`, `api-key:<id>`, `cli`, `system:<job>`. */
  actor: string;
  /** The person behind the action: the user, or the user who owns the acting key; null otherwise. */
  userId: string | null;
  action: string;
  targetType: string;
  targetId: string;
  companyId: string | null;
  details: unknown;
}

/** Append-only log of admin actions. */
export interface AuditStore {
  append(entry: Omit<AuditEntry, 'id' | 'userId'> & { userId?: string | null }): Promise<void>;
  /** Newest first; companyIds restricts to entries about those companies (null: all). */
  list(opts: { companyIds: readonly string[] | null; beforeId: number | null; limit: number }): Promise<AuditEntry[]>;
}

export type ReportJobStatus = 'pending' | 'ready' | 'failed';

export interface ReportJob {
  id: string;
  companyId: string;
  requestedBy: string;
  name: string;
  month: string;
  format: string;
  /** The validated report options, as JSON. */
  options: unknown;
  status: ReportJobStatus;
  error: string | null;
  fileName: string | null;
  sizeBytes: number | null;
  createdAtMs: number;
  finishedAtMs: number | null;
  /** The partner the job counts against: the nearest partner at or above its company (the company itself when none). */
  tenantId: string;
  /** Times a collector claimed it (a run cut short by a crash counts). */
  attempts: number;
  /** The schedule that made it, if any. */
  scheduleId: string | null;
  /** Where the finished report is mailed (scheduled reports); empty: nowhere. */
  emailTo: string[];
  /** While a collector works on it: until when its lease holds (null when nobody holds one). */
  leaseUntilMs: number | null;
}

/** A job to put on the queue. */
export type NewReportJob = Pick<ReportJob, 'id' | 'companyId' | 'requestedBy' | 'name' | 'month' | 'format' | 'options' | 'createdAtMs'>
  & { scheduleId?: string | null; emailTo?: readonly string[] };

/** What enqueueing answered: queued, or refused because the tenant already has `queued` jobs waiting or running. */
export type EnqueueOutcome = { queued: true; tenantId: string } | { queued: false; tenantId: string; waiting: number };

/** A claim: the collector `owner` takes the next job in fair order for `leaseMs`. */
export interface JobClaim {
  owner: string;
  nowMs: number;
  leaseMs: number;
  /** Jobs of one tenant running at once, over every collector. */
  maxRunningPerTenant: number;
  /** A job whose lease ran out this many times is failed instead of claimed again (a job that kills its collector). */
  maxAttempts: number;
}

export interface ReportSchedule {
  id: string;
  companyId: string;
  createdBy: string;
  name: string;
  format: string;
  options: unknown;
  dayOfMonth: number;
  hourUtc: number;
  emailTo: string[];
  lastRunMonth: string | null;
  createdAtMs: number;
}

/**
 * Reports generated for later download, and report schedules. The job rows
 * are a queue with leases: a collector claims a job (fair order between
 * tenants, bounded per tenant), renews its lease while it works, and
 * finishes or fails it only while it still holds the lease. A lease that
 * runs out (the collector died) makes the job claimable again.
 */
export interface ReportStore {
  /** Queues a job unless its tenant already has `maxQueuedPerTenant` jobs waiting or running (atomic over every collector). */
  enqueueJob(job: NewReportJob, maxQueuedPerTenant: number): Promise<EnqueueOutcome>;
  /**
   * A schedule's run for a month and its job, in ONE transaction: 'queued' (claimed and queued), 'already_ran' (this
   * or another collector claimed the month), 'queue_full' (nothing written: the next check tries again).
   */
  queueScheduleRun(scheduleId: string, month: string, job: NewReportJob, maxQueuedPerTenant: number): Promise<'queued' | 'already_ran' | 'queue_full'>;
  /** The next job in fair order, leased to claim.owner (attempts counted); null when none may run now. */
  claimJob(claim: JobClaim): Promise<ReportJob | null>;
  /** Extends the lease; false when the owner no longer holds it (it ran out and another collector took the job). */
  renewLease(id: string, owner: string, nowMs: number, leaseMs: number): Promise<boolean>;
  /** Finishes the job, only while `owner` holds its lease; false otherwise (nothing changed). */
  finishJob(id: string, owner: string, outcome: { status: 'ready'; fileName: string; sizeBytes: number; error?: string | null } | { status: 'failed'; error: string }, nowMs: number): Promise<boolean>;
  /** Gives the job back to the queue (a failed attempt with attempts left, or a collector stopping): claimable from runAfterMs. */
  releaseJob(id: string, owner: string, o: { error: string | null; runAfterMs: number; uncountAttempt?: boolean }): Promise<boolean>;
  /** Finished jobs (ready or failed) that finished before `beforeMs`, oldest first: what retention deletes. */
  finishedBefore(beforeMs: number, limit: number): Promise<{ id: string; fileName: string | null }[]>;
  /** Deletes these job rows; returns how many. */
  deleteJobs(ids: readonly string[]): Promise<number>;
  /** Jobs waiting and running now, over every tenant (for /metrics). */
  queueDepth(nowMs: number): Promise<{ waiting: number; running: number }>;
  getJob(id: string): Promise<ReportJob | null>;
  listJobs(companyIds: readonly string[] | null, limit: number): Promise<ReportJob[]>;
  createSchedule(s: Omit<ReportSchedule, 'lastRunMonth'>): Promise<void>;
  listSchedules(companyIds: readonly string[] | null): Promise<ReportSchedule[]>;
  deleteSchedule(id: string): Promise<boolean>;
}

/** An admin user: a person who signs in to the console (not a tenancy user, whose activity is billed). */
export interface AdminUser {
  id: string;
  /** Lower case. */
  email: string;
  name: string;
  role: Role;
  /** null: the whole installation; else a partner (with its subtree) or one customer company. */
  companyId: string | null;
  /** Signs in with a password (else only through single sign-on). */
  hasPassword: boolean;
  mustChangePassword: boolean;
  totpEnabled: boolean;
  ssoProviderId: string | null;
  failedLogins: number;
  lockedUntilMs: number | null;
  createdAtMs: number;
  createdBy: string;
  disabledAtMs: number | null;
  lastLoginAtMs: number | null;
}

/** What sign-in checks; never listed. */
export interface AdminUserSecrets {
  passwordHash: string | null;
  /** base32; set while being set up (totpEnabled false) or in use. */
  totpSecret: string | null;
  /** SHA-256 of each unused recovery code. */
  recoveryCodeHashes: string[];
}

export interface NewAdminUser {
  id: string;
  email: string;
  name: string;
  role: Role;
  companyId: string | null;
  passwordHash: string | null;
  mustChangePassword: boolean;
  ssoProviderId: string | null;
  ssoSubject: string | null;
  createdBy: string;
  nowMs: number;
}

export type AdminUserPatch = Partial<{
  name: string; role: Role; companyId: string | null; disabledAtMs: number | null; passwordHash: string | null; mustChangePassword: boolean;
  totpSecret: string | null; totpEnabledAtMs: number | null; recoveryCodeHashes: string[]; failedLogins: number; lockedUntilMs: number | null;
  lastLoginAtMs: number | null;
}>;

/** How a single sign-on claim value maps to a role and a scope. */
export interface SsoMapping {
  value: string;
  role: Role;
  /** null: the provider's own scope (its company, or the installation). */
  companyId: string | null;
}

export interface SsoProvider {
  id: string;
  /** null: configured for the whole installation; else a partner's. */
  companyId: string | null;
  name: string;
  issuer: string;
  clientId: string;
  clientSecret: string;
  claim: string;
  mappings: SsoMapping[];
  createdAtMs: number;
  updatedAtMs: number;
  disabledAtMs: number | null;
}

/** Admin users, their sign-in settings and the single sign-on providers. */
export interface UserStore {
  /** Users not disabled (0 means the console still takes API keys: bootstrap). */
  countActiveUsers(): Promise<number>;
  /** A duplicate e-mail address (or SSO subject) is StorageError('conflict'). */
  createUser(user: NewAdminUser): Promise<void>;
  getUser(id: string): Promise<AdminUser | null>;
  findUserByEmail(email: string): Promise<AdminUser | null>;
  findUserBySso(providerId: string, subject: string): Promise<AdminUser | null>;
  userSecrets(id: string): Promise<AdminUserSecrets | null>;
  /** companyIds null: every user; else the users of those companies (installation users are not in any). */
  listUsers(companyIds: readonly string[] | null): Promise<AdminUser[]>;
  /** false when there is no such user. */
  updateUser(id: string, patch: AdminUserPatch): Promise<boolean>;
  /** Counts a failed sign-in at once (several collectors count together); locks the user for lockMs at maxFailures. */
  recordLoginFailure(id: string, nowMs: number, policy: { maxFailures: number; lockMs: number }): Promise<{ failedLogins: number; lockedUntilMs: number | null }>;
  /** Spends a recovery code (its hash); false when it is not one of the unused ones. */
  useRecoveryCode(id: string, codeHash: string): Promise<boolean>;
  getSetting(name: string): Promise<string | null>;
  setSetting(name: string, value: string): Promise<void>;
  createSsoProvider(p: Omit<SsoProvider, 'updatedAtMs' | 'disabledAtMs'>): Promise<void>;
  updateSsoProvider(id: string, patch: Partial<Pick<SsoProvider, 'name' | 'issuer' | 'clientId' | 'clientSecret' | 'claim' | 'mappings' | 'disabledAtMs'>>, nowMs: number): Promise<boolean>;
  getSsoProvider(id: string): Promise<SsoProvider | null>;
  /** companyIds null: every provider; else the providers of those companies. */
  listSsoProviders(companyIds: readonly string[] | null): Promise<SsoProvider[]>;
}

export type SessionStage = 'active' | 'password' | 'mfa_setup' | 'mfa';

export interface ConsoleSessionRecord {
  id: string;
  userId: string | null;
  apiKeyId: string | null;
  stage: SessionStage;
  csrfToken: string;
  createdAtMs: number;
  lastUsedAtMs: number;
  userAgent: string;
  address: string;
}

export interface SsoLoginState {
  state: string;
  providerId: string;
  codeVerifier: string;
  nonce: string;
  next: string;
  createdAtMs: number;
}

/** Console sessions, shared by every collector on the database. */
export interface SessionStore {
  /**
   * Stores a session; when its user (or key) then holds more than
   * maxPerOwner sessions, the oldest of THEIR sessions end (nobody else's).
   * Returns how many were ended.
   */
  createSession(s: ConsoleSessionRecord & { tokenHash: string; maxPerOwner: number }): Promise<number>;
  findSession(tokenHash: string): Promise<ConsoleSessionRecord | null>;
  touchSession(id: string, nowMs: number, stage?: SessionStage): Promise<void>;
  deleteSession(id: string): Promise<void>;
  /** Ends every session of the user (or key), except `keep`; returns how many. */
  deleteSessionsOf(owner: { userId: string } | { apiKeyId: string }, keep?: string | null): Promise<number>;
  listSessions(userId: string): Promise<ConsoleSessionRecord[]>;
  /** Deletes sessions idle since before idleBefore or created before createdBefore, and SSO sign-ins started before the latter. */
  sweep(idleBefore: number, createdBefore: number, ssoBefore: number): Promise<number>;
  saveSsoLogin(s: SsoLoginState): Promise<void>;
  /** The sign-in under way with this state, removed as it is read (a state works once). */
  takeSsoLogin(state: string): Promise<SsoLoginState | null>;
}

/** An outbound webhook endpoint as listed: never its secret. */
export interface WebhookEndpoint {
  id: string;
  /** null: the installation (every event); else a partner (its subtree) or a customer company. */
  companyId: string | null;
  url: string;
  description: string;
  /** The event types it receives; empty: every type. */
  eventTypes: string[];
  disabledAtMs: number | null;
  createdAtMs: number;
  updatedAtMs: number;
  createdBy: string;
}

/** An event written to the outbox. */
export interface HookEventInput {
  /** The Standard Webhooks message id (webhook-id): the same on every retry. */
  id: string;
  type: string;
  /** The company the event concerns; null: installation-wide. */
  companyId: string | null;
  /** At most one event per key: publishing it again is a no-op. */
  dedupeKey?: string | null;
  tokenId?: string | null;
  data: Record<string, unknown>;
  atMs: number;
}

export interface HookEvent extends HookEventInput {
  dispatchedAtMs: number | null;
}

export type DeliveryOutcome = 'delivered' | 'http_error' | 'timeout' | 'network_error' | 'redirect';

/** A delivery the worker is to send now, with what it needs to sign it. */
export interface DueDelivery {
  id: string;
  endpointId: string;
  url: string;
  secret: string;
  attempts: number;
  nextAttemptAtMs: number;
  event: HookEvent;
}

export interface WebhookDelivery {
  id: string;
  endpointId: string;
  eventId: string;
  eventType: string;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  nextAttemptAtMs: number;
  createdAtMs: number;
  finishedAtMs: number | null;
}

/** One line of an endpoint's delivery log. */
export interface DeliveryAttempt {
  id: string;
  deliveryId: string;
  endpointId: string;
  eventId: string;
  attempt: number;
  atMs: number;
  outcome: DeliveryOutcome;
  statusCode: number | null;
  durationMs: number;
  error: string | null;
}

export interface AlertRule {
  id: string;
  companyId: string;
  name: string;
  kind: string;
  params: Record<string, number>;
  emailTo: string[];
  disabledAtMs: number | null;
  createdAtMs: number;
  createdBy: string;
}

export interface AlertState {
  ruleId: string;
  subject: string;
  raisedAtMs: number;
  details: Record<string, unknown>;
}

/** Webhook endpoints, the event outbox, deliveries and their log, alert rules and the alerts raised now. */
export interface HookStore {
  createEndpoint(e: WebhookEndpoint & { secret: string }): Promise<void>;
  updateEndpoint(id: string, patch: Partial<Pick<WebhookEndpoint, 'url' | 'description' | 'eventTypes' | 'disabledAtMs'>> & { updatedAtMs: number }): Promise<void>;
  /** Deletes the endpoint and its pending deliveries (the log stays). */
  deleteEndpoint(id: string): Promise<boolean>;
  getEndpoint(id: string): Promise<WebhookEndpoint | null>;
  /** Endpoints whose company is in companyIds (null: every endpoint, installation ones included). */
  listEndpoints(companyIds: readonly string[] | null): Promise<WebhookEndpoint[]>;
  /** Writes an event to the outbox; false when its dedupe key was published already. */
  publish(e: HookEventInput): Promise<boolean>;
  undispatchedEvents(limit: number): Promise<HookEvent[]>;
  /** Marks the event dispatched and creates one pending delivery per endpoint, at once; false when another worker dispatched it first. */
  dispatch(eventId: string, deliveries: readonly { id: string; endpointId: string; nextAttemptAtMs?: number }[], nowMs: number): Promise<boolean>;
  dueDeliveries(nowMs: number, limit: number): Promise<DueDelivery[]>;
  /** Takes those of these deliveries still due at nowMs for this worker until leaseUntilMs, in one statement; returns the ids it took. */
  claimDue(ids: readonly string[], nowMs: number, leaseUntilMs: number): Promise<string[]>;
  /** Takes a due delivery for this worker until leaseUntilMs (compare-and-set on its next attempt time). */
  claimDelivery(id: string, expectedNextAttemptAtMs: number, leaseUntilMs: number): Promise<boolean>;
  /** Logs an attempt and moves the delivery on: delivered, failed for good, or pending again at nextAttemptAtMs. */
  recordAttempt(a: DeliveryAttempt, next: { status: 'pending'; nextAttemptAtMs: number } | { status: 'delivered' | 'failed' }): Promise<void>;
  getDelivery(id: string): Promise<DueDelivery | null>;
  listDeliveries(endpointId: string, limit: number): Promise<WebhookDelivery[]>;
  listAttempts(endpointId: string, limit: number): Promise<DeliveryAttempt[]>;
  /**
   * Retention: deletes attempts logged before beforeMs, deliveries that
   * finished before it, and events dispatched before it that have no pending
   * delivery left. Pending deliveries and their events always stay.
   */
  prune(beforeMs: number): Promise<{ events: number; deliveries: number; attempts: number }>;
  /** Events of these types concerning companyIds (null: all), newest first. */
  listEvents(q: { companyIds: readonly string[] | null; types?: readonly string[]; limit: number }): Promise<HookEvent[]>;

  createRule(r: AlertRule): Promise<void>;
  updateRule(id: string, patch: Partial<Pick<AlertRule, 'name' | 'params' | 'emailTo' | 'disabledAtMs'>>): Promise<void>;
  deleteRule(id: string): Promise<boolean>;
  getRule(id: string): Promise<AlertRule | null>;
  listRules(companyIds: readonly string[] | null): Promise<AlertRule[]>;
  alertStates(ruleId: string): Promise<AlertState[]>;
  /** Records a raised condition; false when it is raised already (one alert until it clears). */
  raiseAlert(s: AlertState): Promise<boolean>;
  clearAlert(ruleId: string, subject: string): Promise<boolean>;

  /** Distinct devices of these companies with awake time on a UTC day. */
  activeEndpoints(companyIds: readonly string[], utcDay: number): Promise<number>;
  /** Enrolments (new and re-enrolments) per token of these companies since sinceMs, from the outbox. */
  enrolmentsByToken(companyIds: readonly string[], sinceMs: number): Promise<{ tokenId: string; count: number }[]>;
}

/** A staged rollout rule: the share of a target's devices offered a release. */
export interface RolloutRule {
  /** null: every device; else a partner (its whole subtree) or a customer company. */
  companyId: string | null;
  /** 0-100. */
  percent: number;
  updatedAtMs: number;
}

/** An agent release as published: its signed manifest (JSON, verified by agents themselves) and its rollout. */
export interface AgentRelease {
  sequence: number;
  version: string;
  channel: string;
  /** The SignedManifest as published. */
  signed: unknown;
  publishedAtMs: number;
  publishedBy: string;
  pausedAtMs: number | null;
  rollout: RolloutRule[];
}

/** Agent releases and their rollouts (auto-update). */
export interface ReleaseStore {
  /** Adds a release; false when its sequence is taken (sequences are signed and never reused). */
  publish(r: Omit<AgentRelease, 'pausedAtMs' | 'rollout'>): Promise<boolean>;
  get(sequence: number): Promise<AgentRelease | null>;
  /** Newest first. */
  list(limit: number): Promise<AgentRelease[]>;
  /** The newest releases an agent may be offered: not paused, in these channels, newest first. */
  offerable(channels: readonly string[], limit: number): Promise<AgentRelease[]>;
  /** The newest release of a version (any channel, paused or not): the package an agent keeps aside to roll back to. */
  latestOfVersion(version: string): Promise<AgentRelease | null>;
  setRollout(sequence: number, companyId: string | null, percent: number, nowMs: number): Promise<void>;
  setPaused(sequence: number, pausedAtMs: number | null): Promise<void>;
  /** The highest sequence published, 0 when none. */
  highestSequence(): Promise<number>;
}

/** A PSA connection as stored: credentials only in their encrypted form. */
export interface PsaConnectionRecord {
  kind: string;
  baseUrl: string;
  /** v1:<fingerprint>:<iv>:<tag>:<ciphertext> (psa/secrets.ts). */
  encryptedCredentials: string;
  /** Identifiers safe to show (never a secret). */
  shown: Record<string, string>;
  syncHours: number;
  lastSyncAtMs: number | null;
  lastSyncStatus: string | null;
  createdAtMs: number;
  updatedAtMs: number;
}

export interface PsaCompanyMap {
  kind: string;
  companyId: string;
  psaCompanyId: string;
  psaCompanyName: string;
  agreementId: string;
  agreementName: string;
  updatedAtMs: number;
  updatedBy: string;
}

export interface PsaProductMap {
  kind: string;
  sku: string;
  productId: string;
  productName: string;
  updatedAtMs: number;
  updatedBy: string;
}

/** What Tally last made a PSA hold for one month, company and SKU. */
export interface PsaLedgerEntry {
  kind: string;
  month: string;
  companyId: string;
  sku: string;
  agreementId: string;
  productId: string;
  lineId: string | null;
  quantity: number;
  final: boolean;
  adjusted: number;
  pendingMarker: string | null;
  pendingDelta: number | null;
  updatedAtMs: number;
}

/** PSA connections, mappings and the sync ledger (psa/). */
export interface PsaStore {
  getConnection(kind: string): Promise<PsaConnectionRecord | null>;
  listConnections(): Promise<PsaConnectionRecord[]>;
  /** Creates or replaces the connection (created_at kept). */
  putConnection(c: Omit<PsaConnectionRecord, 'createdAtMs' | 'lastSyncAtMs' | 'lastSyncStatus'>): Promise<void>;
  recordSync(kind: string, atMs: number, status: string): Promise<void>;
  /** Takes the connection's sync lease until `untilMs` unless another holder's lease runs past `nowMs`; false when it is held. */
  claimSync(kind: string, nowMs: number, untilMs: number): Promise<boolean>;
  releaseSync(kind: string, untilMs: number): Promise<void>;
  listCompanyMaps(kind: string): Promise<PsaCompanyMap[]>;
  putCompanyMap(m: PsaCompanyMap): Promise<void>;
  deleteCompanyMap(kind: string, companyId: string): Promise<boolean>;
  listProductMaps(kind: string): Promise<PsaProductMap[]>;
  putProductMap(m: PsaProductMap): Promise<void>;
  deleteProductMap(kind: string, sku: string): Promise<boolean>;
  /** Every ledger entry of the connection for the month (ledger(kind, month)), or for every month after it (later: true). */
  ledger(kind: string, month: string, opts?: { later?: boolean }): Promise<PsaLedgerEntry[]>;
  putLedger(e: PsaLedgerEntry): Promise<void>;
  /** Per company (of those given), when Tally last confirmed or wrote a PSA line of it, on any connection. */
  lastLedgerWrites(companyIds: readonly string[]): Promise<Map<string, number>>;
}

/** The stores an admin command may use, bound to one transaction. */
export type AdminStores = Pick<Storage, 'adminRead' | 'adminWrite' | 'tenancy' | 'billing' | 'audit' | 'reports' | 'devices' | 'users' | 'sessions' | 'releases' | 'hooks' | 'psa'>;

export interface Storage {
  readonly kind: 'sqlite' | 'postgres';
  readonly enrolment: EnrolmentStore;
  readonly ingest: IngestStore;
  readonly adminRead: AdminReadStore;
  readonly adminWrite: AdminWriteStore;
  readonly tenancy: TenancyStore;
  readonly devices: DeviceIdentityStore;
  readonly billing: BillingStore;
  readonly audit: AuditStore;
  readonly reports: ReportStore;
  readonly users: UserStore;
  readonly sessions: SessionStore;
  readonly hooks: HookStore;
  readonly releases: ReleaseStore;
  readonly psa: PsaStore;
  /** Runs fn as ONE transaction over every admin store: all of its writes commit together or none does.
   *  Errors fn throws pass through unchanged (after rollback); driver failures become StorageError('storage_unavailable'). */
  unitOfWork<T>(fn: (tx: AdminStores) => Promise<T>): Promise<T>;
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
