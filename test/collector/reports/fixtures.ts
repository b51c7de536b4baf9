// Report inputs built with the billing core itself, so every expected number
// in the report tests is the engine's own figure for the same input.
import { PassThrough, Writable } from 'node:stream';
import {
  computeEndpointUsage, type Company, type DeviceDay, type MonthlyUsageReport, type ProductType, type SubscriptionVersion,
} from '../../../collector/src/billing/index.ts';
import {
  dailyAddOnUsage, validateReportOptions, type EndpointDirectory, type EndpointInfo, type RawReportOptions, type ReportInput, type ReportOptions,
} from '../../../collector/src/reports/index.ts';
import { MARCH, at, company, deviceDay, subscription } from '../billing/fixtures.ts';

export { MARCH, at, company, deviceDay, subscription };

/** Seed 003, "Example of a monthly usage report" for Bitdefender EDR: Partner 1 with Customers A-D. */
export function seedEdrExample() {
  const companies: Company[] = [
    company('partner-1', { name: 'Partner 1', type: 'partner', path: ['partner-1'], registeredAtMs: at('2022-06-01T00:00:00Z') }),
    company('customer-a', { name: 'Customer A', parentId: 'partner-1', path: ['partner-1', 'customer-a'], registeredAtMs: at('2023-01-10T00:00:00Z') }),
    company('customer-b', { name: 'Customer B', parentId: 'partner-1', path: ['partner-1', 'customer-b'], registeredAtMs: at('2024-02-01T00:00:00Z') }),
    company('customer-c', { name: 'Customer C', parentId: 'partner-1', path: ['partner-1', 'customer-c'], registeredAtMs: at('2024-02-29T23:59:59Z') }),
    company('customer-d', { name: 'Customer D', parentId: 'partner-1', path: ['partner-1', 'customer-d'], registeredAtMs: at('2024-03-01T00:00:00Z') }),
  ];
  const subscriptions: SubscriptionVersion[] = [
    subscription('partner-1', { licenseType: 'monthly_license' }),
    subscription('customer-a', { addOns: { encryption: true }, reservedSeats: 10, endDate: '2024-12-31', autoRenewal: true, minimumUsage: 5 }),
    subscription('customer-b'),
    subscription('customer-c', { licenseType: 'trial', trialEndsAtMs: at('2024-06-01T00:00:00Z') }),
    subscription('customer-d', { productType: 'edr', addOns: { edr: true } }),
  ];
  const deviceDays: DeviceDay[] = [
    deviceDay('p1-own', 'partner-1', '2024-03-04'),
    deviceDay('a1', 'customer-a', '2024-03-04', { modules: ['antimalware', 'full_disk_encryption'] }),
    deviceDay('a1', 'customer-a', '2024-03-05', { modules: ['antimalware', 'full_disk_encryption'] }),
    deviceDay('a2', 'customer-a', '2024-03-05', { modules: ['antimalware', 'full_disk_encryption', 'firewall'] }),
    deviceDay('b1', 'customer-b', '2024-03-06'),
    deviceDay('c1', 'customer-c', '2024-03-07'),
    ...['d1', 'd2', 'd3'].map((id) =>
      deviceDay(id, 'customer-d', '2024-03-08', { modules: ['advanced_threat_control', 'content_control', 'network_attack_defense', 'edr_sensor'] }),
    ),
  ];
  return { companies, subscriptions, deviceDays };
}

export type Scenario = ReturnType<typeof seedEdrExample>;

export function billingReport(s: Scenario, productType: ProductType, month = MARCH): MonthlyUsageReport {
  return computeEndpointUsage({ month, productType, companies: s.companies, subscriptions: s.subscriptions, deviceDays: s.deviceDays, xdrSensorDeployments: [] });
}

/** A directory from a plain map, counting lookups. */
export function mapDirectory(entries: Record<string, EndpointInfo>): EndpointDirectory & { calls: number } {
  const dir = {
    calls: 0,
    async lookup(ids: readonly string[]) {
      dir.calls++;
      const m = new Map<string, EndpointInfo>();
      for (const id of ids) if (entries[id]) m.set(id, entries[id]);
      return m;
    },
  };
  return dir;
}

export function reportInput(s: Scenario, productType: ProductType, directory: EndpointDirectory, month = MARCH): ReportInput {
  const report = billingReport(s, productType, month);
  return {
    report,
    finalized: false,
    companies: s.companies.map((c) => ({ id: c.id, registeredAtMs: c.registeredAtMs, externalId: c.externalId ?? null })),
    endpoints: directory,
    dailyAddOnUsage: dailyAddOnUsage(month, s.deviceDays, new Set(report.rows.filter((r) => r.inReport).map((r) => r.companyId))),
    generatedAtMs: at('2024-04-02T08:00:00Z'),
  };
}

export function options(raw: RawReportOptions): ReportOptions {
  const r = validateReportOptions({ month: MARCH, ...raw });
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value;
}

/** A Writable that collects what it is given, to read the output back. */
export function collector(): { out: PassThrough; done: Promise<Buffer> } {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    out.on('end', () => resolve(Buffer.concat(chunks)));
    out.on('error', reject);
  });
  return { out, done };
}

/** A sink that only counts bytes and chunks, and remembers the largest chunk and the largest backlog it saw. */
export class CountingSink extends Writable {
  bytes = 0;
  chunks = 0;
  largestChunk = 0;
  maxBacklog = 0;

  constructor(private readonly slow: boolean) {
    super({ highWaterMark: 64 * 1024 });
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
    this.bytes += chunk.length;
    this.chunks++;
    this.largestChunk = Math.max(this.largestChunk, chunk.length);
    this.maxBacklog = Math.max(this.maxBacklog, this.writableLength);
    // A slow reader: completes each write on a later turn of the event loop.
    if (this.slow) setImmediate(cb);
    else cb();
  }
}
