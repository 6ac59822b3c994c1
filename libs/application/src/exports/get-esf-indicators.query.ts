import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { EVENT_STORE, type EventStore } from '@ihl/event-store';
import { asOfDay, FigureQuery } from '../as-of/as-of';
import { FigureReader } from '../as-of/figure-reader.service';
import { buildEsfIndicatorTable, type EsfIndicatorTable, type PersonsFigures } from './esf-indicators.builder';
import { ledgerPoint } from '../as-of/ledger-point';

export class GetEsfIndicatorsQuery extends FigureQuery {}

/** The ESF+ common indicators the ledger can compute; a partner gets a table of the persons it served itself. */
@QueryHandler(GetEsfIndicatorsQuery)
export class GetEsfIndicatorsHandler implements IQueryHandler<GetEsfIndicatorsQuery, EsfIndicatorTable> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(FigureReader) private readonly figures: FigureReader,
  ) {}

  async execute(q: GetEsfIndicatorsQuery): Promise<EsfIndicatorTable> {
    await this.figures.ready(q);
    const own = q.ownPartner;
    // Every figure in one synchronous pass over the read models: one position for the whole table.
    const read = await this.figures.read(q.asOf, (m) => {
      // A partner: its own figures (its own records only). The project: each person once, and per
      // partner its share of that (the partner of the first service), so the columns sum to the total.
      const total = m.personsReached(q.projectCode, own);
      const perPartner: Record<string, PersonsFigures> = {};
      // A partner's own figures are already `total`: not read a second time.
      for (const p of Object.keys(total.byPartner))
        perPartner[p] = p === own ? total : m.personsReached(q.projectCode, p, { share: true });
      return { position: m.reached, total, perPartner };
    });
    const point = await ledgerPoint(this.store, q.projectCode, read.position);
    return buildEsfIndicatorTable({
      definition: point.project.definition,
      position: read.position,
      recordedAt: point.recordedAt,
      day: asOfDay(q, point.day),
      partnerId: own ?? null,
      partners: own ? [own] : [...point.project.partners.keys()],
      total: read.total,
      perPartner: read.perPartner,
    });
  }
}
