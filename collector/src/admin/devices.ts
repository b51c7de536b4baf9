// Commands on devices.
import { z } from 'zod';
import { LATE_DATA_ADJUSTMENT_MONTHS, addMonths, monthContaining } from '../billing/index.ts';
import { TallyError, invalid } from '../errors.ts';
import type { AdminReadStore } from '../storage/types.ts';
import type { Scope } from '../auth/scope.ts';
import { publishDeviceHistory } from '../hooks/events.ts';
import { defineCommand } from './command.ts';
import { idParam, isoInstant, monthParam } from './schemas.ts';

const DAY_MS = 86_400_000;

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

// ---------------------------------------------------------------- lifecycle (issue 17)

const deviceTarget = z.object({ deviceId: idParam }).strict();

/** A customer company in scope to put a device at. */
function customerTarget(scope: Scope, companyId: string, field = 'companyId') {
  const co = scope.company(companyId, field);
  if (co.type !== 'customer') throw invalid(field, 'devices belong to customer companies, not partners');
  return co;
}

/** The first UTC day whose month late data may still adjust (older months keep their bill: LATE_DATA_ADJUSTMENT_MONTHS). */
const adjustableFromDay = (nowMs: number) => addMonths(monthContaining(nowMs), -LATE_DATA_ADJUSTMENT_MONTHS).firstDay;

export const moveDevice = defineCommand({
  name: 'device.move',
  summary: 'Move a device to another customer from a day on (its device-days from then are billed there; a finalized month gets an adjustment)',
  permission: 'devices.write',
  target: deviceTarget,
  input: z.object({
    companyId: idParam,
    /** From when the device is at the new company (default: now). Days from this one's UTC day on move. */
    from: isoInstant.optional(),
  }).strict(),
  async run({ principal, stores, nowMs }, { deviceId }, input) {
    const device = await visibleDevice(stores, principal.scope, deviceId);
    const to = customerTarget(principal.scope, input.companyId);
    if (device.companyId === to.id) throw new TallyError('conflict', `device ${deviceId} is already at ${to.name}`, { field: 'companyId' });
    const fromMs = input.from ? Date.parse(input.from) : nowMs;
    if (fromMs > nowMs) throw invalid('from', 'a move cannot start in the future');
    const fromDay = Math.floor(fromMs / DAY_MS);
    if (fromDay < adjustableFromDay(nowMs)) {
      throw invalid('from', `a move can reach back to ${new Date(adjustableFromDay(nowMs) * DAY_MS).toISOString().slice(0, 10)} at most: older months keep their bill`);
    }
    const moved = await stores.devices.moveDevice(deviceId, to.id, fromDay, nowMs);
    const entry = { deviceId, atMs: nowMs, kind: 'moved' as const, actor: principal.actor, details: { from: moved.fromCompanyId, to: to.id, fromDay, by: 'admin' } };
    await stores.devices.appendHistory([entry]);
    await publishDeviceHistory(stores.hooks, [entry], to.id);
    return {
      result: { deviceId, companyId: to.id, fromCompanyId: moved.fromCompanyId, daysMoved: moved.daysMoved, finalizedMonthsAdjusted: moved.finalizedMonthsTouched },
      audit: { targetType: 'device', targetId: deviceId, companyId: to.id, details: { from: moved.fromCompanyId, fromDay, daysMoved: moved.daysMoved, finalizedMonthsAdjusted: moved.finalizedMonthsTouched } },
    };
  },
});

export const mergeDevices = defineCommand({
  name: 'device.merge',
  summary: "Merge a duplicate device into this one: its history is folded here, billed once; choose which devices' keys keep working",
  permission: 'devices.write',
  target: deviceTarget,
  input: z.object({
    duplicateId: idParam,
    /** Whose agents keep their keys (they authenticate as this device from now on): both (default), survivor, duplicate, none. */
    keys: z.enum(['both', 'survivor', 'duplicate', 'none']).default('both'),
  }).strict(),
  async run({ principal, stores, nowMs }, { deviceId }, input) {
    await visibleDevice(stores, principal.scope, deviceId);
    const duplicate = await stores.adminRead.getDevice(input.duplicateId);
    if (!duplicate || !principal.scope.canSee(duplicate.companyId)) throw new TallyError('not_found', `device ${input.duplicateId} does not exist`, { field: 'duplicateId' });
    if (input.duplicateId === deviceId) throw invalid('duplicateId', 'a device cannot be merged into itself');
    const merged = await stores.devices.mergeDevices({ survivorId: deviceId, duplicateId: input.duplicateId, keys: input.keys, nowMs });
    await stores.devices.appendHistory([
      { deviceId, atMs: nowMs, kind: 'merged_from', actor: principal.actor, details: { duplicateId: input.duplicateId, keys: input.keys, daysFolded: merged.daysFolded } },
      { deviceId: input.duplicateId, atMs: nowMs, kind: 'merged_into', actor: principal.actor, details: { survivorId: deviceId, keys: input.keys } },
    ]);
    return {
      result: { deviceId, duplicateId: input.duplicateId, keys: input.keys, daysFolded: merged.daysFolded, finalizedMonthsAdjusted: merged.finalizedMonthsTouched },
      audit: { targetType: 'device', targetId: deviceId, companyId: duplicate.companyId, details: { duplicateId: input.duplicateId, keys: input.keys, ...merged } },
    };
  },
});

export const retireDevice = defineCommand({
  name: 'device.retire',
  summary: 'Retire a device (its key refused from now on, not billed after now, kept in listings) or bring it back',
  permission: 'devices.write',
  target: deviceTarget,
  input: z.object({ retired: z.boolean().default(true) }).strict(),
  async run({ principal, stores, nowMs }, { deviceId }, { retired }) {
    const device = await visibleDevice(stores, principal.scope, deviceId);
    if (retired === (device.retiredAtMs !== null)) throw new TallyError('conflict', `device ${deviceId} is ${retired ? 'already retired' : 'not retired'}`);
    await stores.devices.setRetired(deviceId, retired ? nowMs : null);
    const entry = { deviceId, atMs: nowMs, kind: retired ? 'retired' as const : 'unretired' as const, actor: principal.actor, details: {} };
    await stores.devices.appendHistory([entry]);
    await publishDeviceHistory(stores.hooks, [entry], device.companyId);
    return {
      result: { deviceId, retiredAtMs: retired ? nowMs : null },
      audit: { action: retired ? 'device.retire' : 'device.unretire', targetType: 'device', targetId: deviceId, companyId: device.companyId },
    };
  },
});

export const excludeDevice = defineCommand({
  name: 'device.exclude',
  summary: 'Exclude a device from billing from the start of a month (a reason is required); it stays listed as excluded',
  permission: 'devices.write',
  target: deviceTarget,
  input: z.object({
    reason: z.string().trim().min(3, 'say why the device is not billed').max(500),
    /** The first month not billed (default: the current month). Never a finalized month. */
    fromMonth: monthParam.optional(),
  }).strict(),
  async run({ principal, stores, nowMs }, { deviceId }, input) {
    const device = await visibleDevice(stores, principal.scope, deviceId);
    const month = input.fromMonth ?? monthContaining(nowMs).id;
    if (await stores.billing.getFinalizedMonth(month)) {
      throw new TallyError('conflict', `${month} is finalized; an exclusion can start in the first open month`, { field: 'fromMonth' });
    }
    const fromMs = monthContaining(Date.parse(`${month}-01T00:00:00Z`)).startMs;
    if (fromMs > nowMs) throw invalid('fromMonth', 'an exclusion starts in the current month or an earlier open one');
    const open = (await stores.devices.exclusions([deviceId])).find((e) => e.untilMs === null);
    if (open) throw new TallyError('conflict', `device ${deviceId} is already excluded (since ${new Date(open.fromMs).toISOString().slice(0, 10)}: ${open.reason})`);
    await stores.devices.addExclusion({ deviceId, fromMs, untilMs: null, reason: input.reason, createdAtMs: nowMs, createdBy: principal.actor });
    await stores.devices.appendHistory([{ deviceId, atMs: nowMs, kind: 'excluded', actor: principal.actor, details: { fromMonth: month, reason: input.reason } }]);
    return {
      result: { deviceId, excludedFromMs: fromMs, reason: input.reason },
      audit: { targetType: 'device', targetId: deviceId, companyId: device.companyId, details: { fromMonth: month, reason: input.reason } },
    };
  },
});

export const includeDevice = defineCommand({
  name: 'device.include',
  summary: 'End a device\'s exclusion: it is billed again from the next UTC day',
  permission: 'devices.write',
  target: deviceTarget,
  input: z.object({}).strict(),
  async run({ principal, stores, nowMs }, { deviceId }) {
    const device = await visibleDevice(stores, principal.scope, deviceId);
    if (!(await stores.devices.endExclusion(deviceId, nowMs))) throw new TallyError('conflict', `device ${deviceId} is not excluded`);
    await stores.devices.appendHistory([{ deviceId, atMs: nowMs, kind: 'included', actor: principal.actor, details: {} }]);
    return { result: { deviceId, includedFromMs: nowMs }, audit: { targetType: 'device', targetId: deviceId, companyId: device.companyId } };
  },
});

export const dismissDuplicate = defineCommand({
  name: 'device.dismiss_duplicate',
  summary: 'Mark two devices flagged as a possible duplicate as two machines',
  permission: 'devices.write',
  target: deviceTarget,
  input: z.object({ otherId: idParam }).strict(),
  async run({ principal, stores, nowMs }, { deviceId }, { otherId }) {
    const device = await visibleDevice(stores, principal.scope, deviceId);
    const other = await stores.adminRead.getDevice(otherId);
    if (!other || !principal.scope.canSee(other.companyId)) throw new TallyError('not_found', `device ${otherId} does not exist`, { field: 'otherId' });
    if (!(await stores.devices.dismissDuplicate(deviceId, otherId, nowMs, principal.actor))) {
      throw new TallyError('not_found', `devices ${deviceId} and ${otherId} are not flagged as possible duplicates`, { field: 'otherId' });
    }
    await stores.devices.appendHistory([deviceId, otherId].map((d) => ({ deviceId: d, atMs: nowMs, kind: 'duplicate_dismissed' as const, actor: principal.actor, details: { other: d === deviceId ? otherId : deviceId } })));
    return { result: { deviceId, otherId }, audit: { targetType: 'device', targetId: deviceId, companyId: device.companyId, details: { otherId } } };
  },
});
