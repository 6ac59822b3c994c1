import { byAgeBand } from './age-bands';

const ESF_BANDS = [
  { id: 'under-18', label: 'under 18', minAge: 0, maxAge: 17 },
  { id: '18-29', label: '18-29', minAge: 18, maxAge: 29 },
  { id: '55-plus', label: '55 and over', minAge: 55, maxAge: null },
];

describe('byAgeBand', () => {
  it('puts each age in its band, the ages between bands in "other" and unknown ages apart', () => {
    const bands = byAgeBand(
      { '0': 1, '17': 2, '18': 3, '29': 4, '30': 5, '54': 6, '55': 7, '101': 8, unknown: 9 },
      ESF_BANDS,
    );
    expect(bands).toEqual({ 'under-18': 3, '18-29': 7, '55-plus': 15, other: 11, unknown: 9 });
  });

  it('always names every band, so an empty breakdown still shows the zeros', () => {
    expect(byAgeBand({}, ESF_BANDS)).toEqual({ 'under-18': 0, '18-29': 0, '55-plus': 0, other: 0, unknown: 0 });
  });

  it('sums to the persons it was given', () => {
    const byAge = { '5': 2, '40': 3, '70': 4, unknown: 1, '-1': 1 };
    const total = Object.values(byAgeBand(byAge, ESF_BANDS)).reduce((a, n) => a + n, 0);
    expect(total).toBe(11);
  });
});
