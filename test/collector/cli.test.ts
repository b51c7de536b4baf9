// The real tally-collector executable, as a user runs it.
import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const bin = resolve(import.meta.dirname, '../../bin/tally-collector.js');
const dir = mkdtempSync(join(tmpdir(), 'tally-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function run(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 20_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

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
    [['serve', '--frobnicate'], /Unknown option '--frobnicate'/],
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
    const key = run(['apikey', 'create', '--db', db]);
    expect(key.code).toBe(0);
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
});
