/** Months as `YYYY-MM`, and the arithmetic the forecast needs on them. */
const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

export function isMonth(value: string): boolean {
  return MONTH.test(value);
}

/** `count` consecutive months from `first`. */
export function monthsFrom(first: string, count: number): string[] {
  const [, y, m] = MONTH.exec(first)!;
  const start = Number(y) * 12 + Number(m) - 1;
  return Array.from({ length: count }, (_, i) => {
    const index = start + i;
    return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
  });
}

/** The first day of a month, and the first day of the month after the last one. */
export function monthBounds(months: readonly string[]): { from: string; to: string } {
  const after = monthsFrom(months.at(-1)!, 2)[1];
  return { from: `${months[0]}-01`, to: `${after}-01` };
}

export interface ForecastMonth {
  month: string;
  opening: bigint;
  inflows: bigint;
  outgoings: bigint;
  closing: bigint;
}

export interface Forecast {
  months: ForecastMonth[];
  lowest: { month: string; balance: bigint };
  /** What the cluster must secure so the cash never goes below zero: max(0, −lowest). */
  workingCapitalNeed: bigint;
}

/**
 * Month-by-month cash: each month opens on the previous closing, adds the inflows expected that
 * month and takes the planned outgoings. The lowest point is the lowest closing balance (or the
 * opening balance, if lower still).
 */
export function projectCash(
  openingBalance: bigint,
  months: readonly string[],
  inflows: ReadonlyMap<string, bigint>,
  outgoings: ReadonlyMap<string, bigint>,
): Forecast {
  let balance = openingBalance;
  let lowest = { month: months[0], balance: openingBalance };
  const rows = months.map((month) => {
    const opening = balance;
    const inflow = inflows.get(month) ?? 0n;
    const outgoing = outgoings.get(month) ?? 0n;
    balance = opening + inflow - outgoing;
    if (balance < lowest.balance) lowest = { month, balance };
    return { month, opening, inflows: inflow, outgoings: outgoing, closing: balance };
  });
  return { months: rows, lowest, workingCapitalNeed: lowest.balance < 0n ? -lowest.balance : 0n };
}
