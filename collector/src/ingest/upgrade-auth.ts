// Authentication of the WebSocket upgrade: `Authorization: Bearer <secret>`
// with either a device key (tdk_...) or an enrolment token (tet_...). A
// refusal is an HTTP answer before any WebSocket exists, with a stable code.
import { UPGRADE_ERROR, UPGRADE_ERROR_STATUS, type UpgradeErrorStatus } from '../../../proto/index.ts';
import { hashSecret, looksLikeSecret } from '../auth/secrets.ts';
import type { Storage } from '../storage/types.ts';
import { companyStanding, standingIn } from './company-active.ts';
import { readKey, type HelloReads } from './hello-reads.ts';
import type { Principal } from './session.ts';

/** The refusals authentication itself can give (the socket adds limits, path and shutdown). */
type AuthRefusalCode = (typeof UPGRADE_ERROR)[
  'missingCredentials' | 'invalidToken' | 'invalidDeviceKey' | 'companyInactive' | 'deviceRetired' | 'tokenExhausted' | 'storageUnavailable'
];
export type UpgradeRefusal = { status: UpgradeErrorStatus; code: AuthRefusalCode; message: string };
export type UpgradeAuth = { ok: true; principal: Principal } | ({ ok: false } & UpgradeRefusal);

const refuse = (code: AuthRefusalCode, message: string): UpgradeAuth => ({ ok: false, status: UPGRADE_ERROR_STATUS[code], code, message });

/** `reads`: batches a device key's reads with other upgrades' (the agent socket); without it, one statement of its own. */
export async function authenticateUpgrade(authorization: string | undefined, storage: Pick<Storage, 'enrolment'>, nowMs: number,
  reads?: Pick<HelloReads, 'key'>): Promise<UpgradeAuth> {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  if (!m) return refuse(UPGRADE_ERROR.missingCredentials, 'send Authorization: Bearer <device key or enrolment token>');
  const secret = m[1];
  try {
    if (secret.startsWith('tdk_')) {
      if (!looksLikeSecret('device_key', secret)) return refuse(UPGRADE_ERROR.invalidDeviceKey, 'unknown device key; enrol again with an enrolment token');
      // The device, its company and every company above it: one read (batched with other upgrades' when `reads` is given).
      const keyHash = hashSecret(secret);
      const { device, companies } = await (reads ? reads.key(keyHash) : readKey(storage.enrolment, keyHash));
      if (!device) return refuse(UPGRADE_ERROR.invalidDeviceKey, 'unknown device key; enrol again with an enrolment token');
      if (!device.companyActive) return refuse(UPGRADE_ERROR.companyInactive, 'the company this device belongs to is inactive');
      if (!standingIn(companies, device.companyId, nowMs).active) {
        return refuse(UPGRADE_ERROR.companyInactive, 'a partner above the company this device belongs to is inactive');
      }
      // Retired by an admin: refused for good (its agent does not enrol again by itself; an admin may give it a token).
      if (device.retiredAtMs !== null) return refuse(UPGRADE_ERROR.deviceRetired, 'an admin retired this device; its key is no longer accepted');
      return { ok: true, principal: { kind: 'device', deviceId: device.deviceId, companyId: device.companyId } };
    }
    const token = looksLikeSecret('enrolment_token', secret) ? await storage.enrolment.findEnrolmentToken(hashSecret(secret)) : null;
    if (!token) return refuse(UPGRADE_ERROR.invalidToken, 'unknown enrolment token');
    if (token.revokedAtMs !== null) return refuse(UPGRADE_ERROR.invalidToken, 'enrolment token was revoked');
    if (token.expiresAtMs !== null && token.expiresAtMs <= nowMs) return refuse(UPGRADE_ERROR.invalidToken, 'enrolment token has expired');
    // Counted for good at the hello (atomically); refusing here already spares a full connection.
    if (token.maxEnrolments !== null && token.enrolments >= token.maxEnrolments) return refuse(UPGRADE_ERROR.tokenExhausted, 'this enrolment token has reached its limit of enrolments');
    const standing = await companyStanding(storage.enrolment, token.companyId, nowMs);
    if (!standing.active) {
      const what = standing.inactive && standing.inactive.id !== token.companyId ? 'a partner above the company of this enrolment token is inactive' : 'the company of this enrolment token is inactive';
      return refuse(UPGRADE_ERROR.companyInactive, what);
    }
    return { ok: true, principal: { kind: 'enrolment', tokenId: token.id, companyId: token.companyId } };
  } catch {
    return refuse(UPGRADE_ERROR.storageUnavailable, 'the collector cannot reach its database; retry later');
  }
}
