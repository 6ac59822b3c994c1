import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { DomainValidationError } from '@ihl/domain';
import { FigureReader } from '../as-of/figure-reader.service';
import { PERSON_REGISTRY, type PersonRegistry } from '../person/person-registry.port';
import { PartnerFigureQuery, partnerFrame } from '../shared/figure-partner';
import type { DatedFigureQueryParams } from '../shared/figure-range';
import type { DateRange } from '../volumes/volumes-read-model.port';
import { listRange, reportedPeriodOf } from './list-range';
import type {
  ListedRecord,
  RecordCursor,
  RecordListFilter,
  RecordPage,
  RecordSort,
  RecordState,
} from './record-lists-read-model.port';

export interface ListRecordsParams extends DatedFigureQueryParams {
  readonly records: 'activities' | 'expenditures';
  readonly period?: string | undefined;
  readonly kind?: string | undefined;
  readonly categoryId?: string | undefined;
  readonly state?: RecordState | undefined;
  readonly workerRef?: string | undefined;
  readonly documentRef?: string | undefined;
  /** One person's records: pseudonymised here, never kept or answered. */
  readonly personalCode?: string | undefined;
  readonly sort: RecordSort;
  readonly after: RecordCursor | null;
  /** The page before `after` rather than after it. */
  readonly backwards?: boolean | undefined;
  readonly limit: number;
}

/**
 * A page of a project's activities or expenditures, filtered and sorted; partners see their own;
 * live, or as the records stood at an as-of point (the same query on the versioned rows).
 */
export class ListRecordsQuery extends PartnerFigureQuery {
  readonly params: Omit<
    ListRecordsParams,
    'projectCode' | 'actor' | 'atLeastPosition' | 'waitMs' | 'partnerId' | 'asOf'
  >;

  constructor({ projectCode, actor, atLeastPosition, waitMs, partnerId, asOf, ...rest }: ListRecordsParams) {
    super({ projectCode, actor, atLeastPosition, waitMs, partnerId, asOf });
    this.params = rest;
  }
}

export type RecordListView = RecordPage<ListedRecord> & {
  readonly projectCode: string;
  readonly partnerId: string | null;
  readonly between: DateRange | null;
  readonly position: number;
};

@QueryHandler(ListRecordsQuery)
export class ListRecordsHandler implements IQueryHandler<ListRecordsQuery, RecordListView> {
  constructor(
    @Inject(FigureReader) private readonly figures: FigureReader,
    @Inject(PERSON_REGISTRY) private readonly persons: PersonRegistry,
  ) {}

  async execute(q: ListRecordsQuery): Promise<RecordListView> {
    const { project, partnerId, asOf } = await partnerFrame(this.figures, q);
    const p = q.params;
    const between = listRange(p.period, p.dates, project);
    const filter: RecordListFilter = {
      projectCode: q.projectCode,
      records: p.records,
      partnerId,
      kind: p.kind,
      categoryId: p.categoryId,
      state: p.state,
      from: between?.from,
      to: between?.to,
      reportedPeriod: reportedPeriodOf(p.period, project),
      workerRef: p.workerRef,
      documentRef: p.documentRef,
      person: p.personalCode === undefined ? undefined : this.pseudonymOf(p.personalCode),
    };
    const partners = [...project.partners.keys()];
    return this.figures.read(asOf, (models) => ({
      projectCode: q.projectCode,
      partnerId: partnerId ?? null,
      between: between ?? null,
      ...models.listRecords(filter, p.sort, p.after, p.limit, partners, p.backwards),
      position: models.reached,
    }));
  }

  /** The pseudonym the records carry; an invalid code is named by its field, never quoted. */
  private pseudonymOf(personalCode: string): string {
    try {
      return this.persons.identify(personalCode).pseudonym;
    } catch (e) {
      if (!(e instanceof DomainValidationError)) throw e;
      throw new DomainValidationError(e.issues.map(({ rule, message }) => ({ field: 'personalCode', rule, message })));
    }
  }
}
