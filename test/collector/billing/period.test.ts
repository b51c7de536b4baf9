import { describe, expect, it } from 'vitest';
import {
  BillingInputError,
  addMonths,
  monthContaining,
  monthState,
  monthsBetween,
  parseMonth,
} from '../../../collector/src/billing/index.ts';
import { at } from './fixtures.ts';

describe('parseMonth', () => {
  it.each([
    ['2024-03', at('2024-03-01T00:00:00Z'), at('2024-04-01T00:00:00Z'), 31],
    ['2024-02', at('2024-02-01T00:00:00Z'), at('2024-03-01T00:00:00Z'), 29],
    ['2023-02', at('2023-02-01T00:00:00Z'), at('2023-03-01T00:00:00Z'), 28],
    ['2024-12', at('2024-12-01T00:00:00Z'), at('2025-01-01T00:00:00Z'), 31],
  ])('%s is the half-open UTC month [start, end)', (text, start, end, days) => {
    const month = parseMonth(text);
    expect(month.id).toBe(text);
    expect(month.startMs).toBe(start);
    expect(month.endMs).toBe(end);
    expect(month.days).toBe(days);
    expect(month.endDay - month.firstDay).toBe(days);
  });

  it.each(['2024-3', '2024-13', '2024-00', '2024/03', '24-03', '2024-03-01', '', ' 2024-03'])('rejects %j with INVALID_MONTH', (text) => {
    expect(() => parseMonth(text)).toThrowError(BillingInputError);
    try {
      parseMonth(text);
    } catch (error) {
      expect((error as BillingInputError).code).toBe('INVALID_MONTH');
    }
  });

  it('finds the month of an instant at both edges', () => {
    expect(monthContaining(at('2024-03-31T23:59:59.999Z')).id).toBe('2024-03');
    expect(monthContaining(at('2024-04-01T00:00:00Z')).id).toBe('2024-04');
  });

  it('steps across years', () => {
    expect(addMonths(parseMonth('2024-01'), -2).id).toBe('2023-11');
    expect(addMonths(parseMonth('2024-11'), 3).id).toBe('2025-02');
    expect(monthsBetween(parseMonth('2023-12'), parseMonth('2024-03'))).toBe(3);
  });
});

describe('monthState (72 h grace by default)', () => {
  const march = parseMonth('2024-03');
  it.each([
    ['2024-02-29T23:59:59Z', 'future'],
    ['2024-03-01T00:00:00Z', 'open'],
    ['2024-03-31T23:59:59Z', 'open'],
    ['2024-04-01T00:00:00Z', 'closing'],
    ['2024-04-03T23:59:59Z', 'closing'],
    ['2024-04-04T00:00:00Z', 'finalizable'],
  ])('at %s March is %s', (now, state) => {
    expect(monthState(march, at(now))).toBe(state);
  });

  it('honours a custom grace window', () => {
    expect(monthState(march, at('2024-04-01T12:00:00Z'), 12)).toBe('finalizable');
    expect(monthState(march, at('2024-04-01T11:59:59Z'), 12)).toBe('closing');
  });

  it('rejects a negative grace window', () => {
    expect(() => monthState(march, at('2024-04-01T00:00:00Z'), -1)).toThrowError(/graceHours/);
  });
});
