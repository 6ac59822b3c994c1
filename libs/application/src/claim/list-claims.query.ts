import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { claimIndexStreamId, claimStreamId } from '@ihl/domain';
import { LedgerQuery } from '../as-of/as-of';
import { FigureReader } from '../as-of/figure-reader.service';
import { ProjectContext } from '../shared/project-context';
import { partnerPartOf } from './claim-partner-part';
import { claimView, type ClaimView } from './claim-view';

export class ListClaimsQuery extends LedgerQuery {}

export interface ClaimListView {
  /** Each claim without its lines, in the order composed. */
  readonly claims: readonly Omit<ClaimView, 'lines' | 'history'>[];
}

/** The project's claims (withdrawn ones too), from its claim index and each claim's stream, at the as-of point. */
@QueryHandler(ListClaimsQuery)
export class ListClaimsHandler implements IQueryHandler<ListClaimsQuery, ClaimListView> {
  constructor(
    @Inject(FigureReader) private readonly figures: FigureReader,
    @Inject(ProjectContext) private readonly projects: ProjectContext,
  ) {}

  async execute(q: ListClaimsQuery): Promise<ClaimListView> {
    await this.projects.load(q.projectCode);
    const index = await this.figures.streamAsOf(claimIndexStreamId(q.projectCode), q.asOf);
    const claims: Omit<ClaimView, 'lines' | 'history'>[] = [];
    for (const e of index) {
      const { claimId } = e.data as { claimId: string };
      const whole = claimView(await this.figures.streamAsOf(claimStreamId(q.projectCode, claimId), q.asOf));
      // A partner lists its own part of the claims that carry something of its own.
      const view =
        whole && q.actor.role === 'partner-submitter' ? partnerPartOf(whole, q.actor.partnerId ?? '') : whole;
      if (!view) continue;
      const { lines: _lines, history: _history, ...summary } = view;
      claims.push(summary);
    }
    return { claims };
  }
}
