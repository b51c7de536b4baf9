// 'YYYY-MM' to a half-open range of UTC days [fromDay, toDay).
export interface MonthRange {
  month: string;
  fromDay: number;
  toDay: number;
}

const MONTH = /^(\d{4})-(\d{2})$/;
const MS_PER_DAY = 86_400_000;

export function parseMonth(text: string | undefined | null): MonthRange | null {
  const m = MONTH.exec(text ?? '');
  if (!m) return null;
  const year = Number(m[1]);
  const month = Number(m[2]);
  if (month < 1 || month > 12 || year < 1970) return null;
  return {
    month: `${m[1]}-${m[2]}`,
    fromDay: Date.UTC(year, month - 1, 1) / MS_PER_DAY,
    toDay: Date.UTC(year, month, 1) / MS_PER_DAY,
  };
}
