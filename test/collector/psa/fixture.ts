// A store with a month of usage, the three PSA emulators running on
// loopback, and the PSA services wired as the collector wires them: what the
// PSA sync tests start from. Real SQLite or PostgreSQL, a fixed clock.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger, type Logger } from '../../../common/log.ts';
import { COMMANDS, executeCommand, type CommandServices } from '../../../collector/src/admin/index.ts';
import { cliPrincipal, type Principal } from '../../../collector/src/auth/principal.ts';
import { toTallyError } from '../../../collector/src/errors.ts';
import { connectorFactory } from '../../../collector/src/psa/connectors.ts';
import { LOOPBACK_ALLOWED } from '../../helpers/outbound.ts';
import { PsaKey } from '../../../collector/src/psa/secrets.ts';
import { planSync, type PsaServices, type SyncOutcome } from '../../../collector/src/psa/sync.ts';
import type { PsaKind } from '../../../collector/src/psa/types.ts';
import { openPostgresStorage } from '../../../collector/src/storage/postgres/index.ts';
import { openSqliteStorage } from '../../../collector/src/storage/sqlite/index.ts';
import type { Company, Storage } from '../../../collector/src/storage/types.ts';
import { monthServices, type MonthCloser, type MonthReader } from '../../../collector/src/usage/index.ts';
import { createTestDatabase, pgServerConfigured, pgTestSetting } from '../../helpers/postgres.ts';
import { shouldRun } from '../../helpers/requirements.ts';
import { Seeder } from '../../helpers/seed.ts';
import { AutotaskEmulator } from '../../psa-emulators/autotask.ts';
import { ConnectWiseEmulator } from '../../psa-emulators/connectwise.ts';
import { HaloEmulator } from '../../psa-emulators/halopsa.ts';

export const DAY = 86_400_000;
export const OCT_1 = Date.UTC(2026, 9, 1);
export const NOV_1 = Date.UTC(2026, 10, 1);
export const KEY_HEX = 'a3'.repeat(32);
export const ALL_SECRETS = [ConnectWiseEmulator.CREDS.privateKey, AutotaskEmulator.CREDS.secret, AutotaskEmulator.CREDS.integrationCode, HaloEmulator.CREDS.clientSecret];

const pg = pgTestSetting();
export const BACKENDS = [
  {
    name: 'SQLite', skip: false,
    open: async (nowMs: number) => {
      const dir = mkdtempSync(join(tmpdir(), 'tally-psa-'));
      const path = join(dir, 't.db');
      return { storage: openSqliteStorage({ path, nowMs }), path, cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
    },
  },
  {
    name: 'PostgreSQL', skip: !shouldRun('PSA sync on PostgreSQL', pgServerConfigured(pg)),
    open: async (nowMs: number) => {
      const db = await createTestDatabase((pg as { url: string }).url);
      return { storage: await openPostgresStorage({ url: db.url, nowMs }), path: null, cleanup: () => db.drop() };
    },
  },
];

export interface World {
  storage: Storage;
  dbPath: string | null;
  clock: { now: number };
  reader: MonthReader;
  closer: MonthCloser;
  psa: PsaServices;
  commands: CommandServices;
  logs: string[];
  logger: Logger;
  seed: Seeder;
  cw: ConnectWiseEmulator;
  at: AutotaskEmulator;
  halo: HaloEmulator;
  acme: Company;
  globex: Company;
  umbrella: Company;
  initech: Company;
  principal(): Promise<Principal>;
  run<C extends (typeof COMMANDS)[keyof typeof COMMANDS]>(command: C, target: unknown, input: unknown): ReturnType<typeof executeCommand<any, any, any>>;
  close(): Promise<void>;
}

/**
 * October 2026: Acme (endpoint security) has 3 endpoints active, Globex
 * (EDR) 2, Initech 1 (no PSA mapping), Umbrella 1 with no
 * subscription (unlicensed activity). The clock stands on 20 October.
 */
export async function world(backend: (typeof BACKENDS)[number]): Promise<World> {
  const clock = { now: OCT_1 + 19 * DAY + 12 * 3_600_000 };
  const { storage, path, cleanup } = await backend.open(clock.now);
  const logs: string[] = [];
  const logger = createLogger({ level: 'debug', write: (line: string) => logs.push(line) });
  const { reader, closer } = monthServices({ billing: storage.billing, now: () => clock.now, logger, graceHours: 72 });
  const psa: PsaServices = { key: PsaKey.parse(KEY_HEX), reader, connectors: connectorFactory({ backoffMs: 5, maxRetryAfterMs: 5_000, outbound: LOOPBACK_ALLOWED }), logger };
  const commands: CommandServices = { storage, now: () => clock.now, logger, closer, psa };
  const seed = new Seeder(storage, () => clock.now);
  const sub = { type: 'customer' as const, atMs: OCT_1 - 60 * DAY };
  const acme = await seed.company('ACME Corp', { ...sub, subscription: { effectiveFromMs: OCT_1 - 30 * DAY } });
  const globex = await seed.company('Globex', { ...sub, subscription: { effectiveFromMs: OCT_1 - 30 * DAY, productType: 'edr' } });
  const initech = await seed.company('Initech', { ...sub, subscription: { effectiveFromMs: OCT_1 - 30 * DAY } });
  const umbrella = await seed.company('Umbrella', sub);
  const active = async (companyId: string, n: number) => {
    for (let i = 0; i < n; i++) {
      const id = await seed.device(companyId, { atMs: OCT_1 });
      await seed.awakeDays(id, companyId, [3, 4, 5].map((d) => ({ dayMs: OCT_1 + d * DAY, seconds: 7200 })));
    }
  };
  await active(acme.id, 3);
  await active(globex.id, 2);
  await active(initech.id, 1);
  await active(umbrella.id, 1);
  const cw = new ConnectWiseEmulator();
  const at = new AutotaskEmulator();
  const halo = new HaloEmulator();
  await Promise.all([cw.start(), at.start(), halo.start()]);
  const principal = () => cliPrincipal(storage.adminRead);
  return {
    storage, dbPath: path, clock, reader, closer, psa, commands, logs, logger, seed, cw, at, halo, acme, globex, umbrella, initech, principal,
    run: async (command, target, input) => executeCommand(command as never, commands, await principal(), target, input),
    close: async () => {
      await Promise.all([cw.stop(), at.stop(), halo.stop()]);
      await storage.close();
      await cleanup();
    },
  };
}

export const BASE_URL: Record<PsaKind, (w: World) => string> = { connectwise: (w) => w.cw.base, autotask: (w) => w.at.base, halopsa: (w) => w.halo.base };
export const CREDS: Record<PsaKind, Record<string, string>> = { connectwise: ConnectWiseEmulator.CREDS, autotask: AutotaskEmulator.CREDS, halopsa: HaloEmulator.CREDS };

/** The mappings of each PSA in the emulators: Acme and Globex to their agreements, the endpoint security and EDR SKUs to products. */
export const MAPS: Record<PsaKind, { acme: [string, string]; globex: [string, string]; endpoint: string; edr: string }> = {
  connectwise: { acme: ['250', '9001'], globex: ['251', '9002'], endpoint: '700', edr: '702' },
  autotask: { acme: ['310', '4100'], globex: ['311', '4101'], endpoint: '80', edr: '82' },
  halopsa: { acme: ['12', '60'], globex: ['13', '61'], endpoint: '300', edr: '302' },
};

export const ENDPOINT_SKU = 'TALLY-ES-ENDPOINT-A-LA-CARTE';
export const EDR_SKU = 'TALLY-EDR-ENDPOINT';

export async function connectAndMap(w: World, kind: PsaKind): Promise<void> {
  await w.run(COMMANDS.setPsaConnection, { kind }, { baseUrl: BASE_URL[kind](w), credentials: CREDS[kind] });
  const m = MAPS[kind];
  await w.run(COMMANDS.setPsaMapping, { kind }, { companyId: w.acme.id, psaCompanyId: m.acme[0], agreementId: m.acme[1] });
  await w.run(COMMANDS.setPsaMapping, { kind }, { companyId: w.globex.id, psaCompanyId: m.globex[0], agreementId: m.globex[1] });
  await w.run(COMMANDS.setPsaMapping, { kind }, { sku: ENDPOINT_SKU, productId: m.endpoint });
  await w.run(COMMANDS.setPsaMapping, { kind }, { sku: EDR_SKU, productId: m.edr });
}

/** The quantity the emulated PSA bills now for a mapped company and SKU. */
export function psaQuantity(w: World, kind: PsaKind, company: 'acme' | 'globex', sku: string): number | undefined {
  const m = MAPS[kind];
  const agreement = Number(m[company][1]);
  const product = Number(sku === ENDPOINT_SKU ? m.endpoint : m.edr);
  if (kind === 'connectwise') return w.cw.line(agreement, product)?.quantity;
  if (kind === 'autotask') return w.at.unitsOn(agreement, product, new Date(w.clock.now).toISOString().slice(0, 10) > '2026-10-31' ? '2026-10-31' : new Date(w.clock.now).toISOString().slice(0, 10));
  return w.halo.qty(agreement, product);
}

/** Runs the sync command for October 2026 (or `input.month`) as the CLI principal. */
export const sync = (w: World, kind: PsaKind, input: Record<string, unknown> = {}) =>
  w.run(COMMANDS.runPsaSync, { kind }, { month: '2026-10', ...input }) as Promise<SyncOutcome>;

/** The sync's plan for October 2026, without writing (dry run and reconciliation read it). */
export const plan = (w: World, kind: PsaKind) =>
  planSync({ psa: w.psa, stores: w.storage, nowMs: w.clock.now, actor: 'test' }, kind, '2026-10');

/** The outcome's row for a company and SKU. */
export const row = (o: { rows: SyncOutcome['rows'] }, companyId: string, sku: string) => o.rows.find((r) => r.companyId === companyId && r.sku === sku)!;

/** The stable error code a promise rejects with ('no error' when it resolves); an internal error is thrown on. */
export async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    const e = toTallyError(err);
    if (e.code === 'internal') throw err;
    return e.code;
  }
  return 'no error';
}
