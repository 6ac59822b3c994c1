import type { IsoDate } from '../shared/iso-date';
import { largestRemainder } from '../shared/largest-remainder';
import { paceAndForecast } from './trajectory';

export interface PartnerProgressInput {
  readonly partnerId: string;
  readonly joinedOn: IsoDate;
  /** The partner's total allocation, in cents: its share of the target follows its share of the money. */
  readonly allocatedCents: number;
  readonly newByMonth: Readonly<Record<string, number>>;
}

export interface PartnerProgress {
  readonly partnerId: string;
  /** The partner's part of the target: `target × allocated / all allocated`, by largest remainder. */
  readonly target: number;
  readonly actual: number;
  /** Where the straight line from the partner's joining date to the deadline stands today. */
  readonly expectedToDate: number;
  readonly gap: number;
  readonly forecastAtDeadline: number;
  readonly behind: boolean;
}

/**
 * Each partner against its own straight line. The definition has no per-partner targets, so a
 * partner's target is its allocation share of the project target (an assumption to confirm with the
 * agency); a partner without allocation has no target and is never behind.
 */
export function partnerProgress(input: {
  readonly deadline: IsoDate;
  readonly target: number;
  readonly today: IsoDate;
  readonly partners: readonly PartnerProgressInput[];
}): PartnerProgress[] {
  // Largest remainder: the partners' targets sum to the project's exactly (ties to the earlier partner).
  const targets = largestRemainder(
    input.target,
    input.partners.map((p) => p.allocatedCents),
  );
  return input.partners.map((p, i) => {
    const target = targets[i]!;
    const actual = Object.values(p.newByMonth).reduce((a, n) => a + n, 0);
    if (target === 0 || p.joinedOn >= input.deadline) {
      return {
        partnerId: p.partnerId,
        target,
        actual,
        expectedToDate: 0,
        gap: 0,
        forecastAtDeadline: actual,
        behind: false,
      };
    }
    const { forecastAtDeadline } = paceAndForecast({
      start: p.joinedOn,
      deadline: input.deadline,
      today: input.today,
      // What the partner had reached by the end of the curve (today or the deadline).
      cumulative: Object.entries(p.newByMonth).reduce(
        (a, [m, n]) => (m <= (input.today < input.deadline ? input.today : input.deadline).slice(0, 7) ? a + n : a),
        0,
      ),
      newByMonth: p.newByMonth,
    });
    const expectedToDate = expectedOn(p.joinedOn, input.deadline, target, input.today);
    return {
      partnerId: p.partnerId,
      target,
      actual,
      expectedToDate,
      gap: Math.max(expectedToDate - actual, 0),
      forecastAtDeadline,
      behind: actual < expectedToDate,
    };
  });
}

const DAY = 86_400_000;
function expectedOn(start: IsoDate, deadline: IsoDate, target: number, today: IsoDate): number {
  const span = (Date.parse(deadline) - Date.parse(start)) / DAY;
  const elapsed = Math.min(Math.max((Date.parse(today) - Date.parse(start)) / DAY, 0), span);
  return Math.round((target * elapsed) / span);
}
