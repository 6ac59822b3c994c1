import fc from 'fast-check';
import { spendForecast } from './spend-forecast';

const spend = (declaredCents: number, eligibleCents = 0) => ({ declaredCents, eligibleCents });

describe('spendForecast', () => {
  const base = { start: '2024-01-10', end: '2024-12-31', today: '2024-05-20' };

  it('lists the burn per month from the start to today with the cumulative declared amount', () => {
    const f = spendForecast({
      ...base,
      envelopeCents: 1_000_000_00,
      byMonth: { '2024-01': spend(100_00, 50_00), '2024-03': spend(200_01), '2024-05': spend(5_00) },
    });
    expect(f.burn.map((p) => [p.month, p.declaredCents, p.eligibleCents, p.cumulativeDeclaredCents])).toEqual([
      ['2024-01', 100_00, 50_00, 100_00],
      ['2024-02', 0, 0, 100_00],
      ['2024-03', 200_01, 0, 300_01],
      ['2024-04', 0, 0, 300_01],
      ['2024-05', 5_00, 0, 305_01],
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
    expect(f.monthlyPaceCents).toBe(200_00);
    expect(f.paceMonths).toBe(3);
    expect(f.forecastAtEndCents).toBe(600_01 + 7 + (200_00 - 7) + 7 * 200_00);
    expect(f.forecastUnspentCents).toBe(1_000_000_00 - f.forecastAtEndCents);
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
    expect(f.forecastUnspentCents).toBe(1000_00 - (300_00 + 300_00 + 7 * 300_00));
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
        if (f.forecastAtEndCents <= envelope || april > envelope) return;
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
    expect(f.monthlyPaceCents).toBe(0);
    expect(f.forecastAtEndCents).toBe(100_00);
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
    expect(f.forecastAtEndCents).toBe(150_00);
  });
});
