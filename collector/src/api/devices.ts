// Devices: the listing, an admin's binding of a device to a user, and the
// device lifecycle (move, merge, retire, exclude, possible duplicates, history).
import { Hono } from 'hono';
import { z } from 'zod';
import { listingRetention } from '../billing/index.ts';
import { COMMANDS, visibleDevice, type CommandServices } from '../admin/index.ts';
import { idParam } from '../admin/schemas.ts';
import type { AdminReadStore, DeviceIdentityStore, DeviceListing } from '../storage/types.ts';
import type { MonthReader } from '../usage/index.ts';
import { iso } from './serialize.ts';
import { endpointInfoFromFacts } from '../reports/index.ts';
import type { IDeviceFacts } from '../../../proto/index.ts';
import { commandRoute, queryParams, read, type ApiEnv } from './http.ts';

export const DeviceListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(10_000).default(1000),
  after: z.string().min(1).max(64).optional(),
  /** Only the devices of this company (and, for a partner, the companies below it). */
  companyId: idParam.optional(),
  includeRetired: z.enum(['true', 'false']).default('false'),
});

/** A device's status in one word: what an admin looks for first. */
export function deviceStatus(d: DeviceListing, excluded: boolean): 'merged' | 'retired' | 'uninstalled' | 'excluded' | 'clone_suspected' | 'active' {
  if (d.mergedInto) return 'merged';
  if (d.retiredAtMs !== null) return 'retired';
  if (d.uninstalledAtMs !== null) return 'uninstalled';
  if (excluded) return 'excluded';
  if (d.cloneSuspectedAtMs !== null) return 'clone_suspected';
  return 'active';
}

export const deviceJson = (d: DeviceListing, excludedReason: string | null, os: { platform: string; name: string } | null = null) => ({
  id: d.id, hostname: d.hostname, companyId: d.companyId, companyName: d.companyName, status: deviceStatus(d, excludedReason !== null),
  // The README's promise: the operating system and the user the device is bound to (by an admin, else as its agent reported).
  os, user: d.user ? { id: d.user.id, externalId: d.user.externalId, displayName: d.user.displayName, boundBy: d.user.boundBy } : null,
  enrolledAt: iso(d.enrolledAtMs), lastEnrolledAt: iso(d.lastEnrolledAtMs), enrolments: d.enrolments, firstRunAt: iso(d.firstRunAtMs),
  lastSeenAt: iso(d.lastSeenAtMs), uninstalledAt: iso(d.uninstalledAtMs), retiredAt: iso(d.retiredAtMs), mergedInto: d.mergedInto,
  excludedReason, cloneSuspectedAt: iso(d.cloneSuspectedAtMs), agentVersion: d.agentVersion,
});

/** The operating system the agent last reported: its platform (windows, linux, darwin) and its name with the version; null when unknown. */
export function deviceOs(facts: IDeviceFacts | null): { platform: string; name: string } | null {
  const platform = facts?.os?.platform?.trim() ?? '';
  const name = endpointInfoFromFacts('', facts).os;
  return platform || name ? { platform, name: name || platform } : null;
}

export function deviceRoutes(
  adminRead: Pick<AdminReadStore, 'listDevices' | 'getDevice' | 'deviceFacts'>, devices: Pick<DeviceIdentityStore, 'exclusions' | 'listDuplicates' | 'history'>,
  reader: MonthReader, commands: CommandServices, now: () => number,
) {
  const api = new Hono<ApiEnv>();
  const target = (c: { req: { param(n: string): string | undefined } }) => ({ deviceId: c.req.param('id') });

  api.get('/devices', read('read', async (c) => {
    const q = queryParams(c, DeviceListQuery);
    const scope = c.get('principal').scope;
    const companyIds = q.companyId ? [...scope.subtreeIds(scope.company(q.companyId).id)] : scope.companyIds();
    const { items, next } = await adminRead.listDevices({ after: q.after ?? null, limit: q.limit, companyIds });
    // "Inactive Devices: Remain visible in the dashboard for 90 days before automatic removal." (seed 000)
    // Only the listing forgets them; their billing records stay.
    const at = now();
    const listed = q.includeRetired === 'true' ? items
      : items.filter((d) => listingRetention({ kind: 'device', lastActivityMs: d.lastSeenAtMs ?? d.enrolledAtMs }, at).visible);
    const open = new Map((await devices.exclusions(listed.map((d) => d.id))).filter((e) => e.untilMs === null || e.untilMs > at).map((e) => [e.deviceId, e.reason]));
    const os = new Map((await adminRead.deviceFacts(listed.map((d) => d.id))).map((f) => [f.deviceId, deviceOs(f.facts)]));
    return c.json({ devices: listed.map((d) => deviceJson(d, open.get(d.id) ?? null, os.get(d.id) ?? null)), next });
  }));

  // Possible duplicates: pairs of devices that look like one machine, shown when the principal may see both.
  api.get('/devices/duplicates', read('read', async (c) => {
    const scope = c.get('principal').scope;
    const pairs = (await devices.listDuplicates(scope.companyIds())).filter((p) => scope.canSee(p.companyA) && scope.canSee(p.companyB));
    const ids = [...new Set(pairs.flatMap((p) => [p.deviceA, p.deviceB]))];
    const month = reader.month(new Date(now()).toISOString().slice(0, 7));
    const billed = await reader.billedDevices(month.id, ids);
    const listing = new Map<string, DeviceListing>();
    for (const id of ids) {
      const d = await adminRead.getDevice(id);
      if (d) listing.set(id, d);
    }
    return c.json({
      month: month.id,
      duplicates: pairs.map((p) => ({
        devices: [p.deviceA, p.deviceB].map((id) => {
          const d = listing.get(id);
          return { id, hostname: d?.hostname ?? null, companyId: d?.companyId ?? null, lastSeenAt: iso(d?.lastSeenAtMs ?? null), billedThisMonth: billed.has(id) };
        }),
        why: p.why, evidence: p.evidence, foundAt: iso(p.foundAtMs),
        // What it costs: both billed this month means one machine billed twice.
        unitsBilledTwice: billed.has(p.deviceA) && billed.has(p.deviceB) ? 1 : 0,
      })),
    });
  }));

  api.get('/devices/:id/history', read('read', async (c) => {
    const device = await visibleDevice({ adminRead }, c.get('principal').scope, c.req.param('id')!);
    const entries = await devices.history(device.id);
    return c.json({ deviceId: device.id, history: entries.map((e) => ({ at: iso(e.atMs), kind: e.kind, actor: e.actor, details: e.details })) });
  }));

  // Overrides the agent's own user binding (null: the device belongs to no user).
  api.put('/devices/:id/user', commandRoute(COMMANDS.assignDeviceUser, commands, { target, status: 200 }));
  api.post('/devices/:id/move', commandRoute(COMMANDS.moveDevice, commands, { target, status: 200 }));
  api.post('/devices/:id/merge', commandRoute(COMMANDS.mergeDevices, commands, { target, status: 200 }));
  api.post('/devices/:id/retire', commandRoute(COMMANDS.retireDevice, commands, { target, status: 200 }));
  api.post('/devices/:id/exclusion', commandRoute(COMMANDS.excludeDevice, commands, { target, status: 201 }));
  api.delete('/devices/:id/exclusion', commandRoute(COMMANDS.includeDevice, commands, { target, status: 200 }));
  api.post('/devices/:id/dismiss-duplicate', commandRoute(COMMANDS.dismissDuplicate, commands, { target, status: 200 }));
  return api;
}
