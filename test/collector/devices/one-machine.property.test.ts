// The property of issue 17: for any sequence of enrolments, wiped agents
// enrolling again, moves (by token and by an admin) and merges of N physical
// machines, a machine is never silently billed twice (every extra record of
// it is flagged as a possible duplicate of the others), and once an admin
// merged what was flagged the month bills at most N endpoints and never
// bills a machine that was active that month zero. Real SQLite, the real
// session and group commit, a fixed clock.
import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../../common/log.ts';
import { COMMANDS, executeCommand, type CommandServices } from '../../../collector/src/admin/index.ts';
import { cliPrincipal } from '../../../collector/src/auth/principal.ts';
import { hashSecret, newSecret } from '../../../collector/src/auth/secrets.ts';
import { IngestBatcher } from '../../../collector/src/ingest/batcher.ts';
import { latePolicyAt } from '../../../collector/src/ingest/late-policy.ts';
import { AgentSession, type Principal } from '../../../collector/src/ingest/session.ts';
import { createMetrics } from '../../../collector/src/metrics.ts';
import { openSqliteStorage } from '../../../collector/src/storage/sqlite/index.ts';
import type { Storage } from '../../../collector/src/storage/types.ts';
import { monthServices } from '../../../collector/src/usage/index.ts';
import { encodeAgentEnvelope, type IIdentity } from '../../../proto/index.ts';

const MONTH = '2026-11';
const START = Date.UTC(2026, 10, 2, 8);
const HOUR = 3_600_000;

type Op =
  | { kind: 'enrol'; machine: number; company: 0 | 1 }
  | { kind: 'report'; machine: number }
  | { kind: 'wipe'; machine: number }
  | { kind: 'adminMove'; machine: number; company: 0 | 1 };

/** Machine i: firmware ids (strong) for even i, only its network card (a board with placeholder ids) for odd i. */
const identityOf = (i: number): IIdentity => (i % 2 === 0
  ? { hardwareUuid: `4c4c4544-0042-3510-8052-b4c04f4d32${String(i).padStart(2, '0')}`, systemSerial: `SER${1000 + i}`, macs: [`a4:bb:6d:00:10:${String(i).padStart(2, '0')}`] }
  : { hardwareUuid: '03000200-0400-0500-0006-000700080009', systemSerial: 'To Be Filled By O.E.M.', macs: [`a4:bb:6d:00:20:${String(i).padStart(2, '0')}`] });

async function run(machines: number, ops: Op[]): Promise<void> {
  let now = START;
  const storage: Storage = openSqliteStorage({ path: ':memory:', nowMs: now, checkpointWorker: false });
  const metrics = createMetrics();
  const batcher = new IngestBatcher({ storage, now: () => now, latePolicy: latePolicyAt, maxDelayMs: 0, metrics });
  const deps = { storage, batcher, isConnected: () => false, now: () => now, logger: silentLogger, metrics };
  try {
    const partner = await storage.tenancy.createCompany({ id: 'msp', name: 'MSP', type: 'partner', parentId: null, externalId: null, nowMs: now });
    const companies = [] as string[];
    const tokens = [] as string[];
    for (const name of ['dental', 'legal']) {
      const c = await storage.tenancy.createCompany({ id: name, name, type: 'customer', parentId: partner.id, externalId: null, nowMs: now });
      await storage.tenancy.addSubscriptionVersion({
        subscriptionId: `sub-${name}`, companyId: c.id, effectiveFromMs: Date.UTC(2026, 9, 1), effectiveUntilMs: null, productType: 'endpoint_security',
        protectionModel: 'a_la_carte', addOns: { encryption: false, patchManagement: false, integrityMonitoring: null, containerProtection: false, ats: false, edr: false, sve: false, xdr: [] },
        services: { mdrFoundations: false }, licenseType: 'monthly_subscription', trialEndsAtMs: null, trialConvertedAtMs: null, licenseKey: 'K',
        reservedSeats: null, minimumUsage: null, endDate: null, autoRenewal: false, attachment: { customer: true, userGroupIds: [] },
      }, now);
      const tokenId = `tok-${name}`;
      await storage.adminWrite.createEnrolmentToken({ id: tokenId, companyId: c.id, tokenHash: hashSecret(newSecret('enrolment_token')), expiresAtMs: null, nowMs: now });
      companies.push(c.id);
      tokens.push(tokenId);
    }
    const state = Array.from({ length: machines }, () => ({ key: null as string | null, company: 0 as 0 | 1, epoch: 0, seq: 0, devices: new Set<string>(), active: false }));
    const frame = async (principal: Principal, ...envelopes: Parameters<typeof encodeAgentEnvelope>[0][]) => {
      const session = new AgentSession(principal, deps);
      const replies = [];
      for (const e of envelopes) replies.push(await session.handleFrame(encodeAgentEnvelope(e)));
      await session.disconnected();
      return replies;
    };
    const hello = (m: number) => ({ hello: { agentVersion: '2', instanceId: `m${m}-${state[m].epoch}`, firstRunMs: START - HOUR, facts: { hostname: `pc-${m}`, identity: identityOf(m) } } });
    const commands: CommandServices = { storage, now: () => now, logger: silentLogger };

    for (const op of ops) {
      now += HOUR;
      const m = state[op.machine % machines];
      const i = op.machine % machines;
      if (op.kind === 'wipe') {
        m.key = null;
        m.epoch++;
        m.seq = 0;
      } else if (op.kind === 'enrol') {
        if (m.key) { m.key = null; m.epoch++; m.seq = 0; } // a new installation: its state starts empty
        m.company = op.company;
        const [reply] = await frame({ kind: 'enrolment', tokenId: tokens[op.company], companyId: companies[op.company] }, hello(i));
        const welcome = reply.send[0].welcome!;
        m.key = welcome.deviceKey!;
        m.devices.add(welcome.deviceId!);
      } else if (op.kind === 'report') {
        if (!m.key) continue;
        const auth = await storage.enrolment.findDeviceByKeyHash(hashSecret(m.key));
        if (!auth) continue;
        m.devices.add(auth.deviceId);
        await frame({ kind: 'device', deviceId: auth.deviceId, companyId: auth.companyId }, hello(i),
          { usage: { records: [{ header: { stream: `usage/m${i}-${m.epoch}`, seq: ++m.seq }, utcDay: Math.floor(now / 86_400_000), awakeSeconds: 600, bootId: 'b' }] } });
        m.active = true;
      } else if (op.kind === 'adminMove' && m.key) {
        const auth = await storage.enrolment.findDeviceByKeyHash(hashSecret(m.key));
        if (auth && auth.companyId !== companies[op.company]) {
          await executeCommand(COMMANDS.moveDevice, commands, await cliPrincipal(storage.adminRead), { deviceId: auth.deviceId }, { companyId: companies[op.company] });
        }
      }
    }

    // 1. Never silently billed twice: a machine's records are all linked by possible-duplicate flags.
    const pairs = await storage.devices.listDuplicates(null);
    for (const m of state) {
      if (m.devices.size < 2) continue;
      const linked = new Set([[...m.devices][0]]);
      for (let grew = true; grew;) {
        grew = false;
        for (const p of pairs) {
          if (linked.has(p.deviceA) !== linked.has(p.deviceB)) { linked.add(p.deviceA); linked.add(p.deviceB); grew = true; }
        }
      }
      expect([...m.devices].every((d) => linked.has(d)), `every record of one machine is flagged: ${[...m.devices].join(', ')}`).toBe(true);
    }
    // 2. The admin merges what was flagged; then at most N endpoints, and every active machine billed.
    now += HOUR;
    for (const p of await storage.devices.listDuplicates(null)) {
      await executeCommand(COMMANDS.mergeDevices, commands, await cliPrincipal(storage.adminRead), { deviceId: p.deviceA }, { duplicateId: p.deviceB });
    }
    const { reader } = monthServices({ billing: storage.billing, now: () => now, logger: silentLogger, graceHours: 72 });
    const { report } = await reader.monthlyReport(MONTH, 'endpoint_security', { devices: false });
    const billed = report.rows.find((r) => r.companyId === 'msp')!.total.endpointUsage;
    expect(billed).toBeLessThanOrEqual(machines);
    for (const m of state) {
      if (m.active) expect((await reader.billedDevices(MONTH, [...m.devices])).size, 'an active machine is billed').toBe(1);
    }
  } finally {
    await batcher.drain();
    await storage.close();
  }
}

const opArb = (machines: number): fc.Arbitrary<Op> => fc.oneof(
  fc.record({ kind: fc.constant('enrol' as const), machine: fc.nat(machines - 1), company: fc.constantFrom(0 as const, 1 as const) }),
  fc.record({ kind: fc.constant('report' as const), machine: fc.nat(machines - 1) }),
  fc.record({ kind: fc.constant('report' as const), machine: fc.nat(machines - 1) }),
  fc.record({ kind: fc.constant('wipe' as const), machine: fc.nat(machines - 1) }),
  fc.record({ kind: fc.constant('adminMove' as const), machine: fc.nat(machines - 1), company: fc.constantFrom(0 as const, 1 as const) }),
);

describe('one machine, one bill', () => {
  it('for any sequence of enrolments, re-enrolments, moves and merges of N machines: never silently twice, at most N, never an active machine zero', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 4 }).chain((n) => fc.tuple(fc.constant(n), fc.array(opArb(n), { maxLength: 24 }))), ([n, ops]) => run(n, ops)),
      { numRuns: 60, seed: 17, endOnFailure: true },
    );
  }, 120_000);
});
