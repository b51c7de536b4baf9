// The content hash of a month fed piece by piece: the same bytes, so the
// same sha256, as hashMonthlyUsage and the snapshot hash over a month held
// whole, for months stored as rows and read back a page at a time.
//
// hashMonthlyUsage(report) is sha256(canonicalJson(report)) with rows sorted
// by company id and each row's devices by device id. Canonical JSON is a
// concatenation: '{"month":..,"productType":..,"rows":[' row ',' row ... ']}'
// and each row '{..."deviceCount":N,"devices":[' line ',' line ... '],...}'.
// So the document can be hashed in order from its parts: each company's row
// without its lines (known when the month is complete), then its lines in
// device order, each line's canonical JSON as stored. Nothing here holds
// more than one row.

import { createHash, type Hash } from 'node:crypto';
import { canonicalJson, sha256Hex } from './hash.ts';
import type { CompanyUsageRow, DeviceMonthLine, ProductType } from './types.ts';
import type { CompanyUserUsage, UserBillingLine } from './user-usage.ts';

/**
 * canonicalJson of `value` with `key` set to an array, split around that
 * array's items: the head ends with `"key":[`, the tail starts with `]`.
 * `value` must not hold `key` (it is the part stored without its lines).
 */
export function canonicalAround(value: Record<string, unknown>, key: string): [string, string] {
  let out = '{';
  let head: string | null = null;
  let first = true;
  for (const k of [...Object.keys(value).filter((x) => x !== key), key].sort()) {
    const member = k === key ? [] : value[k];
    if (member === undefined) continue;
    out += `${first ? '' : ','}${JSON.stringify(k)}:`;
    first = false;
    if (k === key) {
      head = `${out}[`;
      out = ']';
    } else {
      out += canonicalJson(member);
    }
  }
  return [head!, `${out}}`];
}

/**
 * sha256 of a two-level canonical document fed in order: the outer object
 * (without its list), then each item (without its sub-list) followed by its
 * sub-items' canonical JSON. Items and sub-items must come in the order the
 * document sorts them (the stored rows' primary key order).
 */
export class StreamedDocumentHash {
  private readonly hash: Hash = createHash('sha256');
  private readonly outerTail: string;
  private itemTail: string | null = null;
  private items = 0;
  private subItems = 0;
  private done: string | null = null;

  constructor(outer: Record<string, unknown>, listKey: string, private readonly subListKey: string) {
    const [head, tail] = canonicalAround(outer, listKey);
    this.hash.update(head, 'utf8');
    this.outerTail = tail;
  }

  /** Starts the next item: `item` without its sub-list. */
  item(item: Record<string, unknown>): void {
    this.closeItem();
    const [head, tail] = canonicalAround(item, this.subListKey);
    this.hash.update(`${this.items++ ? ',' : ''}${head}`, 'utf8');
    this.itemTail = tail;
    this.subItems = 0;
  }

  /** The current item's next sub-item, as canonicalJson gives it (a stored line's text). */
  subItem(canonical: string): void {
    if (this.itemTail === null) throw new Error('a sub-item before any item');
    this.hash.update(`${this.subItems++ ? ',' : ''}${canonical}`, 'utf8');
  }

  digest(): string {
    if (this.done === null) {
      this.closeItem();
      this.hash.update(this.outerTail, 'utf8');
      this.done = this.hash.digest('hex');
    }
    return this.done;
  }

  private closeItem(): void {
    if (this.itemTail !== null) this.hash.update(this.itemTail, 'utf8');
    this.itemTail = null;
  }
}

/** hashMonthlyUsage of a report fed company row by company row, each followed by its lines in device order. */
export function monthlyUsageHash(month: string, productType: ProductType): StreamedDocumentHash {
  return new StreamedDocumentHash({ month, productType }, 'rows', 'devices');
}

/** sha256(canonicalJson(userUsage)) fed company by company, each followed by its lines in userLineKey order. */
export function userUsageHash(month: string): StreamedDocumentHash {
  return new StreamedDocumentHash({ month }, 'companies', 'lines');
}

/** The hashes of a month's three documents combined: the month's content hash (what finalized_months stores). */
export function combineMonthHash(hashes: { endpoint_security: string; edr: string; users: string }): string {
  return sha256Hex(canonicalJson(hashes));
}

/** A company row without its lines: what is stored for it. */
export function rowWithoutLines(row: CompanyUsageRow): Omit<CompanyUsageRow, 'devices'> {
  const { devices: _devices, ...rest } = row;
  return rest;
}

export function userCompanyWithoutLines(company: CompanyUserUsage): Omit<CompanyUserUsage, 'lines'> {
  const { lines: _lines, ...rest } = company;
  return rest;
}

/**
 * The sort key of a user line within its company, as two parts that both
 * backends order like compareIds orders user-usage's line key ('d'/'u', then
 * the id): no NUL, which PostgreSQL text cannot hold.
 */
export function userLineKey(line: UserBillingLine): { kind: 'd' | 'u'; refId: string } {
  return line.kind === 'user' ? { kind: 'u', refId: line.userId } : { kind: 'd', refId: line.deviceId };
}

/** A line's stored text: its canonical JSON, the bytes the hash covers. */
export const lineText = (line: DeviceMonthLine | UserBillingLine): string => canonicalJson(line);
