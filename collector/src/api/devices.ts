// Devices: the listing, and an admin's binding of a device to a user.
import { Hono } from 'hono';
import { z } from 'zod';
import { listingRetention } from '../billing/index.ts';
import { COMMANDS, type CommandServices } from '../admin/index.ts';
import type { AdminReadStore } from '../storage/types.ts';
import { iso } from './serialize.ts';
import { commandRoute, queryParams, read, type ApiEnv } from './http.ts';

export const DeviceListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(10_000).default(1000),
  after: z.string().min(1).max(64).optional(),
  includeRetired: z.enum(['true', 'false']).default('false'),
});

export function deviceRoutes(adminRead: Pick<AdminReadStore, 'listDevices'>, commands: CommandServices, now: () => number) {
  const api = new Hono<ApiEnv>();

  api.get('/devices', read('read', async (c) => {
    const q = queryParams(c, DeviceListQuery);
    const { items, next } = await adminRead.listDevices({ after: q.after ?? null, limit: q.limit, companyIds: c.get('principal').scope.companyIds() });
    // "Inactive Devices: Remain visible in the dashboard for 90 days before automatic removal." (seed 000)
    // Only the listing forgets them; their billing records stay.
    const at = now();
    const listed = q.includeRetired === 'true' ? items
      : items.filter((d) => listingRetention({ kind: 'device', lastActivityMs: d.lastSeenAtMs ?? d.enrolledAtMs }, at).visible);
    return c.json({
      devices: listed.map((d) => ({
        id: d.id, hostname: d.hostname, companyId: d.companyId, companyName: d.companyName,
        enrolledAt: iso(d.enrolledAtMs), lastSeenAt: iso(d.lastSeenAtMs), uninstalledAt: iso(d.uninstalledAtMs), agentVersion: d.agentVersion,
      })),
      next,
    });
  }));

  // Overrides the agent's own user binding (null: the device belongs to no user).
  api.put('/devices/:id/user', commandRoute(COMMANDS.assignDeviceUser, commands, { target: (c) => ({ deviceId: c.req.param('id') }), status: 200 }));
  return api;
}
