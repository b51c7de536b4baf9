// One machine, one bill, with the real executables: the real tally-agent
// process on a machine whose firmware ids it reads (a captured /sys tree
// through TALLY_FACTS_ROOT), against the real tally-collector. Wiping the
// agent's state, corrupting its credentials and re-enrolling it with another
// customer's token each leave one device, billed once.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AGENT_BIN, COLLECTOR_BIN, pollUntil, runCommand, startCollectorProcess, startProcess, type Proc } from '../helpers/processes.ts';
import { restOk } from '../helpers/http.ts';

const dir = mkdtempSync(join(tmpdir(), 'tally-identity-e2e-'));
const factsRoot = join(dir, 'machine');
const stateDir = join(dir, 'agent');
const db = join(dir, 'tally.db');
const month = new Date().toISOString().slice(0, 7);
let collector: Proc & { url: string; port: number };
let key: string;
const ids: Record<string, string> = {};
const tokens: Record<string, string> = {};

beforeAll(async () => {
  // A Dell laptop as /sys shows it: SMBIOS UUID and serial (what survives a re-image).
  const dmi = join(factsRoot, 'sys/class/dmi/id');
  mkdirSync(dmi, { recursive: true });
  for (const [file, value] of Object.entries({
    product_uuid: '4c4c4544-0042-3510-8052-b4c04f4d3232', product_serial: '5TQ2J93', sys_vendor: 'Dell Inc.',
    product_name: 'Latitude 7440', board_serial: '/5TQ2J93/CNWS200123/', chassis_type: '10',
  })) writeFileSync(join(dmi, file), `${value}\n`);
  key = runCommand(COLLECTOR_BIN, ['apikey', 'create', '--init', '--db', db]);
  collector = await startCollectorProcess(db);
  ids.partner = (await restOk(collector.url, key, 'POST', '/companies', { name: 'MSP', type: 'partner' })).id;
  for (const name of ['Dental', 'Legal']) {
    ids[name] = (await restOk(collector.url, key, 'POST', '/companies', { name, type: 'customer', parentId: ids.partner })).id;
    await restOk(collector.url, key, 'POST', `/companies/${ids[name]}/subscriptions`, { productType: 'endpoint_security', effectiveFrom: `${month}-01T00:00:00Z` });
    tokens[name] = (await restOk(collector.url, key, 'POST', `/companies/${ids[name]}/enrolment-tokens`, {})).token;
  }
}, 60_000);
afterAll(async () => {
  await collector?.stop('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

const totalAwake = async () => (await restOk(collector.url, key, 'GET', `/usage?month=${month}`)).devices
  .reduce((n: number, d: { awakeSeconds: number }) => n + d.awakeSeconds, 0) as number;

/** Runs the agent until it has enrolled and delivered two more seconds, then stops it cleanly. */
async function runAgent(token: string): Promise<void> {
  const before = await totalAwake();
  const agent = startProcess(AGENT_BIN, ['run', '--collector', `ws://127.0.0.1:${collector.port}`, '--token', token, '--state-dir', stateDir, '--interval', '1'],
    { TALLY_FACTS_ROOT: factsRoot });
  try {
    await agent.waitForLog((l) => l.msg === 'enrolled', 30_000);
    await pollUntil(async () => (await totalAwake()) >= before + 2, 25_000, 'two more awake seconds from this agent');
  } finally {
    expect((await agent.stop('SIGTERM')).code).toBe(0);
  }
}

const devices = async () => (await restOk(collector.url, key, 'GET', '/devices')).devices as { id: string; companyId: string; enrolments: number }[];

describe('the real agent on one machine', () => {
  it('wipe the state directory and restart: the same device, one billed unit', async () => {
    await runAgent(tokens.Dental);
    const [first] = await devices();
    rmSync(stateDir, { recursive: true, force: true });
    await runAgent(tokens.Dental);
    expect(await devices()).toEqual([expect.objectContaining({ id: first.id, companyId: ids.Dental, enrolments: 2 })]);
    const monthly = await restOk(collector.url, key, 'GET', `/usage/monthly?month=${month}`);
    expect(monthly.rows.find((r: { companyId: string }) => r.companyId === ids.partner).total.endpointUsage).toBe(1);
  }, 90_000);

  it('a corrupt credentials.json: the agent enrols again and it is still the same device', async () => {
    const [before] = await devices();
    writeFileSync(join(stateDir, 'credentials.json'), '{"deviceId": "', 'utf8');
    await runAgent(tokens.Dental);
    expect(await devices()).toEqual([expect.objectContaining({ id: before.id, enrolments: 3 })]);
  }, 90_000);

  it("re-enrolled with another customer's token: one device, moved, billed once, at the new customer", async () => {
    const [before] = await devices();
    rmSync(stateDir, { recursive: true, force: true });
    await runAgent(tokens.Legal);
    expect(await devices()).toEqual([expect.objectContaining({ id: before.id, companyId: ids.Legal })]);
    const monthly = await restOk(collector.url, key, 'GET', `/usage/monthly?month=${month}`);
    const own = (id: string) => monthly.rows.find((r: { companyId: string }) => r.companyId === id).own.endpointUsage;
    expect([own(ids.Dental), own(ids.Legal)]).toEqual([0, 1]);
    const kinds = (await restOk(collector.url, key, 'GET', `/devices/${before.id}/history`)).history.map((h: { kind: string }) => h.kind);
    expect(kinds).toEqual(['enrolled', 're_enrolled', 're_enrolled', 're_enrolled', 'moved']);
  }, 90_000);
});
