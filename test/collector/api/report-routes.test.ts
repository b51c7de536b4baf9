// Reports over HTTP and on a schedule: the streamed CSV, a job kept for
// download, and the previous month's report mailed through a real SMTP server
// started inside the test.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { SMTPServer } from 'smtp-server';
import type { AddressInfo } from 'node:net';
import { silentLogger } from '../../../common/log.ts';
import { latePolicyAt } from '../../../collector/src/ingest/late-policy.ts';
import { smtpMailer } from '../../../collector/src/report-jobs/mailer.ts';
import { runDueSchedules } from '../../../collector/src/report-jobs/schedules.ts';
import { ReportJobs } from '../../../collector/src/report-jobs/jobs.ts';
import { join } from 'node:path';
import { startTestCollector, type TestCollector } from '../../helpers/collector.ts';
import { pollUntil } from '../../helpers/processes.ts';
import { reportedFacts } from '../../../collector/src/devices/attributes.ts';

let c: TestCollector;
let key: string;
let companyId: string;
const now = Date.now();
const month = new Date(now).toISOString().slice(0, 7);

async function call(method: string, path: string, body?: unknown) {
  const res = await fetch(`${c.url}/api/v1${path}`, { method, headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  return res;
}

function usageRows(csv: string): Record<string, string>[] {
  const rows = parse(csv.replace(/^\uFEFF/, ''), { relax_column_count: true }) as string[][];
  const header = rows.find((r) => r.includes('Endpoint Usage'))!;
  return rows.filter((r) => r !== header && r.length === header.length && r[header.indexOf('Company')] && !r.includes('Endpoint type'))
    .map((r) => Object.fromEntries(header.map((h, i) => [h, r[i]])));
}

beforeAll(async () => {
  c = await startTestCollector();
  key = await c.apiKey();
  companyId = ((await (await call('POST', '/companies', { name: 'Dental, "North"', type: 'customer' })).json()) as any).id;
  await call('POST', `/companies/${companyId}/subscriptions`, { productType: 'endpoint_security', effectiveFrom: '2020-01-01T00:00:00Z', addOns: { encryption: true } });
  for (const id of ['d1', 'd2']) {
    await c.storage.enrolment.enrolDevice({ deviceId: id, companyId, keyHash: id, instanceId: id, hostname: `pc-${id}`, agentVersion: 't', nowMs: now,
      facts: reportedFacts({ hostname: `pc-${id}`, modules: [{ name: 'antimalware', installed: true }, { name: 'full_disk_encryption', installed: id === 'd1' }] }) });
    await c.storage.ingest.ingestUsage(id, companyId, [{ stream: 's', seq: 1, utcDay: Math.floor(now / 86_400_000), awakeSeconds: 900, bootId: 'b' }], [], now, latePolicyAt(now));
  }
});
afterAll(async () => {
  await c.dispose();
});

describe('report routes', () => {
  it('streams the Monthly License Usage CSV with the billing numbers and the seed column names', async () => {
    const res = await call('GET', `/reports/monthly-license-usage?companyId=${companyId}&month=${month}&format=csv`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toMatch(/attachment; filename="monthly-license-usage-\d{4}-\d{2}\.csv"/);
    const [row] = usageRows(await res.text());
    expect(row.Company).toBe('Dental, "North"');
    expect(row['Endpoint Usage']).toBe('2');
    expect(row['Encryption Usage']).toBe('1');
    expect(row['Reserved Seats']).toBe('*');
    expect(row['Subscription End Date']).toBe('N/A');
  });

  it.each([
    [`companyId=X&month=${month}&format=csv&registeredFrom=2026-01-01`, /registration_dates_incomplete/],
    [`companyId=X&month=2026-13&format=csv`, /invalid_month/],
    [`companyId=X&month=${month}&format=docx`, /invalid_format/],
  ])('refuses %s with 400 and the option error code', async (qs, code) => {
    const res = await call('GET', `/reports/monthly-license-usage?${qs.replace('X', companyId)}`);
    expect(res.status).toBe(400);
    expect(((await res.json()) as any).error.message).toMatch(code);
  });

  it('generates a report job kept for download', async () => {
    const created = await call('POST', '/reports', { format: 'xlsx', companyId, month });
    expect(created.status).toBe(202);
    const { id } = (await created.json()) as any;
    const job = await pollUntil(async () => {
      const j = (await (await call('GET', `/reports/${id}`)).json()) as any;
      return j.status === 'ready' ? j : null;
    }, 20_000, 'report job');
    expect(job.sizeBytes).toBeGreaterThan(1000);
    const file = await call('GET', `/reports/${id}/download`);
    expect(file.headers.get('content-type')).toMatch(/spreadsheetml/);
    expect((await file.arrayBuffer()).byteLength).toBe(job.sizeBytes);
  });
});

describe('scheduled reports', () => {
  it("mails the previous month's report on the chosen day and hour, once", async () => {
    const received: { to: string[]; raw: string }[] = [];
    const smtp = new SMTPServer({
      authOptional: true, disabledCommands: ['STARTTLS'], logger: false,
      onData(stream, session, done) {
        let raw = '';
        stream.on('data', (d: Buffer) => (raw += d.toString()));
        stream.on('end', () => {
          received.push({ to: session.envelope.rcptTo.map((r) => r.address), raw });
          done();
        });
      },
    });
    await new Promise<void>((r) => smtp.listen(0, '127.0.0.1', () => r()));
    const port = (smtp.server.address() as AddressInfo).port;
    try {
      const created = await call('POST', '/report-schedules', { format: 'csv', companyId, dayOfMonth: 1, hourUtc: 6, emailTo: ['billing@msp.example'] });
      expect(created.status).toBe(201);
      // A queue that mails through the test's SMTP server (what --smtp-url sets up in serve) stands in for the collector's.
      await c.jobs.stop();
      const jobs = new ReportJobs({
        reports: c.storage.reports, source: { adminRead: c.storage.adminRead, reader: c.reader }, now: Date.now, logger: silentLogger, dir: join(c.dir, 'mailed'),
        mailer: smtpMailer(`smtp://127.0.0.1:${port}`, 'tally@msp.example'), publicUrl: c.publicUrl,
      });
      jobs.start();
      const runner = { reports: c.storage.reports, jobs, logger: silentLogger };
      const [y, m] = month.split('-').map(Number);
      const firstOfNext = Date.UTC(y, m, 1);
      expect(await runDueSchedules(runner, firstOfNext + 5 * 3_600_000)).toEqual([]); // 05:00: not yet
      const ran = await runDueSchedules(runner, firstOfNext + 6 * 3_600_000 + 60_000);
      expect(ran).toHaveLength(1);
      expect(await runDueSchedules(runner, firstOfNext + 7 * 3_600_000)).toEqual([]); // once a month
      await pollUntil(async () => received.length === 1, 10_000, 'the report mail');
      expect(received[0].to).toEqual(['billing@msp.example']);
      expect(received[0].raw).toMatch(/Subject: Monthly License Usage: \d{4}-\d{2}/);
      await jobs.stop();
      expect(await c.storage.reports.getJob(ran[0])).toMatchObject({ status: 'ready', scheduleId: expect.any(String), emailTo: ['billing@msp.example'] });
      const attachment = /Content-Disposition: attachment;[\s\S]*?\r\n\r\n([A-Za-z0-9+/=\r\n]+)/.exec(received[0].raw)![1];
      const csv = Buffer.from(attachment.replace(/\r\n/g, ''), 'base64').toString('utf8');
      const [row] = usageRows(csv);
      expect(row['Endpoint Usage']).toBe('2');
      expect(row.Month).toBe(month);
    } finally {
      c.jobs.start();
      await new Promise<void>((r) => smtp.close(() => r()));
    }
  });
});
