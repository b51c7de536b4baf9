// Protection models: which one wins when a company used several in a month,
// and which add-ons / services each one includes.

import type { OptionalFeature, ProtectionModel } from './types.ts';

/**
 * Seed 003: "If a company has used multiple protection models for its own use
 * during a month, a single one counts toward its monthly usage. From the list
 * of used protection models, the one matching the highest on this list is
 * taken into account: 1. Secure Extra 2. Secure Plus 3. Secure 4. A la carte"
 */
export const MODEL_PRIORITY: readonly ProtectionModel[] = ['secure_extra', 'secure_plus', 'secure', 'a_la_carte'];

export function winningModel(used: Iterable<ProtectionModel>): ProtectionModel | null {
  const set = new Set(used);
  return MODEL_PRIORITY.find((model) => set.has(model)) ?? null;
}

/**
 * What each model includes. Seed 003: "Depending on the protection model
 * assigned to the company's own use, some add-ons and services may be included
 * alongside the core protection. In these cases, the usage will show as 0".
 *
 * The seed does not list the contents; this table is OUR DECISION, read from
 * the vendor's protection-model descriptions: Secure = "next-generation threat
 * intelligence and prevention, and real-time threat hunting and incident
 * response" (ATS + EDR); Secure Plus "builds upon the Secure model, providing
 * proactive incident response management services" (+ MDR Foundations);
 * Secure Extra "enhances the Secure Plus model, by enriching detection sources
 * with intelligence across your infrastructure" (+ every XDR sensor category).
 * Encryption, Patch Management, Integrity Monitoring, Container Protection and
 * SVE are never included: they are billed in every model. Change it here only.
 */
export const MODEL_INCLUDES: Readonly<Record<ProtectionModel, readonly OptionalFeature[]>> = {
  a_la_carte: [],
  secure: ['ats', 'edr'],
  secure_plus: ['ats', 'edr', 'mdrFoundations'],
  secure_extra: [
    'ats',
    'edr',
    'mdrFoundations',
    'xdrIdentityProviders',
    'xdrProductivity',
    'xdrNetwork',
    'xdrCloudWorkloads',
  ],
};

export function modelIncludes(model: ProtectionModel | null, feature: OptionalFeature): boolean {
  return model !== null && MODEL_INCLUDES[model].includes(feature);
}
