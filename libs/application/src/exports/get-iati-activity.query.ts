import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { DomainForbiddenError } from '@ihl/domain';
import { EVENT_STORE, type EventStore } from '@ihl/event-store';
import { asOfDay, FigureQuery } from '../as-of/as-of';
import { FigureReader } from '../as-of/figure-reader.service';
import { ledgerPoint } from '../as-of/ledger-point';
import { buildIatiActivityXml, IATI_REPORTING_ORG } from './iati-activity.builder';

export class GetIatiActivityQuery extends FigureQuery {}

export interface IatiActivityExport {
  readonly xml: string;
  /** The ledger position the file reflects: `?asOf=<position>` gives the same bytes. */
  readonly position: number;
}

/**
 * The project as one IATI 2.03 activity: envelope, verified eligible expenditure, and the
 * unique-persons indicator. Served synchronously until the jobs issue can run heavy exports.
 */
@QueryHandler(GetIatiActivityQuery)
export class GetIatiActivityHandler implements IQueryHandler<GetIatiActivityQuery, IatiActivityExport> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(FigureReader) private readonly figures: FigureReader,
  ) {}

  async execute(q: GetIatiActivityQuery): Promise<IatiActivityExport> {
    // It carries every partner's spending: finance and the agency only.
    if (q.actor.role === 'partner-submitter')
      throw new DomainForbiddenError('finance-only', 'the IATI export is for finance and the agency');
    await this.figures.ready(q);
    // One read of the read models fixes the position; everything else is read as of it.
    const { position, newByMonth, expenditures } = await this.figures.read(q.asOf, (m) => ({
      position: m.reached,
      newByMonth: m.personsReached(q.projectCode, undefined, { entrants: false }).newByMonth,
      // From the same read models at the same position: no stream is read per expenditure.
      expenditures: m.verifiedExpenditures(q.projectCode),
    }));
    const point = await ledgerPoint(this.store, q.projectCode, position);
    const xml = buildIatiActivityXml({
      reportingOrg: IATI_REPORTING_ORG,
      definition: point.project.definition,
      partners: [...point.project.partners.values()],
      asOf: { position, recordedAt: point.recordedAt, day: asOfDay(q, point.day) },
      newByMonth,
      expenditures,
    });
    return { xml, position };
  }
}
