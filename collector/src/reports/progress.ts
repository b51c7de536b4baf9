// Progress of a long report, for the CLI's stderr and for anything else that
// wants to show it. Reported every PROGRESS_EVERY rows and at the end of each
// section, never per row: a listener cannot slow a large report down.
export type ReportSection = 'usage' | 'endpoints' | 'psa';

export interface ReportProgress {
  readonly section: ReportSection;
  readonly rowsWritten: number;
  readonly totalRows: number;
  /** True once the section's last row is written. */
  readonly done: boolean;
}

export type ProgressListener = (progress: ReportProgress) => void;

export const PROGRESS_EVERY = 1000;

export class ProgressReporter {
  private readonly written: Record<ReportSection, number> = { usage: 0, endpoints: 0, psa: 0 };

  constructor(
    private readonly totals: Readonly<Record<ReportSection, number>>,
    private readonly listener: ProgressListener | undefined,
    private readonly every = PROGRESS_EVERY,
  ) {}

  row(section: ReportSection): void {
    const n = ++this.written[section];
    if (this.listener && n % this.every === 0) this.listener({ section, rowsWritten: n, totalRows: this.totals[section], done: false });
  }

  sectionDone(section: ReportSection): void {
    this.listener?.({ section, rowsWritten: this.written[section], totalRows: this.totals[section], done: true });
  }

  rowsWritten(section: ReportSection): number {
    return this.written[section];
  }
}
