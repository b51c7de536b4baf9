// The tables as Kysely sees them: one typed schema for both backends. Column
// types are what a row reads back as on EITHER driver; where the two differ
// (flags, module lists) the type says so and sql/dialect.ts decodes it.
// Millisecond instants, days and sequences are numbers on both (SQLite
// INTEGER; PostgreSQL BIGINT parsed as numbers per pool, postgres/db.ts).
import type { ColumnType, Generated } from 'kysely';

/** A flag: SQLite stores 0/1, PostgreSQL BOOLEAN. Written as a boolean (the SQLite driver binds 1/0); read with isTrue. */
export type Flag = ColumnType<boolean | 0 | 1, boolean, boolean>;
/** A module list: SQLite stores JSON text, PostgreSQL TEXT[]. Read with the dialect's decodeModules. */
export type ModuleList = ColumnType<string | string[], never, never>;
/** A gzip'd document: BLOB / BYTEA, a Buffer on both drivers. */
export type Blob = Buffer;

export interface CompaniesTable {
  id: string;
  name: string;
  type: 'partner' | 'customer';
  parent_id: string | null;
  /** '/'-joined ids from the root down to the company. */
  path: string;
  registered_at: number;
  inactive_since: ColumnType<number | null, number | null | undefined, number | null>;
  external_id: ColumnType<string | null, string | null | undefined, string | null>;
  /** JSON array of earlier inactive periods ({fromMs, untilMs}), ended by reactivations (migration 0006). */
  inactive_periods: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface ApiKeysTable {
  id: string;
  key_hash: string;
  label: string;
  company_id: string | null;
  read_only: Flag;
  created_at: number;
  revoked_at: ColumnType<number | null, number | null | undefined, number | null>;
  /** The user who created the key (NULL: created before users, or by the CLI). */
  created_by_user_id: ColumnType<string | null, string | null | undefined, string | null>;
  /** The key's role; NULL: owner, or auditor when read_only (keys from before roles). */
  role: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface EnrolmentTokensTable {
  id: string;
  token_hash: string;
  company_id: string;
  created_at: number;
  expires_at: number | null;
  revoked_at: ColumnType<number | null, number | null | undefined, number | null>;
  /** At most this many enrolments (new devices and re-enrolments); null: no limit. */
  max_enrolments: ColumnType<number | null, number | null | undefined, number | null>;
  enrolments: ColumnType<number, number | undefined, number>;
  /** When the token first refused an enrolment for its limit. */
  limit_hit_at: ColumnType<number | null, number | null | undefined, number | null>;
}

/** The columns the admin stores use; the ingest stores (sqlite/agents.ts, postgres/agents.ts) write the rest in their own SQL. */
export interface DevicesTable {
  id: string;
  company_id: string;
  hostname: string;
  agent_version: string;
  facts_json: string | null;
  enrolled_at: number;
  last_seen_at: number | null;
  uninstalled_at: number | null;
  clone_suspected_at: number | null;
  assigned_user_id: string | null;
  user_assigned: Flag;
  /** The user the agent reported (a binding an admin made wins: user_assigned). */
  reported_user_id: ColumnType<string | null, string | null | undefined, string | null>;
  key_hash: ColumnType<string, string, string>;
  instance_id: ColumnType<string, string, string>;
  /** The agent's own first run (reported in its hello): usage before it is refused. */
  first_run_at: ColumnType<number | null, number | null | undefined, number | null>;
  /** The latest enrolment or re-enrolment (enrolled_at stays the first). */
  last_enrolled_at: ColumnType<number | null, number | null | undefined, number | null>;
  /** Retired by an admin: its key refused, not billed after this instant. */
  retired_at: ColumnType<number | null, number | null | undefined, number | null>;
  /** Merged into this device: its history folded there; its key (if kept) authenticates as the survivor. */
  merged_into: ColumnType<string | null, string | null | undefined, string | null>;
  enrolment_token_id: ColumnType<string | null, string | null | undefined, string | null>;
  enrolments: ColumnType<number, number | undefined, number>;
  /** Since when an agent connection of the device is open, on whichever collector (null: none). */
  connected_since: ColumnType<number | null, number | null | undefined, number | null>;
  /** The agent's last reported facts, as columns (set with facts_json). */
  platform: ColumnType<string | null, string | null | undefined, string | null>;
  virtual: ColumnType<boolean | 0 | 1 | null, boolean | null | undefined, boolean | null>;
}

/** Hardware evidence keys of devices, by the partner tree re-enrolment matches within (devices/identity.ts). */
export interface DeviceHardwareIdsTable {
  tree_root: string;
  id_key: string;
  device_id: string;
  strength: 'strong' | 'weak';
}

/** Pairs of devices that may be one machine (device_a < device_b), until an admin merges or dismisses them. */
export interface DeviceDuplicatesTable {
  device_a: string;
  device_b: string;
  why: string;
  /** JSON array of the evidence keys in common. */
  evidence: string;
  found_at: number;
  dismissed_at: ColumnType<number | null, number | null | undefined, number | null>;
  dismissed_by: ColumnType<string | null, string | null | undefined, string | null>;
}

/** A device excluded from billing, from `from_ms` until `until_ms` (null: still), with the admin's reason. */
export interface DeviceExclusionsTable {
  device_id: string;
  from_ms: number;
  until_ms: ColumnType<number | null, number | null | undefined, number | null>;
  reason: string;
  created_at: number;
  created_by: string;
}

/** A device's life: enrolled, re-enrolled, moved, uninstalled, reinstalled, retired, merged, excluded... */
export interface DeviceHistoryTable {
  id: string;
  device_id: string;
  at: number;
  kind: string;
  actor: string;
  /** JSON. */
  details: string;
}

export interface DeviceDaysTable {
  device_id: string;
  utc_day: number;
  company_id: string;
  awake_seconds: number;
  first_at: number;
  last_at: number;
  virtual: ColumnType<boolean | 0 | 1 | null, never, never>;
  role: string | null;
  platform: string | null;
  modules: ModuleList;
  im_tier: string | null;
  user_id: string | null;
  ownership: string | null;
}

export interface UsersTable {
  id: string;
  company_id: string;
  external_id: string;
  display_name: string | null;
  created_at: number;
  last_active_at: ColumnType<number | null, number | null | undefined, number | null>;
}

export interface UserGroupsTable {
  id: string;
  company_id: string;
  name: string;
  created_at: number;
}

export interface UserGroupMembersTable {
  group_id: string;
  user_id: string;
  added_at: number;
}

export interface SubscriptionVersionsTable {
  subscription_id: string;
  version: number;
  company_id: string;
  effective_from: number;
  effective_until: number | null;
  /** The version's terms as JSON. */
  terms: string;
  created_at: number;
}

export interface XdrDeploymentsTable {
  company_id: string;
  month: string;
  category: string;
  recorded_at: number;
}

export interface FinalizedMonthsTable {
  month: string;
  finalized_at: number;
  hash: string;
  /** Empty when the month is stored as rows (run_id set). */
  snapshot: Blob;
  /** The month run holding its rows; null for a snapshot stored whole, before months were rows. */
  run_id: ColumnType<string | null, string | null | undefined, never>;
}

export interface MonthAdjustmentsTable {
  id: Generated<number>;
  month: string;
  created_at: number;
  hash_before: string;
  hash_after: string;
  /** JSON array of adjustment lines. */
  lines: string;
  snapshot: Blob;
  run_id: ColumnType<string | null, string | null | undefined, never>;
}

/** A month's figures written as rows (finalization, adjustment): see migrations/0011_month_rows.ts. */
export interface MonthRunsTable {
  id: string;
  month: string;
  started_at: number;
  touched_at: number;
  hashes: string | null;
  hash: string | null;
}

export interface MonthCompanyRowsTable {
  run_id: string;
  kind: string;
  company_id: string;
  body: string;
}

export interface MonthEndpointLinesTable {
  run_id: string;
  product_type: string;
  company_id: string;
  device_id: string;
  body: string;
}

export interface MonthUserLinesTable {
  run_id: string;
  company_id: string;
  kind: string;
  ref_id: string;
  body: string;
}

export interface MonthsWithLateDataTable {
  month: string;
  /** The latest late arrival. */
  since: number;
}

export interface UnbilledLateUsageTable {
  device_id: string;
  stream: string;
  seq: number;
  utc_day: number;
  awake_seconds: number;
  received_at: number;
}

export interface AuditLogTable {
  id: Generated<number>;
  at: number;
  actor: string;
  action: string;
  target_type: string;
  target_id: string;
  company_id: string | null;
  /** JSON. */
  details: string;
  /** The person behind the action (a user, or the user who owns the acting key). */
  user_id: ColumnType<string | null, string | null | undefined, string | null>;
}

type Nullable<T> = ColumnType<T | null, T | null | undefined, T | null>;

export interface AdminUsersTable {
  id: string;
  email: string;
  name: string;
  role: string;
  company_id: string | null;
  password_hash: Nullable<string>;
  must_change_password: ColumnType<boolean | 0 | 1, boolean | undefined, boolean>;
  totp_secret: Nullable<string>;
  totp_enabled_at: Nullable<number>;
  /** JSON array of SHA-256 hashes. */
  recovery_codes: ColumnType<string, string | undefined, string>;
  failed_logins: ColumnType<number, number | undefined, number>;
  locked_until: Nullable<number>;
  sso_provider_id: Nullable<string>;
  sso_subject: Nullable<string>;
  created_at: number;
  created_by: string;
  disabled_at: Nullable<number>;
  last_login_at: Nullable<number>;
}

export interface ConsoleSessionsTable {
  id: string;
  token_hash: string;
  user_id: string | null;
  api_key_id: string | null;
  stage: string;
  csrf_token: string;
  created_at: number;
  last_used_at: number;
  user_agent: string;
  address: string;
}

export interface SsoProvidersTable {
  id: string;
  company_id: string | null;
  name: string;
  issuer: string;
  client_id: string;
  client_secret: string;
  claim: string;
  /** JSON: [{ value, role, companyId }]. */
  mappings: string;
  created_at: number;
  updated_at: number;
  disabled_at: Nullable<number>;
}

export interface SsoLoginsTable {
  state: string;
  provider_id: string;
  code_verifier: string;
  nonce: string;
  next: string;
  created_at: number;
}

export interface AuthSettingsTable {
  name: string;
  value: string;
}

export interface ReportJobsTable {
  id: string;
  company_id: string;
  requested_by: string;
  name: string;
  month: string;
  format: string;
  /** JSON. */
  options: string;
  status: 'pending' | 'ready' | 'failed';
  error: ColumnType<string | null, string | null | undefined, string | null>;
  file_name: ColumnType<string | null, string | null | undefined, string | null>;
  size_bytes: ColumnType<number | null, number | null | undefined, number | null>;
  created_at: number;
  finished_at: ColumnType<number | null, number | null | undefined, number | null>;
  /** The partner the job counts against (queue limits, fair order); 0009. */
  tenant_id: string;
  /** Claims so far (a crash mid-run counts). */
  attempts: ColumnType<number, number | undefined, number>;
  /** Not claimed before this instant (a retry's back-off). */
  run_after: ColumnType<number, number | undefined, number>;
  lease_owner: ColumnType<string | null, string | null | undefined, string | null>;
  lease_until: ColumnType<number | null, number | null | undefined, number | null>;
  started_at: ColumnType<number | null, number | null | undefined, number | null>;
  schedule_id: ColumnType<string | null, string | null | undefined, string | null>;
  /** JSON array of addresses the finished report is mailed to (scheduled reports). */
  email_to: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface ReportSchedulesTable {
  id: string;
  company_id: string;
  created_by: string;
  name: string;
  format: string;
  /** JSON. */
  options: string;
  day_of_month: number;
  hour_utc: number;
  /** JSON array of addresses. */
  email_to: string;
  last_run_month: ColumnType<string | null, string | null | undefined, string | null>;
  created_at: number;
}

export interface SchemaMigrationsTable {
  version: number;
  name: string;
  applied_at: number;
}

/** sql/summaries.ts: one row per (device, month), recomputed by every writer of device_days. */
export interface DeviceMonthSummariesTable {
  month_day: number;
  device_id: string;
  company_id: string | null;
  active_days: number;
  awake_seconds: number;
  last_active_day: number | null;
  modules: ModuleList;
  vcs_platforms: ModuleList;
  l_company_id: string | null;
  l_virtual: ColumnType<boolean | 0 | 1 | null, never, never>;
  l_role: string | null;
  l_platform: string | null;
  l_modules: ColumnType<string | string[] | null, never, never>;
  l_im_tier: string | null;
  l_user_id: string | null;
  l_ownership: string | null;
  l_awake: number | null;
}

export interface CompanyMovesTable {
  id: string;
  company_id: string;
  from_parent_id: string | null;
  to_parent_id: string | null;
  moved_at: number;
}

/** Outbound webhooks and alerts (migration 0011). */
export interface WebhookEndpointsTable {
  id: string;
  company_id: string | null;
  url: string;
  description: string;
  secret: string;
  event_types: string;
  disabled_at: number | null;
  created_at: number;
  updated_at: number;
  created_by: string;
}

export interface WebhookEventsTable {
  id: string;
  type: string;
  company_id: string | null;
  dedupe_key: string | null;
  token_id: string | null;
  payload: string;
  created_at: number;
  dispatched_at: number | null;
}

export interface WebhookDeliveriesTable {
  id: string;
  endpoint_id: string;
  event_id: string;
  status: string;
  attempts: number;
  next_attempt_at: number;
  created_at: number;
  finished_at: number | null;
}

export interface WebhookAttemptsTable {
  id: string;
  delivery_id: string;
  endpoint_id: string;
  event_id: string;
  attempt: number;
  at: number;
  outcome: string;
  status_code: number | null;
  duration_ms: number;
  error: string | null;
}

export interface AlertRulesTable {
  id: string;
  company_id: string;
  name: string;
  kind: string;
  params: string;
  email_to: string;
  disabled_at: number | null;
  created_at: number;
  created_by: string;
}

export interface AlertStatesTable {
  rule_id: string;
  subject: string;
  raised_at: number;
  details: string;
}

export interface AgentReleasesTable {
  sequence: number;
  version: string;
  channel: string;
  /** JSON of the SignedManifest. */
  signed: string;
  published_at: number;
  published_by: string;
  paused_at: ColumnType<number | null, number | null | undefined, number | null>;
}

export interface ReleaseRolloutsTable {
  release_sequence: number;
  /** '*' or a company id. */
  target: string;
  percent: number;
  updated_at: number;
}

export interface PsaConnectionsTable {
  kind: string;
  base_url: string;
  credentials: string;
  shown: string;
  sync_hours: number;
  last_sync_at: ColumnType<number | null, number | null | undefined, number | null>;
  last_sync_status: ColumnType<string | null, string | null | undefined, string | null>;
  sync_lease_until: ColumnType<number | null, number | null | undefined, number | null>;
  created_at: number;
  updated_at: number;
}

export interface PsaCompanyMapsTable {
  kind: string;
  company_id: string;
  psa_company_id: string;
  psa_company_name: string;
  agreement_id: string;
  agreement_name: string;
  updated_at: number;
  updated_by: string;
}

export interface PsaProductMapsTable {
  kind: string;
  sku: string;
  product_id: string;
  product_name: string;
  updated_at: number;
  updated_by: string;
}

export interface PsaLedgerTable {
  kind: string;
  month: string;
  company_id: string;
  sku: string;
  agreement_id: string;
  product_id: string;
  line_id: string | null;
  quantity: number;
  final: Flag;
  adjusted: ColumnType<number, number | undefined, number>;
  pending_marker: ColumnType<string | null, string | null | undefined, string | null>;
  pending_delta: ColumnType<number | null, number | null | undefined, number | null>;
  updated_at: number;
}

export interface Database {
  agent_releases: AgentReleasesTable;
  release_rollouts: ReleaseRolloutsTable;
  webhook_endpoints: WebhookEndpointsTable;
  webhook_events: WebhookEventsTable;
  webhook_deliveries: WebhookDeliveriesTable;
  webhook_attempts: WebhookAttemptsTable;
  alert_rules: AlertRulesTable;
  alert_states: AlertStatesTable;
  companies: CompaniesTable;
  company_moves: CompanyMovesTable;
  device_month_summaries: DeviceMonthSummariesTable;
  api_keys: ApiKeysTable;
  enrolment_tokens: EnrolmentTokensTable;
  devices: DevicesTable;
  device_days: DeviceDaysTable;
  users: UsersTable;
  user_groups: UserGroupsTable;
  user_group_members: UserGroupMembersTable;
  subscription_versions: SubscriptionVersionsTable;
  xdr_deployments: XdrDeploymentsTable;
  finalized_months: FinalizedMonthsTable;
  month_adjustments: MonthAdjustmentsTable;
  month_runs: MonthRunsTable;
  month_company_rows: MonthCompanyRowsTable;
  month_endpoint_lines: MonthEndpointLinesTable;
  month_user_lines: MonthUserLinesTable;
  months_with_late_data: MonthsWithLateDataTable;
  unbilled_late_usage: UnbilledLateUsageTable;
  audit_log: AuditLogTable;
  report_jobs: ReportJobsTable;
  report_schedules: ReportSchedulesTable;
  admin_users: AdminUsersTable;
  console_sessions: ConsoleSessionsTable;
  sso_providers: SsoProvidersTable;
  psa_connections: PsaConnectionsTable;
  psa_company_maps: PsaCompanyMapsTable;
  psa_product_maps: PsaProductMapsTable;
  psa_ledger: PsaLedgerTable;
  sso_logins: SsoLoginsTable;
  auth_settings: AuthSettingsTable;
  schema_migrations: SchemaMigrationsTable;
  device_hardware_ids: DeviceHardwareIdsTable;
  device_duplicates: DeviceDuplicatesTable;
  device_exclusions: DeviceExclusionsTable;
  device_history: DeviceHistoryTable;
  receipts: { device_id: string; stream: string; seq: number };
  stream_floors: { device_id: string; stream: string; floor: number; stored_below: number; receipts_upto: number };
  device_streams: { device_id: string; stream: string; first_seen_at: number };
  device_events: { device_id: string; stream: string; seq: number; occurred_at: number; kind: string; payload: string; received_at: number };
}
