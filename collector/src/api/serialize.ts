// Domain records to API JSON: instants as ISO 8601, names stable.
import type { SubscriptionVersion } from '../billing/index.ts';
import type { Company, UserGroupRecord, UserRecord } from '../storage/types.ts';

export const iso = (ms: number | null | undefined) => (ms === null || ms === undefined ? null : new Date(ms).toISOString());

export const companyJson = (co: Company) => ({
  id: co.id, name: co.name, type: co.type, parentId: co.parentId, path: co.path, externalId: co.externalId,
  registeredAt: iso(co.registeredAtMs), active: co.active, inactiveSince: iso(co.inactiveSinceMs),
});

export const userJson = (u: UserRecord) => ({
  id: u.id, companyId: u.companyId, externalId: u.externalId, displayName: u.displayName, groupIds: u.groupIds, lastActiveAt: iso(u.lastActiveAtMs),
});

export const groupJson = (g: UserGroupRecord) => ({ id: g.id, companyId: g.companyId, name: g.name });

export const subscriptionJson = (v: SubscriptionVersion) => ({
  subscriptionId: v.subscriptionId, companyId: v.companyId, effectiveFrom: iso(v.effectiveFromMs), effectiveUntil: iso(v.effectiveUntilMs ?? null),
  productType: v.productType, protectionModel: v.protectionModel, addOns: v.addOns, services: v.services, licenseType: v.licenseType,
  trialEndsAt: iso(v.trialEndsAtMs), trialConvertedAt: iso(v.trialConvertedAtMs), licenseKey: v.licenseKey,
  reservedSeats: v.reservedSeats, minimumUsage: v.minimumUsage, endDate: v.endDate, autoRenewal: v.autoRenewal, attachment: v.attachment,
});
