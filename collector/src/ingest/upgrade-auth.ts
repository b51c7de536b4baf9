// Authentication of the WebSocket upgrade: `Authorization: Bearer <secret>`
// with either a device key (tdk_...) or an enrolment token (tet_...). A
// refusal is an HTTP answer before any WebSocket exists, with a stable code.
import { hashSecret, looksLikeSecret } from '../auth/secrets.ts';
import type { Storage } from '../storage/types.ts';
import { companyStanding } from './company-active.ts';
import type { Principal } from './session.ts';

export type UpgradeRefusal = { status: 401 | 403 | 503; code: 'missing_credentials' | 'invalid_token' | 'invalid_device_key' | 'company_inactive' | 'storage_unavailable'; message: string };
export type UpgradeAuth = { ok: true; principal: Principal } | ({ ok: false } & UpgradeRefusal);

const refuse = (r: UpgradeRefusal): UpgradeAuth => ({ ok: false, ...r });

export async function authenticateUpgrade(authorization: string | undefined, storage: Storage, nowMs: number): Promise<UpgradeAuth> {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  if (!m) return refuse({ status: 401, code: 'missing_credentials', message: 'send Authorization: Bearer <device key or enrolment token>' });
  const secret = m[1];
  try {
    if (secret.startsWith('tdk_')) {
      const device = looksLikeSecret('device_key', secret) ? await storage.enrolment.findDeviceByKeyHash(hashSecret(secret)) : null;
      if (!device) return refuse({ status: 401, code: 'invalid_device_key', message: 'unknown device key; enrol again with an enrolment token' });
      if (!device.companyActive) return refuse({ status: 403, code: 'company_inactive', message: 'the company this device belongs to is inactive' });
      if (!(await companyStanding(storage.enrolment, device.companyId, nowMs)).active) {
        return refuse({ status: 403, code: 'company_inactive', message: 'a partner above the company this device belongs to is inactive' });
      }
      return { ok: true, principal: { kind: 'device', deviceId: device.deviceId, companyId: device.companyId } };
    }
    const token = looksLikeSecret('enrolment_token', secret) ? await storage.enrolment.findEnrolmentToken(hashSecret(secret)) : null;
    if (!token) return refuse({ status: 401, code: 'invalid_token', message: 'unknown enrolment token' });
    if (token.revokedAtMs !== null) return refuse({ status: 401, code: 'invalid_token', message: 'enrolment token was revoked' });
    if (token.expiresAtMs !== null && token.expiresAtMs <= nowMs) return refuse({ status: 401, code: 'invalid_token', message: 'enrolment token has expired' });
    const standing = await companyStanding(storage.enrolment, token.companyId, nowMs);
    if (!standing.active) {
      const what = standing.inactive && standing.inactive.id !== token.companyId ? 'a partner above the company of this enrolment token is inactive' : 'the company of this enrolment token is inactive';
      return refuse({ status: 403, code: 'company_inactive', message: what });
    }
    return { ok: true, principal: { kind: 'enrolment', tokenId: token.id, companyId: token.companyId } };
  } catch {
    return refuse({ status: 503, code: 'storage_unavailable', message: 'the collector cannot reach its database; retry later' });
  }
}
