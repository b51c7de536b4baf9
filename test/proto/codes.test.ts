// The protocol's stable numbers and codes. Agents in the field key on these
// values, so changing one is a protocol change: this test must be edited on
// purpose, together with README.md's wire protocol section.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLOSE, MAX_FRAME_BYTES, UPGRADE_ERROR, UPGRADE_ERROR_HEADER, UPGRADE_ERROR_STATUS, upgradeErrorCode } from '../../proto/index.ts';

const readme = readFileSync(resolve(import.meta.dirname, '../../README.md'), 'utf8');
const wireSection = readme.slice(readme.indexOf('## Wire protocol'), readme.indexOf('\n## ', readme.indexOf('## Wire protocol') + 1));

describe('close codes', () => {
  it('keep their values', () => {
    expect(CLOSE).toEqual({ goingAway: 1001, tooBig: 1009, internal: 1011, badFrame: 4400, forbidden: 4403, timeout: 4408, clone: 4409, replaced: 4410, rateLimited: 4429 });
  });

  it('are each documented in README.md', () => {
    for (const code of Object.values(CLOSE)) expect(wireSection, `close code ${code}`).toContain(`\`${code}\``);
  });
});

describe('upgrade refusals', () => {
  it('keep their codes and each has one HTTP status', () => {
    expect(UPGRADE_ERROR_HEADER).toBe('X-Tally-Error');
    expect(Object.fromEntries(Object.values(UPGRADE_ERROR).map((c) => [c, UPGRADE_ERROR_STATUS[c]]))).toEqual({
      missing_credentials: 401, invalid_token: 401, invalid_device_key: 401, company_inactive: 403, device_retired: 403, token_exhausted: 403, not_found: 404,
      rate_limited: 429, address_connection_limit: 429, too_many_connections: 503, storage_unavailable: 503, shutting_down: 503, internal: 503,
    });
    // The status table names no code the constants do not.
    expect(Object.keys(UPGRADE_ERROR_STATUS).sort()).toEqual(Object.values(UPGRADE_ERROR).sort());
  });

  it('are each documented in README.md', () => {
    for (const code of Object.values(UPGRADE_ERROR)) expect(wireSection, `upgrade refusal ${code}`).toContain(`\`${code}\``);
  });

  it('are read from the header as Node hands it over (lower-cased), or undefined without one', () => {
    expect(upgradeErrorCode({ 'x-tally-error': 'invalid_token', 'content-type': 'application/json' })).toBe('invalid_token');
    expect(upgradeErrorCode({ 'x-tally-error': ['rate_limited', 'internal'] })).toBe('rate_limited');
    expect(upgradeErrorCode({ 'content-type': 'text/html' })).toBeUndefined();
  });
});

describe('frame limit', () => {
  it('is 1 MiB', () => {
    expect(MAX_FRAME_BYTES).toBe(1_048_576);
  });
});
