// The webhook and alert commands of tally-collector, as a person runs them:
// the real binary on a fresh SQLite database; test-send reaches a real
// receiver on 127.0.0.1 and its signature verifies.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COLLECTOR_BIN } from '../../helpers/processes.ts';
import { Receiver } from './harness.ts';

const run = async (args: string[]): Promise<{ code: number; stdout: string; stderr: string }> => {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [COLLECTOR_BIN, ...args], { timeout: 20_000 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
};

describe('tally-collector webhook and alert', () => {
  let dir: string;
  let db: string;
  let rx: Receiver;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tally-hooks-cli-'));
    db = join(dir, 'tally.db');
    rx = await new Receiver().start();
    expect((await run(['token', 'create', '--company', 'Acme Dental', '--init', '--db', db])).code).toBe(0);
  });
  afterAll(async () => {
    await rx?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('creates an endpoint (secret printed once), lists it without the secret, test-sends a signed event, shows the log', async () => {
    const made = await run(['webhook', 'create', '--url', rx.answer('/cli'), '--company', 'Acme Dental', '--events', 'device.enrolled,alert.raised', '--db', db]);
    expect(made.code, made.stderr).toBe(0);
    const ep = JSON.parse(made.stdout) as { id: string; secret: string; eventTypes: string[]; companyId: string };
    expect(ep.secret).toMatch(/^whsec_/);
    expect(ep.eventTypes).toEqual(['alert.raised', 'device.enrolled']);
    const listed = await run(['webhook', 'list', '--db', db]);
    expect(listed.stdout).toContain(ep.id);
    expect(listed.stdout).not.toContain(ep.secret);
    // The receiver is on loopback: not reached until the operator allows that network, and the answer says why.
    const refused = await run(['webhook', 'test', ep.id, '--db', db]);
    expect(JSON.parse(refused.stdout)).toMatchObject({ delivered: false, statusCode: null, error: expect.stringMatching(/^refused: 127\.0\.0\.1 is not public .*--outbound-allow CIDR/) });
    expect(rx.at('/cli')).toHaveLength(0);
    const badAllow = await run(['webhook', 'test', ep.id, '--db', db, '--outbound-allow', '127.0.0.1']);
    expect(badAllow.code).toBe(2);
    expect(badAllow.stderr).toMatch(/--outbound-allow: not a network in CIDR form .*"127\.0\.0\.1"/);
    const tested = await run(['webhook', 'test', ep.id, '--db', db, '--outbound-allow', '127.0.0.0/8']);
    expect(JSON.parse(tested.stdout)).toMatchObject({ delivered: true, statusCode: 200 });
    const got = rx.at('/cli')[0];
    expect(new Webhook(ep.secret).verify(got.body, got.headers)).toMatchObject({ type: 'webhook.test', data: { companyId: ep.companyId } });
    const log = JSON.parse((await run(['webhook', 'log', ep.id, '--db', db])).stdout) as { attempts: { outcome: string; statusCode: number }[] };
    expect(log.attempts).toMatchObject([{ outcome: 'delivered', statusCode: 200 }, { outcome: 'network_error', statusCode: null }]);
    expect(JSON.parse((await run(['webhook', 'update', ep.id, '--disable', '--db', db])).stdout)).toMatchObject({ disabledAtMs: expect.any(Number) });
    expect((await run(['webhook', 'delete', ep.id, '--db', db])).code).toBe(0);
  });

  it('refuses bad input with the stable code and exit 2; manages alert rules', async () => {
    const badUrl = await run(['webhook', 'create', '--url', 'ftp://127.0.0.1/x', '--db', db]);
    expect(badUrl.code).toBe(2);
    expect(badUrl.stderr).toMatch(/url: only http and https URLs are allowed.*\[invalid_request\]/);
    const badParam = await run(['alert', 'create', '--company', 'Acme Dental', '--kind', 'enrolment_burst', '--name', 'Burst', '--param', 'count=1', '--param', 'minutes=5', '--db', db]);
    expect(badParam.code).toBe(2);
    expect(badParam.stderr).toMatch(/params\.count.*\[invalid_request\]/);
    const rule = await run(['alert', 'create', '--company', 'Acme Dental', '--kind', 'week_drop', '--name', 'Drop', '--param', 'percent=40', '--email', 'noc@msp.example', '--db', db]);
    expect(rule.code, rule.stderr).toBe(0);
    const id = (JSON.parse(rule.stdout) as { id: string }).id;
    expect(JSON.parse((await run(['alert', 'list', '--db', db])).stdout).alertRules).toMatchObject([{ id, kind: 'week_drop', params: { percent: 40, minEndpoints: 1 }, emailTo: ['noc@msp.example'], raised: [] }]);
    expect(JSON.parse((await run(['alert', 'update', id, '--param', 'percent=60', '--db', db])).stdout)).toMatchObject({ params: { percent: 60, minEndpoints: 1 } });
    expect((await run(['alert', 'delete', id, '--db', db])).code).toBe(0);
    expect((await run(['alert', 'delete', id, '--db', db])).stderr).toMatch(/\[not_found\]/);
  });
});
