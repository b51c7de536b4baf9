// Subscriptions: each change is a new effective-dated version, so past
// months keep the terms they were billed with, and a finalized month's bill
// never changes.
import { randomBytes, randomUUID } from 'node:crypto';
import { z } from 'zod';
import { monthContaining, type SubscriptionVersion } from '../billing/index.ts';
import { TallyError, conflict, invalid } from '../errors.ts';
import type { AdminStores } from '../storage/types.ts';
import { defineCommand } from './command.ts';
import { idParam, isoInstant } from './schemas.ts';

export const SubscriptionInput = z.object({
  /** A new version of this existing subscription of the company; absent: a new subscription. */
  subscriptionId: idParam.optional(),
  /** A new version of the company's current subscription when there is one (what GravityZone's setMonthlySubscription does). */
  replaceCurrent: z.boolean().default(false),
  /** When the version takes effect (default: now). Never inside a finalized month. */
  effectiveFrom: isoInstant.optional(),
  productType: z.enum(['endpoint_security', 'edr']),
  protectionModel: z.enum(['a_la_carte', 'secure', 'secure_plus', 'secure_extra']).default('a_la_carte'),
  addOns: z.object({
    encryption: z.boolean().default(false),
    patchManagement: z.boolean().default(false),
    integrityMonitoring: z.enum(['none', '90d', '180d', '1y']).nullable().default(null),
    containerProtection: z.boolean().default(false),
    ats: z.boolean().default(false),
    edr: z.boolean().default(false),
    sve: z.boolean().default(false),
    xdr: z.array(z.enum(['identity_providers', 'productivity', 'network', 'cloud_workloads'])).max(4).default([]),
  }).strict().default({ encryption: false, patchManagement: false, integrityMonitoring: null, containerProtection: false, ats: false, edr: false, sve: false, xdr: [] }),
  services: z.object({ mdrFoundations: z.boolean().default(false) }).strict().default({ mdrFoundations: false }),
  licenseType: z.enum(['monthly_subscription', 'monthly_license', 'trial']).default('monthly_subscription'),
  trialEndsAt: isoInstant.nullable().default(null),
  licenseKey: z.string().trim().min(1).max(100).optional(),
  reservedSeats: z.number().int().min(0).max(10_000_000).nullable().default(null),
  minimumUsage: z.number().int().min(0).max(10_000_000).nullable().default(null),
  endDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD').nullable().default(null),
  autoRenewal: z.boolean().default(false),
  attachment: z.object({
    customer: z.boolean().default(true),
    userGroupIds: z.array(idParam).max(100).default([]),
  }).strict().default({ customer: true, userGroupIds: [] }),
}).strict().superRefine((b, ctx) => {
  if (b.licenseType === 'trial' && !b.trialEndsAt) ctx.addIssue({ code: 'custom', path: ['trialEndsAt'], message: 'a trial needs trialEndsAt' });
  if (b.licenseType !== 'trial' && b.trialEndsAt) ctx.addIssue({ code: 'custom', path: ['trialEndsAt'], message: 'only a trial has trialEndsAt' });
  if (b.subscriptionId !== undefined && b.replaceCurrent) ctx.addIssue({ code: 'custom', path: ['replaceCurrent'], message: 'give subscriptionId or replaceCurrent, not both' });
});

/** A new license key in the usual grouped form, when the admin does not give one. */
export const newLicenseKey = () => randomBytes(8).toString('hex').toUpperCase().match(/.{4}/g)!.join('-');

/** The latest version of each of the company's subscriptions. */
async function latestVersions(stores: Pick<AdminStores, 'tenancy'>, companyId: string): Promise<Map<string, SubscriptionVersion>> {
  const latest = new Map<string, SubscriptionVersion>();
  for (const v of await stores.tenancy.listSubscriptionVersions(companyId)) latest.set(v.subscriptionId, v);
  return latest;
}

/** Refuses a change that would alter a month already finalized (that month's bill is immutable). */
async function assertNotInFinalizedMonth(stores: Pick<AdminStores, 'billing'>, effectiveFromMs: number): Promise<void> {
  const month = monthContaining(effectiveFromMs).id;
  if (await stores.billing.getFinalizedMonth(month)) {
    throw new TallyError('conflict', `effectiveFrom falls in ${month}, which is finalized; a change can take effect from the first open month on`, { field: 'effectiveFrom' });
  }
}

export const setSubscription = defineCommand({
  name: 'subscription.set',
  summary: 'Create a subscription, or a new version of one (effective-dated; never edits the past)',
  permission: 'subscriptions.write',
  target: z.object({ companyId: idParam }).strict(),
  input: SubscriptionInput,
  async run({ principal, stores, nowMs }, { companyId }, input) {
    const company = principal.scope.managed(companyId);
    const groups = new Set((await stores.tenancy.listUserGroups(company.id)).map((g) => g.id));
    const unknownGroup = input.attachment.userGroupIds.find((g) => !groups.has(g));
    if (unknownGroup) throw invalid('attachment.userGroupIds', `${unknownGroup} is not a user group of this company`);
    const latest = await latestVersions(stores, company.id);
    let previous: SubscriptionVersion | undefined;
    if (input.subscriptionId !== undefined) {
      // Only a subscription of this company: one of another tenant (or none) answers alike, and callers never choose new ids.
      previous = latest.get(input.subscriptionId);
      if (!previous) throw new TallyError('not_found', `subscription ${input.subscriptionId} does not exist`, { field: 'subscriptionId' });
    } else if (input.replaceCurrent) {
      previous = [...latest.values()].filter((v) => v.attachment.customer).sort((a, b) => b.effectiveFromMs - a.effectiveFromMs)[0];
    }
    const effectiveFromMs = input.effectiveFrom ? Date.parse(input.effectiveFrom) : nowMs;
    await assertNotInFinalizedMonth(stores, effectiveFromMs);
    // Two versions of one subscription starting at the same instant would leave the billing core no rule to choose by.
    if (previous && effectiveFromMs <= previous.effectiveFromMs) {
      throw new TallyError('conflict', `a new version of subscription ${previous.subscriptionId} must take effect after the current one (${new Date(previous.effectiveFromMs).toISOString()})`, { field: 'effectiveFrom' });
    }
    const version: SubscriptionVersion = {
      subscriptionId: previous?.subscriptionId ?? randomUUID(),
      companyId: company.id,
      effectiveFromMs,
      effectiveUntilMs: null,
      productType: input.productType,
      protectionModel: input.protectionModel,
      addOns: input.addOns,
      services: input.services,
      licenseType: input.licenseType,
      trialEndsAtMs: input.trialEndsAt ? Date.parse(input.trialEndsAt) : null,
      trialConvertedAtMs: null,
      licenseKey: input.licenseKey ?? previous?.licenseKey ?? newLicenseKey(),
      reservedSeats: input.reservedSeats,
      minimumUsage: input.minimumUsage,
      endDate: input.endDate,
      autoRenewal: input.autoRenewal,
      attachment: input.attachment,
    };
    await stores.tenancy.addSubscriptionVersion(version, nowMs);
    return {
      result: version,
      audit: { action: previous ? 'subscription.change' : 'subscription.create', targetType: 'subscription', targetId: version.subscriptionId, companyId: company.id, details: input },
    };
  },
});

// "You can always manually change the subscription type from in_trial to
// active anytime during the trial period." (seed 000)
export const activateTrial = defineCommand({
  name: 'subscription.activate_trial',
  summary: 'Make a trial active before its end',
  permission: 'subscriptions.write',
  target: z.object({ subscriptionId: idParam }).strict(),
  input: z.object({}).strict(),
  async run({ principal, stores, nowMs }, { subscriptionId }) {
    const latest = (await stores.tenancy.listSubscriptionVersions(null)).filter((v) => v.subscriptionId === subscriptionId).at(-1);
    if (!latest || !principal.scope.canSee(latest.companyId)) throw new TallyError('not_found', `subscription ${subscriptionId} does not exist`, { field: 'subscriptionId' });
    principal.scope.managed(latest.companyId);
    if (latest.licenseType !== 'trial') throw conflict(`subscription ${subscriptionId} is not a trial`);
    if (latest.trialConvertedAtMs !== null || (latest.trialEndsAtMs !== null && latest.trialEndsAtMs <= nowMs)) {
      throw conflict(`subscription ${subscriptionId} is already active`);
    }
    const version: SubscriptionVersion = { ...latest, effectiveFromMs: Math.max(nowMs, latest.effectiveFromMs + 1), trialConvertedAtMs: nowMs };
    await stores.tenancy.addSubscriptionVersion(version, nowMs);
    return { result: version, audit: { targetType: 'subscription', targetId: subscriptionId, companyId: latest.companyId } };
  },
});
