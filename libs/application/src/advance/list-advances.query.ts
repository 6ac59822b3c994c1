import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { advancesStreamId, foldAdvances, sumCents, type AdvanceEvent, type CentsSum } from '@ihl/domain';
import { LedgerQuery } from '../as-of/as-of';
import { FigureReader } from '../as-of/figure-reader.service';
import { toDomainEvent } from '../shared/event-mapping';
import { ProjectContext } from '../shared/project-context';

export class ListAdvancesQuery extends LedgerQuery {}

export interface AdvancesView {
  readonly advances: readonly {
    readonly advanceId: string;
    readonly partnerId: string | null;
    readonly amountCents: number;
    readonly paidOn: string;
    readonly clearedCents: number;
    readonly openCents: number;
    readonly clearings: readonly { claimId: string; amountCents: number; clearedOn: string }[];
  }[];
  readonly total: { readonly paidCents: CentsSum; readonly clearedCents: CentsSum; readonly openCents: CentsSum };
  readonly position: number;
}

/** The project's advances and what is cleared of each, at the as-of point. */
@QueryHandler(ListAdvancesQuery)
export class ListAdvancesHandler implements IQueryHandler<ListAdvancesQuery, AdvancesView> {
  constructor(
    @Inject(FigureReader) private readonly figures: FigureReader,
    @Inject(ProjectContext) private readonly projects: ProjectContext,
  ) {}

  async execute(q: ListAdvancesQuery): Promise<AdvancesView> {
    await this.projects.load(q.projectCode);
    const stored = await this.figures.streamAsOf(advancesStreamId(q.projectCode), q.asOf);
    const events = stored.map((e) => toDomainEvent<AdvanceEvent>(e));
    const state = foldAdvances(events);
    const advances = [...state.advances.values()].map((a) => ({
      ...a,
      openCents: a.amountCents - a.clearedCents,
      clearings: events.flatMap((e) =>
        e.type === 'AdvanceCleared' && e.data.advanceId === a.advanceId
          ? [{ claimId: e.data.claimId, amountCents: e.data.amountCents, clearedOn: e.data.clearedOn }]
          : [],
      ),
    }));
    const paid = sumCents(advances.map((a) => a.amountCents));
    const cleared = sumCents(advances.map((a) => a.clearedCents));
    return {
      advances,
      total: { paidCents: paid, clearedCents: cleared, openCents: paid - cleared },
      position: stored[stored.length - 1]?.position ?? 0,
    };
  }
}
