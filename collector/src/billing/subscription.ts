// Subscription history -> what a company had during a month.
//
// Subscriptions are effective-dated: each change is a new version that is in
// force from its effectiveFromMs until the next version of the same
// subscription starts (or until effectiveUntilMs). A month's terms are read
// from every version in force at any moment of the month.

import { BillingInputError } from './errors.ts';
import { canonicalJson, compareIds } from './hash.ts';
import { winningModel } from './models.ts';
import type { Month } from './period.ts';
import type {
  LicenseType,
  OptionalFeature,
  ProductType,
  ProtectionModel,
  SubscriptionVersion,
  XdrCategory,
} from './types.ts';

export interface VersionInForce {
  readonly version: SubscriptionVersion;
  readonly fromMs: number;
  /** Exclusive; Infinity while open-ended. */
  readonly untilMs: number;
}

/**
 * Turns versions into intervals. Identical duplicates (the same version
 * delivered twice) collapse; two different versions of one subscription
 * starting at the same instant are an INVALID_INPUT error, since no rule could
 * choose between them.
 */
export function versionIntervals(versions: readonly SubscriptionVersion[]): VersionInForce[] {
  const bySubscription = new Map<string, Map<number, SubscriptionVersion>>();
  for (const version of versions) {
    let byStart = bySubscription.get(version.subscriptionId);
    if (!byStart) bySubscription.set(version.subscriptionId, (byStart = new Map()));
    const existing = byStart.get(version.effectiveFromMs);
    if (existing && canonicalJson(existing) !== canonicalJson(version)) {
      throw new BillingInputError(
        'INVALID_INPUT',
        `subscription ${version.subscriptionId} has two different versions effective at ${version.effectiveFromMs}`,
      );
    }
    byStart.set(version.effectiveFromMs, version);
  }
  const intervals: VersionInForce[] = [];
  for (const byStart of bySubscription.values()) {
    const ordered = [...byStart.values()].sort((a, b) => a.effectiveFromMs - b.effectiveFromMs);
    ordered.forEach((version, index) => {
      const nextStart = ordered[index + 1]?.effectiveFromMs ?? Infinity;
      const untilMs = Math.min(nextStart, version.effectiveUntilMs ?? Infinity);
      if (untilMs > version.effectiveFromMs) intervals.push({ version, fromMs: version.effectiveFromMs, untilMs });
    });
  }
  return intervals.sort(
    (a, b) => a.fromMs - b.fromMs || compareIds(a.version.subscriptionId, b.version.subscriptionId),
  );
}

export function inForceDuring(interval: VersionInForce, startMs: number, endMs: number): boolean {
  return interval.fromMs < endMs && interval.untilMs > startMs;
}

export function inForceAt(interval: VersionInForce, atMs: number): boolean {
  return interval.fromMs <= atMs && atMs < interval.untilMs;
}

/**
 * Seed 000: "You can always manually change the subscription type from
 * in_trial to active anytime during the trial period. If you don't do that at
 * the end of the trial period it will be automatically converted to an active
 * subscription." A trial is a trial until it was converted or it ended;
 * afterwards it is a monthly subscription.
 */
export function effectiveLicenseType(version: SubscriptionVersion, nowMs: number): LicenseType {
  if (version.licenseType !== 'trial') return version.licenseType;
  const convertedEarly = version.trialConvertedAtMs !== null && version.trialConvertedAtMs <= nowMs;
  const trialOver = version.trialEndsAtMs !== null && nowMs >= version.trialEndsAtMs;
  return convertedEarly || trialOver ? 'monthly_subscription' : 'trial';
}

export const NO_FEATURES: Readonly<Record<OptionalFeature, boolean>> = {
  encryption: false,
  patchManagement: false,
  integrityMonitoring: false,
  containerProtection: false,
  ats: false,
  edr: false,
  sve: false,
  xdrIdentityProviders: false,
  xdrProductivity: false,
  xdrNetwork: false,
  xdrCloudWorkloads: false,
  mdrFoundations: false,
};

export const XDR_FEATURE: Readonly<Record<XdrCategory, OptionalFeature>> = {
  identity_providers: 'xdrIdentityProviders',
  productivity: 'xdrProductivity',
  network: 'xdrNetwork',
  cloud_workloads: 'xdrCloudWorkloads',
};

/** What a company had for its own use during one month. */
export interface CompanyMonthTerms {
  readonly companyId: string;
  /** The customer-attached versions in force at some moment of the month. */
  readonly versions: readonly VersionInForce[];
  /** The version in force last in the month: product type and license terms come from it. */
  readonly closing: SubscriptionVersion | null;
  readonly productType: ProductType | null;
  readonly modelsUsed: readonly ProtectionModel[];
  /** Winning model by MODEL_PRIORITY; null for EDR companies and companies without subscription. */
  readonly model: ProtectionModel | null;
  /** An add-on / service counts as enabled for the month when any version in force had it. */
  readonly enabled: Readonly<Record<OptionalFeature, boolean>>;
  /** License type as it stood at the end of the month (a trial may have converted). */
  readonly licenseType: LicenseType | null;
}

/**
 * The terms of a company's own use for a month. Only subscriptions attached
 * to the customer count here: group-attached subscriptions bill users
 * (user-usage.ts), not the company's endpoints.
 */
export function companyMonthTerms(
  companyId: string,
  versions: readonly SubscriptionVersion[],
  month: Month,
): CompanyMonthTerms {
  const own = versions.filter((v) => v.companyId === companyId && v.attachment.customer);
  const during = versionIntervals(own).filter((i) => inForceDuring(i, month.startMs, month.endMs));
  const closingInterval = [...during].sort(
    (a, b) =>
      Math.min(b.untilMs, month.endMs) - Math.min(a.untilMs, month.endMs) ||
      b.fromMs - a.fromMs ||
      compareIds(a.version.subscriptionId, b.version.subscriptionId),
  )[0];
  const closing = closingInterval?.version ?? null;
  const productType = closing?.productType ?? null;
  const modelsUsed =
    productType === 'endpoint_security'
      ? [...new Set(during.filter((i) => i.version.productType === 'endpoint_security').map((i) => i.version.protectionModel))]
      : [];
  const enabled: Record<OptionalFeature, boolean> = { ...NO_FEATURES };
  for (const { version } of during) {
    const { addOns, services } = version;
    enabled.encryption ||= addOns.encryption;
    enabled.patchManagement ||= addOns.patchManagement;
    enabled.integrityMonitoring ||= addOns.integrityMonitoring !== null;
    enabled.containerProtection ||= addOns.containerProtection;
    enabled.ats ||= addOns.ats;
    enabled.edr ||= addOns.edr;
    enabled.sve ||= addOns.sve;
    enabled.mdrFoundations ||= services.mdrFoundations;
    for (const category of addOns.xdr) enabled[XDR_FEATURE[category]] = true;
  }
  return {
    companyId,
    versions: during,
    closing,
    productType,
    modelsUsed,
    model: winningModel(modelsUsed),
    enabled,
    licenseType: closing ? effectiveLicenseType(closing, month.endMs - 1) : null,
  };
}
