// A small seeded PRNG (sfc32) for the fuzz suites: the same seed gives the
// same frames on every machine, so a failure is reproducible from its seed
// and frame index alone.
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    this.a = 0x9e3779b9;
    this.b = 0x243f6a88;
    this.c = 0xb7e15162;
    this.d = seed >>> 0;
    for (let i = 0; i < 16; i++) this.next();
  }

  /** Uniform uint32. */
  next(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  float(): number {
    return this.next() / 4294967296;
  }

  /** Integer in [0, n). */
  int(n: number): number {
    return n <= 0 ? 0 : Math.floor(this.float() * n);
  }

  /** Integer in [lo, hi]. */
  range(lo: number, hi: number): number {
    return lo + this.int(hi - lo + 1);
  }

  chance(p: number): boolean {
    return this.float() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }

  bytes(n: number): Uint8Array {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) out[i] = this.next() & 0xff;
    return out;
  }

  /** A new generator derived from this one (independent streams per lane). */
  fork(): Rng {
    return new Rng(this.next());
  }
}

/** Run counts and seed for the fuzz suites: fixed in CI, larger on demand (`npm run fuzz`). */
export const FUZZ = {
  seed: Number(process.env.TALLY_FUZZ_SEED ?? 0x7a11),
  /**
   * Frames driven through AgentSession.handleFrame, split evenly over hello,
   * inventory, usage, events and raw bytes. The WebSocket suite sends 1/30 of
   * this (at least 3,000).
   */
  runs: Math.max(5, Number(process.env.TALLY_FUZZ_RUNS ?? 100_000)),
};
