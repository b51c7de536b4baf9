// The second factor of local users: TOTP (RFC 6238; SHA-1, 6 digits, 30 s,
// what every authenticator app speaks) through otpauth, checked against the
// caller's clock (so tests use a fixed one), one step of drift either way.
// Recovery codes are random (50 bits each), shown once and stored as SHA-256
// like API keys: they are not guessable, so a fast hash is right.
import { randomBytes } from 'node:crypto';
import { Secret, TOTP } from 'otpauth';
import { hashSecret } from './secrets.ts';

export const TOTP_ISSUER = 'Tally';

const totp = (secretBase32: string, label = 'user') =>
  new TOTP({ issuer: TOTP_ISSUER, label, algorithm: 'SHA1', digits: 6, period: 30, secret: Secret.fromBase32(secretBase32) });

/** A new secret (160 bits, base32) to show once during setup. */
export const newTotpSecret = (): string => new Secret({ size: 20 }).base32;

/** The otpauth:// URI an authenticator app takes (as a QR code or pasted). */
export const totpUri = (secretBase32: string, email: string): string => totp(secretBase32, email).toString();

/** The code for an instant (what an authenticator shows then). */
export const totpCode = (secretBase32: string, atMs: number): string => totp(secretBase32).generate({ timestamp: atMs });

/** Whether the code is valid at nowMs (the current 30-second step, or one either side). */
export function verifyTotp(secretBase32: string, code: string, nowMs: number): boolean {
  const token = code.replace(/\s+/g, '');
  if (!/^\d{6}$/.test(token)) return false;
  return totp(secretBase32).validate({ token, timestamp: nowMs, window: 1 }) !== null;
}

/** Ten recovery codes, `xxxxx-xxxxx` (base32, lower case), each usable once instead of a TOTP code. */
export function newRecoveryCodes(): string[] {
  return Array.from({ length: 10 }, () => {
    const s = new Secret({ buffer: randomBytes(8).buffer as ArrayBuffer }).base32.toLowerCase().slice(0, 10);
    return `${s.slice(0, 5)}-${s.slice(5)}`;
  });
}

/** The stored form of a recovery code (spaces, dashes and case do not matter). */
export const recoveryCodeHash = (code: string): string => hashSecret(code.replace(/[\s-]+/g, '').toLowerCase());

/** Whether the text looks like a recovery code rather than a TOTP code. */
export const looksLikeRecoveryCode = (code: string): boolean => /^[a-z2-7]{10}$/i.test(code.replace(/[\s-]+/g, ''));
