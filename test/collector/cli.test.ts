// The real tally-collector executable, as a user runs it.
import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startCollectorProcess } from '../helpers/processes.ts';

const bin = resolve(import.meta.dirname, '../../bin/tally-collector.js');
const dir = mkdtempSync(join(tmpdir(), 'tally-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function run(args: string[], env: Record<string, string> = {}, cwd?: string) {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 20_000, cwd });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const mode = (path: string) => statSync(path).mode & 0o777;

describe('tally-collector CLI', () => {
  it.each([[[]], [['--help']], [['serve', '--help']], [['apikey', '--help']], [['apikey', 'create', '--help']], [['token', 'create', '--help']]])('%j prints usage and exits 0', (args) => {
    const r = run(args);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^usage: tally-collector/);
  });

  it.each([
    [['bogus'], /unknown command: bogus/],
    [['serve', '--port', 'eighty'], /--port: expected a whole number from 0 to 65535/],
    [['serve', '--port', '70000'], /--port: expected a whole number/],
    [['serve', '--frobnicate'], /unknown option --frobnicate\n/],
    [['token', 'create'], /--company NAME is required/],
    [['serve', '--log-level', 'loud'], /log level must be/],
    [['serve', '--ingest-commits', '2'], /--ingest-commits above 1 needs PostgreSQL/],
    [['serve', '--ingest-commits', '0'], /--ingest-commits: expected a whole number from 1 to 8/],
    [['serve', '--db', 'postgres://postgres@127.0.0.1:1/x', '--ingest-commits', '9'], /--ingest-commits: expected a whole number from 1 to 8/],
  ])('%j fails with exit 2 and says why', (args, message) => {
    const r = run(args, { TALLY_DB: join(dir, 'x.db') });
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
  });

  it('rejects a bad environment value and a malformed config file', () => {
    expect(run(['serve'], { TALLY_PORT: 'abc' }).err).toMatch(/TALLY_PORT: expected a whole number/);
    const cfg = join(dir, 'bad.json');
    writeFileSync(cfg, '{ port: 1 ');
    const r = run(['serve', '--config', cfg]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/not valid JSON/);
    writeFileSync(cfg, JSON.stringify({ port: 'high' }));
    expect(run(['serve', '--config', cfg]).err).toMatch(/config key "port": expected a whole number/);
  });

  it('creates an API key and an enrolment token, printing only the secret on stdout', () => {
    const db = join(dir, 'keys.db');
    const key = run(['apikey', 'create', '--init', '--db', db]);
    expect(key.code).toBe(0);
    expect(key.err).toContain(`API key created in database ${db}.`);
    expect(key.out.trim()).toMatch(/^tak_[A-Za-z0-9_-]{43}$/);
    const token = run(['token', 'create', '--company', 'Acme, "Inc."', '--db', db]);
    expect(token.code).toBe(0);
    expect(token.out.trim()).toMatch(/^tet_[A-Za-z0-9_-]{43}$/);
    expect(token.err).toMatch(/Acme, "Inc."/);
    // Local commands are audited too, as the 'cli' actor.
    const db2 = new Database(db, { readonly: true });
    const actions = (db2.prepare("SELECT action FROM audit_log WHERE actor = 'cli' ORDER BY id").all() as { action: string }[]).map((r) => r.action);
    db2.close();
    // The company token create made is audited too: every write is a command with its own entry.
    expect(actions).toEqual(['api_key.create', 'company.create', 'enrolment_token.create']);
    // Secrets are stored hashed: neither clear value is anywhere in the database files.
    const files = readdirSync(dir).filter((f) => f.startsWith('keys.db')).map((f) => readFileSync(join(dir, f)).toString('latin1')).join('');
    expect(files).not.toContain(key.out.trim());
    expect(files).not.toContain(token.out.trim());
    expect(files).toContain(createHash('sha256').update(key.out.trim()).digest('hex'));
  });

  it('prints its version', () => {
    const pkg = JSON.parse(readFileSync(resolve(import.meta.dirname, '../../package.json'), 'utf8'));
    for (const args of [['--version'], ['version']]) expect(run(args)).toMatchObject({ code: 0, out: `tally-collector ${pkg.version}\n` });
  });

  it('names the option it does not know, with the closest one', () => {
    const r = run(['serve', '--prot', '9000']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^error: unknown option --prot \(did you mean --port\?\)\n/);
    expect(run(['apikey', 'create', '--lable', 'x']).err).toMatch(/unknown option --lable \(did you mean --label\?\)/);
  });

  it('refuses a config file with an unknown key (exit 2) instead of listening on the default address', () => {
    const cfg = join(dir, 'typo.json');
    writeFileSync(cfg, JSON.stringify({ hots: '127.0.0.1', port: 0 }));
    const r = run(['serve', '--config', cfg, '--db', join(dir, 'typo.db')]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/config file .*typo\.json: unknown key "hots" \(did you mean "host"\?\)/);
    expect(existsSync(join(dir, 'typo.db'))).toBe(false);
  });

  it('refuses a database under an unusable path at once and says why (no spinning)', () => {
    const started = Date.now();
    const r = run(['serve', '--host', '127.0.0.1', '--port', '0', '--db', '/proc/tally/tally.db']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/database \/proc\/tally\/tally\.db is not usable: cannot create \/proc\/tally: ENOENT/);
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(run(['serve', '--host', '127.0.0.1', '--port', '0', '--db', join(dir, 'x.db'), '--reports-dir', '/proc/tally-reports']).err)
      .toMatch(/reports directory \/proc\/tally-reports is not usable/);
  });

  it('serve says which migrations it applies to a database before it is ready, and none when it is up to date', async () => {
    const db = join(dir, 'migrating.db');
    const { loadMigrations } = await import('../../collector/src/storage/sqlite/migrate.ts');
    const all = loadMigrations().map((m) => m.version);
    for (const expected of [all, []]) {
      const proc = startCollectorProcess(db);
      try {
        const collector = await proc;
        const steps = collector.logs.filter((l) => l.msg === 'migrating the database').map((l) => l.migration);
        const applied = collector.logs.filter((l) => l.msg === 'migration applied');
        expect(steps).toEqual(expected);
        expect(applied.map((l) => l.migration)).toEqual(expected);
        expect(applied.every((l) => typeof l.seconds === 'number')).toBe(true);
        // Told before the collector listens: a long backfill is not mistaken for a hang.
        if (expected.length) expect(collector.logs.findIndex((l) => l.msg === 'migration applied')).toBeLessThan(collector.logs.findIndex((l) => l.msg === 'collector listening'));
      } finally {
        await (await proc).stop();
      }
    }
  });

  it('run from another folder, admin commands refuse to create a new database unless --init, and say which one they used', () => {
    const elsewhere = join(dir, 'elsewhere');
    mkdirSync(elsewhere);
    for (const args of [['apikey', 'create'], ['token', 'create', '--company', 'Acme'], ['companies', 'list'], ['month', 'show', '2026-11']]) {
      const r = run(args, {}, elsewhere);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.err).toContain(`no database at ${join(elsewhere, 'data', 'tally.db')}`);
      expect(r.out).toBe('');
    }
    expect(existsSync(join(elsewhere, 'data'))).toBe(false);
    const created = run(['apikey', 'create', '--init'], {}, elsewhere);
    expect(created.code).toBe(0);
    expect(created.err).toContain(`API key created in database ${join(elsewhere, 'data', 'tally.db')}.`);
    // Readable by the service's user only: the database in an owner-only folder.
    expect(mode(join(elsewhere, 'data', 'tally.db'))).toBe(0o600);
    expect(mode(join(elsewhere, 'data'))).toBe(0o700);
  });

  it('lists the company tree and moves a company by name, as the command line', () => {
    const db = join(dir, 'tree.db');
    expect(run(['token', 'create', '--company', 'Alpha Dental', '--init', '--db', db]).code).toBe(0);
    const sqlite = new Database(db);
    for (const [id, name] of [['p-north', 'North Partner'], ['p-south', 'South Partner']]) {
      sqlite.prepare("INSERT INTO companies (id, name, type, parent_id, path, registered_at) VALUES (?, ?, 'partner', NULL, ?, 0)").run(id, name, id);
    }
    sqlite.close();
    expect(run(['companies', 'move', 'Alpha Dental', '--parent', 'North Partner', '--db', db]).code).toBe(0);
    const list = run(['companies', 'list', '--db', db]);
    expect(list.code).toBe(0);
    expect(list.out).toMatch(/^North Partner {2}\(partner, p-north\)\n {2}Alpha Dental {2}\(customer, [0-9a-f-]{36}\)\nSouth Partner {2}\(partner, p-south\)\n$/);
    const json = JSON.parse(run(['companies', 'list', '--json', '--db', db]).out) as { name: string; parentId: string | null }[];
    expect(json.find((c) => c.name === 'Alpha Dental')!.parentId).toBe('p-north');
    const refused = run(['companies', 'move', 'Alpha Dental', '--parent', 'Alpha Dental', '--db', db]);
    expect(refused.code).toBe(3);
    expect(refused.err).toMatch(/\[conflict\]\n$/);
  });

  it('creates the customer of a new token under a partner named with --parent, and refuses a parent that is no partner', () => {
    const db = join(dir, 'parent.db');
    expect(run(['apikey', 'create', '--init', '--db', db]).code).toBe(0);
    const sqlite = new Database(db);
    sqlite.prepare("INSERT INTO companies (id, name, type, parent_id, path, registered_at) VALUES ('p-west', 'West Partner', 'partner', NULL, 'p-west', 0)").run();
    sqlite.close();
    const made = run(['token', 'create', '--company', 'Baker Legal', '--parent', 'West Partner', '--db', db]);
    expect(made.code, made.err).toBe(0);
    expect(made.out.trim()).toMatch(/^tet_/);
    const byId = run(['token', 'create', '--company', 'Cedar Clinic', '--parent', 'p-west', '--db', db]);
    expect(byId.code, byId.err).toBe(0);
    const companies = JSON.parse(run(['companies', 'list', '--json', '--db', db]).out) as { name: string; parentId: string | null }[];
    expect(companies.filter((c) => c.parentId === 'p-west').map((c) => c.name).sort()).toEqual(['Baker Legal', 'Cedar Clinic']);
    // A customer is no parent; an unknown one is not found: neither creates the company.
    expect(run(['token', 'create', '--company', 'Dune Dental', '--parent', 'Baker Legal', '--db', db]).code).toBe(3);
    expect(run(['token', 'create', '--company', 'Dune Dental', '--parent', 'Nowhere Partner', '--db', db]).code).toBe(2);
    expect((JSON.parse(run(['companies', 'list', '--json', '--db', db]).out) as { name: string }[]).map((c) => c.name)).not.toContain('Dune Dental');
  });
});
