// Signed agent release manifests: what a release is (version, channel, one
// artifact per platform with its size and SHA-256), until when it may be
// installed (expiry) and where it stands in the release history (a sequence
// that only grows), signed with Ed25519 by a release key kept offline.
//
// Shared by the collector (which checks what an admin publishes), the agent
// (which trusts nothing else: see agent/src/update/) and the release CLI.
// node:crypto only; the signature covers the manifest's canonical JSON
// (keys sorted, no spaces), so the bytes signed do not depend on how a file
// was formatted or which program re-serialised it.
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';

export const PLATFORMS = ['linux-x64-deb', 'linux-arm64-deb', 'linux-x64-rpm', 'linux-arm64-rpm', 'win-x64-msi', 'darwin-x64-pkg', 'darwin-arm64-pkg'] as const;
export type ReleasePlatform = (typeof PLATFORMS)[number];
export const CHANNELS = ['stable', 'canary'] as const;
export type ReleaseChannel = (typeof CHANNELS)[number];

export interface ReleaseArtifact {
  /** File name, as the collector serves it: no directories. */
  name: string;
  size: number;
  /** Lower-case hex. */
  sha256: string;
}

export interface ReleaseManifest {
  /** Format of this document; a verifier refuses versions it does not know. */
  schema: 1;
  version: string;
  channel: ReleaseChannel;
  /** Strictly greater for every release signed with the key: an agent never installs one not above what it has seen (rollback). */
  sequence: number;
  /** ISO 8601; an agent refuses the manifest after it (freeze: an old manifest cannot be replayed forever). */
  expiresAt: string;
  /** ISO 8601, informative. */
  createdAt: string;
  artifacts: Partial<Record<ReleasePlatform, ReleaseArtifact>>;
}

export interface SignedManifest {
  manifest: ReleaseManifest;
  /** base64 Ed25519 signature of canonicalJson(manifest). */
  signature: string;
  /** Which key signed it: keyId(publicKey), so rotation can pin two keys. */
  keyId: string;
}

/** Why a manifest was refused. Stable: logged and tested by code. */
export type ManifestRefusal =
  | 'malformed' | 'unsigned' | 'unknown_key' | 'bad_signature' | 'expired' | 'replayed_sequence' | 'wrong_channel' | 'no_artifact';

export class ManifestError extends Error {
  constructor(readonly code: ManifestRefusal, message: string) {
    super(message);
    this.name = 'ManifestError';
  }
}

/** JSON with object keys sorted at every level and no whitespace: the bytes that are signed. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

const PUBLIC_PREFIX = 'ed25519:';
// The DER prefix of an Ed25519 SubjectPublicKeyInfo: the raw 32-byte key follows.
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

/** A public key as people pin it: "ed25519:" + base64 of the raw 32 bytes (fits an MSI property or an env file line). */
export function formatPublicKey(key: KeyObject): string {
  const der = key.export({ format: 'der', type: 'spki' });
  return PUBLIC_PREFIX + der.subarray(SPKI_PREFIX.length).toString('base64');
}

export function parsePublicKey(text: string): KeyObject {
  const t = text.trim();
  if (!t.startsWith(PUBLIC_PREFIX)) throw new ManifestError('malformed', `a release public key looks like ed25519:<base64>, got ${JSON.stringify(t.slice(0, 20))}`);
  const raw = Buffer.from(t.slice(PUBLIC_PREFIX.length), 'base64');
  if (raw.length !== 32) throw new ManifestError('malformed', `a release public key is 32 bytes, got ${raw.length}`);
  return createPublicKey({ key: Buffer.concat([SPKI_PREFIX, raw]), format: 'der', type: 'spki' });
}

/** Pinned keys as configured: one or more, comma or space separated (two during a key rotation). */
export function parsePublicKeys(text: string): KeyObject[] {
  return text.split(/[\s,]+/).filter(Boolean).map(parsePublicKey);
}

/** A short stable id of a public key: the first 16 hex digits of SHA-256 over its raw bytes. */
export function keyId(key: KeyObject): string {
  const raw = key.export({ format: 'der', type: 'spki' }).subarray(SPKI_PREFIX.length);
  return createHash('sha256').update(raw).digest('hex').slice(0, 16);
}

export function generateReleaseKeyPair(): { privateKeyPem: string; publicKey: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return { privateKeyPem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(), publicKey: formatPublicKey(publicKey) };
}

export function signManifest(manifest: ReleaseManifest, privateKeyPem: string): SignedManifest {
  const manifestChecked = checkManifestShape(manifest);
  const key = createPrivateKey(privateKeyPem);
  if (key.asymmetricKeyType !== 'ed25519') throw new ManifestError('malformed', `the release key must be Ed25519, got ${key.asymmetricKeyType}`);
  const signature = sign(null, Buffer.from(canonicalJson(manifestChecked)), key).toString('base64');
  return { manifest: manifestChecked, signature, keyId: keyId(createPublicKey(key)) };
}

const SHA256 = /^[0-9a-f]{64}$/;
const FILE_NAME = /^[A-Za-z0-9][A-Za-z0-9._+~-]{0,199}$/;
const VERSION = /^[0-9A-Za-z][0-9A-Za-z.+~-]{0,63}$/;

/** The manifest's fields, checked one by one: anything unexpected is 'malformed' before a signature is even looked at. */
export function checkManifestShape(raw: unknown): ReleaseManifest {
  const bad = (why: string): never => {
    throw new ManifestError('malformed', `manifest ${why}`);
  };
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) bad('is not an object');
  const m = raw as Record<string, unknown>;
  const known = new Set(['schema', 'version', 'channel', 'sequence', 'expiresAt', 'createdAt', 'artifacts']);
  for (const k of Object.keys(m)) if (!known.has(k)) bad(`has an unknown field ${JSON.stringify(k)}`);
  if (m.schema !== 1) bad(`schema must be 1, got ${JSON.stringify(m.schema)}`);
  if (typeof m.version !== 'string' || !VERSION.test(m.version)) bad('version must be a version string like 1.4.2');
  if (!(CHANNELS as readonly unknown[]).includes(m.channel)) bad(`channel must be one of ${CHANNELS.join(', ')}`);
  if (typeof m.sequence !== 'number' || !Number.isSafeInteger(m.sequence) || m.sequence < 1) bad('sequence must be a positive integer');
  for (const f of ['expiresAt', 'createdAt'] as const) {
    if (typeof m[f] !== 'string' || Number.isNaN(Date.parse(m[f] as string))) bad(`${f} must be an ISO 8601 date-time`);
  }
  const arts = m.artifacts;
  if (arts === null || typeof arts !== 'object' || Array.isArray(arts)) bad('artifacts must be an object of platform -> artifact');
  const entries = Object.entries(arts as Record<string, unknown>);
  if (entries.length === 0) bad('has no artifacts');
  for (const [platform, a] of entries) {
    if (!(PLATFORMS as readonly string[]).includes(platform)) bad(`artifact platform ${JSON.stringify(platform)} is unknown (known: ${PLATFORMS.join(', ')})`);
    const art = a as Record<string, unknown>;
    if (art === null || typeof art !== 'object') bad(`artifact ${platform} is not an object`);
    if (typeof art.name !== 'string' || !FILE_NAME.test(art.name)) bad(`artifact ${platform} name must be a plain file name`);
    if (typeof art.size !== 'number' || !Number.isSafeInteger(art.size) || art.size < 1) bad(`artifact ${platform} size must be a positive integer`);
    if (typeof art.sha256 !== 'string' || !SHA256.test(art.sha256)) bad(`artifact ${platform} sha256 must be 64 lower-case hex digits`);
    if (Object.keys(art).some((k) => !['name', 'size', 'sha256'].includes(k))) bad(`artifact ${platform} has unknown fields`);
  }
  return m as unknown as ReleaseManifest;
}

export interface VerifyOptions {
  /** The pinned keys: a signature by any of them is accepted. */
  keys: readonly KeyObject[];
  nowMs: number;
  /** The highest sequence this verifier has accepted before; a manifest must be above it. Omit to skip (a rollback package, already installed once). */
  minSequenceExclusive?: number;
  /** Channels this verifier follows. */
  channels?: readonly ReleaseChannel[];
  /** The platform the verifier installs; the manifest must carry an artifact for it. */
  platform?: ReleasePlatform;
  /** false for a rollback package: the version already ran here, its manifest's expiry no longer matters. */
  checkExpiry?: boolean;
}

/**
 * Verifies a signed manifest as an agent must before installing anything:
 * shape, signature by a pinned key, expiry, sequence above the last one
 * accepted (replay of an older release), channel and platform. Throws a
 * ManifestError whose code says which rule refused it.
 */
export function verifyManifest(signed: unknown, opts: VerifyOptions): ReleaseManifest {
  if (signed === null || typeof signed !== 'object') throw new ManifestError('malformed', 'signed manifest is not an object');
  const s = signed as Partial<SignedManifest>;
  const manifest = checkManifestShape(s.manifest);
  if (typeof s.signature !== 'string' || s.signature === '') throw new ManifestError('unsigned', 'manifest carries no signature');
  const sig = Buffer.from(s.signature, 'base64');
  if (sig.length !== 64) throw new ManifestError('bad_signature', `an Ed25519 signature is 64 bytes, got ${sig.length}`);
  if (opts.keys.length === 0) throw new ManifestError('unknown_key', 'no release public key is pinned');
  const data = Buffer.from(canonicalJson(manifest));
  const signer = opts.keys.find((k) => verify(null, data, k, sig));
  if (!signer) {
    const pinned = opts.keys.map(keyId);
    throw s.keyId && !pinned.includes(s.keyId)
      ? new ManifestError('unknown_key', `manifest signed by key ${s.keyId}, which is not pinned (pinned: ${pinned.join(', ')})`)
      : new ManifestError('bad_signature', 'manifest signature does not verify with the pinned key(s): altered or signed by another key');
  }
  if (opts.checkExpiry !== false && Date.parse(manifest.expiresAt) <= opts.nowMs) {
    throw new ManifestError('expired', `manifest of ${manifest.version} expired at ${manifest.expiresAt}`);
  }
  if (opts.minSequenceExclusive !== undefined && manifest.sequence <= opts.minSequenceExclusive) {
    throw new ManifestError('replayed_sequence', `manifest sequence ${manifest.sequence} is not above ${opts.minSequenceExclusive}, the last one accepted here (replayed or older release)`);
  }
  if (opts.channels && !opts.channels.includes(manifest.channel)) {
    throw new ManifestError('wrong_channel', `manifest is for channel ${manifest.channel}; this agent follows ${opts.channels.join(', ')}`);
  }
  if (opts.platform && !manifest.artifacts[opts.platform]) {
    throw new ManifestError('no_artifact', `manifest of ${manifest.version} has no artifact for ${opts.platform}`);
  }
  return manifest;
}
