import { asMoney } from './money-view';

describe('asMoney', () => {
  it('renders amounts and sums of any size as decimal strings, leaving other fields alone', () => {
    expect(
      asMoney({
        envelopeCents: 999_999_999_999_999,
        total: { declaredCents: 10n * 999_999_999_999_999n + 7n, overSpent: false },
        lines: [{ partnerId: 'a', pendingCents: -5n, records: 3 }],
      }),
    ).toEqual({
      envelope: '9999999999999.99',
      total: { declared: '99999999999999.97', overSpent: false },
      lines: [{ partnerId: 'a', pending: '-0.05', records: 3 }],
    });
  });
});
