import { partnerProgress } from './partner-trajectory';
import { trajectory } from './trajectory';

describe('partnerProgress', () => {
  const base = { deadline: '2024-12-31', target: 1000, today: '2024-07-01' };

  it('gives each partner its allocation share of the target and its own line from joining', () => {
    const [a, b] = partnerProgress({
      ...base,
      partners: [
        {
          partnerId: 'a',
          joinedOn: '2024-01-01',
          allocatedCents: 300_00,
          newByMonth: { '2024-01': 100, '2024-05': 50 },
        },
        { partnerId: 'b', joinedOn: '2024-04-01', allocatedCents: 700_00, newByMonth: { '2024-04': 300 } },
      ],
    });
    // a: 300 persons over 2024-01-01..2024-12-31 (365 days); 182 days elapsed on 1 July.
    expect(a).toMatchObject({
      partnerId: 'a',
      target: 300,
      actual: 150,
      expectedToDate: Math.round((300 * 182) / 365),
    });
    expect(a!.behind).toBe(false);
    // b: 700 persons over 2024-04-01..2024-12-31 (274 days); 91 days elapsed.
    const expectedB = Math.round((700 * 91) / 274);
    expect(b).toMatchObject({ target: 700, actual: 300, expectedToDate: expectedB, gap: 0, behind: false });
  });

  it('flags a partner below its line, with the gap', () => {
    const [a] = partnerProgress({
      ...base,
      partners: [
        { partnerId: 'a', joinedOn: '2024-01-01', allocatedCents: 1, newByMonth: { '2024-02': 400 } },
        { partnerId: 'b', joinedOn: '2024-01-01', allocatedCents: 1, newByMonth: {} },
      ],
    });
    expect(a).toMatchObject({ target: 500, actual: 400, expectedToDate: 249, gap: 0, behind: false });
    const [, b] = partnerProgress({
      ...base,
      partners: [
        { partnerId: 'a', joinedOn: '2024-01-01', allocatedCents: 1, newByMonth: {} },
        { partnerId: 'b', joinedOn: '2024-01-01', allocatedCents: 1, newByMonth: { '2024-03': 200 } },
      ],
    });
    expect(b).toMatchObject({ target: 500, actual: 200, expectedToDate: 249, gap: 49, behind: true });
  });

  it('splits the target so the partner parts sum to it exactly', () => {
    const parts = partnerProgress({
      ...base,
      target: 4018,
      partners: ['a', 'b', 'c'].map((partnerId) => ({
        partnerId,
        joinedOn: '2024-01-01',
        allocatedCents: 1_000_00,
        newByMonth: {},
      })),
    });
    // 4018 / 3 = 1339.33…: one person of remainder goes to the first partner.
    expect(parts.map((p) => p.target)).toEqual([1340, 1339, 1339]);
  });

  it('never flags a partner that has no allocation, hence no target', () => {
    const [a] = partnerProgress({
      ...base,
      partners: [{ partnerId: 'a', joinedOn: '2024-01-01', allocatedCents: 0, newByMonth: {} }],
    });
    expect(a).toMatchObject({ target: 0, expectedToDate: 0, behind: false });
  });

  it('forecasts each partner exactly as the project curve would for the same months', () => {
    for (const today of ['2024-07-01', '2024-07-31', '2024-12-31', '2025-02-10']) {
      const newByMonth = { '2024-01': 30, '2024-03': 12, '2024-05': 7, '2024-06': 1, '2024-07': 4 };
      const [p] = partnerProgress({
        ...base,
        today,
        partners: [{ partnerId: 'a', joinedOn: '2024-01-15', allocatedCents: 1, newByMonth }],
      });
      const t = trajectory({ start: '2024-01-15', deadline: base.deadline, target: 1000, today, newByMonth });
      expect(p!.forecastAtDeadline).toBe(t.forecastAtDeadline);
    }
  });
});
