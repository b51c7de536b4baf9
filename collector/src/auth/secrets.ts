// Device keys, API keys and enrolment tokens: 32 random bytes, shown once,
// stored as SHA-256. A fast hash is right here (unlike passwords): the
// secrets have 256 bits of entropy, so there is nothing to brute-force.
import { createHash, randomBytes } from 'node:crypto';

export type SecretKind = 'device_key' | 'api_key' | 'enrolment_token';

const PREFIX: Record<SecretKind, string> = {
  device_key: 'tdk_',
  api_key: 'tak_',
  enrolment_token: 'tet_',
};

export function newSecret(kind: SecretKind): string {
  return PREFIX[kind] + randomBytes(32).toString('base64url');
}

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** Cheap shape check before any lookup, so junk never reaches storage. */
export function looksLikeSecret(kind: SecretKind, value: string | undefined | null): value is string {
  return typeof value === 'string' && value.length === PREFIX[kind].length + 43 && value.startsWith(PREFIX[kind])
    && /^[A-Za-z0-9_-]+$/.test(value.slice(PREFIX[kind].length));
}
