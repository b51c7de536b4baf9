// What makes a hardware identifier worth trusting: the placeholders firmware
// vendors ship un-customised (shared by thousands of machines) and fillers
// are never identity. One list for the agent, which cleans what it reports,
// and the collector, which never trusts that the agent did.

/** Firmware defaults for the SMBIOS system UUID. */
export const PLACEHOLDER_UUIDS: ReadonlySet<string> = new Set([
  '00000000-0000-0000-0000-000000000000',
  'ffffffff-ffff-ffff-ffff-ffffffffffff',
  '03000200-0400-0500-0006-000700080009',
  '03020100-0504-0706-0809-0a0b0c0d0e0f',
]);

const UUID_SHAPE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** SMBIOS system UUID, lower case; null when absent, malformed or a placeholder. */
export function cleanHardwareUuid(raw: string | null | undefined): string | null {
  const value = (raw ?? '').trim().toLowerCase();
  if (!UUID_SHAPE.test(value)) return null;
  if (PLACEHOLDER_UUIDS.has(value) || value.startsWith('fefefefe')) return null;
  // One repeated digit (all zeros, all F, 11111111-…) is a filler, not an id.
  if (/^([0-9a-f])(?:\1|-)*$/.test(value)) return null;
  return value;
}

/** Strings BIOS vendors leave in serial and asset fields (compared lower-case, trimmed). */
export const PLACEHOLDER_STRINGS: ReadonlySet<string> = new Set([
  '', '-', '.', '0', 'n/a', 'na', 'none', 'null', 'unknown', 'invalid', 'default', 'default string',
  'to be filled by o.e.m.', 'to be filled by oem', 'system serial number', 'system product name',
  'chassis serial number', 'base board serial number', 'baseboard serial number', 'serial number',
  'not specified', 'not applicable', 'not available', 'oem', 'o.e.m.', '0123456789', '123456789', '1234567890',
]);

/** A serial or other identifying string; null for placeholders and fillers ("0000000", "XXXXXXXX", "        "). */
export function cleanIdentifier(raw: string | null | undefined): string | null {
  const value = (raw ?? '').trim();
  if (PLACEHOLDER_STRINGS.has(value.toLowerCase())) return null;
  if (/^(.)\1*$/.test(value.replace(/[\s.-]/g, ''))) return null;
  return value;
}
