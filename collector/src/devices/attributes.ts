// What billing needs to know about a device, derived from the facts the
// agent reported. Pure domain logic: the ingest session derives it once and
// hands it to the store with the facts, so no storage backend interprets
// facts itself. Unknown stays null: the billing input adapter decides the
// defaults, in one documented place (storage/rows.ts toDeviceDay).
import type { IDeviceFacts } from '../../../proto/index.ts';
import type { ModuleName, RetentionTier } from '../billing/index.ts';
import { isModuleName } from '../../../common/modules.ts';

export interface DeviceAttributes {
  virtual: boolean | null;
  role: 'server' | 'workstation' | null;
  platform: 'windows' | 'linux' | 'darwin' | null;
  /** Installed modules, sorted, known names only. */
  modules: ModuleName[];
  imTier: RetentionTier | null;
  ownership: 'corporate' | 'personal' | null;
  /** The primary user's stable id (SID, UPN, uid@domain), if the agent reported one. */
  primaryUser: string | null;
  /** Every user the agent saw sign in, stable ids. */
  users: string[];
}

const TIERS: Record<string, RetentionTier> = { '': 'none', none: 'none', '90d': '90d', '180d': '180d', '1y': '1y' };

export function deviceAttributes(facts: IDeviceFacts | null | undefined): DeviceAttributes {
  const installed = (facts?.modules ?? []).filter((m) => m.installed && typeof m.name === 'string' && isModuleName(m.name));
  const im = installed.find((m) => m.name === 'integrity_monitoring');
  const platform = facts?.os?.platform;
  const role = facts?.role?.role;
  const ownership = facts?.ownership;
  const users = (facts?.users ?? []).map((u) => u.userId?.trim() ?? '').filter((u) => u.length > 0 && u.length <= 256);
  const primary = (facts?.users ?? []).find((u) => u.primary && u.userId?.trim())?.userId?.trim() ?? null;
  return {
    virtual: facts?.virtualization ? Boolean(facts.virtualization.virtual) : null,
    role: role === 'server' || role === 'workstation' ? role : null,
    platform: platform === 'windows' || platform === 'linux' || platform === 'darwin' ? platform : null,
    modules: [...new Set(installed.map((m) => m.name as ModuleName))].sort(),
    imTier: im ? (TIERS[im.tier ?? ''] ?? 'none') : null,
    ownership: ownership === 'corporate' || ownership === 'personal' ? ownership : null,
    primaryUser: primary,
    users: [...new Set(users)],
  };
}

/** The longest hostname a device row keeps. */
const MAX_HOSTNAME = 255;

/**
 * Facts as an agent reported them (hello, enrolment, inventory), with what
 * the domain derives from them: what a store records, verbatim.
 */
export interface ReportedFacts {
  facts: IDeviceFacts;
  attributes: DeviceAttributes;
  /** The reported hostname, trimmed, at most 255 characters; null when the agent sent none. */
  hostname: string | null;
}

export function reportedFacts(facts: IDeviceFacts): ReportedFacts {
  const hostname = facts.hostname?.trim();
  return { facts, attributes: deviceAttributes(facts), hostname: hostname ? hostname.slice(0, MAX_HOSTNAME) : null };
}
