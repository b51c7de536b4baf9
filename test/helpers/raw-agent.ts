// Test shorthands over the one raw protocol client (proto/raw-client.ts):
// a refused upgrade as a value to assert on rather than an exception.
import { RawConnection, UpgradeRefused } from '../../proto/raw-client.ts';

export type RawAgent = RawConnection;

export type ConnectResult = { ok: true; agent: RawAgent } | { ok: false; status: number; code: string | undefined; body: string };

/** Opens the agent socket with `secret` (none when null); a refusal is `{ ok: false, status, code, body }`. */
export async function connectRaw(url: string, secret: string | null): Promise<ConnectResult> {
  try {
    return { ok: true, agent: await RawConnection.open(url, secret) };
  } catch (err) {
    if (err instanceof UpgradeRefused) return { ok: false, status: err.status, code: err.code, body: err.body };
    throw err;
  }
}

/** Opens the agent socket; a refusal throws UpgradeRefused. */
export function connectOk(url: string, secret: string): Promise<RawAgent> {
  return RawConnection.open(url, secret);
}
