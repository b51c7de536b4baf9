// How far back late usage may still change a finalized month. The rule
// itself lives in the billing core (LATE_DATA_ADJUSTMENT_MONTHS); this turns
// it into the day boundary the store applies.
import { LATE_DATA_ADJUSTMENT_MONTHS, addMonths, monthContaining } from '../billing/index.ts';
import type { LateDataPolicy } from '../storage/types.ts';

export function latePolicyAt(nowMs: number): LateDataPolicy {
  return { adjustableFromDay: addMonths(monthContaining(nowMs), -LATE_DATA_ADJUSTMENT_MONTHS).firstDay };
}
