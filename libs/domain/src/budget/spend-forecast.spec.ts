import fc from 'fast-check';
import { spendForecast } from './spend-forecast';

const spend = (declared: number, eligible = 0) => ({
  declaredCents: BigInt(declared),
  eligibleCents: BigInt(eligible),
});

describe('spendForecast', () => {
  const base = { start: '2024-01-10', end: '2024-12-31', today: '2024-05-20' };

  it('lists the burn per month from the start to today with the cumulative declared amount', () => {
    const f = spendForecast({
      ...base,
      envelopeCents: 1_000_000_00,
      byMonth: { '2024-01': spend(100_00, 50_00), '2024-03': spend(200_01), '2024-05': spend(5_00) },
    });
    expect(f.burn.map((p) => [p.month, p.declaredCents, p.eligibleCents, p.cumulativeDeclaredCents])).toEqual([
      ['2024-01', 100_00n, 50_00n, 100_00n],
      ['2024-02', 0n, 0n, 100_00n],
      ['2024-03', 200_01n, 0n, 300_01n],
      ['2024-04', 0n, 0n, 300_01n],
      ['2024-05', 5_00n, 0n, 305_01n],
    ]);
  });

  it('forecasts at the pace of the last complete months over the months left', () => {
    const f = spendForecast({
      ...base,
      envelopeCents: 1_000_000_00,
      byMonth: { '2024-02': spend(100_00), '2024-03': spend(200_00), '2024-04': spend(300_01), '2024-05': spend(7) },
      paceMonths: 3,
    });
    // (100.00 + 200.00 + 300.01) / 3 = 200.0033… → 200.00 per month; May has 0.07 so far and gets
    // the other 199.93; June..December = 7 months more.
    expect(f.monthlyPaceCents).toBe(200_00n);
    expect(f.paceMonths).toBe(3);
    expect(f.forecastAtEndCents).toBe(600_01n + 7n + (200_00n - 7n) + 7n * 200_00n);
    expect(f.forecastUnspentCents).toBe(1_000_000_00n - f.forecastAtEndCents);
    expect(f.envelopeExhaustedMonth).toBeNull();
  });

  it('names the month the envelope runs out at this pace', () => {
    const f = spendForecast({
      ...base,
      envelopeCents: 1000_00,
      byMonth: { '2024-04': spend(300_00) },
      paceMonths: 1,
    });
    // 300.00 declared by April, 300.00 a month: 600.00 by the end of May, 900.00 of June, over in July.
    expect(f.envelopeExhaustedMonth).toBe('2024-07');
    expect(f.forecastUnspentCents).toBe(1000_00n - (300_00n + 300_00n + 7n * 300_00n));
  });

  it('the month the envelope runs out is the first whose running total at the pace passes it', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5_000_00 }), fc.integer({ min: 1, max: 20_000_00 }), (april, envelope) => {
        const f = spendForecast({
          ...base,
          envelopeCents: envelope,
          byMonth: { '2024-04': spend(april) },
          paceMonths: 1,
        });
        if (f.forecastAtEndCents <= BigInt(envelope) || april > envelope) return;
        // Walked month by month: May gets the pace (nothing declared in it yet), then each month more.
        let month = 5;
        for (let total = april + april; total <= envelope; total += april) month++;
        expect(f.envelopeExhaustedMonth).toBe(`2024-${String(month).padStart(2, '0')}`);
      }),
    );
  });

  it('says when the envelope is already passed', () => {
    const f = spendForecast({
      ...base,
      envelopeCents: 100_00,
      byMonth: { '2024-02': spend(60_00), '2024-03': spend(60_00) },
    });
    expect(f.envelopeExhaustedMonth).toBe('2024-03');
  });

  it('counts spending dated after today in the total, and has no pace without complete months', () => {
    const f = spendForecast({
      start: '2024-05-01',
      end: '2024-12-31',
      today: '2024-05-20',
      envelopeCents: 1000_00,
      byMonth: { '2024-05': spend(10_00), '2024-09': spend(90_00) },
    });
    expect(f.burn).toHaveLength(1);
    expect(f.monthlyPaceCents).toBe(0n);
    expect(f.forecastAtEndCents).toBe(100_00n);
  });

  it('after the project end forecasts nothing more than what was declared', () => {
    const f = spendForecast({
      start: '2024-01-01',
      end: '2024-03-31',
      today: '2024-05-20',
      envelopeCents: 1000_00,
      byMonth: { '2024-02': spend(100_00), '2024-03': spend(50_00) },
    });
    expect(f.burn.map((p) => p.month)).toEqual(['2024-01', '2024-02', '2024-03']);
    expect(f.forecastAtEndCents).toBe(150_00n);
  });

  it('rounds the pace half up like Math.round, also for a falling (negative) month sum', () => {
    const at = (declared: number[]) =>
      spendForecast({
        start: '2024-01-01',
        end: '2024-12-31',
        today: '2024-05-20',
        envelopeCents: 1000_00,
        byMonth: Object.fromEntries(declared.map((d, i) => [`2024-0${i + 1}`, spend(d)])),
        paceMonths: 2,
      }).monthlyPaceCents;
    // Months 03 and 04 are the window.
    expect(at([0, 0, 1, 2])).toBe(BigInt(Math.round(3 / 2)));
    expect(at([0, 0, 1, 1])).toBe(1n);
    expect(at([0, 0, -1, -2])).toBe(BigInt(Math.round(-3 / 2)));
    expect(at([0, 0, -2, -3])).toBe(BigInt(Math.round(-5 / 2)));
  });

  it('stays exact with month sums past 2^53 cents', () => {
    const huge = 4n * 2n ** 53n + 3n;
    const f = spendForecast({
      start: '2024-01-01',
      end: '2024-06-30',
      today: '2024-05-20',
      envelopeCents: 999_999_999_999_999,
      byMonth: { '2024-03': { declaredCents: huge, eligibleCents: 1n }, '2024-04': spend(1) },
      paceMonths: 2,
    });
    expect(f.burn.at(-1)!.cumulativeDeclaredCents).toBe(huge + 1n);
    expect(f.monthlyPaceCents).toBe((huge + 1n) / 2n);
    expect(f.envelopeExhaustedMonth).toBe('2024-03');
  });
});
