// Reports generated for later download, and report schedules. The report's
// own options keep their stable option codes (reports/options.ts); here they
// become invalid_request naming the field.
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { validateReportFormat, validateReportOptions, type RawReportOptions, type ReportFormat, type ReportOptions } from '../reports/index.ts';
import { TallyError } from '../errors.ts';
import type { Scope } from '../auth/scope.ts';
import { defineCommand } from './command.ts';
import { idParam, nameParam, reportFormatParam } from './schemas.ts';

/** The report's options checked by the reports module, then the target company by the scope. */
export function checkedReportRequest(scope: Scope, raw: RawReportOptions, format: unknown): { options: ReportOptions; format: ReportFormat } {
  const f = validateReportFormat(format);
  if (!f.ok) throw new TallyError('invalid_request', `${f.error.field}: ${f.error.message} (${f.error.code})`, { field: f.error.field });
  const o = validateReportOptions(raw);
  if (!o.ok) throw new TallyError('invalid_request', `${o.error.field}: ${o.error.message} (${o.error.code})`, { field: o.error.field });
  scope.company(o.value.companyId);
  return { options: o.value, format: f.value };
}

const reportOptionFields = {
  companyId: z.string(),
  month: z.string(),
  productType: z.enum(['endpoint_security', 'edr']).optional(),
  onlyEndpointDetails: z.boolean().optional(),
  onlyDirectCompanies: z.boolean().optional(),
  uptimeHours: z.boolean().optional(),
  registeredFrom: z.string().optional(),
  registeredTo: z.string().optional(),
};

export const CreateReportInput = z.object({
  name: nameParam.default('Monthly License Usage'),
  format: reportFormatParam,
  ...reportOptionFields,
}).strict();

export const createReport = defineCommand({
  name: 'report.create',
  summary: 'Generate a report in the background and keep it for download',
  permission: 'reports.write',
  target: z.object({}).strict(),
  input: CreateReportInput,
  // The job row is written at once; the file is made in the background.
  transactional: false,
  async run({ principal, services }, _t, input) {
    const checked = checkedReportRequest(principal.scope, input, input.format);
    if (!services.reports) throw new TallyError('internal', 'report generation is not available here');
    const { id } = await services.reports.enqueue({ ...checked, requestedBy: principal.actor, name: input.name });
    return { result: { id }, audit: { targetType: 'report', targetId: id, companyId: checked.options.companyId, details: input } };
  },
});

export const CreateScheduleInput = z.object({
  name: nameParam.default('Monthly License Usage'),
  format: reportFormatParam,
  companyId: z.string(),
  productType: z.enum(['endpoint_security', 'edr']).default('endpoint_security'),
  onlyEndpointDetails: z.boolean().default(false),
  onlyDirectCompanies: z.boolean().default(false),
  dayOfMonth: z.number().int().min(1).max(28).default(1),
  hourUtc: z.number().int().min(0).max(23).default(6),
  emailTo: z.array(z.string().email()).max(20).default([]),
}).strict();

export const createReportSchedule = defineCommand({
  name: 'report_schedule.create',
  summary: "Schedule the previous month's report on a day of each month (optionally mailed)",
  permission: 'reports.write',
  target: z.object({}).strict(),
  input: CreateScheduleInput,
  async run({ principal, stores, nowMs }, _t, input) {
    // The month is filled in at each run; validate the rest now with a placeholder month.
    checkedReportRequest(principal.scope, { ...input, month: '2000-01' }, input.format);
    const { dayOfMonth, hourUtc, emailTo, name, format, ...options } = input;
    const schedule = { id: randomUUID(), companyId: input.companyId, createdBy: principal.actor, name, format, options, dayOfMonth, hourUtc, emailTo, createdAtMs: nowMs };
    await stores.reports.createSchedule(schedule);
    return { result: { ...schedule, lastRunMonth: null }, audit: { targetType: 'report_schedule', targetId: schedule.id, companyId: input.companyId, details: input } };
  },
});

export const deleteReportSchedule = defineCommand({
  name: 'report_schedule.delete',
  summary: 'Delete a report schedule',
  permission: 'reports.write',
  target: z.object({ scheduleId: idParam }).strict(),
  input: z.object({}).strict(),
  async run({ principal, stores }, { scheduleId }) {
    const mine = (await stores.reports.listSchedules(principal.scope.companyIds())).find((s) => s.id === scheduleId);
    if (!mine) throw new TallyError('not_found', `report schedule ${scheduleId} does not exist`, { field: 'scheduleId' });
    await stores.reports.deleteSchedule(scheduleId);
    return { result: { id: scheduleId }, audit: { targetType: 'report_schedule', targetId: scheduleId, companyId: mine.companyId } };
  },
});
