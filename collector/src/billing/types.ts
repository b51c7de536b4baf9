// Input and output types of the pure billing core.
//
// The storage layer supplies the inputs (companies, subscription history,
// device-day facts, XDR sensor deployments, users); the core never reads a
// clock, a file or a socket. Every timestamp is milliseconds since the epoch
// (UTC); every day is a UTC day number (days since 1970-01-01).

import type { LicenceSegment, UnlicensedReason } from './licence.ts';

// ---------------------------------------------------------------- companies

export type CompanyType = 'partner' | 'customer';

export interface Company {
  readonly id: string;
  readonly name: string;
  readonly type: CompanyType;
  /** null for the root of a tree (the distributor or a top-level partner). */
  readonly parentId: string | null;
  /** From the root down to this company (ids or names, passed through to the report's Path column untouched). */
  readonly path: readonly string[];
  readonly registeredAtMs: number;
  /**
   * null while active. Set when the company was inactivated: "The customer
   * will not be able to login to the service, and billing will stop." (seed 000).
   * Activity from this instant on is not billed; the data stays. An instant,
   * not a flag, so recomputing a month before the inactivation gives the
   * same result as before it. Inactivating a partner inactivates everything
   * below it (licence.ts).
   */
  readonly inactiveSinceMs: number | null;
  /**
   * Earlier inactive periods that ended with a reactivation, [fromMs, untilMs).
   * Absent = none known. The storage layer does not keep this history yet
   * (reactivation clears inactiveSinceMs); the core honours it when given.
   */
  readonly inactivePeriods?: readonly { readonly fromMs: number; readonly untilMs: number }[];
  readonly externalId?: string;
}

// ---------------------------------------------------------------- subscriptions

export type ProductType = 'endpoint_security' | 'edr';

export type ProtectionModel = 'a_la_carte' | 'secure' | 'secure_plus' | 'secure_extra';

export type RetentionTier = 'none' | '90d' | '180d' | '1y';

export type XdrCategory = 'identity_providers' | 'productivity' | 'network' | 'cloud_workloads';

export type LicenseType = 'monthly_subscription' | 'monthly_license' | 'trial';

export interface AddOns {
  readonly encryption: boolean;
  readonly patchManagement: boolean;
  /** null = add-on not enabled; otherwise the data retention tier bought with it. */
  readonly integrityMonitoring: RetentionTier | null;
  readonly containerProtection: boolean;
  /** Advanced Threat Security: HyperDetect and Sandbox Analyzer. */
  readonly ats: boolean;
  readonly edr: boolean;
  /** Security for Virtualized Environments, "enabled for own use". */
  readonly sve: boolean;
  /** XDR sensor categories enabled. */
  readonly xdr: readonly XdrCategory[];
}

export interface Services {
  readonly mdrFoundations: boolean;
}

/** Where a subscription applies: the whole customer and/or some user groups. */
export interface SubscriptionAttachment {
  /** Attached to the customer: applies to the company's own use (endpoint billing) and to users in no attached group. */
  readonly customer: boolean;
  /** "Any new member of the attached group will automatically be assigned related subscription." (seed 000) */
  readonly userGroupIds: readonly string[];
}

/**
 * One version of a subscription. A subscription's history is the list of its
 * versions; a version is in force from `effectiveFromMs` (inclusive) until the
 * next version of the same subscription starts, or until `effectiveUntilMs`
 * when set (exclusive; the subscription was removed). Mid-month changes are
 * a new version, never an edit of an old one.
 */
export interface SubscriptionVersion {
  readonly subscriptionId: string;
  readonly companyId: string;
  readonly effectiveFromMs: number;
  readonly effectiveUntilMs?: number | null;
  readonly productType: ProductType;
  /** Only meaningful for endpoint_security: "Protection models are only available for the Endpoint Security product type." */
  readonly protectionModel: ProtectionModel;
  readonly addOns: AddOns;
  readonly services: Services;
  readonly licenseType: LicenseType;
  /** For licenseType 'trial': when the trial ends and converts by itself. */
  readonly trialEndsAtMs: number | null;
  /** For licenseType 'trial': when an admin made it active before the end, if they did. */
  readonly trialConvertedAtMs: number | null;
  readonly licenseKey: string;
  /** null = option not enabled; the report shows '*'. */
  readonly reservedSeats: number | null;
  /** null = option not enabled. */
  readonly minimumUsage: number | null;
  /** 'YYYY-MM-DD', or null = option not enabled; the report shows 'N/A'. */
  readonly endDate: string | null;
  readonly autoRenewal: boolean;
  readonly attachment: SubscriptionAttachment;
}

// ---------------------------------------------------------------- facts

/** Module names are the wire protocol's; one list shared with the agent. */
export type { ModuleName } from '../../../common/modules.ts';
import type { ModuleName } from '../../../common/modules.ts';

export type DeviceRole = 'server' | 'workstation';

export type DeviceOwnership = 'corporate' | 'personal';

export type DevicePlatform = 'windows' | 'linux' | 'darwin';

/**
 * One device on one UTC day, as the collector's rollup stores it.
 *
 * Caller's contract: one row per (deviceId, utcDay, companyId). Rows that
 * repeat a key (a retry, an overlapping page) are merged by the core, not
 * added: the larger awakeSeconds wins and module sets are united, so
 * delivering a fact twice changes nothing.
 */
export interface DeviceDay {
  readonly deviceId: string;
  /** Owning company recorded at ingest time. */
  readonly companyId: string;
  readonly utcDay: number;
  /** Awake ("protected") seconds; sleep and hibernation already excluded by the agent. */
  readonly awakeSeconds: number;
  readonly virtual: boolean;
  readonly role: DeviceRole;
  readonly platform: DevicePlatform;
  readonly osCompatibleWithCentralScan: boolean;
  /** Modules present (installed) that day. */
  readonly modules: readonly ModuleName[];
  /**
   * Retention tier the device's integrity monitoring reported, informational
   * (shown by explain). Billing uses the company's tier history, because the
   * retention add-on is bought per company.
   */
  readonly integrityMonitoringTier: RetentionTier | null;
  /** The user the device is linked to that day, if any (user-based billing). */
  readonly userId: string | null;
  /** null when unknown; user-based billing treats unknown as corporate (see user-usage.ts). */
  readonly ownership: DeviceOwnership | null;
  /** When the agent was uninstalled, if it was. Not billed from that instant on. */
  readonly uninstalledAtMs: number | null;
  /** When an admin retired the device, if they did: its key refused, not billed from that instant on. */
  readonly retiredAtMs?: number | null;
}

/** XDR sensors deployed for a company during a month ("at least one sensor deployed"). */
export interface XdrSensorDeployment {
  readonly companyId: string;
  /** 'YYYY-MM' */
  readonly month: string;
  readonly category: XdrCategory;
}

// ---------------------------------------------------------------- users (seed 000)

export interface BillingUser {
  readonly userId: string;
  readonly companyId: string;
  readonly groupIds: readonly string[];
  /** The user's primary corporate device, if known. */
  readonly primaryDeviceId: string | null;
}

// ---------------------------------------------------------------- outputs

/** The usage columns of the Monthly License Usage report, in report order. */
export const USAGE_COLUMNS = [
  'licensedEndpoints',
  'endpointUsage',
  'aLaCarteUsage',
  'secureUsage',
  'securePlusUsage',
  'secureExtraUsage',
  'encryptionUsage',
  'patchManagementUsage',
  'integrityMonitoringUsage',
  'integrityMonitoring90dUsage',
  'integrityMonitoring180dUsage',
  'integrityMonitoring1yUsage',
  'sveVsUsage',
  'sveVdiHours',
  'containerProtectionUsage',
  'atsUsage',
  'edrUsage',
  'xdrIdentityProvidersUsage',
  'xdrProductivityUsage',
  'xdrNetworkUsage',
  'xdrCloudWorkloadsUsage',
  'mdrFoundationsUsage',
  /**
   * Not a seed column: the billed endpoint figure, max(Endpoint Usage on
   * billable days, minimum usage) per company; summed up the tree.
   */
  'billableEndpointUsage',
] as const;

export type UsageColumn = (typeof USAGE_COLUMNS)[number];

export type UsageColumns = Record<UsageColumn, number>;

/** The add-ons and services the report marks as "not enabled" when off. */
export type OptionalFeature =
  | 'encryption'
  | 'patchManagement'
  | 'integrityMonitoring'
  | 'containerProtection'
  | 'ats'
  | 'edr'
  | 'sve'
  | 'xdrIdentityProviders'
  | 'xdrProductivity'
  | 'xdrNetwork'
  | 'xdrCloudWorkloads'
  | 'mdrFoundations';

/** Why a device did or did not count in a column; `rule` names the rule (see README). */
export interface ColumnReason {
  readonly column: UsageColumn;
  readonly value: number;
  readonly rule: string;
  readonly text: string;
}

/** One device in one company's endpoint details for a month. */
export interface DeviceMonthLine {
  readonly deviceId: string;
  readonly companyId: string;
  /**
   * The company billed for this device this month: the company of its last
   * active day whose licence was billable (licence.ts); null when no active
   * day was billable (the device is then unlicensed activity).
   */
  readonly billedCompanyId: string | null;
  /** Billed at this company (in this report or in the other product type's). */
  readonly billed: boolean;
  /** Why the device is (not) billed here. */
  readonly billingNote: string;
  /** Active (protected) days at this company, whatever the licence. */
  readonly activeDays: number;
  readonly awakeSeconds: number;
  readonly virtual: boolean;
  readonly role: DeviceRole;
  readonly modules: readonly ModuleName[];
  /**
   * Contributions to this company's own usage columns: activity, as the
   * report defines it, whatever the licence. All zero unless the device was
   * last active here (it counts once, where it was last active).
   */
  readonly columns: Partial<UsageColumns>;
  readonly reasons: readonly ColumnReason[];
  /** Contributions to this company's own billable columns: the same rules on the device's billable days only. */
  readonly billableColumns: Partial<UsageColumns>;
  /** Set when the device counts in this company's unlicensed figure: no active day was billable; the reason is its last active day's. */
  readonly unlicensed: UnlicensedReason | null;
}

/**
 * Activity that was not billable: endpoints active this month with no
 * billable day, each counted once (at the company of its last active day),
 * by the licence state of that day.
 */
export interface UnlicensedFigure {
  readonly endpoints: number;
  readonly byReason: Readonly<Record<UnlicensedReason, number>>;
}

export interface CompanyUsageRow {
  readonly companyId: string;
  readonly name: string;
  readonly companyType: CompanyType;
  readonly parentId: string | null;
  readonly path: readonly string[];
  readonly month: string;
  /** The company's product type this month, null when it had no subscription in force. */
  readonly productType: ProductType | null;
  /** True when the company's product type is the report's: otherwise its own columns are 0. */
  readonly inReport: boolean;
  readonly protectionModel: ProtectionModel | null;
  readonly licenseKey: string | null;
  readonly licenseType: LicenseType | null;
  readonly reservedSeats: number | null;
  readonly minimumUsage: number | null;
  readonly subscriptionEndDate: string | null;
  readonly autoRenewal: boolean;
  /** False when the company, or a company above it, was inactive at the end of the month. */
  readonly active: boolean;
  readonly enabled: Readonly<Record<OptionalFeature, boolean>>;
  /**
   * The company's own use: the usage columns as the report defines them
   * (activity, whatever the licence). `billableEndpointUsage` is the billed
   * figure, the same as `billable.own.billableEndpointUsage`.
   */
  readonly own: UsageColumns;
  /** Own use plus every descendant's own use. */
  readonly total: UsageColumns;
  /** What is billed: the same columns over billable days only; billableEndpointUsage with the minimum. */
  readonly billable: { readonly own: UsageColumns; readonly total: UsageColumns };
  /** Activity that was not billed, with the reason; total = own + every descendant's own. */
  readonly unlicensed: { readonly own: UnlicensedFigure; readonly total: UnlicensedFigure };
  /** The company's licence over the month (licence.ts): segments in order, covering the month. */
  readonly licence: readonly LicenceSegment[];
  /** Whether the minimum usage was applied to billableEndpointUsage (set, in this report, billable at some moment, never inactive this month). */
  readonly minimumApplies: boolean;
  /** How many endpoint lines the company has this month (devices listed at it, billed here or not). */
  readonly deviceCount: number;
  /**
   * The endpoint lines, sorted by device id. Empty in the summary form of a
   * report (computed device by device, for months too large to hold; the
   * lines are then streamed separately): deviceCount still counts them.
   */
  readonly devices: readonly DeviceMonthLine[];
}

export interface MonthlyUsageReport {
  readonly month: string;
  readonly productType: ProductType;
  /** Sorted by companyId. */
  readonly rows: readonly CompanyUsageRow[];
}
