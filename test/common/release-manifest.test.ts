// Release manifests: what an agent accepts and what it refuses, each with its
// stable reason. Real Ed25519 keys from node:crypto, a fixed clock.
import { describe, expect, it } from 'vitest';
import {
  ManifestError, canonicalJson, generateReleaseKeyPair, parsePublicKey, parsePublicKeys, signManifest, verifyManifest, type ReleaseManifest, type SignedManifest,
} from '../../common/release-manifest.ts';

const NOW = Date.parse('2026-12-07T10:00:00Z');
const release = generateReleaseKeyPair();
const other = generateReleaseKeyPair();

function manifest(over: Partial<ReleaseManifest> = {}): ReleaseManifest {
  return {
    schema: 1, version: '1.4.2', channel: 'stable', sequence: 7, expiresAt: '2027-01-07T00:00:00Z', createdAt: '2026-12-07T09:00:00Z',
    artifacts: { 'linux-x64-deb': { name: 'tally-agent_1.4.2_amd64.deb', size: 1234, sha256: 'ab'.repeat(32) } },
    ...over,
  };
}

const opts = { keys: [parsePublicKey(release.publicKey)], nowMs: NOW, minSequenceExclusive: 6, channels: ['stable'] as const, platform: 'linux-x64-deb' as const };

function refusal(signed: unknown, o: Parameters<typeof verifyManifest>[1] = opts): string {
  try {
    verifyManifest(signed, o);
  } catch (err) {
    if (err instanceof ManifestError) return err.code;
    throw err;
  }
  return 'accepted';
}

describe('release manifests', () => {
  it('verify when signed by the pinned key, unexpired, above the last sequence, for the channel and platform', () => {
    const signed = signManifest(manifest(), release.privateKeyPem);
    expect(verifyManifest(signed, opts).version).toBe('1.4.2');
    // A round trip through JSON with other formatting still verifies: the signature covers canonical JSON.
    const reversed = Object.fromEntries(Object.entries(signed.manifest).reverse());
    const reformatted = JSON.parse(JSON.stringify({ signature: signed.signature, keyId: signed.keyId, manifest: reversed }, null, 4));
    expect(JSON.stringify(reformatted.manifest)).not.toBe(JSON.stringify(signed.manifest));
    expect(refusal(reformatted)).toBe('accepted');
    expect(canonicalJson({ b: 1, a: [{ d: 2, c: 3 }] })).toBe('{"a":[{"c":3,"d":2}],"b":1}');
  });

  it('refuse a tampered manifest: another hash, size, version or sequence', () => {
    const signed = signManifest(manifest(), release.privateKeyPem);
    const tamper = (m: ReleaseManifest): SignedManifest => ({ ...signed, manifest: m });
    expect(refusal(tamper({ ...signed.manifest, artifacts: { 'linux-x64-deb': { ...signed.manifest.artifacts['linux-x64-deb']!, sha256: 'cd'.repeat(32) } } }))).toBe('bad_signature');
    expect(refusal(tamper({ ...signed.manifest, artifacts: { 'linux-x64-deb': { ...signed.manifest.artifacts['linux-x64-deb']!, size: 1235 } } }))).toBe('bad_signature');
    expect(refusal(tamper({ ...signed.manifest, version: '9.9.9' }))).toBe('bad_signature');
    expect(refusal(tamper({ ...signed.manifest, sequence: 8 }))).toBe('bad_signature');
    expect(refusal(tamper({ ...signed.manifest, expiresAt: '2030-01-01T00:00:00Z' }))).toBe('bad_signature');
    // A flipped bit in the signature itself.
    const sig = Buffer.from(signed.signature, 'base64');
    sig[10] ^= 1;
    expect(refusal({ ...signed, signature: sig.toString('base64') })).toBe('bad_signature');
  });

  it('refuse a manifest signed by another key, and say which key when it names one', () => {
    const byOther = signManifest(manifest(), other.privateKeyPem);
    expect(refusal(byOther)).toBe('unknown_key');
    // The same signature with the key id stripped: still refused, as a bad signature.
    expect(refusal({ ...byOther, keyId: undefined })).toBe('bad_signature');
    // During a rotation both keys are pinned: either verifies.
    expect(refusal(byOther, { ...opts, keys: parsePublicKeys(`${release.publicKey}, ${other.publicKey}`) })).toBe('accepted');
    expect(refusal(byOther, { ...opts, keys: [] })).toBe('unknown_key');
  });

  it('refuse an unsigned or malformed manifest before looking at a signature', () => {
    expect(refusal({ manifest: manifest() })).toBe('unsigned');
    expect(refusal({ manifest: manifest(), signature: '' })).toBe('unsigned');
    expect(refusal({ manifest: manifest(), signature: 'AAAA' })).toBe('bad_signature');
    expect(refusal(null)).toBe('malformed');
    expect(refusal({ ...signManifest(manifest(), release.privateKeyPem), manifest: { ...manifest(), extra: 1 } })).toBe('malformed');
    expect(() => signManifest(manifest({ artifacts: { 'linux-x64-deb': { name: '../etc/passwd', size: 1, sha256: 'ab'.repeat(32) } } }), release.privateKeyPem)).toThrow(/plain file name/);
    expect(() => signManifest(manifest({ sequence: 0 }), release.privateKeyPem)).toThrow(/sequence/);
    expect(() => parsePublicKey('ed25519:AAAA')).toThrow(/32 bytes/);
  });

  it('refuse an expired manifest (freeze), but not as a rollback package', () => {
    const expired = signManifest(manifest({ expiresAt: '2026-12-07T09:59:59Z' }), release.privateKeyPem);
    expect(refusal(expired)).toBe('expired');
    expect(refusal(signManifest(manifest({ expiresAt: '2026-12-07T10:00:00Z' }), release.privateKeyPem))).toBe('expired');
    expect(refusal(expired, { keys: opts.keys, nowMs: NOW, checkExpiry: false })).toBe('accepted');
  });

  it('refuse a replayed or older sequence (rollback), the wrong channel, or no artifact for the platform', () => {
    expect(refusal(signManifest(manifest({ sequence: 6 }), release.privateKeyPem))).toBe('replayed_sequence');
    expect(refusal(signManifest(manifest({ sequence: 2 }), release.privateKeyPem))).toBe('replayed_sequence');
    expect(refusal(signManifest(manifest({ channel: 'canary' }), release.privateKeyPem))).toBe('wrong_channel');
    expect(refusal(signManifest(manifest({ channel: 'canary' }), release.privateKeyPem), { ...opts, channels: ['stable', 'canary'] })).toBe('accepted');
    expect(refusal(signManifest(manifest(), release.privateKeyPem), { ...opts, platform: 'win-x64-msi' })).toBe('no_artifact');
  });
});
