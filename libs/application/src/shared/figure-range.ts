import type { FigureQueryParams } from '../as-of/as-of';
import type { FigureFrame, FigureReader } from '../as-of/figure-reader.service';
import { PartnerFigureQuery, partnerFrame } from './figure-partner';
import { DomainValidationError, type IsoDate, type RegisteredProject, type ValidationIssue } from '@ihl/domain';
import type { DateRange } from '../volumes/volumes-read-model.port';

/** `?from=&to=` as asked (well-formed dates); either may be left out. */
export interface AskedDates {
  readonly from?: IsoDate;
  readonly to?: IsoDate;
}

/**
 * The records a figure covers by their date: none asked, all (undefined); else from `from` (the
 * project start if left out) to `to` (the project end), both within the project period, in order.
 */
export function figureRange(asked: AskedDates | undefined, project: RegisteredProject): DateRange | undefined {
  if (!asked || (asked.from === undefined && asked.to === undefined)) return undefined;
  const { start, end } = project.definition.period;
  const issues: ValidationIssue[] = [];
  for (const field of ['from', 'to'] as const) {
    const day = asked[field];
    if (day !== undefined && (day < start || day > end))
      issues.push({
        field,
        rule: 'within-project-period',
        message: `must be within the project period, ${start} to ${end}`,
        value: day,
      });
  }
  const range = { from: asked.from ?? start, to: asked.to ?? end };
  if (issues.length === 0 && range.from > range.to)
    issues.push({
      field: 'to',
      rule: 'not-before-from',
      message: `must not be before from (${range.from})`,
      value: range.to,
    });
  if (issues.length > 0) throw new DomainValidationError(issues);
  return range;
}

/** A figure narrowed, if asked, to one partner and to the records dated in a range. */
export interface DatedFigureQueryParams extends FigureQueryParams {
  /** `?partnerId=`: that partner's figures only. */
  readonly partnerId?: string | undefined;
  /** `?from=&to=`: the records dated in that range only. */
  readonly dates?: AskedDates | undefined;
}

/** A figure that may be narrowed to one partner and to the records dated in a range. */
export abstract class DatedFigureQuery extends PartnerFigureQuery {
  readonly dates?: AskedDates;

  constructor(params: DatedFigureQueryParams) {
    super(params);
    this.dates = params.dates;
  }
}

/** The query's frame, its partner (see partnerFrame) and the range of dates its figures cover, if any. */
export async function datedFrame(
  figures: FigureReader,
  q: DatedFigureQuery,
): Promise<FigureFrame & { readonly partnerId: string | undefined; readonly between: DateRange | undefined }> {
  const frame = await partnerFrame(figures, q);
  return { ...frame, between: figureRange(q.dates, frame.project) };
}
