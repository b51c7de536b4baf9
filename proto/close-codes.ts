// WebSocket close codes of the agent protocol. Stable: agents, the simulator
// and operators' dashboards key on them, so a value never changes meaning.
// The 44xx codes mirror the HTTP status they would be (4400 ~ 400, 4403 ~ 403,
// ...); the 1xxx codes are RFC 6455's.
//
// Each entry says what the collector means by it and what the agent
// (agent/src/transport/connection.ts) does when it sees it.
export const CLOSE = {
  /**
   * 1001: the collector is shutting down.
   * Agent: reconnects on its normal backoff (to this collector once it is
   * back, or to another behind the same address).
   */
  goingAway: 1001,
  /**
   * 1009: a frame above MAX_FRAME_BYTES; `ws` closes before decoding it, so
   * nothing of it was stored or counted.
   * Agent: reconnects on its normal backoff (it never sends such frames).
   */
  tooBig: 1009,
  /**
   * 1011: storage or internal failure. Nothing unacknowledged was kept.
   * Agent: reconnects on its normal backoff and resends what is not acknowledged.
   */
  internal: 1011,
  /**
   * 4400: a frame that does not decode (or a text frame), an unknown message,
   * frames out of order (usage before hello), or a batch above the record
   * limit. The matching ErrorCode (BAD_FRAME, UNKNOWN_MESSAGE,
   * PROTOCOL_VIOLATION, FRAME_TOO_LARGE) is sent first.
   * Agent: retries slowly (the longest backoff): a quick retry would send the
   * same thing again.
   */
  badFrame: 4400,
  /**
   * 4403: the device's company is inactive (COMPANY_INACTIVE is sent first).
   * Agent: retries slowly, until an admin reactivates the company.
   */
  forbidden: 4403,
  /**
   * 4408: no hello within the allowed time. (A peer that stops answering
   * pings is dropped without a close frame: the other side sees 1006.)
   * Agent: reconnects on its normal backoff.
   */
  timeout: 4408,
  /**
   * 4409: the device key was presented by a clone (other hardware while the
   * device is active). The collector also sends CLONE_DETECTED first.
   * Agent: stops reconnecting with that key; its owner drops the key and
   * enrols as a new device.
   */
  clone: 4409,
  /**
   * 4410: a newer connection of the same device key was welcomed on this
   * collector; one device key holds one live connection (CONNECTION_REPLACED
   * is sent first). Seen by an agent only when another process presents its
   * key (the agent itself never opens two connections).
   * Agent: retries slowly, so two processes sharing a key do not take turns
   * at the collector's expense.
   */
  replaced: 4410,
  /**
   * 4429: the device sent more frames than its allowance; nothing of the last
   * frame was stored (RATE_LIMITED is sent first).
   * Agent: reconnects on its normal backoff and resends.
   */
  rateLimited: 4429,
} as const;

export type CloseCode = (typeof CLOSE)[keyof typeof CLOSE];
