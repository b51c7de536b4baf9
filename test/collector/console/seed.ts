// Seeded data for the console tests: two partner trees, subscriptions,
// devices with facts and daily usage, written through the storage API on a
// real collector (test/helpers/collector.ts), with a fixed clock.
import { randomUUID } from 'node:crypto';
import type { IDeviceFacts } from '../../../proto/index.ts';
import type { SubscriptionVersion } from '../../../collector/src/billing/index.ts';
import { hashSecret, newSecret } from '../../../collector/src/auth/secrets.ts';
import type { Storage } from '../../../collector/src/storage/types.ts';
import { Seeder } from '../../helpers/seed.ts';

export const DAY = 86_400_000;
export const NOV_1 = Date.UTC(2026, 10, 1);
/** The collector's clock: 20 November 2026, noon UTC. */
export const NOW = Date.UTC(2026, 10, 20, 12);
export const MONTH = '2026-11';

/** Add-ons on for the subscriptions here (container protection off: a column "Not enabled"). */
const ADD_ONS = { encryption: true, patchManagement: true, integrityMonitoring: null, containerProtection: false, ats: true, edr: true, sve: true, xdr: [] };

const mods = (...names: string[]) => ['antimalware', ...names].map((name) => ({ name, installed: true }));
const ws = (hostname: string, ...extra: string[]): IDeviceFacts => ({
  hostname, os: { platform: 'windows', name: 'Windows 11 Pro', version: '23H2' }, virtualization: { virtual: false }, role: { role: 'workstation' },
  identity: { hardwareUuid: `HW-${hostname.toUpperCase()}` }, modules: mods(...extra),
});
const vserver = (hostname: string, ...extra: string[]): IDeviceFacts => ({
  hostname, os: { platform: 'linux', name: 'Ubuntu', version: '24.04' }, virtualization: { virtual: true, kind: 'vmware' }, role: { role: 'server' },
  identity: { hardwareUuid: `HW-${hostname.toUpperCase()}` }, modules: mods(...extra),
});

export interface Seeded {
  north: string; alpha: string; beta: string; south: string; gamma: string;
  /** Under South: on a trial the whole month, and without any subscription (issue 18: unlicensed activity). */
  omega: string; sigma: string;
  devices: Record<string, string>;
  keys: { installation: string; north: string; south: string };
}

export async function seed(storage: Storage): Promise<Seeded> {
  const seeder = new Seeder(storage, () => NOW);
  const company = async (name: string, type: 'partner' | 'customer', parentId: string | null, sub: Partial<SubscriptionVersion> | null) => (await seeder.company(name, {
    type, parentId, atMs: NOV_1 - 60 * DAY,
    subscription: sub ? (id) => ({ effectiveFromMs: NOV_1 - 30 * DAY, addOns: ADD_ONS, licenseKey: 'LIC-' + id.slice(0, 6).toUpperCase(), ...sub }) : undefined,
  })).id;
  const north = await company('North Partner', 'partner', null, { licenseType: 'monthly_license' });
  const alpha = await company('Alpha Dental', 'customer', north, { reservedSeats: 10 });
  const beta = await company('Beta Law', 'customer', north, { protectionModel: 'secure' });
  const south = await company('South Partner', 'partner', null, { licenseType: 'monthly_license' });
  const gamma = await company('Gamma Foods', 'customer', south, {});
  // Seed 003: "Monthly License Trial he company has received a trial subscription license from a partner company." Ends in December.
  const omega = await company('Omega Trial', 'customer', south, { licenseType: 'trial', trialEndsAtMs: Date.UTC(2026, 11, 15) });
  // Devices reporting, and no subscription at all.
  const sigma = await company('Sigma Unlicensed', 'customer', south, null);

  const devices: Record<string, string> = {};
  const device = async (companyId: string, facts: IDeviceFacts, enrolledAtMs = NOV_1 - 10 * DAY) => {
    const id = await seeder.device(companyId, { facts, atMs: enrolledAtMs });
    devices[facts.hostname!] = id;
    return id;
  };
  const awake = (deviceId: string, companyId: string, days: number[], seconds: (day: number) => number) =>
    seeder.awakeDays(deviceId, companyId, days.map((d) => ({ dayMs: NOV_1 + (d - 1) * DAY, seconds: seconds(d) })));
  const range = (a: number, b: number) => Array.from({ length: b - a + 1 }, (_, i) => a + i);

  // Alpha Dental: encryption + patch on one workstation, a plain one, a central-scan virtual server,
  // one uninstalled mid-month, one flagged as a clone, one idle for months.
  const ws1 = await device(alpha, ws('alpha-ws1', 'full_disk_encryption', 'patch_management'));
  // The device-day rows carry the user bound when they are stored.
  const user = await storage.tenancy.upsertUser({ id: randomUUID(), companyId: alpha, externalId: 'dana@alpha.example', displayName: 'Dana Smile', nowMs: NOV_1 });
  await storage.tenancy.assignDeviceUser(ws1, user.id);
  await awake(ws1, alpha, range(1, 19), (d) => 3600 * (6 + (d % 3)));
  const ws2 = await device(alpha, ws('alpha-ws2'));
  await awake(ws2, alpha, range(3, 15), () => 7200);
  const vs1 = await device(alpha, vserver('alpha-vs1', 'central_scan'));
  await awake(vs1, alpha, range(1, 19), () => 86_000);
  const gone = await device(alpha, ws('alpha-gone', 'patch_management'));
  await awake(gone, alpha, range(1, 5), () => 5000);
  await storage.ingest.recordEvents(gone, [{ stream: `e-${gone}`, seq: 1, occurredAtMs: NOV_1 + 5 * DAY + 3600_000, kind: 'uninstalled', payload: {} }], NOV_1 + 5 * DAY + 3600_000);
  const clone = await device(alpha, ws('alpha-clone', 'full_disk_encryption'));
  await awake(clone, alpha, range(10, 18), () => 4000);
  await storage.ingest.flagClone(clone, NOV_1 + 12 * DAY);
  // Enrolled 150 days ago and never active since: past the 90 days, it has left the listing.
  await device(alpha, ws('alpha-old'), NOV_1 - 150 * DAY);
  // Seen last month, idle this month: listed, inactive, not billed.
  const idle = await device(alpha, ws('alpha-idle'), NOV_1 - 20 * DAY);
  await new Seeder(storage, () => NOV_1 - 10 * DAY).awake(idle, alpha, NOV_1 - 10 * DAY, 600);

  // Beta Law: two workstations with EDR.
  for (const h of ['beta-ws1', 'beta-ws2']) {
    const id = await device(beta, ws(h, 'edr_sensor'));
    await awake(id, beta, range(2, 18), () => 20_000);
  }
  // Gamma Foods, the other partner's customer.
  const g1 = await device(gamma, ws('gamma-ws1', 'full_disk_encryption'));
  await awake(g1, gamma, range(1, 19), () => 30_000);
  const o1 = await device(omega, ws('omega-ws1'));
  await awake(o1, omega, range(1, 19), () => 25_000);
  for (const h of ['sigma-ws1', 'sigma-ws2']) await awake(await device(sigma, ws(h)), sigma, range(1, 19), () => 28_000);

  const key = async (label: string, companyId: string | null, readOnly: boolean) => {
    const k = newSecret('api_key');
    await storage.adminWrite.createApiKey({ id: randomUUID(), keyHash: hashSecret(k), label, companyId, readOnly, nowMs: NOW });
    return k;
  };
  return {
    north, alpha, beta, south, gamma, omega, sigma, devices,
    keys: { installation: await key('operator', null, false), north: await key('north-readonly', north, true), south: await key('south-admin', south, false) },
  };
}
