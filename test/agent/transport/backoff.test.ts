import { describe, expect, it } from 'vitest';
import { backoffDelay } from '../../../agent/src/transport/backoff.ts';

describe('backoffDelay', () => {
  const policy = { initialMs: 1000, maxMs: 60_000 };
  it('doubles per attempt, between half and all of the ceiling', () => {
    expect(backoffDelay(0, policy, () => 0)).toBe(500);
    expect(backoffDelay(0, policy, () => 1)).toBe(1000);
    expect(backoffDelay(3, policy, () => 0)).toBe(4000);
    expect(backoffDelay(3, policy, () => 1)).toBe(8000);
  });
  it('is capped at maxMs however many attempts failed', () => {
    expect(backoffDelay(10, policy, () => 1)).toBe(60_000);
    expect(backoffDelay(10_000, policy, () => 1)).toBe(60_000);
    expect(backoffDelay(10_000, policy, () => 0)).toBe(30_000);
  });
});
