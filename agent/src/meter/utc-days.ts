export const MS_PER_DAY = 86_400_000;

export interface DayShare {
  /** Days since 1970-01-01, UTC. */
  utcDay: number;
  ms: number;
}

/**
 * Splits the wall-clock span [startWallMs, startWallMs + durationMs) into its
 * parts on each UTC day. The shares always add up to `durationMs` exactly:
 * the wall clock only decides where time goes, never how much there is.
 */
export function splitAcrossUtcDays(startWallMs: number, durationMs: number): DayShare[] {
  const shares: DayShare[] = [];
  let cursor = startWallMs;
  let left = durationMs;
  while (left > 0) {
    const utcDay = Math.floor(cursor / MS_PER_DAY);
    const untilMidnight = (utcDay + 1) * MS_PER_DAY - cursor;
    const ms = Math.min(left, untilMidnight);
    shares.push({ utcDay, ms });
    cursor += ms;
    left -= ms;
  }
  return shares;
}
