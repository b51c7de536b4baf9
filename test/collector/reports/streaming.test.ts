// A 100,000-endpoint report streams: rows reach the output while later rows
// are still being looked up, the writer waits for a slow reader instead of
// buffering, and no single write is the whole file.
//
// Why these checks and not heap snapshots: heapUsed mid-run is dominated by
// garbage not yet collected and varies with the machine, so a bound on it is
// either flaky or too loose to catch anything. A writer that built the file
// in memory first would fail all three checks below deterministically: it
// writes nothing before its last lookup, its backlog is the file, and its
// largest chunk is the file.
import { beforeAll, describe, expect, it } from 'vitest';
import { computeEndpointUsage, type MonthlyUsageReport } from '../../../collector/src/billing/index.ts';
import {
  dailyAddOnUsage, writeReport, type EndpointDirectory, type EndpointInfo, type ReportFormat, type ReportInput, type ReportProgress,
} from '../../../collector/src/reports/index.ts';
import { CountingSink, company, deviceDay, options, subscription } from './fixtures.ts';

const ENDPOINTS = 100_000;
/**
 * The PDF is drawn cell by cell (about 30 us a cell): 100,000 endpoints take
 * 25-40 s on a loaded CI machine. It streams through the same page-by-page
 * code at any size, so it is checked at 20,000 endpoints (about 340 pages).
 */
const PDF_ENDPOINTS = 20_000;
const COMPANIES = 100;

type Built = { report: MonthlyUsageReport; input: Omit<ReportInput, 'endpoints'> };
const built = new Map<number, Built>();

function build(endpoints: number): Built {
  const companies = [
    company('msp', { name: 'MSP', type: 'partner', path: ['msp'] }),
    ...Array.from({ length: COMPANIES }, (_, i) => company(`c${i}`, { name: `Customer ${i}`, parentId: 'msp', path: ['msp', `c${i}`] })),
  ];
  const subscriptions = companies.map((c) => subscription(c.id, { addOns: { encryption: true, patchManagement: true } }));
  const deviceDays = Array.from({ length: endpoints }, (_, i) =>
    deviceDay(`dev-${String(i).padStart(6, '0')}`, `c${i % COMPANIES}`, `2024-03-${String((i % 28) + 1).padStart(2, '0')}`, {
      modules: i % 3 === 0 ? ['antimalware', 'full_disk_encryption', 'firewall'] : ['antimalware', 'patch_management'],
    }),
  );
  const report = computeEndpointUsage({ month: '2024-03', productType: 'endpoint_security', companies, subscriptions, deviceDays, xdrSensorDeployments: [] });
  return {
    report,
    input: {
      report, finalized: false, generatedAtMs: 0,
      companies: companies.map((c) => ({ id: c.id, registeredAtMs: c.registeredAtMs })),
      dailyAddOnUsage: dailyAddOnUsage('2024-03', deviceDays),
    },
  };
}

beforeAll(() => {
  for (const n of [ENDPOINTS, PDF_ENDPOINTS]) built.set(n, build(n));
}, 60_000);

/** A directory that notes how much output had reached the sink when each batch was looked up. */
function watchingDirectory(sink: CountingSink): EndpointDirectory & { bytesAtLookup: number[] } {
  const dir = {
    bytesAtLookup: [] as number[],
    async lookup(ids: readonly string[]) {
      dir.bytesAtLookup.push(sink.bytes);
      return new Map<string, EndpointInfo>(ids.map((id) => [id, { hostname: `host-${id}.corp.example`, os: 'Windows 11 Pro 23H2', hardwareId: `uuid-${id}`, ip: '10.1.2.3' }]));
    },
  };
  return dir;
}

describe('a large report streams', () => {
  it.each([
    ['csv', ENDPOINTS, 8_000_000],
    ['xlsx', ENDPOINTS, 5_000_000],
    ['pdf', PDF_ENDPOINTS, 1_000_000],
  ] as [ReportFormat, number, number][])('%s, %i endpoints', async (format, endpoints, minBytes) => {
    const { report, input } = built.get(endpoints)!;
    expect(report.rows.find((r) => r.companyId === 'msp')!.total.licensedEndpoints).toBe(endpoints);
    const sink = new CountingSink(true); // a slow reader: each write completes a turn of the event loop later
    const directory = watchingDirectory(sink);
    const progress: ReportProgress[] = [];
    const summary = await writeReport(format, { ...input, endpoints: directory }, options({ companyId: 'msp' }), sink, (p) => progress.push(p));

    expect(summary.endpoints).toBe(endpoints);
    expect(sink.bytes).toBeGreaterThan(minBytes);
    // Streamed: most of the file had left before the last batch of endpoints was even looked up.
    expect(directory.bytesAtLookup).toHaveLength(endpoints / 1000);
    expect(directory.bytesAtLookup.at(-1)!).toBeGreaterThan(sink.bytes * 0.8);
    // Backpressure honoured: never more than a few chunks waiting in front of the slow reader.
    expect(sink.maxBacklog).toBeLessThan(512 * 1024);
    expect(sink.largestChunk).toBeLessThan(256 * 1024);
    // Progress every 1,000 rows, then a final report per section.
    const endpointProgress = progress.filter((p) => p.section === 'endpoints');
    expect(endpointProgress.length).toBe(endpoints / 1000 + 1);
    expect(endpointProgress.at(-1)).toEqual({ section: 'endpoints', rowsWritten: endpoints, totalRows: endpoints, done: true });
  }, 180_000);
});
