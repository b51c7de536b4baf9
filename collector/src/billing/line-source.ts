// A month's endpoint lines, company by company: what endpoint details (report
// files, the console's drill-down) iterate. A finalized month holds its
// lines; an open month's reader streams them from storage (usage/).
import type { DeviceMonthLine, MonthlyUsageReport } from './types.ts';

export interface EndpointLineSource {
  /** The lines listed at one company, by device id. */
  linesAt(companyId: string): AsyncIterable<DeviceMonthLine>;
}

/** The lines a report holds in its rows (a finalized snapshot, or a report computed with its devices). */
export function linesOfReport(report: MonthlyUsageReport): EndpointLineSource {
  const byCompany = new Map(report.rows.map((r) => [r.companyId, r.devices]));
  return {
    async *linesAt(companyId) {
      yield* byCompany.get(companyId) ?? [];
    },
  };
}
