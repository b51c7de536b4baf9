// A finalized month as rows (storage: month runs): writing a run's lines as
// the month is computed, hashing a run by reading it back in key order (the
// same hash a month held whole gets: billing/month-hash.ts), and reading a
// stored month back with its company rows in memory (they grow with the
// companies) and its lines streamed a page at a time.
import {
  combineMonthHash, compareIds, lineText, linesOfReport, monthlyUsageHash, rowWithoutLines, upgradeStoredReport, upgradeStoredUserUsage, userCompanyWithoutLines,
  userLineKey, userUsageHash, canonicalJson, type CompanyUsageRow, type CompanyUserUsage, type DeviceMonthLine, type EndpointLineSource, type MonthlyUsageReport,
  type ProductType, type StreamedDocumentHash, type UserBillingLine, type UserUsageReport,
} from '../billing/index.ts';
import { TallyError } from '../errors.ts';
import type { BillingStore, MonthRowKind, MonthRunRows, StoredMonthFigures } from '../storage/types.ts';

const PRODUCT_TYPES: readonly ProductType[] = ['endpoint_security', 'edr'];

/** Lines read per page when a run is read back (hashing, verifying, streaming a company's lines). */
export const RUN_READ_PAGE = 2000;
/**
 * Lines held before they are written: sorted by company, so each write adds
 * runs of neighbouring keys to the key's index, not one key per B-tree
 * leaf. Each write dirties about one index leaf per company region whatever
 * its size (the lines themselves are appended: migration 0018), so fewer,
 * larger writes rewrite each leaf fewer times. (With the lines clustered by
 * key, at 20,000 a month of 1,000,000 endpoints in 5,000 companies wrote
 * 80 GB through SQLite's WAL before it was stopped: BENCHMARKS.md, Finalize.)
 * ~1 KB each: a bounded ~100-150 MB whatever the month's size.
 */
export const RUN_WRITE_LINES = 100_000;

type RunReads = Pick<BillingStore, 'monthRunCompanyRows' | 'monthRunEndpointLines' | 'monthRunUserLines'>;

/** Where the every-line computation of a month puts its lines as it goes (MonthReader.computeMonthRows). */
export interface MonthLinesSink {
  endpointLines(productType: ProductType, lines: readonly DeviceMonthLine[]): void;
  userLines(lines: readonly UserBillingLine[]): void;
  /** After each page of devices: may write what it holds. */
  pageDone(): Promise<void>;
}

/** Buffers a run's lines and writes them in sorted batches (one short transaction each). */
export class MonthRunWriter implements MonthLinesSink {
  private rows: MonthRunRows = { endpointLines: [], userLines: [], companyRows: [] };
  private held = 0;
  /** Lines written so far. */
  written = 0;

  constructor(private readonly billing: Pick<BillingStore, 'writeMonthRunRows'>, readonly runId: string, private readonly now: () => number,
    private readonly batchLines = RUN_WRITE_LINES) {}

  endpointLines(productType: ProductType, lines: readonly DeviceMonthLine[]): void {
    for (const line of lines) this.rows.endpointLines.push({ productType, companyId: line.companyId, deviceId: line.deviceId, body: lineText(line) });
    this.held += lines.length;
  }

  userLines(lines: readonly UserBillingLine[]): void {
    for (const line of lines) this.rows.userLines.push({ companyId: line.companyId, ...userLineKey(line), body: lineText(line) });
    this.held += lines.length;
  }

  /** The month's company rows (written with the last batch). */
  companyRows(kind: MonthRowKind, rows: readonly (CompanyUsageRow | CompanyUserUsage)[]): void {
    for (const row of rows) {
      const body = kind === 'users' ? userCompanyWithoutLines(row as CompanyUserUsage) : rowWithoutLines(row as CompanyUsageRow);
      this.rows.companyRows.push({ kind, companyId: row.companyId, body: canonicalJson(body) });
    }
  }

  async pageDone(): Promise<void> {
    if (this.held >= this.batchLines) await this.flush();
  }

  async flush(): Promise<void> {
    const rows = this.rows;
    if (!rows.endpointLines.length && !rows.userLines.length && !rows.companyRows.length) return;
    this.rows = { endpointLines: [], userLines: [], companyRows: [] };
    this.held = 0;
    this.written += rows.endpointLines.length + rows.userLines.length;
    rows.endpointLines.sort((a, b) => compareIds(a.productType, b.productType) || compareIds(a.companyId, b.companyId) || compareIds(a.deviceId, b.deviceId));
    rows.userLines.sort((a, b) => compareIds(a.companyId, b.companyId) || compareIds(a.kind, b.kind) || compareIds(a.refId, b.refId));
    await this.billing.writeMonthRunRows(this.runId, rows, this.now());
  }
}

/** A run's rows that do not add up: lines of a company without its row (a tampered or damaged run). */
export class MonthRunIntegrityError extends Error {}

/** A run's lines of one product type, in key order, across companies. */
async function* endpointLinePages(billing: RunReads, runId: string, productType: ProductType, pageSize: number, companyId?: string) {
  let after: { companyId: string; deviceId: string } | null = null;
  for (let pages = 0; pages < Number.MAX_SAFE_INTEGER; pages++) {
    const page = await billing.monthRunEndpointLines({ runId, productType, companyId, after, limit: pageSize });
    yield page;
    if (page.length < pageSize) return;
    const last = page[page.length - 1];
    after = { companyId: last.companyId, deviceId: last.deviceId };
  }
}

async function* userLinePages(billing: RunReads, runId: string, pageSize: number, companyId?: string) {
  let after: { companyId: string; kind: string; refId: string } | null = null;
  for (let pages = 0; pages < Number.MAX_SAFE_INTEGER; pages++) {
    const page = await billing.monthRunUserLines({ runId, companyId, after, limit: pageSize });
    yield page;
    if (page.length < pageSize) return;
    const last = page[page.length - 1];
    after = { companyId: last.companyId, kind: last.kind, refId: last.refId };
  }
}

/** Feeds one document: its company rows in order, each followed by its lines (pages in key order). */
async function hashDocument(hash: StreamedDocumentHash, rows: readonly { companyId: string; body: string }[],
  pages: AsyncIterable<readonly { companyId: string; body: string }[]>): Promise<string> {
  let next = 0;
  let current: string | null = null;
  for await (const page of pages) {
    for (const line of page) {
      while (current !== line.companyId) {
        if (next >= rows.length || compareIds(rows[next].companyId, line.companyId) > 0) {
          throw new MonthRunIntegrityError(`a line of company ${line.companyId} without its company row`);
        }
        current = rows[next].companyId;
        hash.item(JSON.parse(rows[next++].body));
      }
      hash.subItem(line.body);
    }
  }
  while (next < rows.length) hash.item(JSON.parse(rows[next++].body));
  return hash.digest();
}

/** The hashes of a run, read back in key order: equal to snapshotHash of the same month held whole. */
export async function hashMonthRun(billing: RunReads, runId: string, month: string, pageSize = RUN_READ_PAGE): Promise<{ hashes: Record<MonthRowKind, string>; hash: string }> {
  const rows = await billing.monthRunCompanyRows(runId);
  const of = (kind: MonthRowKind) => rows.filter((r) => r.kind === kind);
  const hashes = {} as Record<MonthRowKind, string>;
  for (const productType of PRODUCT_TYPES) {
    hashes[productType] = await hashDocument(monthlyUsageHash(month, productType), of(productType), endpointLinePages(billing, runId, productType, pageSize));
  }
  hashes.users = await hashDocument(userUsageHash(month), of('users'), userLinePages(billing, runId, pageSize));
  return { hashes, hash: combineMonthHash({ endpoint_security: hashes.endpoint_security, edr: hashes.edr, users: hashes.users }) };
}

/** A finalized month's figures as read: company rows in memory, lines streamed. */
export interface StoredMonth {
  month: string;
  hash: string;
  /** Rows sorted by company id; `devices` empty for a month stored as rows (read them with endpointLines). */
  reports: Record<ProductType, MonthlyUsageReport>;
  /** Companies sorted by id; `lines` empty for a month stored as rows (read them with userLines). */
  userUsage: UserUsageReport;
  endpointLines(productType: ProductType): EndpointLineSource;
  userLines(companyId: string): AsyncIterable<UserBillingLine>;
  /** One device's line at one company, as stored (null: not listed there). */
  lineOf(productType: ProductType, companyId: string, deviceId: string): Promise<DeviceMonthLine | null>;
}

export async function readStoredMonth(billing: RunReads, figures: StoredMonthFigures, pageSize = RUN_READ_PAGE): Promise<StoredMonth> {
  if (figures.runId === null) {
    // Stored whole, before months were rows (and maybe before licence states): read in today's shape; the hash stays the stored one.
    const s = figures.snapshot!;
    const reports = { endpoint_security: upgradeStoredReport(s.reports.endpoint_security), edr: upgradeStoredReport(s.reports.edr) };
    const userUsage = upgradeStoredUserUsage(s.userUsage);
    const userLines = new Map(userUsage.companies.map((c) => [c.companyId, c.lines]));
    return {
      month: figures.month, hash: figures.hash, reports, userUsage,
      endpointLines: (productType) => linesOfReport(reports[productType]),
      lineOf: async (productType, companyId, deviceId) =>
        reports[productType].rows.find((r) => r.companyId === companyId)?.devices.find((l) => l.deviceId === deviceId) ?? null,
      userLines: async function* (companyId) {
        yield* userLines.get(companyId) ?? [];
      },
    };
  }
  const runId = figures.runId;
  const rows = await billing.monthRunCompanyRows(runId);
  const reportOf = (productType: ProductType): MonthlyUsageReport => ({
    month: figures.month, productType,
    rows: rows.filter((r) => r.kind === productType).map((r) => ({ ...(JSON.parse(r.body) as Omit<CompanyUsageRow, 'devices'>), devices: [] })),
  });
  return {
    month: figures.month,
    hash: figures.hash,
    reports: { endpoint_security: reportOf('endpoint_security'), edr: reportOf('edr') },
    userUsage: {
      month: figures.month,
      companies: rows.filter((r) => r.kind === 'users').map((r) => ({ ...(JSON.parse(r.body) as Omit<CompanyUserUsage, 'lines'>), lines: [] })),
    },
    endpointLines: (productType) => ({
      linesAt: async function* (companyId) {
        for await (const page of endpointLinePages(billing, runId, productType, pageSize, companyId)) {
          for (const line of page) yield JSON.parse(line.body) as DeviceMonthLine;
        }
      },
    }),
    lineOf: async (productType, companyId, deviceId) => {
      const [line] = await billing.monthRunEndpointLines({ runId, productType, companyId, deviceId, after: null, limit: 1 });
      return line ? JSON.parse(line.body) as DeviceMonthLine : null;
    },
    userLines: async function* (companyId) {
      for await (const page of userLinePages(billing, runId, pageSize, companyId)) {
        for (const line of page) yield JSON.parse(line.body) as UserBillingLine;
      }
    },
  };
}

/** Whether a run's rows still hash to what was recorded: the integrity check of a month stored as rows. */
export async function verifyRun(billing: RunReads, runId: string, month: string, expected: string, pageSize = RUN_READ_PAGE): Promise<{ ok: boolean; hash: string | null; problem?: string }> {
  try {
    const { hash } = await hashMonthRun(billing, runId, month, pageSize);
    return hash === expected ? { ok: true, hash } : { ok: false, hash, problem: `rows hash to ${hash}, ${expected} was recorded` };
  } catch (err) {
    if (err instanceof MonthRunIntegrityError || err instanceof SyntaxError) return { ok: false, hash: null, problem: err.message };
    throw err;
  }
}

/** A month of the every-line form that the in-memory paths still refuse (open months only: finalized months are rows). */
export const tooLarge = (month: string, max: number, what = 'endpoints') => new TallyError('month_too_large', `${month} has more than ${max} ${what}: too many to hold `
  + 'in memory for a month that is not finalized (every line at once); finalized months are stored as rows and stream at any size, '
  + 'and the monthly usage, its endpoint lines and report files stream for any month');
