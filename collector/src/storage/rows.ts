// Row-to-domain mappings shared by every SQL backend, so SQLite and
// PostgreSQL cannot drift on defaults (what an unknown fact bills as) or on
// how a stored subscription version reads back.
import type { DeviceDay, ModuleName, RetentionTier, SubscriptionVersion } from '../billing/index.ts';
import type { Company } from './types.ts';

export interface CompanyRow {
  id: string;
  name: string;
  type: 'partner' | 'customer';
  parent_id: string | null;
  path: string;
  registered_at: number;
  inactive_since: number | null;
  external_id: string | null;
}

export function toCompany(r: CompanyRow): Company {
  return {
    id: r.id, name: r.name, type: r.type, parentId: r.parent_id, path: r.path.split('/'), registeredAtMs: r.registered_at,
    inactiveSinceMs: r.inactive_since, active: r.inactive_since === null, externalId: r.external_id,
  };
}

export const parseJsonArray = (text: string | null): string[] => {
  if (!text) return [];
  try {
    const v = JSON.parse(text);
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
};

export interface VersionRow { subscription_id: string; version: number; company_id: string; effective_from: number; effective_until: number | null; terms: string }

export function toSubscriptionVersion(r: VersionRow): SubscriptionVersion {
  return { ...JSON.parse(r.terms), subscriptionId: r.subscription_id, companyId: r.company_id, effectiveFromMs: r.effective_from, effectiveUntilMs: r.effective_until };
}

/** A device-day row with backend-specific encodings (0/1 flags, JSON text) already decoded. */
export interface DeviceDayFields {
  deviceId: string; companyId: string; utcDay: number; awakeSeconds: number; virtual: boolean | null; role: string | null;
  platform: string | null; modules: string[]; imTier: string | null; userId: string | null; ownership: string | null; uninstalledAtMs: number | null;
}

/**
 * Defaults for devices whose agent has not reported a fact yet. Chosen so an
 * unknown never lands a device in a dearer column: unknown is physical, a
 * workstation, and on a platform Central Scan serves.
 */
export function toDeviceDay(r: DeviceDayFields): DeviceDay {
  const platform = r.platform === 'linux' || r.platform === 'darwin' ? r.platform : 'windows';
  return {
    deviceId: r.deviceId, companyId: r.companyId, utcDay: r.utcDay, awakeSeconds: r.awakeSeconds,
    virtual: r.virtual === true, role: r.role === 'server' ? 'server' : 'workstation', platform,
    // Central Scan (Security Server) serves Windows and Linux endpoints, not macOS.
    osCompatibleWithCentralScan: platform !== 'darwin',
    modules: r.modules as ModuleName[],
    integrityMonitoringTier: (r.imTier as RetentionTier | null) ?? null,
    userId: r.userId, ownership: r.ownership === 'corporate' || r.ownership === 'personal' ? r.ownership : null,
    uninstalledAtMs: r.uninstalledAtMs,
  };
}
