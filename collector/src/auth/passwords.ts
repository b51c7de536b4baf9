// Passwords of local users: argon2id (memory-hard, OWASP's minimum
// parameters: 19 MiB, 2 passes, 1 lane), stored as the PHC string, which
// carries its own parameters and salt. Unlike API keys (256 random bits,
// SHA-256 is right there), a password is guessable: the hash must be slow.
import { randomBytes } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import { invalid } from '../errors.ts';

// algorithm 2 is Argon2id (the package's Algorithm is a const enum, which isolated modules cannot read).
const PARAMS = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export const PASSWORD_MIN = 12;
export const PASSWORD_MAX = 256;

/** The password rule, as one sentence for every surface. */
export function checkPasswordRule(password: string, field = 'password'): void {
  if (password.length < PASSWORD_MIN) throw invalid(field, `a password has at least ${PASSWORD_MIN} characters`);
  if (password.length > PASSWORD_MAX) throw invalid(field, `a password has at most ${PASSWORD_MAX} characters`);
}

export const hashPassword = (password: string): Promise<string> => hash(password, PARAMS);

// Verified against when the e-mail address is unknown, so an unknown address takes as long as a wrong password.
let decoy: Promise<string> | null = null;

/** Whether the password matches the stored hash; with no hash, spends the same time and answers false. */
export async function verifyPassword(stored: string | null, password: string): Promise<boolean> {
  if (!stored) {
    decoy ??= hashPassword(randomBytes(16).toString('hex'));
    await verify(await decoy, password).catch(() => false);
    return false;
  }
  try {
    return await verify(stored, password);
  } catch {
    return false;
  }
}

/** A password an owner hands over after a reset (the user must change it at the next sign-in): 20 characters, ~119 bits. */
export function temporaryPassword(): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';
  const bytes = randomBytes(20);
  return [...bytes].map((b) => alphabet[b % alphabet.length]).join('');
}
