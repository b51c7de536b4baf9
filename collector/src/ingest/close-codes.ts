// WebSocket close codes the collector uses. Stable: agents and operators key
// on them. 4xxx mirror the HTTP status they would be.
export const CLOSE = {
  /** Server shutting down; reconnect elsewhere or later. */
  goingAway: 1001,
  /** Frame larger than maxPayload (ws sets it itself). */
  tooBig: 1009,
  /** Storage or internal failure; nothing unacknowledged was kept; resend later. */
  internal: 1011,
  /** Frame did not decode, unknown message, or frames out of order. */
  badFrame: 4400,
  /** Company inactive: do not retry until an admin reactivates it. */
  forbidden: 4403,
  /** No hello within the allowed time, or the peer stopped answering pings. */
  timeout: 4408,
  /** The device key was presented by a clone: drop it and enrol as a new device. */
  clone: 4409,
  /** The device sent more frames than its allowance; nothing of the last frame was stored. */
  rateLimited: 4429,
} as const;

export type CloseCode = (typeof CLOSE)[keyof typeof CLOSE];
