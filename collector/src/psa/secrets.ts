// PSA credentials at rest: AES-256-GCM under a key the admin provides (env
// TALLY_PSA_KEY, or a file named by --psa-key-file / TALLY_PSA_KEY_FILE /
// config "psaKeyFile"): 32 bytes as 64 hex digits or base64. Tally never
// makes the key up and never stores it: without it, credentials can be
// neither saved nor used (psa_key_missing); with another key, they cannot be
// read (psa_key_invalid, told apart by the key's fingerprint stored beside
// the ciphertext). The stored form:
//   v1:<key fingerprint, 16 hex>:<iv, base64>:<tag, base64>:<ciphertext, base64>
// The credentials' JSON is the plaintext; the connection's kind is
// authenticated data, so a ciphertext moved to another PSA does not decrypt.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { TallyError } from '../errors.ts';
import { CREDENTIAL_FIELDS, type PsaCredentials, type PsaKind } from './types.ts';

export class PsaKey {
  private constructor(private readonly key: Buffer, readonly fingerprint: string) {}

  /** Parses a key as given: 64 hex digits, or base64 of 32 bytes. */
  static parse(text: string): PsaKey {
    const t = text.trim();
    const key = /^[0-9a-fA-F]{64}$/.test(t) ? Buffer.from(t, 'hex') : Buffer.from(t, 'base64');
    if (key.length !== 32) {
      throw new TallyError('psa_key_invalid', 'the PSA credentials key must be 32 bytes, as 64 hex digits or base64 (make one with: openssl rand -hex 32)');
    }
    return new PsaKey(key, createHash('sha256').update('tally-psa-key').update(key).digest('hex').slice(0, 16));
  }

  /** From TALLY_PSA_KEY, else the key file; null when neither is set. */
  static fromSources(env: NodeJS.ProcessEnv, keyFile: string | undefined): PsaKey | null {
    if (env.TALLY_PSA_KEY) return PsaKey.parse(env.TALLY_PSA_KEY);
    if (!keyFile) return null;
    let text: string;
    try {
      text = readFileSync(keyFile, 'utf8');
    } catch (err) {
      throw new TallyError('psa_key_missing', `the PSA key file ${keyFile} cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
    }
    return PsaKey.parse(text);
  }

  encrypt(kind: PsaKind, creds: PsaCredentials): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(`tally-psa:${kind}`));
    const ct = Buffer.concat([cipher.update(JSON.stringify(creds), 'utf8'), cipher.final()]);
    return ['v1', this.fingerprint, iv.toString('base64'), cipher.getAuthTag().toString('base64'), ct.toString('base64')].join(':');
  }

  decrypt(kind: PsaKind, stored: string): PsaCredentials {
    const [v, fingerprint, iv, tag, ct] = stored.split(':');
    if (v !== 'v1' || !ct) throw new TallyError('psa_key_invalid', 'the stored PSA credentials are not in a known form; set the connection again');
    if (fingerprint !== this.fingerprint) {
      throw new TallyError('psa_key_invalid', 'the PSA credentials were saved under another key than the one this collector has (TALLY_PSA_KEY / psaKeyFile); give that key, or set the connection again');
    }
    try {
      const d = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64'));
      d.setAAD(Buffer.from(`tally-psa:${kind}`));
      d.setAuthTag(Buffer.from(tag, 'base64'));
      return JSON.parse(Buffer.concat([d.update(Buffer.from(ct, 'base64')), d.final()]).toString('utf8')) as PsaCredentials;
    } catch {
      throw new TallyError('psa_key_invalid', 'the stored PSA credentials do not decrypt with this key (altered, or another key)');
    }
  }
}

export function requireKey(key: PsaKey | null | undefined): PsaKey {
  if (!key) throw new TallyError('psa_key_missing', 'no PSA credentials key is configured: set TALLY_PSA_KEY (64 hex digits; openssl rand -hex 32) or --psa-key-file');
  return key;
}

/** What the API shows of credentials: identifiers in clear, secrets as a mask that does not depend on them. */
export function redactCredentials(kind: PsaKind, creds: PsaCredentials): Record<string, string> {
  const out: Record<string, string> = {};
  for (const { field, secret } of CREDENTIAL_FIELDS[kind]) if (creds[field] !== undefined) out[field] = secret ? '********' : creds[field];
  return out;
}
