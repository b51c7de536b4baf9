// Signing people in, over plain HTTP against real collectors: TOTP with the
// real algorithm on a fixed clock, recovery codes, lockout, idle and absolute
// expiry, the per-user session limit, keys owned by users, the bootstrap rule
// for API keys, and sessions shared by two collectors on one PostgreSQL
// database and kept across a restart.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { totpCode } from '../../../collector/src/auth/totp.ts';
import { openPostgresStorage } from '../../../collector/src/storage/postgres/index.ts';
import { openSqliteStorage } from '../../../collector/src/storage/sqlite/index.ts';
import { startCollector } from '../../../collector/src/server.ts';
import { silentLogger } from '../../../common/log.ts';
import { startTestCollector, type TestCollector } from '../../helpers/collector.ts';
import { consoleClient, cookieOf, postLogin, rest, restOk, userConsoleSession } from '../../helpers/http.ts';
import { createTestDatabase, pgServerConfigured, pgTestSetting } from '../../helpers/postgres.ts';
import { shouldRun } from '../../helpers/requirements.ts';

const T0 = Date.UTC(2031, 4, 6, 9, 0, 0);
const PASSWORD = 'a long and proper password';
let clock = T0;
let col: TestCollector;
let key: string;

/** GET with a session cookie, redirects not followed. */
const get = (session: string, path: string) => fetch(`${col.url}${path}`, { headers: { cookie: session }, redirect: 'manual' });
/** POSTs a sign-in step's form (its CSRF token read from the page first). */
async function step(session: string, path: string, fields: Record<string, string>) {
  const page = await (await get(session, path)).text();
  const csrf = /name="_csrf" value="([^"]+)"/.exec(page)![1];
  return fetch(`${col.url}${path}`, { method: 'POST', redirect: 'manual', headers: { cookie: session, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ ...fields, _csrf: csrf }) });
}
const newUser = (email: string, role = 'owner', extra: Record<string, unknown> = {}) =>
  restOk(col.url, key, 'POST', '/admin-users', { email, name: email.split('@')[0], role, password: PASSWORD, ...extra });

beforeAll(async () => {
  col = await startTestCollector({ now: () => clock });
  key = await col.apiKey();
});
afterAll(async () => {
  await col?.dispose();
});

describe('console sign-in', () => {
  it('takes an API key only while no user exists (bootstrap)', async () => {
    const before = await postLogin(col.url, { key });
    expect(before.res.status).toBe(303);
    expect(before.session).not.toBeNull();
    await newUser('first@example.com');
    // The key's session from before ends, and the key no longer signs in; it still works for the API.
    expect((await get(before.session!, '/console/companies')).status).toBe(303);
    const after = await postLogin(col.url, { key });
    expect(after.res.status).toBe(403);
    expect(await after.res.text()).toContain('API keys are for integrations');
    expect((await rest(col.url, key, 'GET', '/companies')).status).toBe(200);
  });

  it('requires TOTP when the installation says so: setup with the real algorithm, then a code or a recovery code at each sign-in', async () => {
    await restOk(col.url, key, 'PUT', '/sign-in-settings', { twoFactorRequired: true });
    await newUser('totp@example.com', 'viewer');
    const first = await postLogin(col.url, { email: 'totp@example.com', password: PASSWORD });
    expect(first.res.headers.get('location')).toBe('/console/login/mfa-setup');
    // Nothing but the next step until it is done.
    expect((await get(first.session!, '/console/companies')).headers.get('location')).toBe('/console/login/mfa-setup');
    const setup = await (await get(first.session!, '/console/login/mfa-setup')).text();
    const secret = /id="totp-secret">([A-Z2-7]+)</.exec(setup)![1];
    expect(setup).toContain(`otpauth://totp/Tally:totp%40example.com?issuer=Tally&amp;secret=${secret}`);
    expect((await step(first.session!, '/console/login/mfa-setup', { code: '000000' === totpCode(secret, clock) ? '111111' : '000000' })).status).toBe(400);
    const done = await step(first.session!, '/console/login/mfa-setup', { code: totpCode(secret, clock) });
    const codes = [...(await done.text()).matchAll(/<li><code>([a-z2-7]{5}-[a-z2-7]{5})<\/code><\/li>/g)].map((m) => m[1]);
    expect(codes).toHaveLength(10);
    expect((await get(first.session!, '/console/companies')).status).toBe(200);

    // The next sign-in asks for a code: a wrong one is refused, the one the app shows 30 s later is taken.
    clock += 60_000;
    const second = await postLogin(col.url, { email: 'totp@example.com', password: PASSWORD });
    expect(second.res.headers.get('location')).toBe('/console/login/mfa');
    expect((await step(second.session!, '/console/login/mfa', { code: '12345' })).status).toBe(401);
    expect((await step(second.session!, '/console/login/mfa', { code: totpCode(secret, clock - 90_000) })).status).toBe(401);
    expect((await step(second.session!, '/console/login/mfa', { code: totpCode(secret, clock + 30_000) })).headers.get('location')).toBe('/console/overview');
    expect((await get(second.session!, '/console/companies')).status).toBe(200);

    // A recovery code works once.
    const third = await postLogin(col.url, { email: 'totp@example.com', password: PASSWORD });
    expect((await step(third.session!, '/console/login/mfa', { code: codes[0].toUpperCase() })).headers.get('location')).toBe('/console/overview');
    const fourth = await postLogin(col.url, { email: 'totp@example.com', password: PASSWORD });
    expect((await step(fourth.session!, '/console/login/mfa', { code: codes[0] })).status).toBe(401);
    await restOk(col.url, key, 'PUT', '/sign-in-settings', { twoFactorRequired: false });
  });

  it('locks a user after five failures in a row; an owner\'s reset unlocks, and the user chooses a new password', async () => {
    const user = await newUser('lock@example.com', 'billing_admin');
    for (let i = 0; i < 5; i++) expect((await postLogin(col.url, { email: 'lock@example.com', password: 'wrong password!' })).res.status).toBe(401);
    const locked = await postLogin(col.url, { email: 'lock@example.com', password: PASSWORD });
    expect(locked.res.status).toBe(429);
    expect(await locked.res.text()).toMatch(/locked until/);
    // An unknown address answers like a wrong password, never "locked".
    expect((await postLogin(col.url, { email: 'nobody@example.com', password: PASSWORD })).res.status).toBe(401);
    clock += 15 * 60_000;
    expect((await postLogin(col.url, { email: 'lock@example.com', password: PASSWORD })).res.status).toBe(303);

    const reset = await restOk(col.url, key, 'POST', `/admin-users/${user.id}/reset-password`, {});
    expect(reset.temporaryPassword).toMatch(/^[A-Za-z0-9]{20}$/);
    expect((await postLogin(col.url, { email: 'lock@example.com', password: PASSWORD })).res.status).toBe(401);
    const temp = await postLogin(col.url, { email: 'lock@example.com', password: reset.temporaryPassword });
    expect(temp.res.headers.get('location')).toBe('/console/login/password');
    expect((await step(temp.session!, '/console/login/password', { newPassword: 'short' })).status).toBe(400);
    expect((await step(temp.session!, '/console/login/password', { newPassword: 'my very own new password' })).headers.get('location')).toBe('/console/overview');
    expect((await userConsoleSession(col.url, 'lock@example.com', 'my very own new password')).session).toMatch(/^tally_console_session=/);

    const audit = (await restOk(col.url, key, 'GET', '/audit?limit=1000')).entries.filter((e: any) => e.targetId === user.id).map((e: any) => e.action);
    expect(audit).toEqual(expect.arrayContaining(['session.sign_in_failed', 'user.locked', 'user.reset_password', 'account.change_password', 'session.sign_in']));
  });

  it('ends a session after 30 idle minutes and after 12 hours in all, and keeps at most 10 per user (their own oldest go)', async () => {
    await newUser('expiry@example.com', 'viewer');
    const s = await userConsoleSession(col.url, 'expiry@example.com', PASSWORD);
    clock += 29 * 60_000;
    expect((await s.get('/console/companies')).status).toBe(200);
    clock += 31 * 60_000;
    const idle = await s.get('/console/companies');
    expect(idle.status).toBe(303);
    expect(idle.headers.get('location')).toContain('expired=1');

    const long = await userConsoleSession(col.url, 'expiry@example.com', PASSWORD);
    for (let i = 0; i < 24; i++) {
      clock += 29 * 60_000;
      expect((await long.get('/console/companies')).status).toBe(200);
    }
    clock += 29 * 60_000; // 12 h 5 min after signing in, used all along
    expect((await long.get('/console/companies')).status).toBe(303);

    const other = await userConsoleSession(col.url, 'first@example.com', PASSWORD);
    const mine = [];
    for (let i = 0; i < 11; i++) mine.push(await userConsoleSession(col.url, 'expiry@example.com', PASSWORD));
    expect((await mine[0].get('/console/companies')).status).toBe(303);
    for (const m of mine.slice(1)) expect((await m.get('/console/companies')).status).toBe(200);
    expect((await other.get('/console/companies')).status).toBe(200);
    const listed = await restOk(col.url, key, 'GET', `/admin-users/${(await restOk(col.url, key, 'GET', '/admin-users')).users.find((u: any) => u.email === 'expiry@example.com').id}/sessions`);
    expect(listed.sessions).toHaveLength(10);
  });

  it('an API key belongs to the user who created it: never more than they may do, and only while they may', async () => {
    const owner = await newUser('keys@example.com', 'owner');
    const s = await userConsoleSession(col.url, 'keys@example.com', PASSWORD);
    const made = await s.post('/console/actions/key-create', { label: 'psa sync', role: 'billing_admin', companyId: '' });
    const created = /id="done-secret"[^>]*value="(tak_[^"]+)"/.exec(made.text)![1];
    expect((await rest(col.url, created, 'GET', '/companies')).status).toBe(200);
    expect((await rest(col.url, created, 'POST', '/api-keys', { label: 'x' })).status).toBe(403);
    const listed = (await restOk(col.url, key, 'GET', '/api-keys')).apiKeys.find((k: any) => k.label === 'psa sync');
    expect(listed).toMatchObject({ role: 'billing_admin', createdByUserId: owner.id });
    // Disabled creator: the key stops; enabled again: it works again. Demoted below the key's role: it stops.
    await restOk(col.url, key, 'PATCH', `/admin-users/${owner.id}`, { disabled: true });
    expect((await rest(col.url, created, 'GET', '/companies')).status).toBe(403);
    await restOk(col.url, key, 'PATCH', `/admin-users/${owner.id}`, { disabled: false });
    expect((await rest(col.url, created, 'GET', '/companies')).status).toBe(200);
    await restOk(col.url, key, 'PATCH', `/admin-users/${owner.id}`, { role: 'viewer' });
    const refused = await rest(col.url, created, 'GET', '/companies');
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toMatch(/larger than its creator/);
    // The key's actions are audited with the person behind it.
    await restOk(col.url, key, 'PATCH', `/admin-users/${owner.id}`, { role: 'owner' });
    const p = await restOk(col.url, created, 'POST', '/companies', { name: 'Not allowed', type: 'partner' }).catch((e: Error) => e.message);
    expect(String(p)).toMatch(/403/);
    const s2 = await userConsoleSession(col.url, 'keys@example.com', PASSWORD);
    await s2.post('/console/actions/key-revoke', { keyId: listed.id });
    const entry = (await restOk(col.url, key, 'GET', '/audit?limit=1000')).entries.find((e: any) => e.action === 'api_key.revoke' && e.targetId === listed.id);
    expect(entry).toMatchObject({ actor: `user:${owner.id}`, userId: owner.id });
  });
});

const pg = pgTestSetting();
describe.skipIf(!shouldRun('console sessions on PostgreSQL (test/collector/console/sign-in.test.ts)', pgServerConfigured(pg)))('sessions in the database', () => {
  it('a session made on one collector works on a second one on the same PostgreSQL database, survives a restart, and a sign-out on one ends it on both', async () => {
    const db = await createTestDatabase((pg as { url: string }).url);
    const storages = [await openPostgresStorage({ url: db.url, nowMs: Date.now() }), await openPostgresStorage({ url: db.url, nowMs: Date.now() })];
    const start = (i: number) => startCollector({ storage: storages[i], logger: silentLogger, host: '127.0.0.1', port: 0, reportsDir: join(col.dir, `r${i}`), billingIntervalMs: 0, reportScheduleIntervalMs: 0 });
    let a = await start(0);
    const b = await start(1);
    try {
      const k = await col.apiKey();
      void k;
      await storages[0].users.createUser({ id: 'u-pg', email: 'pg@example.com', name: 'Pg', role: 'owner', companyId: null,
        passwordHash: await (await import('../../../collector/src/auth/passwords.ts')).hashPassword(PASSWORD), mustChangePassword: false, ssoProviderId: null, ssoSubject: null, createdBy: 'test', nowMs: Date.now() });
      const onA = await userConsoleSession(a.url, 'pg@example.com', PASSWORD);
      const onB = await consoleClient(b.url, onA.session);
      expect((await onB.get('/console/account')).text).toContain('pg@example.com');
      await a.stop();
      a = await start(0);
      const afterRestart = await consoleClient(a.url, onA.session);
      expect((await afterRestart.get('/console/companies')).status).toBe(200);
      expect((await onB.post('/console/logout', {})).status).toBe(303);
      expect((await afterRestart.get('/console/companies')).status).toBe(303);
    } finally {
      await a.stop();
      await b.stop();
      for (const s of storages) await s.close();
      await db.drop();
    }
  });
});

describe('sessions kept across a restart on SQLite', () => {
  it('a new collector process on the same file knows the session', async () => {
    const path = join(col.dir, 'restart.db');
    const open = () => openSqliteStorage({ path, nowMs: Date.now() });
    let storage = open();
    const start = () => startCollector({ storage, logger: silentLogger, host: '127.0.0.1', port: 0, reportsDir: join(col.dir, 'rr'), billingIntervalMs: 0, reportScheduleIntervalMs: 0 });
    let running = await start();
    await storage.users.createUser({ id: 'u-sq', email: 'sq@example.com', name: 'Sq', role: 'viewer', companyId: null,
      passwordHash: await (await import('../../../collector/src/auth/passwords.ts')).hashPassword(PASSWORD), mustChangePassword: false, ssoProviderId: null, ssoSubject: null, createdBy: 'test', nowMs: Date.now() });
    const s = await userConsoleSession(running.url, 'sq@example.com', PASSWORD);
    await running.stop();
    await storage.close();
    storage = open();
    running = await start();
    try {
      expect((await (await consoleClient(running.url, s.session)).get('/console/companies')).status).toBe(200);
      expect(cookieOf).toBeTypeOf('function');
    } finally {
      await running.stop();
      await storage.close();
    }
  });
});
