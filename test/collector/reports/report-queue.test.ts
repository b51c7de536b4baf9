// The durable report queue on a real collector (SQLite, in process, real
// sockets): a partner's full queue is refused with queue_full on every
// surface that queues (REST, JSON-RPC, schedules), never another partner's;
// one partner's 300 jobs delay another partner's single job by at most the
// job already running; retention deletes old reports (file and row) and
// nothing recent; and no link the collector hands out is built from the
// request's Host header.
import { randomUUID } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import Provider from 'oidc-provider';
import { afterEach, describe, expect, it } from 'vitest';
import { hashSecret, newSecret } from '../../../collector/src/auth/secrets.ts';
import { runDueSchedules } from '../../../collector/src/report-jobs/schedules.ts';
import { ReportJobs } from '../../../collector/src/report-jobs/jobs.ts';
import type { Mail } from '../../../collector/src/report-jobs/mailer.ts';
import { defaultPublicUrl, parsePublicUrl, PublicUrlError } from '../../../collector/src/public-url.ts';
import type { Storage } from '../../../collector/src/storage/types.ts';
import { silentLogger } from '../../../common/log.ts';
import Database from 'better-sqlite3';
import { applyMigrations, loadMigrations } from '../../../collector/src/storage/sqlite/migrate.ts';
import { openSqliteStorage } from '../../../collector/src/storage/sqlite/index.ts';
import { startTestCollector, type TestCollector } from '../../helpers/collector.ts';
import { basicAuth, loginForm, rest, restOk, rpc } from '../../helpers/http.ts';
import { COLLECTOR_BIN, pollUntil, startProcess } from '../../helpers/processes.ts';

const DAY_MS = 86_400_000;
const month = new Date().toISOString().slice(0, 7);
const collectors: TestCollector[] = [];
afterEach(async () => {
  for (const c of collectors.splice(0)) await c.dispose();
});

async function start(opts: Parameters<typeof startTestCollector>[0] = {}): Promise<TestCollector> {
  const c = await startTestCollector(opts);
  collectors.push(c);
  return c;
}

/** A partner with one customer under it, and an API key of the partner. */
async function partner(storage: Storage, name: string) {
  const p = await storage.tenancy.createCompany({ id: randomUUID(), name, type: 'partner', parentId: null, externalId: null, nowMs: Date.now() });
  const customer = await storage.tenancy.createCompany({ id: randomUUID(), name: `${name} customer`, type: 'customer', parentId: p.id, externalId: null, nowMs: Date.now() });
  const key = newSecret('api_key');
  await storage.adminWrite.createApiKey({ id: randomUUID(), keyHash: hashSecret(key), label: name, companyId: p.id, readOnly: false, nowMs: Date.now() });
  return { id: p.id, customerId: customer.id, key };
}

/** An HTTP request with whatever Host header the caller likes (fetch will not send a forged one). */
function raw(url: string, method: string, path: string, headers: Record<string, string>, body?: unknown | URLSearchParams): Promise<{ status: number; headers: Record<string, unknown>; body: any }> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const form = body instanceof URLSearchParams;
    const type = body === undefined ? {} : { 'content-type': form ? 'application/x-www-form-urlencoded' : 'application/json' };
    const req = request({ host: u.hostname, port: u.port, method, path, headers: { ...headers, ...type } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (text += d));
      res.on('end', () => {
        let parsed: unknown = null;
        try {
          parsed = text ? JSON.parse(text) : null;
        } catch {
          parsed = text;
        }
        resolve({ status: res.statusCode!, headers: res.headers, body: parsed });
      });
    });
    req.on('error', reject);
    req.end(body === undefined ? undefined : form ? body.toString() : JSON.stringify(body));
  });
}

describe('report queue limits', () => {
  it("refuses a partner's job beyond its limit with queue_full on REST, JSON-RPC and schedules, never another partner's", async () => {
    // No worker: every job stays queued.
    const c = await start({ reportQueue: { workers: 0, maxQueuedPerTenant: 3 } });
    const a = await partner(c.storage, 'Partner A');
    const b = await partner(c.storage, 'Partner B');
    for (let i = 0; i < 3; i++) expect((await rest(c.url, a.key, 'POST', '/reports', { format: 'csv', companyId: i ? a.customerId : a.id, month })).status).toBe(202);

    const refused = await rest(c.url, a.key, 'POST', '/reports', { format: 'csv', companyId: a.customerId, month });
    expect(refused.status).toBe(429);
    expect(refused.body.error).toMatchObject({ code: 'queue_full', message: expect.stringMatching(/3 report jobs waiting or running/) });
    const [mm, yyyy] = [month.slice(5), month.slice(0, 4)];
    const viaRpc = await rpc(c.url, a.key, 'reports', 'createReport', { type: 13, targetIds: [a.customerId], options: { targetMonth: `${mm}/${yyyy}` } });
    expect(viaRpc.body.error).toMatchObject({ code: -32011, data: { code: 'queue_full' } });

    // Another partner is not held back.
    expect((await rest(c.url, b.key, 'POST', '/reports', { format: 'csv', companyId: b.customerId, month })).status).toBe(202);

    // A schedule of the full partner is not claimed while the queue is full: the next check queues it.
    await restOk(c.url, a.key, 'POST', '/report-schedules', { format: 'csv', companyId: a.customerId, dayOfMonth: 1, hourUtc: 0 });
    const runner = { reports: c.storage.reports, jobs: c.jobs, logger: silentLogger };
    expect(await runDueSchedules(runner, Date.now())).toEqual([]);
    expect((await c.storage.reports.listSchedules(null))[0].lastRunMonth).toBeNull();
    const leased = await c.storage.reports.claimJob({ owner: 'test', nowMs: Date.now(), leaseMs: 60_000, maxRunningPerTenant: 5, maxAttempts: 3 });
    await c.storage.reports.finishJob(leased!.id, 'test', { status: 'failed', error: 'made room' }, Date.now());
    const queued = await runDueSchedules(runner, Date.now());
    expect(queued).toHaveLength(1);
    expect(await runDueSchedules(runner, Date.now())).toEqual([]);

    const metrics = await (await fetch(`${c.url}/metrics`)).text();
    expect(metrics).toMatch(/tally_report_jobs_total\{outcome="refused_queue_full"\} 3/);
    expect(metrics).toMatch(/tally_report_queue_jobs\{state="waiting"\} 4/);
  });

  it("runs another partner's single job right after the job in progress, not after a partner's 300", async () => {
    const c = await start({ reportQueue: { workers: 1, maxRunningPerTenant: 1, maxQueuedPerTenant: 400 } });
    const a = await partner(c.storage, 'Busy partner');
    const b = await partner(c.storage, 'Quiet partner');
    const started = Date.now();
    // 300 jobs, ten requests at a time, as a partner's script would send them.
    for (let i = 0; i < 30; i++) {
      await Promise.all(Array.from({ length: 10 }, () => restOk(c.url, a.key, 'POST', '/reports', { format: 'csv', companyId: a.customerId, month })));
    }
    const enqueuedAll = Date.now() - started;
    const single = await restOk(c.url, b.key, 'POST', '/reports', { format: 'csv', companyId: b.customerId, month });
    const done = await pollUntil(async () => {
      const j = (await restOk(c.url, b.key, 'GET', `/reports/${single.id}`)) as { status: string; createdAt: string; finishedAt: string };
      return j.status === 'ready' ? j : null;
    }, 15_000, "the quiet partner's report", 20);
    const waitedMs = Date.parse(done.finishedAt) - Date.parse(done.createdAt);
    // Every job of the busy partner (the API lists the newest 200 only).
    const busy = (await c.storage.reports.listJobs([a.id, a.customerId], 1000)).filter((j) => j.finishedAtMs !== null && j.finishedAtMs <= Date.parse(done.finishedAt));
    expect(busy.length + (await c.storage.reports.listJobs([a.id, a.customerId], 1000)).filter((j) => j.finishedAtMs === null || j.finishedAtMs > Date.parse(done.finishedAt)).length).toBe(300);
    const busyFinishedMeanwhile = busy.filter((j) => j.finishedAtMs! > Date.parse(done.createdAt) && j.finishedAtMs! < Date.parse(done.finishedAt));
    console.log(`fairness: 300 jobs queued in ${enqueuedAll} ms; the other partner's job waited ${waitedMs} ms, behind ${busyFinishedMeanwhile.length} of the busy partner's (${busy.length} of 300 done by then)`);
    // The busy partner's job that was running when it arrived (and, if the claim after it raced the arrival's commit,
    // the one claimed then): never a share of the 300. And the busy partner's queue was far from empty.
    expect(busyFinishedMeanwhile.length).toBeLessThanOrEqual(2);
    expect(busy.length).toBeLessThan(250);
  });
});

describe('upgrading a database', () => {
  it('puts jobs an older collector left pending on the queue, each counted against its own company', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tally-queue-upgrade-'));
    try {
      const path = join(dir, 'tally.db');
      const all = loadMigrations();
      const before = all.slice(0, all.findIndex((m) => m.name === 'report_queue'));
      const old = new Database(path);
      applyMigrations(old, before, Date.now());
      old.prepare("INSERT INTO companies (id, name, type, parent_id, path, registered_at) VALUES ('c1', 'Old Dental', 'customer', NULL, '/c1/', 1)").run();
      old.prepare(`INSERT INTO report_jobs (id, company_id, requested_by, name, month, format, options, status, created_at)
        VALUES ('stuck', 'c1', 'k1', 'Monthly', '2026-10', 'csv', '{}', 'pending', 1)`).run();
      old.close();
      const storage = openSqliteStorage({ path, nowMs: Date.now() });
      try {
        expect(await storage.reports.getJob('stuck')).toMatchObject({ status: 'pending', tenantId: 'c1', attempts: 0, leaseUntilMs: null });
        expect(await storage.reports.claimJob({ owner: 'new', nowMs: Date.now(), leaseMs: 1000, maxRunningPerTenant: 1, maxAttempts: 3 })).toMatchObject({ id: 'stuck', attempts: 1 });
      } finally {
        await storage.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('report retention', () => {
  it('deletes finished reports older than the retention (file and row), keeps recent ones and waiting ones', async () => {
    let clock = Date.now();
    const c = await start({ now: () => clock, reportQueue: { retentionDays: 30 } });
    const a = await partner(c.storage, 'Keeper');
    const ready = async () => {
      const { id } = await restOk(c.url, a.key, 'POST', '/reports', { format: 'csv', companyId: a.customerId, month });
      return pollUntil(async () => {
        const j = await c.storage.reports.getJob(id);
        return j?.status === 'ready' ? j : null;
      }, 10_000, 'report ready', 20);
    };
    const old = await ready();
    clock += 29 * DAY_MS;
    const recent = await ready();
    clock += 2 * DAY_MS; // old: 31 days, recent: 2 days
    const reports = join(c.dir, 'reports');
    // A file whose row another collector already deleted, and a temporary file of a run that died long ago; a live one stays.
    const orphan = join(reports, `${'f'.repeat(32)}.csv`);
    const deadTemp = join(reports, `.${'e'.repeat(32)}.csv.999.abcd.tmp`);
    const liveTemp = join(reports, `.${'d'.repeat(32)}.csv.998.abcd.tmp`);
    for (const f of [orphan, deadTemp, liveTemp]) writeFileSync(f, 'x');
    const longAgo = new Date(clock - 40 * DAY_MS);
    utimesSync(orphan, longAgo, longAgo);
    utimesSync(deadTemp, longAgo, longAgo);
    utimesSync(liveTemp, new Date(clock), new Date(clock));

    expect(await c.jobs.sweep(clock)).toEqual({ rows: 1, files: 3 });
    expect(await c.storage.reports.getJob(old.id)).toBeNull();
    expect(existsSync(c.jobs.filePath(old))).toBe(false);
    expect(await c.storage.reports.getJob(recent.id)).toMatchObject({ status: 'ready' });
    expect(existsSync(c.jobs.filePath(recent))).toBe(true);
    expect([existsSync(orphan), existsSync(deadTemp), existsSync(liveTemp)]).toEqual([false, false, true]);
    expect(await c.jobs.sweep(clock)).toEqual({ rows: 0, files: 0 });
    expect((await rest(c.url, a.key, 'GET', `/reports/${old.id}`)).status).toBe(404);
    expect((await fetch(`${c.url}/api/v1/reports/${recent.id}/download`, { headers: { authorization: `Bearer ${a.key}` } })).status).toBe(200);
    // A row whose file is gone (another collector's folder, or removed by hand) answers not_found, not a broken download.
    rmSync(c.jobs.filePath(recent));
    const gone = await rest(c.url, a.key, 'GET', `/reports/${recent.id}/download`);
    expect([gone.status, gone.body.error.code]).toEqual([404, 'not_found']);
    expect(await (await fetch(`${c.url}/metrics`)).text()).toMatch(/tally_report_retention_deleted_total\{what="rows"\} 1/);
  });
});

describe('links use the configured public URL, never the Host header', () => {
  const attacker = { host: 'attacker.example' };

  async function links(c: TestCollector) {
    const key = await c.apiKey();
    const company = await restOk(c.url, key, 'POST', '/companies', { name: 'Linked', type: 'customer' });
    const created = await raw(c.url, 'POST', '/api/v1/reports', { ...attacker, authorization: `Bearer ${key}` }, { format: 'csv', companyId: company.id, month });
    expect(created.status).toBe(202);
    await pollUntil(async () => (await c.storage.reports.getJob(created.body.id))?.status === 'ready', 10_000, 'report ready', 20);
    const one = await raw(c.url, 'GET', `/api/v1/reports/${created.body.id}`, { ...attacker, authorization: `Bearer ${key}` });
    const list = await raw(c.url, 'GET', '/api/v1/reports', { ...attacker, authorization: `Bearer ${key}` });
    const rpcAnswer = await raw(c.url, 'POST', '/api/v1.0/jsonrpc/reports', { ...attacker, authorization: basicAuth(key) },
      { jsonrpc: '2.0', id: 1, method: 'getDownloadLinks', params: { reportId: created.body.id } });
    const handedOut = [one.body.downloadUrl, list.body.reports[0].downloadUrl, rpcAnswer.body.result.lastInstanceUrl];
    // The link works where it points.
    const download = await fetch(handedOut[2].replace(c.publicUrl, c.url), { headers: { authorization: basicAuth(key) } });
    expect(download.status).toBe(200);
    return { key, handedOut, bodies: JSON.stringify([created.body, one.body, list.body, rpcAnswer.body]), id: created.body.id as string };
  }

  it('builds download links on --public-url (REST and getDownloadLinks) and the single sign-on redirect URI too', async () => {
    const c = await start({ publicUrl: 'https://tally.msp.example/billing' });
    const { key, handedOut, bodies, id } = await links(c);
    expect(handedOut).toEqual(Array(3).fill(`https://tally.msp.example/billing/api/v1/reports/${id}/download`));
    expect(bodies).not.toContain('attacker.example');

    // Single sign-on: the redirect URI the browser is sent to the provider with.
    const idp: Server = createServer();
    await new Promise<void>((resolve) => idp.listen(0, '127.0.0.1', resolve));
    try {
      const issuer = `http://127.0.0.1:${(idp.address() as AddressInfo).port}`;
      const provider = new Provider(issuer, {
        clients: [{ client_id: 'tally', client_secret: 's', redirect_uris: ['https://tally.msp.example/billing/console/sso/callback'], response_types: ['code'], grant_types: ['authorization_code'] }],
      });
      idp.on('request', provider.callback());
      const sso = await restOk(c.url, key, 'POST', '/sso-providers', { name: 'Corp', issuer, clientId: 'tally', clientSecret: 's', claim: 'groups', mappings: [{ value: 'x', role: 'owner' }] });
      const started = await raw(c.url, 'GET', `/console/login/sso/${sso.id}`, attacker);
      expect(started.status).toBe(303);
      const to = new URL(String(started.headers.location));
      expect(to.origin).toBe(issuer);
      expect(to.searchParams.get('redirect_uri')).toBe('https://tally.msp.example/billing/console/sso/callback');
    } finally {
      await new Promise<void>((resolve) => idp.close(() => resolve()));
    }
  });

  it("accepts a console form posted from the public URL's origin behind a proxy that rewrites Host, and refuses another origin", async () => {
    const c = await start({ publicUrl: 'https://tally.msp.example' });
    const key = await c.apiKey();
    const post = async (origin: string) => {
      const { cookie, token } = await loginForm(c.url);
      return raw(c.url, 'POST', '/console/login', { host: 'collector-3.internal:8080', origin, cookie },
        new URLSearchParams({ key, _csrf: token, next: '/console/companies' }));
    };
    const signedIn = await post('https://tally.msp.example');
    expect([signedIn.status, signedIn.headers.location]).toEqual([303, '/console/companies']);
    expect((await post('https://attacker.example')).status).toBe(403);
  });

  it('mails a report too large to attach as a link on the public URL', async () => {
    const c = await start({ publicUrl: 'https://tally.msp.example' });
    await c.jobs.stop();
    const sent: Mail[] = [];
    const jobs = new ReportJobs({
      reports: c.storage.reports, source: { adminRead: c.storage.adminRead, reader: c.reader }, now: Date.now, logger: silentLogger, dir: join(c.dir, 'reports'),
      mailer: { send: async (m) => void sent.push(m) }, publicUrl: c.publicUrl, maxAttachmentBytes: 10,
    });
    const company = await c.storage.tenancy.createCompany({ id: randomUUID(), name: 'Big', type: 'customer', parentId: null, externalId: null, nowMs: Date.now() });
    await c.storage.reports.createSchedule({
      id: 'big', companyId: company.id, createdBy: 't', name: 'Big report', format: 'csv', options: { companyId: company.id }, dayOfMonth: 1, hourUtc: 0,
      emailTo: ['ops@msp.example'], createdAtMs: Date.now(),
    });
    jobs.start();
    try {
      const [id] = await runDueSchedules({ reports: c.storage.reports, jobs, logger: silentLogger }, Date.now());
      await pollUntil(async () => (await c.storage.reports.getJob(id))?.status === 'ready', 10_000, 'report ready', 20);
      expect(sent).toHaveLength(1);
      expect(sent[0]).toMatchObject({ to: ['ops@msp.example'], attachment: undefined });
      expect(sent[0].text).toContain(`https://tally.msp.example/api/v1/reports/${id}/download`);
    } finally {
      await jobs.stop();
    }
  });

  it('without a configured URL uses the listen address, still not the Host header', async () => {
    const c = await start();
    expect(c.publicUrl).toBe(c.url);
    const { handedOut, bodies, id } = await links(c);
    expect(handedOut).toEqual(Array(3).fill(`${c.url}/api/v1/reports/${id}/download`));
    expect(bodies).not.toContain('attacker.example');
  });

  it('serve takes the URL from --public-url, TALLY_PUBLIC_URL or the config file, and refuses a bad one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tally-public-url-'));
    try {
      const db = join(dir, 'tally.db');
      const bad = spawnSync(process.execPath, [COLLECTOR_BIN, 'serve', '--db', db, '--port', '0', '--public-url', 'ftp://tally.example'], { encoding: 'utf8', timeout: 20_000 });
      expect(bad.status).toBe(2);
      expect(bad.stderr).toMatch(/--public-url: public URL must be http:\/\/ or https:\/\//);
      const config = join(dir, 'tally.json');
      writeFileSync(config, JSON.stringify({ publicUrl: 'https://from-config.example' }));
      for (const [env, args, expected] of [
        [{ TALLY_PUBLIC_URL: 'https://from-env.example/' }, ['--config', config], 'https://from-env.example'],
        [{}, ['--config', config], 'https://from-config.example'],
      ] as const) {
        const p = startProcess(COLLECTOR_BIN, ['serve', '--host', '127.0.0.1', '--port', '0', '--db', db, ...args], env);
        try {
          expect((await p.waitForLog((l) => l.msg === 'ready')).publicUrl).toBe(expected);
        } finally {
          await p.stop();
        }
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('checks a configured URL, and names a wildcard listen address by the machine', () => {
    expect(parsePublicUrl('https://tally.msp.example/')).toBe('https://tally.msp.example');
    expect(parsePublicUrl(' http://10.0.0.5:8080/tally/ ')).toBe('http://10.0.0.5:8080/tally');
    for (const bad of ['tally.msp.example', 'ftp://x.example', 'https://u:p@x.example', 'https://x.example/?a=1', 'https://x.example/#f']) {
      expect(() => parsePublicUrl(bad), bad).toThrow(PublicUrlError);
    }
    expect(defaultPublicUrl({ tls: false, host: '0.0.0.0', port: 8080 }, () => 'collector-01')).toBe('http://collector-01:8080');
    expect(defaultPublicUrl({ tls: true, host: '::1', port: 443 })).toBe('https://[::1]:443');
    expect(defaultPublicUrl({ tls: false, host: '192.0.2.7', port: 80 })).toBe('http://192.0.2.7:80');
  });
});
