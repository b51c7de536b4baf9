// Devices: the listing, and an admin's binding of a device to a user.
import { Hono } from 'hono';
import { z } from 'zod';
import { listingRetention } from '../billing/index.ts';
import type { Storage } from '../storage/types.ts';
import { iso } from './serialize.ts';
import { idParam, jsonBody, queryParams } from './validate.ts';
import { ApiError } from './errors.ts';
import type { ApiEnv } from './routes.ts';
import { audited } from './audit.ts';

export const DeviceListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(10_000).default(1000),
  after: z.string().min(1).max(64).optional(),
  includeRetired: z.enum(['true', 'false']).default('false'),
});
export const AssignUserBody = z.object({ userId: idParam.nullable() }).strict();

export function deviceRoutes(storage: Storage, now: () => number) {
  const api = new Hono<ApiEnv>();

  api.get('/devices', async (c) => {
    const q = queryParams(c, DeviceListQuery);
    const { items, next } = await storage.adminRead.listDevices({ after: q.after ?? null, limit: q.limit, companyIds: c.get('scope').companyIds() });
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
  });

  // Overrides the agent's own user binding (null: the device belongs to no user).
  api.put('/devices/:id/user', async (c) => {
    const device = await storage.adminRead.getDevice(c.req.param('id'));
    if (!device || !c.get('scope').canSee(device.companyId)) throw new ApiError(404, 'not_found', `device ${c.req.param('id')} does not exist`);
    const body = await jsonBody(c, AssignUserBody);
    await storage.tenancy.assignDeviceUser(c.req.param('id'), body.userId);
    await audited(c, storage, now, { action: 'device.assign_user', targetType: 'device', targetId: device.id, companyId: device.companyId, details: body });
    return c.json({ deviceId: c.req.param('id'), userId: body.userId });
  });

  return api;
}
