// The distributor / partner / customer tree, and sums up it.
//
// Seed 002: "the license is purchased by a Partner company from Distributor
// company, which shares it with other companies ... Partners are the ones who
// enable license entitlements (seats and technologies) to Customer companies".
// Seed 003 (EDR example): "Because only Customer D has Bitdefender EDR usage in
// this report, the parent company Partner 1 indicates the same usage."
// So a company's total is its own use plus the totals of its children.

import { BillingInputError } from './errors.ts';
import { canonicalJson, compareIds } from './hash.ts';
import { USAGE_COLUMNS, type Company, type UsageColumns } from './types.ts';

export function zeroColumns(): UsageColumns {
  return Object.fromEntries(USAGE_COLUMNS.map((c) => [c, 0])) as UsageColumns;
}

export function addColumns(a: UsageColumns, b: Partial<UsageColumns>): UsageColumns {
  const sum = { ...a };
  for (const column of USAGE_COLUMNS) sum[column] += b[column] ?? 0;
  return sum;
}

export function indexCompanies(companies: readonly Company[]): Map<string, Company> {
  const byId = new Map<string, Company>();
  for (const company of companies) {
    const seen = byId.get(company.id);
    if (seen && canonicalJson(seen) !== canonicalJson(company)) {
      throw new BillingInputError('INVALID_INPUT', `company ${company.id} supplied twice with different data`);
    }
    byId.set(company.id, company);
  }
  for (const company of byId.values()) {
    if (company.parentId !== null && !byId.has(company.parentId)) {
      throw new BillingInputError('UNKNOWN_PARENT', `company ${company.id} has parent ${company.parentId}, which was not supplied`);
    }
  }
  return byId;
}

/** Children ids per company id, sorted; throws HIERARCHY_CYCLE if a company is its own ancestor. */
export function childrenOf(companies: ReadonlyMap<string, Company>): Map<string, string[]> {
  const children = new Map<string, string[]>();
  for (const id of companies.keys()) children.set(id, []);
  for (const company of companies.values()) {
    if (company.parentId !== null) children.get(company.parentId)!.push(company.id);
  }
  for (const list of children.values()) list.sort(compareIds);
  for (const company of companies.values()) {
    const seen = new Set<string>();
    for (let at: Company | undefined = company; at; at = at.parentId === null ? undefined : companies.get(at.parentId)) {
      if (seen.has(at.id)) throw new BillingInputError('HIERARCHY_CYCLE', `company ${company.id} is inside a parent cycle`);
      seen.add(at.id);
    }
  }
  return children;
}

/** total(company) = own(company) + sum of total(child), for every column. */
export function rollUp(
  companies: ReadonlyMap<string, Company>,
  own: ReadonlyMap<string, UsageColumns>,
): Map<string, UsageColumns> {
  const children = childrenOf(companies);
  const totals = new Map<string, UsageColumns>();
  const totalOf = (id: string): UsageColumns => {
    const known = totals.get(id);
    if (known) return known;
    let total = own.get(id) ?? zeroColumns();
    for (const child of children.get(id) ?? []) total = addColumns(total, totalOf(child));
    totals.set(id, total);
    return total;
  };
  for (const id of companies.keys()) totalOf(id);
  return totals;
}

/** A company put under another parent at an instant (storage keeps them; an admin's command makes them). */
export interface CompanyMove {
  readonly companyId: string;
  readonly fromParentId: string | null;
  readonly toParentId: string | null;
  readonly atMs: number;
}

/**
 * The tree as it stood before `laterMoves`: each move undone, newest first,
 * and every path rebuilt from the parents (ids from the root down). A month
 * is billed with the tree it ended with: a move made after its end (a
 * finalized month's recomputation for late data, a report of last month)
 * changes neither its partner totals nor the licence a partner's
 * inactivation passes down, so a finalized month's bill stays as it was.
 */
export function treeBefore<C extends { readonly id: string; readonly parentId: string | null }>(
  companies: readonly C[], laterMoves: readonly CompanyMove[],
): Map<string, { parentId: string | null; path: string[] }> {
  const parents = new Map(companies.map((c) => [c.id, c.parentId]));
  for (const move of [...laterMoves].sort((a, b) => b.atMs - a.atMs)) {
    if (parents.has(move.companyId)) parents.set(move.companyId, move.fromParentId);
  }
  const paths = new Map<string, string[]>();
  const pathOf = (id: string, seen: Set<string>): string[] => {
    const known = paths.get(id);
    if (known) return known;
    const parent = parents.get(id) ?? null;
    // A parent that is unknown, or a loop (never stored: moves refuse them), ends the walk.
    const path = parent !== null && parents.has(parent) && !seen.has(parent) ? [...pathOf(parent, new Set([...seen, id])), id] : [id];
    paths.set(id, path);
    return path;
  };
  const out = new Map<string, { parentId: string | null; path: string[] }>();
  for (const [id, parentId] of parents) out.set(id, { parentId, path: pathOf(id, new Set([id])) });
  return out;
}
