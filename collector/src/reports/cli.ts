// `tally-collector report`: writes a Monthly License Usage report to a file.
// main.ts wires it in; this file holds the command so the report's flags,
// help and messages live beside the report.
import { stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { CliError, parseFlags, stringSetting, type SettingSource } from '../../../common/cli.ts';
import { ERROR_TABLE, toTallyError } from '../errors.ts';
import type { Storage } from '../storage/types.ts';
import { MonthReader } from '../usage/index.ts';
import { writeFileAtomically } from './file.ts';
import { loadReportInput } from './load.ts';
import { ReportError, REPORT_FORMATS, validateReportFormat, validateReportOptions } from './options.ts';
import type { ReportProgress } from './progress.ts';
import { writeReport } from './write.ts';

export function reportUsage(commonHelp: string): string {
  return `usage: tally-collector report --company ID|NAME --month YYYY-MM --format csv|xlsx|pdf|psa --out FILE
         [--product-type endpoint_security|edr] [--only-endpoint-details] [--only-direct-companies] [--uptime-hours]
         [--registered-from YYYY-MM-DD --registered-to YYYY-MM-DD] [--db PATH] [--config FILE]

Writes the Monthly License Usage report of a company and everything below it
for a UTC month: the figures of the month's finalized snapshot when it is
finalized, else computed from the facts as they are now.

  --company ID|NAME          Target company: its id or exact name (the report covers it and its subtree)
  --month YYYY-MM            The month
  --format F                 csv: usage, unlicensed and endpoint details sections, then a legend;
                             xlsx: one sheet per section, with totals; pdf: a document for the customer
                             (summary page, usage table, endpoint details, page numbers);
                             psa: one line per company and SKU, keyed on ids, for PSA import
  --out FILE                 Output file; written to a temporary file and renamed when complete
  --product-type T           endpoint_security (default) or edr
  --only-endpoint-details    Only the endpoint details (no usage section)
  --only-direct-companies    Only the target and the companies directly under it
  --uptime-hours             CSV: Uptime in hours, in a column "Uptime (hours)" (default: seconds, as GravityZone's column)
  --registered-from DATE     Only companies registered from DATE (UTC, inclusive) ...
  --registered-to DATE       ... to DATE (UTC, inclusive); both dates are required together
${commonHelp}
Progress goes to stderr. Bad options exit with 2.`;
}

export interface ReportCommandContext {
  readonly openStorage: (db: string, nowMs: number) => Storage | Promise<Storage>;
  readonly settings: (flags: Record<string, string | boolean | undefined>) => SettingSource;
  readonly defaultDb: string;
  readonly commonHelp: string;
  readonly stderr?: (text: string) => void;
}

/** Prints progress about every 10% of a section (and at 1,000-row steps for small ones), never per row. */
function progressPrinter(write: (text: string) => void): (p: ReportProgress) => void {
  let lastTenth = -1;
  let lastSection = '';
  return (p) => {
    if (p.section !== lastSection) {
      lastSection = p.section;
      lastTenth = -1;
    }
    const tenth = p.totalRows ? Math.floor((p.rowsWritten / p.totalRows) * 10) : 10;
    if (!p.done && tenth === lastTenth) return;
    lastTenth = tenth;
    const pct = p.totalRows ? Math.floor((p.rowsWritten / p.totalRows) * 100) : 100;
    write(`report: ${p.section} ${p.rowsWritten}/${p.totalRows} rows (${pct}%)${p.done ? ', done' : ''}\n`);
  };
}

export async function reportCommand(args: string[], ctx: ReportCommandContext): Promise<number> {
  const usage = reportUsage(ctx.commonHelp);
  const { values, positionals } = parseFlags(args, {
    db: { type: 'string' }, config: { type: 'string' },
    company: { type: 'string' }, month: { type: 'string' }, format: { type: 'string' }, out: { type: 'string' },
    'product-type': { type: 'string' }, 'only-endpoint-details': { type: 'boolean' }, 'only-direct-companies': { type: 'boolean' },
    'registered-from': { type: 'string' }, 'registered-to': { type: 'string' }, 'uptime-hours': { type: 'boolean' },
  }, usage);
  if (values.help) {
    process.stdout.write(usage + '\n');
    return 0;
  }
  if (positionals.length) throw new CliError(`unexpected argument: ${positionals[0]}\n\n${usage}`);
  const stderr = ctx.stderr ?? ((t: string) => void process.stderr.write(t));

  if (values.company === undefined) throw new CliError(`--company ID is required\n\n${usage}`);
  if (values.month === undefined) throw new CliError(`--month YYYY-MM is required\n\n${usage}`);
  if (values.format === undefined) throw new CliError(`--format is required: one of ${REPORT_FORMATS.join(', ')}\n\n${usage}`);
  const format = validateReportFormat(values.format);
  if (!format.ok) throw new CliError(`--format: ${format.error.message} [${format.error.code}]`);
  const out = typeof values.out === 'string' ? values.out.trim() : '';
  if (!out) throw new CliError(`--out FILE is required\n\n${usage}`);

  const checked = validateReportOptions({
    companyId: values.company, month: values.month, productType: values['product-type'],
    onlyEndpointDetails: values['only-endpoint-details'] === true, onlyDirectCompanies: values['only-direct-companies'] === true,
    registeredFrom: values['registered-from'], registeredTo: values['registered-to'], uptimeHours: values['uptime-hours'] === true,
  });
  if (!checked.ok) {
    const flagName = { companyId: '--company', month: '--month', productType: '--product-type', registeredFrom: '--registered-from', registeredTo: '--registered-to' }[checked.error.field] ?? checked.error.field;
    throw new CliError(`${flagName}: ${checked.error.message} [${checked.error.code}]`);
  }

  const outPath = resolve(out);
  const dir = await stat(dirname(outPath)).catch(() => null);
  if (!dir?.isDirectory()) throw new CliError(`--out: directory ${dirname(outPath)} does not exist`);
  if ((await stat(outPath).catch(() => null))?.isDirectory()) throw new CliError(`--out: ${outPath} is a directory`);

  const src = ctx.settings(values);
  const storage = await ctx.openStorage(stringSetting(src, 'db', 'TALLY_DB', 'db', ctx.defaultDb), Date.now());
  try {
    const reader = new MonthReader({ billing: storage.billing, now: Date.now, graceHours: 72 });
    const started = Date.now();
    // --company names the company by id, or by its exact name.
    const companies = await storage.adminRead.listCompanies();
    const named = companies.filter((c) => c.name === checked.value.companyId);
    if (!companies.some((c) => c.id === checked.value.companyId) && named.length > 1) {
      throw new CliError(`--company: ${named.length} companies are named ${JSON.stringify(checked.value.companyId)}; give the id of one: ${named.map((c) => c.id).join(', ')}`);
    }
    const options = companies.some((c) => c.id === checked.value.companyId) || named.length === 0 ? checked.value : { ...checked.value, companyId: named[0].id };
    const input = await loadReportInput({ adminRead: storage.adminRead, reader, now: Date.now }, options, format.value);
    const summary = await writeFileAtomically(outPath, (stream) => writeReport(format.value, input, options, stream, progressPrinter(stderr)));
    const size = (await stat(outPath)).size;
    stderr(`report written to ${outPath}: ${size} bytes, ${summary.companies} companies, ${summary.endpoints} endpoints` +
      `${format.value === 'psa' ? `, ${summary.psaLines} PSA lines` : ''}, ${input.finalized ? 'finalized' : 'not finalized'} month, in ${Date.now() - started} ms\n`);
    return 0;
  } catch (err) {
    if (err instanceof ReportError) throw new CliError(`${err.message} [${err.code}]`);
    const e = toTallyError(err);
    if (e.code !== 'internal') throw new CliError(`${e.message} [${e.code}]`, ERROR_TABLE[e.code].exit);
    throw err;
  } finally {
    await storage.close();
  }
}
