import { describe, expect, it } from 'vitest';
import { MODEL_INCLUDES, MODEL_PRIORITY, winningModel } from '../../../collector/src/billing/index.ts';

describe('protection model priority (seed 003: Secure Extra > Secure Plus > Secure > A la carte)', () => {
  it('has the seed order', () => {
    expect(MODEL_PRIORITY).toEqual(['secure_extra', 'secure_plus', 'secure', 'a_la_carte']);
  });

  it.each([
    [[], null],
    [['a_la_carte'], 'a_la_carte'],
    [['a_la_carte', 'secure'], 'secure'],
    [['secure', 'secure_plus', 'a_la_carte'], 'secure_plus'],
    [['secure_plus', 'secure_extra'], 'secure_extra'],
    [['secure_extra', 'a_la_carte', 'secure', 'secure_plus'], 'secure_extra'],
  ] as const)('used %j -> %s', (used, expected) => {
    expect(winningModel(used)).toBe(expected);
  });

  it('each model includes everything the model below it includes', () => {
    const [extra, plus, secure, carte] = MODEL_PRIORITY.map((m) => new Set(MODEL_INCLUDES[m]));
    for (const [higher, lower] of [[extra, plus], [plus, secure], [secure, carte]] as const) {
      for (const feature of lower) expect(higher.has(feature)).toBe(true);
    }
    expect(carte.size).toBe(0);
  });
});
