// Content hash of a month's results.
//
// DESIGN.md: a finalized month is "immutable, with a content hash". Recomputing
// the month from the same facts must give the same hash, whatever order the
// storage returned rows in. So the hash is sha256 over canonical JSON: object
// keys sorted, undefined members dropped, rows and device lines sorted by id,
// and no NaN/Infinity (they have no JSON form and would hide a bug).

import { createHash } from 'node:crypto';
import { BillingInputError } from './errors.ts';
import type { MonthlyUsageReport } from './types.ts';

export function canonicalJson(value: unknown): string {
  return JSON.stringify(canonicalize(value, '$'));
}

function canonicalize(value: unknown, where: string): unknown {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) {
      throw new BillingInputError('INVALID_INPUT', `cannot hash non-finite number at ${where}`);
    }
    // -0 and 0 are the same amount.
    return value === 0 ? 0 : value;
  }
  if (Array.isArray(value)) return value.map((item, index) => canonicalize(item, `${where}[${index}]`));
  if (typeof value === 'object') {
    const sorted: Record<string, unknown> = {};
    for (const key of Object.keys(value as object).sort()) {
      const member = (value as Record<string, unknown>)[key];
      if (member === undefined) continue;
      sorted[key] = canonicalize(member, `${where}.${key}`);
    }
    return sorted;
  }
  throw new BillingInputError('INVALID_INPUT', `cannot hash a ${typeof value} at ${where}`);
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** sha256 of a month's report, independent of row and device order. */
export function hashMonthlyUsage(report: MonthlyUsageReport): string {
  const rows = [...report.rows]
    .map((row) => ({ ...row, devices: [...row.devices].sort((a, b) => compareIds(a.deviceId, b.deviceId)) }))
    .sort((a, b) => compareIds(a.companyId, b.companyId));
  return sha256Hex(canonicalJson({ ...report, rows }));
}

/** Code-unit order, the same in every locale. */
export function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
