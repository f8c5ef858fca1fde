import { monthBounds, monthsFrom, projectCash } from './forecast.js';

describe('monthsFrom', () => {
  it('counts months across a year end', () => {
    expect(monthsFrom('2026-11', 4)).toEqual(['2026-11', '2026-12', '2027-01', '2027-02']);
    expect(monthBounds(['2026-11', '2026-12'])).toEqual({ from: '2026-11-01', to: '2027-01-01' });
  });
});

describe('projectCash', () => {
  it('carries each closing into the next month and finds the lowest point', () => {
    const months = monthsFrom('2027-01', 4);
    const forecast = projectCash(10_000n, months, new Map([['2027-03', 50_000n]]), new Map(months.map((m) => [m, 20_000n])));
    expect(forecast.months.map((m) => [m.month, m.opening, m.closing])).toEqual([
      ['2027-01', 10_000n, -10_000n],
      ['2027-02', -10_000n, -30_000n],
      ['2027-03', -30_000n, 0n],
      ['2027-04', 0n, -20_000n],
    ]);
    expect(forecast.lowest).toEqual({ month: '2027-02', balance: -30_000n });
    expect(forecast.workingCapitalNeed).toBe(30_000n);
  });

  it('needs no working capital when the cash never goes below zero', () => {
    const forecast = projectCash(5n, ['2027-01'], new Map(), new Map());
    expect(forecast.lowest).toEqual({ month: '2027-01', balance: 5n });
    expect(forecast.workingCapitalNeed).toBe(0n);
  });
});
