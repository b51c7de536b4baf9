// Errors of the billing core carry a stable code, so callers (API, CLI) can
// map them to responses without parsing messages.

export type BillingErrorCode =
  | 'INVALID_MONTH'
  | 'INVALID_INPUT'
  | 'HIERARCHY_CYCLE'
  | 'UNKNOWN_PARENT'
  | 'MONTH_NOT_OPEN'
  | 'MONTH_MISMATCH';

export class BillingInputError extends Error {
  readonly code: BillingErrorCode;

  constructor(code: BillingErrorCode, message: string) {
    super(message);
    this.name = 'BillingInputError';
    this.code = code;
  }
}
