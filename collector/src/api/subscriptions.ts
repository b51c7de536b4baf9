// Subscriptions: each change is a new effective-dated version, so past
// months keep the terms they were billed with.
import { Hono } from 'hono';
import { randomBytes, randomUUID } from 'node:crypto';
import { z } from 'zod';
import { monthContaining, type SubscriptionVersion } from '../billing/index.ts';
import type { Storage } from '../storage/types.ts';
import { ApiError } from './errors.ts';
import { subscriptionJson } from './serialize.ts';
import { idParam, isoInstant, jsonBody } from './validate.ts';
import type { ApiEnv } from './routes.ts';
import { audited } from './audit.ts';

export const SubscriptionBody = z.object({
  subscriptionId: idParam.optional(),
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
});

/** A new license key in the usual grouped form, when the admin does not give one. */
const newLicenseKey = () => randomBytes(8).toString('hex').toUpperCase().match(/.{4}/g)!.join('-');

export function subscriptionRoutes(storage: Storage, now: () => number) {
  const api = new Hono<ApiEnv>();

  /** Refuses a change that would alter a month already finalized (that month's bill is immutable). */
  const assertNotInFinalizedMonth = async (effectiveFromMs: number) => {
    const month = monthContaining(effectiveFromMs).id;
    if (await storage.billing.getFinalizedMonth(month)) {
      throw new ApiError(409, 'conflict', `effectiveFrom falls in ${month}, which is finalized; a change can take effect from the first open month on`);
    }
  };

  api.get('/companies/:id/subscriptions', async (c) => {
    c.get('scope').company(c.req.param('id'));
    return c.json({ versions: (await storage.tenancy.listSubscriptionVersions(c.req.param('id'))).map(subscriptionJson) });
  });

  api.post('/companies/:id/subscriptions', async (c) => {
    const company = c.get('scope').managed(c.req.param('id'));
    const body = await jsonBody(c, SubscriptionBody);
    const groups = new Set((await storage.tenancy.listUserGroups(company.id)).map((g) => g.id));
    const unknown = body.attachment.userGroupIds.find((g) => !groups.has(g));
    if (unknown) throw new ApiError(400, 'invalid_request', `attachment.userGroupIds: ${unknown} is not a user group of this company`);
    const effectiveFromMs = body.effectiveFrom ? Date.parse(body.effectiveFrom) : now();
    await assertNotInFinalizedMonth(effectiveFromMs);
    const previous = body.subscriptionId
      ? (await storage.tenancy.listSubscriptionVersions(company.id)).filter((v) => v.subscriptionId === body.subscriptionId).at(-1)
      : undefined;
    const version: SubscriptionVersion = {
      subscriptionId: body.subscriptionId ?? randomUUID(),
      companyId: company.id,
      effectiveFromMs,
      effectiveUntilMs: null,
      productType: body.productType,
      protectionModel: body.protectionModel,
      addOns: body.addOns,
      services: body.services,
      licenseType: body.licenseType,
      trialEndsAtMs: body.trialEndsAt ? Date.parse(body.trialEndsAt) : null,
      trialConvertedAtMs: null,
      licenseKey: body.licenseKey ?? previous?.licenseKey ?? newLicenseKey(),
      reservedSeats: body.reservedSeats,
      minimumUsage: body.minimumUsage,
      endDate: body.endDate,
      autoRenewal: body.autoRenewal,
      attachment: body.attachment,
    };
    await storage.tenancy.addSubscriptionVersion(version, now());
    await audited(c, storage, now, { action: previous ? 'subscription.change' : 'subscription.create', targetType: 'subscription', targetId: version.subscriptionId, companyId: company.id, details: subscriptionJson(version) });
    return c.json(subscriptionJson(version), 201);
  });

  // "You can always manually change the subscription type from in_trial to
  // active anytime during the trial period." (seed 000)
  api.post('/subscriptions/:id/activate', async (c) => {
    const id = c.req.param('id');
    const latest = (await storage.tenancy.listSubscriptionVersions(null)).filter((v) => v.subscriptionId === id).at(-1);
    if (!latest || !c.get('scope').canSee(latest.companyId)) throw new ApiError(404, 'not_found', `subscription ${id} does not exist`);
    c.get('scope').managed(latest.companyId);
    if (latest.licenseType !== 'trial') throw new ApiError(409, 'conflict', `subscription ${id} is not a trial`);
    const at = now();
    if (latest.trialConvertedAtMs !== null || (latest.trialEndsAtMs !== null && latest.trialEndsAtMs <= at)) {
      throw new ApiError(409, 'conflict', `subscription ${id} is already active`);
    }
    const version: SubscriptionVersion = { ...latest, effectiveFromMs: Math.max(at, latest.effectiveFromMs), trialConvertedAtMs: at };
    await storage.tenancy.addSubscriptionVersion(version, at);
    await audited(c, storage, now, { action: 'subscription.activate_trial', targetType: 'subscription', targetId: id, companyId: latest.companyId });
    return c.json(subscriptionJson(version), 201);
  });

  return api;
}
