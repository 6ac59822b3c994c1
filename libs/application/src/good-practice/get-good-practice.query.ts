import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import {
  foldPlannedPlaces,
  goodPracticeRow,
  plannedPlacesStreamId,
  type GoodPracticeRow,
  type PlannedPlacesEvent,
} from '@ihl/domain';
import { FigureQuery, type FigureQueryParams, type ReadModelSet } from '../as-of/as-of';
import { FigureReader } from '../as-of/figure-reader.service';
import { toDomainEvent } from '../shared/event-mapping';

export class GetGoodPracticeQuery extends FigureQuery {
  readonly expiringWithinDays: number;

  constructor(params: FigureQueryParams & { expiringWithinDays: number }) {
    super(params);
    this.expiringWithinDays = params.expiringWithinDays;
  }
}

export interface GoodPracticeView {
  readonly projectCode: string;
  /** The day certificates and overdue findings are judged on: today, or the as-of day. */
  readonly today: string;
  readonly expiringWithinDays: number;
  /** One row per partner (a partner's token: its own), in the project's partner order. */
  readonly partners: readonly GoodPracticeRow[];
  readonly position: number;
}

/**
 * The good-practice indicators per partner (docs/quality.md), every figure as of the same point:
 * persons from the persons-reached model, services from the volumes, the rest from the quality model.
 */
@QueryHandler(GetGoodPracticeQuery)
export class GetGoodPracticeHandler implements IQueryHandler<GetGoodPracticeQuery, GoodPracticeView> {
  constructor(@Inject(FigureReader) private readonly figures: FigureReader) {}

  async execute(q: GetGoodPracticeQuery): Promise<GoodPracticeView> {
    const { asOf, today, project } = await this.figures.frame(q);
    const events = await this.figures.streamAsOf(plannedPlacesStreamId(q.projectCode), asOf);
    const planned = foldPlannedPlaces(events.map((e) => toDomainEvent<PlannedPlacesEvent>(e)));
    const partnerIds = [...project.partners.keys()].filter((p) => q.ownPartner === undefined || p === q.ownPartner);
    return this.figures.read(asOf, (models) => {
      const findings = models.findingCounts(q.projectCode, today);
      return {
        projectCode: q.projectCode,
        today,
        expiringWithinDays: q.expiringWithinDays,
        partners: partnerIds.map((partnerId) =>
          goodPracticeRow({
            ...figuresOf(models, q.projectCode, partnerId),
            partnerId,
            today,
            expiringWithinDays: q.expiringWithinDays,
            plannedPlaces: planned.get(partnerId) ?? null,
            findings: findings.get(partnerId) ?? { open: 0, overdue: 0 },
          }),
        ),
        position: models.reached,
      };
    });
  }
}

/** A partner's persons, services, surveys and certificates from the read models. */
function figuresOf(models: ReadModelSet, projectCode: string, partnerId: string) {
  const persons = models.personsReached(projectCode, partnerId, { entrants: false });
  return {
    personsServed: persons.reached,
    personsByTargetGroup: persons.byTargetGroup,
    services: models.activityVolumes(projectCode, partnerId).services,
    surveys: models.surveysOf(projectCode, partnerId).filter((s) => s.status !== 'voided'),
    certificates: models.certificatesOf(projectCode, partnerId),
  };
}
