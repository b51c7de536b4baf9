// Row-to-domain mappings shared by every SQL backend, so SQLite and
// PostgreSQL cannot drift on defaults (what an unknown fact bills as) or on
// how a stored subscription version reads back.
import type { DeviceDay, DeviceMonthSummary, ModuleName, RetentionTier, SubscriptionVersion } from '../billing/index.ts';
import type { IDeviceFacts } from '../../../proto/index.ts';
import type { Selectable } from 'kysely';
import type { CompaniesTable, ReportJobsTable, ReportSchedulesTable, SubscriptionVersionsTable } from './sql/schema.ts';
import type { Company, DeviceListing, MonthDeviceRows, MonthSummaryRow, ReportJob, ReportSchedule } from './types.ts';

/** Rows as read back, typed by the one schema (sql/schema.ts). */
export type CompanyRow = Selectable<CompaniesTable>;
export type VersionRow = Selectable<SubscriptionVersionsTable>;
export type JobRow = Selectable<ReportJobsTable>;
export type ScheduleRow = Selectable<ReportSchedulesTable>;

export function toCompany(r: CompanyRow): Company {
  return {
    id: r.id, name: r.name, type: r.type, parentId: r.parent_id, path: r.path.split('/'), registeredAtMs: r.registered_at,
    inactiveSinceMs: r.inactive_since, active: r.inactive_since === null, externalId: r.external_id,
    inactivePeriods: parseInactivePeriods(r.inactive_periods ?? null),
  };
}

/** A company's past inactive periods as stored (JSON text); anything unreadable reads as none. */
export function parseInactivePeriods(text: string | null): { fromMs: number; untilMs: number }[] {
  if (!text) return [];
  try {
    const v: unknown = JSON.parse(text);
    return Array.isArray(v) ? v.filter((p): p is { fromMs: number; untilMs: number } => Number.isFinite(p?.fromMs) && Number.isFinite(p?.untilMs)) : [];
  } catch {
    return [];
  }
}

export const parseJsonArray = (text: string | null): string[] => {
  if (!text) return [];
  try {
    const v = JSON.parse(text);
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
};

export function toSubscriptionVersion(r: VersionRow): SubscriptionVersion {
  return { ...JSON.parse(r.terms), subscriptionId: r.subscription_id, companyId: r.company_id, effectiveFromMs: r.effective_from, effectiveUntilMs: r.effective_until };
}

/** A device-day row with backend-specific encodings (0/1 flags, JSON text) already decoded. */
export interface DeviceDayFields {
  deviceId: string; companyId: string; utcDay: number; awakeSeconds: number; virtual: boolean | null; role: string | null;
  platform: string | null; modules: string[]; imTier: string | null; userId: string | null; ownership: string | null; uninstalledAtMs: number | null;
  retiredAtMs?: number | null;
}

/**
 * Defaults for devices whose agent has not reported a fact yet. Chosen so an
 * unknown never lands a device in a dearer column: unknown is physical, a
 * workstation, and on a platform Central Scan serves.
 */
export function toDeviceDay(r: DeviceDayFields): DeviceDay {
  const platform = r.platform === 'linux' || r.platform === 'darwin' ? r.platform : 'windows';
  const day: DeviceDay & { retiredAtMs?: number } = {
    deviceId: r.deviceId, companyId: r.companyId, utcDay: r.utcDay, awakeSeconds: r.awakeSeconds,
    virtual: r.virtual === true, role: r.role === 'server' ? 'server' : 'workstation', platform,
    // Central Scan (Security Server) serves Windows and Linux endpoints, not macOS.
    osCompatibleWithCentralScan: platform !== 'darwin',
    modules: r.modules as ModuleName[],
    integrityMonitoringTier: (r.imTier as RetentionTier | null) ?? null,
    userId: r.userId, ownership: r.ownership === 'corporate' || r.ownership === 'personal' ? r.ownership : null,
    uninstalledAtMs: r.uninstalledAtMs,
  };
  // Only when retired: the field is absent for the (nearly all) devices that are not (set, not spread: millions of rows).
  if (r.retiredAtMs != null) day.retiredAtMs = r.retiredAtMs;
  return day;
}

// Report jobs and schedules.
export const toJob = (r: JobRow): ReportJob => ({
  id: r.id, companyId: r.company_id, requestedBy: r.requested_by, name: r.name, month: r.month, format: r.format, options: JSON.parse(r.options),
  status: r.status, error: r.error, fileName: r.file_name, sizeBytes: r.size_bytes, createdAtMs: r.created_at, finishedAtMs: r.finished_at,
  tenantId: r.tenant_id ?? r.company_id, attempts: Number(r.attempts), scheduleId: r.schedule_id, emailTo: r.email_to ? JSON.parse(r.email_to) : [],
  leaseUntilMs: r.lease_until,
});
export const toSchedule = (r: ScheduleRow): ReportSchedule => ({
  id: r.id, companyId: r.company_id, createdBy: r.created_by, name: r.name, format: r.format, options: JSON.parse(r.options),
  dayOfMonth: r.day_of_month, hourUtc: r.hour_utc, emailTo: JSON.parse(r.email_to), lastRunMonth: r.last_run_month, createdAtMs: r.created_at,
});

// Device listings.
export interface DeviceRow {
  id: string; hostname: string; company_id: string; company_name: string; enrolled_at: number; last_seen_at: number | null;
  uninstalled_at: number | null; clone_suspected_at: number | null; agent_version: string;
  last_enrolled_at: number | null; first_run_at: number | null; retired_at: number | null; merged_into: string | null; enrolments: number | null;
  user_id?: string | null; user_external_id?: string | null; user_display_name?: string | null; user_assigned?: boolean | 0 | 1 | null;
}

export const toListing = (r: DeviceRow): DeviceListing => ({
  id: r.id, hostname: r.hostname, companyId: r.company_id, companyName: r.company_name,
  enrolledAtMs: r.enrolled_at, lastSeenAtMs: r.last_seen_at, uninstalledAtMs: r.uninstalled_at, cloneSuspectedAtMs: r.clone_suspected_at, agentVersion: r.agent_version,
  lastEnrolledAtMs: r.last_enrolled_at, firstRunAtMs: r.first_run_at, retiredAtMs: r.retired_at, mergedInto: r.merged_into, enrolments: Number(r.enrolments ?? 1),
  user: r.user_id ? { id: r.user_id, externalId: r.user_external_id ?? '', displayName: r.user_display_name ?? null, boundBy: r.user_assigned === true || r.user_assigned === 1 ? 'admin' : 'agent' } : null,
});

/** A device's stored facts JSON; unreadable or non-object text reads as no facts. */
export function parseFacts(json: string | null): IDeviceFacts | null {
  if (!json) return null;
  try {
    const parsed: unknown = JSON.parse(json);
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as IDeviceFacts) : null;
  } catch {
    return null; // an unreadable blob must not take a whole report down
  }
}

/** How a backend stores the two encoded columns of a device-day row. */
export interface DeviceDayDecoding {
  virtual(value: unknown): boolean | null;
  modules(value: unknown): string[];
}

/**
 * Groups a device page's rows (sql/billing.ts DEVICE_PAGE_COLUMNS, read by
 * position: the rows are fetched as arrays, the cheapest form for the
 * millions of rows of a month; ordered by device, then
 * day) per device; a device without rows in the range comes as one row of
 * nulls after its own columns. The page was full, and so has a successor,
 * when it scanned `limit` devices.
 */
export function groupDevicePage(rows: readonly unknown[][], limit: number, decode: DeviceDayDecoding): { devices: MonthDeviceRows[]; next: string | null } {
  const devices: MonthDeviceRows[] = [];
  let scanned = 0;
  let last: string | null = null;
  for (const r of rows) {
    const deviceId = r[0] as string;
    if (deviceId !== last) {
      scanned++;
      last = deviceId;
    }
    if (r[3] === null) continue; // no rows in the range
    let entry = devices.at(-1);
    if (entry?.deviceId !== deviceId) devices.push((entry = { deviceId, currentCompanyId: r[1] as string, days: [] }));
    entry.days.push(toDeviceDay({
      deviceId, companyId: r[3] as string, utcDay: Number(r[4]), awakeSeconds: Number(r[5]), virtual: decode.virtual(r[6]), role: r[7] as string | null,
      platform: r[8] as string | null, modules: decode.modules(r[9]), imTier: r[10] as string | null, userId: r[11] as string | null,
      ownership: r[12] as string | null, uninstalledAtMs: r[2] === null ? null : Number(r[2]), retiredAtMs: r[13] === null ? null : Number(r[13]),
    }));
  }
  return { devices, next: scanned === limit ? last : null };
}

/** A device row as a hello reads it (IngestStore.deviceAtHello), on either backend. */
export interface AtHelloRow {
  hw_fingerprint: string | null; last_seen_at: number | null; enrolled_at: number; last_enrolled_at: number | null;
  first_run_at: number | null; uninstalled_at: number | null; retired_at: number | null;
}

export const atHello = (r: AtHelloRow) => ({
  fingerprint: r.hw_fingerprint, lastSeenAtMs: r.last_seen_at,
  lifecycle: { enrolledAtMs: r.enrolled_at, lastEnrolledAtMs: r.last_enrolled_at, firstRunAtMs: r.first_run_at, uninstalledAtMs: r.uninstalled_at, retiredAtMs: r.retired_at },
});

/**
 * A page of month summaries (sql/billing.ts monthSummaryPage's select list,
 * read by position) as the core reads them: the last active row becomes a
 * DeviceDay through toDeviceDay, like the rows themselves. Columns that
 * nearly always repeat another come as NULL when they do (fewer strings per
 * row): the device's company now and the last row's company (the summary's
 * company), the last row's modules (the month's), the Central Scan platforms
 * (none).
 */
export function toMonthSummaries(rows: readonly unknown[][], decode: DeviceDayDecoding): MonthSummaryRow[] {
  const out: MonthSummaryRow[] = new Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i];
    const deviceId = r[0] as string;
    const companyId = r[2] as string | null;
    const modules = sortedUnique(decode.modules(r[6])) as ModuleName[];
    const lastActiveDay = r[5] === null ? null : Number(r[5]);
    const latest = lastActiveDay === null ? null : toDeviceDay({
      deviceId, companyId: (r[18] ?? companyId) as string, utcDay: lastActiveDay, awakeSeconds: Number(r[15]), virtual: decode.virtual(r[8]), role: r[9] as string | null,
      platform: r[10] as string | null, modules: r[11] === null ? modules : decode.modules(r[11]), imTier: r[12] as string | null, userId: r[13] as string | null,
      ownership: r[14] as string | null, uninstalledAtMs: r[16] === null ? null : Number(r[16]), retiredAtMs: r[17] === null ? null : Number(r[17]),
    });
    const summary: DeviceMonthSummary = {
      deviceId, companyId, activeDays: Number(r[3]), awakeSeconds: Number(r[4]), modules,
      // The rows' own rule (toDeviceDay): a platform read as macOS is not Central-Scan-compatible.
      usedCentralScanAsVirtual: r[7] !== null && decode.modules(r[7]).some((platform) => toDeviceDay({
        deviceId, companyId: '', utcDay: 0, awakeSeconds: 0, virtual: true, role: null, platform: platform || null, modules: [], imTier: null, userId: null,
        ownership: null, uninstalledAtMs: null, retiredAtMs: null,
      }).osCompatibleWithCentralScan),
      latest,
    };
    out[i] = { summary, currentCompanyId: (r[1] ?? companyId) as string, exclusions: 0 };
  }
  return out;
}

/** The list sorted and without repeats; the list itself when it already is (as both backends aggregate it). */
function sortedUnique(list: string[]): string[] {
  for (let i = 1; i < list.length; i++) if (!(list[i - 1] < list[i])) return [...new Set(list)].sort();
  return list;
}
