// Row shapes shared by the SQLite stores, and their mapping to domain types.
import type { Company } from '../types.ts';

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
