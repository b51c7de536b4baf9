// A real collector is killed with SIGKILL in the middle of a scheduled
// report: it has claimed the schedule's job, written the file, and is
// talking to the mail server (one that accepts the connection and never
// answers, so the job is reliably in progress). A restarted collector takes
// the job over once the dead one's lease runs out, makes the report and
// mails it: the job completes once, one mail arrives, and the schedule's
// month is not run again. On SQLite and on PostgreSQL.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';
import { afterEach, describe, expect, it } from 'vitest';
import { ReportJobs } from '../../collector/src/report-jobs/jobs.ts';
import { runDueSchedules } from '../../collector/src/report-jobs/schedules.ts';
import { openStorage } from '../../collector/src/storage/open.ts';
import type { Storage } from '../../collector/src/storage/types.ts';
import { monthServices } from '../../collector/src/usage/index.ts';
import { silentLogger } from '../../common/log.ts';
import { createTestDatabase, pgServerConfigured, pgTestSetting } from '../helpers/postgres.ts';
import { pollUntil, startCollectorProcess, type Proc } from '../helpers/processes.ts';
import { shouldRun } from '../helpers/requirements.ts';
import { seedCustomer } from '../helpers/seed.ts';

const pg = pgTestSetting();
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const backends = [
  { name: 'SQLite', run: true, database: async (dir: string) => join(dir, 'tally.db') },
  {
    name: 'PostgreSQL', run: shouldRun('report queue crash test on PostgreSQL', pgServerConfigured(pg)),
    database: async () => {
      const db = await createTestDatabase(pg.run ? pg.url : '');
      cleanups.push(() => db.drop());
      return db.url;
    },
  },
];

describe.each(backends)('a collector killed during a scheduled report ($name)', ({ run, database }) => {
  it.skipIf(!run)('is taken over after its lease: the report is made and mailed once, and the month is not run again', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tally-queue-crash-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const db = await database(dir);
    const reportsDir = join(dir, 'reports');
    const storage: Storage = await openStorage(db, Date.now());
    cleanups.push(() => storage.close());
    const company = await seedCustomer(storage, 'Crash Dental', Date.now());
    await storage.reports.createSchedule({
      id: 'sched-1', companyId: company.id, createdBy: 'test', name: 'Monthly usage', format: 'csv',
      options: { companyId: company.id, productType: 'endpoint_security', onlyEndpointDetails: false, onlyDirectCompanies: false },
      dayOfMonth: 1, hourUtc: 0, emailTo: ['billing@msp.example'], createdAtMs: Date.now(),
    });

    // A mail server that takes the connection and never says hello: the job stays in progress.
    const stalled: net.Socket[] = [];
    const hang = net.createServer((s) => stalled.push(s));
    await new Promise<void>((r) => hang.listen(0, '127.0.0.1', () => r()));
    cleanups.push(() => new Promise<void>((r) => { for (const s of stalled) s.destroy(); hang.close(() => r()); }));
    const processes: Proc[] = [];
    cleanups.push(async () => { for (const p of processes) await p.stop('SIGKILL'); });
    const lease = ['--report-lease-seconds', '1', '--reports-dir', reportsDir];
    const first = await startCollectorProcess(db, [...lease, '--smtp-url', `smtp://127.0.0.1:${(hang.address() as AddressInfo).port}`]);
    processes.push(first);

    // The schedule check, as a collector's timer runs it (here from the test: the timer's period is a minute).
    const { reader } = monthServices({ billing: storage.billing, now: Date.now, logger: silentLogger, graceHours: 72 });
    const checker = new ReportJobs({
      reports: storage.reports, source: { adminRead: storage.adminRead, reader }, now: Date.now, logger: silentLogger, dir: join(dir, 'unused'), queue: { workers: 0 },
    });
    const runner = { reports: storage.reports, jobs: checker, logger: silentLogger };
    const [jobId] = await runDueSchedules(runner, Date.now());
    expect(jobId).toMatch(/^[0-9a-f]{32}$/);

    await pollUntil(async () => stalled.length > 0, 15_000, 'the first collector mailing the report');
    const inProgress = await storage.reports.getJob(jobId);
    expect(inProgress).toMatchObject({ status: 'pending', attempts: 1, scheduleId: 'sched-1' });
    expect(inProgress!.leaseUntilMs).not.toBeNull();
    first.child.kill('SIGKILL');
    expect((await first.exited).signal).toBe('SIGKILL');
    expect(await runDueSchedules(runner, Date.now())).toEqual([]); // the month is claimed: its job is queued, not lost

    const mails: string[] = [];
    const smtp = new SMTPServer({
      authOptional: true, disabledCommands: ['STARTTLS'], logger: false,
      onData(stream, _session, done) {
        let text = '';
        stream.on('data', (d: Buffer) => (text += d.toString()));
        stream.on('end', () => {
          mails.push(text);
          done();
        });
      },
    });
    await new Promise<void>((r) => smtp.listen(0, '127.0.0.1', () => r()));
    cleanups.push(() => new Promise<void>((r) => smtp.close(() => r())));
    const restarted = await startCollectorProcess(db, [...lease, '--smtp-url', `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`]);
    processes.push(restarted);

    const done = await pollUntil(async () => {
      const j = await storage.reports.getJob(jobId);
      return j?.status !== 'pending' ? j : null;
    }, 15_000, 'the restarted collector finishing the report', 100);
    expect(done).toMatchObject({ status: 'ready', error: null, attempts: 2, fileName: `${jobId}.csv` });
    expect(done!.sizeBytes).toBeGreaterThan(100);
    // Twice the lease later: still one mail, one finished job, one file.
    await new Promise((r) => setTimeout(r, 2_000));
    expect(mails).toHaveLength(1);
    expect(mails[0]).toMatch(/Subject: Monthly usage: \d{4}-\d{2}/);
    expect(mails[0]).toMatch(/Content-Disposition: attachment/);
    expect(restarted.logs.filter((l) => l.msg === 'report job finished' && l.id === jobId)).toHaveLength(1);
    expect(readdirSync(reportsDir).filter((f) => f.startsWith(jobId))).toEqual([`${jobId}.csv`]);
    expect(await storage.reports.listJobs(null, 10)).toHaveLength(1);
    expect(await runDueSchedules(runner, Date.now())).toEqual([]);
    const metrics = await (await fetch(`${restarted.url}/metrics`)).text();
    expect(metrics).toMatch(/tally_report_jobs_total\{outcome="reclaimed"\} 1/);
    expect(metrics).toMatch(/tally_report_jobs_total\{outcome="ready"\} 1/);
    await restarted.stop('SIGTERM');
  });
});

describe.skipIf(!shouldRun('two collectors sharing the report queue on PostgreSQL', pgServerConfigured(pg)))('two collectors on one PostgreSQL database', () => {
  it('share the report queue: every job is made by exactly one of them, once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tally-queue-two-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const testDb = await createTestDatabase(pg.run ? pg.url : '');
    cleanups.push(() => testDb.drop());
    const storage = await openStorage(testDb.url, Date.now());
    cleanups.push(() => storage.close());
    const companies = await Promise.all(['North', 'South', 'East'].map((n) => seedCustomer(storage, n, Date.now())));
    const month = new Date().toISOString().slice(0, 7);
    const processes: Proc[] = [];
    cleanups.push(async () => { for (const p of processes) await p.stop('SIGKILL'); });
    // Both make reports into one shared folder, as several collectors must (README "Several collectors").
    for (let i = 0; i < 2; i++) {
      processes.push(await startCollectorProcess(testDb.url, ['--reports-dir', join(dir, 'reports'), '--report-workers', '2', '--report-running-per-tenant', '2']));
    }
    const ids: string[] = [];
    for (let i = 0; i < 24; i++) {
      const id = `job${String(i).padStart(29, '0')}`;
      const company = companies[i % 3];
      expect((await storage.reports.enqueueJob({ id, companyId: company.id, requestedBy: 'test', name: 'Monthly', month, format: 'csv', options: { companyId: company.id, month }, createdAtMs: Date.now() }, 50)).queued).toBe(true);
      ids.push(id);
      // Spread over 5 s: each collector looks for jobs queued elsewhere every 2 s, at its own moments.
      await new Promise((r) => setTimeout(r, 200));
    }
    await pollUntil(async () => (await storage.reports.listJobs(null, 100)).every((j) => j.status !== 'pending'), 30_000, 'every job finished', 200);
    const jobs = await storage.reports.listJobs(null, 100);
    expect(jobs.map((j) => [j.status, j.attempts])).toEqual(ids.map(() => ['ready', 1]));
    const finishedBy = ids.map((id) => processes.map((p) => p.logs.filter((l) => l.msg === 'report job finished' && l.id === id).length));
    expect(finishedBy.every(([a, b]) => a + b === 1)).toBe(true);
    const perCollector = [0, 1].map((i) => finishedBy.filter((f) => f[i] === 1).length);
    console.log(`two collectors: ${perCollector.join(' + ')} of ${ids.length} jobs`);
    expect(Math.min(...perCollector)).toBeGreaterThan(0);
  });
});
