// Reports stored by an earlier version of the core (finalized snapshots and
// adjustments are immutable, so they stay as they were written) read in the
// current shape.
//
// Before licence states (issue 18) a row had no `billable`, `unlicensed`,
// `licence` or `minimumApplies`, a line no `billableColumns` or `unlicensed`,
// and a user-usage company no `unlicensed`. What those months billed was
// their usage columns (own, total; billableEndpointUsage with the minimum),
// so that is their billable figure; they recorded no unlicensed activity.
// The stored hash is the hash of the stored document: it is never
// recomputed from the upgraded form.

import { UNLICENSED_REASONS, type UnlicensedReason } from './licence.ts';
import type { CompanyUsageRow, DeviceMonthLine, MonthlyUsageReport, UnlicensedFigure } from './types.ts';
import type { CompanyUserUsage, UserUsageReport } from './user-usage.ts';

const NO_UNLICENSED: UnlicensedFigure = {
  endpoints: 0,
  byReason: Object.fromEntries(UNLICENSED_REASONS.map((r) => [r, 0])) as Record<UnlicensedReason, number>,
};

type StoredRow = Omit<CompanyUsageRow, 'billable' | 'unlicensed' | 'licence' | 'minimumApplies' | 'devices' | 'deviceCount'> & Partial<CompanyUsageRow>;
type StoredLine = Omit<DeviceMonthLine, 'billableColumns' | 'unlicensed'> & Partial<DeviceMonthLine>;

/** Whether a report was written before licence states (its rows lack `billable`). */
export function isPreLicenceReport(report: MonthlyUsageReport): boolean {
  return report.rows.some((r) => (r as StoredRow).billable === undefined);
}

export function upgradeStoredReport(report: MonthlyUsageReport): MonthlyUsageReport {
  if (!isPreLicenceReport(report) && report.rows.every((r) => typeof r.deviceCount === 'number')) return report;
  return { ...report, rows: report.rows.map((r) => upgradeRow(r as StoredRow)) };
}

function upgradeRow(row: StoredRow): CompanyUsageRow {
  const devices = (row.devices ?? []).map((l) => upgradeLine(l as StoredLine));
  return {
    ...row,
    billable: row.billable ?? { own: row.own, total: row.total },
    unlicensed: row.unlicensed ?? { own: NO_UNLICENSED, total: NO_UNLICENSED },
    licence: row.licence ?? [],
    minimumApplies: row.minimumApplies ?? (row.inReport && row.active && row.minimumUsage !== null),
    // Snapshots stored before rows carried deviceCount: it is the number of lines they hold.
    deviceCount: typeof row.deviceCount === 'number' ? row.deviceCount : devices.length,
    devices,
  };
}

function upgradeLine(line: StoredLine): DeviceMonthLine {
  if (line.billableColumns !== undefined && line.unlicensed !== undefined) return line as DeviceMonthLine;
  // Then a line's columns were filled only where it was billed: they were its billed contribution.
  return { ...line, billableColumns: line.billableColumns ?? line.columns, unlicensed: line.unlicensed ?? null };
}

export function upgradeStoredUserUsage(report: UserUsageReport): UserUsageReport {
  if (report.companies.every((c) => (c as Partial<CompanyUserUsage>).unlicensed !== undefined)) return report;
  return {
    ...report,
    companies: report.companies.map((c) => ({ ...c, unlicensed: c.unlicensed ?? { users: 0, standaloneDevices: 0, byReason: NO_UNLICENSED.byReason } })),
  };
}
