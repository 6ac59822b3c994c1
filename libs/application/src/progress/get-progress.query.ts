import { Inject } from '@nestjs/common';
import { FigureReader } from '../as-of/figure-reader.service';
import { PartnerFigureQuery, partnerFrame } from '../shared/figure-partner';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { byAgeBand, partnerProgress, trajectory, type PartnerProgress, type Trajectory } from '@ihl/domain';
import type { PersonsReachedFigures } from './progress-read-model.port';

/** `?partnerId=`: that partner's own figures (a partner's token: its own id only). */
export class GetProgressQuery extends PartnerFigureQuery {}

export interface ProgressView extends Omit<
  PersonsReachedFigures,
  'byAgeAtEntry' | 'newByPartnerMonth' | 'entrantsByMonth'
> {
  /** ESF+ age bands of the definition, plus "other" (in no band) and "unknown"; sums to the persons reached. */
  readonly byAgeBand: Readonly<Record<string, number>>;
  /** Each partner against its part of the first unique-persons target (a partner sees its own only). */
  readonly partners: readonly PartnerProgress[];
  readonly partnersBehind: readonly string[];
  readonly projectCode: string;
  readonly targets: readonly (Omit<Trajectory, 'curve'> & {
    id: string;
    title: string;
    value: number;
    deadline: string;
    actual: number;
    share: number;
  })[];
  /** Cumulative persons per month against the straight line to the (first) target. */
  readonly curve: Trajectory['curve'];
  readonly personsReached: number;
  /** The partner the figures are narrowed to (a partner's token: its own); null for the project. */
  readonly partnerId: string | null;
  readonly position: number;
}

/** The persons reached broken down by each dimension, with the names the exports give the dimensions. */
export function progressBreakdowns(v: ProgressView): readonly (readonly [string, Readonly<Record<string, number>>])[] {
  return [
    ['partner', v.byPartner],
    ['target_group', v.byTargetGroup],
    ['service', v.byService],
    ['setting', v.bySetting],
    ['sex', v.bySex],
    ['age_band', v.byAgeBand],
    ['disability', v.byDisability],
    ['new_in_month', v.newByMonth],
  ];
}

/** Unique persons reached against the unique-persons targets of the definition. */
@QueryHandler(GetProgressQuery)
export class GetProgressHandler implements IQueryHandler<GetProgressQuery, ProgressView> {
  constructor(@Inject(FigureReader) private readonly figures: FigureReader) {}

  async execute(q: GetProgressQuery): Promise<ProgressView> {
    // As of a day or position, the project, "today" and the figures all stand at that point.
    // A partner's figures come from its own records only: the persons it served, with what it sent;
    // the agency asking for one partner gets exactly what that partner sees.
    const { project, today, asOf, partnerId: own } = await partnerFrame(this.figures, q);
    return this.figures.read(asOf, (models) => {
      const position = models.reached;
      const figures = models.personsReached(q.projectCode, own, { entrants: false });
      const targets = project.definition.targets
        .filter((t) => t.indicator === 'unique-persons-reached')
        .map((t) => {
          const { curve: _curve, ...forecast } = trajectory({
            start: project.definition.period.start,
            deadline: t.deadline,
            target: t.value,
            today,
            newByMonth: figures.newByMonth,
          });
          return {
            id: t.id,
            title: t.title,
            value: t.value,
            deadline: t.deadline,
            actual: figures.reached,
            share: Math.round((figures.reached / t.value) * 10_000) / 10_000,
            ...forecast,
          };
        });
      const first = project.definition.targets.find((t) => t.indicator === 'unique-persons-reached');
      const curve = first
        ? trajectory({
            start: project.definition.period.start,
            deadline: first.deadline,
            target: first.value,
            today,
            newByMonth: figures.newByMonth,
          }).curve
        : [];
      const allocated = allocatedByPartner(project.allocations);
      const partners = first
        ? partnerProgress({
            deadline: first.deadline,
            target: first.value,
            today,
            partners: [...project.partners.values()].map((p) => ({
              partnerId: p.id,
              joinedOn: p.joinedOn,
              allocatedCents: allocated.get(p.id) ?? 0,
              newByMonth: figures.newByPartnerMonth[p.id] ?? {},
            })),
            // Shares are of all partners' allocations, even when one partner looks at its own.
          }).filter((p) => !own || p.partnerId === own)
        : [];
      const { byAgeAtEntry, newByPartnerMonth: _perPartner, entrantsByMonth: _perMonth, ...shown } = figures;
      return {
        projectCode: q.projectCode,
        ...shown,
        byAgeBand: byAgeBand(byAgeAtEntry, project.definition.ageBands),
        personsReached: figures.reached,
        targets,
        curve,
        partners,
        partnersBehind: partners.filter((p) => p.behind).map((p) => p.partnerId),
        partnerId: own ?? null,
        position,
      };
    });
  }
}

/**
 * A partner's share of the target follows its share of all allocations (see partnerProgress).
 * Allocations are keyed "partner|line"; summed in one pass, not once per partner.
 */
function allocatedByPartner(allocations: ReadonlyMap<string, number>): Map<string, number> {
  const sums = new Map<string, number>();
  for (const [key, cents] of allocations) {
    const partnerId = key.slice(0, key.indexOf('|'));
    sums.set(partnerId, (sums.get(partnerId) ?? 0) + cents);
  }
  return sums;
}
