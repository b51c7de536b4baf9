// The meter never reads a clock or starts a timer by itself: everything comes
// in through these two interfaces, so tests can drive it with a fake clock and
// the real wiring stays a few lines.

export interface Clocks {
  /** Milliseconds from an arbitrary origin; never affected by wall-clock changes. May or may not advance during sleep, depending on the OS. */
  monotonicMs(): number;
  /** Milliseconds since the Unix epoch (UTC), as the OS reports it: may jump. */
  wallMs(): number;
}

/** Calls `fn` every `intervalMs` until the returned function is called. */
export interface TickTimer {
  every(intervalMs: number, fn: () => void): () => void;
}

export const systemClocks: Clocks = {
  // performance.now() is monotonic (libuv's hrtime); whether it counts suspend
  // differs per OS, which is exactly why the meter does not trust it across a sleep.
  monotonicMs: () => performance.now(),
  wallMs: () => Date.now(),
};

export const systemTickTimer: TickTimer = {
  every(intervalMs, fn) {
    const handle = setInterval(fn, intervalMs);
    // The meter alone must not keep the agent alive; the transport and the
    // service host decide the process lifetime.
    handle.unref();
    return () => clearInterval(handle);
  },
};
