// Commands on devices.
import { z } from 'zod';
import { TallyError } from '../errors.ts';
import type { AdminReadStore } from '../storage/types.ts';
import type { Scope } from '../auth/scope.ts';
import { defineCommand } from './command.ts';
import { idParam } from './schemas.ts';

/** The device, if the principal may see its company; not_found otherwise, exactly as for an unknown id. */
export async function visibleDevice(stores: { adminRead: Pick<AdminReadStore, 'getDevice'> }, scope: Scope, deviceId: string) {
  const device = await stores.adminRead.getDevice(deviceId);
  if (!device || !scope.canSee(device.companyId)) throw new TallyError('not_found', `device ${deviceId} does not exist`, { field: 'deviceId' });
  return device;
}

export const assignDeviceUser = defineCommand({
  name: 'device.assign_user',
  summary: "Bind a device to a user (overrides the agent's binding; null: no user)",
  permission: 'tenancy.write',
  target: z.object({ deviceId: idParam }).strict(),
  input: z.object({ userId: idParam.nullable() }).strict(),
  async run({ principal, stores }, { deviceId }, { userId }) {
    const device = await visibleDevice(stores, principal.scope, deviceId);
    // Only a user of the device's own company; any other id (another tenant's user or none) answers alike.
    if (userId !== null && !(await stores.tenancy.listUsers(device.companyId)).some((u) => u.id === userId)) {
      throw new TallyError('not_found', `user ${userId} does not exist`, { field: 'userId' });
    }
    await stores.tenancy.assignDeviceUser(deviceId, userId);
    return { result: { deviceId, userId }, audit: { targetType: 'device', targetId: deviceId, companyId: device.companyId, details: { userId } } };
  },
});
