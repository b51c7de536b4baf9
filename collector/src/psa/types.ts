// The one small interface every PSA connector implements (ConnectWise PSA,
// Autotask, HaloPSA; a fourth is a new file beside them and a line in
// connectors.ts). Ids are strings whatever the PSA uses: Tally stores them,
// it never computes with them.

export const PSA_KINDS = ['connectwise', 'autotask', 'halopsa'] as const;
export type PsaKind = (typeof PSA_KINDS)[number];

export interface PsaNamed {
  id: string;
  name: string;
}

export interface PsaAgreement extends PsaNamed {
  /** Cancelled, ended or inactive in the PSA: nothing should be billed on it any more. */
  cancelled: boolean;
}

/** Where one Tally quantity lives in the PSA: an agreement (contract, recurring invoice) and a product on it. */
export interface PsaLineRef {
  agreementId: string;
  productId: string;
}

export interface PsaLineState {
  /** The PSA's own id of the line (addition, contract service, invoice line); null when the product is not on the agreement yet. */
  lineId: string | null;
  /** The quantity the PSA holds now (0 when there is no line). */
  quantity: number;
  /** The agreement (or the line) is cancelled in the PSA. */
  cancelled: boolean;
}

/** What one write sent and what the PSA answered: it goes to the audit log as it is. */
export interface PsaExchange {
  method: string;
  path: string;
  sent: unknown;
  status: number;
  answered: unknown;
}

export interface PsaWriteResult {
  lineId: string;
  exchanges: PsaExchange[];
}

export interface PsaConnector {
  readonly kind: PsaKind;
  /** One cheap authenticated read: proves the credentials (PsaError 'psa_auth_failed' when refused). */
  verify(): Promise<void>;
  listCompanies(): Promise<PsaNamed[]>;
  listAgreements(psaCompanyId: string): Promise<PsaAgreement[]>;
  listProducts(): Promise<PsaNamed[]>;
  /** The line of `ref.productId` on the agreement as the PSA holds it on `onDate` (YYYY-MM-DD). */
  readLine(ref: PsaLineRef, onDate: string): Promise<PsaLineState>;
  /**
   * Makes the PSA bill `quantity` from `effectiveDate` (YYYY-MM-DD) on.
   * Idempotent by construction: connectors whose API takes a change rather
   * than a value (Autotask) read the current value first and send the
   * difference, so a write retried after a lost answer sends nothing twice.
   */
  writeQuantity(ref: PsaLineRef, quantity: number, effectiveDate: string, current: PsaLineState): Promise<PsaWriteResult>;
  /**
   * A correction of an invoiced (finalized) month through the PSA's own
   * mechanism, carrying `marker` so a retried push can find it.
   */
  applyAdjustment(ref: PsaLineRef, delta: number, adj: { month: string; marker: string; today: string }): Promise<PsaWriteResult>;
  /** Whether an adjustment carrying `marker` is already in the PSA (a push whose answer was lost). */
  hasAdjustment(ref: PsaLineRef, marker: string): Promise<boolean>;
}

/** Per kind: which credential fields exist, and which are secrets (never shown again). */
export const CREDENTIAL_FIELDS: Readonly<Record<PsaKind, { field: string; secret: boolean }[]>> = {
  connectwise: [
    { field: 'companyId', secret: false }, { field: 'publicKey', secret: false }, { field: 'privateKey', secret: true }, { field: 'clientId', secret: false },
  ],
  autotask: [{ field: 'userName', secret: false }, { field: 'secret', secret: true }, { field: 'integrationCode', secret: true }],
  halopsa: [{ field: 'clientId', secret: false }, { field: 'clientSecret', secret: true }, { field: 'tenant', secret: false }],
};

export type PsaCredentials = Record<string, string>;

export type PsaErrorCode = 'psa_auth_failed' | 'psa_unavailable' | 'psa_rejected' | 'psa_address_refused';

/** A PSA's refusal or silence, with a stable code; its message never carries a credential. */
export class PsaError extends Error {
  constructor(readonly code: PsaErrorCode, message: string, readonly status: number | null = null) {
    super(message);
    this.name = 'PsaError';
  }
}
